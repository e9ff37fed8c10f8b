# ruff: noqa
# == right: autograd.grad twice, the first with create_graph
import minigrad

def hvp(f, x, v):
    x = minigrad.tensor(x, dtype=minigrad.float64, requires_grad=True)
    v = minigrad.tensor(v, dtype=minigrad.float64)
    (g,) = minigrad.autograd.grad(f(x), x, create_graph=True)
    (hv,) = minigrad.autograd.grad((g * v).sum(), x)
    return hv.numpy()

# == right: backward with create_graph, then a dot product's gradient
import minigrad

def hvp(f, x, v):
    x = minigrad.tensor(x, dtype=minigrad.float64, requires_grad=True)
    f(x).backward(create_graph=True)
    g = x.grad
    x.grad = None
    (g @ minigrad.tensor(v, dtype=minigrad.float64)).backward()
    return x.grad.detach().numpy()

# == right: grad_outputs=v on the gradient, list returned
import minigrad

def hvp(f, x, v):
    x = minigrad.tensor(x, dtype=minigrad.float64, requires_grad=True)
    (g,) = minigrad.autograd.grad(f(x), x, create_graph=True)
    (hv,) = minigrad.autograd.grad(g, x, grad_outputs=minigrad.tensor(v, dtype=minigrad.float64))
    return hv.numpy().tolist()

# == wrong chain_rule: returns the gradient
import minigrad

def hvp(f, x, v):
    x = minigrad.tensor(x, dtype=minigrad.float64, requires_grad=True)
    f(x).backward()
    return x.grad.numpy()

# == wrong double_counting: the second backward adds onto the first gradient
import minigrad

def hvp(f, x, v):
    x = minigrad.tensor(x, dtype=minigrad.float64, requires_grad=True)
    f(x).backward(create_graph=True)
    (x.grad @ minigrad.tensor(v, dtype=minigrad.float64)).backward()
    return x.grad.detach().numpy()

# == wrong wrong_shape: returns the directional derivative
import minigrad

def hvp(f, x, v):
    x = minigrad.tensor(x, dtype=minigrad.float64, requires_grad=True)
    (g,) = minigrad.autograd.grad(f(x), x)
    return (g * minigrad.tensor(v, dtype=minigrad.float64)).sum().item()

# == wrong missing_factor: halves the result
import minigrad

def hvp(f, x, v):
    x = minigrad.tensor(x, dtype=minigrad.float64, requires_grad=True)
    (g,) = minigrad.autograd.grad(f(x), x, create_graph=True)
    (hv,) = minigrad.autograd.grad((g * minigrad.tensor(v, dtype=minigrad.float64)).sum() / 2, x)
    return hv.numpy()

# == wrong not_implemented: stub
def hvp(f, x, v):
    raise NotImplementedError()

# == wrong chain_rule: no create_graph, so the gradient cannot be differentiated again
import minigrad

def hvp(f, x, v):
    x = minigrad.tensor(x, dtype=minigrad.float64, requires_grad=True)
    (g,) = minigrad.autograd.grad(f(x), x)
    (hv,) = minigrad.autograd.grad((g * minigrad.tensor(v, dtype=minigrad.float64)).sum(), x)
    return hv.numpy()

# == wrong wrong_method: autograd.functional.hvp, switched off for this exercise
import minigrad

def hvp(f, x, v):
    x = minigrad.tensor(x, dtype=minigrad.float64)
    return minigrad.autograd.functional.hvp(f, x, minigrad.tensor(v, dtype=minigrad.float64))[1].numpy()

# == wrong wrong_shape: the right numbers as an (n, 1) column
import minigrad

def hvp(f, x, v):
    x = minigrad.tensor(x, dtype=minigrad.float64, requires_grad=True)
    v = minigrad.tensor(v, dtype=minigrad.float64)
    (g,) = minigrad.autograd.grad(f(x), x, create_graph=True)
    (hv,) = minigrad.autograd.grad((g * v).sum(), x)
    return hv.numpy().reshape(-1, 1)
