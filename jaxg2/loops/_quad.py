"""Fixed-node quadrature for one-loop Feynman-parameter integrals.

Every one-loop dipole integral in :mod:`jaxg2.loops` has the form

    I = ∫₀¹ dx  N(x) / Δ(x),      Δ(x) = x A + (1 − x) B − x (1 − x) m²,

with N a low-order polynomial and Δ the usual quadratic Feynman denominator
(A, B the squared internal masses, m the external mass).  Below threshold
(m < √A + √B) Δ > 0 on [0, 1] and the integrand is a rational function whose
only singularities are the two roots of Δ.  Over mass ratios 10⁻⁶ … 10⁶ these
roots sit anywhere from 10⁻²⁴ to 10¹² away from an end point, so the integrand
can be sharply peaked at x → 0 (light boson, heavy fermion) or x → 1 (light
fermion, heavy boson).

**Rule.**  Split [0, 1] at c (the real part of the roots of Δ, clipped to
[0, 1]; see :func:`split_point`) and each of [0, c], [c, 1] at its midpoint;
on each of the four halves substitute (distance to its outer end) = eᵗ and
use a composite Gauss–Legendre rule over t ∈ [ln T_MIN, ln ½] (relative to
the piece length) in panels of equal length.  A pole at distance d from
the end point at angle θ (seen from the end point) becomes a pole at
imaginary distance θ in t, *independent of d*, so one fixed rule is accurate
for every scale d: a real pole on the far side of the end point (θ = π) gives
an error ≈ 4.5⁻²ⁿ per panel of n nodes (panel length ≈ 2.9 in t).  Both x and 1 − x are produced from t without
cancellation, so the integrand sees exact end-point distances (needed when
Δ(1) = m_F² ≪ M²).  The part of [0, T_MIN] dropped is ≤ T_MIN · max|N/Δ|,
negligible.  Near the two-particle threshold m → √A + √B the roots pinch the real axis
at x = c from above and below (the integral diverges at threshold); grading
towards c keeps the rule accurate there as well (the imaginary distance
again maps to a fixed angle π/2).

No parameter enters the nodes, so values and gradients are smooth functions
of the masses and couplings everywhere below threshold — there are no
removable singularities to guard (degenerate masses, m_F = 0 and λ → 0 are
ordinary points of the rule).
"""

from __future__ import annotations

import numpy as np
import jax.numpy as jnp

T_MIN = 1e-36  # smallest end-point distance resolved (feature scales reach (m_F/M)² ~ 1e-24)
N_PANELS = 28  # panels per half-interval (in t = ln x), each of length ≈ 2.9
N_NODES = 12  # Gauss–Legendre nodes per panel


def _half_rule(t_min: float, n_panels: int, n_nodes: int) -> tuple[np.ndarray, np.ndarray]:
    """Nodes s = eᵗ ∈ (t_min, ½] and weights for ∫ ds, composite GL in t = ln s."""
    g, w = np.polynomial.legendre.leggauss(n_nodes)
    edges = np.linspace(np.log(t_min), np.log(0.5), n_panels + 1)
    a, b = edges[:-1, None], edges[1:, None]
    t = 0.5 * (b - a) * g[None, :] + 0.5 * (a + b)
    wt = 0.5 * (b - a) * w[None, :]
    s = np.exp(t).ravel()
    return s, (wt.ravel() * s)


_S, _WS = _half_rule(T_MIN, N_PANELS, N_NODES)


def split_point(a_sq, b_sq, m_sq):
    """Where to split [0, 1]: the real part of the roots of Δ, clipped to [0, 1].

    Δ(x) = m² x² + (A − B − m²) x + B has its roots at x = (m² + B − A)/(2m²) ± …;
    below threshold but close to it they are a complex pair near the real axis,
    and grading the nodes towards their real part keeps the rule exponentially
    convergent.  When the roots are real (both outside [0, 1]) the clip puts the
    split at an end point and the rule reduces to the two-sided end-point rule.
    """
    positive = m_sq > 0.0  # m = 0: Δ is linear, no interior root; split anywhere (½)
    m_safe = jnp.where(positive, m_sq, 1.0)
    return jnp.where(positive, jnp.clip((m_safe + b_sq - a_sq) / (2.0 * m_safe), 0.0, 1.0), 0.5)


def nodes(c=0.5):
    """(x, 1 − x, w) of the rule split at ``c`` (broadcast: shape (..., n)).

    [0, c] and [c, 1] are each covered by two log-graded half rules, so the
    nodes accumulate at 0, c and 1; x and 1 − x are both formed without
    cancellation near every accumulation point.
    """
    c = jnp.asarray(c, dtype=jnp.float64)[..., None]
    omc = 1.0 - c
    s = jnp.asarray(_S)
    ws = jnp.asarray(_WS)
    # Double-where: a piece of zero length (c = 0 or c = 1) would put all its
    # nodes on an end point, where Δ may vanish (m_F = 0) and 0·(0/0) = NaN
    # would poison value and gradient.  Its nodes are moved to the harmless
    # interior point ½ and its weights set to zero.
    has_left, has_right = c > 0.0, omc > 0.0
    x_left = jnp.concatenate(jnp.broadcast_arrays(c * s, c * (1.0 - s)), axis=-1)
    y_left = jnp.concatenate(jnp.broadcast_arrays(1.0 - c * s, omc + c * s), axis=-1)
    x_right = jnp.concatenate(jnp.broadcast_arrays(c + omc * s, 1.0 - omc * s), axis=-1)
    y_right = jnp.concatenate(jnp.broadcast_arrays(omc * (1.0 - s), omc * s), axis=-1)
    w_left = jnp.concatenate(jnp.broadcast_arrays(c * ws, c * ws), axis=-1)
    w_right = jnp.concatenate(jnp.broadcast_arrays(omc * ws, omc * ws), axis=-1)
    x = jnp.concatenate([jnp.where(has_left, x_left, 0.5), jnp.where(has_right, x_right, 0.5)], axis=-1)
    y = jnp.concatenate([jnp.where(has_left, y_left, 0.5), jnp.where(has_right, y_right, 0.5)], axis=-1)
    w = jnp.concatenate([jnp.where(has_left, w_left, 0.0), jnp.where(has_right, w_right, 0.0)], axis=-1)
    return x, y, w


def integrate(integrand, c=0.5):
    """∫₀¹ f(x) dx for ``integrand(x, y)`` with y = 1 − x, split at ``c``.

    ``integrand`` receives node arrays of shape (..., n) (the shape of ``c``
    plus a trailing node axis) and must return an array broadcastable with
    them (parameters carry a trailing axis of length 1); the sum over the
    last axis is returned.
    """
    x, y, w = nodes(c)
    return jnp.sum(integrand(x, y) * w, axis=-1)


def denominator(x, y, a_sq, b_sq, m_sq):
    """Δ(x) = x A + (1 − x) B − x (1 − x) m² with y = 1 − x given exactly."""
    return x * a_sq + y * b_sq - x * y * m_sq


def moments(m, m_a, m_b):
    """(M21, M20, M11, M12), M_{p,q} = ∫₀¹ u^p (1−u)^q / Δ(u) du by this rule (reference / fallback).

    Δ(u) = u m_a² + (1 − u) m_b² − u(1 − u) m²; the same moments as
    :func:`jaxg2.loops._closed.moments`.
    """
    m, m_a, m_b = (jnp.asarray(v, dtype=jnp.float64)[..., None] for v in (m, m_a, m_b))
    a_sq, b_sq, m_sq = m_a * m_a, m_b * m_b, m * m
    split = split_point(a_sq, b_sq, m_sq)[..., 0]

    def integrand(x, y):
        inv = 1.0 / denominator(x, y, a_sq, b_sq, m_sq)
        return jnp.stack(jnp.broadcast_arrays(x * x * y * inv, x * x * inv, x * y * inv, x * y * y * inv))

    out = integrate(integrand, split)
    return out[0], out[1], out[2], out[3]
