r"""Interpolation with a continuous gradient (for tables and curves inside likelihoods).

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

:func:`monotone_cubic` is the 1-D counterpart for tabulated curves (the digitised limits):
the piecewise-cubic Hermite interpolant of Fritsch & Carlson, SIAM J. Numer. Anal. 17
(1980) 238, with the slopes of Fritsch & Butland, SIAM J. Sci. Stat. Comput. 5 (1984) 300
(scipy's ``PchipInterpolator``).  With h_k = x_{k+1} − x_k and δ_k = (f_{k+1} − f_k)/h_k,
the slope at an interior node is the weighted harmonic mean

    d_k = (w₁ + w₂) / (w₁/δ_{k−1} + w₂/δ_k),  w₁ = 2h_k + h_{k−1},  w₂ = h_k + 2h_{k−1},

when δ_{k−1} and δ_k have the same sign, and 0 otherwise (a local extremum of the data
stays at its node); at the ends d₀ = ((2h₀ + h₁)δ₀ − h₀δ₁)/(h₀ + h₁), set to 0 if its
sign differs from δ₀'s and to 3δ₀ if δ₀, δ₁ differ in sign and |d₀| > 3|δ₀|.  Between
nodes the curve is the cubic Hermite polynomial with these slopes: it passes through
the nodes, is monotone on every interval (never beyond its two nodes' values, so a
spiky digitised limit is not overshot, as Catmull–Rom would), and is C¹.  A repeated
abscissa (a vertical step in a digitised curve) stays a step: the slopes beside it are
0 and the interval of zero width is never used.
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


def _pchip_slopes(xp, fp):
    """Node slopes d_k of the monotone cubic (module docstring); xp, fp: 1-D, n ≥ 2."""
    h = jnp.diff(xp)
    wide = h > 0.0
    delta = jnp.where(wide, jnp.diff(fp) / jnp.where(wide, h, 1.0), 0.0)
    if xp.shape[0] == 2:
        return jnp.stack([delta[0], delta[0]])
    h0, h1, d0, d1 = h[:-1], h[1:], delta[:-1], delta[1:]
    w1, w2 = 2.0 * h1 + h0, h1 + 2.0 * h0
    same = d0 * d1 > 0.0
    inner = jnp.where(same, (w1 + w2) / (w1 / jnp.where(same, d0, 1.0) + w2 / jnp.where(same, d1, 1.0)), 0.0)

    def edge(ha, hb, da, db):
        d = jnp.where(ha + hb > 0.0, ((2.0 * ha + hb) * da - ha * db) / jnp.where(ha + hb > 0.0, ha + hb, 1.0), 0.0)
        d = jnp.where(jnp.sign(d) != jnp.sign(da), 0.0, d)
        return jnp.where((jnp.sign(da) != jnp.sign(db)) & (jnp.abs(d) > 3.0 * jnp.abs(da)), 3.0 * da, d)

    first = edge(h[0], h[1], delta[0], delta[1])
    last = edge(h[-1], h[-2], delta[-1], delta[-2])
    return jnp.concatenate([first[None], inner, last[None]])


def monotone_cubic(x, xp, fp):
    """The monotone piecewise-cubic interpolant of (xp, fp) at ``x`` (module docstring).

    ``xp``: 1-D, non-decreasing (repeats allowed: steps), at least 2 points; ``fp`` the
    same length.  Outside [xp₀, xp_{n−1}] the end value is returned (as ``jnp.interp``).
    jit/vmap/grad-safe; C¹ in ``x`` except at steps.
    """
    xp = jnp.asarray(xp, dtype=jnp.float64)
    fp = jnp.asarray(fp, dtype=jnp.float64)
    if xp.ndim != 1 or xp.shape != fp.shape or xp.shape[0] < 2:
        raise ValueError(f"monotone_cubic needs 1-D xp and fp of one length >= 2, got {xp.shape} and {fp.shape}")
    d = _pchip_slopes(xp, fp)
    x = jnp.asarray(x, dtype=jnp.float64)
    x = jnp.where(x < xp[0], xp[0], jnp.where(x > xp[-1], xp[-1], x))  # not clip: full slope at the ends
    k = jnp.clip(jnp.searchsorted(xp, x, side="right") - 1, 0, xp.shape[0] - 2)
    h = xp[k + 1] - xp[k]
    wide = h > 0.0
    t = jnp.where(wide, (x - xp[k]) / jnp.where(wide, h, 1.0), 0.0)
    t2, t3 = t * t, t * t * t
    return ((2.0 * t3 - 3.0 * t2 + 1.0) * fp[k] + (t3 - 2.0 * t2 + t) * h * d[k]
            + (3.0 * t2 - 2.0 * t3) * fp[k + 1] + (t3 - t2) * h * d[k + 1])


__all__ = ["cubic_grid", "monotone_cubic"]
