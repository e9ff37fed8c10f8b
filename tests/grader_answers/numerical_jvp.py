# ruff: noqa
# == right: one central difference along v
def numerical_jvp(f, x, v, h=1e-6):
    return (f(x + h * v) - f(x - h * v)) / (2 * h)

# == right: the two points first, a list returned
import numpy as np

def numerical_jvp(f, x, v, h=1e-6):
    step = h * np.asarray(v, dtype=float)
    up, down = np.asarray(f(x + step)), np.asarray(f(x - step))
    return ((up - down) / (2 * h)).tolist()

# == right: a derivative of t -> f(x + t v) at t = 0
import numpy as np

def numerical_jvp(f, x, v, h=1e-6):
    line = lambda t: np.asarray(f(x + t * v), dtype=float)
    return np.subtract(line(h), line(-h)) / (h + h)

# == wrong forward_difference: one-sided step forward
def numerical_jvp(f, x, v, h=1e-6):
    return (f(x + h * v) - f(x)) / h

# == wrong forward_difference: one-sided step backward
def numerical_jvp(f, x, v, h=1e-6):
    return (f(x) - f(x - h * v)) / h

# == wrong missing_factor: divides by h instead of 2h
def numerical_jvp(f, x, v, h=1e-6):
    return (f(x + h * v) - f(x - h * v)) / h

# == wrong sign: subtracts the wrong way round
def numerical_jvp(f, x, v, h=1e-6):
    return (f(x - h * v) - f(x + h * v)) / (2 * h)

# == wrong missing_factor: normalises the tangent
import numpy as np

def numerical_jvp(f, x, v, h=1e-6):
    u = v / np.linalg.norm(v)
    return (f(x + h * u) - f(x - h * u)) / (2 * h)

# == wrong wrong_shape: the whole Jacobian, column by column (2n calls)
import numpy as np

def numerical_jvp(f, x, v, h=1e-6):
    columns = []
    for i in range(x.size):
        e = np.zeros(x.size)
        e[i] = h
        columns.append((f(x + e) - f(x - e)) / (2 * h))
    return np.stack(columns, axis=1)

# == wrong none: the whole Jacobian times v: right numbers, but 2n calls of f
import numpy as np

def numerical_jvp(f, x, v, h=1e-6):
    columns = []
    for i in range(x.size):
        e = np.zeros(x.size)
        e[i] = h
        columns.append((f(x + e) - f(x - e)) / (2 * h))
    return np.stack(columns, axis=1) @ v

# == wrong not_implemented: the stub
def numerical_jvp(f, x, v, h=1e-6):
    raise NotImplementedError()
