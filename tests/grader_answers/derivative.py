# ruff: noqa
# == right: one rule per operation, no simplification
def derivative(e):
    if isinstance(e, (int, float)):
        return 0.0
    if e == "x":
        return 1.0
    op = e[0]
    if op in ("add", "sub"):
        return (op, derivative(e[1]), derivative(e[2]))
    if op == "mul":
        u, v = e[1], e[2]
        return ("add", ("mul", derivative(u), v), ("mul", u, derivative(v)))
    if op == "div":
        u, v = e[1], e[2]
        top = ("sub", ("mul", derivative(u), v), ("mul", u, derivative(v)))
        return ("div", top, ("pow", v, 2))
    if op == "pow":
        u, k = e[1], e[2]
        return ("mul", ("mul", k, ("pow", u, k - 1)), derivative(u))
    u = e[1]
    outer = {"sin": ("cos", u), "cos": ("sub", 0, ("sin", u)), "exp": e, "log": ("div", 1, u)}[op]
    return ("mul", outer, derivative(u))

# == right: simplifies constants as it goes, returns lists
def num(e):
    return isinstance(e, (int, float))

def add(a, b):
    if num(a) and num(b):
        return a + b
    return b if a == 0 else a if b == 0 else ["add", a, b]

def mul(a, b):
    if num(a) and num(b):
        return a * b
    if a == 0 or b == 0:
        return 0
    return b if a == 1 else a if b == 1 else ["mul", a, b]

def neg(a):
    return mul(-1, a)

def derivative(e):
    if num(e):
        return 0
    if isinstance(e, str):
        return 1
    op, *args = e
    if op == "add":
        return add(derivative(args[0]), derivative(args[1]))
    if op == "sub":
        return add(derivative(args[0]), neg(derivative(args[1])))
    if op == "mul":
        u, v = args
        return add(mul(derivative(u), v), mul(u, derivative(v)))
    if op == "div":  # u/v = u * v^-1
        u, v = args
        return derivative(["mul", u, ["pow", v, -1]])
    if op == "pow":
        u, k = args
        return mul(mul(k, ["pow", u, k - 1]), derivative(u))
    (u,) = args
    if op == "sin":
        return mul(["cos", u], derivative(u))
    if op == "cos":
        return mul(neg(["sin", u]), derivative(u))
    if op == "exp":
        return mul(e, derivative(u))
    return mul(["div", 1, u], derivative(u))

# == right: a table of outer derivatives and the chain rule applied once
OUTER = {
    "sin": lambda u: ("cos", u),
    "cos": lambda u: ("mul", -1.0, ("sin", u)),
    "exp": lambda u: ("exp", u),
    "log": lambda u: ("pow", u, -1.0),
}

def derivative(e):
    if not isinstance(e, tuple):
        return 1.0 if e == "x" else 0.0
    if e[0] in OUTER:
        return ("mul", OUTER[e[0]](e[1]), derivative(e[1]))
    op, u, v = e
    du, dv = derivative(u), derivative(v)
    rules = {
        "add": lambda: ("add", du, dv),
        "sub": lambda: ("sub", du, dv),
        "mul": lambda: ("add", ("mul", du, v), ("mul", u, dv)),
        "div": lambda: ("sub", ("div", du, v), ("div", ("mul", u, dv), ("mul", v, v))),
        "pow": lambda: ("mul", ("mul", float(v), ("pow", u, float(v) - 1)), du),
    }
    return rules[op]()

# == shared: a correct differentiator with one rule replaced in each wrong answer below
RULES = {}

def derivative(e):
    if isinstance(e, (int, float)):
        return 0.0
    if e == "x":
        return 1.0
    return RULES.get(e[0], DEFAULT[e[0]])(*e[1:])

DEFAULT = {
    "add": lambda u, v: ("add", derivative(u), derivative(v)),
    "sub": lambda u, v: ("sub", derivative(u), derivative(v)),
    "mul": lambda u, v: ("add", ("mul", derivative(u), v), ("mul", u, derivative(v))),
    "div": lambda u, v: ("div", ("sub", ("mul", derivative(u), v), ("mul", u, derivative(v))),
                         ("mul", v, v)),
    "pow": lambda u, k: ("mul", ("mul", k, ("pow", u, k - 1)), derivative(u)),
    "sin": lambda u: ("mul", ("cos", u), derivative(u)),
    "cos": lambda u: ("mul", ("mul", -1.0, ("sin", u)), derivative(u)),
    "exp": lambda u: ("mul", ("exp", u), derivative(u)),
    "log": lambda u: ("mul", ("div", 1.0, u), derivative(u)),
}

# == wrong product_rule: (uv)' = u'v'
RULES["mul"] = lambda u, v: ("mul", derivative(u), derivative(v))

# == wrong chain_rule: forgets the inner derivative
RULES.update({
    "sin": lambda u: ("cos", u),
    "cos": lambda u: ("mul", -1.0, ("sin", u)),
    "exp": lambda u: ("exp", u),
    "log": lambda u: ("div", 1.0, u),
    "pow": lambda u, k: ("mul", k, ("pow", u, k - 1)),
})

# == wrong sign: (cos u)' = sin(u) u'
RULES["cos"] = lambda u: ("mul", ("sin", u), derivative(u))

# == wrong sign: quotient rule with a plus
RULES["div"] = lambda u, v: ("div", ("add", ("mul", derivative(u), v), ("mul", u, derivative(v))),
                             ("mul", v, v))

# == wrong missing_factor: (u^k)' = u^(k-1) u'
RULES["pow"] = lambda u, k: ("mul", ("pow", u, k - 1), derivative(u))

# == wrong sign: (u - v)' = u' + v'
RULES["sub"] = lambda u, v: ("add", derivative(u), derivative(v))

# == wrong not_implemented: the stub
def derivative(e):
    raise NotImplementedError()

# == wrong not_implemented: log and exp left for later
def derivative(e):
    if isinstance(e, (int, float)):
        return 0.0
    if e == "x":
        return 1.0
    op = e[0]
    if op in ("add", "sub"):
        return (op, derivative(e[1]), derivative(e[2]))
    if op == "mul":
        u, v = e[1], e[2]
        return ("add", ("mul", derivative(u), v), ("mul", u, derivative(v)))
    if op == "div":
        u, v = e[1], e[2]
        top = ("sub", ("mul", derivative(u), v), ("mul", u, derivative(v)))
        return ("div", top, ("pow", v, 2))
    if op == "pow":
        u, k = e[1], e[2]
        return ("mul", ("mul", k, ("pow", u, k - 1)), derivative(u))
    u = e[1]
    if op == "sin":
        return ("mul", ("cos", u), derivative(u))
    if op == "cos":
        return ("mul", ("sub", 0, ("sin", u)), derivative(u))
    raise NotImplementedError(op)
