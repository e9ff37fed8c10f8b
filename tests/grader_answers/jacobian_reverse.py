# ruff: noqa
# == right: one forward pass, one backward per output with retain_graph
import numpy as np
import minigrad

def jacobian_reverse(f, x):
    x = minigrad.tensor(x, dtype=minigrad.float64, requires_grad=True)
    y = f(x)
    rows = []
    for i in range(y.shape[0]):
        (g,) = minigrad.autograd.grad(y[i], x, retain_graph=True)
        rows.append(g.numpy())
    return np.stack(rows)

# == right: a fresh graph per output, backward(gradient=e_i), zeroing x.grad
import numpy as np
import minigrad

def jacobian_reverse(f, x):
    x = minigrad.tensor(x, dtype=minigrad.float64, requires_grad=True)
    m = f(x).shape[0]
    J = np.zeros((m, len(x)))
    for i in range(m):
        if x.grad is not None:
            x.grad.zero_()
        e = minigrad.zeros(m, dtype=minigrad.float64)
        e[i] = 1.0
        f(x).backward(gradient=e)
        J[i] = x.grad.numpy()
    return J

# == right: grad_outputs with basis vectors, list of lists
import numpy as np
import minigrad

def jacobian_reverse(f, x):
    x = minigrad.tensor(x, dtype=minigrad.float64, requires_grad=True)
    y = f(x)
    eye = np.eye(y.shape[0])
    return [minigrad.autograd.grad(y, x, grad_outputs=minigrad.tensor(e, dtype=minigrad.float64),
                                   retain_graph=True)[0].numpy().tolist() for e in eye]

# == shared: one vector-Jacobian product, the building block of the wrong answers below
import numpy as np
import minigrad

def _vjp(f, x, direction):
    x = minigrad.tensor(x, dtype=minigrad.float64, requires_grad=True)
    y = f(x)
    (g,) = minigrad.autograd.grad(y, x, grad_outputs=minigrad.tensor(direction, dtype=minigrad.float64))
    return g.numpy()

def _m(f, x):
    return f(minigrad.tensor(x, dtype=minigrad.float64)).shape[0]

# == wrong transposed: rows placed as columns
def jacobian_reverse(f, x):
    return np.stack([_vjp(f, x, e) for e in np.eye(_m(f, x))], axis=1)

# == wrong wrong_shape: one backward pass along all ones
def jacobian_reverse(f, x):
    return _vjp(f, x, np.ones(_m(f, x)))

# == wrong double_counting: x.grad never zeroed between passes
import numpy as np
import minigrad

def jacobian_reverse(f, x):
    x = minigrad.tensor(x, dtype=minigrad.float64, requires_grad=True)
    y = f(x)
    rows = []
    for i in range(y.shape[0]):
        y[i].backward(retain_graph=True)
        rows.append(x.grad.numpy().copy())
    return np.stack(rows)

# == wrong sign: negative directions
def jacobian_reverse(f, x):
    return np.stack([_vjp(f, x, -e) for e in np.eye(_m(f, x))])

# == wrong not_implemented: stub
def jacobian_reverse(f, x):
    raise NotImplementedError()

# == wrong wrong_method: forward mode (jacfwd), switched off for this exercise
import minigrad

def jacobian_reverse(f, x):
    return minigrad.func.jacfwd(f)(minigrad.tensor(x, dtype=minigrad.float64))

# == wrong missing_factor: each row halved
import numpy as np
import minigrad

def jacobian_reverse(f, x):
    x = minigrad.tensor(x, dtype=minigrad.float64, requires_grad=True)
    y = f(x)
    rows = []
    for i in range(y.shape[0]):
        (g,) = minigrad.autograd.grad(y[i], x, retain_graph=True)
        rows.append(g.numpy() / 2)
    return np.stack(rows)

# == wrong garbled: returns the list of gradient tensors' descriptions
import minigrad

def jacobian_reverse(f, x):
    x = minigrad.tensor(x, dtype=minigrad.float64, requires_grad=True)
    y = f(x)
    return [repr(minigrad.autograd.grad(y[i], x, retain_graph=True)[0]) for i in range(y.shape[0])]
