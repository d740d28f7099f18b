r"""Interpolation on a regular grid with a continuous gradient (for likelihood tables).

:func:`jax.scipy.ndimage.map_coordinates` interpolates at most linearly (``order=1``): the
value is continuous but its gradient jumps at every grid node.  Inside a sampler's
likelihood those jumps are kinks of the potential: a leapfrog step that crosses one
makes an energy error proportional to the step size (instead of its cube), the step-size
adaptation shrinks the step, and optimisers stop on the nodes.

:func:`cubic_grid` is the tensor-product Catmull–Rom cubic convolution (Keys, IEEE Trans.
ASSP 29 (1981) 1153, with a = −1/2): along each axis, for a point at fractional index
i + t between nodes f₀ = f_i and f₁ = f_{i+1} with neighbours f₋₁, f₂,

    f(t) = ½ [2f₀ + (f₁ − f₋₁) t + (2f₋₁ − 5f₀ + 4f₁ − f₂) t² + (3f₀ − f₋₁ − 3f₁ + f₂) t³],

which passes through the nodes, reproduces quadratics exactly (error O(h³)) and has a
continuous first derivative (the slope at node i is (f_{i+1} − f_{i−1})/2 from both sides).
At the grid's edges the missing neighbour is the linear extrapolation 2f₀ − f₁; outside
the grid the coordinate is clipped to the edge (the ``mode="nearest"`` of
``map_coordinates``).  Exactness and the continuity of the gradient are tested in
``tests/test_interpolation.py``.
"""

from __future__ import annotations

import itertools

import jax.numpy as jnp
import numpy as np


def _pad_linear(table: np.ndarray) -> np.ndarray:
    """One ghost layer on each side of every axis, by linear extrapolation."""
    out = np.asarray(table, dtype=np.float64)
    for ax in range(out.ndim):
        first = 2.0 * np.take(out, [0], axis=ax) - np.take(out, [1], axis=ax)
        last = 2.0 * np.take(out, [-1], axis=ax) - np.take(out, [-2], axis=ax)
        out = np.concatenate([first, out, last], axis=ax)
    return out


def _weights(t):
    """Catmull–Rom weights of the nodes i−1, i, i+1, i+2 at fraction t ∈ [0, 1]."""
    t2, t3 = t * t, t * t * t
    return (0.5 * (-t3 + 2.0 * t2 - t), 0.5 * (3.0 * t3 - 5.0 * t2 + 2.0),
            0.5 * (-3.0 * t3 + 4.0 * t2 + t), 0.5 * (t3 - t2))


def cubic_grid(table, coords):
    """Values of ``table`` (shape (n₁, …, n_d), every n_k ≥ 2) at fractional indices.

    ``coords``: a sequence of d arrays (broadcast together), coordinate k in units of the
    node spacing of axis k (0 … n_k − 1; clipped to that range).  Returns the interpolant,
    shape of the broadcast coordinates; jit/vmap/grad-safe, C¹ in the coordinates.
    """
    table = np.asarray(table, dtype=np.float64)
    if len(coords) != table.ndim:
        raise ValueError(f"{len(coords)} coordinates for a {table.ndim}-dimensional table")
    padded = jnp.asarray(_pad_linear(table))
    coords = jnp.broadcast_arrays(*(jnp.asarray(c, dtype=jnp.float64) for c in coords))
    base, weights = [], []
    for c, n in zip(coords, table.shape):
        c = jnp.clip(c, 0.0, n - 1.0)
        i = jnp.clip(jnp.floor(c), 0.0, n - 2.0)  # the interval [i, i+1] (the last node: t = 1)
        base.append(i.astype(jnp.int32))  # padded index of node i−1
        weights.append(_weights(c - i))
    out = jnp.zeros_like(coords[0])
    for offsets in itertools.product(range(4), repeat=table.ndim):
        w = 1.0
        for k, o in enumerate(offsets):
            w = w * weights[k][o]
        out = out + w * padded[tuple(b + o for b, o in zip(base, offsets))]
    return out


__all__ = ["cubic_grid"]
