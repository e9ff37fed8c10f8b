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
    """A known mistake: the outputs it would produce on a case, its tag and one sentence."""

    tag: str
    advice: str
    output: Callable[[Case, Outputs], Sequence[Any]]

    def __post_init__(self) -> None:
        assert self.tag in MISCONCEPTIONS, self.tag


@dataclass(frozen=True)
class Verdict:
    """Why one case failed. `detail` names the case and shows expected vs got."""

    detail: str
    tag: str | None = None
    advice: str = ""


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
    notes: dict[str, str] = field(default_factory=dict)


def forbidden(q: Question) -> tuple[str, ...]:
    """The tools switched off while an answer to `q` runs (a by-hand question: autograd)."""
    return (("autograd",) if q.by_hand else ()) + q.forbids


def as_array(value: Any) -> np.ndarray:
    """Turn whatever the student returned (list, numpy, minigrad or torch tensor, number)
    into a float64 array, without trusting its comparison operators."""
    if value is None:
        raise NotImplementedError("returned None - is the stub still there?")
    for attr in ("detach", "cpu"):
        method = getattr(value, attr, None)
        if callable(method) and type(value).__module__.split(".")[0] in ("torch", "minigrad"):
            value = method()
    if type(value).__module__.split(".")[0] in ("torch", "minigrad"):
        value = value.numpy()
    array = np.array(value, dtype=np.float64, copy=True)
    if array.dtype != np.float64:
        raise TypeError(f"expected numbers, got {type(value).__name__}")
    return array


def as_outputs(values: Sequence[Any]) -> Outputs:
    """Convert a driver's result (a sequence of array-likes) to `Outputs`."""
    return tuple(as_array(v) for v in values)


def call(*names: str, outputs: int = 1) -> Callable[[Any, Case], Sequence[Any]]:
    """The usual driver: call the answer with copies of `args[name]` for each name in order.
    With `outputs > 1` the answer must return that many values (a tuple or list)."""

    def drive(answer: Any, case: Case) -> Sequence[Any]:
        result = answer(*(_copy(case.args[n]) for n in names))
        if outputs == 1:
            return (result,)
        if result is None:
            raise NotImplementedError("returned None - is the stub still there?")
        if not isinstance(result, (tuple, list)) or len(result) != outputs:
            raise TypeError(f"expected a tuple of {outputs} values, got {_describe(result)}")
        return tuple(result)

    return drive


def _copy(value: Any) -> Any:
    return value.copy() if isinstance(value, np.ndarray) else value


def _describe(value: Any) -> str:
    if isinstance(value, (tuple, list)):
        return f"a {type(value).__name__} of {len(value)}"
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
