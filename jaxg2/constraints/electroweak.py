r"""Electroweak precision for new SU(2)_L doublets: oblique S, T and the invisible Z width.

Sections ``scalar_doublets`` and ``fermion_doublets`` give ``m_charged``, ``m_neutral``
[GeV] (last axis: one entry per doublet; contributions add); scalar doublets may give
``m_neutral_2`` (the second real neutral state; absent: equal to ``m_neutral``, i.e. a
complex neutral scalar).

**Assumed quantum numbers.**  Scalar doublet: Y = 1/2, Φ = (φ⁺, (H + iA)/√2) with no
vev (inert-doublet-like); fermion doublet: vector-like (both chiralities in the
doublet), Y = −1/2, Ψ = (N, E), Dirac masses m_N, m_E.  Both neutral members couple
to the Z with (g/c_W)|T₃ − Q s_W²| = g/(2c_W), like a neutrino's left-handed current.

**Oblique parameters of a scalar doublet** (Barbieri, Hall, Rychkov,
hep-ph/0603188, eqs. for the inert doublet), with masses squared c = m_±², h = m_H²,
a = m_A²:

    T = [F(c, h) + F(c, a) − F(h, a)] / (16π² α v²),   α v² = ŝ_W² m_W²/π,
    S = [G(h, a) − G(c, c)] / (2π),

    F(x, y) = (x + y)/2 − x y ln(x/y)/(x − y)  (F(x, x) = 0, F ≥ 0),
    G(x, y) = ∫₀¹ dz z(1 − z) ln[z x + (1 − z) y]  (G(x, x) = ln(x)/6).

Derivation (used by the tests): with Π^{ab}(q²) the g^{μν} part of the W^a W^b
self-energy stripped of g², a complex scalar pair (i, j) with generator weight
|T^a_ij|² contributes, bubble plus seagull at q² = 0, |T^a_ij|² F(m_i², m_j²)/(16π²)
(divergences cancel in every combination below), and to the slope
Π′(0) 2|T^a_ij|² G(m_i², m_j²)/(16π²) + divergent;
F(x, y) = f(x, x) + f(y, y) − 2 f(x, y) with f(x, y) = ∫dz Δ ln Δ, Δ = z x + (1 − z) y.
For the doublet, Π₁₁ has the pairs (φ⁺, H), (φ⁺, A) and Π₃₃ the pairs (H, A), (φ⁺, φ⁺),
each of weight 1/4; Π_3Q the pair (φ⁺, φ⁺) of weight 1/2.  Then
αT = g²(Π₁₁(0) − Π₃₃(0))/m_W² and S = 16π(Π′₃₃(0) − Π′₃Q(0)) give the formulas above
(they reproduce BHR's closed form for S term by term, and for m_H = m_A the classic
Δρ = G_F F₀/(8√2π²), F₀ = 2F, of a complex doublet).  ŝ_W² (MS-bar at m_Z) and m_W
set α v²; the scheme choice is a few-per-cent normalisation ambiguity.

The fit: the Gfitter 2018 S, T, U with correlations (registry ``gfitter_2018_stu``),
conditioned on U = 0 (U is of higher order for split doublets), gives the observable
``ew_st_chi2`` = Δχ²(S, T) (zero at the conditional best fit); the constraint
``ew_st`` is Δχ² ≤ −2 ln 0.05 = 5.99 (95% CL, 2 dof).  Gap: the PDG 2024 S, T were not
at hand (registry note).

**Invisible Z width** (neutral members lighter than the threshold; both neutral
scalars, or N, counted invisible): relative to Γ(Z → νν̄) = g² m_Z/(96π c_W²),

* scalar doublet, Z → H A: ΔN_ν = λ^{3/2}(1, m_H²/m_Z², m_A²/m_Z²)/2 (a complex
  neutral scalar, m_H = m_A: β³/2 with β = (1 − 4m²/m_Z²)^{1/2});
* vector-like Dirac N: ΔN_ν = 2 β (1 + 2 m_N²/m_Z²) (vector coupling g/(2c_W) to
  both chiralities: 2 for m_N → 0).

Observables ``ew_n_nu_scalar`` / ``ew_n_nu_fermion`` = 3 + ΔN_ν, compared with the LEP
N_ν (registry ``n_nu_z_width``, Gaussian).  A model providing both sections gets two
separate N_ν constraints (their ΔN_ν should then be added by hand: not done here).

**Not computed: S and T of fermion doublets.**  For a vector-like doublet the section's
(m_charged, m_neutral) does not determine them: gauge invariance gives both members
one Dirac mass, and a splitting needs mixing with singlets (or the SM leptons).  With
independent masses the vector-current bubble gives Π₁₁(0) ∝ ∫dx (Δ_ε − ln Δ)(m_N m_E − Δ),
whose divergent part (Δ_ε/8π²)(m_N − m_E)² does not cancel — the signature of the
explicit SU(2) breaking.  The finite answer (Lavoura–Silva formulas for vector-like fermions)
needs the mixing matrices, i.e. a richer coupling section: not implemented (documented limitation), not a gap in data.
"""

from __future__ import annotations

import math

import numpy as np
import jax.numpy as jnp

from .. import constants, experiments
from ..models.base import Constraint
from .base import Family

_SERIES = 0.05  # |u| below which F's removable singularity uses its Taylor series
_SERIES_G = 0.2  # the same for G (its closed form cancels as 1/u³)


def _ratio(x, y):
    """(small, large, u = small/large − 1 ∈ (−1, 0]) for symmetric functions of x, y > 0."""
    x = jnp.asarray(x, dtype=jnp.float64)
    y = jnp.asarray(y, dtype=jnp.float64)
    lo, hi = jnp.minimum(x, y), jnp.maximum(x, y)
    return lo, hi, lo / hi - 1.0


def loop_f(x, y):
    r"""F(x, y) = (x + y)/2 − x y ln(x/y)/(x − y) for masses squared x, y > 0 (F(x, x) = 0).

    With u = x/y − 1 (x ≤ y): F = y [1 + u/2 − (1 + u) ln(1 + u)/u]; for |u| < 0.05 the
    series y Σ_{n≥2} (−u)ⁿ/(n(n+1)) to n = 12 (double-where: finite gradients at x = y).
    """
    _, hi, u = _ratio(x, y)
    small = jnp.abs(u) < _SERIES
    us = jnp.where(small, -0.5, u)  # safe value for the exact branch
    exact = 1.0 + 0.5 * us - (1.0 + us) * jnp.log1p(us) / us
    series = sum((-1.0) ** n * u**n / (n * (n + 1)) for n in range(2, 13))
    return hi * jnp.where(small, series, exact)


def loop_g(x, y):
    r"""G(x, y) = ∫₀¹ dz z(1−z) ln[z x + (1−z) y] (masses squared > 0; G(x, x) = ln(x)/6).

    With u = x/y − 1 ∈ (−1, 0] (x ≤ y), G = ln(y)/6 + h(u),
    h(u) = L/6 − 5/36 + 1/(3u) + 1/(3u²) − L/(2u²) − L/(3u³), L = ln(1 + u)
    (integration by parts), and the series h = Σ (−1)^{n+1} uⁿ/(n(n+2)(n+3)) (to n = 19) for |u| < 0.2.
    """
    _, hi, u = _ratio(x, y)
    small = jnp.abs(u) < _SERIES_G
    us = jnp.where(small, -0.5, u)
    big_l = jnp.log1p(us)
    exact = (big_l / 6.0 - 5.0 / 36.0 + 1.0 / (3.0 * us) + 1.0 / (3.0 * us * us)
             - big_l / (2.0 * us * us) - big_l / (3.0 * us**3))
    series = sum((-1.0) ** (n + 1) * u**n / (n * (n + 2) * (n + 3)) for n in range(1, 20))
    return jnp.log(hi) / 6.0 + jnp.where(small, series, exact)


def _alpha_v2():
    """α v² = ŝ_W² m_W²/π [GeV²] (normalisation of T)."""
    return constants.SIN2_THETA_W_MSBAR_MZ * constants.M_W**2 / math.pi


def t_scalar_doublet(m_charged, m_h, m_a):
    """Peskin–Takeuchi T of one inert-like scalar doublet (masses in GeV)."""
    c, h, a = (jnp.asarray(m, dtype=jnp.float64) ** 2 for m in (m_charged, m_h, m_a))
    return (loop_f(c, h) + loop_f(c, a) - loop_f(h, a)) / (16.0 * math.pi**2 * _alpha_v2())


def s_scalar_doublet(m_charged, m_h, m_a):
    """Peskin–Takeuchi S of one inert-like scalar doublet (heavy-mass form, masses in GeV)."""
    c, h, a = (jnp.asarray(m, dtype=jnp.float64) ** 2 for m in (m_charged, m_h, m_a))
    return (loop_g(h, a) - loop_g(c, c)) / (2.0 * math.pi)


def _st_conditional():
    """Mean and inverse covariance of (S, T) given U = 0 from the Gfitter S, T, U fit."""
    v = experiments.get("gfitter_2018_stu").values
    mu = np.array([v["s"], v["t"], v["u"]], dtype=float)
    sd = np.array([v["sigma_s"], v["sigma_t"], v["sigma_u"]], dtype=float)
    rho = np.array([[1.0, v["rho_st"], v["rho_su"]], [v["rho_st"], 1.0, v["rho_tu"]],
                    [v["rho_su"], v["rho_tu"], 1.0]], dtype=float)
    cov = rho * np.outer(sd, sd)
    k = cov[:2, 2] / cov[2, 2]
    mean = mu[:2] + k * (0.0 - mu[2])
    cov_c = cov[:2, :2] - np.outer(k, cov[2, :2])
    return mean, np.linalg.inv(cov_c)


def st_delta_chi2(s, t):
    """Δχ²(S, T) of the Gfitter 2018 fit conditioned on U = 0 (0 at its best fit)."""
    mean, inv = _st_conditional()
    ds = jnp.asarray(s) - mean[0]
    dt = jnp.asarray(t) - mean[1]
    return inv[0, 0] * ds * ds + 2.0 * inv[0, 1] * ds * dt + inv[1, 1] * dt * dt


ST_CHI2_95 = -2.0 * math.log(0.05)  # 95% CL quantile of χ² with 2 dof


def _kallen_32(x1, x2):
    """λ(1, x1, x2)^{3/2} for x1 + x2 < 1, else 0 (smooth at threshold: ∝ λ^{3/2})."""
    lam = (1.0 - x1 - x2) ** 2 - 4.0 * x1 * x2
    open_ = (jnp.sqrt(x1) + jnp.sqrt(x2) < 1.0) & (lam > 0.0)
    lam_safe = jnp.where(open_, lam, 1.0)
    return jnp.where(open_, lam_safe**1.5, 0.0)


def delta_n_nu_scalar(m_h, m_a):
    """ΔN_ν = Γ(Z → H A)/Γ(Z → νν̄) = λ^{3/2}(1, m_H²/m_Z², m_A²/m_Z²)/2."""
    x1 = (jnp.asarray(m_h, dtype=jnp.float64) / constants.M_Z) ** 2
    x2 = (jnp.asarray(m_a, dtype=jnp.float64) / constants.M_Z) ** 2
    return 0.5 * _kallen_32(x1, x2)


def delta_n_nu_dirac(m_n):
    """ΔN_ν = Γ(Z → N N̄)/Γ(Z → νν̄) = 2β(1 + 2x), x = m_N²/m_Z², for a vector-like Dirac N."""
    x = (jnp.asarray(m_n, dtype=jnp.float64) / constants.M_Z) ** 2
    y = 1.0 - 4.0 * x
    open_ = y > 0.0
    beta = jnp.where(open_, jnp.sqrt(jnp.where(open_, y, 1.0)), 0.0)
    return 2.0 * beta * (1.0 + 2.0 * x)


def _scalar_masses(s):
    m_c = jnp.asarray(s["m_charged"], dtype=jnp.float64)
    m_h = jnp.asarray(s["m_neutral"], dtype=jnp.float64)
    m_a = jnp.asarray(s.get("m_neutral_2", m_h), dtype=jnp.float64)
    return m_c, m_h, m_a


def _scalar_observables(c):
    m_c, m_h, m_a = _scalar_masses(c["scalar_doublets"])
    s = jnp.sum(s_scalar_doublet(m_c, m_h, m_a), axis=-1)
    t = jnp.sum(t_scalar_doublet(m_c, m_h, m_a), axis=-1)
    return {"ew_s_scalar": s, "ew_t_scalar": t, "ew_st_chi2": st_delta_chi2(s, t),
            "ew_n_nu_scalar": 3.0 + jnp.sum(delta_n_nu_scalar(m_h, m_a), axis=-1)}


def _fermion_observables(c):
    m_n = jnp.asarray(c["fermion_doublets"]["m_neutral"], dtype=jnp.float64)
    return {"ew_n_nu_fermion": 3.0 + jnp.sum(delta_n_nu_dirac(m_n), axis=-1)}


FAMILIES = (
    Family(name="electroweak_scalar_doublets", requires=("scalar_doublets",), observables=_scalar_observables,
           units={"ew_s_scalar": "1", "ew_t_scalar": "1", "ew_st_chi2": "1", "ew_n_nu_scalar": "1"},
           constraints=(
               Constraint("ew_st", "ew_st_chi2", "upper", limit=ST_CHI2_95, family="electroweak_scalar_doublets",
                          source="arXiv:1803.01853", year=2018,
                          note="Δχ²(S, T | U = 0) of the Gfitter 2018 fit ≤ 5.99 (95% CL, 2 dof)"),
               Constraint("z_invisible_scalar", "ew_n_nu_scalar", "gaussian", entry="n_nu_z_width", null_value=3.0,
                          family="electroweak_scalar_doublets", note="Z → H A counted invisible"),
           ),
           description="oblique S, T of inert-like scalar doublets vs Gfitter 2018; invisible Z width"),
    Family(name="electroweak_fermion_doublets", requires=("fermion_doublets",), observables=_fermion_observables,
           units={"ew_n_nu_fermion": "1"},
           constraints=(Constraint("z_invisible_fermion", "ew_n_nu_fermion", "gaussian", entry="n_nu_z_width", null_value=3.0,
                                   family="electroweak_fermion_doublets", note="vector-like Dirac N"),),
           description="invisible Z width from vector-like lepton doublets (S, T not implemented: they need the singlet mixing)"),
)

__all__ = ["FAMILIES", "loop_f", "loop_g", "t_scalar_doublet", "s_scalar_doublet", "st_delta_chi2",
           "ST_CHI2_95", "delta_n_nu_scalar", "delta_n_nu_dirac"]
