"""The errors minigrad raises: torch's exception type and key phrase, then a plain explanation.

Each error is a teaching moment.  The first sentence is torch's own (so a search for the
message finds the same answers as for torch); what follows says what happened in *this* graph
and which lesson explains it.
"""

from __future__ import annotations

import warnings
from typing import Any


def _shape(shape: tuple[int, ...]) -> str:
    return "torch.Size([" + ", ".join(str(s) for s in shape) + "])"


def not_implemented(what: str) -> NotImplementedError:
    return NotImplementedError(f"{what} is not implemented in minigrad.")


def backward_twice(node: Any) -> RuntimeError:
    return RuntimeError(
        "Trying to backward through the graph a second time (or directly access saved tensors "
        "after they have already been freed). Saved intermediate values of the graph are freed "
        "when you call .backward() or autograd.grad(). Specify retain_graph=True if you need to "
        "backward through the graph a second time or if you need to access saved tensors after "
        "calling backward.\n"
        f"In minigrad: the node {node.name()} saved arrays during the forward pass and the first "
        "backward pass released them to save memory. Pass retain_graph=True to the first "
        "backward, or recompute the forward pass (lesson 07)."
    )


def not_scalar(shape: tuple[int, ...]) -> RuntimeError:
    return RuntimeError(
        "grad can be implicitly created only for scalar outputs\n"
        f"In minigrad: you called backward() on a tensor of shape {_shape(shape)}. The gradient "
        "of a non-scalar output is a whole Jacobian; say which combination of its rows you "
        "want with backward(gradient=...) (a tensor of the output's shape), or reduce the "
        "output first, e.g. y.sum().backward() (lesson 07)."
    )


def no_grad_fn(index: int = 0) -> RuntimeError:
    return RuntimeError(
        f"element {index} of tensors does not require grad and does not have a grad_fn\n"
        "In minigrad: nothing that this output was computed from requires grad, so no graph "
        "was recorded. Call x.requires_grad_() on the inputs *before* computing, and make sure "
        "the computation did not run inside no_grad() or on a detached tensor (lesson 07)."
    )


def grad_shape_mismatch(got: tuple[int, ...], want: tuple[int, ...],
                        index: int = 0) -> RuntimeError:
    return RuntimeError(
        f"Mismatch in shape: grad_output[{index}] has a shape of {_shape(got)} and "
        f"output[{index}] has a shape of {_shape(want)}.\n"
        "In minigrad: the gradient you pass to backward(gradient=...) is dL/dy for this "
        "output y, so it must have exactly y's shape (lesson 07)."
    )


def int_requires_grad(dtype: Any) -> RuntimeError:
    return RuntimeError(
        "Only Tensors of floating point and complex dtype can require gradients\n"
        f"In minigrad: this tensor has dtype {dtype}. Derivatives need real numbers; create it "
        "with a float (torch.arange(4.0)) or convert it with .float() first (lesson 07)."
    )


def shape_mismatch(op: str, a: tuple[int, ...], b: tuple[int, ...],
                   detail: str = "") -> RuntimeError:
    return RuntimeError(
        f"The size of tensor a ({_shape(a)}) must match the size of tensor b ({_shape(b)})"
        f"{detail}\nIn minigrad: {op} received shapes {a} and {b}, which cannot be broadcast "
        "together: two dimensions, compared from the right, must be equal or one of them 1 "
        "(lesson 05, un-broadcasting)."
    )


def matmul_mismatch(a: tuple[int, ...], b: tuple[int, ...]) -> RuntimeError:
    return RuntimeError(
        f"mat1 and mat2 shapes cannot be multiplied ({'x'.join(map(str, a))} and "
        f"{'x'.join(map(str, b))})\nIn minigrad: in A @ B the last dimension of A must equal the "
        "first (matrix) dimension of B (lesson 01, shapes of matrix derivatives)."
    )


def leaf_inplace() -> RuntimeError:
    return RuntimeError(
        "a leaf Variable that requires grad is being used in an in-place operation.\n"
        "In minigrad: changing a parameter in place would corrupt the graph that used it. "
        "Update parameters inside `with torch.no_grad():` (as an optimizer does), or work on a "
        "copy (lesson 07)."
    )


def unused_input(index: int) -> RuntimeError:
    return RuntimeError(
        "One of the differentiated Tensors appears to not have been used in the graph. "
        "Set allow_unused=True if this is the desired behavior.\n"
        f"In minigrad: input {index} cannot be reached from the outputs by walking the graph "
        "backwards, so its gradient is not zero but undefined (lesson 03)."
    )


def warn_nonleaf_grad() -> None:
    warnings.warn(
        "The .grad attribute of a Tensor that is not a leaf Tensor is being accessed. Its .grad "
        "attribute won't be populated during autograd.backward(). If you indeed want the .grad "
        "field to be populated for a non-leaf Tensor, use .retain_grad() on the non-leaf Tensor. "
        "(In minigrad: gradients are accumulated into leaves only; lesson 07.)",
        UserWarning,
        stacklevel=3,
    )
