"""Closed-form Feynman-parameter moments (jaxg2.loops._closed) against mpmath.

Values and gradients of M_{p,q} = ∫u^p(1−u)^q/Δ over mass ratios 10⁻⁶ … 10⁶,
(pseudo-)thresholds and degenerate masses; the half-interval K_j exactly at
(and 10⁻⁹ either side of) every switch between the power-series, the
near-double-root series and the logarithmic closed form, with gradients
against the mpmath integrals −∫v^k/Q² (independent of any formula here); the
closed form against the quadrature rule through the public dipoles.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from jaxg2.constants import M_E, M_MU, M_TAU
from jaxg2.loops import _closed, lfv

from loop_refs import half_moment_reference, moment_reference

SPECIAL = [  # (m_a, m_b) in units of m: thresholds, pseudo-thresholds, degenerate, extreme, massless
    (1e-6 + 1.0, 1e-6), (1e-6, 1e-6 + 1.0), (2.0, 1.0), (1.0, 2.0), (3.0, 3.0), (1e6, 1e6), (1e6 + 1.0, 1e6),
    (1001.0, 1000.0), (0.3, 0.701), (0.701, 0.3), (0.0, 1.5), (1.5, 0.0), (1.0, 1e-6), (1e-6, 1.0),
    (0.5, 0.5 + 1e-9), (1e-6, 1e6), (1e6, 1e-6), (1.0, 1.0), (0.0, 1e6), (1e6, 0.0),
]


def _random(n, seed):
    rng = np.random.default_rng(seed)
    out = []
    while len(out) < n:
        a, b = 10.0 ** rng.uniform(-6, 6, 2)
        if a + b > 1.0001:
            out.append((a, b))
    return out


@pytest.mark.parametrize("which", ["random", "special"])
def test_moments_vs_mpmath(which):
    pts = _random(24, seed=5) if which == "random" else SPECIAL
    m_a, m_b = (jnp.array(v) for v in zip(*pts))
    got = np.array(jax.jit(_closed.moments)(1.0, m_a, m_b))
    for k, (p, q) in enumerate(_closed.MOMENTS):
        for i, (a, b) in enumerate(pts):
            if a == 0.0 and q == 0:
                continue  # M_{2,0} diverges at m_a = 0 (it multiplies m_F = 0); finite by the floor
            want = moment_reference(p, q, 1.0, a, b)
            np.testing.assert_allclose(got[k, i], want, rtol=1e-12, err_msg=f"M_{p}{q} at {(a, b)}")


GRAD_POINTS = [(1e-6 + 1.0, 1e-6), (1e-6, 1e-6 + 1.0), (1e6, 1e6), (1e-6, 1e6), (1e6, 1e-6), (0.3, 0.701),
               (3.0, 3.0), (1.0, 1e-6), (2.0, 1.0), (0.02, 40.0)]


@pytest.mark.parametrize("point", GRAD_POINTS)
def test_moment_gradients_vs_mpmath(point):
    """∂M/∂(m, m_a, m_b) against mpmath of −∫u^p(1−u)^q ∂Δ/Δ² (an independent integral)."""
    a, b = point
    jac = jax.jit(jax.jacrev(lambda x: jnp.stack(_closed.moments(x[0], x[1], x[2]))))(jnp.array([1.0, a, b]))
    jac = np.asarray(jac)
    assert np.all(np.isfinite(jac))
    for k, (p, q) in enumerate(_closed.MOMENTS):
        for col, wrt in enumerate(("m", "m_a", "m_b")):
            want = moment_reference(p, q, 1.0, a, b, wrt=wrt)
            scale = max(abs(want), 1e-300)
            np.testing.assert_allclose(jac[k, col], want, rtol=1e-9, atol=1e-12 * scale,
                                       err_msg=f"dM_{p}{q}/d{wrt} at {point}")


def _quadratic_from_roots(r1, r2):
    """(a, b, c) of (v − r₁)(v − r₂) for a conjugate or real pair."""
    return 1.0, float(-(r1 + r2).real), float((r1 * r2).real)


def _switch_cases():
    e = 1e-9
    R, T = _closed.R_FAR, _closed.TAU
    out = []
    for s in (1 - e, 1.0, 1 + e):
        out.append(("far/complex", _quadratic_from_roots(R * s * np.exp(1j), R * s * np.exp(-1j))))
        out.append(("far/real", _quadratic_from_roots(-R * s + 0j, -3 * R + 0j)))
        out.append(("phi/real", _quadratic_from_roots(-_closed.R_PHI * s + 0j, -0.3 + 0j)))
        out.append(("phi/complex", _quadratic_from_roots(_closed.R_PHI * s * np.exp(2j), 0.1 - 1.0 + 0j)))
        for rbar, dist in ((-0.5, 0.5), (2.5, 1.5), (-1e-7, 1e-7)):
            d = T * dist * s
            out.append((f"near/real {rbar}", _quadratic_from_roots(rbar + d + 0j, rbar - d + 0j)))
            out.append((f"near/complex {rbar}", _quadratic_from_roots(rbar + 1j * d, rbar - 1j * d)))
    return out


def _half(x):
    a, b, c = x[0], x[1], x[2]
    return jnp.stack(_closed.half_moments(a, b, c, b * b - 4.0 * a * c, b + 2.0 * a))


@pytest.mark.parametrize("name,abc", _switch_cases())
def test_half_moments_at_the_switches(name, abc):
    """Value and gradient at and 1e-9 either side of each branch switch, against mpmath."""
    x = jnp.array(abc)
    got = np.asarray(jax.jit(_half)(x))
    jac = np.asarray(jax.jit(jax.jacfwd(_half))(x))
    rev = np.asarray(jax.jit(jax.jacrev(_half))(x))
    assert np.all(np.isfinite(jac)) and np.all(np.isfinite(rev))
    np.testing.assert_allclose(rev, jac, rtol=1e-10)
    for j in range(_closed.J_MAX + 1):
        np.testing.assert_allclose(got[j], half_moment_reference(j, *abc), rtol=1e-12, err_msg=f"K_{j} {name}")
        for col, wrt in enumerate("abc"):
            np.testing.assert_allclose(jac[j, col], half_moment_reference(j, *abc, wrt=wrt), rtol=1e-9,
                                       err_msg=f"dK_{j}/d{wrt} {name}")


def test_massless_end_point_is_finite_with_finite_gradients():
    """m_a = 0 or m_b = 0 (c floored at 1e-40): moments other than the divergent M_{2,0}(m_a=0) exact, grads finite."""
    for a, b in [(0.0, 1.5), (1.5, 0.0), (0.0, 1e6), (1e-30, 1.5)]:
        jac = jax.jacrev(lambda x: jnp.stack(_closed.moments(x[0], x[1], x[2])))(jnp.array([1.0, a, b]))
        assert np.all(np.isfinite(np.asarray(jac))), (a, b)


@pytest.mark.parametrize("name", ["dipole_neutral_scalar", "dipole_charged_scalar", "dipole_neutral_vector"])
def test_closed_form_equals_quadrature_rule(name):
    """The production closed form against the retained quadrature rule (method='quad', ≤ 1e-8)."""
    f = getattr(lfv, name)
    ci, cj = (0.3 + 0.1j, -0.2), (0.05, 0.4 - 0.3j)
    for masses in [(M_TAU, M_MU, 1.0, 2.5), (M_MU, M_E, M_TAU, 0.05), (M_MU, M_MU, 1e-4, 30.0), (M_MU, M_MU, 1e3, 1e-3)]:
        got = f(*masses, *ci, *cj)
        ref = f(*masses, *ci, *cj, method="quad")
        for g, r in zip(got, ref):
            np.testing.assert_allclose(complex(g), complex(r), rtol=1e-8)
    with pytest.raises(ValueError):
        f(M_TAU, M_MU, 1.0, 2.5, *ci, *cj, method="simpson")
