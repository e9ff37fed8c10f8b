"""By-hand questions (lessons 01, 02, 04, 05) are solved with numpy: while they are graded,
torch and minigrad's automatic differentiation are switched off and say why."""

from __future__ import annotations

import importlib.abc
import sys
import types
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from .messages import text

# The ways to get a derivative without writing it: patched while a by-hand answer runs.
ENTRY_POINTS = (
    "torch.Tensor.backward",
    "torch.autograd.grad",
    "torch.autograd.backward",
    "torch.autograd.functional.jacobian",
    "torch.autograd.functional.hessian",
    "torch.autograd.functional.vjp",
    "torch.autograd.functional.jvp",
    "torch.autograd.functional.hvp",
    "torch.func.grad",
    "torch.func.vjp",
    "torch.func.jvp",
    "torch.func.jacrev",
    "torch.func.jacfwd",
    "torch.func.hessian",
    "minigrad.Tensor.backward",
    "minigrad.autograd.grad",
    "minigrad.autograd.backward",
    "minigrad.autograd.functional.jacobian",
    "minigrad.autograd.functional.hessian",
    "minigrad.autograd.functional.vjp",
    "minigrad.autograd.functional.jvp",
    "minigrad.autograd.functional.hvp",
    "minigrad.autograd.forward_ad.make_dual",
    "minigrad.func.grad",
    "minigrad.func.vjp",
    "minigrad.func.jvp",
    "minigrad.func.jacrev",
    "minigrad.func.jacfwd",
    "minigrad.func.hessian",
    "minigrad.autograd.unbroadcast",
    "minigrad.autograd.functional.vhp",
    "minigrad.func.grad_and_value",
    # the engine itself, and the private names other modules import it under
    "minigrad.autograd.engine.grad",
    "minigrad.autograd.engine.backward",
    "minigrad.autograd.engine.run_backward",
    "minigrad.autograd.engine.unbroadcast",
    "minigrad.autograd.functional._grad",
    "minigrad.func._autograd_grad",
    "minigrad.symbolic._grad",
    "minigrad.compiler.node.grad",
    "minigrad.compiler.build.unbroadcast",
    # derivatives computed for the student: symbolic graphs, gradcheck's analytical and
    # numerical Jacobians, finite differences, and compiled backward code
    "minigrad.symbolic.gradients",
    "minigrad.autograd.gradcheck",
    "minigrad.autograd.gradgradcheck",
    "minigrad.numeric.gradcheck",
    "minigrad.numeric.gradgradcheck",
    "minigrad.numeric._grad",
    "minigrad.numeric._analytical_reverse",
    "minigrad.numeric._analytical_forward",
    "minigrad.numeric._numerical",
    "minigrad.numeric.forward_difference",
    "minigrad.numeric.central_difference",
    "minigrad.numeric.numerical_jacobian",
    "minigrad.compile",
    "minigrad.compiler.compile",
    "minigrad.compiler.Compiled",
)


def refusal(tool: str, what: str) -> str:
    """The sentence a switched-off `what` raises for `tool`: the English text of the catalog
    (messages "refused.<tool>"); the trusted parent words it in the student's language."""
    return text(f"refused.{tool}", "en", what=what)


# Tools a question can forbid (`Question.forbids`): each is a set of entry points (its refusal
# says which method the exercise asks for instead: messages "refused.<tool>").  A by-hand
# question forbids "autograd".
def _ending(*suffixes: str) -> tuple[str, ...]:
    return tuple(e for e in ENTRY_POINTS if e.endswith(suffixes))


TOOLS: dict[str, tuple[str, ...]] = {
    "autograd": ENTRY_POINTS,
    "reverse_mode": _ending(".backward", ".grad", ".vjp", ".jacrev", ".jacobian", ".hessian",
                            ".hvp", "_grad", ".run_backward", ".grad_and_value"),
    "forward_mode": _ending(".jvp", ".jacfwd", ".make_dual", ".jacobian", ".hessian", ".hvp"),
    "functional_hessian": _ending(".hvp", ".hessian", ".vhp", ".jacobian", ".jacrev", ".jacfwd"),
    "recursion_limit": ("sys.setrecursionlimit",),
}


class Refused(ImportError):
    """Raised instead of automatic differentiation in a by-hand exercise."""


refusals = 0  # how many times a switched-off tool was called (even if the error was caught)


def _refuse_with(message: str) -> Any:
    def refused(*args: Any, **kwargs: Any) -> Any:
        global refusals
        refusals += 1
        raise Refused(message)

    return refused


def _resolve(dotted: str) -> tuple[Any, str] | None:
    """(owner, attribute) for an entry point whose module is already imported."""
    module, *path = dotted.split(".")
    owner: Any = sys.modules.get(module)
    if isinstance(owner, SwitchedOff):
        return None
    for name in path[:-1]:
        owner = getattr(owner, name, None)
    if owner is None or not hasattr(owner, path[-1]):
        return None
    return owner, path[-1]


_INHERITED = object()


def _op_rules() -> tuple[str, ...]:
    """minigrad's derivative rules themselves (``minigrad.ops.arithmetic.Mul.backward`` ...):
    calling them directly would also skip the exercise."""
    registry = getattr(sys.modules.get("minigrad.autograd.engine"), "REGISTRY", {})
    return tuple(f"{op.__module__}.{name}.{rule}" for name, op in registry.items()
                 for rule in ("backward", "jvp"))


def _entry_points(tools: Iterable[str]) -> list[tuple[str, str]]:
    """(dotted entry point, refusal message) for every entry point of the named tools."""
    found: dict[str, str] = {}
    for tool in tools:
        points = TOOLS[tool] + (_op_rules() if tool == "autograd" else ())
        for dotted in points:
            found.setdefault(dotted, refusal(tool, dotted))
    return list(found.items())


def switch_off(tools: Iterable[str]) -> list[tuple[Any, str, Any]]:
    """Replace every loaded entry point of `tools` by one that raises `Refused`; returns what
    `restore` needs.  The grading child calls it once and never restores."""
    saved = []
    for dotted, message in _entry_points(tools):
        found = _resolve(dotted)
        if found is not None:
            owner, name = found
            own = vars(owner) if isinstance(owner, type) else owner.__dict__
            saved.append((owner, name, own.get(name, _INHERITED)))
            setattr(owner, name, _refuse_with(message))
    return saved


def restore(saved: list[tuple[Any, str, Any]]) -> None:
    for owner, name, original in reversed(saved):
        if original is _INHERITED:  # it came from a base class: uncover it again
            delattr(owner, name)
        else:
            setattr(owner, name, original)


@contextmanager
def forbid(tools: Iterable[str]) -> Iterator[None]:
    """Switch the named `TOOLS` off while an answer runs, then restore them."""
    saved = switch_off(tools)
    try:
        yield
    finally:
        restore(saved)


def by_hand() -> Any:
    """Switch off every way to get a derivative without writing it (then restore it)."""
    return forbid(("autograd",))


# What a by-hand child may import besides the standard library: numpy, minigrad (its autograd
# switched off, for narrative cells), matplotlib and what it imports.  Anything else - sympy,
# jax, another autograd - is refused, and is not even in the child's file system.
BY_HAND_PACKAGES = frozenset({
    "numpy", "minigrad", "matplotlib", "mpl_toolkits", "PIL", "kiwisolver", "cycler",
    "dateutil", "pyparsing", "contourpy", "fontTools", "packaging", "six", "grader",
    "_distutils_hack", "__editable___minigrad_course_0_1_0_finder",
})


class AllowOnly(importlib.abc.MetaPathFinder):
    """Refuses to import any module that is neither in the standard library nor in `allowed`,
    and any module of minigrad not already loaded (so that minigrad cannot be re-imported
    with its automatic differentiation switched on again)."""

    def __init__(self, allowed: frozenset[str]) -> None:
        self.allowed = allowed

    def find_spec(self, fullname: str, path: Any, target: Any = None) -> None:
        top = fullname.split(".")[0]
        standard = top in sys.stdlib_module_names or top.startswith("_sysconfigdata")
        if top == "minigrad" or not (top in self.allowed or standard):
            global refusals
            refusals += 1
            raise Refused(text("refused.import", "en", what=fullname))
        return None


def allow_only(allowed: frozenset[str]) -> None:
    """In the sandbox only, for the rest of the process: imports outside `allowed` fail."""
    sys.meta_path.insert(0, AllowOnly(allowed))


class BlockTorch(importlib.abc.MetaPathFinder):
    """In the grading sandbox of a by-hand lesson, importing torch's submodules fails."""

    def find_spec(self, fullname: str, path: Any, target: Any = None) -> None:
        if fullname.split(".")[0] in ("torch", "functorch") and fullname != "torch":
            raise Refused(refusal("autograd", "torch"))
        return None


class SwitchedOff(types.ModuleType):
    """Stands in for `torch` in the sandbox of a by-hand lesson: importing it works, using it
    raises `Refused` with the reason."""

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        if name == "Tensor":  # libraries ask "is this a torch tensor?" (matplotlib does): no
            return _NoTensor
        raise Refused(refusal("autograd", "torch"))


class Unavailable:
    """What a name holds in the sandbox of a by-hand lesson when the line that should have made
    it used torch: any use of it is refused too, so that one refused line of a narrative cell
    does not turn into a NameError in every cell after it."""

    def __init__(self, name: str) -> None:
        object.__setattr__(self, "_name", name)

    def __repr__(self) -> str:
        return f"<{object.__getattribute__(self, '_name')}: not computed, torch is switched off>"

    def _refuse(self, *args: Any, **kwargs: Any) -> Any:
        name = object.__getattribute__(self, "_name")
        raise Refused(f"`{name}` was not made: the line that makes it uses a tool that is "
                      "switched off while this exercise is graded (it is solved by hand, "
                      "with numpy).")


for _dunder in ("getattr", "setattr", "call", "getitem", "setitem", "iter", "len", "bool",
                "float", "int", "index", "array", "neg", "pos", "abs", "invert", "lt", "le",
                "gt", "ge", *(f"{r}{op}" for op in ("add", "sub", "mul", "truediv", "floordiv",
                                                   "mod", "pow", "matmul", "and", "or", "xor")
                              for r in ("", "r", "i"))):
    setattr(Unavailable, f"__{_dunder}__", Unavailable._refuse)


class _NoTensor:
    """What `torch.Tensor` is while torch is switched off: a class nothing is an instance of."""

    def __new__(cls, *args: Any, **kwargs: Any) -> Any:
        raise Refused(refusal("autograd", "torch"))


def switch_off_torch() -> None:
    """In the sandbox only: `torch` becomes `SwitchedOff`, its submodules cannot be imported."""
    torch = SwitchedOff("torch")
    torch.__path__ = []  # a package, so that `import torch.autograd` asks BlockTorch: refused
    sys.modules["torch"] = torch
    sys.meta_path.insert(0, BlockTorch())


def mentions_torch(answer: Any) -> bool:
    """Whether the code of a function or of a class's methods names `torch` (the practice
    path's stand-in for the sandbox, where torch is switched off for by-hand exercises)."""
    functions = (
        [getattr(v, "__func__", v) for v in vars(answer).values()]
        if isinstance(answer, type)
        else [answer]
    )
    codes = [
        f.__code__ for f in functions if isinstance(getattr(f, "__code__", None), types.CodeType)
    ]
    while codes:
        code = codes.pop()
        if "torch" in code.co_names:
            return True
        codes += [c for c in code.co_consts if isinstance(c, types.CodeType)]
    return False
