# ruff: noqa
# == right: minigrad.where picks a piece per entry
import minigrad

def huber_grad(x, delta):
    x = minigrad.tensor(x, dtype=minigrad.float64, requires_grad=True)
    h = minigrad.where(x.abs() <= delta, x * x / 2, delta * (x.abs() - delta / 2))
    h.sum().backward()
    return x.grad

# == right: masks as numbers, both pieces summed
import minigrad

def huber_grad(x, delta):
    x = minigrad.tensor(x, dtype=minigrad.float64, requires_grad=True)
    inner = (x.abs() <= delta).double()
    h = inner * 0.5 * x ** 2 + (1 - inner) * delta * (x.abs() - 0.5 * delta)
    h.sum().backward()
    return x.grad.numpy()

# == right: the slope is x clipped to [-delta, delta] (numpy, list returned)
import numpy as np

def huber_grad(x, delta):
    return np.clip(x, -delta, delta).tolist()

# == wrong sign: outer slope delta without its sign
import numpy as np

def huber_grad(x, delta):
    return np.where(np.abs(x) <= delta, x, delta)

# == wrong chain_rule: returns the values h(x)
import minigrad

def huber_grad(x, delta):
    x = minigrad.tensor(x, dtype=minigrad.float64)
    return minigrad.where(x.abs() <= delta, x * x / 2, delta * (x.abs() - delta / 2))

# == wrong missing_factor: inner slope x/2
import numpy as np

def huber_grad(x, delta):
    return np.where(np.abs(x) <= delta, x / 2, delta * np.sign(x))

# == wrong wrong_shape: a Python if on the whole tensor (inner piece everywhere)
import minigrad

def huber_grad(x, delta):
    x = minigrad.tensor(x, dtype=minigrad.float64, requires_grad=True)
    if (x.abs() <= delta).sum() > 0:  # some entry is inside
        h = x * x / 2
    else:
        h = delta * (x.abs() - delta / 2)
    h.sum().backward()
    return x.grad

# == wrong wrong_shape: a Python if on the whole tensor (outer piece everywhere)
import minigrad

def huber_grad(x, delta):
    x = minigrad.tensor(x, dtype=minigrad.float64, requires_grad=True)
    if (x.abs() <= delta).sum() == x.numel():  # every entry is inside
        h = x * x / 2
    else:
        h = delta * (x.abs() - delta / 2)
    h.sum().backward()
    return x.grad

# == wrong control_flow: a Python if on a tensor of several values
import minigrad

def huber_grad(x, delta):
    x = minigrad.tensor(x, dtype=minigrad.float64, requires_grad=True)
    h = x * x / 2 if x.abs() <= delta else delta * (x.abs() - delta / 2)
    h.sum().backward()
    return x.grad

# == wrong not_implemented: stub
def huber_grad(x, delta):
    raise NotImplementedError()

# == wrong control_flow: a Python if on a numpy array
import numpy as np

def huber_grad(x, delta):
    if np.abs(x) <= delta:
        return x
    return delta * np.sign(x)
