"""Every sentence the grader shows a student, as data: an id, and a text per language.

`text(id, **fields)` formats one message in the course language (`LANGUAGE`, English unless
set).  A message missing in that language falls back to English, so an edition can grow one
message at a time; `tests/test_grader_messages.py` checks that every id the grader uses exists
and that each language's text has the same format fields as the English one.

Question-specific advice (what a known mistake means) lives here too, under ids
`<question id>.<tag>` (a digit after the tag when a question has several); a question's
`Wrong(tag, "<id>", ...)` and `Question.advice` refer to them by id."""

from __future__ import annotations

import os
import string
from typing import Any

LANGUAGE = os.environ.get("MINIGRAD_COURSE_LANGUAGE", "en")

MESSAGES: dict[str, dict[str, str]] = {
    # ---- results ------------------------------------------------------------------------
    "result.pass": {"en": "✓ {id}: all {cases} cases pass ({points} points)."},
    "result.fail": {"en": "✗ {id}: {failed} of {cases} cases wrong. First, case {where}:"},
    "result.diagnosis": {"en": "Diagnosis ({tag}): {advice}"},
    "result.advice": {"en": "Advice: {advice}"},
    "result.noise": {"en": "(Hidden while checking: {noise})"},
    # ---- what one case shows --------------------------------------------------------------
    "case.raised": {"en": "your code raised {error}"},
    "case.count": {"en": "expected {expected} values, got {got}"},
    "case.shape": {"en": "{name} should have shape {expected}, got shape {got}"},
    "case.values": {"en": "{name}expected {expected}, got {got}"},
    "case.close_print": {
        "en": "{name}expected {expected}, got {got} (largest difference {abs:.2g}, "
        "relative {rel:.2g})"
    },
    "case.differs": {"en": "the values differ"},
    "case.unreadable": {"en": "the grader could not read what your code returned: {reason}"},
    "case.mutated": {"en": "your code changed its input `{name}` in place."},
    "case.missing": {"en": "`{id}` is not defined in your notebook."},
    "case.refused": {"en": "{message}"},
    # ---- advice that holds for every question ----------------------------------------------
    "advice.define": {"en": "Define `{signature}`."},
    "advice.wrong_shape": {"en": "Check the shape of what you return."},
    "advice.reshape": {
        "en": "The numbers are right, the shape is not: return shape {shapes} (the shape of "
        "the input it is the gradient for), e.g. with `.reshape` or `np.ravel`."
    },
    "advice.count": {"en": "Return {count} values ({names}), as a tuple."},
    "advice.garbled": {
        "en": "Return numbers: a float, a list or tuple of floats, a numpy array or a tensor."
    },
    "advice.recursion_limit": {
        "en": "Python stops recursing near depth 1000: walk the graph with an explicit stack "
        "or queue instead of recursion."
    },
    "advice.not_implemented": {"en": "Replace the stub with your own code."},
    "advice.memory": {
        "en": "Your code used more memory than allowed; avoid building huge intermediates."
    },
    "advice.timeout": {
        "en": "Your code took too long; look for an infinite loop or a quadratic step."
    },
    "advice.crashed": {
        "en": "The process running your code ended abruptly (exit, crash or a limit)."
    },
    "advice.mutates_input": {
        "en": "Your function must leave its inputs as they were: work on a copy "
        "(`x = x.copy()`, or `x + h*e` instead of `x[i] += h`)."
    },
    "advice.wrong_dtype": {
        "en": "Your numbers were cut to integers: an array made with an int dtype (or "
        "`np.zeros_like` of an int array) truncates every float you store in it; create "
        "buffers with `dtype=float`."
    },
    "advice.control_flow": {
        "en": "A Python `if`/`while` on an array asks one question of many numbers: choose "
        "entry by entry with `np.where(mask, a, b)` (or `minigrad.where`)."
    },
    "advice.transposed_matmul": {
        "en": "The inner dimensions of a matrix product do not match: a factor needs a "
        "transpose, or the factors are in the wrong order (write each shape down: "
        "(m, n) @ (n, k) -> (m, k))."
    },
    "advice.broadcast": {
        "en": "Two shapes do not broadcast: a gradient must be summed over the axes that "
        "broadcasting added or stretched (keep the reduced axes with keepdims=True, or "
        "reshape them back) until it has its input's shape."
    },
    "advice.unreduced": {
        "en": "Summed over its extra axes, your result is right: a gradient has the shape of "
        "its input, so sum over the axes that broadcasting added or stretched (keepdims=True "
        "for the stretched ones)."
    },
    "advice.create_graph": {
        "en": "The first derivative has no graph, so it cannot be differentiated again: take "
        "it with create_graph=True."
    },
    "advice.reflected": {
        "en": "A number on the left (`2 - d`, `2 / d`) calls your reflected operator "
        "(`__rsub__`, `__rtruediv__`, `__radd__`, `__rmul__`): define it, minding the order."
    },
    "advice.index": {
        "en": "An index ran past the end of an axis: your code assumes a shape the inputs do "
        "not have; loop over the shape you were given (`np.ndindex(x.shape)` visits every "
        "entry of any shape)."
    },
    "advice.zero_division": {"en": "A division by zero: check the step size and the denominators."},
    "generic.transposed": {
        "en": "Your result is the transpose of the expected one: in numerator layout row i "
        "belongs to output i and column j to input j."
    },
    "generic.sign": {
        "en": "Your result has the opposite sign: check each minus sign and each derivative of "
        "cos, of subtraction and of division."
    },
    "generic.half": {
        "en": "Your result is half the expected one: a factor 2 is missing (the derivative of "
        "u² is 2u)."
    },
    "generic.twice": {"en": "Your result is twice the expected one: something is counted twice."},
    # ---- the method an exercise asks for -----------------------------------------------------
    "method.autograd": {
        "en": "This exercise is solved by hand with numpy: torch and minigrad's autograd are "
        "switched off while it is graded."
    },
    "method.reverse_mode": {
        "en": "This exercise asks for forward mode: one JVP per input direction "
        "(minigrad.func.jvp or forward_ad); backward, autograd.grad and jacrev are switched off."
    },
    "method.forward_mode": {
        "en": "This exercise asks for reverse mode: one VJP (a backward pass) per output; "
        "jvp, jacfwd and forward_ad are switched off."
    },
    "method.functional_hessian": {
        "en": "This exercise asks for a double backward: take ∇f with create_graph=True, then "
        "differentiate ⟨∇f, v⟩ again; autograd.functional.hvp and hessian are switched off."
    },
    "method.recursion_limit": {
        "en": "This exercise asks for an iterative walk (an explicit stack): the recursion "
        "limit cannot be raised while it is graded."
    },
    "method.through_the_loop": {
        "en": "This exercise asks for autograd through the Newton loop (backward on y.sum()), "
        "not the derivative of sqrt written down."
    },
    "refused.closed_form": {
        "en": "the numbers are right, but no backward pass ran while your function did."
    },
    # ---- question-specific advice ------------------------------------------------------------
    "topo_sort.root_missing_detail": {"en": "the root itself is missing from your list."},
    "topo_sort.root_missing": {
        "en": "The order ends with the root: append every node, the root included, after all "
        "its parents."
    },
    "lecture_f_slope.abs": {
        "en": "The loop never ended: b.norm() is |b|. Without abs, a negative b is always below "
        "1000 and doubling drives it towards -∞ forever."
    },
    "central_difference.any_shape": {
        "en": "x may have any shape, (2, 3) too: step one entry at a time over all x.size "
        "entries (`for i in np.ndindex(x.shape)`) and return an array of x's shape."
    },
    "Dual.power_rule": {
        "en": "Power rule: (uᵖ)' = p·uᵖ⁻¹·u': the power drops by one, p - 1, not to 1."
    },
    "Dual.rsub": {
        "en": "`2 - d` calls d.__rsub__(2): the result is 2 - d, so the number comes first "
        "(`Dual.lift(other) - self`)."
    },
    "Dual.rtruediv": {
        "en": "`2 / d` calls d.__rtruediv__(2): the result is 2 / d, so the number is the "
        "numerator (`Dual.lift(other) / self`)."
    },
    "Value.relu": {
        "en": "relu'(a) is 1 where a > 0 and 0 elsewhere: a negative input stops the gradient."
    },
    "Value.dedup": {
        "en": "A node reached along several paths must appear once in the topological order: "
        "keep a set of visited nodes, or its backward runs once per path and gradients are "
        "counted several times."
    },
    "count_paths.dict": {
        "en": "Return a dict that maps each node (the node objects themselves) to its number "
        "of paths to the root."
    },
    "explicit_ex2.graph": {
        "en": "Build the graph first, then run it: combine the placeholders with symbolic ops "
        "and return the two Symbols; the grader feeds the numbers."
    },
    # ---- what each known mistake means (question id . tag) --------------------------------
    "grad_ex1.missing_factor": {
        "en": "The derivative of u² is 2u: keep the factor 2 from the square."
    },
    "grad_ex1.chain_rule": {
        "en": "Multiply by the inner derivative: ∂<x,w>/∂w = x, so the result is a vector shaped "
              "like w."
    },
    "grad_ex1.chain_rule2": {"en": "∂<x,w>/∂w is x, not w: differentiate with respect to w."},
    "grad_ex1.sign": {
        "en": "The residual is <x,w> - y; (y - <x,w>) flips the sign of the gradient."
    },
    "grad_ex2.missing_factor": {"en": "The derivative of ‖r‖² is 2r: keep the factor 2."},
    "grad_ex2.missing_factor2": {
        "en": "z = ‖Xw - y‖² is a sum over the m samples, not their mean: do not divide by m."
    },
    "grad_ex2.chain_rule": {
        "en": "Multiply by the inner Jacobian ∂(Xw)/∂w = X: the gradient is 2 Xᵀ(Xw - y), shaped "
              "like w."
    },
    "grad_ex2.broadcast_not_reduced": {
        "en": "Every row of X contributes to ∂z/∂w: sum the rows (Xᵀ r does that) instead of "
              "returning one row per sample."
    },
    "grad_ex2.sign": {"en": "The residual is Xw - y; (y - Xw) flips the sign of the gradient."},
    "jacobian_Ax.transposed": {
        "en": "In numerator layout the Jacobian of Ax is A itself (m×n: one row per output), not "
              "Aᵀ."
    },
    "jacobian_Ax.wrong_shape": {
        "en": "You returned the value Ax; the derivative of a linear map is the matrix of the map, "
              "shape (m, n)."
    },
    "jacobian_Ax.chain_rule": {
        "en": "The derivative of Ax does not depend on x: do not multiply by x."
    },
    "jacobian.wrong_shape": {
        "en": "A single pass with an all-ones direction gives a sum of columns, not the Jacobian: "
              "use one basis vector per pass."
    },
    "jacobian.wrong_shape2": {
        "en": "A single pass with an all-ones direction gives a sum of rows, not the Jacobian: use "
              "one basis vector per pass."
    },
    "jacobian.double_counting": {
        "en": "x.grad still held the earlier rows: backward adds into it, so zero it between passes"
              " (or use autograd.grad)."
    },
    "checkpointed_vjp.transposed": {
        "en": "That is J·v (a JVP, forward mode); the question asks for vᵀJ, which the backward "
              "pass gives."
    },
    "checkpointed_vjp.order": {
        "en": "Walk the segments from the last one back to the first: the cotangent enters at the "
              "output."
    },
    "checkpointed_vjp.chain_rule": {
        "en": "Chain rule: each segment's backward starts from the cotangent the segment after it "
              "produced, not from v again."
    },
    "checkpointed_vjp.chain_rule2": {
        "en": "Recompute each segment from its own checkpoint: its Jacobian must be taken at the "
              "states it really passed through."
    },
    "lecture_f_slope.chain_rule": {
        "en": "That is d = f(a), the value; the slope is the factor k in d = k·a."
    },
    "lecture_f_slope.chain_rule2": {
        "en": "Every pass of the while loop multiplies b by 2, and so the slope: count the passes."
    },
    "lecture_f_slope.missing_factor": {
        "en": "When b.sum() <= 0 (a < 0) the else branch returns 100 * b: its slope has the factor "
              "100."
    },
    "lecture_f_slope.sign": {
        "en": "The factor 100 belongs to the else branch, taken when b.sum() <= 0, that is when a <"
              " 0."
    },
    "lecture_f_slope.missing_factor2": {
        "en": "One doubling is missing: b = a * 2 doubles once before the loop, then once per pass "
              "while |b| < 1000."
    },
    "lecture_f_slope.double_counting": {
        "en": "One doubling too many: the loop stops as soon as |b| >= 1000."
    },
    "huber_grad.sign": {
        "en": "On the outer pieces the slope is delta·sign(x): -delta where x < -delta."
    },
    "huber_grad.chain_rule": {
        "en": "Those are the values h(x); the exercise asks for their gradient."
    },
    "huber_grad.missing_factor": {"en": "The derivative of x²/2 is x, not x/2."},
    "huber_grad.wrong_shape": {
        "en": "A Python `if` on a tensor picks one piece for the whole tensor: every entry needs "
              "its own piece, so use minigrad.where(mask, inner, outer)."
    },
    "huber_grad.wrong_shape2": {
        "en": "A Python `if` on a tensor picks one piece for the whole tensor: every entry needs "
              "its own piece, so use minigrad.where(mask, inner, outer)."
    },
    "newton_sqrt_grad.chain_rule": {
        "en": "That is y = sqrt(x), the value: call backward on y.sum() and return x.grad."
    },
    "newton_sqrt_grad.chain_rule2": {
        "en": "A zero gradient: the loop's result is not connected to x. Keep every step a minigrad"
              " op (no .item(), .numpy(), detach() or no_grad() on the path from x to y)."
    },
    "newton_sqrt_grad.double_counting": {
        "en": "Twice the slope of sqrt: d sqrt(x)/dx = 1 / (2 sqrt(x))."
    },
    "newton_sqrt_grad.wrong_shape": {
        "en": "x.grad has the shape of x: one slope per entry, not their sum."
    },
    "Dual.product_rule": {"en": "Product rule: (uv)' = u'v + uv', not u'v'."},
    "Dual.product_rule2": {"en": "Product rule: (uv)' = u'v + uv' - both terms are needed."},
    "Dual.sign": {"en": "Quotient rule: (u/v)' = (u'v - uv')/v² - mind the minus sign."},
    "Dual.sign2": {"en": "The derivative of a - b is a' - b': subtract the tangents."},
    "Dual.sign3": {"en": "The derivative of cos is -sin."},
    "Dual.chain_rule": {
        "en": "Chain rule: the tangent of f(u) is f'(u)·u' - multiply by the input's tangent."
    },
    "Dual.missing_factor": {"en": "Power rule: (uᵖ)' = p·uᵖ⁻¹·u' - keep the factor p."},
    "baydin_reverse.no_accumulation": {
        "en": "x1 feeds two operations (ln x1 and x1·x2): add the adjoints of both paths."
    },
    "baydin_reverse.no_accumulation2": {
        "en": "x1 feeds two operations (ln x1 and x1·x2): add the adjoints of both paths."
    },
    "baydin_reverse.no_accumulation3": {
        "en": "x2 feeds two operations (x1·x2 and sin x2): add the adjoints of both paths."
    },
    "baydin_reverse.no_accumulation4": {
        "en": "x2 feeds two operations (x1·x2 and sin x2): add the adjoints of both paths."
    },
    "baydin_reverse.sign": {"en": "y subtracts sin x2, so its adjoint flows back as -cos x2."},
    "baydin_reverse.product_rule": {
        "en": "The adjoint of x1·x2 sends x2 to x1 and x1 to x2 (each input gets the other one)."
    },
    "baydin_reverse.sign2": {"en": "Check the forward pass: y = ln x1 + x1·x2 - sin x2."},
    "baydin_forward.product_rule": {
        "en": "Product rule: the tangent of x1·x2 is dx1·x2 + x1·dx2, not dx1·dx2."
    },
    "baydin_forward.product_rule2": {
        "en": "Product rule: the tangent of x1·x2 is dx1·x2 + x1·dx2 - both terms are needed."
    },
    "baydin_forward.product_rule3": {
        "en": "Product rule: the tangent of x1·x2 is dx1·x2 + x1·dx2 - both terms are needed."
    },
    "baydin_forward.sign": {"en": "y subtracts sin x2, so its tangent subtracts cos(x2)·dx2."},
    "baydin_forward.chain_rule": {
        "en": "Chain rule: the tangent of f(u) is f'(u)·du - multiply by the input's tangent."
    },
    "baydin_forward.chain_rule2": {
        "en": "The tangent of ln u is du / u: divide the input's tangent by the input."
    },
    "baydin_forward.sign2": {"en": "Check the primal trace: y = ln x1 + x1·x2 - sin x2."},
    "baydin_forward.order": {"en": "Return (y, dy): the primal first, then its tangent."},
    "count_paths.no_accumulation": {
        "en": "A node used twice (x*x) lies on two edges, so on twice as many paths: count every "
              "entry of .parents, repeated ones too."
    },
    "count_paths.no_accumulation2": {
        "en": "A node with several users continues to the root through each of them: add their "
              "counts, do not keep only the largest."
    },
    "count_paths.chain_rule": {
        "en": "Counting a node's users is one step of the chain rule; each user continues along all"
              " of *its* paths: a node's count is the sum of its users' counts."
    },
    "count_paths.transposed": {
        "en": "You counted paths from the inputs down to each node; count paths from each node up "
              "to the root, the way gradients travel."
    },
    "count_paths.order": {
        "en": "Visit the nodes root first (reverse topological order): a node's count is complete "
              "only after all its users have added to it."
    },
    "explicit_ex2.wrong_shape": {
        "en": "z is a scalar: sum the squares of the residual (or use dot(r, r))."
    },
    "explicit_ex2.chain_rule": {
        "en": "z is the *square* of the norm, ‖r‖² = Σ r_i²; the norm alone has the gradient "
              "Xᵀr/‖r‖."
    },
    "explicit_ex2.missing_factor": {
        "en": "The derivative of ‖r‖² is 2r: the gradient is 2Xᵀ(Xw - y)."
    },
    "explicit_ex2.sign": {
        "en": "The gradient is 2Xᵀ(Xw - y); with (y - Xw) inside, its sign flips."
    },
    "explicit_ex2.chain_rule2": {
        "en": "Differentiate z, not the residual: symbolic.gradients(z, [w])."
    },
    "hvp.chain_rule": {
        "en": "That is the gradient ∇f(x): differentiate ⟨∇f(x), v⟩ once more (keep the first "
              "backward's graph with create_graph=True)."
    },
    "hvp.double_counting": {
        "en": "x.grad still held the first gradient when the second backward added to it: take the "
              "first derivative with autograd.grad, or zero x.grad."
    },
    "hvp.wrong_shape": {"en": "⟨∇f(x), v⟩ is a number; its gradient with respect to x is H·v."},
    "hessian_matrix.chain_rule": {
        "en": "That is the gradient ∇f(x): differentiate each of its entries once more (keep the "
              "first backward's graph with create_graph=True)."
    },
    "hessian_matrix.wrong_shape": {
        "en": "One backward of ∇f(x).sum() gives H·(1, …, 1), the row sums: take one row per entry "
              "of the gradient."
    },
    "hessian_matrix.double_counting": {
        "en": "Each row still held the rows before it: backward adds into x.grad, so zero it "
              "between rows (or use autograd.grad)."
    },
    "hessian_matrix.double_counting2": {
        "en": "Each row still holds the gradient ∇f(x) from the first backward: zero x.grad (or use"
              " autograd.grad) before differentiating the gradient again."
    },
    "microbatch_grad.missing_factor": {
        "en": "Each micro-batch's mean loss must be weighted by its share of the batch, len(chunk) "
              "/ m: the full mean divides by m, not by len(chunk)."
    },
    "microbatch_grad.missing_factor2": {
        "en": "Averaging the micro-batch means weighs a small last micro-batch like a full one: "
              "weight each by len(chunk) / m instead."
    },
    "microbatch_grad.no_accumulation": {
        "en": "Only the last micro-batch is left: zeroing w.grad inside the loop throws away the "
              "earlier micro-batches. Zero once, before the loop."
    },
    "microbatch_grad.no_accumulation2": {
        "en": "Only the last micro-batch is left: zeroing w.grad inside the loop throws away the "
              "earlier micro-batches. Zero once, before the loop."
    },
    "microbatch_grad.missing_factor3": {
        "en": "That is the gradient of the sum of squares: the loss is their mean, so divide by m."
    },
    "accumulated_grad.no_accumulation": {
        "en": "backward adds into .grad: after two backward calls x.grad holds the sum of both "
              "gradients."
    },
    "accumulated_grad.no_accumulation2": {
        "en": "backward adds into .grad: the second call adds its gradient to what the first one "
              "left there."
    },
    "accumulated_grad.double_counting": {
        "en": "Each backward call adds its gradient once more: the first loss went back twice."
    },
    "accumulated_grad.product_rule": {
        "en": "x.detach() is a constant: no gradient flows through it, so the product rule has one "
              "term only."
    },
    "vjp_backward.missing_factor": {
        "en": "The factor v is missing: y.sum().backward() is backward(gradient=ones); "
              "backward(gradient=v) weights the gradient of output i by v[i]."
    },
    "vjp_backward.chain_rule": {
        "en": "tanh sits between A @ x and y: its slope 1 - y² multiplies v before Aᵀ does."
    },
    "vjp_backward.chain_rule2": {"en": "The slope of tanh at u is 1 - tanh(u)², not tanh(u)."},
    "vjp_backward.wrong_shape": {
        "en": "That is the gradient with respect to u = A @ x (shape of y); x.grad has the shape of"
              " x: multiply by Aᵀ."
    },
    "retained_grads.order": {
        "en": "Both results are dL2/dx: `g1 = x.grad` keeps a reference, not a copy, and zero_() "
              "and the next backward change that same tensor in place. Keep x.grad.clone() (or use "
              "autograd.grad)."
    },
    "retained_grads.double_counting": {
        "en": "The second result still holds dL1/dx: backward adds into x.grad, so zero it "
              "(x.grad.zero_()) before the second backward."
    },
    "retained_grads.double_counting2": {
        "en": "Both results are dL1/dx + dL2/dx: copy the first gradient before the second backward"
              " and zero x.grad in between."
    },
    "retained_grads.order2": {
        "en": "The two gradients are swapped: return (dL1/dx, dL2/dx) in that order."
    },
    "retained_grads.product_rule": {
        "en": "h * x depends on x through both factors: dL2/dx = h + x·(1 - h²)."
    },
    "retained_grads.product_rule2": {
        "en": "h * x depends on x through both factors: dL2/dx = h + x·(1 - h²); a detached x drops"
              " the first term."
    },
    "unbroadcast.broadcast_not_reduced": {
        "en": "Broadcasting copied the input along some axes: sum the gradient over those axes to "
              "get back to `shape`."
    },
    "unbroadcast.broadcast_not_reduced2": {
        "en": "Also sum the axes where `shape` has size 1 (with keepdims=True), not only the extra "
              "leading axes."
    },
    "unbroadcast.wrong_shape": {
        "en": "Keep the size-1 axes (keepdims=True) so the result has exactly `shape`."
    },
    "unbroadcast.missing_factor": {
        "en": "Every broadcast copy contributes its whole gradient: sum, do not average."
    },
    "mul_backward.broadcast_not_reduced": {
        "en": "grad_out has the broadcast shape: un-broadcast each gradient back to its input's "
              "shape."
    },
    "mul_backward.product_rule": {
        "en": "∂(xy)/∂x = y: each input's gradient uses the *other* input."
    },
    "mul_backward.chain_rule": {
        "en": "Multiply the local derivative by the upstream gradient grad_out."
    },
    "mul_backward.order": {
        "en": "Return the gradients in the order of the inputs: (grad_x, grad_y)."
    },
    "matmul_backward.transposed": {
        "en": "grad_A = grad_out @ Bᵀ has A's shape and grad_B = Aᵀ @ grad_out has B's shape; yours"
              " are their transposes."
    },
    "matmul_backward.order": {
        "en": "Return (grad_A, grad_B) in the order of the inputs; check which formula belongs to "
              "which matrix."
    },
    "matmul_backward.chain_rule": {
        "en": "Multiply by the upstream gradient: grad_A = grad_out @ Bᵀ, not ones @ Bᵀ."
    },
    "sum_backward.wrong_shape": {
        "en": "The gradient has x's shape: expand grad_out back along the summed dimensions."
    },
    "sum_backward.chain_rule": {
        "en": "The local derivative of a sum is 1 for every element; multiply it by grad_out."
    },
    "sum_backward.missing_factor": {
        "en": "That is the gradient of a mean: a sum passes grad_out to each element unscaled."
    },
    "central_difference.forward_difference": {
        "en": "(f(x+h) - f(x))/h is the forward difference, accurate to O(h) only; the central "
              "difference (f(x+h) - f(x-h))/(2h) is O(h²)."
    },
    "central_difference.forward_difference2": {
        "en": "(f(x) - f(x-h))/h is a one-sided difference, accurate to O(h) only; use (f(x+h) - "
              "f(x-h))/(2h)."
    },
    "central_difference.missing_factor": {
        "en": "The two points are 2h apart: divide by 2h, not h."
    },
    "central_difference.sign": {"en": "Subtract in the right order: f(x+h) - f(x-h)."},
    "derivative.product_rule": {
        "en": "(u·v)' = u'·v + u·v': differentiate one factor at a time, keep the other, and add "
              "the two terms."
    },
    "derivative.chain_rule": {
        "en": "Multiply by the derivative of the inside: (sin u)' = cos(u)·u', (u^k)' = "
              "k·u^(k-1)·u', (log u)' = u'/u."
    },
    "derivative.sign": {"en": "(cos u)' = -sin(u)·u': the derivative of cos carries a minus sign."},
    "derivative.sign2": {"en": "(u/v)' = (u'·v - u·v')/v²: the two terms are subtracted."},
    "derivative.missing_factor": {"en": "(u^k)' = k·u^(k-1)·u': keep the factor k in front."},
    "derivative.sign3": {"en": "(u - v)' = u' - v': the minus sign stays."},
    "numerical_jvp.forward_difference": {
        "en": "(f(x+hv) - f(x))/h is one-sided, accurate to O(h) only; the central difference "
              "(f(x+hv) - f(x-hv))/(2h) is O(h²)."
    },
    "numerical_jvp.forward_difference2": {
        "en": "(f(x) - f(x-hv))/h is one-sided, accurate to O(h) only; use (f(x+hv) - "
              "f(x-hv))/(2h)."
    },
    "numerical_jvp.missing_factor": {
        "en": "x+hv and x-hv are 2h apart (in units of v): divide by 2h, not h."
    },
    "numerical_jvp.sign": {"en": "Subtract in the right order: f(x+hv) - f(x-hv)."},
    "numerical_jvp.missing_factor2": {
        "en": "Do not normalise v: the JVP is linear in the tangent, J·(2v) = 2·J·v."
    },
    "Value.no_accumulation": {
        "en": "A node used twice receives a gradient from each use: add them up (`+=`), do not "
              "overwrite (`=`)."
    },
    "Value.order": {
        "en": "Call each node's backward rule in reverse topological order (the root first), so a "
              "node has its whole gradient before it passes it on."
    },
    "Value.chain_rule": {
        "en": "Chain rule: multiply each local derivative by the gradient of the output "
              "(`out.grad`)."
    },
    "Value.product_rule": {"en": "∂(ab)/∂a = b: each factor's gradient uses the *other* factor."},
    "Value.sign": {"en": "The gradient of a - b with respect to b is -1."},
    "Value.missing_factor": {"en": "Power rule: ∂(aᵖ)/∂a = p·aᵖ⁻¹ - keep the factor p."},
    "Value.chain_rule2": {"en": "tanh'(a) = 1 - tanh(a)²: use the output squared."},
    "jacobian_forward.transposed": {
        "en": "Each forward-mode pass gives one column (one JVP per input): place it so that "
        "row i belongs to output i (shape (m, n))."
    },
    "jacobian_reverse.transposed": {
        "en": "Each reverse-mode pass gives one row (one VJP per output): place it so that "
        "row i belongs to output i (shape (m, n))."
    },
    # ---- check() ---------------------------------------------------------------------------
    "check.failed": {"en": "{id} is not right yet."},
    # ---- neuron_loss_grads (lesson 05, training) -------------------------------------------
    "neuron_loss_grads.sign": {
        "en": "The residual is prediction minus target: ∂(t - y)²/∂t = 2(t - y), not 2(y - t).",
        "zh": "残差是预测值减去标签：∂(t - y)²/∂t = 2(t - y)，而不是 2(y - t)。",
    },
    "neuron_loss_grads.sum_not_mean": {
        "en": "The loss is the mean squared error: divide the sum over the points by their "
              "number m, in the loss and in both gradients.",
        "zh": "损失是均方误差：对所有样本求和后要除以样本数 m，损失和两个梯度都一样。",
    },
    "neuron_loss_grads.mean_twice": {
        "en": "Divide by the number of points m once: the mean's 1/m is already in "
              "∂L/∂t = 2(t - y)/m, do not divide the summed gradient again.",
        "zh": "只除以一次样本数 m：均值的 1/m 已经包含在 ∂L/∂t = 2(t - y)/m 中，"
              "求和之后的梯度不要再除一次。",
    },
    "neuron_loss_grads.factor_two": {
        "en": "Keep the factor 2 of the square: ∂(t - y)²/∂t = 2(t - y).",
        "zh": "不要丢掉平方求导得到的因子 2：∂(t - y)²/∂t = 2(t - y)。",
    },
    "neuron_loss_grads.tanh_skipped": {
        "en": "The prediction goes through tanh: by the chain rule, multiply by "
              "tanh'(a) = 1 - tanh(a)².",
        "zh": "预测值经过了 tanh：按照链式法则，还要乘以 tanh'(a) = 1 - tanh(a)²。",
    },
    "neuron_loss_grads.tanh_not_squared": {
        "en": "tanh'(a) = 1 - tanh(a)²: the output of tanh is squared.",
        "zh": "tanh'(a) = 1 - tanh(a)²：tanh 的输出要取平方。",
    },
    "neuron_loss_grads.tanh_of_input": {
        "en": "tanh'(a) = 1 - tanh(a)² uses tanh's output t = tanh(a), not its input "
              "a = X @ w + b.",
        "zh": "tanh'(a) = 1 - tanh(a)² 用的是 tanh 的输出 t = tanh(a)，"
              "而不是它的输入 a = X @ w + b。",
    },
    "neuron_loss_grads.last_point_only": {
        "en": "w and b are used by every point: add up (`+=`) the gradient each point "
              "contributes; only the last point's contribution came back.",
        "zh": "每个样本都用到了 w 和 b：要把每个样本贡献的梯度累加起来（`+=`），"
              "这里只返回了最后一个样本的贡献。",
    },
    "neuron_loss_grads.bias_not_summed": {
        "en": "b is one number broadcast to every point: its gradient is the sum of the "
              "points' contributions, a number, not one value per point.",
        "zh": "b 是一个标量，被广播到了每个样本上：它的梯度是各样本贡献之和，"
              "是一个数，而不是每个样本一个值。",
    },
    # ---- checkpointed_vjp: two more mistakes of the backward sweep -------------------------
    "checkpointed_vjp.late_checkpoint": {
        "en": "Save each checkpoint before the step that starts its segment: the segment's VJP "
              "must be taken at the state the segment starts from.",
        "zh": "每个检查点要在它那一段的第一步之前保存：这一段的 VJP 必须在这一段的起始状态处计算。",
    },
    "checkpointed_vjp.full_last_segment": {
        "en": "The last segment is shorter when `every` does not divide n: run it for the "
              "steps that are left, min(every, n - start), not for `every` steps.",
        "zh": "当 `every` 不能整除 n 时，最后一段更短：只运行剩下的步数 min(every, n - start)，"
              "而不是 `every` 步。",
    },
}


def text(message_id: str, language: str | None = None, **fields: Any) -> str:
    """The message `message_id` in `language` (the course language by default), formatted."""
    texts = MESSAGES[message_id]
    template = texts.get(language or LANGUAGE) or texts["en"]
    return template.format(**fields)


def fields(message_id: str, language: str = "en") -> set[str]:
    """The format fields a message uses (each translation must use the same ones)."""
    return {
        name for _, name, _, _ in string.Formatter().parse(MESSAGES[message_id][language]) if name
    }
