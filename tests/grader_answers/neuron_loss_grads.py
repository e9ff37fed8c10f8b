# ruff: noqa
# == shared: a small scalar engine, as lesson 05 builds it (named Scalar here, so that it
# cannot replace the answer to the Value question where both are in one notebook)
import math

class Scalar:
    def __init__(self, data, parents=()):
        self.data, self.grad, self._parents = float(data), 0.0, parents

    @staticmethod
    def lift(other):
        return other if isinstance(other, Scalar) else Scalar(other)

    def __add__(self, other):
        other = Scalar.lift(other)
        return Scalar(self.data + other.data, ((self, 1.0), (other, 1.0)))

    __radd__ = __add__

    def __mul__(self, other):
        other = Scalar.lift(other)
        return Scalar(self.data * other.data, ((self, other.data), (other, self.data)))

    __rmul__ = __mul__

    def __sub__(self, other):
        return self + Scalar.lift(other) * -1.0

    def __pow__(self, p):
        return Scalar(self.data ** p, ((self, p * self.data ** (p - 1)),))

    def __truediv__(self, other):
        return self * Scalar.lift(other) ** -1

    def tanh(self):
        t = math.tanh(self.data)
        return Scalar(t, ((self, 1.0 - t * t),))

    def backward(self):
        order, seen, stack = [], set(), [(self, False)]
        while stack:
            node, done = stack.pop()
            if done:
                order.append(node)
            elif id(node) not in seen:
                seen.add(id(node))
                stack.append((node, True))
                stack.extend((p, False) for p, _ in node._parents)
        self.grad = 1.0
        for node in reversed(order):
            for parent, local in node._parents:
                parent.grad += local * node.grad

# == right: the loss built from engine nodes, gradients read after backward
def neuron_loss_grads(w, b, X, y):
    ws, bv = [Scalar(v) for v in w], Scalar(b)
    loss = 0.0
    for row, target in zip(X, y):
        a = sum((wi * xi for wi, xi in zip(ws, row)), bv)
        loss = loss + (a.tanh() - target) ** 2
    loss = loss / len(y)
    loss.backward()
    return loss.data, [wi.grad for wi in ws], bv.grad

# == right: engine nodes returned as they are (loss and grad_b as Scalar objects)
def neuron_loss_grads(w, b, X, y):
    ws, bv = [Scalar(v) for v in w], Scalar(b)
    terms = []
    for row, target in zip(X, y):
        a = bv
        for wi, xi in zip(ws, row):
            a = a + wi * xi
        terms.append((a.tanh() - target) ** 2)
    loss = sum(terms[1:], terms[0]) * (1.0 / len(terms))
    loss.backward()
    grad_b = Scalar(bv.grad)
    return loss, [wi.grad for wi in ws], grad_b

# == right: the gradient written out by hand with numpy
import numpy as np

def neuron_loss_grads(w, b, X, y):
    t = np.tanh(X @ w + b)
    local = 2 * (t - y) / len(y) * (1 - t ** 2)
    return np.mean((t - y) ** 2), X.T @ local, local.sum()

# == wrong sign: target minus prediction in the gradient
import numpy as np

def neuron_loss_grads(w, b, X, y):
    t = np.tanh(X @ w + b)
    local = 2 * (y - t) / len(y) * (1 - t ** 2)
    return np.mean((t - y) ** 2), X.T @ local, local.sum()

# == wrong missing_factor: a sum of squared errors instead of their mean
def neuron_loss_grads(w, b, X, y):
    ws, bv = [Scalar(v) for v in w], Scalar(b)
    loss = 0.0
    for row, target in zip(X, y):
        a = sum((wi * xi for wi, xi in zip(ws, row)), bv)
        loss = loss + (a.tanh() - target) ** 2
    loss.backward()
    return loss.data, [wi.grad for wi in ws], bv.grad

# == wrong missing_factor: the mean's 1/m applied twice (in the slope and after the sum)
import numpy as np

def neuron_loss_grads(w, b, X, y):
    m = len(y)
    t = np.tanh(X @ w + b)
    local = 2 * (t - y) / m * (1 - t ** 2)
    return np.mean((t - y) ** 2), X.T @ local / m, local.sum() / m

# == wrong missing_factor: the factor 2 of the square dropped
import numpy as np

def neuron_loss_grads(w, b, X, y):
    t = np.tanh(X @ w + b)
    local = (t - y) / len(y) * (1 - t ** 2)
    return np.mean((t - y) ** 2), X.T @ local, local.sum()

# == wrong chain_rule: tanh treated as if its slope were 1
import numpy as np

def neuron_loss_grads(w, b, X, y):
    t = np.tanh(X @ w + b)
    local = 2 * (t - y) / len(y)
    return np.mean((t - y) ** 2), X.T @ local, local.sum()

# == wrong chain_rule: tanh'(a) written as 1 - tanh(a), the square forgotten
def neuron_loss_grads(w, b, X, y):
    grad_w, grad_b, loss = [0.0] * len(w), 0.0, 0.0
    for row, target in zip(X, y):
        t = math.tanh(sum(wi * xi for wi, xi in zip(w, row)) + b)
        loss += (t - target) ** 2 / len(y)
        local = 2 * (t - target) / len(y) * (1 - t)
        grad_w = [g + local * xi for g, xi in zip(grad_w, row)]
        grad_b += local
    return loss, grad_w, grad_b

# == wrong chain_rule: tanh's derivative taken at its input, 1 - a² instead of 1 - tanh(a)²
import numpy as np

def neuron_loss_grads(w, b, X, y):
    a = X @ w + b
    t = np.tanh(a)
    local = 2 * (t - y) / len(y) * (1 - a ** 2)
    return np.mean((t - y) ** 2), X.T @ local, local.sum()

# == wrong no_accumulation: the gradients overwritten in the loop over the points
def neuron_loss_grads(w, b, X, y):
    grad_w, grad_b, loss = [0.0] * len(w), 0.0, 0.0
    for row, target in zip(X, y):
        t = math.tanh(sum(wi * xi for wi, xi in zip(w, row)) + b)
        loss += (t - target) ** 2 / len(y)
        local = 2 * (t - target) / len(y) * (1 - t * t)
        grad_w = [local * xi for xi in row]
        grad_b = local
    return loss, grad_w, grad_b

# == wrong broadcast_not_reduced: the bias gradient left as one value per point
import numpy as np

def neuron_loss_grads(w, b, X, y):
    t = np.tanh(X @ w + b)
    local = 2 * (t - y) / len(y) * (1 - t ** 2)
    return np.mean((t - y) ** 2), X.T @ local, local

# == wrong wrong_shape: grad_w as a column
import numpy as np

def neuron_loss_grads(w, b, X, y):
    t = np.tanh(X @ w + b)
    local = 2 * (t - y) / len(y) * (1 - t ** 2)
    return np.mean((t - y) ** 2), (X.T @ local)[:, None], local.sum()

# == wrong not_implemented: the stub
def neuron_loss_grads(w, b, X, y):
    raise NotImplementedError()
