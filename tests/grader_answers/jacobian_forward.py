# ruff: noqa
# == right: dual tensors, one basis tangent per pass
import numpy as np
import minigrad
import minigrad.autograd.forward_ad as fwAD

def jacobian_forward(f, x):
    x = minigrad.tensor(x, dtype=minigrad.float64)
    columns = []
    for j in range(x.shape[0]):
        e = minigrad.zeros(x.shape[0], dtype=minigrad.float64)
        e[j] = 1.0
        with fwAD.dual_level():
            y = f(fwAD.make_dual(x, e))
            columns.append(fwAD.unpack_dual(y).tangent.numpy())
    return np.stack(columns, axis=1)

# == right: functional jvp per input, filled into a preallocated array
import numpy as np
import minigrad

def jacobian_forward(f, x):
    x = minigrad.tensor(x, dtype=minigrad.float64)
    n = x.shape[0]
    J = None
    for j in range(n):
        e = minigrad.tensor(np.eye(n)[j], dtype=minigrad.float64)
        _, tangent = minigrad.func.jvp(f, (x,), (e,))
        if J is None:
            J = np.zeros((tangent.shape[0], n))
        J[:, j] = tangent.numpy()
    return J

# == right: rows of the identity as tangents, minigrad tensor returned
import minigrad
import minigrad.autograd.forward_ad as fwAD

def jacobian_forward(f, x):
    x = minigrad.tensor(x, dtype=minigrad.float64)
    eye = minigrad.eye(x.shape[0], dtype=minigrad.float64)
    with fwAD.dual_level():
        cols = [fwAD.unpack_dual(f(fwAD.make_dual(x, eye[j]))).tangent for j in range(x.shape[0])]
    return minigrad.stack(cols, dim=1)

# == shared: the columns, the building block of the wrong answers below
import numpy as np
import minigrad
import minigrad.autograd.forward_ad as fwAD

def _jvp(f, x, tangent):
    x = minigrad.tensor(x, dtype=minigrad.float64)
    with fwAD.dual_level():
        y = f(fwAD.make_dual(x, minigrad.tensor(tangent, dtype=minigrad.float64)))
        return fwAD.unpack_dual(y).tangent.numpy()

# == wrong transposed: the columns stacked as rows
def jacobian_forward(f, x):
    return np.stack([_jvp(f, x, e) for e in np.eye(len(x))])

# == wrong wrong_shape: one pass along all ones
def jacobian_forward(f, x):
    return _jvp(f, x, np.ones(len(x)))

# == wrong sign: tangents pointing the wrong way
def jacobian_forward(f, x):
    return np.stack([_jvp(f, x, -e) for e in np.eye(len(x))], axis=1)

# == wrong exception: assigns a column into a row
def jacobian_forward(f, x):
    J = np.zeros((len(x), len(x)))
    for j, e in enumerate(np.eye(len(x))):
        J[:, j] = _jvp(f, x, e)
    return J

# == wrong not_implemented: stub
def jacobian_forward(f, x):
    raise NotImplementedError()

# == wrong wrong_method: reverse mode, one backward per output
import numpy as np
import minigrad

def jacobian_forward(f, x):
    rows = []
    y = None
    for i in range(len(f(x))):
        xt = minigrad.tensor(x, dtype=minigrad.float64, requires_grad=True)
        f(xt)[i].backward()
        rows.append(xt.grad.numpy())
    return np.stack(rows)

# == wrong wrong_method: reverse-mode jacrev, switched off for this exercise
import minigrad

def jacobian_forward(f, x):
    return minigrad.func.jacrev(f)(minigrad.tensor(x, dtype=minigrad.float64))

# == wrong sign: negative tangent directions
import numpy as np
import minigrad

def jacobian_forward(f, x):
    n = len(x)
    cols = []
    for j in range(n):
        e = np.zeros(n)
        e[j] = -1.0
        _, t = minigrad.func.jvp(f, (minigrad.tensor(x, dtype=minigrad.float64),),
                                 (minigrad.tensor(e, dtype=minigrad.float64),))
        cols.append(t.numpy())
    return np.stack(cols, axis=1)
