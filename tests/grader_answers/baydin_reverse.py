# ruff: noqa
# == right: the trace of the lecture, adjoints accumulated
import math

def baydin_reverse(x1, x2):
    v1, v2, v3 = math.log(x1), x1 * x2, math.sin(x2)
    y = v1 + v2 - v3
    v1_bar, v2_bar, v3_bar = 1.0, 1.0, -1.0
    x1_bar = v1_bar / x1 + v2_bar * x2
    x2_bar = v2_bar * x1 + v3_bar * math.cos(x2)
    return y, x1_bar, x2_bar

# == right: numpy, adjoint dictionary filled top-down, returned as a list
import numpy as np

def baydin_reverse(x1, x2):
    v = {"x1": x1, "x2": x2}
    v["a"] = np.log(v["x1"])
    v["b"] = v["x1"] * v["x2"]
    v["c"] = np.sin(v["x2"])
    v["y"] = v["a"] + v["b"] - v["c"]
    bar = {k: 0.0 for k in v}
    bar["y"] = 1.0
    bar["a"] += bar["y"]
    bar["b"] += bar["y"]
    bar["c"] -= bar["y"]
    bar["x2"] += bar["c"] * np.cos(v["x2"])
    bar["x1"] += bar["b"] * v["x2"]
    bar["x2"] += bar["b"] * v["x1"]
    bar["x1"] += bar["a"] / v["x1"]
    return [v["y"], bar["x1"], bar["x2"]]

# == right: numpy arrays of shape () returned
import numpy as np

def baydin_reverse(x1, x2):
    x1, x2 = np.array(x1), np.array(x2)
    y = np.log(x1) + x1 * x2 - np.sin(x2)
    return y, 1 / x1 + x2, x1 - np.cos(x2)

# == wrong no_accumulation: x1's adjoint overwritten by the second path
import math

def baydin_reverse(x1, x2):
    y = math.log(x1) + x1 * x2 - math.sin(x2)
    x1_bar = 1 / x1
    x1_bar = x2
    x2_bar = x1 - math.cos(x2)
    return y, x1_bar, x2_bar

# == wrong no_accumulation: x2's adjoint keeps only the sine path
import math

def baydin_reverse(x1, x2):
    y = math.log(x1) + x1 * x2 - math.sin(x2)
    x2_bar = x1
    x2_bar = -math.cos(x2)
    return y, 1 / x1 + x2, x2_bar

# == wrong sign: the minus of the sine is lost
import math

def baydin_reverse(x1, x2):
    y = math.log(x1) + x1 * x2 - math.sin(x2)
    return y, 1 / x1 + x2, x1 + math.cos(x2)

# == wrong product_rule: each factor of x1*x2 gets itself
import math

def baydin_reverse(x1, x2):
    y = math.log(x1) + x1 * x2 - math.sin(x2)
    return y, 1 / x1 + x1, x2 - math.cos(x2)

# == wrong sign: forward pass adds the sine
import math

def baydin_reverse(x1, x2):
    y = math.log(x1) + x1 * x2 + math.sin(x2)
    return y, 1 / x1 + x2, x1 - math.cos(x2)

# == wrong wrong_shape: returns only the gradient
def baydin_reverse(x1, x2):
    return 1 / x1 + x2, x1

# == right: one numpy array of the three numbers
import numpy as np

def baydin_reverse(x1, x2):
    y = np.log(x1) + x1 * x2 - np.sin(x2)
    return np.array([y, 1 / x1 + x2, x1 - np.cos(x2)])

# == wrong wrong_shape: y and the gradient as an array, two values instead of three
import numpy as np

def baydin_reverse(x1, x2):
    y = np.log(x1) + x1 * x2 - np.sin(x2)
    return y, np.array([1 / x1 + x2, x1 - np.cos(x2)])

# == wrong wrong_method: torch autograd, switched off for this exercise
import torch

def baydin_reverse(x1, x2):
    a, b = torch.tensor(x1, requires_grad=True), torch.tensor(x2, requires_grad=True)
    y = torch.log(a) + a * b - torch.sin(b)
    y.backward()
    return y.item(), a.grad.item(), b.grad.item()
