"""The ops: one class per op, forward and backward side by side, over numpy arrays.

Importing this package registers every op in ``minigrad.function.REGISTRY``.
"""

import warnings

from . import arithmetic, cumulative, elementwise, linalg, loss, reduce, shape, trig  # noqa: F401

# Arithmetic that overflows or leaves the domain gives inf or nan; numpy then warns ("overflow
# encountered in exp"), torch does not, and neither do minigrad's ops: inf and nan are the
# answer.  The filter covers only warnings raised by the code of these modules, and costs
# nothing until one is raised (np.errstate around every op would cost 0.6 us a call).
warnings.filterwarnings("ignore", category=RuntimeWarning, module=r"minigrad\.ops\.")
