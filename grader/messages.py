"""Every sentence the grader shows a student, as data: an id, and a text per language.

`text(id, **fields)` formats one message in the course language (`LANGUAGE`, English unless
set).  A message missing in that language falls back to English, so an edition can grow one
message at a time; `tests/test_grader_messages.py` checks that every id the grader uses exists
and that each language's text has the same format fields as the English one.

Question-specific advice (what a known mistake means) lives here too, under ids
`<question id>.<name>`; the question entries refer to it with `advice("<id>")`."""

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
        "en": "An index ran past an axis: your code assumes a shape the inputs do not have "
        "(a 2-D `x` works too: loop over `x.size` entries with `x.flat` or `np.ndindex`)."
    },
    "advice.zero_division": {
        "en": "A division by zero: check the step size and the denominators."
    },
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
    # ---- check() ---------------------------------------------------------------------------
    "check.failed": {"en": "{id} is not right yet."},
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
