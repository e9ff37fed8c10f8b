# ruff: noqa
# == right: loop over flat indices
import numpy as np

def central_difference(f, x, h=1e-6):
    grad = np.zeros(x.size)
    for i in range(x.size):
        e = np.zeros(x.size)
        e[i] = h
        e = e.reshape(x.shape)
        grad[i] = (f(x + e) - f(x - e)) / (2 * h)
    return grad.reshape(x.shape)

# == right: in-place nudge with np.nditer style indices
import numpy as np

def central_difference(f, x, h=1e-6):
    x = np.array(x, dtype=float)
    grad = np.zeros_like(x)
    for idx in np.ndindex(*x.shape):
        old = x[idx]
        x[idx] = old + h
        up = f(x)
        x[idx] = old - h
        down = f(x)
        x[idx] = old
        grad[idx] = (up - down) / (2 * h)
    return grad

# == right: identity matrix rows, list result
import numpy as np

def central_difference(f, x, h=1e-6):
    flat = x.ravel()
    rows = np.eye(flat.size) * h
    values = [(f((flat + r).reshape(x.shape)) - f((flat - r).reshape(x.shape))) / (2 * h)
              for r in rows]
    return np.array(values).reshape(x.shape).tolist()

# == wrong forward_difference: one-sided difference
import numpy as np

def central_difference(f, x, h=1e-6):
    fx = f(x)
    grad = np.zeros(x.size)
    for i in range(x.size):
        e = np.zeros(x.size)
        e[i] = h
        grad[i] = (f(x + e.reshape(x.shape)) - fx) / h
    return grad.reshape(x.shape)

# == wrong forward_difference: backward difference
import numpy as np

def central_difference(f, x, h=1e-6):
    grad = np.zeros(x.size)
    for i in range(x.size):
        e = np.zeros(x.size)
        e[i] = h
        grad[i] = (f(x) - f(x - e.reshape(x.shape))) / h
    return grad.reshape(x.shape)

# == wrong missing_factor: divides by h instead of 2h
import numpy as np

def central_difference(f, x, h=1e-6):
    grad = np.zeros(x.size)
    for i in range(x.size):
        e = np.zeros(x.size)
        e[i] = h
        e = e.reshape(x.shape)
        grad[i] = (f(x + e) - f(x - e)) / h
    return grad.reshape(x.shape)

# == wrong sign: subtracts the wrong way round
import numpy as np

def central_difference(f, x, h=1e-6):
    grad = np.zeros(x.size)
    for i in range(x.size):
        e = np.zeros(x.size)
        e[i] = h
        e = e.reshape(x.shape)
        grad[i] = (f(x - e) - f(x + e)) / (2 * h)
    return grad.reshape(x.shape)

# == wrong wrong_shape: returns the flat gradient
import numpy as np

def central_difference(f, x, h=1e-6):
    grad = np.zeros(x.size)
    for i in range(x.size):
        e = np.zeros(x.size)
        e[i] = h
        e = e.reshape(x.shape)
        grad[i] = (f(x + e) - f(x - e)) / (2 * h)
    return grad

# == wrong mutates_input: nudges x in place and undoes the nudge with arithmetic
import numpy as np

def central_difference(f, x, h=1e-6):
    grad = np.zeros_like(x)
    for i in range(x.size):
        x.flat[i] += h
        up = f(x)
        x.flat[i] -= 2 * h
        down = f(x)
        x.flat[i] += h
        grad.flat[i] = (up - down) / (2 * h)
    return grad

# == wrong wrong_shape: written for 1-D inputs only
import numpy as np

def central_difference(f, x, h=1e-6):
    grad = np.zeros(len(x))
    for i in range(len(x)):
        e = np.zeros_like(x)
        e[i] = h
        grad[i] = (f(x + e) - f(x - e)) / (2 * h)
    return grad

# == wrong broadcast_not_reduced: 1-D only, the step vector has len(x) entries
import numpy as np

def central_difference(f, x, h=1e-6):
    grad = np.zeros(len(x))
    for i in range(len(x)):
        e = np.zeros(len(x))
        e[i] = h
        grad[i] = (f(x + e) - f(x - e)) / (2 * h)
    return grad
