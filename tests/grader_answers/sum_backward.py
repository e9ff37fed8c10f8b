# ruff: noqa
# == right: expand the summed dims back, then broadcast
import numpy as np

def sum_backward(grad_out, x_shape, dim=None, keepdim=False):
    g = np.asarray(grad_out)
    if dim is not None and not keepdim:
        dims = (dim,) if isinstance(dim, int) else dim
        for d in sorted(d % len(x_shape) for d in dims):
            g = np.expand_dims(g, d)
    return np.broadcast_to(g, x_shape).copy()

# == right: reshape to the kept shape, multiply by ones
import numpy as np

def sum_backward(grad_out, x_shape, dim=None, keepdim=False):
    if dim is None:
        dims = range(len(x_shape))
    else:
        dims = [d % len(x_shape) for d in ((dim,) if isinstance(dim, int) else dim)]
    kept = [1 if i in dims else s for i, s in enumerate(x_shape)]
    return np.ones(x_shape) * np.reshape(grad_out, kept)

# == right: minigrad forward ops, tensor returned
import numpy as np
import minigrad

def sum_backward(grad_out, x_shape, dim=None, keepdim=False):
    dims = range(len(x_shape)) if dim is None else (dim,) if isinstance(dim, int) else dim
    dims = {d % len(x_shape) for d in dims}
    kept = [1 if i in dims else s for i, s in enumerate(x_shape)]
    g = minigrad.tensor(np.reshape(grad_out, kept), dtype=minigrad.float64)
    return g * minigrad.ones(*x_shape, dtype=minigrad.float64)

# == wrong wrong_shape: returns grad_out as it is
def sum_backward(grad_out, x_shape, dim=None, keepdim=False):
    return grad_out

# == wrong chain_rule: ones, forgetting grad_out
import numpy as np

def sum_backward(grad_out, x_shape, dim=None, keepdim=False):
    return np.ones(x_shape)

# == wrong missing_factor: the gradient of a mean
import numpy as np

def sum_backward(grad_out, x_shape, dim=None, keepdim=False):
    dims = range(len(x_shape)) if dim is None else (dim,) if isinstance(dim, int) else dim
    dims = {d % len(x_shape) for d in dims}
    kept = [1 if i in dims else s for i, s in enumerate(x_shape)]
    count = np.prod([x_shape[d] for d in dims])
    return np.ones(x_shape) * np.reshape(grad_out, kept) / count

# == wrong broadcast_not_reduced: broadcasts without re-inserting the summed dim
import numpy as np

def sum_backward(grad_out, x_shape, dim=None, keepdim=False):
    return np.broadcast_to(grad_out, x_shape).copy()

# == wrong sign: negated
import numpy as np

def sum_backward(grad_out, x_shape, dim=None, keepdim=False):
    if dim is None:
        dims = range(len(x_shape))
    else:
        dims = [d % len(x_shape) for d in ((dim,) if isinstance(dim, int) else dim)]
    kept = [1 if i in dims else s for i, s in enumerate(x_shape)]
    return -np.ones(x_shape) * np.reshape(grad_out, kept)

# == wrong broadcast_not_reduced: keepdim forgotten when dim is a tuple
import numpy as np

def sum_backward(grad_out, x_shape, dim=None, keepdim=False):
    g = np.asarray(grad_out, dtype=float)
    if not keepdim and isinstance(dim, int):
        g = np.expand_dims(g, dim)
    return np.broadcast_to(g, x_shape).copy()

# == wrong wrong_dtype: an int buffer for the result
import numpy as np

def sum_backward(grad_out, x_shape, dim=None, keepdim=False):
    g = np.asarray(grad_out)
    if dim is not None and not keepdim:
        dims = (dim,) if isinstance(dim, int) else dim
        for d in sorted(d % len(x_shape) for d in dims):
            g = np.expand_dims(g, d)
    out = np.zeros(x_shape, dtype=int)
    out[...] = g
    return out

# == wrong double_counting: the gradient added twice
import numpy as np

def sum_backward(grad_out, x_shape, dim=None, keepdim=False):
    g = np.asarray(grad_out)
    if dim is not None and not keepdim:
        dims = (dim,) if isinstance(dim, int) else dim
        for d in sorted(d % len(x_shape) for d in dims):
            g = np.expand_dims(g, d)
    out = np.broadcast_to(g, x_shape).copy()
    out += g
    return out
