# ruff: noqa
# == right: micrograd style, closures and an iterative topological sort
import math

class Value:
    def __init__(self, data, _parents=()):
        self.data, self.grad = data, 0.0
        self._parents, self._backward = _parents, lambda: None

    @staticmethod
    def lift(other):
        return other if isinstance(other, Value) else Value(other)

    def __add__(self, other):
        other = Value.lift(other)
        out = Value(self.data + other.data, (self, other))
        def backward():
            self.grad += out.grad
            other.grad += out.grad
        out._backward = backward
        return out

    __radd__ = __add__

    def __mul__(self, other):
        other = Value.lift(other)
        out = Value(self.data * other.data, (self, other))
        def backward():
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad
        out._backward = backward
        return out

    __rmul__ = __mul__

    def __pow__(self, n):
        out = Value(self.data ** n, (self,))
        def backward():
            self.grad += n * self.data ** (n - 1) * out.grad
        out._backward = backward
        return out

    def __neg__(self):
        return self * -1

    def __sub__(self, other):
        return self + (-Value.lift(other))

    def __rsub__(self, other):
        return Value.lift(other) + (-self)

    def __truediv__(self, other):
        return self * Value.lift(other) ** -1

    def __rtruediv__(self, other):
        return Value.lift(other) * self ** -1

    def _unary(self, value, slope):
        out = Value(value, (self,))
        def backward():
            self.grad += slope(out) * out.grad
        out._backward = backward
        return out

    def exp(self):
        return self._unary(math.exp(self.data), lambda out: out.data)

    def log(self):
        return self._unary(math.log(self.data), lambda out: 1 / self.data)

    def tanh(self):
        return self._unary(math.tanh(self.data), lambda out: 1 - out.data ** 2)

    def relu(self):
        return self._unary(max(self.data, 0.0), lambda out: float(self.data > 0))

    def backward(self):
        order, seen, stack = [], set(), [(self, False)]
        while stack:
            node, expanded = stack.pop()
            if expanded:
                order.append(node)
            elif id(node) not in seen:
                seen.add(id(node))
                stack.append((node, True))
                stack.extend((p, False) for p in node._parents)
        self.grad = 1.0
        for node in reversed(order):
            node._backward()

# == right: operations as data (a derivative table), numpy scalars
import numpy as np

LOCAL = {
    "add": lambda a, b, out: (1.0, 1.0),
    "mul": lambda a, b, out: (b, a),
    "div": lambda a, b, out: (1 / b, -a / b ** 2),
    "exp": lambda a, out: (out,),
    "log": lambda a, out: (1 / a,),
    "tanh": lambda a, out: (1 - out ** 2,),
    "relu": lambda a, out: (float(a > 0),),
}

class Value:
    def __init__(self, data, parents=(), op=None, extra=None):
        self.data, self.grad = np.float64(data), 0.0
        self.parents, self.op, self.extra = parents, op, extra

    def _new(self, data, parents, op, extra=None):
        return Value(data, parents, op, extra)

    @staticmethod
    def wrap(x):
        return x if isinstance(x, Value) else Value(x)

    def __add__(self, o):
        o = Value.wrap(o)
        return self._new(self.data + o.data, (self, o), "add")

    def __radd__(self, o): return Value.wrap(o) + self
    def __mul__(self, o):
        o = Value.wrap(o)
        return self._new(self.data * o.data, (self, o), "mul")

    def __rmul__(self, o): return Value.wrap(o) * self
    def __truediv__(self, o):
        o = Value.wrap(o)
        return self._new(self.data / o.data, (self, o), "div")

    def __rtruediv__(self, o): return Value.wrap(o) / self
    def __neg__(self): return self * -1.0
    def __sub__(self, o): return self + (-Value.wrap(o))
    def __rsub__(self, o): return Value.wrap(o) + (-self)
    def __pow__(self, n):
        return self._new(self.data ** n, (self,), "pow", n)

    def exp(self): return self._new(np.exp(self.data), (self,), "exp")
    def log(self): return self._new(np.log(self.data), (self,), "log")
    def tanh(self): return self._new(np.tanh(self.data), (self,), "tanh")
    def relu(self): return self._new(max(self.data, 0.0), (self,), "relu")

    def _local(self):
        args = [p.data for p in self.parents]
        if self.op == "pow":
            return (self.extra * args[0] ** (self.extra - 1),)
        return LOCAL[self.op](*args, self.data)

    def backward(self):
        order, visited = [], set()
        stack = [iter([self])]
        path = []
        while stack:
            for node in stack[-1]:
                if id(node) not in visited:
                    visited.add(id(node))
                    path.append(node)
                    stack.append(iter(node.parents))
                    break
            else:
                stack.pop()
                if path:
                    order.append(path.pop())
        self.grad = 1.0
        for node in reversed(order):
            if node.op is not None:
                for parent, d in zip(node.parents, node._local()):
                    parent.grad += d * node.grad

# == right: Kahn's algorithm over consumer counts
import math
from collections import deque

class Value:
    def __init__(self, data, parents=(), rule=None):
        self.data, self.grad, self.parents, self.rule = float(data), 0.0, parents, rule

    @classmethod
    def of(cls, x):
        return x if isinstance(x, Value) else cls(x)

    def __add__(self, o):
        o = Value.of(o)
        return Value(self.data + o.data, (self, o), lambda g: (g, g))

    def __radd__(self, o): return self + o
    def __sub__(self, o):
        o = Value.of(o)
        return Value(self.data - o.data, (self, o), lambda g: (g, -g))

    def __rsub__(self, o): return Value.of(o) - self
    def __mul__(self, o):
        o = Value.of(o)
        return Value(self.data * o.data, (self, o), lambda g: (g * o.data, g * self.data))

    def __rmul__(self, o): return self * o
    def __truediv__(self, o):
        o = Value.of(o)
        return Value(self.data / o.data, (self, o),
                     lambda g: (g / o.data, -g * self.data / o.data ** 2))

    def __rtruediv__(self, o): return Value.of(o) / self
    def __neg__(self): return Value(-self.data, (self,), lambda g: (-g,))
    def __pow__(self, n):
        return Value(self.data ** n, (self,), lambda g: (g * n * self.data ** (n - 1),))

    def exp(self):
        e = math.exp(self.data)
        return Value(e, (self,), lambda g: (g * e,))

    def log(self): return Value(math.log(self.data), (self,), lambda g: (g / self.data,))
    def tanh(self):
        t = math.tanh(self.data)
        return Value(t, (self,), lambda g: (g * (1 - t * t),))

    def relu(self):
        return Value(max(0.0, self.data), (self,), lambda g: (g if self.data > 0 else 0.0,))

    def backward(self):
        consumers, stack, seen = {}, [self], {id(self)}
        while stack:
            node = stack.pop()
            for p in node.parents:
                consumers[id(p)] = consumers.get(id(p), 0) + 1
                if id(p) not in seen:
                    seen.add(id(p))
                    stack.append(p)
        self.grad = 1.0
        ready = deque([self])
        while ready:
            node = ready.popleft()
            if node.rule is None:
                continue
            for p, g in zip(node.parents, node.rule(node.grad)):
                p.grad += g
                consumers[id(p)] -= 1
                if consumers[id(p)] == 0:
                    ready.append(p)

# == shared: a correct base class the wrong answers below change one rule of
import math

class _ValueBase:
    def __init__(self, data, _parents=()):
        self.data, self.grad = data, 0.0
        self._parents, self._backward = _parents, lambda: None

    @staticmethod
    def lift(other):
        return other if isinstance(other, _ValueBase) else Value(other)

    def __add__(self, other):
        other = Value.lift(other)
        out = Value(self.data + other.data, (self, other))
        def backward():
            self.grad += out.grad
            other.grad += out.grad
        out._backward = backward
        return out

    __radd__ = __add__

    def __mul__(self, other):
        other = Value.lift(other)
        out = Value(self.data * other.data, (self, other))
        def backward():
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad
        out._backward = backward
        return out

    __rmul__ = __mul__

    def __pow__(self, n):
        out = Value(self.data ** n, (self,))
        def backward():
            self.grad += n * self.data ** (n - 1) * out.grad
        out._backward = backward
        return out

    def __neg__(self):
        return self * -1

    def __sub__(self, other):
        return self + (-Value.lift(other))

    def __rsub__(self, other):
        return Value.lift(other) + (-self)

    def __truediv__(self, other):
        return self * Value.lift(other) ** -1

    def __rtruediv__(self, other):
        return Value.lift(other) * self ** -1

    def _unary(self, value, slope):
        out = Value(value, (self,))
        def backward():
            self.grad += slope(out) * out.grad
        out._backward = backward
        return out

    def exp(self):
        return self._unary(math.exp(self.data), lambda out: out.data)

    def log(self):
        return self._unary(math.log(self.data), lambda out: 1 / self.data)

    def tanh(self):
        return self._unary(math.tanh(self.data), lambda out: 1 - out.data ** 2)

    def relu(self):
        return self._unary(max(self.data, 0.0), lambda out: float(self.data > 0))

    def backward(self):
        order, seen, stack = [], set(), [(self, False)]
        while stack:
            node, expanded = stack.pop()
            if expanded:
                order.append(node)
            elif id(node) not in seen:
                seen.add(id(node))
                stack.append((node, True))
                stack.extend((p, False) for p in node._parents)
        self.grad = 1.0
        for node in reversed(order):
            node._backward()

# == wrong no_accumulation: gradients assigned instead of added
class Value(_ValueBase):
    def __mul__(self, other):
        other = Value.lift(other)
        out = Value(self.data * other.data, (self, other))
        def backward():
            self.grad = other.data * out.grad
            other.grad = self.data * out.grad
        out._backward = backward
        return out

    __rmul__ = __mul__

    def __add__(self, other):
        other = Value.lift(other)
        out = Value(self.data + other.data, (self, other))
        def backward():
            self.grad = out.grad
            other.grad = out.grad
        out._backward = backward
        return out

    __radd__ = __add__

# == wrong order: forgets to reverse the topological order
class Value(_ValueBase):
    def backward(self):
        order, seen, stack = [], set(), [(self, False)]
        while stack:
            node, expanded = stack.pop()
            if expanded:
                order.append(node)
            elif id(node) not in seen:
                seen.add(id(node))
                stack.append((node, True))
                stack.extend((p, False) for p in node._parents)
        self.grad = 1.0
        for node in order:
            node._backward()

# == wrong chain_rule: local derivatives not multiplied by out.grad
class Value(_ValueBase):
    def __mul__(self, other):
        other = Value.lift(other)
        out = Value(self.data * other.data, (self, other))
        def backward():
            self.grad += other.data
            other.grad += self.data
        out._backward = backward
        return out

    __rmul__ = __mul__

    def __add__(self, other):
        other = Value.lift(other)
        out = Value(self.data + other.data, (self, other))
        def backward():
            self.grad += 1.0
            other.grad += 1.0
        out._backward = backward
        return out

    __radd__ = __add__

    def __pow__(self, n):
        out = Value(self.data ** n, (self,))
        def backward():
            self.grad += n * self.data ** (n - 1)
        out._backward = backward
        return out

    def _unary(self, value, slope):
        out = Value(value, (self,))
        def backward():
            self.grad += slope(out)
        out._backward = backward
        return out

# == wrong product_rule: each factor gets its own value
class Value(_ValueBase):
    def __mul__(self, other):
        other = Value.lift(other)
        out = Value(self.data * other.data, (self, other))
        def backward():
            self.grad += self.data * out.grad
            other.grad += other.data * out.grad
        out._backward = backward
        return out

    __rmul__ = __mul__

# == wrong missing_factor: power rule without the exponent
class Value(_ValueBase):
    def __pow__(self, n):
        out = Value(self.data ** n, (self,))
        def backward():
            self.grad += self.data ** (n - 1) * out.grad
        out._backward = backward
        return out

# == wrong recursion_limit: recursive topological sort
class Value(_ValueBase):
    def backward(self):
        order, seen = [], set()
        def visit(node):
            if id(node) not in seen:
                seen.add(id(node))
                for p in node._parents:
                    visit(p)
                order.append(node)
        visit(self)
        self.grad = 1.0
        for node in reversed(order):
            node._backward()

# == wrong not_implemented: backward left as a stub
class Value(_ValueBase):
    def backward(self):
        raise NotImplementedError()

# == wrong chain_rule: relu passes the gradient through unchanged
class Value(_ValueBase):
    def relu(self):
        return self._unary(max(self.data, 0.0), lambda out: 1.0)

# == wrong double_counting: topological order without de-duplication (a node once per path)
class Value(_ValueBase):
    def backward(self):
        order = []
        def visit(node):
            for p in node._parents:
                visit(p)
            order.append(node)
        visit(self)
        self.grad = 1.0
        for node in reversed(order):
            node._backward()
