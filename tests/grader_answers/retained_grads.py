# ruff: noqa
# == right: retain_graph, clone, zero_
import minigrad

def retained_grads(x):
    x = minigrad.tensor(x, dtype=minigrad.float64, requires_grad=True)
    h = x.tanh()
    (h * h).sum().backward(retain_graph=True)
    g1 = x.grad.clone()
    x.grad.zero_()
    (h * x).sum().backward()
    return g1, x.grad

# == right: autograd.grad twice, the first keeping the graph
import minigrad

def retained_grads(x):
    x = minigrad.tensor(x, dtype=minigrad.float64, requires_grad=True)
    h = minigrad.tanh(x)
    L1, L2 = (h * h).sum(), (h * x).sum()
    (g1,) = minigrad.autograd.grad(L1, x, retain_graph=True)
    (g2,) = minigrad.autograd.grad(L2, x)
    return [g1.numpy(), g2.numpy()]

# == right: numpy copies, x.grad reset to None between the two
import numpy as np
import minigrad

def retained_grads(x):
    x = minigrad.tensor(x, dtype=minigrad.float64).requires_grad_()
    h = x.tanh()
    out = []
    for loss, keep in (((h ** 2).sum(), True), ((h * x).sum(), False)):
        x.grad = None
        loss.backward(retain_graph=keep)
        out.append(np.array(x.grad.numpy()))
    return tuple(out)

# == wrong order: keeps a reference to x.grad instead of a copy
import minigrad

def retained_grads(x):
    x = minigrad.tensor(x, dtype=minigrad.float64, requires_grad=True)
    h = x.tanh()
    (h * h).sum().backward(retain_graph=True)
    g1 = x.grad
    x.grad.zero_()
    (h * x).sum().backward()
    return g1, x.grad

# == wrong double_counting: forgets zero_ between the two backward calls
import minigrad

def retained_grads(x):
    x = minigrad.tensor(x, dtype=minigrad.float64, requires_grad=True)
    h = x.tanh()
    (h * h).sum().backward(retain_graph=True)
    g1 = x.grad.clone()
    (h * x).sum().backward()
    return g1, x.grad

# == wrong double_counting: neither copies nor zeroes
import minigrad

def retained_grads(x):
    x = minigrad.tensor(x, dtype=minigrad.float64, requires_grad=True)
    h = x.tanh()
    (h * h).sum().backward(retain_graph=True)
    g1 = x.grad
    (h * x).sum().backward()
    return g1, x.grad

# == wrong order: the two results swapped
import minigrad

def retained_grads(x):
    x = minigrad.tensor(x, dtype=minigrad.float64, requires_grad=True)
    h = x.tanh()
    (g1,) = minigrad.autograd.grad((h * h).sum(), x, retain_graph=True)
    (g2,) = minigrad.autograd.grad((h * x).sum(), x)
    return g2, g1

# == wrong product_rule: detaches x in the second loss
import minigrad

def retained_grads(x):
    x = minigrad.tensor(x, dtype=minigrad.float64, requires_grad=True)
    h = x.tanh()
    (g1,) = minigrad.autograd.grad((h * h).sum(), x, retain_graph=True)
    (g2,) = minigrad.autograd.grad((h * x.detach()).sum(), x)
    return g1, g2

# == wrong exception: the first backward frees the graph the second one needs
import minigrad

def retained_grads(x):
    x = minigrad.tensor(x, dtype=minigrad.float64, requires_grad=True)
    h = x.tanh()
    (h * h).sum().backward()
    g1 = x.grad.clone()
    x.grad.zero_()
    (h * x).sum().backward()
    return g1, x.grad

# == wrong not_implemented: stub
def retained_grads(x):
    raise NotImplementedError()

# == right: both gradients stacked into one array
import numpy as np
import minigrad

def retained_grads(x):
    x = minigrad.tensor(x, dtype=minigrad.float64, requires_grad=True)
    h = x.tanh()
    (h * h).sum().backward(retain_graph=True)
    g1 = x.grad.clone()
    x.grad.zero_()
    (h * x).sum().backward()
    return np.stack([g1.numpy(), x.grad.numpy()])

# == wrong wrong_shape: both gradients concatenated into one flat array
import numpy as np
import minigrad

def retained_grads(x):
    x = minigrad.tensor(x, dtype=minigrad.float64, requires_grad=True)
    h = x.tanh()
    (h * h).sum().backward(retain_graph=True)
    g1 = x.grad.clone()
    x.grad.zero_()
    (h * x).sum().backward()
    return np.concatenate([g1.numpy(), x.grad.numpy()])
