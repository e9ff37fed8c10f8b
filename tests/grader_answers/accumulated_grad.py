# ruff: noqa
# == right: the steps one after the other
import minigrad

def accumulated_grad(x):
    x = minigrad.tensor(x, dtype=minigrad.float64, requires_grad=True)
    (x * x).sum().backward()
    (x.sin() * x.detach()).sum().backward()
    return x.grad

# == right: functional style, summing the two gradients by hand
import minigrad

def accumulated_grad(x):
    x = minigrad.tensor(x, dtype=minigrad.float64, requires_grad=True)
    (g1,) = minigrad.autograd.grad((x * x).sum(), x)
    (g2,) = minigrad.autograd.grad((minigrad.sin(x) * x.detach()).sum(), x)
    return (g1 + g2).numpy()

# == right: requires_grad_ on a fresh tensor, list returned
import numpy as np
import minigrad

def accumulated_grad(x):
    t = minigrad.tensor(np.asarray(x, dtype=np.float64), dtype=minigrad.float64).requires_grad_()
    for loss in (lambda: (t ** 2).sum(), lambda: (t.sin() * t.detach()).sum()):
        loss().backward()
    return t.grad.numpy().tolist()

# == wrong no_accumulation: zeroes the gradient between the two backward calls
import minigrad

def accumulated_grad(x):
    x = minigrad.tensor(x, dtype=minigrad.float64, requires_grad=True)
    (x * x).sum().backward()
    x.grad.zero_()
    (x.sin() * x.detach()).sum().backward()
    return x.grad

# == wrong no_accumulation: keeps only the first gradient
import minigrad

def accumulated_grad(x):
    x = minigrad.tensor(x, dtype=minigrad.float64, requires_grad=True)
    (x * x).sum().backward()
    first = x.grad.numpy().copy()
    (x.sin() * x.detach()).sum().backward()
    return first

# == wrong product_rule: forgets detach, so both factors get a gradient
import minigrad

def accumulated_grad(x):
    x = minigrad.tensor(x, dtype=minigrad.float64, requires_grad=True)
    (x * x).sum().backward()
    (x.sin() * x).sum().backward()
    return x.grad

# == wrong double_counting: backpropagates the first loss twice
import minigrad

def accumulated_grad(x):
    x = minigrad.tensor(x, dtype=minigrad.float64, requires_grad=True)
    y = (x * x).sum()
    y.backward(retain_graph=True)
    y.backward()
    (x.sin() * x.detach()).sum().backward()
    return x.grad

# == wrong not_implemented: stub
def accumulated_grad(x):
    raise NotImplementedError()

# == wrong sign: gradient descent's step direction returned instead of the gradient
import minigrad

def accumulated_grad(x):
    x = minigrad.tensor(x, dtype=minigrad.float64, requires_grad=True)
    (x * x).sum().backward()
    (x.sin() * x.detach()).sum().backward()
    return -x.grad

# == wrong garbled: returns the description of the gradient
import minigrad

def accumulated_grad(x):
    x = minigrad.tensor(x, dtype=minigrad.float64, requires_grad=True)
    (x * x).sum().backward()
    (x.sin() * x.detach()).sum().backward()
    return str(x.grad)

# == wrong broadcast_not_reduced: the two gradients stacked instead of added
import numpy as np
import minigrad

def accumulated_grad(x):
    x = minigrad.tensor(x, dtype=minigrad.float64, requires_grad=True)
    (x * x).sum().backward()
    first = x.grad.numpy().copy()
    x.grad = None
    (x.sin() * x.detach()).sum().backward()
    return np.stack([first, x.grad.numpy()])
