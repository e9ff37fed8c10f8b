"""``torch.distributions``, the part d2l's probability section (2.6) samples from.

``Multinomial(n, probs).sample()`` counts, over ``n`` draws, how often each outcome came up;
d2l tosses coins and dice with it and watches the frequencies settle on the probabilities.
Samples are drawn from minigrad's generator (``minigrad.manual_seed`` makes them repeat).
"""

from __future__ import annotations

from typing import Any

from .._refuse import refuse
from . import multinomial
from .multinomial import Multinomial

__all__ = ["Multinomial", "multinomial"]


def __getattr__(name: str) -> Any:
    raise refuse(f"torch.distributions.{name}",
                 f"module 'torch.distributions' has no attribute '{name}'",
                 "minigrad.distributions has Multinomial; for other draws use minigrad.rand, "
                 "randn, normal or randint")
