"""Workload 3: one SGD step of an MLP 784-128-10 (tanh, softmax cross-entropy), batch 64.

minigrad and torch run the very same code (``lib.nn.Linear``, ``lib.nn.functional
.cross_entropy``, ``lib.optim.SGD``) from the same float32 weights; the numpy floor writes
forward, backward and the update by hand.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch
from common import ENGINES, Result, Table, agree_with_torch, measure

import minigrad

SIZES, BATCH, LR = (784, 128, 10), 64, 0.1
LIBS = (("minigrad", minigrad), ("torch", torch))


def data(batch: int = BATCH) -> tuple[np.ndarray, np.ndarray, list[np.ndarray]]:
    """Inputs, labels and the initial (W1, b1, W2, b2), float32, from a fixed seed."""
    rng = np.random.default_rng(0)
    x = rng.standard_normal((batch, SIZES[0])).astype(np.float32)
    labels = rng.integers(0, SIZES[2], batch)
    params = []
    for fan_in, fan_out in zip(SIZES[:-1], SIZES[1:], strict=True):
        bound = 1 / np.sqrt(fan_in)
        params.append(rng.uniform(-bound, bound, (fan_out, fan_in)).astype(np.float32))
        params.append(rng.uniform(-bound, bound, fan_out).astype(np.float32))
    return x, labels, params


class Step:
    """The training step a d2l reader writes, for ``lib`` = minigrad or torch."""

    def __init__(self, lib: Any, x: np.ndarray, labels: np.ndarray,
                 params: list[np.ndarray]) -> None:
        self.lib = lib
        self.layers = [lib.nn.Linear(a, b) for a, b in zip(SIZES[:-1], SIZES[1:], strict=True)]
        with lib.no_grad():
            for layer, (w, b) in zip(self.layers, zip(params[::2], params[1::2], strict=True),
                                     strict=True):
                layer.weight.copy_(lib.tensor(w))
                layer.bias.copy_(lib.tensor(b))
        self.parameters = [p for layer in self.layers for p in (layer.weight, layer.bias)]
        self.optimizer = lib.optim.SGD(self.parameters, lr=LR)
        self.x, self.labels = lib.tensor(x), lib.tensor(labels)

    def __call__(self) -> Any:
        self.optimizer.zero_grad()
        hidden = self.lib.tanh(self.layers[0](self.x))
        loss = self.lib.nn.functional.cross_entropy(self.layers[1](hidden), self.labels)
        loss.backward()
        self.optimizer.step()
        return loss

    def grads(self) -> list[np.ndarray]:
        return [p.grad.numpy() for p in self.parameters]


def numpy_step(x: np.ndarray, labels: np.ndarray, params: list[np.ndarray],
               with_loss: bool = True) -> list[Any]:
    """Forward, backward by hand, then W <- W - lr*dW in place; returns the loss (as every
    engine's step does: a training loop reports it) and the gradients.  ``with_loss=False``
    skips the loss, which the gradients do not need (bench/compile.py shows both)."""
    w1, b1, w2, b2 = params
    hidden = np.tanh(x @ w1.T + b1)
    logits = hidden @ w2.T + b2
    exp = np.exp(logits - logits.max(axis=1, keepdims=True))
    probs = exp / exp.sum(axis=1, keepdims=True)
    rows = np.arange(len(labels))
    loss = -np.log(probs[rows, labels]).mean() if with_loss else None  # mean of -log p[y]
    d_logits = probs
    d_logits[rows, labels] -= 1  # d(cross-entropy)/d logits = softmax - one_hot, over batch
    d_logits /= len(labels)
    d_hidden = (d_logits @ w2) * (1 - hidden * hidden)  # tanh' = 1 - tanh^2
    grads = [d_hidden.T @ x, d_hidden.sum(axis=0), d_logits.T @ hidden, d_logits.sum(axis=0)]
    for p, g in zip(params, grads, strict=True):
        p -= LR * g
    return [loss, *grads]


def check() -> None:
    """One step from the same weights: the same loss, gradients and updated weights as torch."""
    x, labels, params = data(batch=8)
    results = {"numpy": numpy_step(x, labels, params) + params}
    for name, lib in LIBS:
        step = Step(lib, *data(batch=8))
        loss = step()
        results[name] = [loss.detach().numpy()] + step.grads() + [
            p.detach().numpy() for p in step.parameters]
    agree_with_torch(results, "MLP step", rtol=1e-4, atol=1e-6)


def run(quick: bool = False) -> Result:
    check()
    repeats, warmup = (1, 0) if quick else (30, 3)
    x, labels, params = data()
    steps = {name: Step(lib, x, labels, [p.copy() for p in params]) for name, lib in LIBS}
    steps["numpy"] = lambda: numpy_step(x, labels, params)
    ms = {name: measure(steps[name], repeats=repeats, warmup=warmup).forward * 1e3
          for name in ENGINES}
    table = Table("3. MLP step 784-128-10, tanh, cross-entropy, batch 64, float32, SGD")
    table.add("zero_grad+forward+backward+step", "ms/step", *(ms[e] for e in ENGINES))
    table.notes.append(f"median of {repeats} consecutive steps after {warmup} warm-up steps.")
    return Result([table])


if __name__ == "__main__":
    from common import agree_with_torch, main

    main(run, doc=__doc__)
