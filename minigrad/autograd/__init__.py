"""``minigrad.autograd``: the names of ``torch.autograd``, defined elsewhere.

The graph's nodes and the reverse-mode walk are ``engine.py`` (``targets.py``: what
``inputs=`` and ``grad`` add to it); forward mode (dual tensors) ``forward_ad.py``; derivatives
of whole functions (``jacobian``, ``hvp``, ...) ``functional.py``; ``gradcheck`` lives in
``minigrad/numeric.py``.
"""

from .._grad_mode import enable_grad, is_grad_enabled, no_grad, set_grad_enabled
from ..numeric import gradcheck, gradgradcheck
from . import forward_ad, functional
from .engine import Function, backward, grad, unbroadcast

__all__ = ["backward", "grad", "no_grad", "enable_grad", "set_grad_enabled", "is_grad_enabled",
           "unbroadcast", "Function", "forward_ad", "functional", "gradcheck", "gradgradcheck"]
