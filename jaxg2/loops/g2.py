r"""One-loop anomalous magnetic moments Δa_ℓ from a fermion–boson loop.

Conventions of Jegerlehner & Nyffeler, Phys. Rept. 477 (2009) 1, sec. 7 (also
Leveille, Nucl. Phys. B137 (1978) 63).  External lepton ℓ of mass ``m_l``,
internal fermion F of mass ``m_f``, boson of mass ``m_s``/``m_v``; all masses in
GeV (any common unit works: Δa depends on mass ratios only).  With
ε = m_F/m_ℓ, λ = m_ℓ/M and

    L = ℓ̄ (C_S + C_P γ5) F S + h.c.,        L = ℓ̄ γ^μ (C_V + C_A γ5) F V_μ + h.c.

(for F = ℓ and a real boson, read L = ℓ̄ (C_S + C_P γ5) ℓ S, the usual diagonal
coupling):

* neutral scalar, photon on F (Q_F = Q_ℓ):
  Δa = m²/(8π²M²) ∫₀¹ dx [C_S² x²(1+ε−x) + C_P² x²(1−ε−x)] / [(1−x)(1−λ²x) + ε²λ²x]
* neutral vector, photon on F:
  Δa = m²/(8π²M²) ∫₀¹ dx [C_V² Q_V(ε) + C_A² Q_V(−ε)] / [(1−x)(1−λ²x) + ε²λ²x],
  Q_V(ε) = 2x(1−x)(x − 2(1−ε)) + λ²(1−ε)² x²(1+ε−x)
  (unitary gauge; the λ² term is the longitudinal mode of a massive vector)
* charged scalar, neutral F, photon on S (Q_S = Q_ℓ):
  Δa = m²/(8π²M²) ∫₀¹ dx [−C_S² x(1−x)(x+ε) − C_P² x(1−x)(x−ε)] / [ε²λ²(1−x)(1−ε⁻²x) + x]

Multiplying numerator and denominator by M² every denominator is the standard
Δ(x) = x A + (1−x) B − x(1−x) m² (A, B = m_F², M² for the neutral cases and
M², m_F² for the charged one), and every numerator a combination of
x^p(1−x)^q, so each Δa is a sum of the moments
M_{p,q} = ∫₀¹ x^p(1−x)^q/Δ dx, (p, q) ∈ {(2,1), (2,0), (1,1), (1,2)}:

* neutral scalar: Δa = m²/(8π²) [(C_S² + C_P²) M21 + ε (C_S² − C_P²) M20],
* charged scalar: Δa = −m²/(8π²) [(C_S² + C_P²) M21 + ε (C_S² − C_P²) M11]  (Δ_S),
* neutral vector: Δa = m²/(8π²) [C_V² V(ε) + C_A² V(−ε)],
  V(ε) = −2 M12 − 2(1 − 2ε) M11 + λ²(1 − ε)² (M21 + ε M20)

(computed as the lfv dipole at m_i = m_j, t = ½; see :mod:`jaxg2.loops.lfv`).  The moments are evaluated in closed form
(logarithms of the roots of Δ, i.e. log and atan/atanh of √λ, λ the Källén
function; :mod:`jaxg2.loops._closed`), with series where the closed form
cancels: both roots far from [0, 1] (heavy loop, degenerate masses), a
near-double root (the pseudo-threshold m ≈ |m_F − M|), and a root beyond
|r| = 6 (light external lepton).  ≤ 1e-10 relative to mpmath for mass ratios
1e-6 … 1e6, m_F = 0, m_F = M, the pseudo-threshold and down to 0.1 % below the
threshold m_ℓ = m_F + M (the functions are meant for a stable lepton,
m_ℓ < m_F + M).  The fixed-node quadrature of :mod:`jaxg2.loops._quad` is kept
as the reference (``method="quad"`` of the lfv dipoles).  Couplings enter as |C|²
(chiral couplings are handled as c_L = C_S − C_P, c_R = C_S + C_P, so
C_S = ±C_P cancels exactly, not numerically).

Gradients are finite everywhere below threshold.  One genuine non-analyticity:
with the photon on F the chirality-flip term is ∝ m_F ln m_F, so ∂Δa/∂m_f is
logarithmically infinite at m_f = 0 exactly; there the closed form returns a
large finite value (Δ(1) = m_F² floored at 1e-40 of the scale).  Sample m_f in
log space or keep it fixed at 0 (the value itself is exact).

These three functions ARE the flavour-diagonal case (i = j, m_i = m_j) of the
general dipole of :mod:`jaxg2.loops.lfv`: Δa = m_ℓ Re(σ_L + σ_R), evaluated
with the 1-node t-rule that is exact when m_i = m_j (σ is linear in t).  The reduction of the
two-parameter dipole integrals to the single JN integrals above is shown in
the lfv module docstring; the tests compare these functions with mpmath
quadrature of the JN integrals exactly as written here.

Many points: value + gradient costs ≈ 2.8 µs per point on the 2-core CPU; one
``vmap`` over 10⁶ points needs ~155 MiB (XLA's plan) and 2.6 s, because the
moments evaluate a large batch a chunk at a time and keep only their partial
derivatives for the gradient (:func:`jaxg2.loops._closed.moments`;
``benchmarks/bench_loops.py``).
"""

from __future__ import annotations

from .lfv import (T_RULE_DIAGONAL, dipole_charged_scalar, dipole_neutral_scalar,
                  dipole_neutral_vector, g2_from_dipole)


def g2_neutral_scalar(m_l, m_f, m_s, c_s, c_p):
    r"""Δa_ℓ from a neutral scalar S and a charged fermion F (photon on F).

    L = ℓ̄ (C_S + C_P γ5) F S + h.c.;
    Δa = m²/(8π²M²) ∫₀¹ [C_S² x²(1+ε−x) + C_P² x²(1−ε−x)] / [(1−x)(1−λ²x) + ε²λ²x] dx,
    ε = m_f/m_l, λ = m_l/m_s (Jegerlehner–Nyffeler 2009, sec. 7; Leveille 1978).

    Limit: heavy S with F = ℓ and C_S = y, C_P = 0:
    Δa → y² m²/(4π²M²) [ln(M/m) − 7/12].

    Args: masses in GeV (any common unit), couplings real or complex (|C|² enter).
    Returns: Δa_ℓ (dimensionless), broadcast over all inputs, float64.
    """
    sig = dipole_neutral_scalar(m_l, m_l, m_f, m_s, c_s, c_p, c_s, c_p, t_rule=T_RULE_DIAGONAL)
    return g2_from_dipole(m_l, *sig)


def g2_charged_scalar(m_l, m_f, m_s, c_s, c_p):
    r"""Δa_ℓ from a charged scalar S (charge Q_ℓ) and a neutral fermion F (photon on S).

    L = ℓ̄ (C_S + C_P γ5) F S + h.c.;
    Δa = m²/(8π²M²) ∫₀¹ [−C_S² x(1−x)(x+ε) − C_P² x(1−x)(x−ε)] / [ε²λ²(1−x)(1−ε⁻²x) + x] dx.

    For a chiral coupling y ℓ̄ P_R N S (C_S = C_P = y/2) and m ≪ M this is
    −|y|² m²/(16π² M²) F₂(m_N²/M²) with the Ma–Raidal F₂
    (:func:`jaxg2.loops.functions.f2_ma_raidal`).  m_f = 0 (massless neutrino) is allowed.
    """
    sig = dipole_charged_scalar(m_l, m_l, m_f, m_s, c_s, c_p, c_s, c_p, t_rule=T_RULE_DIAGONAL)
    return g2_from_dipole(m_l, *sig)


def g2_neutral_vector(m_l, m_f, m_v, c_v, c_a):
    r"""Δa_ℓ from a neutral vector V and a charged fermion F (photon on F), unitary gauge.

    L = ℓ̄ γ^μ (C_V + C_A γ5) F V_μ + h.c.;
    Δa = m²/(8π²M²) ∫₀¹ [C_V² Q_V(ε) + C_A² Q_V(−ε)] / [(1−x)(1−λ²x) + ε²λ²x] dx,
    Q_V(ε) = 2x(1−x)(x−2(1−ε)) + λ²(1−ε)²x²(1+ε−x).

    Limits (F = ℓ, C_A = 0): light vector Δa → C_V²/(8π²); heavy vector
    Δa → C_V² m²/(12π² M²).
    """
    sig = dipole_neutral_vector(m_l, m_l, m_f, m_v, c_v, c_a, c_v, c_a, t_rule=T_RULE_DIAGONAL)
    return g2_from_dipole(m_l, *sig)


__all__ = ["g2_neutral_scalar", "g2_neutral_vector", "g2_charged_scalar"]
