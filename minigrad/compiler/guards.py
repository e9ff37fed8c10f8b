"""What generated code is specific to, beyond its arguments' signatures: the tensors and the
numbers a function reads from outside by name.  If a name is bound to another tensor or value
after the trace (a notebook cell run again), the code traced before must not run.
"""

from __future__ import annotations

import inspect
from typing import Any

from ..nn.module import Module


def names_of(fn: Any, refs: list[Any], depth: int = 3) -> tuple[list[Any], list[Any]]:
    """What ``fn`` reads by name that the generated code holds fixed: its globals, closure
    cells and a module's attributes, and those of the functions and modules it names,
    ``depth`` levels down.  Returns the places holding a tensor from outside (``refs``) and
    those holding a number, a flag or a string (``scale = 2.0``): each (a dict or a cell,
    the name or None, the tensor's weak reference or the value).  If such a name is bound to
    another tensor or value later (a notebook cell run again), the code traced before must
    not run (``_Entry.inputs``)."""
    wanted = {id(ref()): ref for ref in refs if ref() is not None}
    tensors: list[tuple[Any, Any, Any]] = []
    fixed: list[tuple[Any, Any, Any]] = []
    seen: set[int] = set()

    def visit(obj: Any, level: int) -> None:
        if id(obj) in seen or level > depth:
            return
        seen.add(id(obj))
        places: list[tuple[Any, Any, Any]] = []  # (where, name, value)
        if isinstance(obj, Module):
            places += [(vars(obj), k, v) for k, v in vars(obj).items()]
            places += [(None, None, v) for v in vars(obj).get("_modules", {}).values()]
            places.append((None, None, type(obj).forward))
        elif inspect.ismethod(obj):
            places += [(None, None, obj.__func__), (None, None, obj.__self__)]
        elif inspect.isfunction(obj):
            code = obj.__code__
            places += [(obj.__globals__, k, obj.__globals__[k]) for k in code.co_names
                       if k in obj.__globals__]
            places += [(cell, None, cell.cell_contents)
                       for cell in obj.__closure__ or () if _filled(cell)]
        for where, name, value in places:
            if id(value) in wanted:
                if where is not None:
                    tensors.append((where, name, wanted[id(value)]))
            elif type(value) in (bool, int, float, complex, str) and where is not None:
                fixed.append((where, name, value))
            elif isinstance(value, Module) or inspect.isfunction(value) or \
                    inspect.ismethod(value):
                visit(value, level + 1)

    visit(fn, 0)
    return tensors, fixed


def _filled(cell: Any) -> bool:
    try:
        _ = cell.cell_contents
    except ValueError:  # (an empty cell: a variable not yet assigned)
        return False
    return True
