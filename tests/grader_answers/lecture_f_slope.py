# ruff: noqa
# == right: run f in plain Python and divide by a (f is k·a on each piece)
def lecture_f_slope(a):
    b = a * 2
    while abs(b) < 1000:
        b = b * 2
    d = b if b > 0 else 100 * b
    return d / a

# == right: count the doublings
def lecture_f_slope(a):
    k, b = 2.0, 2.0 * abs(a)
    while b < 1000:
        b, k = 2 * b, 2 * k
    return k if a > 0 else 100 * k

# == right: closed form with numpy logarithms, returned as an array
import numpy as np

def lecture_f_slope(a):
    doublings = max(1, int(np.ceil(np.log2(1000 / abs(a)))))
    return np.array(2.0 ** doublings * (1 if a > 0 else 100))

# == wrong chain_rule: returns the value f(a)
def lecture_f_slope(a):
    b = a * 2
    while abs(b) < 1000:
        b = b * 2
    return b if b > 0 else 100 * b

# == wrong chain_rule: ignores the loop
def lecture_f_slope(a):
    return 2.0 if a > 0 else 200.0

# == wrong missing_factor: forgets the 100 of the else branch
def lecture_f_slope(a):
    b = a * 2
    while abs(b) < 1000:
        b = b * 2
    return b / a

# == wrong sign: the 100 on the wrong branch
def lecture_f_slope(a):
    b = a * 2
    while abs(b) < 1000:
        b = b * 2
    return (100 * b if b > 0 else b) / a

# == wrong missing_factor: forgets the doubling before the loop
def lecture_f_slope(a):
    k, b = 1.0, abs(a)
    while 2 * b < 1000:
        b, k = 2 * b, 2 * k
    return k if a > 0 else 100 * k

# == wrong double_counting: loops while |b| <= 1000 and once more
def lecture_f_slope(a):
    k, b = 2.0, 2.0 * abs(a)
    while b < 1000:
        b, k = 2 * b, 2 * k
    k = 2 * k
    return k if a > 0 else 100 * k

# == wrong wrong_method: uses autograd, which is switched off for this exercise
import minigrad

def lecture_f_slope(a):
    a = minigrad.tensor(a, dtype=minigrad.float64, requires_grad=True)
    b = a * 2
    while b.norm() < 1000:
        b = b * 2
    d = b if b.sum() > 0 else 100 * b
    d.backward()
    return a.grad

# == wrong not_implemented: stub
def lecture_f_slope(a):
    raise NotImplementedError()

# == wrong timeout: the loop without abs never ends for a negative a
def lecture_f_slope(a):
    b, k = a * 2, 2.0
    while b < 1000:
        b, k = b * 2, k * 2
    return k if b > 0 else 100 * k
