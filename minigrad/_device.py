"""``torch.device`` and ``torch.cuda`` for an engine that runs on the CPU only.

d2l's code asks which devices there are (``torch.cuda.device_count()``, ``try_gpu()``) and
moves tensors and nets to one (``X.to(device)``, ``net.to(device)``).  Here the answer is
always the CPU, so that code runs unchanged; asking to compute on a GPU is refused with a
message that says so.
"""

from __future__ import annotations

from typing import Any

# the device types torch knows (its error message lists them in this order)
TYPES = ("cpu", "cuda", "ipu", "xpu", "mkldnn", "opengl", "opencl", "ideep", "hip", "ve",
         "fpga", "maia", "xla", "lazy", "vulkan", "mps", "meta", "hpu", "mtia", "privateuseone")


class device:  # noqa: N801 - torch's name
    """A device: ``device('cpu')``, ``device('cuda:1')``, ``device('cuda', 0)``."""

    __slots__ = ("type", "index")
    type: str
    index: int | None

    def __init__(self, type: Any, index: int | None = None) -> None:  # noqa: A002 - torch's
        spec: Any = type
        if isinstance(spec, device):
            spec, index = spec.type, spec.index
        elif isinstance(spec, int) and not isinstance(spec, bool):  # an accelerator's index
            raise RuntimeError("Cannot access accelerator device when none is available.")
        kind, _, number = str(spec).partition(":")
        if kind not in TYPES:
            raise RuntimeError(f"Expected one of {', '.join(TYPES)} device type at start of "
                               f"device string: {spec}")
        self.type = kind
        self.index = int(number) if number else index

    def __repr__(self) -> str:
        index = "" if self.index is None else f", index={self.index}"
        return f"device(type='{self.type}'{index})"

    def __str__(self) -> str:
        return self.type if self.index is None else f"{self.type}:{self.index}"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, device) and (self.type, self.index) == (other.type, other.index)

    def __hash__(self) -> int:
        return hash((self.type, self.index))


CPU = device("cpu")


def check(where: Any) -> None:
    """Refuse a device other than the CPU (None, 'cpu' and device('cpu') pass)."""
    if where is not None and device(where).type != "cpu":
        raise RuntimeError(f"minigrad runs on the CPU only, not on {str(where)!r}: leave the "
                           f"device out, or use 'cpu' (torch.cuda.device_count() is 0 here, so "
                           f"d2l's try_gpu() gives the CPU)")


def check_cuda(index: Any = None) -> None:
    """Refuse ``x.cuda(index)`` and ``net.cuda(index)`` as ``.to('cuda')`` is refused."""
    check(index if isinstance(index, (str, device)) else device("cuda", index))
