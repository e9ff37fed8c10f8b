"""``torch.utils``: only ``data`` (datasets and the loader that batches them)."""

from . import data

__all__ = ["data"]
