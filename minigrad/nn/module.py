"""``torch.nn.Module`` and ``torch.nn.Parameter``.

A Module finds its parameters and sub-modules among its attributes, in definition order (no
registration step): a ``Parameter`` (or a leaf tensor that requires grad) is a parameter; a
Module, or a list, tuple or dict of them, is a sub-module.  ``self._modules[name] = layer`` and
``add_module(name, layer)`` work too, as d2l's ``MySequential`` writes.  Names follow torch:
``"0.weight"`` in a Sequential, ``"hidden.bias"`` for an attribute, so ``state_dict()`` and
``load_state_dict()`` exchange weights with code written for torch's names.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterator
from typing import Any, NamedTuple

import numpy as np

from .. import _device, _dtype, creation
from .._grad_mode import no_grad
from ..tensor import Tensor


class Parameter(Tensor):
    """A leaf tensor that a Module registers as one of its parameters (``torch.nn.Parameter``).

    It shares ``data``'s array (no copy), is a leaf even if ``data`` was computed, and
    requires a gradient unless told not to.  What is computed from it is a plain Tensor.
    """

    def __init__(self, data: Tensor | None = None, requires_grad: bool = True) -> None:
        if data is None:
            data = creation.empty(0)
        if not isinstance(data, Tensor):
            raise TypeError(f"nn.Parameter takes a Tensor, not {type(data).__name__}: write "
                            f"nn.Parameter(minigrad.tensor(...))")
        self._data = data._data
        self._requires_grad = False
        self.grad_fn = self._tangent = None
        if requires_grad:
            self.requires_grad_(True)

    def __repr__(self) -> str:
        return "Parameter containing:\n" + super().__repr__()

    def __reduce__(self) -> tuple[Any, ...]:  # copy.deepcopy and pickle keep the class
        return (Parameter, (Tensor._wrap(self._data.copy()), self._requires_grad))


def _is_parameter(value: Any) -> bool:
    return isinstance(value, Parameter) or (
        isinstance(value, Tensor) and value.requires_grad and value.is_leaf)


class _IncompatibleKeys(NamedTuple):
    missing_keys: list[str]
    unexpected_keys: list[str]


class UninitializedParameter(Parameter):
    """A parameter of a lazy layer before its shape is known (``nn.LazyLinear``): it holds no
    values until ``materialize`` gives it a shape, in place, so that whoever already holds it
    (an optimiser) holds the filled parameter."""

    def __init__(self, requires_grad: bool = True) -> None:
        super().__init__(creation.empty(0), requires_grad)

    def materialize(self, shape: tuple[int, ...], dtype: Any = None) -> None:
        self._data = np.zeros(shape, dtype=dtype or self._data.dtype)
        self.__class__ = Parameter  # type: ignore[assignment]  # as torch's does

    def __repr__(self) -> str:
        return "<UninitializedParameter>"


class Module:
    """Holds parameters and sub-modules found among its attributes, in definition order."""

    training = True  # until train(False)/eval(); a subclass need not call __init__

    def __init__(self) -> None:
        self.training = True
        self._modules: dict[str, Module] = OrderedDict()

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.forward(*args, **kwargs)

    def forward(self, *args: Any) -> Any:
        raise NotImplementedError(f"{type(self).__name__} must define forward()")

    def add_module(self, name: str, module: Module) -> None:
        """Register ``module`` under ``name`` (any string: d2l names blocks "block 0")."""
        if not isinstance(module, Module):
            raise TypeError(f"add_module: {type(module).__name__} is not a Module")
        if "_modules" not in vars(self):
            self._modules = OrderedDict()
        self._modules[name] = module

    # -- what a module holds, by name ----------------------------------------------------
    def named_children(self) -> Iterator[tuple[str, Module]]:
        """The sub-modules held directly, with torch's names: the attribute's name, and
        ``name.i`` / ``name.key`` inside a list or dict attribute (``_modules``: the key)."""
        for name, value in vars(self).items():
            if isinstance(value, Module):
                yield name, value
            elif isinstance(value, (list, tuple)):
                yield from ((f"{name}.{i}", v) for i, v in enumerate(value)
                            if isinstance(v, Module))
            elif isinstance(value, dict):
                yield from ((k if name == "_modules" else f"{name}.{k}", v)
                            for k, v in value.items() if isinstance(v, Module))

    def children(self) -> Iterator[Module]:
        for _, child in self.named_children():
            yield child

    def named_modules(self, prefix: str = "",
                      remove_duplicate: bool = True) -> Iterator[tuple[str, Module]]:
        """This module and every module below it, each once (a shared layer too, unless
        ``remove_duplicate=False``: then under each of its names)."""
        seen: set[int] = set()
        todo = [(prefix, self)]
        while todo:
            name, module = todo.pop()
            if id(module) in seen and remove_duplicate:
                continue
            seen.add(id(module))
            yield name, module
            todo += reversed([(f"{name}.{child}" if name else child, m)
                              for child, m in module.named_children()])

    def modules(self) -> Iterator[Module]:
        for _, module in self.named_modules():
            yield module

    def named_parameters(self, prefix: str = "",
                         remove_duplicate: bool = True) -> Iterator[tuple[str, Tensor]]:
        """Each parameter once (a layer used twice shares its parameters), with torch's name:
        ``"0.weight"`` is the weight of a Sequential's first layer."""
        seen: set[int] = set()
        for path, module in self.named_modules(prefix, remove_duplicate):
            for name, value in vars(module).items():
                if _is_parameter(value) and (id(value) not in seen or not remove_duplicate):
                    seen.add(id(value))
                    yield (f"{path}.{name}" if path else name), value

    def parameters(self) -> Iterator[Tensor]:
        for _, p in self.named_parameters():
            yield p

    # -- saving and loading weights ------------------------------------------------------
    def state_dict(self) -> OrderedDict[str, Tensor]:
        """Each parameter's tensor by name, sharing its data, outside the graph (a shared
        layer's under each of its names, as torch writes them)."""
        return OrderedDict((name, p.detach())
                           for name, p in self.named_parameters(remove_duplicate=False))

    def load_state_dict(self, state_dict: dict[str, Any], strict: bool = True) -> _IncompatibleKeys:
        """Copy the tensors of ``state_dict`` into the parameters of the same names."""
        own = dict(self.named_parameters(remove_duplicate=False))
        missing = [k for k in own if k not in state_dict]
        unexpected = [k for k in state_dict if k not in own]
        errors = [f"size mismatch for {k}: copying a param with shape {tuple(np.shape(v))} "
                  f"from checkpoint, the shape in current model is {tuple(own[k].shape)}."
                  for k, v in state_dict.items() if k in own
                  and tuple(np.shape(v)) != tuple(own[k].shape)
                  and not isinstance(own[k], UninitializedParameter)]
        if strict:
            for what, keys in (("Missing", missing), ("Unexpected", unexpected)):
                if keys:
                    named = ", ".join(f'"{k}"' for k in keys)
                    errors.append(f"{what} key(s) in state_dict: {named}. ")
        if errors:
            raise RuntimeError(f"Error(s) in loading state_dict for {type(self).__name__}:\n\t"
                               + "\n\t".join(errors))
        with no_grad():
            for k, p in own.items():
                if k in state_dict:
                    value = state_dict[k]
                    value = value if isinstance(value, Tensor) else Tensor(np.asarray(value))
                    if isinstance(p, UninitializedParameter):  # a lazy layer takes its shape
                        p.materialize(value._data.shape, value._data.dtype)
                    p.copy_(value)
        return _IncompatibleKeys(missing, unexpected)

    # -- the rest of torch's Module ------------------------------------------------------
    def zero_grad(self, set_to_none: bool = True) -> None:
        for p in self.parameters():
            p.grad = None

    def apply(self, fn: Callable[[Module], Any]) -> Module:
        """Call ``fn`` on every sub-module, then on this one (d2l initialises weights so)."""
        for child in self.children():
            child.apply(fn)
        fn(self)
        return self

    def train(self, mode: bool = True) -> Module:
        for module in self.modules():
            module.training = bool(mode)
        return self

    def eval(self) -> Module:
        return self.train(False)

    def _cast(self, dtype: Any) -> Module:
        for module in self.modules():
            for name, value in list(vars(module).items()):
                if isinstance(value, Tensor):
                    setattr(module, name,
                            Parameter(value.detach().to(dtype), value.requires_grad))
        return self

    def to(self, *args: Any, **kwargs: Any) -> Module:
        """``net.to(device)``: the CPU is the only device, so the net stays where it is;
        ``net.to(dtype)`` (or ``dtype=``) casts its tensors, as ``double()`` does."""
        dtype = kwargs.get("dtype")
        _device.check(kwargs.get("device"))
        for a in args:
            if isinstance(a, (_dtype.dtype, np.dtype, type)):
                dtype = a
            else:
                _device.check(a)
        return self if dtype is None else self._cast(dtype)

    def cpu(self) -> Module:
        return self

    def cuda(self, device: Any = None) -> Module:
        """Refused, as ``Tensor.cuda``: the CPU is the only device."""
        _device.check_cuda(device)
        return self

    def double(self) -> Module:
        return self._cast(np.float64)

    def float(self) -> Module:
        return self._cast(np.float32)

    def __repr__(self) -> str:
        inner = "".join(f"\n  ({name}): {_indent(repr(c))}" for name, c in self.named_children())
        return f"{type(self).__name__}({self.extra_repr()}{inner}{chr(10) if inner else ''})"

    def extra_repr(self) -> str:
        return ""


def _indent(text: str) -> str:
    return text.replace("\n", "\n  ")
