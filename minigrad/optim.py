"""``torch.optim``: the update a d2l reader writes by hand, packaged.

An optimizer holds *parameter groups*: ``SGD(net.parameters(), lr=0.1)`` makes one group;
``SGD([{"params": w, "weight_decay": 3}, {"params": b}], lr=0.1)`` makes two, each taking the
settings it does not give from the optimizer's defaults (d2l's weight decay chapter decays
the weights and not the bias this way).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ._refuse import refuse
from .tensor import Tensor

__all__ = ["Optimizer", "SGD", "Adam", "AdamW", "Adagrad", "RMSprop"]


class Optimizer:
    """Base class: ``param_groups``, ``state`` (per parameter), ``zero_grad``; a subclass
    defines ``step``.  A step computes on the arrays (``p._data``, ``p._grad._data``), which
    records nothing, so it needs no ``no_grad()`` around it (torch's steps do): the step runs
    after a big backward pass, whose data has pushed this code out of the CPU's caches, and
    every extra call then costs (the wrapper was 3 us of a 228 us compiled MLP step)."""

    def __init__(self, params: Any, defaults: dict[str, Any]) -> None:
        self.defaults = defaults
        self.state: dict[Tensor, dict[str, Any]] = {}
        self.param_groups: list[dict[str, Any]] = []
        if isinstance(params, Tensor):
            raise TypeError("params argument given to the optimizer should be an iterable of "
                            "Tensors or dicts, but got a Tensor: wrap it in a list, [w]")
        groups = list(params)
        if not groups:
            raise ValueError("optimizer got an empty parameter list")
        if not isinstance(groups[0], dict):
            groups = [{"params": groups}]
        for group in groups:
            self.add_param_group(group)

    def add_param_group(self, group: dict[str, Any]) -> None:
        group = dict(group)
        params = group["params"]
        group["params"] = [params] if isinstance(params, Tensor) else list(params)
        for p in group["params"]:
            if not isinstance(p, Tensor):
                raise TypeError(f"optimizer can only optimize Tensors, but one of the params is "
                                f"{type(p).__name__}")
            if not p.is_leaf:
                raise ValueError("can't optimize a non-leaf Tensor")
        seen = {id(p) for g in self.param_groups for p in g["params"]}
        if any(id(p) in seen for p in group["params"]):
            raise ValueError("some parameters appear in more than one parameter group")
        for key, value in self.defaults.items():
            group.setdefault(key, value)
        self.param_groups.append(group)

    def zero_grad(self, set_to_none: bool = True) -> None:
        for group in self.param_groups:
            for p in group["params"]:
                if set_to_none:
                    p._grad = None
                elif p._grad is not None:
                    p._grad.zero_()

    def step(self) -> None:
        raise NotImplementedError(f"{type(self).__name__} must define step()")

    def _gradients(self) -> Any:
        """(group, parameter, gradient) for each parameter that has a gradient, the gradient
        negated where the group climbs (``maximize``): where every rule's step starts."""
        for group in self.param_groups:
            for p in group["params"]:
                if p._grad is not None:
                    yield group, p, (-p._grad._data if group["maximize"] else p._grad._data)

    def __repr__(self) -> str:
        lines = [f"{type(self).__name__} ("]
        for i, group in enumerate(self.param_groups):
            lines.append(f"Parameter Group {i}")
            lines += [f"    {k}: {v}" for k, v in sorted(group.items()) if k != "params"]
        return "\n".join(lines) + "\n)"


class SGD(Optimizer):
    """d = grad + weight_decay * p;  with momentum, v = momentum * v + (1 - dampening) * d
    (v = d at the first step) and d = v (or d + momentum * v for Nesterov);  p -= lr * d."""

    def __init__(self, params: Any, lr: float = 1e-3, momentum: float = 0.0,
                 dampening: float = 0.0, weight_decay: float = 0.0, nesterov: bool = False,
                 maximize: bool = False) -> None:
        if lr < 0 or momentum < 0 or weight_decay < 0:
            raise ValueError(f"Invalid SGD setting: lr={lr}, momentum={momentum}, "
                             f"weight_decay={weight_decay} (each must be >= 0)")
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError("Nesterov momentum requires a momentum and zero dampening")
        super().__init__(params, {"lr": lr, "momentum": momentum, "dampening": dampening,
                                  "weight_decay": weight_decay, "nesterov": nesterov,
                                  "maximize": maximize})

    def step(self) -> None:
        for group, p, d in self._gradients():
            momentum, wd = group["momentum"], group["weight_decay"]
            if wd:
                d = d + wd * p._data
            if momentum:
                state = self.state.setdefault(p, {})
                v = state.get("momentum_buffer")
                v = d.copy() if v is None else momentum * v + (1 - group["dampening"]) * d
                state["momentum_buffer"] = v
                d = d + momentum * v if group["nesterov"] else v
            p._data -= group["lr"] * d


class Adam(Optimizer):
    """Adam (Kingma & Ba), in torch's order of operations.  With g the gradient and t the
    number of steps taken::

        m = m + (1 - beta1) * (g - m)              # running mean of g
        v = beta2 * v + (1 - beta2) * g * g        # running mean of g squared
        p -= lr / (1 - beta1**t) * m / (sqrt(v) / sqrt(1 - beta2**t) + eps)

    ``weight_decay`` adds ``weight_decay * p`` to g (AdamW instead shrinks p by
    ``lr * weight_decay`` first); ``amsgrad`` divides by the largest v so far; ``maximize``
    climbs."""

    def __init__(self, params: Any, lr: float = 1e-3, betas: tuple[float, float] = (0.9, 0.999),
                 eps: float = 1e-8, weight_decay: float = 0.0, amsgrad: bool = False, *,
                 maximize: bool = False, decoupled_weight_decay: bool = False) -> None:
        for what, value, ok in (("learning rate", lr, lr >= 0), ("epsilon value", eps, eps >= 0),
                                ("beta parameter at index 0", betas[0], 0 <= betas[0] < 1),
                                ("beta parameter at index 1", betas[1], 0 <= betas[1] < 1),
                                ("weight_decay value", weight_decay, weight_decay >= 0)):
            if not ok:
                raise ValueError(f"Invalid {what}: {value}")
        super().__init__(params, {"lr": lr, "betas": tuple(betas), "eps": eps,
                                  "weight_decay": weight_decay, "amsgrad": amsgrad,
                                  "maximize": maximize,
                                  "decoupled_weight_decay": decoupled_weight_decay})

    def step(self) -> None:
        for group, p, g in self._gradients():
            lr, (beta1, beta2), eps = group["lr"], group["betas"], group["eps"]
            wd = group["weight_decay"]
            state = self.state.setdefault(p, {})
            if not state:
                state.update(step=0, exp_avg=np.zeros_like(p._data),
                             exp_avg_sq=np.zeros_like(p._data))
                if group["amsgrad"]:
                    state["max_exp_avg_sq"] = np.zeros_like(p._data)
            state["step"] += 1
            if wd and group["decoupled_weight_decay"]:
                p._data *= 1 - lr * wd
            elif wd:
                g = g + wd * p._data
            m, v = state["exp_avg"], state["exp_avg_sq"]
            m += (1 - beta1) * (g - m)
            v *= beta2
            v += (1 - beta2) * g * g
            if group["amsgrad"]:
                np.maximum(state["max_exp_avg_sq"], v, out=state["max_exp_avg_sq"])
                v = state["max_exp_avg_sq"]
            t = state["step"]
            denom = np.sqrt(v) / (1 - beta2**t) ** 0.5 + eps
            p._data += -lr / (1 - beta1**t) * m / denom


class AdamW(Adam):
    """Adam with decoupled weight decay (Loshchilov & Hutter): p shrinks by
    ``lr * weight_decay`` each step, apart from the gradient's running means."""

    def __init__(self, params: Any, lr: float = 1e-3, betas: tuple[float, float] = (0.9, 0.999),
                 eps: float = 1e-8, weight_decay: float = 1e-2, amsgrad: bool = False, *,
                 maximize: bool = False) -> None:
        super().__init__(params, lr, betas, eps, weight_decay, amsgrad, maximize=maximize,
                         decoupled_weight_decay=True)


class Adagrad(Optimizer):
    """Adagrad: each coordinate's step shrinks with the squared gradients it has seen::

        s = s + g * g
        p -= lr / (1 + (t - 1) * lr_decay) * g / (sqrt(s) + eps)
    """

    def __init__(self, params: Any, lr: float = 1e-2, lr_decay: float = 0.0,
                 weight_decay: float = 0.0, initial_accumulator_value: float = 0.0,
                 eps: float = 1e-10, *, maximize: bool = False) -> None:
        _check(("learning rate", lr), ("lr_decay value", lr_decay),
               ("weight_decay value", weight_decay),
               ("initial_accumulator_value value", initial_accumulator_value),
               ("epsilon value", eps))
        super().__init__(params, {"lr": lr, "lr_decay": lr_decay, "weight_decay": weight_decay,
                                  "initial_accumulator_value": initial_accumulator_value,
                                  "eps": eps, "maximize": maximize})
        for group in self.param_groups:  # torch fills the sums when the optimiser is made
            for p in group["params"]:
                self.state[p] = {"step": 0, "sum": np.full_like(
                    p._data, group["initial_accumulator_value"])}

    def step(self) -> None:
        for group, p, g in self._gradients():
            state = self.state[p]
            state["step"] += 1
            if group["weight_decay"]:
                g = g + group["weight_decay"] * p._data
            lr = group["lr"] / (1 + (state["step"] - 1) * group["lr_decay"])
            state["sum"] += g * g
            p._data += -lr * g / (np.sqrt(state["sum"]) + group["eps"])


class RMSprop(Optimizer):
    """RMSprop: Adagrad with a leaky average of the squared gradients::

        v = alpha * v + (1 - alpha) * g * g
        p -= lr * g / (sqrt(v) + eps)

    ``centered`` subtracts the squared mean gradient from v; ``momentum`` keeps a velocity of
    those steps instead, as SGD's momentum does."""

    def __init__(self, params: Any, lr: float = 1e-2, alpha: float = 0.99, eps: float = 1e-8,
                 weight_decay: float = 0.0, momentum: float = 0.0, centered: bool = False,
                 *, maximize: bool = False) -> None:
        _check(("learning rate", lr), ("epsilon value", eps), ("momentum value", momentum),
               ("weight_decay value", weight_decay), ("alpha value", alpha))
        super().__init__(params, {"lr": lr, "alpha": alpha, "eps": eps,
                                  "weight_decay": weight_decay, "momentum": momentum,
                                  "centered": centered, "maximize": maximize})

    def step(self) -> None:
        for group, p, g in self._gradients():
            alpha, momentum = group["alpha"], group["momentum"]
            state = self.state.setdefault(p, {})
            if not state:
                state.update(step=0, square_avg=np.zeros_like(p._data))
                if momentum > 0:
                    state["momentum_buffer"] = np.zeros_like(p._data)
                if group["centered"]:
                    state["grad_avg"] = np.zeros_like(p._data)
            state["step"] += 1
            if group["weight_decay"]:
                g = g + group["weight_decay"] * p._data
            v = state["square_avg"]
            v *= alpha
            v += (1 - alpha) * g * g
            if group["centered"]:
                mean = state["grad_avg"]
                mean += (1 - alpha) * (g - mean)
                avg = np.sqrt(v - mean * mean) + group["eps"]
            else:
                avg = np.sqrt(v) + group["eps"]
            if momentum > 0:
                buf = state["momentum_buffer"]
                buf *= momentum
                buf += g / avg
                p._data += -group["lr"] * buf
            else:
                p._data += -group["lr"] * g / avg


def _check(*settings: tuple[str, float]) -> None:
    """torch's refusal of a negative setting: ``Invalid learning rate: -1``."""
    for what, value in settings:
        if value < 0:
            raise ValueError(f"Invalid {what}: {value}")


def __getattr__(name: str) -> Any:
    raise refuse(f"torch.optim.{name}", f"module 'torch.optim' has no attribute '{name}'",
                 "minigrad.optim has SGD (with momentum, weight decay and parameter groups), "
                 "Adagrad, RMSprop, Adam, AdamW and the Optimizer base class: subclass it and "
                 "write step() for other rules")
