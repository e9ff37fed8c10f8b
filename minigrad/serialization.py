"""``torch.save`` and ``torch.load``: tensors, parameters and ``state_dict()``s in a file.

The file is a pickle, as torch's is.  Unpickling can run any code a file names, so ``load``
reads, by default, only what weights are made of (``weights_only=True``, torch's default too):
tensors, numpy arrays, numbers, strings, and lists, tuples and dicts of them.  Anything else is
refused with its name; ``weights_only=False`` loads it, for a file you wrote yourself.
"""

from __future__ import annotations

import contextlib
import os
import pickle
from typing import IO, Any

# (module, name) of what a file of weights may name: minigrad's tensors, numpy's arrays and
# scalars (numpy 1 and 2 spell the module differently) and an OrderedDict.
_WEIGHTS = {
    ("minigrad.tensor", "Tensor"), ("minigrad.nn.module", "Parameter"),
    ("collections", "OrderedDict"),
    ("numpy", "ndarray"), ("numpy", "dtype"),
    *((f"{core}.multiarray", name) for core in ("numpy.core", "numpy._core")
      for name in ("_reconstruct", "scalar")),
    *((f"{core}.numeric", "_frombuffer") for core in ("numpy.core", "numpy._core")),
    *(("numpy.dtypes", f"{kind}DType") for kind in (
        "Float16", "Float32", "Float64", "Int8", "Int16", "Int32", "Int64", "UInt8", "Bool")),
}


class _WeightsUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        if (module, name) not in _WEIGHTS:
            raise pickle.UnpicklingError(
                f"minigrad.load(weights_only=True) refuses {module}.{name}: a file that names "
                "it can run code while it is read.  If you wrote the file yourself, load it "
                "with weights_only=False.")
        return super().find_class(module, name)


def save(obj: Any, f: str | os.PathLike[str] | IO[bytes]) -> None:
    """Write ``obj`` (a tensor, a ``state_dict()``, ...) to the path or binary file ``f``."""
    with _opened(f, "wb") as out:
        pickle.dump(obj, out, protocol=pickle.HIGHEST_PROTOCOL)


def load(f: str | os.PathLike[str] | IO[bytes], weights_only: bool = True,
         **_torch_options: Any) -> Any:
    """Read what ``save`` wrote.  Options of torch's that concern devices (``map_location``)
    mean nothing on minigrad's CPU arrays and are accepted as they are."""
    with _opened(f, "rb") as source:
        if not weights_only:
            return pickle.load(source)  # noqa: S301 - asked for, for a trusted file
        return _WeightsUnpickler(source).load()


def _opened(f: str | os.PathLike[str] | IO[bytes], mode: str) -> Any:
    """A path opened (and closed after), or a file object the caller opened, as it is."""
    return open(f, mode) if isinstance(f, (str, os.PathLike)) else contextlib.nullcontext(f)
