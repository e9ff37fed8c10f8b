"""Honest refusals: a torch name that minigrad does not have says so, and what to do instead.

Without this, ``torch.nn.Conv2d`` under ``as_torch()`` fails with a bare AttributeError that
looks like the student's typo.  Each torch-shaped namespace (``minigrad``, ``nn``,
``nn.functional``, ``optim``, ``Tensor``) ends with a module ``__getattr__`` (a Tensor: a
method ``__getattr__``) that raises ``refuse(...)``.
"""

from __future__ import annotations

# What to do instead, for the names a d2l reader is most likely to reach for.
ADVICE = {
    "cuda": "minigrad runs on the CPU only: leave out .cuda() / .to(device) (device='cpu' works)",
    "device": "minigrad runs on the CPU only: use the string 'cpu' where torch wants a device",
    "Adam": "use optim.SGD, or write the Adam update by hand under no_grad() (d2l 12.10)",
    "Conv2d": "minigrad has no convolutions; stay with Linear layers (d2l chapters 3-5)",
    "compile": "torch.compile is not part of minigrad; call your function directly",
    "save": "save the arrays with numpy: np.save(path, t.detach().numpy())",
    "load": "load arrays with numpy and wrap them: minigrad.tensor(np.load(path))",
    "cuda_is_available": "minigrad has no GPU",
}


class NotInMinigrad(AttributeError):
    """A torch API that minigrad does not provide (an AttributeError, so ``hasattr`` and
    ``getattr(obj, name, default)`` keep working)."""


def refuse(api: str, torch_message: str, instead: str) -> NotInMinigrad:
    """The error for ``api`` (as ``torch.nn.Conv2d``): Python's own message first, then that
    this is a torch API minigrad does not have, then what to do instead."""
    name = api.rsplit(".", 1)[-1]
    advice = ADVICE.get(name, instead)
    return NotInMinigrad(
        f"{torch_message}\n{api} is not part of minigrad: minigrad implements the part of "
        f"torch's API that d2l's autograd lecture and from-scratch chapters use, not all of "
        f"it. Instead: {advice}. (If you meant to use real torch, leave minigrad.as_torch().)")
