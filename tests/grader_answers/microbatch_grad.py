# ruff: noqa
# == right: each micro-batch's summed loss divided by m, gradients accumulate in w.grad
import minigrad

def microbatch_grad(X, y, w, batch_size):
    m = len(y)
    w = minigrad.tensor(w, dtype=minigrad.float64, requires_grad=True)
    for i in range(0, m, batch_size):
        Xb = minigrad.tensor(X[i:i + batch_size], dtype=minigrad.float64)
        yb = minigrad.tensor(y[i:i + batch_size], dtype=minigrad.float64)
        (((Xb @ w - yb) ** 2).sum() / m).backward()
    return w.grad

# == right: each micro-batch's mean weighted by its share
import numpy as np
import minigrad

def microbatch_grad(X, y, w, batch_size):
    w = minigrad.tensor(w, dtype=minigrad.float64).requires_grad_()
    for Xb, yb in zip(np.array_split(X, range(batch_size, len(y), batch_size)),
                      np.array_split(y, range(batch_size, len(y), batch_size))):
        loss = minigrad.nn.functional.mse_loss(minigrad.tensor(Xb) @ w, minigrad.tensor(yb))
        (loss * (len(yb) / len(y))).backward()
    return w.grad.numpy()

# == right: the full batch at once (list returned)
import minigrad

def microbatch_grad(X, y, w, batch_size):
    w = minigrad.tensor(w, dtype=minigrad.float64, requires_grad=True)
    r = minigrad.tensor(X, dtype=minigrad.float64) @ w - minigrad.tensor(y, dtype=minigrad.float64)
    (r * r).mean().backward()
    return w.grad.tolist()

# == wrong missing_factor: adds the micro-batch means unweighted
import minigrad

def microbatch_grad(X, y, w, batch_size):
    w = minigrad.tensor(w, dtype=minigrad.float64, requires_grad=True)
    for i in range(0, len(y), batch_size):
        Xb = minigrad.tensor(X[i:i + batch_size], dtype=minigrad.float64)
        yb = minigrad.tensor(y[i:i + batch_size], dtype=minigrad.float64)
        ((Xb @ w - yb) ** 2).mean().backward()
    return w.grad

# == wrong missing_factor: averages the micro-batch means
import minigrad

def microbatch_grad(X, y, w, batch_size):
    w = minigrad.tensor(w, dtype=minigrad.float64, requires_grad=True)
    starts = range(0, len(y), batch_size)
    for i in starts:
        Xb = minigrad.tensor(X[i:i + batch_size], dtype=minigrad.float64)
        yb = minigrad.tensor(y[i:i + batch_size], dtype=minigrad.float64)
        (((Xb @ w - yb) ** 2).mean() / len(starts)).backward()
    return w.grad

# == wrong no_accumulation: zeroes w.grad inside the loop
import minigrad

def microbatch_grad(X, y, w, batch_size):
    w = minigrad.tensor(w, dtype=minigrad.float64, requires_grad=True)
    for i in range(0, len(y), batch_size):
        w.grad = None
        Xb = minigrad.tensor(X[i:i + batch_size], dtype=minigrad.float64)
        yb = minigrad.tensor(y[i:i + batch_size], dtype=minigrad.float64)
        (((Xb @ w - yb) ** 2).sum() / len(y)).backward()
    return w.grad

# == wrong no_accumulation: keeps the last micro-batch's mean gradient
import minigrad

def microbatch_grad(X, y, w, batch_size):
    for i in range(0, len(y), batch_size):
        wt = minigrad.tensor(w, dtype=minigrad.float64, requires_grad=True)
        Xb = minigrad.tensor(X[i:i + batch_size], dtype=minigrad.float64)
        yb = minigrad.tensor(y[i:i + batch_size], dtype=minigrad.float64)
        ((Xb @ wt - yb) ** 2).mean().backward()
    return wt.grad

# == wrong missing_factor: sum of squares instead of their mean
import minigrad

def microbatch_grad(X, y, w, batch_size):
    w = minigrad.tensor(w, dtype=minigrad.float64, requires_grad=True)
    for i in range(0, len(y), batch_size):
        Xb = minigrad.tensor(X[i:i + batch_size], dtype=minigrad.float64)
        yb = minigrad.tensor(y[i:i + batch_size], dtype=minigrad.float64)
        ((Xb @ w - yb) ** 2).sum().backward()
    return w.grad

# == wrong not_implemented: stub
def microbatch_grad(X, y, w, batch_size):
    raise NotImplementedError()

# == wrong sign: residual written y - Xw with the outer sign also flipped
import minigrad

def microbatch_grad(X, y, w, batch_size):
    m = len(y)
    w = minigrad.tensor(w, dtype=minigrad.float64, requires_grad=True)
    for i in range(0, m, batch_size):
        Xb = minigrad.tensor(X[i:i + batch_size], dtype=minigrad.float64)
        yb = minigrad.tensor(y[i:i + batch_size], dtype=minigrad.float64)
        (-((Xb @ w - yb) ** 2).sum() / m).backward()
    return w.grad

# == wrong mutates_input: scales X in place to fold in the 1/m
import minigrad

def microbatch_grad(X, y, w, batch_size):
    m = len(y)
    X *= 1.0
    X /= 3.0
    X *= 3.0
    w = minigrad.tensor(w, dtype=minigrad.float64, requires_grad=True)
    for i in range(0, m, batch_size):
        Xb = minigrad.tensor(X[i:i + batch_size], dtype=minigrad.float64)
        yb = minigrad.tensor(y[i:i + batch_size], dtype=minigrad.float64)
        (((Xb @ w - yb) ** 2).sum() / m).backward()
    return w.grad
