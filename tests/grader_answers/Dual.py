# ruff: noqa
# == right: one class, numbers lifted to constants
import math

class Dual:
    def __init__(self, primal, tangent=0.0):
        self.primal, self.tangent = primal, tangent

    @staticmethod
    def lift(other):
        return other if isinstance(other, Dual) else Dual(other, 0.0)

    def __add__(self, other):
        other = Dual.lift(other)
        return Dual(self.primal + other.primal, self.tangent + other.tangent)

    __radd__ = __add__

    def __sub__(self, other):
        other = Dual.lift(other)
        return Dual(self.primal - other.primal, self.tangent - other.tangent)

    def __rsub__(self, other):
        return Dual.lift(other) - self

    def __mul__(self, other):
        other = Dual.lift(other)
        return Dual(self.primal * other.primal,
                    self.tangent * other.primal + self.primal * other.tangent)

    __rmul__ = __mul__

    def __truediv__(self, other):
        other = Dual.lift(other)
        return Dual(self.primal / other.primal,
                    (self.tangent * other.primal - self.primal * other.tangent) / other.primal ** 2)

    def __rtruediv__(self, other):
        return Dual.lift(other) / self

    def __pow__(self, n):
        return Dual(self.primal ** n, n * self.primal ** (n - 1) * self.tangent)

    def __neg__(self):
        return Dual(-self.primal, -self.tangent)

    def sin(self):
        return Dual(math.sin(self.primal), math.cos(self.primal) * self.tangent)

    def cos(self):
        return Dual(math.cos(self.primal), -math.sin(self.primal) * self.tangent)

    def exp(self):
        return Dual(math.exp(self.primal), math.exp(self.primal) * self.tangent)

    def log(self):
        return Dual(math.log(self.primal), self.tangent / self.primal)

# == right: chain rule helper, numpy scalars, division as multiplication by a reciprocal
import numpy as np

class Dual:
    def __init__(self, primal, tangent):
        self.primal, self.tangent = np.float64(primal), np.float64(tangent)

    def _chain(self, value, slope):
        return Dual(value, slope * self.tangent)

    def __add__(self, o):
        if isinstance(o, Dual):
            return Dual(self.primal + o.primal, self.tangent + o.tangent)
        return Dual(self.primal + o, self.tangent)

    def __radd__(self, o):
        return self + o

    def __neg__(self):
        return self._chain(-self.primal, -1.0)

    def __sub__(self, o):
        return self + (-o)

    def __rsub__(self, o):
        return (-self) + o

    def __mul__(self, o):
        if isinstance(o, Dual):
            return Dual(self.primal * o.primal, self.tangent * o.primal + self.primal * o.tangent)
        return Dual(self.primal * o, self.tangent * o)

    def __rmul__(self, o):
        return self * o

    def reciprocal(self):
        return self._chain(1 / self.primal, -1 / self.primal ** 2)

    def __truediv__(self, o):
        return self * (o.reciprocal() if isinstance(o, Dual) else 1 / o)

    def __rtruediv__(self, o):
        return self.reciprocal() * o

    def __pow__(self, n):
        return self._chain(self.primal ** n, n * self.primal ** (n - 1))

    def sin(self):
        return self._chain(np.sin(self.primal), np.cos(self.primal))

    def cos(self):
        return self._chain(np.cos(self.primal), -np.sin(self.primal))

    def exp(self):
        return self._chain(np.exp(self.primal), np.exp(self.primal))

    def log(self):
        return self._chain(np.log(self.primal), 1 / self.primal)

# == right: a dataclass with a table of derivative rules
import math
from dataclasses import dataclass

RULES = {"sin": (math.sin, math.cos), "cos": (math.cos, lambda a: -math.sin(a)),
         "exp": (math.exp, math.exp), "log": (math.log, lambda a: 1 / a)}

@dataclass
class Dual:
    primal: float
    tangent: float

    def _apply(self, name):
        f, df = RULES[name]
        return Dual(f(self.primal), df(self.primal) * self.tangent)

    def sin(self): return self._apply("sin")
    def cos(self): return self._apply("cos")
    def exp(self): return self._apply("exp")
    def log(self): return self._apply("log")

    def _pair(self, o):
        return (o.primal, o.tangent) if isinstance(o, Dual) else (o, 0.0)

    def __add__(self, o):
        p, t = self._pair(o)
        return Dual(self.primal + p, self.tangent + t)

    def __radd__(self, o): return self + o

    def __sub__(self, o):
        p, t = self._pair(o)
        return Dual(self.primal - p, self.tangent - t)

    def __rsub__(self, o):
        p, t = self._pair(o)
        return Dual(p - self.primal, t - self.tangent)

    def __mul__(self, o):
        p, t = self._pair(o)
        return Dual(self.primal * p, self.tangent * p + self.primal * t)

    def __rmul__(self, o): return self * o

    def __truediv__(self, o):
        p, t = self._pair(o)
        return Dual(self.primal / p, (self.tangent * p - self.primal * t) / (p * p))

    def __rtruediv__(self, o):
        p, t = self._pair(o)
        return Dual(p / self.primal, (t * self.primal - p * self.tangent) / self.primal ** 2)

    def __pow__(self, n): return Dual(self.primal ** n, n * self.primal ** (n - 1) * self.tangent)
    def __neg__(self): return Dual(-self.primal, -self.tangent)

# == shared: a correct base class the wrong answers below change one rule of
import math

class _DualBase:
    def __init__(self, primal, tangent=0.0):
        self.primal, self.tangent = primal, tangent

    @staticmethod
    def lift(other):
        return other if isinstance(other, _DualBase) else Dual(other, 0.0)

    def __add__(self, other):
        other = Dual.lift(other)
        return Dual(self.primal + other.primal, self.tangent + other.tangent)

    __radd__ = __add__

    def __sub__(self, other):
        other = Dual.lift(other)
        return Dual(self.primal - other.primal, self.tangent - other.tangent)

    def __rsub__(self, other):
        return Dual.lift(other) - self

    def __mul__(self, other):
        other = Dual.lift(other)
        return Dual(self.primal * other.primal,
                    self.tangent * other.primal + self.primal * other.tangent)

    __rmul__ = __mul__

    def __truediv__(self, other):
        other = Dual.lift(other)
        return Dual(self.primal / other.primal,
                    (self.tangent * other.primal - self.primal * other.tangent) / other.primal ** 2)

    def __rtruediv__(self, other):
        return Dual.lift(other) / self

    def __pow__(self, n):
        return Dual(self.primal ** n, n * self.primal ** (n - 1) * self.tangent)

    def __neg__(self):
        return Dual(-self.primal, -self.tangent)

    def sin(self):
        return Dual(math.sin(self.primal), math.cos(self.primal) * self.tangent)

    def cos(self):
        return Dual(math.cos(self.primal), -math.sin(self.primal) * self.tangent)

    def exp(self):
        return Dual(math.exp(self.primal), math.exp(self.primal) * self.tangent)

    def log(self):
        return Dual(math.log(self.primal), self.tangent / self.primal)

# == wrong product_rule: multiplies the tangents
class Dual(_DualBase):
    def __mul__(self, other):
        other = Dual.lift(other)
        return Dual(self.primal * other.primal, self.tangent * other.tangent)

    __rmul__ = __mul__

# == wrong sign: quotient rule with a plus
class Dual(_DualBase):
    def __truediv__(self, other):
        other = Dual.lift(other)
        return Dual(self.primal / other.primal,
                    (self.tangent * other.primal + self.primal * other.tangent) / other.primal ** 2)

# == wrong sign: derivative of cos taken as sin
class Dual(_DualBase):
    def cos(self):
        return Dual(math.cos(self.primal), math.sin(self.primal) * self.tangent)

# == wrong chain_rule: unary functions forget the input tangent
class Dual(_DualBase):
    def sin(self):
        return Dual(math.sin(self.primal), math.cos(self.primal))

    def cos(self):
        return Dual(math.cos(self.primal), -math.sin(self.primal))

    def exp(self):
        return Dual(math.exp(self.primal), math.exp(self.primal))

    def log(self):
        return Dual(math.log(self.primal), 1 / self.primal)

# == wrong missing_factor: power rule without the exponent in front
class Dual(_DualBase):
    def __pow__(self, n):
        return Dual(self.primal ** n, self.primal ** (n - 1) * self.tangent)

# == wrong sign: subtraction adds the tangents
class Dual(_DualBase):
    def __sub__(self, other):
        other = Dual.lift(other)
        return Dual(self.primal - other.primal, self.tangent + other.tangent)

# == wrong not_implemented: the stub class
class Dual:
    def __init__(self, primal, tangent):
        raise NotImplementedError()

# == wrong sign: reflected subtraction computes d - number
class Dual(_DualBase):
    def __rsub__(self, other):
        return self - Dual.lift(other)

# == wrong order: reflected division computes d / number
class Dual(_DualBase):
    def __rtruediv__(self, other):
        return self / Dual.lift(other)

# == wrong chain_rule: log forgets its input's tangent
import math

class Dual(_DualBase):
    def log(self):
        return Dual(math.log(self.primal), 1 / self.primal)

# == wrong chain_rule: sin forgets its input's tangent
import math

class Dual(_DualBase):
    def sin(self):
        return Dual(math.sin(self.primal), math.cos(self.primal))

# == wrong chain_rule: power rule keeps the exponent but not the power n - 1
class Dual(_DualBase):
    def __pow__(self, n):
        return Dual(self.primal ** n, n * self.primal * self.tangent)
