"""Honest refusals: a torch name that minigrad does not have says so, and what to do instead.

Without this, ``torch.nn.Conv2d`` under ``as_torch()`` fails with a bare AttributeError that
looks like the student's typo.  Each torch-shaped module (``minigrad``, ``nn``,
``nn.functional``, ``nn.init``, ``optim``) ends with a module ``__getattr__`` that raises
``refuse(...)``.  Tensor cannot have a ``__getattr__``: CPython then routes *every* attribute
read of every tensor through a slower path (the per-op benchmark lost a third), so Tensor gets
one small descriptor per torch method it lacks, from the list below, instead.
"""

from __future__ import annotations

# What to do instead, for the names a d2l reader is most likely to reach for.
ADVICE = {
    "cuda": "minigrad runs on the CPU only: leave out .cuda(), or write .to(torch.device('cpu'))",
    "Conv2d": "minigrad has no convolutions; stay with Linear layers (d2l chapters 3-5)",
    "Adadelta": "use optim.Adam, RMSprop or Adagrad, or write the Adadelta update by hand under "
                "no_grad() (d2l 12.9)",
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


# torch.Tensor methods a course or d2l reader may reach for that minigrad does not have.
TENSOR_METHODS = """
cuda half bfloat16 int short byte char bool pin_memory contiguous is_contiguous
stride storage data_ptr element_size share_memory_ numpy_ to_dense to_sparse
prod median mode cumprod cummax kthvalue topk sort argsort unique
square exp_ log_ relu_ sigmoid_ tanh_ sin_ cos_ abs_ neg_ pow_ sqrt_ clamp_ log1p expm1 log2
log10 erf frac reciprocal rsqrt fmod
gather scatter scatter_ scatter_add_ index_select index_add_ masked_fill masked_fill_
masked_select nonzero take where repeat_interleave tile chunk split unbind flip roll
tril triu diag diagonal trace outer baddbmm addmm einsum kron inverse det
unfold narrow select new_tensor new_full new_empty clamp_min clamp_max lerp hypot
""".split()


class _Refused:
    """A Tensor attribute that refuses: reading ``t.name`` raises ``refuse(...)``."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __get__(self, obj: object, owner: type | None = None) -> object:
        raise refuse(f"Tensor.{self.name}", f"'Tensor' object has no attribute '{self.name}'",
                     "see dir(minigrad.Tensor) for the methods minigrad has, and compose the "
                     "rest from them")


def refuse_tensor_methods(cls: type) -> None:
    """Give ``cls`` a refusing attribute for each torch method in TENSOR_METHODS it lacks."""
    for name in TENSOR_METHODS:
        if not hasattr(cls, name):
            setattr(cls, name, _Refused(name))
