"""The ops: one class per op, forward and backward side by side, over numpy arrays.

Importing this package registers every op in ``minigrad.function.REGISTRY``.
"""

from . import arithmetic, elementwise, linalg, loss, reduce, shape  # noqa: F401
