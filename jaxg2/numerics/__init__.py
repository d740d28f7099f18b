"""Thin, documented wrappers around the numerical libraries jaxg2 relies on.

:mod:`jaxg2.numerics.roots` — differentiable root finds (optimistix Newton with
implicit-function-theorem gradients).
:mod:`jaxg2.numerics.interpolation` — grid interpolation with a continuous gradient
(tensor-product Catmull–Rom) for tables inside likelihoods.
"""

from .interpolation import cubic_grid
from .roots import newton_root

__all__ = ["cubic_grid", "newton_root"]
