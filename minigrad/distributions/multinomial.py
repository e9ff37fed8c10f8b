"""``Multinomial(total_count, probs)``: counts of ``total_count`` draws among k outcomes."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .. import creation
from ..tensor import Size, Tensor


class Multinomial:
    """Draws ``total_count`` times among the outcomes of ``probs`` (the last dimension; it is
    normalised to sum to 1, and ``logits`` may be given instead); ``sample(shape)`` returns the
    counts, floats of the probabilities' dtype, of shape ``shape + probs.shape``."""

    def __init__(self, total_count: int = 1, probs: Any = None, logits: Any = None,
                 validate_args: Any = None) -> None:
        if (probs is None) == (logits is None):
            raise ValueError("Either `probs` or `logits` must be specified, but not both.")
        if isinstance(total_count, bool) or int(total_count) != total_count or total_count < 0:
            raise ValueError(f"total_count must be a non-negative integer, got {total_count}")
        self.total_count = int(total_count)
        if probs is not None:
            p = _array(probs)
            if p.ndim == 0 or not np.all(np.isfinite(p)) or np.any(p < 0) or not np.all(
                    p.sum(-1) > 0):
                raise ValueError(f"Expected parameter probs of shape {tuple(p.shape)} to be "
                                 f"non-negative and finite, with a positive sum, but found "
                                 f"{p}")
            p = p / p.sum(-1, keepdims=True)
        else:
            z = _array(logits)
            z = np.exp(z - z.max(-1, keepdims=True))
            p = z / z.sum(-1, keepdims=True)
        self._probs = p

    @property
    def probs(self) -> Tensor:
        return Tensor._wrap(self._probs.copy())

    @property
    def batch_shape(self) -> Any:
        return Size(self._probs.shape[:-1])

    @property
    def event_shape(self) -> Any:
        return Size(self._probs.shape[-1:])

    @property
    def mean(self) -> Tensor:
        return Tensor._wrap(self.total_count * self._probs)

    @property
    def variance(self) -> Tensor:
        return Tensor._wrap(self.total_count * self._probs * (1 - self._probs))

    def sample(self, sample_shape: Any = ()) -> Tensor:
        shape = tuple(sample_shape) + self._probs.shape[:-1]
        p = np.broadcast_to(self._probs.astype(np.float64), shape + self._probs.shape[-1:])
        counts = creation._rng.multinomial(self.total_count, p)
        return Tensor._wrap(counts.astype(self._probs.dtype))

    def log_prob(self, value: Any) -> Tensor:
        """log P(counts): log n! - sum log k_i! + sum k_i log p_i."""
        k = _array(value).astype(np.float64)
        terms = np.vectorize(math.lgamma)
        log_p = np.log(self._probs.astype(np.float64))
        out = terms(k.sum(-1) + 1) - terms(k + 1).sum(-1) + np.where(k > 0, k * log_p, 0).sum(-1)
        return Tensor._wrap(np.asarray(out, dtype=self._probs.dtype))

    def __repr__(self) -> str:
        return "Multinomial()"


def _array(x: Any) -> np.ndarray:
    t = x if isinstance(x, Tensor) else Tensor(x)
    a = t._data
    return a if a.dtype.kind == "f" else a.astype(np.float32)
