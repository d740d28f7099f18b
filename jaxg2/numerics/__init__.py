"""Thin, documented wrappers around the numerical libraries jaxg2 relies on.

:mod:`jaxg2.numerics.roots` — differentiable root finds (optimistix Newton with
implicit-function-theorem gradients).
:mod:`jaxg2.numerics.batching` — elementwise kernels evaluated in chunks of bounded
memory, also under ``vmap`` (:func:`jax.custom_batching.custom_vmap`).
:mod:`jaxg2.numerics.lapack` — LAPACK calls kept in one chain (:func:`after`): independent
batched calls deadlock jaxlib 0.10 on the CPU.
:mod:`jaxg2.numerics.interpolation` — interpolation with a continuous gradient for
tables (tensor-product Catmull–Rom) and digitised curves (monotone cubic) inside likelihoods.
"""

from .batching import elementwise_chunked, elementwise_with_partials
from .interpolation import cubic_grid, monotone_cubic
from .lapack import after, lapack_calls_unordered
from .roots import newton_root

__all__ = ["after", "cubic_grid", "elementwise_chunked", "elementwise_with_partials", "lapack_calls_unordered", "monotone_cubic",
           "newton_root"]
