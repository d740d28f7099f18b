r"""Differentiable root finds with optimistix (Newton's method, implicit gradients).

:func:`newton_root` solves :math:`F(y, \theta) = 0` for :math:`y` (a scalar or an
array; a pytree works too) with :class:`optimistix.Newton` — full Jacobian
:math:`\partial F/\partial y` from forward-mode autodiff every iteration, stopped by
the Cauchy criterion (both the step in :math:`y` and the change of :math:`F` below
``atol + rtol·|·|``) or after ``max_steps`` iterations.  Gradients do not flow
through the iterations: :func:`optimistix.root_find`'s default
:class:`optimistix.ImplicitAdjoint` applies the implicit function theorem at the
returned root,

.. math::  \frac{dy}{d\theta} = -\Big(\frac{\partial F}{\partial y}\Big)^{-1}
           \frac{\partial F}{\partial \theta},

so jit/vmap/grad work and the gradient costs one linear solve.  Optional ``lower`` /
``upper`` clip each iterate into a box (optimistix's Newton options), which keeps a
far start from jumping out of the basin.

Reference: P. Kidger et al., Optimistix (https://docs.kidger.site/optimistix/);
J. Nocedal & S. Wright, *Numerical Optimization*, 2nd ed., §11.1 (Newton's method
for nonlinear equations).

Replaces the hand-written fixed-iteration Newton loops of
``models/lmu_ltau/dark_sector.relic_yukawa`` and
``models/dark_inverse_seesaw/scalars.solve_vevs``; ``benchmarks/bench_numerics.py``
measures both against the loops they replaced.
"""

from __future__ import annotations

__all__ = ["newton_root"]


def newton_root(fn, y0, args=None, *, rtol: float = 1e-12, atol: float = 1e-12, max_steps: int = 64,
                lower=None, upper=None):
    r"""The root :math:`y` of ``fn(y, args) = 0`` from ``y0`` (Newton, implicit gradients).

    ``fn(y, args)`` returns an array (pytree) of the same structure as ``y``.
    Differentiable with respect to ``args`` (and anything ``fn`` closes over) by the
    implicit function theorem; ``y0`` carries no gradient.  A solve that has not met
    the tolerances after ``max_steps`` iterations returns its last iterate (no error
    is raised under ``jit``: check the residual where it matters).
    """
    import optimistix as optx  # lazily: with equinox it adds ≈ 0.9 s to importing a model module

    options = {}
    if lower is not None:
        options["lower"] = lower
    if upper is not None:
        options["upper"] = upper
    sol = optx.root_find(fn, optx.Newton(rtol=rtol, atol=atol), y0, args, options=options,
                         max_steps=max_steps, throw=False)
    return sol.value
