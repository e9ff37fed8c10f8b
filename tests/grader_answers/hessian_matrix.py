# ruff: noqa
# == right: one autograd.grad per row of the gradient
import numpy as np
import minigrad

def hessian_matrix(f, x):
    x = minigrad.tensor(x, dtype=minigrad.float64, requires_grad=True)
    (g,) = minigrad.autograd.grad(f(x), x, create_graph=True)
    rows = [minigrad.autograd.grad(g[i], x, retain_graph=True)[0].numpy() for i in range(len(g))]
    return np.stack(rows)

# == right: backward with create_graph, then one backward per row, zeroing in between
import numpy as np
import minigrad

def hessian_matrix(f, x):
    x = minigrad.tensor(x, dtype=minigrad.float64, requires_grad=True)
    f(x).backward(create_graph=True)
    g = x.grad
    H = np.zeros((len(x), len(x)))
    for i in range(len(x)):
        x.grad = None
        g[i].backward(retain_graph=True)
        H[i] = x.grad.detach().numpy()
    return H

# == right: Hessian-vector products with the basis vectors, list of lists returned
import numpy as np
import minigrad

def hessian_matrix(f, x):
    n = len(x)
    x = minigrad.tensor(x, dtype=minigrad.float64, requires_grad=True)
    (g,) = minigrad.autograd.grad(f(x), x, create_graph=True)
    cols = []
    for e in np.eye(n):
        (hv,) = minigrad.autograd.grad(g, x, grad_outputs=minigrad.tensor(e), retain_graph=True)
        cols.append(hv.numpy())
    return np.array(cols).T.tolist()

# == wrong chain_rule: returns the gradient
import minigrad

def hessian_matrix(f, x):
    x = minigrad.tensor(x, dtype=minigrad.float64, requires_grad=True)
    f(x).backward()
    return x.grad

# == wrong wrong_shape: one backward of the gradient's sum
import minigrad

def hessian_matrix(f, x):
    x = minigrad.tensor(x, dtype=minigrad.float64, requires_grad=True)
    (g,) = minigrad.autograd.grad(f(x), x, create_graph=True)
    (h,) = minigrad.autograd.grad(g.sum(), x)
    return h.numpy()

# == wrong double_counting: never zeroes x.grad between rows
import numpy as np
import minigrad

def hessian_matrix(f, x):
    x = minigrad.tensor(x, dtype=minigrad.float64, requires_grad=True)
    (g,) = minigrad.autograd.grad(f(x), x, create_graph=True)
    H = []
    for i in range(len(g)):
        g[i].backward(retain_graph=True)
        H.append(x.grad.numpy().copy())
    return np.array(H)

# == wrong double_counting: the first gradient stays in x.grad under every row
import numpy as np
import minigrad

def hessian_matrix(f, x):
    x = minigrad.tensor(x, dtype=minigrad.float64, requires_grad=True)
    f(x).backward(create_graph=True)
    g = x.grad
    first = g.detach().numpy().copy()
    H = []
    for i in range(len(x)):
        x.grad = minigrad.tensor(first)
        g[i].backward(retain_graph=True)
        H.append(x.grad.detach().numpy())
    return np.array(H)

# == wrong chain_rule: no create_graph, so the gradient cannot be differentiated
import numpy as np
import minigrad

def hessian_matrix(f, x):
    x = minigrad.tensor(x, dtype=minigrad.float64, requires_grad=True)
    (g,) = minigrad.autograd.grad(f(x), x)
    return np.stack([minigrad.autograd.grad(g[i], x)[0].numpy() for i in range(len(g))])

# == wrong missing_factor: halves the result
import numpy as np
import minigrad

def hessian_matrix(f, x):
    x = minigrad.tensor(x, dtype=minigrad.float64, requires_grad=True)
    (g,) = minigrad.autograd.grad(f(x), x, create_graph=True)
    rows = [minigrad.autograd.grad(g[i] / 2, x, retain_graph=True)[0].numpy() for i in range(len(g))]
    return np.stack(rows)

# == wrong not_implemented: stub
def hessian_matrix(f, x):
    raise NotImplementedError()

# == wrong wrong_method: autograd.functional.hessian, switched off for this exercise
import minigrad

def hessian_matrix(f, x):
    return minigrad.autograd.functional.hessian(f, minigrad.tensor(x, dtype=minigrad.float64)).numpy()
