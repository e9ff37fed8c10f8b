# ruff: noqa
# == right: Newton from y = x, backward through every step
import minigrad

def newton_sqrt_grad(x):
    x = minigrad.tensor(x, dtype=minigrad.float64, requires_grad=True)
    y = x
    while (y * y - x).abs().max() >= 1e-10:
        y = (y + x / y) / 2
    y.sum().backward()
    return x.grad

# == right: Newton from ones, autograd.grad, numpy returned
import minigrad

def newton_sqrt_grad(x):
    x = minigrad.tensor(x, dtype=minigrad.float64, requires_grad=True)
    y = minigrad.ones_like(x)
    while ((y * y - x).abs() >= 1e-10).sum() > 0:
        y = 0.5 * y + 0.5 * x / y
    (g,) = minigrad.autograd.grad(y.sum(), x)
    return g.numpy()

# == right: Newton from x/2 + 1/2, float32 gradient returned as a tuple of numbers
import numpy as np
import minigrad

def newton_sqrt_grad(x):
    x = minigrad.tensor(x, dtype=minigrad.float64, requires_grad=True)
    y = x / 2 + 0.5
    done = False
    while not done:
        y = (y + x / y) / 2
        done = bool(((y * y - x).abs() < 1e-10).all())
    y.sum().backward()
    return tuple(np.float32(v) for v in x.grad.numpy().ravel()) if x.dim() == 1 else x.grad.numpy().astype(np.float32)

# == wrong wrong_method: the slope of sqrt written down, no loop
import numpy as np

def newton_sqrt_grad(x):
    return (0.5 / np.sqrt(x)).tolist()

# == wrong chain_rule: returns the square roots
import minigrad

def newton_sqrt_grad(x):
    x = minigrad.tensor(x, dtype=minigrad.float64, requires_grad=True)
    y = x
    while (y * y - x).abs().max() >= 1e-10:
        y = (y + x / y) / 2
    return y.detach()

# == wrong chain_rule: iterates in numpy, so the result is not connected to x
import numpy as np
import minigrad

def newton_sqrt_grad(x):
    x = minigrad.tensor(x, dtype=minigrad.float64, requires_grad=True)
    y = x.detach().numpy()
    while np.abs(y * y - x.detach().numpy()).max() >= 1e-10:
        y = (y + x.detach().numpy() / y) / 2
    loss = (x * 0 + minigrad.tensor(y, dtype=minigrad.float64)).sum()
    loss.backward()
    return x.grad

# == wrong double_counting: forgets the 1/2 of the slope
import numpy as np

def newton_sqrt_grad(x):
    return 1 / np.sqrt(x)

# == wrong wrong_shape: returns the sum of the slopes
import numpy as np

def newton_sqrt_grad(x):
    return float((0.5 / np.sqrt(x)).sum())

# == wrong sign: the slope of 1/sqrt's exponent slip
import numpy as np

def newton_sqrt_grad(x):
    return -0.5 / np.sqrt(x)

# == wrong not_implemented: stub
def newton_sqrt_grad(x):
    raise NotImplementedError()

# == wrong wrong_method: the closed form with minigrad ops, no backward
import minigrad

def newton_sqrt_grad(x):
    x = minigrad.tensor(x, dtype=minigrad.float64)
    return 0.5 * x ** -0.5
