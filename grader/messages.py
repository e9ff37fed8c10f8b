"""Every sentence the grader shows a student, as data: an id, and a text per language.

`text(id, **fields)` formats one message in the language being spoken: English ("en") or
Chinese ("zh").  The language is `LANGUAGE` (from `MINIGRAD_COURSE_LANGUAGE`, English unless
set) unless a caller speaks another one for a while (`with speaking("zh"): ...`): the practice
path speaks the notebook's language, `grade` the submission's or `--lang`.  A message missing
in a language is an error, never a silent fallback; `tests/test_grader_messages.py` checks that
every id has both languages with the same format fields.

The sandboxed child never chooses a language: the few sentences it writes (a driver's "returned
None", a refusal) are the English texts of this catalog, and `from_child` turns such a sentence
back into its id and fields and formats it in the language being spoken.

Question-specific advice (what a known mistake means) lives here too, under ids
`<question id>.<tag>` (a digit after the tag when a question has several); a question's
`Wrong(tag, "<id>", ...)` and `Question.advice` refer to them by id."""

from __future__ import annotations

import os
import re
import string
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

LANGUAGES = ("en", "zh")
LANGUAGE = os.environ.get("MINIGRAD_COURSE_LANGUAGE", "en")
_SPOKEN: ContextVar[str | None] = ContextVar("grader_language", default=None)

MESSAGES: dict[str, dict[str, str]] = {
    # ---- results ------------------------------------------------------------------------
    "result.pass": {
        "en": "✓ {id}: all {cases} cases pass ({points} points).",
        "zh": "✓ {id}：全部 {cases} 个测试用例通过（{points} 分）。",
    },
    "result.fail": {
        "en": "✗ {id}: {failed} of {cases} cases wrong. First, case {where}:",
        "zh": "✗ {id}：{cases} 个测试用例中有 {failed} 个错误。第一个是用例 {where}：",
    },
    "result.unread": {
        "en": "✗ {id}: {why}.",
        "zh": "✗ {id}：{why}。",
    },
    "result.diagnosis": {
        "en": "Diagnosis ({tag}): {advice}",
        "zh": "诊断（{tag}）：{advice}",
    },
    "result.advice": {
        "en": "Advice: {advice}",
        "zh": "建议：{advice}",
    },
    "result.noise": {
        "en": "(Hidden while checking: {noise})",
        "zh": "（检查时隐藏的输出：{noise}）",
    },
    # ---- what one case shows --------------------------------------------------------------
    "case.raised": {
        "en": "your code raised {error}",
        "zh": "你的代码抛出了 {error}",
    },
    "case.count": {
        "en": "expected {expected} values, got {got}",
        "zh": "应有 {expected} 个值，实际得到 {got} 个",
    },
    "case.shape": {
        "en": "{name} should have shape {expected}, got shape {got}",
        "zh": "{name}的形状应为 {expected}，实际为 {got}",
    },
    "case.values": {
        "en": "{name}expected {expected}, got {got}",
        "zh": "{name}应为 {expected}，实际得到 {got}",
    },
    "case.close_print": {
        "en": "{name}expected {expected}, got {got} (largest difference {abs:.2g}, relative "
        "{rel:.2g})",
        "zh": "{name}应为 {expected}，实际得到 {got}（最大差值 {abs:.2g}，相对差值 {rel:.2g}）",
    },
    "case.differs": {
        "en": "the values differ",
        "zh": "数值不一致",
    },
    "case.unreadable": {
        "en": "the grader could not read what your code returned: {reason}",
        "zh": "评分器无法读取你的代码返回的结果：{reason}",
    },
    "case.mutated": {
        "en": "your code changed its input `{name}` in place.",
        "zh": "你的代码原地修改了它的输入 `{name}`。",
    },
    "case.missing": {
        "en": "`{id}` is not defined in your notebook.",
        "zh": "你的笔记本中没有定义 `{id}`。",
    },
    "case.refused": {
        "en": "{message}",
        "zh": "{message}",
    },
    "driver.stub": {
        "en": "returned None - is the stub still there?",
        "zh": "返回了 None - 占位实现（stub）还在吗？",
    },
    "driver.not_numbers": {
        "en": "{what} is not an array of numbers ({error})",
        "zh": "{what} 不是由数值组成的数组（{error}）",
    },
    "driver.not_numbers_plain": {
        "en": "{what} is not an array of numbers",
        "zh": "{what} 不是由数值组成的数组",
    },
    "driver.count": {
        "en": "expected {count} values, got {what}",
        "zh": "应有 {count} 个值，实际得到 {what}",
    },
    "driver.malformed": {
        "en": "the answer on the result channel was malformed",
        "zh": "结果通道上的答案格式有误",
    },
    "driver.unjudged": {
        "en": "the answer could not be judged ({error})",
        "zh": "无法评判这个答案（{error}）",
    },
    "limit.your_notebook": {
        "en": "your notebook",
        "zh": "你的笔记本",
    },
    "limit.timeout": {
        "en": "{what} took longer than {timeout} s of computing time",
        "zh": "{what} 的计算时间超过了 {timeout} 秒",
    },
    "limit.memory": {
        "en": "{what} used more memory than allowed",
        "zh": "{what} 使用的内存超出了限制",
    },
    "limit.cpu": {
        "en": "{what} used up its CPU time",
        "zh": "{what} 用完了它的 CPU 时间",
    },
    "limit.garbled": {
        "en": "while running {what} the result channel was garbled",
        "zh": "运行 {what} 时结果通道出现了乱码",
    },
    "limit.crashed": {
        "en": "the process ended while running {what} ({ended})",
        "zh": "运行 {what} 时进程意外结束（{ended}）",
    },
    "limit.ungraded": {
        "en": "this submission could not be graded",
        "zh": "这份提交无法评分",
    },
    "limit.unreadable": {
        "en": "the notebook could not be read ({reason})",
        "zh": "无法读取这个笔记本（{reason}）",
    },
    "limit.case_timeout": {
        "en": "one case took longer than {timeout} s",
        "zh": "有一个测试用例运行超过了 {timeout} 秒",
    },
    # ---- advice that holds for every question ----------------------------------------------
    "advice.define": {
        "en": "Define `{signature}`.",
        "zh": "请定义 `{signature}`。",
    },
    "advice.wrong_shape": {
        "en": "Check the shape of what you return.",
        "zh": "检查你返回结果的形状。",
    },
    "advice.reshape": {
        "en": "The numbers are right, the shape is not: return shape {shapes} (the shape of the "
        "input it is the gradient for), e.g. with `.reshape` or `np.ravel`.",
        "zh": "数值正确，形状不对：返回形状 {shapes}（即它所对应的梯度的那个输入的形状），例如用 "
        "`.reshape` 或 `np.ravel`。",
    },
    "advice.count": {
        "en": "Return {count} values ({names}), as a tuple.",
        "zh": "以元组形式返回 {count} 个值（{names}）。",
    },
    "advice.garbled": {
        "en": "Return numbers: a float, a list or tuple of floats, a numpy array or a tensor.",
        "zh": "请返回数值：一个浮点数、浮点数组成的列表或元组、numpy 数组或张量。",
    },
    "advice.recursion_limit": {
        "en": "Python stops recursing near depth 1000: walk the graph with an explicit stack or "
        "queue instead of recursion.",
        "zh": "Python 的递归深度在 1000 左右就会停止：用显式的栈或队列遍历计算图，不要用递归。",
    },
    "advice.not_implemented": {
        "en": "Replace the stub with your own code.",
        "zh": "用你自己的代码替换掉占位实现（stub）。",
    },
    "advice.memory": {
        "en": "Your code used more memory than allowed; avoid building huge intermediates.",
        "zh": "你的代码使用的内存超出了限制；避免构造巨大的中间结果。",
    },
    "advice.timeout": {
        "en": "Your code took too long; look for an infinite loop or a quadratic step.",
        "zh": "你的代码运行时间过长；检查是否有死循环或平方复杂度的步骤。",
    },
    "advice.crashed": {
        "en": "The process running your code ended abruptly (exit, crash or a limit).",
        "zh": "运行你代码的进程意外结束（exit、崩溃或触及限制）。",
    },
    "advice.mutates_input": {
        "en": "Your function must leave its inputs as they were: work on a copy (`x = x.copy()`, "
        "or `x + h*e` instead of `x[i] += h`).",
        "zh": "你的函数不能改动它的输入：在副本上操作（`x = x.copy()`，或用 `x + h*e` 代替 `x[i] "
        "+= h`）。",
    },
    "advice.wrong_dtype": {
        "en": "Your numbers were cut to integers: an array made with an int dtype (or "
        "`np.zeros_like` of an int array) truncates every float you store in it; create "
        "buffers with `dtype=float`.",
        "zh": "你的数值被截断成了整数：用整数 dtype 创建的数组（或对整数数组调用 `np.zeros_like`）"
        "会截断存入的每个浮点数；请用 `dtype=float` 创建缓冲区。",
    },
    "advice.control_flow": {
        "en": "A Python `if`/`while` on an array asks one question of many numbers: choose entry "
        "by entry with `np.where(mask, a, b)` (or `minigrad.where`).",
        "zh": "对数组使用 Python 的 `if`/`while` 是在对许多个数提一个问题：用 `np.where(mask, a, "
        "b)`（或 `minigrad.where`）逐个元素地选择。",
    },
    "advice.transposed_matmul": {
        "en": "The inner dimensions of a matrix product do not match: a factor needs a transpose, "
        "or the factors are in the wrong order (write each shape down: (m, n) @ (n, k) -> "
        "(m, k)).",
        "zh": "矩阵乘法的内维不匹配：某个因子需要转置，或者因子的顺序错了（写下每个形状：(m, n) @ "
        "(n, k) -> (m, k)）。",
    },
    "advice.broadcast": {
        "en": "Two shapes do not broadcast: a gradient must be summed over the axes that "
        "broadcasting added or stretched (keep the reduced axes with keepdims=True, or "
        "reshape them back) until it has its input's shape.",
        "zh": "两个形状无法广播：梯度必须在广播所添加或拉伸的轴上求和（用 keepdims=True "
        "保留被约简的轴，或把它们 reshape 回去），直到它与输入的形状相同。",
    },
    "advice.unreduced": {
        "en": "Summed over its extra axes, your result is right: a gradient has the shape of its "
        "input, so sum over the axes that broadcasting added or stretched (keepdims=True "
        "for the stretched ones).",
        "zh": "在多出来的轴上求和后，你的结果就是对的：梯度的形状与其输入相同，"
        "所以要在广播所添加或拉伸的轴上求和（被拉伸的轴用 keepdims=True）。",
    },
    "advice.create_graph": {
        "en": "The first derivative has no graph, so it cannot be differentiated again: take it "
        "with create_graph=True.",
        "zh": "一阶导数没有计算图，因此不能再次求导：用 create_graph=True 来求它。",
    },
    "advice.reflected": {
        "en": "A number on the left (`2 - d`, `2 / d`) calls your reflected operator (`__rsub__`, "
        "`__rtruediv__`, `__radd__`, `__rmul__`): define it, minding the order.",
        "zh": "左边是数字时（`2 - d`、`2 / d`）会调用你的反射运算符（`__rsub__`、`__rtruediv__`、"
        "`__radd__`、`__rmul__`）：定义它，并注意顺序。",
    },
    "advice.index": {
        "en": "An index ran past the end of an axis: your code assumes a shape the inputs do not "
        "have; loop over the shape you were given (`np.ndindex(x.shape)` visits every entry "
        "of any shape).",
        "zh": "索引超出了某个轴的末尾：你的代码假设了输入并不具有的形状；"
        "按给定的形状循环（`np.ndindex(x.shape)` 会访问任意形状的每个元素）。",
    },
    "advice.zero_division": {
        "en": "A division by zero: check the step size and the denominators.",
        "zh": "除以零：检查步长和分母。",
    },
    "generic.transposed": {
        "en": "Your result is the transpose of the expected one: in numerator layout row i "
        "belongs to output i and column j to input j.",
        "zh": "你的结果是期望结果的转置：在分子布局中，第 i 行对应输出 i，第 j 列对应输入 j。",
    },
    "generic.sign": {
        "en": "Your result has the opposite sign: check each minus sign and each derivative of "
        "cos, of subtraction and of division.",
        "zh": "你的结果符号相反：检查每个负号，以及 cos、减法和除法的导数。",
    },
    "generic.half": {
        "en": "Your result is half the expected one: a factor 2 is missing (the derivative of u² "
        "is 2u).",
        "zh": "你的结果是期望结果的一半：少了因子 2（u² 的导数是 2u）。",
    },
    "generic.twice": {
        "en": "Your result is twice the expected one: something is counted twice.",
        "zh": "你的结果是期望结果的两倍：有某项被计算了两次。",
    },
    # ---- the method an exercise asks for -----------------------------------------------------
    "method.autograd": {
        "en": "This exercise is solved by hand with numpy: torch and minigrad's autograd are "
        "switched off while it is graded.",
        "zh": "这道练习要用 numpy 手工求解：评分时 torch 和 minigrad 的自动求导都被关闭。",
    },
    "method.reverse_mode": {
        "en": "This exercise asks for forward mode: one JVP per input direction "
        "(minigrad.func.jvp or forward_ad); backward, autograd.grad and jacrev are switched "
        "off.",
        "zh": "这道练习要求正向模式：每个输入方向一次 JVP（minigrad.func.jvp 或 forward_ad）；"
        "backward、autograd.grad 和 jacrev 都被关闭。",
    },
    "method.forward_mode": {
        "en": "This exercise asks for reverse mode: one VJP (a backward pass) per output; jvp, "
        "jacfwd and forward_ad are switched off.",
        "zh": "这道练习要求反向模式：每个输出一次 VJP（一次反向传播）；jvp、jacfwd 和 forward_ad "
        "都被关闭。",
    },
    "method.functional_hessian": {
        "en": "This exercise asks for a double backward: take ∇f with create_graph=True, then "
        "differentiate ⟨∇f, v⟩ again; autograd.functional.hvp and hessian are switched off.",
        "zh": "这道练习要求二次反向传播：用 create_graph=True 求 ∇f，再对 ⟨∇f, v⟩ 求导；"
        "autograd.functional.hvp 和 hessian 都被关闭。",
    },
    "method.recursion_limit": {
        "en": "This exercise asks for an iterative walk (an explicit stack): the recursion limit "
        "cannot be raised while it is graded.",
        "zh": "这道练习要求迭代遍历（显式的栈）：评分时不能提高递归深度限制。",
    },
    "method.through_the_loop": {
        "en": "This exercise asks for autograd through the Newton loop (backward on y.sum()), not "
        "the derivative of sqrt written down.",
        "zh": "这道练习要求通过牛顿迭代循环进行自动求导（对 y.sum() 调用 backward），"
        "而不是直接写出 sqrt 的导数。",
    },
    "refused.closed_form": {
        "en": "the numbers are right, but no backward pass ran while your function did.",
        "zh": "数值是对的，但你的函数运行时没有执行任何反向传播。",
    },
    "refused.autograd": {
        "en": "{what} is switched off while this exercise is graded: it is solved by hand, with "
        "numpy.",
        "zh": "评分这道练习时 {what} 被关闭：它要用 numpy 手工求解。",
    },
    "refused.import": {
        "en": "importing {what} is switched off while this exercise is graded: it is solved by "
        "hand, with numpy.",
        "zh": "评分这道练习时禁止导入 {what}：它要用 numpy 手工求解。",
    },
    "refused.reverse_mode": {
        "en": "{what} is switched off while this exercise is graded: it asks for forward mode "
        "(one JVP per input direction).",
        "zh": "评分这道练习时 {what} 被关闭：它要求正向模式（每个输入方向一次 JVP）。",
    },
    "refused.forward_mode": {
        "en": "{what} is switched off while this exercise is graded: it asks for reverse mode "
        "(one backward pass per output).",
        "zh": "评分这道练习时 {what} 被关闭：它要求反向模式（每个输出一次反向传播）。",
    },
    "refused.functional_hessian": {
        "en": "{what} is switched off while this exercise is graded: it asks for a double "
        "backward with create_graph=True.",
        "zh": "评分这道练习时 {what} 被关闭：它要求用 create_graph=True 做二次反向传播。",
    },
    "refused.recursion_limit": {
        "en": "{what} is switched off while this exercise is graded: it asks for an iterative "
        "walk, so the recursion limit stays as it is.",
        "zh": "评分这道练习时 {what} 被关闭：它要求迭代遍历，所以递归深度限制保持不变。",
    },
    "refused.earlier_line": {
        "en": "an earlier line of this cell was refused",
        "zh": "这个单元格中前面的一行已被拒绝执行",
    },
    # ---- question-specific advice ------------------------------------------------------------
    "topo_sort.root_missing_detail": {
        "en": "the root itself is missing from your list.",
        "zh": "你的列表中缺少根节点本身。",
    },
    "topo_sort.root_missing": {
        "en": "The order ends with the root: append every node, the root included, after all its "
        "parents.",
        "zh": "拓扑序以根节点结尾：把每个节点（包括根节点）排在它所有父节点之后。",
    },
    "topo_sort.not_nodes": {
        "en": "your list contains objects that are not nodes of the graph.",
        "zh": "你的列表中包含不是该计算图节点的对象。",
    },
    "topo_sort.twice_detail": {
        "en": "{count} nodes appear more than once.",
        "zh": "有 {count} 个节点出现了不止一次。",
    },
    "topo_sort.twice": {
        "en": "A node reached along two paths must be listed once: keep a set of the nodes "
        "already visited.",
        "zh": "经由两条路径到达的节点只能列出一次：维护一个已访问节点的集合。",
    },
    "topo_sort.missing_detail": {
        "en": "{missing} of the {reachable} reachable nodes are missing.",
        "zh": "{reachable} 个可达节点中缺少 {missing} 个。",
    },
    "topo_sort.missing": {
        "en": "Follow every parent in `.parents`, not only the first one.",
        "zh": "沿着 `.parents` 中的每一个父节点走，而不只是第一个。",
    },
    "topo_sort.late_detail": {
        "en": "{late} nodes come before one of their parents.",
        "zh": "有 {late} 个节点排在它的某个父节点之前。",
    },
    "topo_sort.late": {
        "en": "Append a node only after all its parents are in the list (post-order).",
        "zh": "只有在一个节点的所有父节点都已在列表中之后，才把它加入（后序）。",
    },
    "topo_sort.reversed": {
        "en": "Append a node only after all its parents are in the list (post-order). Your list "
        "is exactly reversed: put the parents first and the root last.",
        "zh": "只有在一个节点的所有父节点都已在列表中之后，才把它加入（后序）。你的列表恰好反了："
        "父节点在前，根节点在最后。",
    },
    "lecture_f_slope.abs": {
        "en": "The loop never ended: b.norm() is |b|. Without abs, a negative b is always below "
        "1000 and doubling drives it towards -∞ forever.",
        "zh": "循环没有结束：b.norm() 是 |b|。没有绝对值时，负的 b 永远小于 1000，"
        "不断翻倍只会让它趋向 -∞。",
    },
    "central_difference.any_shape": {
        "en": "x may have any shape, (2, 3) too: step one entry at a time over all x.size entries "
        "(`for i in np.ndindex(x.shape)`) and return an array of x's shape.",
        "zh": "x 可以是任意形状，包括 (2, 3)：对全部 x.size 个元素逐个取步长（`for i in "
        "np.ndindex(x.shape)`），并返回与 x 形状相同的数组。",
    },
    "Dual.power_rule": {
        "en": "Power rule: (uᵖ)' = p·uᵖ⁻¹·u': the power drops by one, p - 1, not to 1.",
        "zh": "幂法则：(uᵖ)' = p·uᵖ⁻¹·u'：指数减一，变为 p - 1，而不是变为 1。",
    },
    "Dual.rsub": {
        "en": "`2 - d` calls d.__rsub__(2): the result is 2 - d, so the number comes first "
        "(`Dual.lift(other) - self`).",
        "zh": "`2 - d` 会调用 d.__rsub__(2)：结果是 2 - d，所以数字在前（`Dual.lift(other) - "
        "self`）。",
    },
    "Dual.rtruediv": {
        "en": "`2 / d` calls d.__rtruediv__(2): the result is 2 / d, so the number is the "
        "numerator (`Dual.lift(other) / self`).",
        "zh": "`2 / d` 会调用 d.__rtruediv__(2)：结果是 2 / d，所以数字是分子（`Dual.lift(other) "
        "/ self`）。",
    },
    "Value.relu": {
        "en": "relu'(a) is 1 where a > 0 and 0 elsewhere: a negative input stops the gradient.",
        "zh": "relu'(a) 在 a > 0 处为 1，其他地方为 0：负的输入会阻断梯度。",
    },
    "Value.dedup": {
        "en": "A node reached along several paths must appear once in the topological order: keep "
        "a set of visited nodes, or its backward runs once per path and gradients are "
        "counted several times.",
        "zh": "经由多条路径到达的节点在拓扑序中只能出现一次：维护一个已访问节点的集合，否则它的 "
        "backward 会按路径数多次运行，梯度被重复累加。",
    },
    "count_paths.dict": {
        "en": "Return a dict that maps each node (the node objects themselves) to its number of "
        "paths to the root.",
        "zh": "返回一个字典，把每个节点（节点对象本身）映射到它到根节点的路径数。",
    },
    "count_paths.not_dict": {
        "en": "expected a dict {{node: number of paths}}, got {type}",
        "zh": "应返回字典 {{节点: 路径数}}，实际得到 {type}",
    },
    "count_paths.keys": {
        "en": "the keys of your dict must be the nodes of the graph",
        "zh": "字典的键必须是计算图的节点",
    },
    "explicit_ex2.graph": {
        "en": "Build the graph first, then run it: combine the placeholders with symbolic ops and "
        "return the two Symbols; the grader feeds the numbers.",
        "zh": "先构造计算图，再运行它：用符号运算组合占位符，并返回两个 Symbol；数值由评分器输入。",
    },
    "explicit_ex2.symbols": {
        "en": "return two minigrad.symbolic Symbols (z, dz_dw): the graph, not values",
        "zh": "返回两个 minigrad.symbolic 的 Symbol (z, dz_dw)：返回计算图，而不是数值",
    },
    # ---- what each known mistake means (question id . tag) --------------------------------
    "grad_ex1.missing_factor": {
        "en": "The derivative of u² is 2u: keep the factor 2 from the square.",
        "zh": "u² 的导数是 2u：保留平方带来的因子 2。",
    },
    "grad_ex1.chain_rule": {
        "en": "Multiply by the inner derivative: ∂<x,w>/∂w = x, so the result is a vector shaped "
        "like w.",
        "zh": "乘以内层导数：∂<x,w>/∂w = x，所以结果是与 w 形状相同的向量。",
    },
    "grad_ex1.chain_rule2": {
        "en": "∂<x,w>/∂w is x, not w: differentiate with respect to w.",
        "zh": "∂<x,w>/∂w 是 x，而不是 w：对 w 求导。",
    },
    "grad_ex1.sign": {
        "en": "The residual is <x,w> - y; (y - <x,w>) flips the sign of the gradient.",
        "zh": "残差是 <x,w> - y；写成 (y - <x,w>) 会使梯度变号。",
    },
    "grad_ex2.missing_factor": {
        "en": "The derivative of ‖r‖² is 2r: keep the factor 2.",
        "zh": "‖r‖² 的导数是 2r：保留因子 2。",
    },
    "grad_ex2.missing_factor2": {
        "en": "z = ‖Xw - y‖² is a sum over the m samples, not their mean: do not divide by m.",
        "zh": "z = ‖Xw - y‖² 是对 m 个样本求和，而不是求平均：不要除以 m。",
    },
    "grad_ex2.chain_rule": {
        "en": "Multiply by the inner Jacobian ∂(Xw)/∂w = X: the gradient is 2 Xᵀ(Xw - y), shaped "
        "like w.",
        "zh": "乘以内层的雅可比矩阵 ∂(Xw)/∂w = X：梯度是 2 Xᵀ(Xw - y)，形状与 w 相同。",
    },
    "grad_ex2.broadcast_not_reduced": {
        "en": "Every row of X contributes to ∂z/∂w: sum the rows (Xᵀ r does that) instead of "
        "returning one row per sample.",
        "zh": "X 的每一行都对 ∂z/∂w 有贡献：把各行加起来（Xᵀ r 正是这样做的），"
        "而不是每个样本返回一行。",
    },
    "grad_ex2.sign": {
        "en": "The residual is Xw - y; (y - Xw) flips the sign of the gradient.",
        "zh": "残差是 Xw - y；写成 (y - Xw) 会使梯度变号。",
    },
    "jacobian_Ax.transposed": {
        "en": "In numerator layout the Jacobian of Ax is A itself (m×n: one row per output), not "
        "Aᵀ.",
        "zh": "在分子布局中，Ax 的雅可比矩阵就是 A 本身（m×n：每个输出一行），而不是 Aᵀ。",
    },
    "jacobian_Ax.wrong_shape": {
        "en": "You returned the value Ax; the derivative of a linear map is the matrix of the "
        "map, shape (m, n).",
        "zh": "你返回的是值 Ax；线性映射的导数就是该映射的矩阵，形状为 (m, n)。",
    },
    "jacobian_Ax.chain_rule": {
        "en": "The derivative of Ax does not depend on x: do not multiply by x.",
        "zh": "Ax 的导数与 x 无关：不要乘以 x。",
    },
    "jacobian.wrong_shape": {
        "en": "A single pass with an all-ones direction gives a sum of columns, not the Jacobian: "
        "use one basis vector per pass.",
        "zh": "用全 1 方向做一次传递得到的是各列之和，而不是雅可比矩阵：每次传递用一个基向量。",
    },
    "jacobian.wrong_shape2": {
        "en": "A single pass with an all-ones direction gives a sum of rows, not the Jacobian: "
        "use one basis vector per pass.",
        "zh": "用全 1 方向做一次传递得到的是各行之和，而不是雅可比矩阵：每次传递用一个基向量。",
    },
    "jacobian.double_counting": {
        "en": "x.grad still held the earlier rows: backward adds into it, so zero it between "
        "passes (or use autograd.grad).",
        "zh": "x.grad 中还留着之前的行：backward 会累加到其中，所以在两次传递之间把它清零（或使用 "
        "autograd.grad）。",
    },
    "checkpointed_vjp.transposed": {
        "en": "That is J·v (a JVP, forward mode); the question asks for vᵀJ, which the backward "
        "pass gives.",
        "zh": "那是 J·v（JVP，正向模式）；题目要求的是 vᵀJ，由反向传播给出。",
    },
    "checkpointed_vjp.order": {
        "en": "Walk the segments from the last one back to the first: the cotangent enters at the "
        "output.",
        "zh": "从最后一段往回走到第一段：余切向量从输出端进入。",
    },
    "checkpointed_vjp.chain_rule": {
        "en": "Chain rule: each segment's backward starts from the cotangent the segment after it "
        "produced, not from v again.",
        "zh": "链式法则：每一段的反向传播从它后面那一段产生的余切向量开始，而不是再次从 v 开始。",
    },
    "checkpointed_vjp.chain_rule2": {
        "en": "Recompute each segment from its own checkpoint: its Jacobian must be taken at the "
        "states it really passed through.",
        "zh": "从每一段自己的检查点重新计算该段：它的雅可比矩阵必须在它实际经过的状态处求得。",
    },
    "lecture_f_slope.chain_rule": {
        "en": "That is d = f(a), the value; the slope is the factor k in d = k·a.",
        "zh": "那是 d = f(a)，即函数值；斜率是 d = k·a 中的因子 k。",
    },
    "lecture_f_slope.chain_rule2": {
        "en": "Every pass of the while loop multiplies b by 2, and so the slope: count the passes.",
        "zh": "while 循环每执行一次就把 b 乘以 2，斜率也随之翻倍：数一数循环执行了几次。",
    },
    "lecture_f_slope.missing_factor": {
        "en": "When b.sum() <= 0 (a < 0) the else branch returns 100 * b: its slope has the "
        "factor 100.",
        "zh": "当 b.sum() <= 0（a < 0）时，else 分支返回 100 * b：它的斜率带有因子 100。",
    },
    "lecture_f_slope.sign": {
        "en": "The factor 100 belongs to the else branch, taken when b.sum() <= 0, that is when a "
        "< 0.",
        "zh": "因子 100 属于 else 分支，该分支在 b.sum() <= 0 时执行，即 a < 0 时。",
    },
    "lecture_f_slope.missing_factor2": {
        "en": "One doubling is missing: b = a * 2 doubles once before the loop, then once per "
        "pass while |b| < 1000.",
        "zh": "少了一次翻倍：b = a * 2 在循环之前翻倍一次，之后在 |b| < 1000 "
        "时每次循环再翻倍一次。",
    },
    "lecture_f_slope.double_counting": {
        "en": "One doubling too many: the loop stops as soon as |b| >= 1000.",
        "zh": "多了一次翻倍：一旦 |b| >= 1000，循环就停止。",
    },
    "huber_grad.sign": {
        "en": "On the outer pieces the slope is delta·sign(x): -delta where x < -delta.",
        "zh": "在两侧的分段上斜率是 delta·sign(x)：当 x < -delta 时为 -delta。",
    },
    "huber_grad.chain_rule": {
        "en": "Those are the values h(x); the exercise asks for their gradient.",
        "zh": "那些是函数值 h(x)；这道练习要求的是它们的梯度。",
    },
    "huber_grad.missing_factor": {
        "en": "The derivative of x²/2 is x, not x/2.",
        "zh": "x²/2 的导数是 x，而不是 x/2。",
    },
    "huber_grad.wrong_shape": {
        "en": "A Python `if` on a tensor picks one piece for the whole tensor: every entry needs "
        "its own piece, so use minigrad.where(mask, inner, outer).",
        "zh": "对张量使用 Python 的 `if` 会为整个张量只选一个分段：每个元素都需要自己的分段，"
        "所以请用 minigrad.where(mask, inner, outer)。",
    },
    "huber_grad.wrong_shape2": {
        "en": "A Python `if` on a tensor picks one piece for the whole tensor: every entry needs "
        "its own piece, so use minigrad.where(mask, inner, outer).",
        "zh": "对张量使用 Python 的 `if` 会为整个张量只选一个分段：每个元素都需要自己的分段，"
        "所以请用 minigrad.where(mask, inner, outer)。",
    },
    "newton_sqrt_grad.chain_rule": {
        "en": "That is y = sqrt(x), the value: call backward on y.sum() and return x.grad.",
        "zh": "那是函数值 y = sqrt(x)：对 y.sum() 调用 backward，并返回 x.grad。",
    },
    "newton_sqrt_grad.chain_rule2": {
        "en": "A zero gradient: the loop's result is not connected to x. Keep every step a "
        "minigrad op (no .item(), .numpy(), detach() or no_grad() on the path from x to y).",
        "zh": "梯度为零：循环的结果与 x 没有连接。让每一步都是 minigrad 运算（从 x 到 y "
        "的路径上不要用 .item()、.numpy()、detach() 或 no_grad()）。",
    },
    "newton_sqrt_grad.double_counting": {
        "en": "Twice the slope of sqrt: d sqrt(x)/dx = 1 / (2 sqrt(x)).",
        "zh": "这是 sqrt 斜率的两倍：d sqrt(x)/dx = 1 / (2 sqrt(x))。",
    },
    "newton_sqrt_grad.wrong_shape": {
        "en": "x.grad has the shape of x: one slope per entry, not their sum.",
        "zh": "x.grad 的形状与 x 相同：每个元素一个斜率，而不是它们的和。",
    },
    "Dual.product_rule": {
        "en": "Product rule: (uv)' = u'v + uv', not u'v'.",
        "zh": "乘法法则：(uv)' = u'v + uv'，而不是 u'v'。",
    },
    "Dual.product_rule2": {
        "en": "Product rule: (uv)' = u'v + uv' - both terms are needed.",
        "zh": "乘法法则：(uv)' = u'v + uv' - 两项都需要。",
    },
    "Dual.sign": {
        "en": "Quotient rule: (u/v)' = (u'v - uv')/v² - mind the minus sign.",
        "zh": "除法法则：(u/v)' = (u'v - uv')/v² - 注意负号。",
    },
    "Dual.sign2": {
        "en": "The derivative of a - b is a' - b': subtract the tangents.",
        "zh": "a - b 的导数是 a' - b'：把切向量相减。",
    },
    "Dual.sign3": {
        "en": "The derivative of cos is -sin.",
        "zh": "cos 的导数是 -sin。",
    },
    "Dual.chain_rule": {
        "en": "Chain rule: the tangent of f(u) is f'(u)·u' - multiply by the input's tangent.",
        "zh": "链式法则：f(u) 的切向量是 f'(u)·u' - 要乘以输入的切向量。",
    },
    "Dual.missing_factor": {
        "en": "Power rule: (uᵖ)' = p·uᵖ⁻¹·u' - keep the factor p.",
        "zh": "幂法则：(uᵖ)' = p·uᵖ⁻¹·u' - 保留因子 p。",
    },
    "baydin_reverse.no_accumulation": {
        "en": "x1 feeds two operations (ln x1 and x1·x2): add the adjoints of both paths.",
        "zh": "x1 流入两个运算（ln x1 和 x1·x2）：把两条路径的伴随值相加。",
    },
    "baydin_reverse.no_accumulation2": {
        "en": "x1 feeds two operations (ln x1 and x1·x2): add the adjoints of both paths.",
        "zh": "x1 流入两个运算（ln x1 和 x1·x2）：把两条路径的伴随值相加。",
    },
    "baydin_reverse.no_accumulation3": {
        "en": "x2 feeds two operations (x1·x2 and sin x2): add the adjoints of both paths.",
        "zh": "x2 流入两个运算（x1·x2 和 sin x2）：把两条路径的伴随值相加。",
    },
    "baydin_reverse.no_accumulation4": {
        "en": "x2 feeds two operations (x1·x2 and sin x2): add the adjoints of both paths.",
        "zh": "x2 流入两个运算（x1·x2 和 sin x2）：把两条路径的伴随值相加。",
    },
    "baydin_reverse.sign": {
        "en": "y subtracts sin x2, so its adjoint flows back as -cos x2.",
        "zh": "y 减去了 sin x2，所以它的伴随值以 -cos x2 的形式反向传回。",
    },
    "baydin_reverse.product_rule": {
        "en": "The adjoint of x1·x2 sends x2 to x1 and x1 to x2 (each input gets the other one).",
        "zh": "x1·x2 的伴随把 x2 传给 x1，把 x1 传给 x2（每个输入得到另一个输入）。",
    },
    "baydin_reverse.sign2": {
        "en": "Check the forward pass: y = ln x1 + x1·x2 - sin x2.",
        "zh": "检查前向传播：y = ln x1 + x1·x2 - sin x2。",
    },
    "baydin_forward.product_rule": {
        "en": "Product rule: the tangent of x1·x2 is dx1·x2 + x1·dx2, not dx1·dx2.",
        "zh": "乘法法则：x1·x2 的切向量是 dx1·x2 + x1·dx2，而不是 dx1·dx2。",
    },
    "baydin_forward.product_rule2": {
        "en": "Product rule: the tangent of x1·x2 is dx1·x2 + x1·dx2 - both terms are needed.",
        "zh": "乘法法则：x1·x2 的切向量是 dx1·x2 + x1·dx2 - 两项都需要。",
    },
    "baydin_forward.product_rule3": {
        "en": "Product rule: the tangent of x1·x2 is dx1·x2 + x1·dx2 - both terms are needed.",
        "zh": "乘法法则：x1·x2 的切向量是 dx1·x2 + x1·dx2 - 两项都需要。",
    },
    "baydin_forward.sign": {
        "en": "y subtracts sin x2, so its tangent subtracts cos(x2)·dx2.",
        "zh": "y 减去了 sin x2，所以它的切向量要减去 cos(x2)·dx2。",
    },
    "baydin_forward.chain_rule": {
        "en": "Chain rule: the tangent of f(u) is f'(u)·du - multiply by the input's tangent.",
        "zh": "链式法则：f(u) 的切向量是 f'(u)·du - 要乘以输入的切向量。",
    },
    "baydin_forward.chain_rule2": {
        "en": "The tangent of ln u is du / u: divide the input's tangent by the input.",
        "zh": "ln u 的切向量是 du / u：用输入的切向量除以输入。",
    },
    "baydin_forward.sign2": {
        "en": "Check the primal trace: y = ln x1 + x1·x2 - sin x2.",
        "zh": "检查原值轨迹：y = ln x1 + x1·x2 - sin x2。",
    },
    "baydin_forward.order": {
        "en": "Return (y, dy): the primal first, then its tangent.",
        "zh": "返回 (y, dy)：先是原值，再是它的切向量。",
    },
    "count_paths.no_accumulation": {
        "en": "A node used twice (x*x) lies on two edges, so on twice as many paths: count every "
        "entry of .parents, repeated ones too.",
        "zh": "被使用两次的节点（x*x）位于两条边上，因此路径数也是两倍：.parents "
        "中的每一项都要计数，重复的也算。",
    },
    "count_paths.no_accumulation2": {
        "en": "A node with several users continues to the root through each of them: add their "
        "counts, do not keep only the largest.",
        "zh": "有多个使用者的节点经由每个使用者通往根节点：把它们的计数相加，"
        "不要只保留最大的那个。",
    },
    "count_paths.chain_rule": {
        "en": "Counting a node's users is one step of the chain rule; each user continues along "
        "all of *its* paths: a node's count is the sum of its users' counts.",
        "zh": "数一个节点的使用者只是链式法则的一步；每个使用者还要沿着*它自己*的所有路径继续："
        "一个节点的计数是其所有使用者计数之和。",
    },
    "count_paths.transposed": {
        "en": "You counted paths from the inputs down to each node; count paths from each node up "
        "to the root, the way gradients travel.",
        "zh": "你数的是从输入向下到每个节点的路径；应当数从每个节点向上到根节点的路径，"
        "也就是梯度传递的方向。",
    },
    "count_paths.order": {
        "en": "Visit the nodes root first (reverse topological order): a node's count is complete "
        "only after all its users have added to it.",
        "zh": "从根节点开始访问节点（逆拓扑序）：只有在所有使用者都把计数加给它之后，"
        "一个节点的计数才完整。",
    },
    "explicit_ex2.wrong_shape": {
        "en": "z is a scalar: sum the squares of the residual (or use dot(r, r)).",
        "zh": "z 是标量：对残差的平方求和（或使用 dot(r, r)）。",
    },
    "explicit_ex2.chain_rule": {
        "en": "z is the *square* of the norm, ‖r‖² = Σ r_i²; the norm alone has the gradient "
        "Xᵀr/‖r‖.",
        "zh": "z 是范数的*平方*，‖r‖² = Σ r_i²；范数本身的梯度是 Xᵀr/‖r‖。",
    },
    "explicit_ex2.missing_factor": {
        "en": "The derivative of ‖r‖² is 2r: the gradient is 2Xᵀ(Xw - y).",
        "zh": "‖r‖² 的导数是 2r：梯度是 2Xᵀ(Xw - y)。",
    },
    "explicit_ex2.sign": {
        "en": "The gradient is 2Xᵀ(Xw - y); with (y - Xw) inside, its sign flips.",
        "zh": "梯度是 2Xᵀ(Xw - y)；里面写成 (y - Xw) 会使符号相反。",
    },
    "explicit_ex2.chain_rule2": {
        "en": "Differentiate z, not the residual: symbolic.gradients(z, [w]).",
        "zh": "对 z 求导，而不是对残差求导：symbolic.gradients(z, [w])。",
    },
    "hvp.chain_rule": {
        "en": "That is the gradient ∇f(x): differentiate ⟨∇f(x), v⟩ once more (keep the first "
        "backward's graph with create_graph=True).",
        "zh": "那是梯度 ∇f(x)：对 ⟨∇f(x), v⟩ 再求一次导（用 create_graph=True "
        "保留第一次反向传播的计算图）。",
    },
    "hvp.double_counting": {
        "en": "x.grad still held the first gradient when the second backward added to it: take "
        "the first derivative with autograd.grad, or zero x.grad.",
        "zh": "第二次 backward 累加时 x.grad 中还留着第一次的梯度：用 autograd.grad 求一阶导数，"
        "或把 x.grad 清零。",
    },
    "hvp.wrong_shape": {
        "en": "⟨∇f(x), v⟩ is a number; its gradient with respect to x is H·v.",
        "zh": "⟨∇f(x), v⟩ 是一个数；它关于 x 的梯度是 H·v。",
    },
    "hessian_matrix.chain_rule": {
        "en": "That is the gradient ∇f(x): differentiate each of its entries once more (keep the "
        "first backward's graph with create_graph=True).",
        "zh": "那是梯度 ∇f(x)：对它的每个元素再求一次导（用 create_graph=True "
        "保留第一次反向传播的计算图）。",
    },
    "hessian_matrix.wrong_shape": {
        "en": "One backward of ∇f(x).sum() gives H·(1, …, 1), the row sums: take one row per "
        "entry of the gradient.",
        "zh": "对 ∇f(x).sum() 做一次 backward 得到的是 H·(1, …, 1)，即各行之和："
        "梯度的每个元素各求一行。",
    },
    "hessian_matrix.double_counting": {
        "en": "Each row still held the rows before it: backward adds into x.grad, so zero it "
        "between rows (or use autograd.grad).",
        "zh": "每一行中还留着之前的行：backward 会累加到 x.grad 中，"
        "所以在各行之间把它清零（或使用 autograd.grad）。",
    },
    "hessian_matrix.double_counting2": {
        "en": "Each row still holds the gradient ∇f(x) from the first backward: zero x.grad (or "
        "use autograd.grad) before differentiating the gradient again.",
        "zh": "每一行中还留着第一次 backward 得到的梯度 ∇f(x)：在对梯度再次求导之前把 x.grad "
        "清零（或使用 autograd.grad）。",
    },
    "microbatch_grad.missing_factor": {
        "en": "Each micro-batch's mean loss must be weighted by its share of the batch, "
        "len(chunk) / m: the full mean divides by m, not by len(chunk).",
        "zh": "每个微批量的平均损失必须按它在整个批量中所占的比例 len(chunk) / m 加权："
        "整体平均是除以 m，而不是除以 len(chunk)。",
    },
    "microbatch_grad.missing_factor2": {
        "en": "Averaging the micro-batch means weighs a small last micro-batch like a full one: "
        "weight each by len(chunk) / m instead.",
        "zh": "对各微批量的平均值再求平均，会让较小的最后一个微批量和完整的微批量权重相同：应按 "
        "len(chunk) / m 给每个加权。",
    },
    "microbatch_grad.no_accumulation": {
        "en": "Only the last micro-batch is left: zeroing w.grad inside the loop throws away the "
        "earlier micro-batches. Zero once, before the loop.",
        "zh": "只剩下最后一个微批量：在循环内把 w.grad 清零会丢掉之前的微批量。"
        "只在循环之前清零一次。",
    },
    "microbatch_grad.no_accumulation2": {
        "en": "Only the last micro-batch is left: zeroing w.grad inside the loop throws away the "
        "earlier micro-batches. Zero once, before the loop.",
        "zh": "只剩下最后一个微批量：在循环内把 w.grad 清零会丢掉之前的微批量。"
        "只在循环之前清零一次。",
    },
    "microbatch_grad.missing_factor3": {
        "en": "That is the gradient of the sum of squares: the loss is their mean, so divide by m.",
        "zh": "那是平方和的梯度：损失是它们的平均值，所以要除以 m。",
    },
    "accumulated_grad.no_accumulation": {
        "en": "backward adds into .grad: after two backward calls x.grad holds the sum of both "
        "gradients.",
        "zh": "backward 会累加到 .grad 中：两次调用 backward 之后，x.grad 保存的是两个梯度之和。",
    },
    "accumulated_grad.no_accumulation2": {
        "en": "backward adds into .grad: the second call adds its gradient to what the first one "
        "left there.",
        "zh": "backward 会累加到 .grad 中：第二次调用把它的梯度加到第一次留下的值上。",
    },
    "accumulated_grad.double_counting": {
        "en": "Each backward call adds its gradient once more: the first loss went back twice.",
        "zh": "每次调用 backward 都会再加一次它的梯度：第一个损失被反向传播了两次。",
    },
    "accumulated_grad.product_rule": {
        "en": "x.detach() is a constant: no gradient flows through it, so the product rule has "
        "one term only.",
        "zh": "x.detach() 是常量：梯度不会流经它，所以乘法法则只剩一项。",
    },
    "vjp_backward.missing_factor": {
        "en": "The factor v is missing: y.sum().backward() is backward(gradient=ones); "
        "backward(gradient=v) weights the gradient of output i by v[i].",
        "zh": "缺少因子 v：y.sum().backward() 就是 backward(gradient=ones)；backward(gradient=v) "
        "会用 v[i] 给输出 i 的梯度加权。",
    },
    "vjp_backward.chain_rule": {
        "en": "tanh sits between A @ x and y: its slope 1 - y² multiplies v before Aᵀ does.",
        "zh": "tanh 位于 A @ x 和 y 之间：它的斜率 1 - y² 要先于 Aᵀ 乘到 v 上。",
    },
    "vjp_backward.chain_rule2": {
        "en": "The slope of tanh at u is 1 - tanh(u)², not tanh(u).",
        "zh": "tanh 在 u 处的斜率是 1 - tanh(u)²，而不是 tanh(u)。",
    },
    "vjp_backward.wrong_shape": {
        "en": "That is the gradient with respect to u = A @ x (shape of y); x.grad has the shape "
        "of x: multiply by Aᵀ.",
        "zh": "那是关于 u = A @ x 的梯度（形状与 y 相同）；x.grad 的形状与 x 相同：还要乘以 Aᵀ。",
    },
    "retained_grads.order": {
        "en": "Both results are dL2/dx: `g1 = x.grad` keeps a reference, not a copy, and zero_() "
        "and the next backward change that same tensor in place. Keep x.grad.clone() (or "
        "use autograd.grad).",
        "zh": "两个结果都是 dL2/dx：`g1 = x.grad` 保存的是引用而不是副本，zero_() 和下一次 "
        "backward 会原地修改同一个张量。请保存 x.grad.clone()（或使用 autograd.grad）。",
    },
    "retained_grads.double_counting": {
        "en": "The second result still holds dL1/dx: backward adds into x.grad, so zero it "
        "(x.grad.zero_()) before the second backward.",
        "zh": "第二个结果中还留着 dL1/dx：backward 会累加到 x.grad 中，所以在第二次 backward "
        "之前把它清零（x.grad.zero_()）。",
    },
    "retained_grads.double_counting2": {
        "en": "Both results are dL1/dx + dL2/dx: copy the first gradient before the second "
        "backward and zero x.grad in between.",
        "zh": "两个结果都是 dL1/dx + dL2/dx：在第二次 backward 之前复制第一个梯度，并在两次之间把 "
        "x.grad 清零。",
    },
    "retained_grads.order2": {
        "en": "The two gradients are swapped: return (dL1/dx, dL2/dx) in that order.",
        "zh": "两个梯度的顺序反了：按 (dL1/dx, dL2/dx) 的顺序返回。",
    },
    "retained_grads.product_rule": {
        "en": "h * x depends on x through both factors: dL2/dx = h + x·(1 - h²).",
        "zh": "h * x 通过两个因子都依赖于 x：dL2/dx = h + x·(1 - h²)。",
    },
    "retained_grads.product_rule2": {
        "en": "h * x depends on x through both factors: dL2/dx = h + x·(1 - h²); a detached x "
        "drops the first term.",
        "zh": "h * x 通过两个因子都依赖于 x：dL2/dx = h + x·(1 - h²)；分离（detach）后的 x "
        "会丢掉第一项。",
    },
    "unbroadcast.broadcast_not_reduced": {
        "en": "Broadcasting copied the input along some axes: sum the gradient over those axes to "
        "get back to `shape`.",
        "zh": "广播沿某些轴复制了输入：在这些轴上对梯度求和，使其回到 `shape`。",
    },
    "unbroadcast.broadcast_not_reduced2": {
        "en": "Also sum the axes where `shape` has size 1 (with keepdims=True), not only the "
        "extra leading axes.",
        "zh": "对 `shape` 中大小为 1 的轴也要求和（用 keepdims=True），而不只是多出来的前导轴。",
    },
    "unbroadcast.wrong_shape": {
        "en": "Keep the size-1 axes (keepdims=True) so the result has exactly `shape`.",
        "zh": "保留大小为 1 的轴（keepdims=True），使结果的形状恰好是 `shape`。",
    },
    "unbroadcast.missing_factor": {
        "en": "Every broadcast copy contributes its whole gradient: sum, do not average.",
        "zh": "每个广播出来的副本都贡献其完整的梯度：求和，不要求平均。",
    },
    "mul_backward.broadcast_not_reduced": {
        "en": "grad_out has the broadcast shape: un-broadcast each gradient back to its input's "
        "shape.",
        "zh": "grad_out 具有广播后的形状：把每个梯度撤销广播，回到其输入的形状。",
    },
    "mul_backward.product_rule": {
        "en": "∂(xy)/∂x = y: each input's gradient uses the *other* input.",
        "zh": "∂(xy)/∂x = y：每个输入的梯度用的是*另一个*输入。",
    },
    "mul_backward.chain_rule": {
        "en": "Multiply the local derivative by the upstream gradient grad_out.",
        "zh": "把局部导数乘以上游梯度 grad_out。",
    },
    "mul_backward.order": {
        "en": "Return the gradients in the order of the inputs: (grad_x, grad_y).",
        "zh": "按输入的顺序返回梯度：(grad_x, grad_y)。",
    },
    "matmul_backward.transposed": {
        "en": "grad_A = grad_out @ Bᵀ has A's shape and grad_B = Aᵀ @ grad_out has B's shape; "
        "yours are their transposes.",
        "zh": "grad_A = grad_out @ Bᵀ 的形状与 A 相同，grad_B = Aᵀ @ grad_out 的形状与 B 相同；"
        "你的结果是它们的转置。",
    },
    "matmul_backward.order": {
        "en": "Return (grad_A, grad_B) in the order of the inputs; check which formula belongs to "
        "which matrix.",
        "zh": "按输入的顺序返回 (grad_A, grad_B)；检查哪个公式属于哪个矩阵。",
    },
    "matmul_backward.chain_rule": {
        "en": "Multiply by the upstream gradient: grad_A = grad_out @ Bᵀ, not ones @ Bᵀ.",
        "zh": "乘以上游梯度：grad_A = grad_out @ Bᵀ，而不是 ones @ Bᵀ。",
    },
    "sum_backward.wrong_shape": {
        "en": "The gradient has x's shape: expand grad_out back along the summed dimensions.",
        "zh": "梯度的形状与 x 相同：沿被求和的维度把 grad_out 扩展回去。",
    },
    "sum_backward.chain_rule": {
        "en": "The local derivative of a sum is 1 for every element; multiply it by grad_out.",
        "zh": "求和对每个元素的局部导数都是 1；把它乘以 grad_out。",
    },
    "sum_backward.missing_factor": {
        "en": "That is the gradient of a mean: a sum passes grad_out to each element unscaled.",
        "zh": "那是平均值的梯度：求和会把 grad_out 不加缩放地传给每个元素。",
    },
    "central_difference.forward_difference": {
        "en": "(f(x+h) - f(x))/h is the forward difference, accurate to O(h) only; the central "
        "difference (f(x+h) - f(x-h))/(2h) is O(h²).",
        "zh": "(f(x+h) - f(x))/h 是前向差分，精度只有 O(h)；中心差分 (f(x+h) - f(x-h))/(2h) "
        "的精度是 O(h²)。",
    },
    "central_difference.forward_difference2": {
        "en": "(f(x) - f(x-h))/h is a one-sided difference, accurate to O(h) only; use (f(x+h) - "
        "f(x-h))/(2h).",
        "zh": "(f(x) - f(x-h))/h 是单侧差分，精度只有 O(h)；请用 (f(x+h) - f(x-h))/(2h)。",
    },
    "central_difference.missing_factor": {
        "en": "The two points are 2h apart: divide by 2h, not h.",
        "zh": "两个点相距 2h：除以 2h，而不是 h。",
    },
    "central_difference.sign": {
        "en": "Subtract in the right order: f(x+h) - f(x-h).",
        "zh": "按正确的顺序相减：f(x+h) - f(x-h)。",
    },
    "derivative.product_rule": {
        "en": "(u·v)' = u'·v + u·v': differentiate one factor at a time, keep the other, and add "
        "the two terms.",
        "zh": "(u·v)' = u'·v + u·v'：每次对一个因子求导，保持另一个不变，再把两项相加。",
    },
    "derivative.chain_rule": {
        "en": "Multiply by the derivative of the inside: (sin u)' = cos(u)·u', (u^k)' = "
        "k·u^(k-1)·u', (log u)' = u'/u.",
        "zh": "乘以内层函数的导数：(sin u)' = cos(u)·u'，(u^k)' = k·u^(k-1)·u'，(log u)' = u'/u。",
    },
    "derivative.sign": {
        "en": "(cos u)' = -sin(u)·u': the derivative of cos carries a minus sign.",
        "zh": "(cos u)' = -sin(u)·u'：cos 的导数带负号。",
    },
    "derivative.sign2": {
        "en": "(u/v)' = (u'·v - u·v')/v²: the two terms are subtracted.",
        "zh": "(u/v)' = (u'·v - u·v')/v²：两项是相减的。",
    },
    "derivative.missing_factor": {
        "en": "(u^k)' = k·u^(k-1)·u': keep the factor k in front.",
        "zh": "(u^k)' = k·u^(k-1)·u'：保留前面的因子 k。",
    },
    "derivative.sign3": {
        "en": "(u - v)' = u' - v': the minus sign stays.",
        "zh": "(u - v)' = u' - v'：负号要保留。",
    },
    "numerical_jvp.forward_difference": {
        "en": "(f(x+hv) - f(x))/h is one-sided, accurate to O(h) only; the central difference "
        "(f(x+hv) - f(x-hv))/(2h) is O(h²).",
        "zh": "(f(x+hv) - f(x))/h 是单侧差分，精度只有 O(h)；中心差分 (f(x+hv) - f(x-hv))/(2h) "
        "的精度是 O(h²)。",
    },
    "numerical_jvp.forward_difference2": {
        "en": "(f(x) - f(x-hv))/h is one-sided, accurate to O(h) only; use (f(x+hv) - "
        "f(x-hv))/(2h).",
        "zh": "(f(x) - f(x-hv))/h 是单侧差分，精度只有 O(h)；请用 (f(x+hv) - f(x-hv))/(2h)。",
    },
    "numerical_jvp.missing_factor": {
        "en": "x+hv and x-hv are 2h apart (in units of v): divide by 2h, not h.",
        "zh": "x+hv 和 x-hv 相距 2h（以 v 为单位）：除以 2h，而不是 h。",
    },
    "numerical_jvp.sign": {
        "en": "Subtract in the right order: f(x+hv) - f(x-hv).",
        "zh": "按正确的顺序相减：f(x+hv) - f(x-hv)。",
    },
    "numerical_jvp.missing_factor2": {
        "en": "Do not normalise v: the JVP is linear in the tangent, J·(2v) = 2·J·v.",
        "zh": "不要把 v 归一化：JVP 对切向量是线性的，J·(2v) = 2·J·v。",
    },
    "Value.no_accumulation": {
        "en": "A node used twice receives a gradient from each use: add them up (`+=`), do not "
        "overwrite (`=`).",
        "zh": "被使用两次的节点会从每次使用中各得到一个梯度：把它们加起来（`+=`），不要覆盖（`=`）"
        "。",
    },
    "Value.order": {
        "en": "Call each node's backward rule in reverse topological order (the root first), so a "
        "node has its whole gradient before it passes it on.",
        "zh": "按逆拓扑序（根节点优先）调用每个节点的反向规则，"
        "这样一个节点在把梯度传下去之前已经拿到了完整的梯度。",
    },
    "Value.chain_rule": {
        "en": "Chain rule: multiply each local derivative by the gradient of the output "
        "(`out.grad`).",
        "zh": "链式法则：把每个局部导数乘以输出的梯度（`out.grad`）。",
    },
    "Value.product_rule": {
        "en": "∂(ab)/∂a = b: each factor's gradient uses the *other* factor.",
        "zh": "∂(ab)/∂a = b：每个因子的梯度用的是*另一个*因子。",
    },
    "Value.sign": {
        "en": "The gradient of a - b with respect to b is -1.",
        "zh": "a - b 关于 b 的梯度是 -1。",
    },
    "Value.missing_factor": {
        "en": "Power rule: ∂(aᵖ)/∂a = p·aᵖ⁻¹ - keep the factor p.",
        "zh": "幂法则：∂(aᵖ)/∂a = p·aᵖ⁻¹ - 保留因子 p。",
    },
    "Value.chain_rule2": {
        "en": "tanh'(a) = 1 - tanh(a)²: use the output squared.",
        "zh": "tanh'(a) = 1 - tanh(a)²：用输出的平方。",
    },
    "jacobian_forward.transposed": {
        "en": "Each forward-mode pass gives one column (one JVP per input): place it so that row "
        "i belongs to output i (shape (m, n)).",
        "zh": "每次正向模式传递给出一列（每个输入一次 JVP）：把它放在使第 i 行对应输出 i "
        "的位置（形状 (m, n)）。",
    },
    "jacobian_reverse.transposed": {
        "en": "Each reverse-mode pass gives one row (one VJP per output): place it so that row i "
        "belongs to output i (shape (m, n)).",
        "zh": "每次反向模式传递给出一行（每个输出一次 VJP）：把它放在使第 i 行对应输出 i "
        "的位置（形状 (m, n)）。",
    },
    # ---- check() ---------------------------------------------------------------------------
    "check.total": {
        "en": "{total}/{max_total} points",
        "zh": "{total}/{max_total} 分",
    },
    "check.none": {
        "en": "No catalog exercise found in this notebook.",
        "zh": "这个笔记本中没有找到题库中的练习。",
    },
    "check.note": {
        "en": "note: {error}",
        "zh": "注意：{error}",
    },
    "check.failed": {
        "en": "{id} is not right yet.",
        "zh": "{id} 还不对。",
    },
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

# How feedback names a case ("case 2 (chain 300 nodes deep)"): the questions build these labels
# in English with `text(..., "en")`, records keep them so, and `case_label` says them in the
# language being spoken.  Labels made only of shapes and numbers need no entry.
MESSAGES.update({
    "label.random_graph": {"en": "random graph of {n} nodes with shared nodes",
                          "zh": "{n} 个节点的随机图，有共享节点"},
    "label.random_graph_repeated": {
        "en": "random graph of {n} nodes, shared nodes, repeated parents",
        "zh": "{n} 个节点的随机图，有共享节点和重复的父节点"},
    "label.chain": {"en": "chain {n} nodes deep", "zh": "{n} 个节点深的链"},
    "label.chain_branches": {"en": "chain {n} nodes deep with branches",
                            "zh": "{n} 个节点深、带分支的链"},
    "label.op_chain": {"en": "a chain {n} operations deep", "zh": "{n} 个运算深的链"},
    "label.two_feeds": {"en": "{sizes}; two feeds, {shapes}", "zh": "{sizes}；两次输入，{shapes}"},
    "label.probe": {"en": "probe {program}", "zh": "探测程序 {program}"},
    "label.program": {"en": "program {program}", "zh": "程序 {program}"},
    "label.y_float": {"en": "{shapes}, y float", "zh": "{shapes}，y 是浮点数"},
    "label.unbroadcast": {"en": "grad {grad} -> shape {shape}",
                          "zh": "梯度 {grad} -> 形状 {shape}"},
})


def language(value: object) -> str:
    """A language named by untrusted data (a notebook's metadata): "zh" or "en", else "en"."""
    return value if isinstance(value, str) and value in LANGUAGES else "en"


@contextmanager
def speaking(lang: str) -> Iterator[None]:
    """Within the block (in this thread), `text` speaks `lang` by default."""
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; the languages are {', '.join(LANGUAGES)}")
    token = _SPOKEN.set(lang)
    try:
        yield
    finally:
        _SPOKEN.reset(token)


def text(message_id: str, language: str | None = None, **fields: Any) -> str:
    """The message `message_id` in `language` (the language being spoken by default),
    formatted.  Raises KeyError when the message has no text in that language."""
    lang = language or _SPOKEN.get() or LANGUAGE
    try:
        template = MESSAGES[message_id][lang]
    except KeyError:
        raise KeyError(f"message {message_id!r} has no {lang!r} text") from None
    return template.format(**fields)


def fields(message_id: str, language: str = "en") -> set[str]:
    """The format fields a message uses (each translation must use the same ones)."""
    return {
        name for _, name, _, _ in string.Formatter().parse(MESSAGES[message_id][language]) if name
    }


# The sentences the sandboxed child may write, as patterns of their English texts.
CHILD_SAYS = ("driver.", "refused.", "limit.", "count_paths.not_dict", "count_paths.keys",
              "explicit_ex2.symbols")


def _pattern(template: str) -> re.Pattern[str]:
    parts = []
    for literal, name, _, _ in string.Formatter().parse(template):
        parts.append(re.escape(literal))
        if name:
            parts.append(f"(?P<{name}>.+?)")
    return re.compile("".join(parts), re.DOTALL)


def _patterns(prefixes: str | tuple[str, ...]) -> list[tuple[str, re.Pattern[str]]]:
    """The English texts of the messages whose ids start with `prefixes`, as patterns.  The
    more literal text a pattern has, the more specific it is: those come first ("importing
    {what} is switched off" before "{what} is switched off")."""
    return sorted(
        ((key, _pattern(texts["en"])) for key, texts in MESSAGES.items()
         if key.startswith(prefixes)),
        key=lambda item: -len(re.sub(r"\(\?P<\w+>\.\+\?\)", "", item[1].pattern)),
    )


def _match(sentence: str, patterns: list[tuple[str, re.Pattern[str]]]
           ) -> tuple[str, dict[str, str]] | None:
    """The id of the first pattern that `sentence` is an instance of, and its fields."""
    for key, pattern in patterns:
        found = pattern.fullmatch(sentence)
        if found:
            return key, found.groupdict()
    return None


_FROM_CHILD = _patterns(CHILD_SAYS)
_CASE_LABELS = _patterns("label.")


def case_label(label: str, language: str | None = None) -> str:
    """A case's label (built in English from a "label.*" message) in `language` (the language
    being spoken by default); a label of shapes and numbers is returned as it is."""
    found = _match(label, _CASE_LABELS)
    return label if found is None else text(found[0], language, **found[1])


def from_child(sentence: str, language: str | None = None) -> str:
    """`sentence`, written by the child from this catalog in English, in `language` (the
    language being spoken by default), its fields too; any other sentence is returned as it is.
    (The parent's own reports of a limit, "limit.*", are read this way too.)"""
    found = _match(sentence, _FROM_CHILD)
    if found is None:
        return sentence
    key, said = found
    return text(key, language, **{k: from_child(v, language) for k, v in said.items()})
