"""``torch.cuda`` on a machine without a GPU, as minigrad always is: d2l's ``try_gpu()``
and ``try_all_gpus()`` ask it and fall back to the CPU."""

from __future__ import annotations

from typing import Any

from ._refuse import refuse


def is_available() -> bool:
    return False


def device_count() -> int:
    return 0


def __getattr__(name: str) -> Any:
    raise refuse(f"torch.cuda.{name}", f"module 'torch.cuda' has no attribute '{name}'",
                 "minigrad has no GPU: torch.cuda.is_available() is False and "
                 "torch.cuda.device_count() is 0")
