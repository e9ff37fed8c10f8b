"""``torch.utils.data``: a dataset is anything with ``len`` and ``[i]``; a loader batches it.

d2l's chapters feed minibatches with ``DataLoader(TensorDataset(X, y), batch_size,
shuffle=True)``; the same lines work here.  Shuffling draws from minigrad's own generator
(seeded by ``minigrad.manual_seed``), so the order differs from torch's for the same seed.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np

from .. import creation
from ..functional import stack
from ..tensor import Tensor

__all__ = ["Dataset", "TensorDataset", "Subset", "DataLoader", "random_split"]


class Dataset:
    """Base class: a subclass defines ``__getitem__`` (and usually ``__len__``)."""

    def __getitem__(self, index: int) -> Any:
        raise NotImplementedError(f"{type(self).__name__} must define __getitem__")


class TensorDataset(Dataset):
    """Sample ``i`` is ``(t[i] for t in tensors)``; every tensor has the same first size."""

    def __init__(self, *tensors: Tensor) -> None:
        if not tensors or any(len(t) != len(tensors[0]) for t in tensors):
            raise ValueError("Size mismatch between tensors: TensorDataset needs tensors with "
                             "the same first dimension (one row per sample)")
        self.tensors = tensors

    def __getitem__(self, index: Any) -> tuple[Tensor, ...]:
        return tuple(t[index] for t in self.tensors)

    def __len__(self) -> int:
        return len(self.tensors[0])


class Subset(Dataset):
    """The samples of ``dataset`` at ``indices``, in that order."""

    def __init__(self, dataset: Any, indices: Sequence[int]) -> None:
        self.dataset, self.indices = dataset, list(indices)

    def __getitem__(self, index: int) -> Any:
        return self.dataset[self.indices[index]]

    def __len__(self) -> int:
        return len(self.indices)


def random_split(dataset: Any, lengths: Sequence[float], generator: Any = None) -> list[Subset]:
    """Split ``dataset`` at random into parts of the given sizes (or fractions that sum to 1)."""
    n = len(dataset)
    sizes = [int(x) for x in lengths]
    if lengths and all(0 <= x <= 1 for x in lengths) and math.isclose(sum(lengths), 1) \
            and sum(sizes) != n:
        sizes = [math.floor(n * x) for x in lengths]
        for i in range(n - sum(sizes)):  # the remainder, one each, round-robin (as torch)
            sizes[i % len(sizes)] += 1
    if sum(sizes) != n:
        raise ValueError("Sum of input lengths does not equal the length of the input dataset!")
    order = creation.randperm(n).tolist()
    parts, start = [], 0
    for size in sizes:
        parts.append(Subset(dataset, order[start : start + size]))
        start += size
    return parts


def default_collate(samples: list[Any]) -> Any:
    """Stack a list of samples into one batch: tuples field by field, numbers into a tensor."""
    first = samples[0]
    if isinstance(first, Tensor):
        return stack(samples)
    if isinstance(first, (tuple, list)):
        return [default_collate(list(field)) for field in zip(*samples)]
    if isinstance(first, (int, float, np.number)):
        return creation.tensor(samples)
    return samples


class DataLoader:
    """Iterate over ``dataset`` in minibatches of ``batch_size`` (the last may be smaller,
    unless ``drop_last``), in a new random order each epoch when ``shuffle``."""

    def __init__(self, dataset: Any, batch_size: int | None = 1, shuffle: bool = False,
                 drop_last: bool = False, collate_fn: Any = None, **ignored: Any) -> None:
        unknown = set(ignored) - {"num_workers", "pin_memory", "generator", "persistent_workers"}
        if unknown:
            raise TypeError(f"DataLoader got unexpected keyword arguments {sorted(unknown)}")
        if batch_size is not None and (isinstance(batch_size, bool) or batch_size <= 0):
            raise ValueError(f"batch_size should be a positive integer value, but got "
                             f"batch_size={batch_size}")
        self.dataset, self.batch_size = dataset, batch_size
        self.shuffle, self.drop_last = shuffle, drop_last
        self.collate_fn = collate_fn or default_collate

    def __len__(self) -> int:
        n = len(self.dataset)
        if self.batch_size is None:
            return n
        return n // self.batch_size if self.drop_last else math.ceil(n / self.batch_size)

    def __iter__(self) -> Iterator[Any]:
        n = len(self.dataset)
        order = creation.randperm(n)._data if self.shuffle else np.arange(n)
        if self.batch_size is None:  # no batching: samples one by one
            yield from (self.dataset[int(i)] for i in order)
            return
        for start in range(0, len(self) * self.batch_size, self.batch_size):
            rows = order[start : start + self.batch_size]
            if isinstance(self.dataset, TensorDataset) and self.collate_fn is default_collate:
                yield list(self.dataset[Tensor._wrap(rows)])  # one gather instead of a stack
            else:
                yield self.collate_fn([self.dataset[int(i)] for i in rows])
