"""Thin, documented wrappers around the numerical libraries jaxg2 relies on.

:mod:`jaxg2.numerics.roots` — differentiable root finds (optimistix Newton with
implicit-function-theorem gradients).
"""

from .roots import newton_root

__all__ = ["newton_root"]
