r"""Loop functions of the dark transition magnetic moment (paper 004, eqs. 15–23).

All functions are pure JAX (float64, broadcasting, jit/vmap/grad-safe); masses in
GeV (any common unit: the results scale as mass⁻²).

Feynman parameters on the simplex x, y, z = 1 − x − y ≥ 0, ∫dF ≡ ∫₀¹dx∫₀^{1−x}dy, with
the scalar-radiated denominator (photon on the scalar line, paper Fig. 3)

    Δ(x, y) = x M_Φ2² + y M_Φ1² + z M_α²      (Φ1 at the incoming ν_i vertex).

* :func:`loop_J` — **eq. 21 as printed**, J = ∫dF (x + y)/Δ.
* :func:`loop_K` — the function that multiplies the chirality-flip (∝ M_α) dipole
  of the scalar-radiated diagram, K = ∫dF z/Δ.  Deriving eq. 19 (vertex
  −κ(k_in + k_out)^μ, loop momentum shifted by x p′ + y p, massless external ν,
  q² → 0) the numerator (p + p′ − 2k)^μ → (1 − 2y) p^μ + (1 − 2x) p′^μ, and the
  on-shell identities ū′P_R p^μ u = ū′P_R iσ^{μν}p_ν u, ū′P_R p′^μ u =
  −ū′P_R iσ^{μν}p′_ν u leave the coefficient of iσ^{μν}q_ν equal to
  [(1 − 2y) + (1 − 2x)]/2 = z.  The same topology at equal scalar masses is
  the ε-term of the classic charged-scalar g−2 formula (Leveille 1978):
  ∫₀¹ dx x(1−x) ε/(…) with x the *scalar* parameter, i.e. ∫ z(1−z)/Δ(z) dz =
  ∫dF z/Δ — tested against :func:`jaxg2.loops.g2_charged_scalar`.  The paper's
  (x + y) is the scalar's parameter instead of the fermion's; at equal masses
  J = 1/(3M²) but K = 1/(6M²).
* :func:`delta_loop` — ΔJ_α of eq. 23 (for either numerator), the second
  difference J(H1,A1) + J(H2,A2) − J(H1,A2) − J(H2,A1), evaluated without
  cancellation (below).
* :func:`fermion_radiated` — the fermion-radiated dipole integrals (eqs. 15–16)
  as printed, and as derived here, to check their cancellation.

Numerics
--------
*Single J, K* — the y-integral at fixed s = x + y is elementary:
∫₀^s dx/Δ = s ℓ(Q_b, Q_a), Q_m(s) = (1 − s) M² + s m², ℓ(p, q) = ln(p/q)/(p − q)
(evaluated as log1p(r)/(r q) with a series at small r, so degenerate scalar
masses are ordinary points), leaving one integral over s with weight s (J) or
1 − s (K).  That integral uses a composite Gauss–Legendre rule graded
logarithmically towards both end points (features at s ~ M²/m² or
1 − s ~ m²/M² are resolved for mass ratios 10⁻⁶ … 10⁶); s and 1 − s are both
produced without cancellation.

*ΔJ* — with u = M_H², v = M_A² and P_ij = zM² + y u_i + x v_j the four-term
combination of integrands is, exactly,

    1/P11 + 1/P22 − 1/P12 − 1/P21 = x y (u2 − u1)(v2 − v1) (P11 + P22)/(P11 P12 P21 P22),

so ΔJ = (u2 − u1)(v2 − v1) ∫dF N x y (P11 + P22)/(P11 P12 P21 P22) with a
*positive* integrand and the two mass-squared splittings factored out
(computed as (m2 − m1)(m2 + m1)).  No digits are lost for δM_S ≪ M_S.  The 2-D
integral uses x = s(1 − τ), y = sτ (Jacobian s) and the same graded rule in s
and τ; ΔK is accurate to ≲1e-10 relative for mass ratios 10⁻³ … 10³ (ΔJ, whose
weight s does not vanish at s → 1, to ≲1e-8), tested against 130-digit mpmath.

Reference: arXiv:2603.25704 (paper 004), eqs. 14–23.
"""

from __future__ import annotations

import functools

import numpy as np
import jax.numpy as jnp

from ..numerics.batching import elementwise_with_partials

__all__ = ["loop_J", "loop_K", "delta_loop", "delta_J", "delta_K", "fermion_radiated",
           "simplex_integrate"]


# --------------------------------------------------------------------------- rules
def _graded_rule(t_min: float, n_log: int, n_nodes: int):
    """Nodes (s, 1 − s) and weights on [0, 1] for ∫ f ds.

    Each half is covered by ``n_log`` Gauss–Legendre panels uniform in ln s on
    [t_min, 0.1] (distance to the nearer end point) plus two linear panels
    [0.1, 0.25], [0.25, 0.5]; the other half mirrors it with 1 − s formed exactly.
    The dropped end pieces [0, t_min] contribute ≤ t_min·max|f|.
    """
    g, w = np.polynomial.legendre.leggauss(n_nodes)
    edges = np.linspace(np.log(t_min), np.log(0.1), n_log + 1)
    a, b = edges[:-1, None], edges[1:, None]
    t = 0.5 * (b - a) * g + 0.5 * (a + b)
    d_log = np.exp(t).ravel()
    w_log = (0.5 * (b - a) * w * np.exp(t)).ravel()
    lin = [(0.1, 0.25), (0.25, 0.5)]
    d_lin = np.concatenate([0.5 * (hi - lo) * g + 0.5 * (hi + lo) for lo, hi in lin])
    w_lin = np.concatenate([0.5 * (hi - lo) * w for lo, hi in lin])
    d = np.concatenate([d_log, d_lin])  # distance to the nearer end, in (0, 1/2]
    wd = np.concatenate([w_log, w_lin])
    s = np.concatenate([d, 1.0 - d])
    t_c = np.concatenate([1.0 - d, d])
    return s, t_c, np.concatenate([wd, wd])


_S1, _T1, _W1 = _graded_rule(1e-30, 22, 12)   # 1-D rule for J, K (mass ratios 1e-6 … 1e6)
_S2, _T2, _W2 = _graded_rule(1e-12, 8, 10)    # s-rule of the 2-D ΔJ integral
_U2, _V2, _X2 = _graded_rule(1e-8, 5, 10)     # τ-rule of the 2-D ΔJ integral


def _plain_rule(n_nodes: int):
    g, w = np.polynomial.legendre.leggauss(n_nodes)
    return 0.5 * (1.0 + g), 0.5 * (1.0 - g), 0.5 * w


# "compact" 2-D rule (32 × 20 plain Gauss–Legendre nodes, ~40× cheaper): for optimisers
# inside a mass box where all masses are within a factor ~3 of each other (≲1e-10 there).
_RULES = {
    "graded": ((_S2, _T2, _W2), (_U2, _V2, _X2)),
    "compact": (_plain_rule(32), _plain_rule(20)),
}


def _f64(*args):
    return [jnp.asarray(a, dtype=jnp.float64) for a in args]


def _log1p_over(r):
    """log1p(r)/r, with its Taylor series for |r| < 1e-3 (double-where)."""
    small = jnp.abs(r) < 1e-3
    r_safe = jnp.where(small, 1.0, r)
    series = 1.0 - r * (0.5 - r * (1.0 / 3.0 - r * (0.25 - r * (0.2 - r / 6.0))))
    return jnp.where(small, series, jnp.log1p(r_safe) / r_safe)


def _loop_1d(M_alpha, M_phi1, M_phi2, fermion_weight: bool):
    M, a, b = _f64(M_alpha, M_phi1, M_phi2)
    M2, a2 = (M * M)[..., None], (a * a)[..., None]
    dab = ((b - a) * (b + a))[..., None]          # M_Φ2² − M_Φ1², no cancellation
    s, t, w = jnp.asarray(_S1), jnp.asarray(_T1), jnp.asarray(_W1)
    qa = t * M2 + s * a2                           # Q_a(s) = (1−s)M² + s M_Φ1² > 0
    r = s * dab / qa                               # Q_b/Q_a − 1
    inner = s * _log1p_over(r) / qa                # ∫₀^s dx 1/Δ = s ℓ(Q_b, Q_a)
    weight = t if fermion_weight else s
    return jnp.sum(w * weight * inner, axis=-1)


def loop_J(M_alpha, M_phi1, M_phi2):
    r"""Eq. 21 of paper 004 as printed: J = ∫dF (x + y)/[x M_Φ2² + y M_Φ1² + (1−x−y) M_α²].

    Units GeV⁻² (for masses in GeV).  Symmetric in (M_Φ1, M_Φ2); equal masses
    give 1/(3M²).  Not the dipole function of the scalar-radiated diagram: see
    :func:`loop_K` and the module docstring.  Exact to ≲1e-12 relative over mass
    ratios 1e-6 … 1e6 (degenerate masses included).
    """
    return _loop_1d(M_alpha, M_phi1, M_phi2, fermion_weight=False)


def loop_K(M_alpha, M_phi1, M_phi2):
    r"""K = ∫dF (1−x−y)/[x M_Φ2² + y M_Φ1² + (1−x−y) M_α²] [GeV⁻²].

    The coefficient of the chirality-flip dipole of the scalar-radiated loop
    (derived in the module docstring; eq. 21 has x + y in its numerator
    instead).  Equal masses: 1/(6M²); M_Φ1 = M_Φ2 = m: ∫₀¹ z(1−z)/(zM² + (1−z)m²) dz.
    """
    return _loop_1d(M_alpha, M_phi1, M_phi2, fermion_weight=True)


def delta_loop(M_alpha, M_H1, M_H2, M_A1, M_A2, fermion_weight: bool = True, rule: str = "graded"):
    r"""ΔJ_α = J(M_α,H1,A1) + J(M_α,H2,A2) − J(M_α,H1,A2) − J(M_α,H2,A1) (eq. 23).

    ``fermion_weight=True`` uses the numerator z (:func:`loop_K`), ``False`` the
    printed eq. 21 numerator x + y (:func:`loop_J`).  The CP-even mass enters
    at the incoming vertex (weight y), the CP-odd one at the outgoing (weight x);
    both functions are symmetric so the assignment does not matter.  Computed
    as (M_H2² − M_H1²)(M_A2² − M_A1²) times a positive integral (module
    docstring): no cancellation, exactly zero for degenerate H's or A's.
    [GeV⁻²]
    """
    return _delta_loop_fn(bool(fermion_weight), rule)(*_f64(M_alpha, M_H1, M_H2, M_A1, M_A2))


@functools.lru_cache(maxsize=None)
def _delta_loop_fn(fermion_weight: bool, rule: str):
    """:func:`delta_loop` for one (numerator, rule), elementwise in the five masses.

    Wrapped by :func:`jaxg2.numerics.elementwise_with_partials`: a large batch is
    integrated a few points at a time (the rule's s × τ nodes per point count as the
    work per element), and a gradient keeps the five partials per point (one
    reverse pass through the rule) instead of every node's intermediates, which
    took 4.5 MiB per point of vmap(grad(log-likelihood)) of dark_tmm.
    """
    if rule not in _RULES:
        raise ValueError(f"rule must be one of {sorted(_RULES)}, not {rule!r}")
    (s_r, tau_r) = _RULES[rule]

    def integral(M, h1, h2, a1, a2):
        du = (h2 - h1) * (h2 + h1)
        dv = (a2 - a1) * (a2 + a1)
        ex = lambda v: v[..., None, None]  # noqa: E731  (parameters → (..., s, τ))
        M2, u1, u2, v1, v2 = ex(M * M), ex(h1 * h1), ex(h2 * h2), ex(a1 * a1), ex(a2 * a2)
        s, z, ws = (jnp.asarray(v)[:, None] for v in s_r)
        tau, omt, wt = (jnp.asarray(v)[None, :] for v in tau_r)
        y, x = s * tau, s * omt
        base = z * M2
        p11 = base + y * u1 + x * v1
        p12 = base + y * u1 + x * v2
        p21 = base + y * u2 + x * v1
        p22 = base + y * u2 + x * v2
        num = z if fermion_weight else s
        integrand = num * x * y * (p11 + p22) / (p11 * p12 * p21 * p22) * s  # Jacobian s
        return du * dv * jnp.sum(integrand * ws * wt, axis=(-2, -1))

    return elementwise_with_partials(integral, work_per_element=len(s_r[0]) * len(tau_r[0]))


def delta_K(M_alpha, M_H1, M_H2, M_A1, M_A2, rule: str = "graded"):
    """ΔK_α: :func:`delta_loop` with the derived dipole numerator z (used by the model)."""
    return delta_loop(M_alpha, M_H1, M_H2, M_A1, M_A2, fermion_weight=True, rule=rule)


def delta_J(M_alpha, M_H1, M_H2, M_A1, M_A2):
    """ΔJ_α of eq. 23 with eq. 21 as printed (numerator x + y)."""
    return delta_loop(M_alpha, M_H1, M_H2, M_A1, M_A2, fermion_weight=False)


def simplex_integrate(f, *params):
    """∫dF f(x, y, z, *params) over the simplex with the 2-D graded rule.

    ``params`` broadcast against each other; ``f`` receives them with two
    trailing axes (s, τ) appended.  x = s(1 − τ), y = sτ, z = 1 − s.
    """
    params = [jnp.asarray(p, dtype=jnp.float64)[..., None, None] for p in params]
    s, z, ws = (jnp.asarray(v)[:, None] for v in (_S2, _T2, _W2))
    tau, omt, wt = (jnp.asarray(v)[None, :] for v in (_U2, _V2, _X2))
    vals = f(s * omt, s * tau, z, *params) * s
    return jnp.sum(vals * ws * wt, axis=(-2, -1))


def fermion_radiated(M_1, M_2, M_phi, form: str = "derived"):
    r"""Dipole integral of the fermion-radiated diagram N_1 → N_2 A′ (Fig. 2), ×16π²/C_Φ.

    Denominator Δ_12 = x M_2² + y M_1² + z M_Φ² (eq. 15).  Numerators:

    * ``form="paper"`` — eq. 15 as printed: M_2(1 + x − y) − M_1(1 − x + y);
    * ``form="derived"`` — from eq. 14 with the axial vertex γ^μγ5 between P_R
      projectors: the flip terms reduce (p̸ u_i = 0, ū_j p̸′ = 0) to
      ū_j P_R(2M_2 x p′^μ − 2M_1 y p^μ)u_i, whose iσq coefficient is M_2 x − M_1 y.

    Both are odd under (M_1 ↔ M_2, x ↔ y), which maps Δ_12 → Δ_21, so
    ``fermion_radiated(M1, M2) + fermion_radiated(M2, M1) = 0`` — the cancellation
    of eqs. 16–17 — for either form.  [GeV⁻¹]
    """
    if form not in ("paper", "derived"):
        raise ValueError(f"form must be 'paper' or 'derived', got {form!r}")

    def f(x, y, z, m1, m2, mp):
        if form == "paper":
            num = m2 * (1.0 + x - y) - m1 * (1.0 - x + y)
        else:
            num = m2 * x - m1 * y
        return num / (x * m2 * m2 + y * m1 * m1 + z * mp * mp)

    return simplex_integrate(f, M_1, M_2, M_phi)
