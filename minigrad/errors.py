"""The errors minigrad raises: torch's exception type and key phrase, then a plain explanation.

Each error is a teaching moment.  The first sentence is torch's own (so a search for the
message finds the same answers as for torch) and stays as torch writes it; what follows says
what happened in *this* graph and which lesson explains it.  Those explanations are data,
``EXPLAIN``: one entry per message id, one text per language (see ``minigrad._lang`` for how
the language is chosen: ``MINIGRAD_LANG``, else the running notebook's metadata).
"""

from __future__ import annotations

import warnings
from typing import Any

from . import _lang

# id -> language -> explanation (a str.format template).  Every id has every language.
EXPLAIN: dict[str, dict[str, str]] = {
    "not_implemented": {
        "en": "{what} is not implemented in minigrad.",
        "zh": "minigrad 没有实现 {what}。",
    },
    "backward_twice": {
        "en": "In minigrad: the node {node} saved arrays during the forward pass and the first "
              "backward pass released them to save memory. Pass retain_graph=True to the first "
              "backward, or recompute the forward pass (lesson 07).",
        "zh": "在 minigrad 中：节点 {node} 在前向传播时保存了中间数组，第一次反向传播为了节省内存"
              "已将它们释放。请在第一次 backward 时传入 retain_graph=True，或者重新计算一遍前向"
              "传播（第 07 课）。",
    },
    "not_scalar": {
        "en": "In minigrad: you called backward() on a tensor of shape {shape}. The gradient "
              "of a non-scalar output is a whole Jacobian; say which combination of its rows you "
              "want with backward(gradient=...) (a tensor of the output's shape), or reduce the "
              "output first, e.g. y.sum().backward() (lesson 07).",
        "zh": "在 minigrad 中：你对形状为 {shape} 的张量调用了 backward()。非标量输出的梯度是一整个"
              "雅可比矩阵；请用 backward(gradient=...)（一个与输出形状相同的张量）说明要它各行的"
              "哪种组合，或者先把输出归约为标量，例如 y.sum().backward()（第 07 课）。",
    },
    "no_grad_fn": {
        "en": "In minigrad: nothing that this output was computed from requires grad, so no graph "
              "was recorded. Call x.requires_grad_() on the inputs *before* computing, and make "
              "sure the computation did not run inside no_grad() or on a detached tensor "
              "(lesson 07).",
        "zh": "在 minigrad 中：计算这个输出所用的量都不需要梯度，所以没有记录计算图。请在计算*之前*"
              "对输入调用 x.requires_grad_()，并确认计算不是在 no_grad() 中、也不是在分离"
              "（detach）后的张量上进行的（第 07 课）。",
    },
    "grad_shape_mismatch": {
        "en": "In minigrad: the gradient you pass to backward(gradient=...) is dL/dy for this "
              "output y, so it must have exactly y's shape (lesson 07).",
        "zh": "在 minigrad 中：传给 backward(gradient=...) 的梯度是损失对这个输出 y 的导数 dL/dy，"
              "所以它的形状必须与 y 完全相同（第 07 课）。",
    },
    "int_requires_grad": {
        "en": "In minigrad: this tensor has dtype {dtype}. Derivatives need real numbers; create "
              "it with a float (torch.arange(4.0)) or convert it with .float() first (lesson 07).",
        "zh": "在 minigrad 中：这个张量的 dtype 是 {dtype}。求导需要实数；请用浮点数创建它"
              "（torch.arange(4.0)），或先用 .float() 转换（第 07 课）。",
    },
    "shape_mismatch": {
        "en": "In minigrad: {op} received shapes {a} and {b}, which cannot be broadcast "
              "together: two dimensions, compared from the right, must be equal or one of them 1 "
              "(lesson 05, un-broadcasting).",
        "zh": "在 minigrad 中：{op} 收到的形状 {a} 和 {b} 无法一起广播：从右往左逐维比较，两个维度"
              "必须相等，或者其中一个为 1（第 05 课，撤销广播）。",
    },
    "matmul_mismatch": {
        "en": "In minigrad: in A @ B the last dimension of A must equal the first (matrix) "
              "dimension of B (lesson 01, shapes of matrix derivatives).",
        "zh": "在 minigrad 中：A @ B 要求 A 的最后一维等于 B 的（矩阵部分的）第一维"
              "（第 01 课，矩阵导数的形状）。",
    },
    "leaf_inplace": {
        "en": "In minigrad: changing a parameter in place would corrupt the graph that used it. "
              "Update parameters inside `with torch.no_grad():` (as an optimizer does), or work "
              "on a copy (lesson 07).",
        "zh": "在 minigrad 中：原地修改参数会破坏用到它的计算图。请在 `with torch.no_grad():` 中"
              "更新参数（优化器就是这样做的），或者在副本上操作（第 07 课）。",
    },
    "unused_input": {
        "en": "In minigrad: input {index} cannot be reached from the outputs by walking the graph "
              "backwards, so its gradient is not zero but undefined (lesson 03).",
        "zh": "在 minigrad 中：从输出沿计算图反向走到不了输入 {index}，所以它的梯度不是零，而是"
              "没有定义（第 03 课）。",
    },
    "nonleaf_grad": {
        "en": "(In minigrad: gradients are accumulated into leaves only; lesson 07.)",
        "zh": "（在 minigrad 中：梯度只累积到叶子节点上；见第 07 课。）",
    },
    "graph_depends_on_values": {
        "en": "In minigrad: tracing {name} on two different sets of stand-in values gave two "
              "different graphs, so some Python `if`/`while` or some value computed outside the "
              "op registry (a comparison, argmax, sign, a random number ...) depends on a "
              "placeholder.  An explicit graph fixes both when it is defined; write the function "
              "without them, or compute eagerly (lesson 03).",
        "zh": "在 minigrad 中：用两组不同的替代值追踪 {name}，得到了两个不同的计算图，说明某个 "
              "Python `if`/`while`，或者某个在算子注册表之外计算的值（比较、argmax、sign、"
              "随机数……）依赖于占位符。显式构造的计算图在定义时就把两者固定下来了；请去掉它们"
              "重写这个函数，或者改用即时计算（隐式构造）（第 03 课）。",
    },
    "symbol_has_no_value": {
        "en": "a Symbol has no value yet, so it cannot decide an `if` or `while`: in a "
              "define-then-run graph the control flow is fixed when the graph is defined "
              "(lesson 03).  Compute eagerly with Tensors instead.",
        "zh": "Symbol 还没有值，所以不能决定 `if` 或 `while` 的走向：在先定义后运行（显式构造）"
              "的计算图中，控制流在定义计算图时就固定了（第 03 课）。"
              "请改用 Tensor 即时计算。",
    },
    "gradcheck_mismatch": {
        "en": "In minigrad: the first disagreement is d(output {k})[{out_entry}] / d(input {i})"
              "[{in_entry}]: central differences give {num}, {mode} gives {ana} ({bad} of "
              "{size} entries disagree). Check the derivative rule of the op that produces this "
              "output (lesson 02).",
        "zh": "在 minigrad 中：第一处不一致是 d(output {k})[{out_entry}] / d(input {i})"
              "[{in_entry}]：中心差分给出 {num}，{mode} 给出 {ana}（{size} 个元素中有 {bad} 个"
              "不一致）。请检查产生这个输出的算子的求导规则（第 02 课）。",
    },
    "vjp_needs_v": {
        "en": "In minigrad: pass v (the vector to multiply the Jacobian with) explicitly "
              "(lesson 09).",
        "zh": "在 minigrad 中：请显式传入 v（与雅可比矩阵相乘的向量）（第 09 课）。",
    },
    "nested_dual_level": {
        "en": "In minigrad: a tensor holds one tangent at a time; leave the current dual_level() "
              "first (lesson 04).",
        "zh": "在 minigrad 中：一个张量同一时刻只携带一个切向量（tangent）；请先退出当前的 "
              "dual_level()（第 04 课）。",
    },
    "no_dual_level": {
        "en": "In minigrad: write the forward-mode code inside `with dual_level():` (lesson 04).",
        "zh": "在 minigrad 中：请把正向模式（正向累积）的代码写在 `with dual_level():` 里"
              "（第 04 课）。",
    },
}


def explain(message_id: str, lang: str | None = None, **fields: Any) -> str:
    """The explanation `message_id` in `lang` (default: the current language), filled in."""
    return _lang.pick(EXPLAIN[message_id], lang).format(**fields)


def _shape(shape: tuple[int, ...]) -> str:
    return "torch.Size([" + ", ".join(str(s) for s in shape) + "])"


def not_implemented(what: str) -> NotImplementedError:
    return NotImplementedError(explain("not_implemented", what=what))


def backward_twice(node: Any) -> RuntimeError:
    return RuntimeError(
        "Trying to backward through the graph a second time (or directly access saved tensors "
        "after they have already been freed). Saved intermediate values of the graph are freed "
        "when you call .backward() or autograd.grad(). Specify retain_graph=True if you need to "
        "backward through the graph a second time or if you need to access saved tensors after "
        "calling backward.\n" + explain("backward_twice", node=node.name())
    )


def not_scalar(shape: tuple[int, ...]) -> RuntimeError:
    return RuntimeError("grad can be implicitly created only for scalar outputs\n"
                        + explain("not_scalar", shape=_shape(shape)))


def no_grad_fn(index: int = 0) -> RuntimeError:
    return RuntimeError(f"element {index} of tensors does not require grad and does not have a "
                        "grad_fn\n" + explain("no_grad_fn"))


def grad_shape_mismatch(got: tuple[int, ...], want: tuple[int, ...],
                        index: int = 0) -> RuntimeError:
    return RuntimeError(
        f"Mismatch in shape: grad_output[{index}] has a shape of {_shape(got)} and "
        f"output[{index}] has a shape of {_shape(want)}.\n" + explain("grad_shape_mismatch")
    )


def int_requires_grad(dtype: Any) -> RuntimeError:
    return RuntimeError("Only Tensors of floating point and complex dtype can require gradients\n"
                        + explain("int_requires_grad", dtype=dtype))


def shape_mismatch(op: str, a: tuple[int, ...], b: tuple[int, ...],
                   detail: str = "") -> RuntimeError:
    return RuntimeError(
        f"The size of tensor a ({_shape(a)}) must match the size of tensor b ({_shape(b)})"
        f"{detail}\n" + explain("shape_mismatch", op=op, a=a, b=b)
    )


def matmul_mismatch(a: tuple[int, ...], b: tuple[int, ...]) -> RuntimeError:
    return RuntimeError(
        f"mat1 and mat2 shapes cannot be multiplied ({'x'.join(map(str, a))} and "
        f"{'x'.join(map(str, b))})\n" + explain("matmul_mismatch")
    )


def leaf_inplace() -> RuntimeError:
    return RuntimeError("a leaf Variable that requires grad is being used in an in-place "
                        "operation.\n" + explain("leaf_inplace"))


def unused_input(index: int) -> RuntimeError:
    return RuntimeError(
        "One of the differentiated Tensors appears to not have been used in the graph. "
        "Set allow_unused=True if this is the desired behavior.\n"
        + explain("unused_input", index=index)
    )


def graph_depends_on_values(name: str) -> RuntimeError:
    return RuntimeError("define-then-run: the graph depends on the values fed in.\n"
                        + explain("graph_depends_on_values", name=name))


def symbol_has_no_value() -> TypeError:
    return TypeError(explain("symbol_has_no_value"))


def vjp_needs_v(what: str) -> RuntimeError:
    return RuntimeError(f"The vector v can only be None if the {what} is a single element "
                        "Tensor.\n" + explain("vjp_needs_v"))


def nested_dual_level() -> RuntimeError:
    return RuntimeError("Nested forward mode AD is not supported at the moment\n"
                        + explain("nested_dual_level"))


def no_dual_level() -> RuntimeError:
    return RuntimeError("Trying to create a dual Tensor for forward AD but no level exists, "
                        "make sure to enter_dual_level() first.\n" + explain("no_dual_level"))


def warn_nonleaf_grad() -> None:
    warnings.warn(
        "The .grad attribute of a Tensor that is not a leaf Tensor is being accessed. Its .grad "
        "attribute won't be populated during autograd.backward(). If you indeed want the .grad "
        "field to be populated for a non-leaf Tensor, use .retain_grad() on the non-leaf Tensor. "
        + explain("nonleaf_grad"),
        UserWarning,
        stacklevel=3,
    )
