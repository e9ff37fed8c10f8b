"""The practice path: `evaluate` and `check`, in the student's own Python process.

`check` is what a notebook's self-check cell (and nbgrader's test cell) calls.  It prints one
friendly paragraph on stdout, never writes to stderr (nbgrader scores any stderr output as a
failure) and raises AssertionError when the answer is wrong.  It speaks the language of the
notebook it runs in (`minigrad._lang`: `MINIGRAD_LANG`, else the notebook's metadata)."""

from __future__ import annotations

import contextlib
import io
import re
import signal
import threading
import warnings
from collections.abc import Iterator
from typing import Any

import numpy as np

from . import policy
from .judge import Failure, Outcome, Result, assess
from .messages import speaking, text
from .questions import QUESTIONS
from .spec import Case, Question, as_outputs, case_rng, forbidden

PRACTICE_SEED = 0
PRACTICE_TIMEOUT = 30.0  # seconds per case, where a timer can interrupt (the main thread)


class _TimedOut(BaseException):
    """Raised into the student's code by the timer; a BaseException so `except Exception`
    in their code does not swallow it."""


@contextlib.contextmanager
def _deadline(seconds: float) -> Iterator[None]:
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "SIGALRM"):
        yield
        return

    def expire(signum: int, frame: Any) -> None:
        raise _TimedOut()

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def question(question_id: str) -> Question:
    try:
        return QUESTIONS[question_id]
    except KeyError:
        known = ", ".join(QUESTIONS)
        raise ValueError(f"unknown question {question_id!r}; the ids are: {known}") from None


def run_case(q: Question, answer: Any, case: Case, timeout: float | None = None) -> Outcome:
    """Call the student's object on one case; any exception becomes a `Failure`."""
    if q.by_hand and policy.mentions_torch(answer):
        return Failure("refused", policy.refusal("autograd", "torch"))
    guard = policy.forbid(forbidden(q))
    if timeout is None:
        timeout = PRACTICE_TIMEOUT if q.seconds is None else min(q.seconds, PRACTICE_TIMEOUT)
    try:
        with guard, _deadline(timeout):
            return as_outputs(q.drive(answer, case))
    except KeyboardInterrupt:
        raise
    except _TimedOut:
        return Failure("timeout", text("limit.case_timeout", timeout=f"{timeout:g}"))
    except policy.Refused as error:
        return Failure("refused", str(error))
    except BaseException as error:  # noqa: BLE001 - a student's SystemExit is a wrong answer too
        return Failure(type(error).__name__, _short(str(error)))


def evaluate(
    question_id: str, answer: Any, *, seed: int = PRACTICE_SEED, language: str | None = None
) -> Result:
    """Grade `answer` for the catalog question `question_id`; never raises for a bad answer.
    The feedback is in `language`, by default the running notebook's."""
    q = question(question_id)
    if language is None:  # (a by-hand grading child has no minigrad: import it only here)
        from minigrad import _lang

        language = _lang.current()
    with speaking(language):
        return _evaluate(q, answer, seed)


def _evaluate(q: Question, answer: Any, seed: int) -> Result:
    with quiet():  # the grader's own warnings (from torch, say) are not the student's business
        cases = q.draw(case_rng(seed, q.id))
        expected = [as_outputs(q.reference(c)) for c in cases]
    with quiet() as noise:
        outcomes = [run_case(q, answer, c) for c in cases]
    with quiet():
        result = assess(q, cases, outcomes, expected)
    if noise:
        result.feedback += "\n" + text("result.noise", noise=noise[0])
    return result


class CheckFailed(AssertionError):
    """A wrong answer, as `check` reports it: an AssertionError (nbgrader and nbval count it as
    a failed test) whose message is the feedback.  IPython shows an exception that has
    `_render_traceback_` as the lines it returns, so JupyterLab shows the feedback alone,
    without a traceback into the grader."""

    def __init__(self, result: Result) -> None:
        super().__init__(result.feedback)
        self.result = result

    def _render_traceback_(self) -> list[str]:
        return [RED + line + RESET if i == 0 else line for i, line in enumerate(self.lines())]

    def lines(self) -> list[str]:
        """The feedback folded to `WIDTH` columns, between words (a number is one word) or
        between two Chinese characters (each two columns wide)."""
        return [folded for line in str(self).splitlines() for folded in _fold(line)]


def _fold(line: str, width: int = 0) -> list[str]:
    width = width or WIDTH
    lines, current, used = [], "", 0
    for token in _TOKENS.findall(line):
        size = len(token) + sum(1 for c in token if _WIDE.match(c))
        breakable = not token.isspace() and token not in "，。：；、）"
        if current.strip() and used + size > width and breakable:
            lines.append(current.rstrip())
            current, used = "  ", 2
        if not (token.isspace() and current.isspace()):
            current, used = current + token, used + size
    return [*lines, current.rstrip()]


WIDTH = 88
_WIDE = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]")  # CJK: two columns
_TOKENS = re.compile(rf"{_WIDE.pattern}|\s+|[^\s\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]+")
RED, RESET = "\x1b[31m", "\x1b[0m"


def check(
    question_id: str, answer: Any, *, seed: int = PRACTICE_SEED, language: str | None = None
) -> None:
    """Print a ✓ when `answer` is right; raise `CheckFailed` (an AssertionError) that says
    which case failed, what came back and why, when it is wrong.  `seed` draws other cases
    (an instructor's hidden tests use their own); `language` overrides the notebook's."""
    result = evaluate(question_id, answer, seed=seed, language=language)
    if not result.passed:
        raise CheckFailed(result)
    print(result.feedback)


@contextlib.contextmanager
def quiet() -> Any:
    """Catch warnings and stderr; yields a list that receives one line describing them."""
    noise: list[str] = []
    stderr = io.StringIO()
    with warnings.catch_warnings(record=True) as caught, contextlib.redirect_stderr(stderr):
        warnings.simplefilter("always")
        with np.errstate(all="ignore"):
            yield noise
    found = [f"{w.category.__name__}: {w.message}" for w in caught]
    if stderr.getvalue().strip():
        found.append("output on stderr: " + stderr.getvalue().strip())
    if found:
        noise.append(_short(found[0]) + (f" (+{len(found) - 1} more)" if len(found) > 1 else ""))


def _short(text: str, limit: int = 300) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
