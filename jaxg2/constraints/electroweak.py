r"""Electroweak precision for new SU(2)_L doublets: oblique S, T and the invisible Z width.

One family, ``electroweak_doublets``, applies to a model that provides ``scalar_doublets``,
``fermion_doublets`` or both: the S and T of every doublet of both kinds are summed
*before* the χ², and so are the ΔN_ν (one ``ew_st`` and one ``z_invisible`` constraint).
Observables: ``s_parameter``, ``t_parameter`` (Peskin–Takeuchi S, T), ``ew_st_chi2``
(Δχ² of the fit below) and ``ew_n_nu`` = 3 + ΔN_ν.

Conventions (Peskin–Takeuchi): Π^{ab}(q²) is the g^{μν} part of the W^a W^b (or W³–Q)
vacuum polarisation with the gauge couplings stripped, signs such that a heavy chiral
SM-like doublet gives αT = G_F N_c F₀/(8√2π²) > 0 and S = N_c/(6π) (tested); then

    α T = g² (Π₁₁(0) − Π₃₃(0))/m_W²,   S = 16π (Π′₃₃(0) − Π′₃Q(0)),
    α v² = ŝ_W² m_W²/π,  so T = 4π(Π₁₁ − Π₃₃)/(ŝ_W² m_W²)

(ŝ_W² MS-bar at m_Z; the scheme choice is a few-per-cent normalisation ambiguity).  Both are
the heavy-new-physics (q² = 0) definitions: for states lighter than ~m_Z they are only
indicative (Π′(0) then carries ln m² of the light state), and the invisible Z width is the
relevant probe of such states.

**Scalar doublets** (Y = 1/2, Φ = (φ⁺, (H + iA)/√2), no vev; Barbieri, Hall, Rychkov,
hep-ph/0603188), masses squared c = m_±², h = m_H², a = m_A²:

    T = [F(c, h) + F(c, a) − F(h, a)] / (16π² α v²),   S = [G(h, a) − G(c, c)] / (2π),

    F(x, y) = (x + y)/2 − x y ln(x/y)/(x − y)  (F(x, x) = 0, F ≥ 0),
    G(x, y) = ∫₀¹ dz z(1 − z) ln[z x + (1 − z) y]  (G(x, x) = ln(x)/6).

Derivation (used by the tests): a complex scalar pair (i, j) with generator weight
|T^a_ij|² contributes, bubble plus seagull at q² = 0, |T^a_ij|² F(m_i², m_j²)/(16π²) to Π^{aa}(0)
and 2|T^a_ij|² G(m_i², m_j²)/(16π²) + divergent to Π′(0).  For the doublet Π₁₁ has the pairs
(φ⁺, H), (φ⁺, A) and Π₃₃ the pairs (H, A), (φ⁺, φ⁺), each of weight 1/4; Π_3Q the pair
(φ⁺, φ⁺) of weight 1/2 (BHR's closed form for S term by term; m_H = m_A gives the classic
Δρ = G_F F₀/(8√2π²), F₀ = 2F).  *Charged singlet mixing* (optional keys): if the
doublet's φ⁺ = √w c₁ + √(1 − w) c₂ with a charged singlet (masses² c₁, c₂), W³ couples
c_k c_l with (√(w_k w_l))/2 (w₁ = w, w₂ = 1 − w) and the same pair counting gives

    T = [Σ_k w_k (F(c_k, h) + F(c_k, a)) − F(h, a) − 2 w₁ w₂ F(c₁, c₂)] / (16π² α v²),
    S = [G(h, a) + Σ_kl w_k w_l G(c_k, c_l) − 2 Σ_k w_k G(c_k, c_k)] / (2π)

(divergences cancel because Σ w_k = 1; w = 1 is the unmixed doublet).

**Vector-like fermion doublets** Ψ = (N, E), Y = −1/2, both chiralities doublets, with
Dirac masses M_N (``m_neutral``), M_E (``m_charged``) and a common Majorana mass m
(``m_majorana``) of N_L and N_R (the dark-TMM structure, arXiv:2603.25704 eq. 6).
Two-component derivation: the left-handed fields (N_L, N_R^c | E_L, E_R^c) carry the
currents J^a = ξ† σ̄ G^a ξ with G³ = diag(½, −½ | −½, ½), G^Q = diag(0, 0 | −1, 1) and
G¹ joining N_L–E_L (½) and N_R^c–E_R^c (−½).  The mass matrices [[m, M_N], [M_N, m]] and
[[0, M_E], [M_E, 0]] are diagonalised by the same 45° rotation into states of *signed*
masses s₁ = m − M_N, s₂ = m + M_N (neutral Majorana states n₁, n₂) and ∓M_E; in that basis
G³ couples n₁n₂ (½) and the two charged states (−½), G^Q the charged states (−1), G¹ n₁ to
+M_E and n₂ to −M_E (½).  For Majorana (two-component) fields with real symmetric G and
signed masses m_i, the Dirac bubble with vertices γ^μ(G P_L − G P_R), halved for the
Majorana loop, gives

    Π^{ab}(q²) = −2 Σ_ij G^a_ij G^b_ij ∫₀¹dx I(Δ) [x(1−x) q² − Δ − m_i m_j],
    Δ = x m_j² + (1 − x) m_i² − x(1 − x) q²,  16π² I(Δ) = Δ_ε − ln(Δ/μ²)

(the Dirac fermion is the pair ±M: this reproduces the vector-current Ward identity and the
chiral-doublet results above).  Summing, with a_i = s_i², E = M_E²,

    16π²(Π₁₁ − Π₃₃)(0) = ½[F(a₁, E) + F(a₂, E) − F(a₁, a₂)] − E ln(E/μ²)
                         − s₁M_E L(a₁, E) + s₂M_E L(a₂, E) + s₁s₂ L(a₁, a₂) + D Δ_ε,
    L(x, y) = ∫₀¹dz ln[(z x + (1 − z) y)/μ²],   D = (M_E − M_N)² − m²,
    S = [1/6 + s₁s₂ J(a₁, a₂) + 2G(a₁, a₂) − ln(E)/3]/π,  J(x, y) = ∫₀¹dz z(1 − z)/(z x + (1 − z)y).

S is finite for any masses.  **T is finite only if D = 0**: M_N ≠ M_E and the Majorana
masses of a doublet member both break SU(2)_L explicitly (in a gauge-invariant theory they
come from electroweak symmetry breaking, e.g. the dimension-5 (Ψ̄ H)(H Ψ^c)/Λ or mixing with
singlets, and the ln μ is cut off by that completion).  ``t_fermion_doublet`` returns the
MS-bar value at μ = M_E (the doublet mass scale: SU(2) breaking assumed generated there, no
large logarithm — the *smallest* natural value); the ln μ² coefficient
``t_fermion_doublet_log_coefficient`` = 4D/(16π² α v²) tells how much a UV scale Λ adds
(T(Λ) = T(M_E) + coefficient × ln(Λ²/M_E²)).  Limits: M_N = M_E, m = 0 gives S = T = 0
(for every μ); m = M_N = 0 gives T = E/(8π² α v²) (16π²ΔΠ = F(0, E) = E/2).

The fit: the Gfitter 2018 S, T, U with correlations (registry ``gfitter_2018_stu``),
conditioned on U = 0 (U is of higher order for split doublets), gives ``ew_st_chi2`` =
Δχ²(S, T) (zero at the conditional best fit); the constraint ``ew_st`` is
Δχ² ≤ −2 ln 0.05 = 5.99 (95% CL, 2 dof).  Gap: the PDG 2024 S, T were not at hand
(registry note).

**Invisible Z width** (neutral states lighter than the threshold counted invisible),
relative to Γ(Z → νν̄) = g² m_Z/(96π c_W²), x_i = m_i²/m_Z²:

* scalar doublet, Z → H A: ΔN_ν = λ^{3/2}(1, x_H, x_A)/2 (complex neutral scalar:
  β³/2, β = (1 − 4x)^{1/2});
* fermion doublet, Z → n₁ n₂ (G³ is off-diagonal: vertex γ^μ(P_L − P_R)/2 in units of g/c_W):
  ΔN_ν = λ^{1/2}(1, x₁, x₂) [2 − x₁ − x₂ − (x₁ − x₂)² − 6 s₁s₂/m_Z²]; a Dirac N (m = 0,
  s₁ = −s₂) gives 2β(1 + 2x), two light Majorana states of equal sign 2 − O(x).

``ew_n_nu`` is compared with the LEP N_ν (registry ``n_nu_z_width``, Gaussian).
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


def t_scalar_doublet(m_charged, m_h, m_a, m_charged_2=None, w_charged=1.0):
    """Peskin–Takeuchi T of one inert-like scalar doublet (masses in GeV); optional charged
    singlet mixing: ``w_charged`` = doublet fraction of the state of mass ``m_charged``."""
    c, h, a = (jnp.asarray(m, dtype=jnp.float64) ** 2 for m in (m_charged, m_h, m_a))
    c2 = c if m_charged_2 is None else jnp.asarray(m_charged_2, dtype=jnp.float64) ** 2
    w = jnp.asarray(w_charged, dtype=jnp.float64)
    num = (w * (loop_f(c, h) + loop_f(c, a)) + (1.0 - w) * (loop_f(c2, h) + loop_f(c2, a))
           - loop_f(h, a) - 2.0 * w * (1.0 - w) * loop_f(c, c2))
    return num / (16.0 * math.pi**2 * _alpha_v2())


def s_scalar_doublet(m_charged, m_h, m_a, m_charged_2=None, w_charged=1.0):
    """Peskin–Takeuchi S of one inert-like scalar doublet (masses in GeV; mixing as for T)."""
    c, h, a = (jnp.asarray(m, dtype=jnp.float64) ** 2 for m in (m_charged, m_h, m_a))
    c2 = c if m_charged_2 is None else jnp.asarray(m_charged_2, dtype=jnp.float64) ** 2
    w = jnp.asarray(w_charged, dtype=jnp.float64)
    v = 1.0 - w
    num = (loop_g(h, a) + (w * w - 2.0 * w) * loop_g(c, c) + (v * v - 2.0 * v) * loop_g(c2, c2)
           + 2.0 * w * v * loop_g(c, c2))
    return num / (2.0 * math.pi)


def loop_j(x, y):
    r"""J(x, y) = ∫₀¹ dz z(1−z)/[z x + (1−z) y] (masses squared > 0; J(x, x) = 1/(6x)).

    With u = x/y − 1 ∈ (−1, 0] (x ≤ y): y J = [u + u²/2 − (1 + u) ln(1 + u)]/u³, and the
    series y J = Σ_{n≥3} (−1)^{n+1} u^{n−3}/(n(n−1)) (to n = 22) for |u| < 0.2.
    """
    _, hi, u = _ratio(x, y)
    small = jnp.abs(u) < _SERIES_G
    us = jnp.where(small, -0.5, u)
    exact = (us + 0.5 * us * us - (1.0 + us) * jnp.log1p(us)) / us**3
    series = sum((-1.0) ** (n + 1) * u ** (n - 3) / (n * (n - 1)) for n in range(3, 23))
    return jnp.where(small, series, exact) / hi


def loop_l(x, y, mu2):
    r"""L(x, y) = ∫₀¹ dz ln[(z x + (1−z) y)/μ²] = ln(y/μ²) + (1 + u) ln(1 + u)/u − 1 (u = x/y − 1,
    x ≤ y; series Σ_{n≥2} (−1)ⁿ u^{n−1}/(n(n−1)) for |u| < 0.05; L(x, x) = ln(x/μ²))."""
    _, hi, u = _ratio(x, y)
    small = jnp.abs(u) < _SERIES
    us = jnp.where(small, -0.5, u)
    exact = (1.0 + us) * jnp.log1p(us) / us - 1.0
    series = sum((-1.0) ** n * u ** (n - 1) / (n * (n - 1)) for n in range(2, 14))
    return jnp.log(hi / mu2) + jnp.where(small, series, exact)


_TINY = 1e-12  # masses squared below _TINY × M_E² are set to it (keeps u > −1 in float64 for massless states)


def _fermion_masses(m_charged, m_neutral, m_majorana):
    """(s₁, s₂, a₁, a₂, E): signed neutral masses m ∓ M_N, their squares (floored), M_E²."""
    me, mn, mm = (jnp.asarray(v, dtype=jnp.float64) for v in (m_charged, m_neutral, m_majorana))
    e = me * me
    s1, s2 = mm - mn, mm + mn
    return s1, s2, jnp.maximum(s1 * s1, _TINY * e), jnp.maximum(s2 * s2, _TINY * e), e


def t_fermion_doublet(m_charged, m_neutral, m_majorana=0.0, mu=None):
    """Peskin–Takeuchi T of one vector-like doublet (module doc), MS-bar at μ (default M_E)."""
    me = jnp.asarray(m_charged, dtype=jnp.float64)
    s1, s2, a1, a2, e = _fermion_masses(me, m_neutral, m_majorana)
    mu2 = e if mu is None else jnp.asarray(mu, dtype=jnp.float64) ** 2
    x = (0.5 * (loop_f(a1, e) + loop_f(a2, e) - loop_f(a1, a2)) - e * jnp.log(e / mu2)
         - s1 * me * loop_l(a1, e, mu2) + s2 * me * loop_l(a2, e, mu2) + s1 * s2 * loop_l(a1, a2, mu2))
    return 4.0 * x / (16.0 * math.pi**2 * _alpha_v2())


def t_fermion_doublet_log_coefficient(m_charged, m_neutral, m_majorana=0.0):
    """dT/d ln μ² = 4D/(16π² α v²), D = (M_E − M_N)² − m²: the explicit SU(2) breaking."""
    me, mn, mm = (jnp.asarray(v, dtype=jnp.float64) for v in (m_charged, m_neutral, m_majorana))
    return 4.0 * ((me - mn) ** 2 - mm * mm) / (16.0 * math.pi**2 * _alpha_v2())


def s_fermion_doublet(m_charged, m_neutral, m_majorana=0.0):
    """Peskin–Takeuchi S of one vector-like doublet (module doc; finite for any masses)."""
    s1, s2, a1, a2, e = _fermion_masses(m_charged, m_neutral, m_majorana)
    return (1.0 / 6.0 + s1 * s2 * loop_j(a1, a2) + 2.0 * loop_g(a1, a2) - jnp.log(e) / 3.0) / math.pi


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


def delta_n_nu_fermion(m_neutral, m_majorana=0.0):
    """ΔN_ν = Γ(Z → n₁n₂)/Γ(Z → νν̄) of a vector-like doublet's neutral states (module doc):
    λ^{1/2}(1, x₁, x₂)[2 − x₁ − x₂ − (x₁ − x₂)² − 6 s₁s₂/m_Z²], s₁,₂ = m ∓ M_N."""
    mn, mm = (jnp.asarray(v, dtype=jnp.float64) for v in (m_neutral, m_majorana))
    s1, s2 = (mm - mn) / constants.M_Z, (mm + mn) / constants.M_Z
    x1, x2 = s1 * s1, s2 * s2
    lam = (1.0 - x1 - x2) ** 2 - 4.0 * x1 * x2
    open_ = (jnp.abs(s1) + jnp.abs(s2) < 1.0) & (lam > 0.0)
    root = jnp.where(open_, jnp.sqrt(jnp.where(open_, lam, 1.0)), 0.0)
    return root * (2.0 - x1 - x2 - (x1 - x2) ** 2 - 6.0 * s1 * s2)


def _scalar_parts(d):
    m_c = jnp.asarray(d["m_charged"], dtype=jnp.float64)
    m_h = jnp.asarray(d["m_neutral"], dtype=jnp.float64)
    m_a = jnp.asarray(d.get("m_neutral_2", m_h), dtype=jnp.float64)
    mix = dict(m_charged_2=d.get("m_charged_2"), w_charged=d.get("w_charged", 1.0))
    return (s_scalar_doublet(m_c, m_h, m_a, **mix), t_scalar_doublet(m_c, m_h, m_a, **mix),
            delta_n_nu_scalar(m_h, m_a))


def _fermion_parts(d):
    args = (d["m_charged"], d["m_neutral"], d.get("m_majorana", 0.0))
    return s_fermion_doublet(*args), t_fermion_doublet(*args), delta_n_nu_fermion(*args[1:])


def _observables(c):
    """S, T and ΔN_ν summed over every doublet of both sections, then Δχ²(S, T)."""
    parts = [f(c[k]) for k, f in (("scalar_doublets", _scalar_parts), ("fermion_doublets", _fermion_parts))
             if k in c]
    s, t, dn = (sum(jnp.sum(p[i], axis=-1) for p in parts) for i in range(3))
    return {"s_parameter": s, "t_parameter": t, "ew_st_chi2": st_delta_chi2(s, t), "ew_n_nu": 3.0 + dn}


_FAMILY = "electroweak_doublets"

FAMILIES = (
    Family(name=_FAMILY, requires=(), requires_any=("scalar_doublets", "fermion_doublets"),
           observables=_observables,
           units={"s_parameter": "1", "t_parameter": "1", "ew_st_chi2": "1", "ew_n_nu": "1"},
           constraints=(
               Constraint("ew_st", "ew_st_chi2", "upper", limit=ST_CHI2_95, family=_FAMILY,
                          source="arXiv:1803.01853", year=2018,
                          note="Δχ²(S, T | U = 0) of the Gfitter 2018 fit ≤ 5.99 (95% CL, 2 dof); "
                               "S, T summed over scalar and fermion doublets"),
               Constraint("z_invisible", "ew_n_nu", "gaussian", entry="n_nu_z_width", null_value=3.0,
                          family=_FAMILY, note="Z → HA (scalar) and Z → n₁n₂ (fermion doublets) counted invisible"),
           ),
           description="oblique S, T of scalar and vector-like fermion doublets vs Gfitter 2018; invisible Z width"),
)

__all__ = ["FAMILIES", "loop_f", "loop_g", "loop_j", "loop_l", "t_scalar_doublet", "s_scalar_doublet",
           "t_fermion_doublet", "t_fermion_doublet_log_coefficient", "s_fermion_doublet", "st_delta_chi2",
           "ST_CHI2_95", "delta_n_nu_scalar", "delta_n_nu_fermion"]
