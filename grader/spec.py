"""What a question is: plain data that the practice path and the sandboxed grader both read.

A question says how its inputs are drawn (`draw`), how the student's object is called
(`drive`), what torch.autograd says the answer is (`reference`), how close is close enough,
and which known mistakes produce which wrong outputs (`wrong`).  Nothing outside
`grader/questions/` knows any question by name.

Vocabulary used throughout the grader:

* a *case* is one set of inputs (`Case.args`, plain numbers and float64 arrays);
* *outputs* are what a call produced, always a tuple of float64 arrays;
* a *verdict* is why a case failed: a misconception tag and a sentence of feedback.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .messages import text

Outputs = tuple[np.ndarray, ...]

MISCONCEPTIONS = (
    "transposed",
    "wrong_shape",
    "missing_factor",
    "sign",
    "no_accumulation",
    "double_counting",
    "broadcast_not_reduced",
    "forward_difference",
    "product_rule",
    "chain_rule",
    "recursion_limit",
    "duplicate_nodes",
    "order",
    "not_implemented",
    "exception",
    "timeout",
    "memory",
    "crashed",
    "mutates_input",
    "wrong_dtype",
    "control_flow",
    "wrong_method",
    "garbled",
)


@dataclass(frozen=True)
class Case:
    """One set of inputs. `label` is what feedback calls it (shapes, or the expression)."""

    label: str
    args: dict[str, Any]
    rtol: float | None = None
    atol: float | None = None


@dataclass(frozen=True)
class Wrong:
    """A known mistake: the outputs it would produce on a case, its tag, and its advice (a
    message id of `grader.messages`, or the sentence itself)."""

    tag: str
    advice: str
    output: Callable[[Case, Outputs], Sequence[Any]]

    def __post_init__(self) -> None:
        assert self.tag in MISCONCEPTIONS, self.tag


@dataclass(frozen=True)
class Verdict:
    """Why one case failed: `detail` shows expected vs got (or what happened instead),
    `where` names the case."""

    detail: str
    tag: str | None = None
    advice: str = ""
    where: str = ""


@dataclass(frozen=True)
class Question:
    """One catalog entry. `drive` runs wherever the student's code runs (the sandboxed child
    during grading); `reference`, `wrong` and `judge` only ever run in the trusted parent."""

    id: str
    lesson: str
    points: int
    signature: str
    task: str
    draw: Callable[[np.random.Generator], list[Case]]
    drive: Callable[[Any, Case], Sequence[Any]]
    reference: Callable[[Case], Sequence[Any]]
    wrong: tuple[Wrong, ...] = ()
    names: tuple[str, ...] = ("result",)
    rtol: float = 1e-7
    atol: float = 1e-9
    relative: bool = False
    by_hand: bool = False
    forbids: tuple[str, ...] = ()  # names of `policy.TOOLS` switched off while it runs
    judge: Callable[[Case, Outputs, Outputs], Verdict | None] | None = None
    advice: dict[str, str] = field(default_factory=dict)  # tag -> message id, for failures
    seconds: float | None = None  # a case's time limit on the practice path, if not the usual
    notes: dict[str, str] = field(default_factory=dict)


def forbidden(q: Question) -> tuple[str, ...]:
    """The tools switched off while an answer to `q` runs (a by-hand question: autograd)."""
    return (("autograd",) if q.by_hand else ()) + q.forbids


class Unreadable(ValueError):
    """What the answer returned cannot be read as numbers.  Raised by the grader, not by the
    student's code: feedback says what came back instead of "your code raised"."""


class WrongCount(Unreadable):
    """The answer returned a different number of values than the question asks for."""


class InputChanged(Exception):
    """The answer changed one of its input arrays in place (found by the driver)."""


def _is_tensor(value: Any) -> bool:
    return type(value).__module__.split(".")[0] in ("torch", "minigrad") and hasattr(
        value, "detach"
    )


def _plain(value: Any) -> Any:
    """`value` with every torch or minigrad tensor (also inside lists and tuples) turned into
    numpy, so that a tensor that requires grad or a list of 0-d tensors converts too."""
    if _is_tensor(value):
        value = value.detach()
        value = value.cpu() if callable(getattr(value, "cpu", None)) else value
        return np.asarray(value.numpy())
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def as_array(value: Any) -> np.ndarray:
    """Turn whatever the student returned (list, tuple, numpy, minigrad or torch tensor, a
    Python or numpy number of any float width) into a float64 array, without trusting its
    comparison operators.  Raises `Unreadable` (the grader's error) when it is not numbers."""
    if value is None:
        raise NotImplementedError(text("driver.stub", "en"))
    try:
        array = np.array(_plain(value), dtype=np.float64, copy=True)
    except Exception as error:  # noqa: BLE001 - whatever the object does, it is not numbers
        raise Unreadable(text("driver.not_numbers", "en", what=_describe(value),
                                error=error)) from None
    if array.dtype != np.float64:
        raise Unreadable(text("driver.not_numbers_plain", "en", what=_describe(value)))
    return array


def as_outputs(values: Sequence[Any]) -> Outputs:
    """Convert a driver's result (a sequence of array-likes) to `Outputs`."""
    return tuple(as_array(v) for v in values)


def several(result: Any, count: int) -> tuple[Any, ...]:
    """`count` values from what an answer returned: a tuple, a list, or an array or tensor
    whose first axis has that length (`np.array([y, d1, d2])` is three values)."""
    if result is None:
        raise NotImplementedError(text("driver.stub", "en"))
    if isinstance(result, (tuple, list)):
        values = tuple(result)
    elif isinstance(result, np.ndarray) or _is_tensor(result):
        array = as_array(result)
        values = tuple(array) if array.ndim >= 1 else (array,)
    else:
        values = (result,)
    if len(values) != count:
        raise WrongCount(text("driver.count", "en", count=count, what=_describe(result)))
    return values


def call(*names: str, outputs: int = 1) -> Callable[[Any, Case], Sequence[Any]]:
    """The usual driver: call the answer with copies of `args[name]` for each name in order,
    and check afterwards that the answer left those copies unchanged.  With `outputs > 1`
    the answer returns that many values (see `several`)."""

    def drive(answer: Any, case: Case) -> Sequence[Any]:
        given = [_copy(case.args[n]) for n in names]
        result = answer(*given)
        unchanged(names, given, case)
        return (result,) if outputs == 1 else several(result, outputs)

    return drive


def unchanged(names: Sequence[str], given: Sequence[Any], case: Case) -> None:
    """Raise `InputChanged` when the answer wrote into an input array it was given."""
    for name, value in zip(names, given, strict=True):
        original = case.args[name]
        if isinstance(original, np.ndarray) and not (
            isinstance(value, np.ndarray)
            and value.shape == original.shape
            and np.array_equal(value, original, equal_nan=True)
        ):
            raise InputChanged(name)  # the judge words it (messages "case.mutated")


def _copy(value: Any) -> Any:
    return value.copy() if isinstance(value, np.ndarray) else value


def _describe(value: Any) -> str:
    if isinstance(value, (tuple, list)):
        return f"a {type(value).__name__} of {len(value)}"
    if isinstance(value, np.ndarray) or _is_tensor(value):
        return f"an array of shape {tuple(value.shape)}"
    return f"a {type(value).__name__}"


def shapes_label(**arrays: Any) -> str:
    """`X (5, 3), w (3,), y (5,)` - how feedback names a case made of arrays."""
    parts = []
    for name, value in arrays.items():
        if isinstance(value, np.ndarray):
            parts.append(f"{name} {tuple(value.shape)}")
        else:
            parts.append(f"{name}={value!r}")
    return ", ".join(parts)


def case_rng(seed: int, *keys: str) -> np.random.Generator:
    """The generator that draws a question's cases: from a seed and names (question id,
    submission), so that every question and every student gets its own inputs."""
    digest = hashlib.sha256(":".join([str(seed), *keys]).encode()).digest()
    return np.random.default_rng(int.from_bytes(digest[:16], "little"))
