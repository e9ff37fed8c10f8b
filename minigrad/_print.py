"""Print tensors exactly as torch does: ``tensor([0., 4., 8., 12.])``, 4 decimals, ``...``."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

PRECISION, THRESHOLD, EDGEITEMS, LINEWIDTH = 4, 1000, 3, 80


class _Formatter:
    """Choose one format (integer-valued, fixed or scientific) and one width for all entries."""

    def __init__(self, values: np.ndarray) -> None:
        self.floating = values.dtype.kind == "f"
        self.int_mode, self.sci_mode, self.width = True, False, 1
        flat = values.reshape(-1)
        if not self.floating:
            for v in flat.tolist():
                self.width = max(self.width, len(str(v)))
            return
        finite = flat[np.isfinite(flat) & (flat != 0)].astype(np.float64)
        if finite.size == 0:
            return
        big, small = np.abs(finite).max(), np.abs(finite).min()
        self.int_mode = bool(np.all(finite == np.ceil(finite)))
        wide = big / small > 1000.0 or big > 1.0e8
        if self.int_mode:
            self.sci_mode = wide
            extra = 0 if wide else 1
        else:
            self.sci_mode = wide or small < 1.0e-4
            extra = 0
        for v in finite.tolist():
            self.width = max(self.width, len(self._plain(v)) + extra)

    def _plain(self, v: float) -> str:
        if self.sci_mode:
            return f"{v:.{PRECISION}e}"
        if self.int_mode:
            return f"{v:.0f}"
        return f"{v:.{PRECISION}f}"

    def format(self, v: Any) -> str:
        if not self.floating:
            s = str(v)
        elif self.sci_mode:
            s = f"{v:{self.width}.{PRECISION}e}"
        elif self.int_mode:
            s = f"{v:.0f}" + ("" if math.isinf(v) or math.isnan(v) else ".")
        else:
            s = f"{v:.{PRECISION}f}"
        return " " * (self.width - len(s)) + s


def _summary(a: np.ndarray) -> np.ndarray:
    """The entries that will be shown when a large tensor is summarised with ``...``."""
    if a.ndim == 0:
        return a
    if a.shape[0] > 2 * EDGEITEMS:
        a = np.concatenate([a[:EDGEITEMS], a[-EDGEITEMS:]])
    return np.stack([_summary(row) for row in a]) if a.ndim > 1 else a


def _body(a: np.ndarray, indent: int, summarize: bool, fmt: _Formatter) -> str:
    if a.ndim == 0:
        return fmt.format(a.item())
    if a.ndim == 1:
        per_line = max(1, (LINEWIDTH - indent) // (fmt.width + 2))
        if summarize and a.shape[0] > 2 * EDGEITEMS:
            items = [fmt.format(v) for v in a[:EDGEITEMS].tolist()] + [" ..."]
            items += [fmt.format(v) for v in a[-EDGEITEMS:].tolist()]
        else:
            items = [fmt.format(v) for v in a.tolist()]
        lines = [", ".join(items[i : i + per_line]) for i in range(0, len(items), per_line)]
        return "[" + (",\n" + " " * (indent + 1)).join(lines) + "]"
    rows = range(a.shape[0])
    if summarize and a.shape[0] > 2 * EDGEITEMS:
        rows = [*range(EDGEITEMS), -1, *range(a.shape[0] - EDGEITEMS, a.shape[0])]  # type: ignore[assignment]
    parts = ["..." if i == -1 else _body(a[i], indent + 1, summarize, fmt) for i in rows]
    return "[" + ("," + "\n" * (a.ndim - 1) + " " * (indent + 1)).join(parts) + "]"


def tensor_repr(a: np.ndarray, dtype_name: str, grad_fn_name: str | None, requires_grad: bool,
                prefix: str = "tensor(") -> str:
    indent = len(prefix)
    suffixes = []
    if a.size == 0:
        body = "[]"
        if a.ndim != 1:
            size = ", ".join(map(str, a.shape)) + ("," if a.ndim == 1 else "")
            suffixes.append(f"size=({size})")
    else:
        summarize = a.size > THRESHOLD
        fmt = _Formatter(_summary(a) if summarize else a)
        body = _body(a, indent, summarize, fmt)
    if dtype_name not in ("float32", "int64", "bool"):
        suffixes.append(f"dtype=torch.{dtype_name}")
    if grad_fn_name is not None:
        suffixes.append(f"grad_fn=<{grad_fn_name}>")
    elif requires_grad:
        suffixes.append("requires_grad=True")
    out = [prefix + body]
    last = len(out[0]) - out[0].rfind("\n") + 1
    for s in suffixes:
        if last + len(s) + 2 > LINEWIDTH:
            out.append(",\n" + " " * indent + s)
            last = indent + len(s)
        else:
            out.append(", " + s)
            last += len(s) + 2
    return "".join(out) + ")"
