"""``minigrad.autograd``: the names of ``torch.autograd``, defined elsewhere.

The reverse-mode walk is ``engine.py``; forward mode (dual tensors) ``forward_ad.py``;
derivatives of whole functions (``jacobian``, ``hvp``, ...) ``functional.py``; ``gradcheck``
lives in ``minigrad/numeric.py``.
"""

from .._grad_mode import enable_grad, is_grad_enabled, no_grad, set_grad_enabled
from ..function import Function
from ..numeric import gradcheck, gradgradcheck
from . import forward_ad, functional
from .engine import backward, grad, unbroadcast

__all__ = ["backward", "grad", "no_grad", "enable_grad", "set_grad_enabled", "is_grad_enabled",
           "unbroadcast", "Function", "forward_ad", "functional", "gradcheck", "gradgradcheck"]
