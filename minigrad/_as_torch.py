"""``minigrad.as_torch()``: run code written for torch on minigrad, unchanged.

Python finds an imported module in ``sys.modules`` before it looks on disk.  Inside
``with minigrad.as_torch():`` the names ``torch``, ``torch.nn``, ``torch.nn.functional``,
``torch.optim``, ``torch.utils.data`` ... are minigrad's modules there, so ``import torch`` and
``from torch import nn`` bind minigrad; leaving the block puts back exactly what was there
(real torch, if it had been imported).  Called without ``with`` (one line at the top of a
notebook) it stays on until ``.restore()``.
"""

from __future__ import annotations

import sys
from types import ModuleType
from typing import Any

_MISSING = object()


def _stand_ins() -> dict[str, ModuleType]:
    import minigrad
    from minigrad import autograd, cuda, distributions, func, nn, optim, utils
    from minigrad.autograd import forward_ad
    from minigrad.autograd import functional as autograd_functional
    from minigrad.nn import functional, init
    from minigrad.utils import data

    return {"torch": minigrad, "torch.nn": nn, "torch.nn.functional": functional,
            "torch.nn.init": init, "torch.optim": optim, "torch.utils": utils,
            "torch.utils.data": data, "torch.autograd": autograd,
            "torch.autograd.functional": autograd_functional,
            "torch.autograd.forward_ad": forward_ad, "torch.func": func,
            "torch.distributions": distributions, "torch.cuda": cuda,
            "torch.distributions.multinomial": distributions.multinomial}


class as_torch:
    """Make ``import torch`` (and its submodules) give minigrad, until exit or ``restore()``."""

    def __init__(self) -> None:
        # every torch entry is set aside (a real torch submodule left in place could be
        # reached by ``import torch.linalg``), then minigrad's modules take the names
        self._saved = {name: module for name, module in sys.modules.items()
                       if name == "torch" or name.startswith("torch.")}
        for name in self._saved:
            del sys.modules[name]
        sys.modules.update(_stand_ins())
        self.active = True

    def restore(self) -> None:
        """Put ``sys.modules`` back as it was before (idempotent)."""
        if not self.active:
            return
        for name in [n for n in sys.modules if n == "torch" or n.startswith("torch.")]:
            del sys.modules[name]
        sys.modules.update(self._saved)
        self.active = False

    def __enter__(self) -> as_torch:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.restore()

    def __repr__(self) -> str:
        return f"<minigrad.as_torch {'active' if self.active else 'restored'}>"
