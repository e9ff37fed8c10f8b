# ruff: noqa
# == right: the tangent trace of the lecture, one line per node
import math

def baydin_forward(x1, x2, dx1, dx2):
    v1, dv1 = math.log(x1), dx1 / x1
    v2, dv2 = x1 * x2, dx1 * x2 + x1 * dx2
    v3, dv3 = math.sin(x2), math.cos(x2) * dx2
    v4, dv4 = v1 + v2, dv1 + dv2
    v5, dv5 = v4 - v3, dv4 - dv3
    return v5, dv5

# == right: numpy, the gradient dotted with the tangent, returned as a list
import numpy as np

def baydin_forward(x1, x2, dx1, dx2):
    y = np.log(x1) + x1 * x2 - np.sin(x2)
    gradient = np.array([1 / x1 + x2, x1 - np.cos(x2)])
    return [y, gradient @ np.array([dx1, dx2])]

# == right: a tiny dual-number class, numpy arrays of shape () returned
import numpy as np

class _TinyDual:
    def __init__(self, p, t):
        self.p, self.t = p, t
    def __add__(self, o):
        return _TinyDual(self.p + o.p, self.t + o.t)
    def __sub__(self, o):
        return _TinyDual(self.p - o.p, self.t - o.t)
    def __mul__(self, o):
        return _TinyDual(self.p * o.p, self.t * o.p + self.p * o.t)

def _tiny_ln(u):
    return _TinyDual(np.log(u.p), u.t / u.p)

def _tiny_sin(u):
    return _TinyDual(np.sin(u.p), np.cos(u.p) * u.t)

def baydin_forward(x1, x2, dx1, dx2):
    a, b = _TinyDual(np.array(x1), np.array(dx1)), _TinyDual(np.array(x2), np.array(dx2))
    y = _tiny_ln(a) + a * b - _tiny_sin(b)
    return y.p, y.t

# == wrong product_rule: the tangent of x1*x2 multiplies the tangents
import math

def baydin_forward(x1, x2, dx1, dx2):
    y = math.log(x1) + x1 * x2 - math.sin(x2)
    return y, dx1 / x1 + dx1 * dx2 - math.cos(x2) * dx2

# == wrong product_rule: only x1's tangent moves the product
import math

def baydin_forward(x1, x2, dx1, dx2):
    y = math.log(x1) + x1 * x2 - math.sin(x2)
    return y, dx1 / x1 + dx1 * x2 - math.cos(x2) * dx2

# == wrong sign: the tangent of the sine is added
import math

def baydin_forward(x1, x2, dx1, dx2):
    y = math.log(x1) + x1 * x2 - math.sin(x2)
    return y, dx1 / x1 + dx1 * x2 + x1 * dx2 + math.cos(x2) * dx2

# == wrong chain_rule: ln and sin forget their input's tangent
import math

def baydin_forward(x1, x2, dx1, dx2):
    y = math.log(x1) + x1 * x2 - math.sin(x2)
    return y, 1 / x1 + dx1 * x2 + x1 * dx2 - math.cos(x2)

# == wrong chain_rule: the tangent of ln x1 taken as dx1
import math

def baydin_forward(x1, x2, dx1, dx2):
    y = math.log(x1) + x1 * x2 - math.sin(x2)
    return y, dx1 + dx1 * x2 + x1 * dx2 - math.cos(x2) * dx2

# == wrong order: tangent returned first
import math

def baydin_forward(x1, x2, dx1, dx2):
    y = math.log(x1) + x1 * x2 - math.sin(x2)
    return dx1 / x1 + dx1 * x2 + x1 * dx2 - math.cos(x2) * dx2, y

# == wrong wrong_shape: returns the gradient as one array instead of (y, dy)
import numpy as np

def baydin_forward(x1, x2, dx1, dx2):
    return np.array([1 / x1 + x2, x1 - np.cos(x2), 0.0])

# == wrong not_implemented: the stub is left in
def baydin_forward(x1, x2, dx1, dx2):
    raise NotImplementedError()

# == right: one numpy array (y, dy)
import numpy as np

def baydin_forward(x1, x2, dx1, dx2):
    y = np.log(x1) + x1 * x2 - np.sin(x2)
    return np.array([y, (1 / x1 + x2) * dx1 + (x1 - np.cos(x2)) * dx2])
