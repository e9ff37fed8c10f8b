"""The ops: one class per op, its forward, backward and jvp side by side over numpy arrays
(the protocol is in ``minigrad/autograd/engine.py``, with ``Function``).  Which op lives where:

    arithmetic.py      Add Sub Mul MulNumber Div Neg Pow PowTensor
    elementwise.py     Exp Log Sqrt Sin Cos Tanh Sigmoid Relu Abs Clamp Maximum Minimum Where
                       ToCopy Clone
    reduce.py          Sum Mean Amax Amin TakeAlongDim Norm Softmax LogSoftmax
    shape.py           View Transpose Permute Expand Index ScatterAdd IndexPut Cat Stack
    linalg.py          Dot Mv Mm Linear
    loss.py            MseLoss NllLoss
    trig.py            Tan Asin Acos Atan Sinh Cosh Asinh Acosh Atanh
    cumulative.py      Cumsum
    numpy_dispatch.py  no op: numpy functions called on Tensors (``np.cos(t)``) run these ops

Importing this package registers every op in ``minigrad.autograd.engine.REGISTRY``.
"""

import warnings

from . import arithmetic, cumulative, elementwise, linalg, loss, reduce, shape, trig  # noqa: F401

# Arithmetic that overflows or leaves the domain gives inf or nan; numpy then warns ("overflow
# encountered in exp"), torch does not, and neither do minigrad's ops: inf and nan are the
# answer.  The filter covers only warnings raised by the code of these modules, and costs
# nothing until one is raised (np.errstate around every op would cost 0.6 us a call).
warnings.filterwarnings("ignore", category=RuntimeWarning, module=r"minigrad\.ops\.")
