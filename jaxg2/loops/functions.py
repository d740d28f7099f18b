r"""Named one-loop functions used by the papers, stable at their removable singularities.

Each closed form below has a removable singularity at x = 1 (degenerate
masses), where numerator and denominator vanish together: (x − 1) for
x ln x/(x − 1), (1 − x)⁴ for the dipole functions, so that a direct
evaluation loses up to 16 digits near x = 1 and gives 0/0 at x = 1.  Every
function therefore uses the *double-where* pattern (optax ``safe_norm``
style): within |x − 1| < ``_SERIES_RADIUS`` the unsafe input is replaced by a
harmless one before the closed form is evaluated (so neither its value nor
its gradient can be NaN), and the Taylor series in d = x − 1 is selected.

The dipole functions are integrals of the form

    F(x) = ∫₀¹ du P(u) / (u + x (1 − u)) = Σ_k (−d)^k ∫₀¹ P(u) (1 − u)^k du,

so the series coefficients are Beta-function moments, computed exactly here
(no hand-typed coefficients).  With |d| < 0.2 and 24 terms the truncation is
< 1e-17; the closed form at |d| ≥ 0.2 loses at most ~4 digits to the
(1 − x)⁴ cancellation (relative error ≲ 1e-12).

References: E. Ma and M. Raidal, Phys. Rev. Lett. 87 (2001) 011802 (F₂);
L. Lavoura, Eur. Phys. J. C29 (2003) 191 (F̃₂); the integral representations
are checked against mpmath in ``tests/test_loop_functions.py``.
"""

from __future__ import annotations

import math

import numpy as np
import jax.numpy as jnp

_SERIES_RADIUS = 0.2
_N_SERIES = 24


def _f64(x):
    return jnp.asarray(x, dtype=jnp.result_type(x, jnp.float64))


def _series(coeffs: np.ndarray, d):
    """Σ_k coeffs[k] (−d)^k by Horner's rule."""
    out = jnp.zeros_like(d)
    for c in coeffs[::-1]:
        out = out * (-d) + c
    return out


def _xlogx(x):
    """x ln x with 0 ln 0 = 0 (double-where: log never sees x ≤ 0)."""
    pos = x > 0
    x_safe = jnp.where(pos, x, 1.0)
    return jnp.where(pos, x_safe * jnp.log(x_safe), 0.0)


def _near_one_split(x):
    """(near, x for the closed form, d for the series): the double-where inputs."""
    d = x - 1.0
    near = jnp.abs(d) < _SERIES_RADIUS
    x_closed = jnp.where(near, 1.0 + 2.0 * _SERIES_RADIUS, x)  # never evaluated at x≈1
    d_series = jnp.where(near, d, 0.0)  # series only ever sees small d
    return near, x_closed, d_series


# --- x ln x / (x − 1) -------------------------------------------------------------

_XLOG_COEFFS = np.array([1.0 / (k + 1) for k in range(_N_SERIES)])  # log1p(d)/d = Σ (−d)^k/(k+1)


def xlogx_over_xm1(x):
    r"""x ln x / (x − 1), x ≥ 0; → 1 at x = 1, → 0 at x = 0.

    Near x = 1: x · log1p(d)/d = (1 + d) Σ_k (−d)^k/(k + 1), d = x − 1.
    """
    x = _f64(x)
    near, xc, d = _near_one_split(x)
    closed = _xlogx(xc) / (xc - 1.0)
    series = (1.0 + d) * _series(_XLOG_COEFFS, d)
    return jnp.where(near, series, closed)


# --- dipole loop functions ∫ P(u)/(u + x(1−u)) --------------------------------------


def _beta(a: int, b: int) -> float:
    return math.factorial(a - 1) * math.factorial(b - 1) / math.factorial(a + b - 1)


# F₂ (Ma–Raidal):  P(u) = u²(1 − u):  c_k = B(3, k + 2)
_F2_MR_COEFFS = np.array([_beta(3, k + 2) for k in range(_N_SERIES)])
# F̃₂ (Lavoura):    P(u) = u(1 − u)²:  c_k = B(2, k + 3)
_F2_LAV_COEFFS = np.array([_beta(2, k + 3) for k in range(_N_SERIES)])


def f2_ma_raidal(x):
    r"""Ma–Raidal F₂(x) = (1 − 6x + 3x² + 2x³ − 6x² ln x) / (6 (1 − x)⁴), x ≥ 0.

    = ∫₀¹ u²(1 − u)/(u + x(1 − u)) du;  F₂(0) = 1/6, F₂(1) = 1/12, F₂ → 1/(3x) (x → ∞).
    Charged scalar η⁺ with a neutral fermion N (x = m_N²/m_η²) and the chiral
    coupling y ℓ̄ P_R N η⁺: Δa_ℓ = −|y|² m_ℓ²/(16π² m_η²) F₂(x) for m_ℓ ≪ m_η
    (Ma & Raidal, PRL 87 (2001) 011802; equals the m_ℓ → 0 limit of
    :func:`jaxg2.loops.g2_charged_scalar`).

    Paper 000 (η–N contribution after its eq. 24) prints the bracket as
    (−2α³ − 3α³ + 6α − 1 + 6α² ln α)/(6(α − 1)⁴) without the m_μ²/m_η²
    prefactor; the intended bracket is (−2α³ − 3α² + 6α − 1 + 6α² ln α)/(6(α−1)⁴)
    = −F₂(α), i.e. Δa = −Σ |y|² m_μ²/(16π² m_η²) F₂(α).
    """
    x = _f64(x)
    near, xc, d = _near_one_split(x)
    xlx = _xlogx(xc)
    closed = (1.0 - 6.0 * xc + 3.0 * xc**2 + 2.0 * xc**3 - 6.0 * xc * xlx) / (6.0 * (1.0 - xc) ** 4)
    return jnp.where(near, _series(_F2_MR_COEFFS, d), closed)


def f2_tilde_lavoura(x):
    r"""Lavoura's F̃₂(x) = (2 + 3x − 6x² + x³ + 6x ln x) / (6 (1 − x)⁴), x ≥ 0.

    = ∫₀¹ u(1 − u)²/(u + x(1 − u)) du;  F̃₂(0) = 1/3, F̃₂(1) = 1/12, F̃₂ → 1/(6x) (x → ∞).

    Photon emitted from the fermion F of a neutral-scalar loop, m_ℓ ≪ m_F, M:
    with the chiral coupling c ℓ̄ P_R F S,
    σ_R(ℓi → ℓj γ) = m_i c^j c^{i*} F̃₂(m_F²/M²)/(32π² M²) (see :mod:`jaxg2.loops.lfv`).
    The argument is m_F²/M_S² and the prefactor 1/M_S², so for m_F ≫ M the
    amplitude tends to m_i c^j c^{i*}/(192π² m_F²).  Paper 004 eqs. (25)–(26)
    write A_R ∝ F̃₂(M_Φ²/M_E²)/(32π² M_E²), a different function of the masses
    (F̃₂(1/x)/x ≠ F̃₂(x)) whose heavy-fermion limit F̃₂(0)/(32π² M_E²) =
    1/(96π² M_E²) is twice the correct 1/(192π² M_E²).
    """
    x = _f64(x)
    near, xc, d = _near_one_split(x)
    xlx = _xlogx(xc)
    closed = (2.0 + 3.0 * xc - 6.0 * xc**2 + xc**3 + 6.0 * xlx) / (6.0 * (1.0 - xc) ** 4)
    return jnp.where(near, _series(_F2_LAV_COEFFS, d), closed)


__all__ = ["xlogx_over_xm1", "f2_ma_raidal", "f2_tilde_lavoura"]
