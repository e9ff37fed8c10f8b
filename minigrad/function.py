"""Where ``Function`` and ``REGISTRY`` used to live; they are in ``autograd/engine.py`` now."""

from .autograd.engine import REGISTRY, AccumulateGrad, Function, Node  # noqa: F401
