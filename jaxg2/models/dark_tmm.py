r"""Dark transition magnetic moments of Majorana neutrinos via a dark photon (paper 004).

Model (arXiv:2603.25704): a U(1)_D with a kinetically mixed dark photon A′ (mixing ε,
coupling g_D), a vector-like doublet Ψ = (N, E) of dark charge +1 and two complex
dark scalars S_a (charge −1), a = 1, 2:

    L ⊃ −y_{αa} L̄_α P_R Ψ S_a + h.c. = −y_{αa} (ν̄_α P_R N + ℓ̄_α P_R E) S_a + h.c.   (α = e, μ)
    −½ m (N̄_L^c N_L + N̄_R^c N_R) + h.c. − m_D N̄ N,      −(ε/2) F_{μν} F′^{μν}.

Conventions used throughout (all masses GeV, moments in Bohr magnetons μ_B = e/2m_e)
------------------------------------------------------------------------------------
* Heavy neutral leptons: the (N_L, N_R^c) mass matrix [[m, m_D], [m_D, m]] gives two
  Majorana states of *signed* masses M₁ = m − m_D, M₂ = m + m_D; N_R couples to
  each with weight ∓1/√2.  A negative M₁ is kept as a sign (equivalently a γ5
  rotation, paper's N = (N₂ + γ5 N₁)/√2): the chirality-flip sum is
  Σ_α M_α(signed) K(|M_α|, …) and vanishes for m → 0 (no lepton-number violation).
* Scalars: S_a = (S_aR + i S_aI)/√2, S_aR = Σ_k R_ak H_k, S_aI = Σ_m I_am A_m with
  R = [[c_R, s_R], [−s_R, c_R]] (angle θ_R), I likewise (θ_I) — eq. 11.  Each real
  scalar Φ couples with (y O)_{αΦ}, O_{a,H_k} = R_ak/√2, O_{a,A_m} = i I_am/√2.
* Mass-basis neutrino couplings λ_ia = Σ_α y_αa U*_αi (eq. 10), U the PMNS matrix
  (NuFIT 6.0 normal ordering from the registry, via :mod:`jaxg2.neutrino.pmns`).
* Dark photon–scalar current (eq. 18): −g_D Q_S A′^μ Σ_a S_aR ∂↔_μ S_aI, i.e.
  H_k–A_m vertices with W = Rᵀ I: W₁₁ = W₂₂ = cos(θ_R − θ_I), W₁₂ = −W₂₁ = −sin(θ_R − θ_I).

The transition moment (derived here, eqs. 19–23 corrected)
----------------------------------------------------------
With the effective operator −¼ Σ ν̄_j σ^{μν}(λ_jk P_L + λ†_jk P_R) ν_k F′_{μν} for
Majorana ν (Giunti–Studenikin), the physical transition moment that enters ν e
scattering like a Dirac moment is μ_ij = |λ_ij|.  Summing the scalar-radiated
diagrams over both orderings H_k → A_m and A_m → H_k and both N_α:

    μ_ij = (g_D Q_S / 128π²) |D_ij| |sin 2(θ_R − θ_I)| |Σ_α M_α ΔK_α|          [GeV⁻¹]
    D_ij = λ_i1 λ_j2 − λ_i2 λ_j1 = det(y) · (U*_ei U*_μj − U*_ej U*_μi),
    |D_ij| = |det y| · |U_τk|   (k ≠ i, j: unitarity — a 2×2 minor of U is the
                                conjugate cofactor of the third row)

and in Bohr magnetons μ/μ_B = (2 m_e/e) μ.  ΔK_α is eq. 23 with the loop function
K = ∫dF z/Δ of :mod:`jaxg2.models.dark_tmm_loops` (eq. 21 prints x + y instead).
D_ij is antisymmetric, so μ_ii = 0 and the "flavour antisymmetrisation" of the
paper is automatic once both scalar orderings are summed.  The fermion-radiated
diagrams (eqs. 14–17) cancel pairwise (N₁→N₂ against N₂→N₁): their coupling
product is symmetric in i ↔ j and their loop integral is odd under M₁ ↔ M₂
(:func:`jaxg2.models.dark_tmm_loops.fermion_radiated`).

Normalisation of eq. 20.  One path (Φ₁ → Φ₂, N_α) gives the magnetic coefficient
μ = g_D Q_S C_{Φ₁Φ₂} M_α λ̃λ̃ J/(64π²) [GeV⁻¹] (λ̃ without the 1/√2's; the two
1/2's of eq. 19 and the 1/16π² of the loop make 1/64π²).  Converting to μ_B
multiplies by 2m_e/e: μ/μ_B = g_D Q_S C M_α λ̃λ̃ J m_e/(32π² e) — eq. 20's factor
(m_e M_α)/(32π² e).  Eq. 22 then drops the m_e/e (its right-hand side is in GeV⁻¹,
not μ_B, and eq. 35 appends "μ_B" to a GeV⁻¹ quantity).

Paper discrepancies (factors relative to this module)
-----------------------------------------------------
1. Eq. 21: numerator (x + y) should be z = 1 − x − y (derivation above; check
   against the classic charged-scalar g−2 formula).  Equal masses: J = 1/(3M²),
   K = 1/(6M²).
2. Eq. 22: sin 2(θ_I − θ_R) should be ½ sin 2(θ_R − θ_I) (Σ W_km T_km = sinδ cosδ ΔK);
   Im(λ*λ* − λ*λ*) is only the magnetic part in one phase convention — the
   rephasing-invariant transition moment uses |D_ij|; and eq. 22 lacks the 2m_e/e
   that converts GeV⁻¹ to μ_B.
3. Eqs. 25–29: A_R uses F̃₂(M_Φ²/M_E²)/(32π² M_E²) (the correct argument is
   M_E²/M_Φ² with prefactor 1/M_Φ², heavy-E limit 1/6 not 1/3); the real scalars
   carry the 1/√2 of S = (R + iI)/√2 (eq. 27 drops it); and BR = 48π³α|A_R|²/G_F²
   (eq. 29 prints 24π³).  Net: BR(eq. 29) = 8 × the correct heavy-E BR, and the
   MEG II bound on √|Σ y_e y_μ*| is 8^{1/4} = 1.68 times weaker than eq. 29 says.
4. Eq. 31 quotes 0.086 at M_E = 2 TeV, BR < 3.1e-13; eq. 29 itself gives 0.0727;
   the correct value is 0.122 (0.102 with the MEG II 2025 limit 1.5e-13).
5. Eq. 32: Δa_μ = m_μ² Σ|y_μa|²/(96π² M_E²) in the heavy-E limit, not /(24π²)
   (factor 4: the 1/√2's and F̃₂(0) = 1/3 vs 1/6).
6. MEG II does *not* cap the transition moment: μ_ij ∝ |det y| while μ → eγ ∝
   |Σ_Φ ỹ_eΦ ỹ*_μΦ F(x_Φ)| → |(y y†)_eμ| (heavy E).  Orthogonal rows of y
   (e.g. y diagonal) give det y = O(1) with μ → eγ suppressed by the GIM-like
   scalar splitting (x_Φ ~ 1e-8), so the rigorous joint bound is set by
   perturbativity, not by MEG II (see :func:`joint_bound`).
7. A′ → N₁N₁ (sec. 3.2) does not exist: the A′ current is off-diagonal, N̄₁γ^μγ5N₂
   (eq. 12), so invisible decays need m_A′ > |M₁| + |M₂| (or a scalar pair
   H_k A_m).  Below that A′ decays visibly (via ε) and the invisible NA64/BaBar
   curves do not apply; the paper uses NA64 at all masses.
8. The Majorana mass m of eq. 6 breaks U(1)_D (N has charge +1), and a 100 MeV
   neutral member of an SU(2) doublet whose charged partner sits at 2 TeV
   contradicts gauge invariance (one Dirac mass per vector-like doublet) and the
   Z invisible width; noted, not modelled.
9. Borexino recast (eqs. 33–34) is reproduced; T_max is taken as the kinematic
   endpoint 2E²/(m_e + 2E) = 665 keV (the paper leaves it unspecified).

10. The paper does not mention the radiative Majorana mass of the same loop without the
    A′ (:func:`radiative_neutrino_mass`; the divergence cancels because RRᵀ = IIᵀ).  At
    the Fig. 7 benchmark (y = 0.086, m = 0.1 GeV) max|δm_αγ| = 568 eV, 1.1e4 times the
    oscillation scale √|Δm²₃ℓ| = 0.050 eV (NuFIT 6.0): a Yukawa large enough for a
    visible TMM gives neutrino masses in the keV range unless tuned away.
11. μ_eff: the paper compares max|μ_ij| with Borexino; a solar ν_e arrives as the
    mass-eigenstate mixture |U_ei|², so μ_eff = (Σ_i |U_ei|² Σ_j |λ_ij|²)^½
    (:func:`mu_eff_solar`; 1.30 × max|μ_ij| at the benchmark).

Radiative ν mass and μ → eγ in the likelihood
---------------------------------------------
``delta_m_nu_loop`` = max_αγ |δm_αγ| in the flavour basis (α, γ = e, μ) [eV], with the
default constraint ``radiative_nu_mass``: ≤ √|Δm²₃ℓ| (registry ``nufit_6_0_normal``,
0.0503 eV) — a naturalness bound (a larger loop mass must be cancelled by a tree term
to fit the oscillation data).  μ → eγ: the E–Φ dipoles (:func:`lepton_dipoles`) go to
the constraints library (section ``lepton_dipole``), which supplies
``lfv_br_mu_e_gamma``, MEG II 2025 (``meg2_mu_e_gamma``; ``meg2_2024_mu_e_gamma`` for
the paper set), μ → 3e and μ → e conversion.

Joint bound (``fits/dark_tmm_joint.toml``; scalar masses in [0.2, 0.4] GeV, m = 0.1 GeV,
m_D = 0, M_E = 2 TeV, |y| ≤ √4π, MEG II 2024, δm ≤ 0.050 eV, invisible NA64/BaBar ε).
Without the ν-mass constraint the maximum is max μ_ij = 1.51e-5 g_D μ_B (Hadamard-like
y at the perturbative bound, H₁ = A₁ = 0.2, H₂ = A₂ = 0.4 GeV, |sin 2δ| = 1), where
δm = 4.4e6 eV.  With it, μ and δm are both ∝ y², so on generic spectra μ/δm is bounded:
the multi-start search (:func:`maximise_transition_moment`, 8 starts × 1600 steps) finds
μ_eff,solar = 4.6–8.7e-13 μ_B at g_D = 0.5, and keeps creeping up along the one
direction that lifts the cap, det X → 0 (:func:`tuned_moment_bound`).  The supremum on
that fine-tuned surface (|σ₂/σ₁| ≲ 2.6e-8) is μ_eff,solar = 2.46e-10 μ_B at g_D = 0.5,
i.e. 4.9e-10 g_D μ_B (max μ_ij = 3.8e-10 g_D μ_B): the ν mass lowers the bound by a
factor 4e4 (tuned) to 1e7 (generic) below perturbativity and MEG II, which are both
inactive there (|y_e·| ~ 5e-4).  μ_eff^max = ε_max(m_A′) × 4.9e-10 g_D μ_B =
3.7e-15 g_D μ_B at 1 MeV (Borexino recast 1.6e-10) and 1.1e-14 g_D μ_B at 10 MeV
(Borexino 1.2e-8): ≤ 2.4e-5 g_D of the Borexino limit for every m_A′ in [1 MeV, 1 GeV].
The paper's conclusion (indirect limits dominate Borexino) holds by many more orders of
magnitude, but through the neutrino mass — not MEG II (item 6) or perturbativity.
"""

from __future__ import annotations

import functools
import math

import jax
import jax.numpy as jnp
import numpy as np

from .. import constants, experiments, likelihood
from ..loops import br_mu_e_gamma as _br_mu_e_gamma_generic
from ..loops import chiral_to_sp, dipole_neutral_scalar, g2_neutral_scalar
from ..constraints.nu_moments import mu_eff_incoherent, solar_weights
from ..loops.functions import f2_tilde_lavoura, xlogx_over_xm1
from ..neutrino.pmns import pmns_from_data
from .base import Constraint, Model, Parameter, Prior
from .dark_tmm_loops import delta_K, loop_J

__all__ = [
    "MODEL", "heavy_masses", "scalar_mixing", "yukawa_matrix", "transition_moments",
    "transition_moment_paper_eq22", "loop_J", "radiative_neutrino_mass", "mu_eff_solar",
    "lepton_dipoles", "br_mu_e_gamma", "br_mu_e_gamma_paper_eq29",
    "mu_e_gamma_yukawa_bound", "delta_a_mu", "delta_a_mu_paper_eq32",
    "borexino_mu_limit", "borexino_recast_factor", "epsilon_limit", "invisible_open",
    "observables", "maximise_transition_moment", "tuned_moment_bound", "joint_bound", "joint_bound_from_config",
    "PERTURBATIVE_YUKAWA", "M_NU_MAX_EV",
]

REFERENCE = ("\"Dark Transition Magnetic Moments of Majorana Neutrinos Mediated by a Dark Photon\" "
             "(Peking University), arXiv:2603.25704")
PERTURBATIVE_YUKAWA = math.sqrt(4.0 * math.pi)  # |y| ≤ √(4π): theory bound (perturbative unitarity estimate)
_MU_B_PER_GEV_INV = 2.0 * constants.M_E / constants.E_EM  # μ[GeV⁻¹] → μ/μ_B
_NUFIT = experiments.get("nufit_6_0_normal")
M_NU_MAX_EV = math.sqrt(abs(_NUFIT.values["dm2_3l_eV2"]))  # √|Δm²₃ℓ| (NuFIT 6.0 NO): heaviest-ν scale

INVISIBLE_CURVES = ("na64_2023_invisible_dark_photon", "na64_2019_invisible_dark_photon",
                    "babar2017_invisible_dark_photon")
VISIBLE_CURVES = ("na48_2015_visible_dark_photon", "babar2014_visible_dark_photon",
                  "kloe2018_visible_dark_photon")


@functools.lru_cache(maxsize=None)
def _pmns_np(ordering: str = "normal") -> np.ndarray:
    with jax.ensure_compile_time_eval():  # a constant, also when first called under jit
        return np.asarray(pmns_from_data(ordering))


def _f64(*args):
    return [jnp.asarray(a, dtype=jnp.float64) for a in args]


# ------------------------------------------------------------------ building blocks
def heavy_masses(m_maj, m_dirac):
    """Signed Majorana masses (M₁, M₂) = (m − m_D, m + m_D) of the heavy neutral pair."""
    m, md = _f64(m_maj, m_dirac)
    return m - md, m + md


def scalar_mixing(theta_R, theta_I):
    """O (…, 2, 4): S_a = Σ_Φ O_aΦ Φ for Φ = (H1, H2, A1, A2) (1/√2 and i included)."""
    tr, ti = _f64(theta_R, theta_I)
    cr, sr, ci, si = jnp.cos(tr), jnp.sin(tr), jnp.cos(ti), jnp.sin(ti)
    R = jnp.stack([jnp.stack([cr, sr], -1), jnp.stack([-sr, cr], -1)], -2)
    I = jnp.stack([jnp.stack([ci, si], -1), jnp.stack([-si, ci], -1)], -2)
    return jnp.concatenate([R.astype(jnp.complex128), 1j * I], axis=-1) / math.sqrt(2.0)


def yukawa_matrix(theta):
    """y (…, 2, 2) complex, rows α = e, μ, columns a = 1, 2, from the ``y_<α><a>_re/im`` parameters."""
    rows = []
    for al in ("e", "mu"):
        rows.append(jnp.stack([jnp.asarray(theta[f"y_{al}{a}_re"], dtype=jnp.float64)
                               + 1j * jnp.asarray(theta[f"y_{al}{a}_im"], dtype=jnp.float64)
                               for a in (1, 2)], -1))
    return jnp.stack(rows, -2)


def _pairs():
    return ((0, 1), (0, 2), (1, 2))


def transition_moments(g_D, Q_S, y, M1, M2, M_H1, M_H2, M_A1, M_A2, theta_R, theta_I,
                       U=None, rule: str = "graded"):
    r"""Complex antisymmetric transition-moment matrix λ_ij (…, 3, 3) in μ_B; μ_ij = |λ_ij|.

    λ_ij = (2m_e/e) (g_D Q_S/128π²) sin 2(θ_R − θ_I) D_ij Σ_α M_α ΔK_α (module docstring),
    D_ij = λ_i1 λ_j2 − λ_i2 λ_j1, λ_ia = Σ_α y_αa U*_αi.  ``y`` (…, 2, 2); ``M1, M2``
    signed heavy masses; ``U`` (3, 3) PMNS (default NuFIT 6.0 NO); ``rule`` the ΔK
    quadrature (see :func:`jaxg2.models.dark_tmm_loops.delta_loop`).
    """
    g_D, Q_S, M1, M2, h1, h2, a1, a2, tr, ti = _f64(g_D, Q_S, M1, M2, M_H1, M_H2, M_A1, M_A2,
                                                    theta_R, theta_I)
    U = jnp.asarray(_pmns_np() if U is None else U)
    lam = jnp.einsum("ai,...ab->...ib", jnp.conj(U[:2, :]), y)  # (…, 3, 2)
    D = lam[..., :, None, 0] * lam[..., None, :, 1] - lam[..., :, None, 1] * lam[..., None, :, 0]
    loop = (M1 * delta_K(jnp.abs(M1), h1, h2, a1, a2, rule=rule)
            + M2 * delta_K(jnp.abs(M2), h1, h2, a1, a2, rule=rule))
    pref = _MU_B_PER_GEV_INV * g_D * Q_S / (128.0 * math.pi**2) * jnp.sin(2.0 * (tr - ti)) * loop
    return pref[..., None, None] * D


def transition_moment_paper_eq22(g_D, Q_S, y, M1, M2, M_H1, M_H2, M_A1, M_A2, theta_R, theta_I,
                                 U=None):
    r"""Eq. 22 as printed: g_D Q_S/(64π²) sin 2(θ_I−θ_R) Im(λ*_j2λ*_i1 − λ*_i2λ*_j1) Σ M_α ΔJ_α.

    Returns the (…, 3, 3) real matrix in the paper's own (GeV⁻¹) units, with ΔJ
    from the printed eq. 21.  For comparison only (see the module docstring).
    """
    from .dark_tmm_loops import delta_J

    g_D, Q_S, M1, M2, h1, h2, a1, a2, tr, ti = _f64(g_D, Q_S, M1, M2, M_H1, M_H2, M_A1, M_A2,
                                                    theta_R, theta_I)
    U = jnp.asarray(_pmns_np() if U is None else U)
    lc = jnp.conj(jnp.einsum("ai,...ab->...ib", jnp.conj(U[:2, :]), y))  # λ*
    t = lc[..., None, :, 1] * lc[..., :, None, 0] - lc[..., :, None, 1] * lc[..., None, :, 0]
    loop = M1 * delta_J(jnp.abs(M1), h1, h2, a1, a2) + M2 * delta_J(jnp.abs(M2), h1, h2, a1, a2)
    pref = g_D * Q_S / (64.0 * math.pi**2) * jnp.sin(2.0 * (ti - tr)) * loop
    return pref[..., None, None] * jnp.imag(t)


# ------------------------------------------------------------------ radiative ν mass, solar μ_eff
def radiative_neutrino_mass(y, M1, M2, M_H1, M_H2, M_A1, M_A2, theta_R, theta_I):
    r"""One-loop Majorana mass δm_αγ (…, 2, 2) [GeV] of ν_e, ν_μ in the flavour basis.

    The transition-moment loop without the A′.  Two-component form of eq. 5:
    −y_αa (ν̄_α P_R N) S_a + h.c. = −y*_αa (ν_α η) S*_a + h.c. (η = N_R^c), with
    η = (χ₂ − χ₁)/√2 in the Majorana mass states (signed masses M_β, weights
    w_β = ∓1/√2) and S*_a = Σ_Φ O*_aΦ Φ, so ν_α χ_β Φ has coupling Y_αβΦ = w_β c*_αΦ,
    c = y O (:func:`scalar_mixing`).  The self-energy with one mass insertion
    ⟨χ_β χ_β⟩ = iM_β/(k² − M_β²) at zero external momentum gives, for
    L ⊃ −½ δm_αγ ν_α ν_γ,

        δm_αγ = −(1/16π²) Σ_βΦ Y_αβΦ Y_γβΦ M_β B₀(0; M_β², m_Φ²),
        B₀ = Δ_UV − ∫₀¹dx ln[x M_β² + (1 − x) m_Φ²]/μ².

    The divergent coefficient Σ_Φ c*_αΦ c*_γΦ = ½ (y (RRᵀ − IIᵀ) yᵀ)*_αγ vanishes
    (R, I orthogonal; the CP-odd O's carry i² = −1), so Δ_UV, μ and every
    Φ-independent term of B₀ drop out, leaving (w_β² = ½)

        δm_αγ = (1/32π²) Σ_β M_β Σ_Φ c*_αΦ c*_γΦ f(m_Φ²/M_β²),   f(r) = r ln r/(r − 1),

    Ma's scotogenic formula (hep-ph/0601225, with the 1/32π² of Merle & Platscher,
    arXiv:1502.03098) for one Majorana state: y y M/(32π²)[f(m_R²/M²) − f(m_I²/M²)].
    f is :func:`jaxg2.loops.functions.xlogx_over_xm1` (series at r = 1: degenerate
    masses are ordinary points); a massless state (M_β = 0) contributes 0.  δm → 0 for
    m → 0 (M₁ = −M₂, lepton number) and for H_k = A_k with θ_R = θ_I (Ma's m_R = m_I).
    """
    M1, M2, h1, h2, a1, a2 = _f64(M1, M2, M_H1, M_H2, M_A1, M_A2)
    c = jnp.conj(jnp.einsum("...ab,...bf->...af", jnp.asarray(y, jnp.complex128),
                            scalar_mixing(theta_R, theta_I)))       # c*_αΦ (…, 2, 4)
    masses = jnp.stack(jnp.broadcast_arrays(h1, h2, a1, a2), -1)     # (…, 4)
    cc = c[..., :, None, :] * c[..., None, :, :]                      # c*_αΦ c*_γΦ (…, 2, 2, 4)
    out = 0.0
    for M in (M1, M2):
        M2sq = jnp.maximum(M * M, 1e-300)[..., None]
        f = xlogx_over_xm1(masses**2 / M2sq)                          # (…, 4)
        out = out + M[..., None, None] * jnp.sum(cc * f[..., None, None, :], -1)
    return out / (32.0 * math.pi**2)


def _safe_abs(z):
    """|z| of a complex array with a zero (not NaN) gradient at z = 0 (double-where)."""
    a2 = jnp.real(z) ** 2 + jnp.imag(z) ** 2
    pos = a2 > 0
    return jnp.where(pos, jnp.sqrt(jnp.where(pos, a2, 1.0)), 0.0)


def delta_m_nu_loop_ev(y, M1, M2, M_H1, M_H2, M_A1, M_A2, theta_R, theta_I):
    """max_αγ |δm_αγ| [eV] in the flavour basis (α, γ = e, μ; ν_τ gets no loop mass)."""
    dm = radiative_neutrino_mass(y, M1, M2, M_H1, M_H2, M_A1, M_A2, theta_R, theta_I)
    return 1e9 * jnp.max(_safe_abs(dm), axis=(-2, -1))


def mu_eff_solar(lam):
    r"""μ_eff = (Σ_i |U_ei|² Σ_j |λ_ij|²)^½ of a solar ν_e arriving as mass eigenstates.

    ``lam`` (…, 3, 3) in the mass basis (any unit, result in the same); |U_ei|² from
    the NuFIT 6.0 NO entry (:func:`jaxg2.constraints.nu_moments.solar_weights`,
    ``"pp_vacuum"``: the vacuum-averaged composition; the MSW ⁷Be weights would give
    P₁ = 0.55 instead of |U_e1|² = 0.67).  λ is antisymmetric, so |λ_ij| = |λ_ji|.
    """
    return mu_eff_incoherent(lam, solar_weights("pp_vacuum"))


# ------------------------------------------------------------------ visible sector
def _charged_couplings(y, theta_R, theta_I):
    """c_R^{αΦ} = −(y O)_αΦ of ℓ̄_α (c_R P_R) E Φ for the four real scalars (…, 2, 4)."""
    return -jnp.einsum("...ab,...bf->...af", y.astype(jnp.complex128), scalar_mixing(theta_R, theta_I))


def lepton_dipoles(y, M_E, M_H1, M_H2, M_A1, M_A2, theta_R, theta_I, method: str = "exact"):
    r"""(σ_L, σ_R) (…, 3, 3) complex [GeV⁻¹], [j, i] for ℓ_i → ℓ_j γ (section ``lepton_dipole``).

    The E–Φ loops (photon on E) with couplings ℓ̄_α(c_R P_R)E Φ, c_R = −(yO)_αΦ,
    summed over Φ ∈ {H1, H2, A1, A2}; only μ → eγ ([0, 1]) is filled (the model has
    no τ couplings).  ``method="exact"``: :func:`jaxg2.loops.dipole_neutral_scalar`
    (closed-form Feynman-parameter moments, all masses kept).  ``method="f2"``: the
    m_μ ≪ M_E, M_Φ form σ_R = m_μ Σ_Φ c_eΦ c*_μΦ F̃₂(M_E²/M_Φ²)/(32π² M_Φ²), σ_L = 0
    (Lavoura's :func:`jaxg2.loops.functions.f2_tilde_lavoura`; eqs. 25–26 with the
    argument corrected; agrees with "exact" to O(m_μ²/M_E²), used by the optimiser).
    """
    c = _charged_couplings(y, theta_R, theta_I)
    masses = jnp.stack(jnp.broadcast_arrays(*_f64(M_H1, M_H2, M_A1, M_A2)), -1)
    M_E = jnp.asarray(M_E, jnp.float64)[..., None]
    if method == "f2":
        f2 = f2_tilde_lavoura(M_E**2 / masses**2) / (32.0 * math.pi**2 * masses**2)
        sr = constants.M_MU * jnp.sum(c[..., 0, :] * jnp.conj(c[..., 1, :]) * f2, -1)
        sl = jnp.zeros_like(sr)
    elif method == "exact":
        cs_mu, cp_mu = chiral_to_sp(0.0, c[..., 1, :])
        cs_e, cp_e = chiral_to_sp(0.0, c[..., 0, :])
        sl, sr = (jnp.sum(s, -1) for s in dipole_neutral_scalar(constants.M_MU, constants.M_E, M_E, masses,
                                                               cs_mu, cp_mu, cs_e, cp_e))
    else:
        raise ValueError(f"method must be 'exact' or 'f2', got {method!r}")
    put = lambda s: jnp.zeros(s.shape + (3, 3), jnp.complex128).at[..., 0, 1].set(s)  # noqa: E731
    return put(sl), put(sr)


def br_mu_e_gamma(y, M_E, M_H1, M_H2, M_A1, M_A2, theta_R, theta_I, method: str = "exact"):
    r"""BR(μ → eγ) of :func:`lepton_dipoles` via :func:`jaxg2.loops.br_mu_e_gamma`.

    The model's likelihood uses the same dipoles through the constraints library
    (section ``lepton_dipole``: ``lfv_br_mu_e_gamma``, ``meg2_mu_e_gamma``, …); this
    function serves the joint-bound optimiser and the paper checks.
    """
    sl, sr = lepton_dipoles(y, M_E, M_H1, M_H2, M_A1, M_A2, theta_R, theta_I, method)
    return _br_mu_e_gamma_generic(sl[..., 0, 1], sr[..., 0, 1])


def br_mu_e_gamma_paper_eq29(yy_emu, M_E):
    r"""Eq. 29 as printed: BR = α |Σ_a y_ea y*_μa|²/(96π G_F² M_E⁴) (heavy-E limit)."""
    yy_emu, M_E = _f64(jnp.abs(yy_emu), M_E)
    return constants.ALPHA_EM * yy_emu**2 / (96.0 * math.pi * constants.G_FERMI**2 * M_E**4)


def mu_e_gamma_yukawa_bound(M_E, br_limit, paper_eq29: bool = False):
    r"""Largest √|Σ_a y_ea y*_μa| allowed by BR(μ → eγ) < ``br_limit`` in the heavy-E limit.

    Correct heavy-E amplitude: σ_R = m_μ (y y†)_eμ/(192π² M_E²) (all four scalars,
    1/√2's included), BR = 48π³α|σ_R/m_μ|²/G_F² = α|(yy†)_eμ|²/(768π G_F² M_E⁴).
    ``paper_eq29=True`` inverts eq. 29 as printed instead (8× larger BR).
    """
    M_E, br = _f64(M_E, br_limit)
    denom = 96.0 if paper_eq29 else 768.0
    yy = jnp.sqrt(br * denom * math.pi * constants.G_FERMI**2 * M_E**4 / constants.ALPHA_EM)
    return jnp.sqrt(yy)


def delta_a_mu(y, M_E, M_H1, M_H2, M_A1, M_A2, theta_R, theta_I):
    r"""Δa_μ from the E–Φ loops: Σ_Φ :func:`jaxg2.loops.g2_neutral_scalar` with internal E.

    Heavy-E limit m_μ² Σ_a |y_μa|²/(96π² M_E²) — a quarter of eq. 32.
    """
    c = _charged_couplings(y, theta_R, theta_I)[..., 1, :]
    masses = jnp.stack(jnp.broadcast_arrays(*_f64(M_H1, M_H2, M_A1, M_A2)), -1)
    cs, cp = chiral_to_sp(0.0, c)
    return jnp.sum(g2_neutral_scalar(constants.M_MU, jnp.asarray(M_E, jnp.float64)[..., None],
                                     masses, cs, cp), -1)


def delta_a_mu_paper_eq32(y_mu_sq_sum, M_E):
    """Eq. 32 as printed: m_μ² Σ|y_μa|²/(24π² M_E²)."""
    s, M_E = _f64(y_mu_sq_sum, M_E)
    return constants.M_MU**2 * s / (24.0 * math.pi**2 * M_E**2)


# ------------------------------------------------------------------ Borexino recast
def _recast_window():
    v = experiments.get("borexino_2017_be7_recast_window").values
    t_min = float(v["T_min_keV"]) * 1e-6
    e_nu = float(v["E_nu_keV"]) * 1e-6
    t_max = 2.0 * e_nu**2 / (constants.M_E + 2.0 * e_nu)
    return t_min, t_max, e_nu


def _g1(r):
    """∫₀^r ρ/(1+ρ)² dρ = ln(1+r) + 1/(1+r) − 1 (series below r = 0.05)."""
    small = r < 0.05
    rs = jnp.where(small, 0.1, r)
    closed = jnp.log1p(rs) + 1.0 / (1.0 + rs) - 1.0
    k = np.arange(1, 16)
    r_ser = jnp.where(small, r, 0.0)[..., None]  # double-where: no overflow in the unused branch
    series = jnp.sum(((-1.0) ** (k - 1) * k / (k + 1)) * r_ser ** (k + 1), -1)
    return jnp.where(small, series, closed)


def _g2(r):
    """∫₀^r ρ²/(1+ρ)² dρ = r − 2 ln(1+r) − 1/(1+r) + 1 (series below r = 0.05)."""
    small = r < 0.05
    rs = jnp.where(small, 0.1, r)
    closed = rs - 2.0 * jnp.log1p(rs) - 1.0 / (1.0 + rs) + 1.0
    k = np.arange(1, 16)
    r_ser = jnp.where(small, r, 0.0)[..., None]
    series = jnp.sum(((-1.0) ** (k - 1) * k / (k + 2)) * r_ser ** (k + 2), -1)
    return jnp.where(small, series, closed)


def borexino_recast_factor(m_Aprime):
    r"""R(m_A′) = ∫(1/T − 1/E)𝓕² dT / ∫(1/T − 1/E) dT over [T_min, T_max] (eqs. 33–34).

    𝓕 = 2m_eT/(2m_eT + m_A′²) = T/(T + c), c = m_A′²/2m_e.  With r = T/c:
    ∫ dT 𝓕²/T = g₁(r₂) − g₁(r₁), ∫ dT 𝓕² = c [g₂(r₂) − g₂(r₁)] (closed forms, series at
    small r so that the heavy-A′ limit R ≈ ⟨…⟩ (2m_eT/m_A′²)² keeps every digit).
    R → 1 as m_A′ → 0 (c is floored at 1e-30 T_min, double-where), differentiable.
    """
    t1, t2, e = _recast_window()
    m = jnp.asarray(m_Aprime, dtype=jnp.float64)
    c = jnp.maximum(m * m / (2.0 * constants.M_E), 1e-30 * t1)
    r1, r2 = t1 / c, t2 / c
    i_inv_t = _g1(r2) - _g1(r1)
    i_one = c * (_g2(r2) - _g2(r1))
    i0 = math.log(t2 / t1) - (t2 - t1) / e
    return (i_inv_t - i_one / e) / i0


def borexino_mu_limit(m_Aprime):
    r"""Recast Borexino limit on μ_eff [μ_B] for an A′ of mass ``m_Aprime`` [GeV] (eq. 33).

    μ_lim(m) = μ_Borexino / √R(m), μ_Borexino = registry ``borexino_2017_mu_nu``
    (2.8e-11 μ_B, 90% CL, massless photon), window ``borexino_2017_be7_recast_window``.
    """
    return experiments.get("borexino_2017_mu_nu").limit / jnp.sqrt(borexino_recast_factor(m_Aprime))


# ------------------------------------------------------------------ dark photon limits
def epsilon_limit(m_Aprime, invisible):
    """Upper limit on ε at ``m_Aprime`` [GeV]: the minimum over the registry curves.

    ``invisible`` (bool array): A′ decays to dark states → NA64 2023, NA64 2019,
    BaBar 2017 (invisible); otherwise the visible (e⁺e⁻, μ⁺μ⁻, ππ) searches NA48/2
    2015, BaBar 2014, KLOE 2018.  +inf where no curve applies (outside ranges;
    note that beam-dump limits on long-lived visible A′ are not in the registry).
    """
    m = jnp.asarray(m_Aprime, dtype=jnp.float64)
    inv = functools.reduce(jnp.minimum, [experiments.curve(n)(m) for n in INVISIBLE_CURVES])
    vis = functools.reduce(jnp.minimum, [experiments.curve(n)(m) for n in VISIBLE_CURVES])
    return jnp.where(invisible, inv, vis)


def invisible_open(m_Aprime, M1, M2, M_H1, M_H2, M_A1, M_A2):
    """A′ → dark states kinematically open: m_A′ > |M₁| + |M₂| (N₁N₂, eq. 12) or > min(M_H + M_A)."""
    m, M1, M2, h1, h2, a1, a2 = _f64(m_Aprime, M1, M2, M_H1, M_H2, M_A1, M_A2)
    pair = jnp.minimum(jnp.minimum(h1 + a1, h1 + a2), jnp.minimum(h2 + a1, h2 + a2))
    return (m > jnp.abs(M1) + jnp.abs(M2)) | (m > pair)


# ------------------------------------------------------------------ model
def observables(theta):
    """All observables of the model (pure, vmap-able).  Moments in μ_B, δm in eV.

    μ → eγ is not here: the dipoles go to the constraints library (``couplings``,
    section ``lepton_dipole``), which adds ``lfv_br_mu_e_gamma`` and its limits.
    """
    y = yukawa_matrix(theta)
    M1, M2 = heavy_masses(theta["m_maj"], theta["m_dirac"])
    scal = [theta[k] for k in ("M_H1", "M_H2", "M_A1", "M_A2")]
    lam = transition_moments(theta["g_D"], theta["Q_S"], y, M1, M2, *scal, theta["theta_R"], theta["theta_I"])
    mus = jnp.stack([jnp.abs(lam[..., i, j]) for i, j in _pairs()], -1)
    mu_max = jnp.max(mus, -1)
    eps = jnp.asarray(theta["epsilon"], dtype=jnp.float64)
    m_ap = jnp.asarray(theta["m_Aprime"], dtype=jnp.float64)
    mu_eff = eps * mu_eff_solar(lam)
    inv = invisible_open(m_ap, M1, M2, *scal)
    zero = jnp.zeros_like(eps)
    return {
        "mu_12": mus[..., 0], "mu_13": mus[..., 1], "mu_23": mus[..., 2], "mu_max": mu_max,
        "mu_eff": mu_eff,
        "mu_eff_borexino": mu_eff * jnp.sqrt(borexino_recast_factor(m_ap)),
        "delta_m_nu_loop": delta_m_nu_loop_ev(y, M1, M2, *scal, theta["theta_R"], theta["theta_I"]),
        "delta_a_mu": delta_a_mu(y, theta["M_E"], *scal, theta["theta_R"], theta["theta_I"]),
        "epsilon_invisible": jnp.where(inv, eps, zero),
        "epsilon_visible": jnp.where(inv, zero, eps),
        "m_Aprime": m_ap + zero,
        "y_abs_max": jnp.max(jnp.abs(y), axis=(-2, -1)),
        "invisible": inv.astype(jnp.float64),
    }


_UNITS = {"mu_12": "mu_B", "mu_13": "mu_B", "mu_23": "mu_B", "mu_max": "mu_B", "mu_eff": "mu_B",
          "mu_eff_borexino": "mu_B", "delta_m_nu_loop": "eV", "delta_a_mu": "1",
          "epsilon_invisible": "1", "epsilon_visible": "1", "m_Aprime": "GeV", "y_abs_max": "1",
          "invisible": "1"}

_P = Parameter


def _yukawa_latex(al, a, part):
    flav = "e" if al == "e" else r"\mu"
    return (r"\mathrm{Re}\," if part == "re" else r"\mathrm{Im}\,") + f"y_{{{flav}{a}}}"


_PARAMETERS = (
    _P("g_D", "1", r"g_D", Prior.log_uniform(1e-3, 1.0), (0.0, 4.0 * math.pi), "U(1)_D gauge coupling"),
    _P("Q_S", "1", r"Q_S^D", Prior.fixed(1.0), (-10.0, 10.0), "dark charge of the scalars (magnitude 1)"),
    _P("epsilon", "1", r"\epsilon", Prior.log_uniform(1e-7, 1e-2), (0.0, 1.0), "kinetic mixing"),
    _P("m_Aprime", "GeV", r"m_{A'}", Prior.log_uniform(1e-3, 1.0), (0.0, math.inf), "dark photon mass"),
    _P("m_maj", "GeV", r"m", Prior.fixed(0.1), (0.0, math.inf), "Majorana mass of N (eq. 6)"),
    _P("m_dirac", "GeV", r"m_D", Prior.fixed(0.0), (0.0, math.inf), "Dirac mass of N; M_{1,2} = m ∓ m_D"),
    _P("M_E", "GeV", r"M_E", Prior.uniform(1500.0, 4000.0), (0.0, math.inf), "vector-like charged lepton"),
    _P("M_H1", "GeV", r"M_{H_1}", Prior.uniform(0.2, 0.4), (0.0, math.inf), "CP-even scalar 1"),
    _P("M_H2", "GeV", r"M_{H_2}", Prior.uniform(0.2, 0.4), (0.0, math.inf), "CP-even scalar 2"),
    _P("M_A1", "GeV", r"M_{A_1}", Prior.uniform(0.2, 0.4), (0.0, math.inf), "CP-odd scalar 1"),
    _P("M_A2", "GeV", r"M_{A_2}", Prior.uniform(0.2, 0.4), (0.0, math.inf), "CP-odd scalar 2"),
    _P("theta_R", "rad", r"\theta_R", Prior.uniform(0.0, math.pi), (-math.inf, math.inf), "CP-even mixing angle"),
    _P("theta_I", "rad", r"\theta_I", Prior.uniform(0.0, math.pi), (-math.inf, math.inf), "CP-odd mixing angle"),
) + tuple(
    _P(f"y_{al}{a}_{part}", "1", _yukawa_latex(al, a, part), Prior.uniform(-2.0, 2.0),
       (-math.inf, math.inf), f"{part} part of y_{al}{a}")
    for al in ("e", "mu") for a in (1, 2) for part in ("re", "im")
)

_CONSTRAINTS = (
    # μ → eγ (MEG II 2025 default, 2024 for the paper set): the library's lfv_dipole family
    # (meg2_mu_e_gamma, meg2_2024_mu_e_gamma) from the ``lepton_dipole`` section of ``couplings``
    Constraint("radiative_nu_mass", "delta_m_nu_loop", "upper", limit=M_NU_MAX_EV,
               source=_NUFIT.source, year=_NUFIT.year,
               note=f"naturalness: the loop's Majorana mass max|δm_αγ| (flavour basis) must not exceed "
                    f"the heaviest-neutrino scale √|Δm²₃ℓ| = {M_NU_MAX_EV:.4f} eV (NuFIT 6.0 NO, "
                    "nufit_6_0_normal): a larger loop mass needs a tree-level cancellation to reproduce "
                    "the oscillation data"),
    # the paper's switch between invisible and visible curves; superseded by the constraints
    # library, which weights every search by the A′ branching fractions (see ``couplings``)
    *(Constraint(n.replace("_dark_photon", ""), "epsilon_invisible", "curve", entry=n, mass="m_Aprime",
                 default=False, note="[paper set, superseded by the constraints library]")
      for n in INVISIBLE_CURVES),
    *(Constraint(n.replace("_dark_photon", ""), "epsilon_visible", "curve", entry=n, mass="m_Aprime",
                 default=False, note="[paper set, superseded by the constraints library]")
      for n in VISIBLE_CURVES),
    Constraint("borexino", "mu_eff_borexino", "upper", entry="borexino_2017_mu_nu",
               note="μ_eff × √R(m_A′) is the equivalent massless-photon moment (eq. 33)"),
    Constraint("perturbativity", "y_abs_max", "upper", limit=PERTURBATIVE_YUKAWA,
               note="|y_αa| ≤ √(4π) (perturbative unitarity estimate)"),
)

_BENCH = dict(g_D=0.5, Q_S=1.0, epsilon=1e-5, m_Aprime=0.3, m_maj=0.1, m_dirac=0.0, M_E=2000.0,
              M_H1=0.3, M_H2=0.4, M_A1=0.3, M_A2=0.4, theta_R=math.pi / 4, theta_I=0.0,
              y_e1_re=0.086, y_e1_im=0.0, y_e2_re=0.0, y_e2_im=0.0,
              y_mu1_re=0.0, y_mu1_im=0.0, y_mu2_re=0.0, y_mu2_im=0.086)

def couplings(theta, obs):
    r"""The model's couplings in the generic sections of :mod:`jaxg2.constraints`.

    ``light_vector``: the A′ couples to the electromagnetic current through ε
    (g_f = ε e Q_f) and decays invisibly to N₁N₂, H_kA_m and ν_iν_j with the widths of
    :mod:`jaxg2.models.dark_tmm_decays`, so visible and invisible searches are weighted
    by branching fractions instead of the ``invisible`` switch (the model's own
    ``epsilon_visible``/``epsilon_invisible`` curve constraints keep the paper's switch
    and are off by default).  The transition moments are *dark* moments (they couple to
    A′, not to the photon): the ν–e signal needs the A′ propagator at each detector's
    q², so they are not passed as photon moments (``nu_moments``); the Borexino recast
    of eq. 33 (:func:`borexino_recast_factor`) stays the model's own constraint.

    ``fermion_doublets``: Ψ = (N, E) with Dirac masses M_E (E) and m_D (N) and the Majorana
    mass m of N_L and N_R (eq. 6), i.e. the Majorana states of signed masses
    M₁,₂ = m ∓ m_D of :func:`heavy_masses`.  The library gives ΔN_ν from Z → N₁N₂ (≈ 2 for
    the sub-GeV N of the benchmarks: excluded by the LEP N_ν) and S, T.  M_E ≠ m_D and the
    Majorana masses break SU(2)_L explicitly (discrepancy 8), so T carries a UV logarithm;
    the library's value (MS-bar at μ = M_E) is the smallest natural one, T ≈ M_E²/(8π² α v²)
    ≈ 107 at M_E = 2 TeV — far outside the electroweak fit.

    ``lepton_dipole``: the μ → eγ dipoles of the E–Φ loops (:func:`lepton_dipoles`),
    so MEG II (``meg2_mu_e_gamma``), μ → 3e and μ → e conversion come from the library.
    """
    from ..constraints import dark_photon_couplings
    from . import dark_tmm_decays as dec

    m_ap = obs["m_Aprime"]
    M1, M2 = heavy_masses(theta["m_maj"], theta["m_dirac"])
    mus = jnp.stack([obs["mu_12"], obs["mu_13"], obs["mu_23"]], -1) / _MU_B_PER_GEV_INV
    inv = (dec.width_n1n2(theta["g_D"], m_ap, jnp.abs(M1), jnp.abs(M2))
           + dec.width_scalars(theta["g_D"], theta["Q_S"], theta["theta_R"], theta["theta_I"], m_ap,
                               theta["M_H1"], theta["M_H2"], theta["M_A1"], theta["M_A2"])
           + dec.width_nunu(mus, m_ap))
    sl, sr = lepton_dipoles(yukawa_matrix(theta), theta["M_E"], theta["M_H1"], theta["M_H2"], theta["M_A1"],
                            theta["M_A2"], theta["theta_R"], theta["theta_I"])
    return {"light_vector": {"mass": m_ap, "invisible_width": inv,
                             **dark_photon_couplings(jnp.asarray(theta["epsilon"], dtype=jnp.float64))},
            "fermion_doublets": {k: jnp.asarray(theta[n], dtype=jnp.float64)[..., None]
                                 for k, n in (("m_charged", "M_E"), ("m_neutral", "m_dirac"),
                                              ("m_majorana", "m_maj"))},
            "lepton_dipole": {"sigma_l": sl, "sigma_r": sr}}


def _derived_m_dirac(theta):
    """m_D = M_E: the one Dirac mass of a vector-like doublet Ψ = (N, E) (gauge invariance,
    discrepancy 8); the Majorana m then only splits N into M₁,₂ = m ∓ M_E, and the doublet's
    T (∝ m²) and the Z width stay SM-like.  ``m_dirac = { prior = "derived" }`` in a config."""
    return jnp.asarray(theta["M_E"], dtype=jnp.float64)


MODEL = Model(
    name="dark_tmm",
    description="Dark transition magnetic moments of Majorana neutrinos via a kinetically mixed dark photon",
    reference=REFERENCE,
    parameters=_PARAMETERS,
    observables=observables,
    units=_UNITS,
    constraints=_CONSTRAINTS,
    benchmarks={"fig7": _BENCH},
    signal="delta_a_mu",
    couplings=couplings,
    coupling_sections=("light_vector", "fermion_doublets", "lepton_dipole"),
    derived={"m_dirac": _derived_m_dirac},
)


# ------------------------------------------------------------------ joint bound
def _unpack(z, mass_box):
    """Search variables z (…, 14) → (y, M_H1, M_H2, M_A1, M_A2, θ_R, θ_I).

    The Yukawa matrix is written through its electron row r_e = (a, b) and the
    muon row r_μ = α r_e^⊥/|r_e| + β r_e/|r_e| with r_e^⊥ = (−b*, a*): a bijective
    change of variables (for r_e ≠ 0) in which det y = α|r_e| and
    (y y†)_eμ = β*|r_e| — so the thin region allowed by MEG II is a coordinate
    direction.  a, b, α, β are log-polar (|·| = e^{z_k}, phase z_{k+1}), so that
    log BR and log μ are nearly linear in z: a well-conditioned search.  Scalar masses
    are mapped into ``mass_box`` by a sigmoid; angles are free.
    """
    a, b, alpha, beta = (jnp.exp(z[..., k] + 1j * z[..., k + 1]) for k in (0, 2, 4, 6))
    r = jnp.sqrt(jnp.abs(a) ** 2 + jnp.abs(b) ** 2)
    mu1 = (-alpha * jnp.conj(b) + beta * a) / r
    mu2 = (alpha * jnp.conj(a) + beta * b) / r
    y = jnp.stack([jnp.stack([a, b], -1), jnp.stack([mu1, mu2], -1)], -2)
    lo, hi = mass_box
    ms = lo + (hi - lo) * jax.nn.sigmoid(z[..., 8:12])
    return y, ms[..., 0], ms[..., 1], ms[..., 2], ms[..., 3], z[..., 12], z[..., 13]


def maximise_transition_moment(key, *, m_Aprime, g_D=0.5, Q_S=1.0, m_maj=0.1, m_dirac=0.0,
                               M_E=2000.0, mass_box=(0.2, 0.4), y_max=PERTURBATIVE_YUKAWA,
                               br_entry="meg2_2024_mu_e_gamma", dm_max_ev=M_NU_MAX_EV, assume_invisible=True,
                               num_starts=8, num_steps=400, learning_rate=0.3, width=0.05):
    r"""Maximise μ_eff = ε_max(m_A′) · μ_eff,solar at each m_A′ (optax Adam, multi-start).

    μ_eff,solar = (Σ_i |U_ei|² Σ_j |λ_ij|²)^½ (:func:`mu_eff_solar`, what Borexino sees).
    Free: the complex 2×2 Yukawas (see :func:`_unpack`), the four scalar masses (in
    ``mass_box`` [GeV]) and θ_R, θ_I; fixed: g_D, Q_S, m, m_D, M_E.  Constraints:

    * MEG II (registry ``br_entry``), the radiative ν mass max|δm_αγ| ≤ ``dm_max_ev``
      (:func:`radiative_neutrino_mass`; ``None`` switches it off, the paper's setting)
      and perturbativity |y_αa| ≤ ``y_max``: smooth penalties
      (:func:`jaxg2.likelihood.upper_limit_smooth`, relative ``width``, centred at ½ of
      each limit) during the search, *hard* at the end; the final points are scaled
      along the exact symmetry y → s y (μ, δm ∝ s², BR ∝ s⁴) onto the first limit they
      reach;
    * dark photon: ε at its upper limit ε_max(m_A′) (μ_eff is linear in ε), from the
      invisible curves if ``assume_invisible`` (the paper's Fig. 7 choice), else
      from :func:`invisible_open` at each point (visible curves below threshold).

    Vectorised over ``m_Aprime`` (1-D) and ``num_starts`` starts (vmap of vmap,
    one jit).  The search uses the compact ΔK rule and the F̃₂ form of μ → eγ;
    the final points are re-evaluated with the graded rule and the exact dipole.

    Returns a dict of arrays over m_A′: ``mu_eff`` (best feasible, μ_B; −inf if
    no start is feasible *or no ε limit in the registry applies at that m_A′* — e.g.
    a visible A′ outside the prompt-search ranges, where ε is unbounded here),
    ``mu_ij`` (max_ij μ_ij), ``mu_solar``, ``epsilon``, ``br``, ``dm_ev``, ``y_abs_max``,
    ``n_feasible`` and the best parameters.
    """
    import optax

    m_ap = jnp.atleast_1d(jnp.asarray(m_Aprime, dtype=jnp.float64))
    mass_box = (float(mass_box[0]), float(mass_box[1]))
    br_limit = experiments.get(br_entry).limit
    dm_limit = math.inf if dm_max_ev is None else float(dm_max_ev)
    M1, M2 = heavy_masses(m_maj, m_dirac)

    def pieces(y, h1, h2, a1, a2, tr, ti, m, fast):
        lam = transition_moments(g_D, Q_S, y, M1, M2, h1, h2, a1, a2, tr, ti,
                                 rule="compact" if fast else "graded")
        mu = jnp.max(jnp.stack([jnp.abs(lam[..., i, j]) for i, j in _pairs()], -1), -1)
        inv = jnp.asarray(True) if assume_invisible else invisible_open(m, M1, M2, h1, h2, a1, a2)
        eps = epsilon_limit(m, inv)
        br = br_mu_e_gamma(y, M_E, h1, h2, a1, a2, tr, ti, method="f2" if fast else "exact")
        dm = delta_m_nu_loop_ev(y, M1, M2, h1, h2, a1, a2, tr, ti)
        return mu_eff_solar(lam), mu, eps, br, dm

    def loss(z, m):
        y, *rest = _unpack(z, mass_box)
        mu, _, eps, br, dm = pieces(y, *rest, m, True)
        eps = jnp.where(jnp.isfinite(eps), eps, 1.0)
        pen = (likelihood.upper_limit_smooth(br, 0.5 * br_limit, width)
               + likelihood.upper_limit_smooth(dm, 0.5 * dm_limit, width)
               + jnp.sum(likelihood.upper_limit_smooth(jnp.abs(y), y_max, width)))
        return -(jnp.log(mu) + jnp.log(eps)) - pen

    # element-wise clipping first: the penalties' gradients at a random start are ~1e4, and
    # Adam's second-moment memory (β₂ = 0.999) would otherwise freeze those coordinates
    opt = optax.chain(optax.clip(1.0),
                      optax.adam(optax.cosine_decay_schedule(learning_rate, num_steps, alpha=1e-2)))

    def run(z0, m):
        def step(carry, _):
            z, s = carry
            upd, s = opt.update(jax.grad(loss)(z, m), s, z)
            return (optax.apply_updates(z, upd), s), None

        (z, _), _ = jax.lax.scan(step, (z0, opt.init(z0)), None, length=num_steps)
        return z

    def final(z, m):
        y, *rest = _unpack(z, mass_box)
        _, _, _, br0, dm0 = pieces(y, *rest, m, False)
        scale = jnp.minimum(jnp.minimum(y_max / jnp.max(jnp.abs(y)), (br_limit / br0) ** 0.25),
                            jnp.sqrt(dm_limit / dm0)) * (1.0 - 1e-12)
        y = scale * y
        mu_s, mu, eps, br, dm = pieces(y, *rest, m, False)
        return mu_s, mu, eps, br, dm, y, rest

    z0 = jax.random.normal(key, (m_ap.shape[0], num_starts, 14))
    z = jax.jit(jax.vmap(jax.vmap(run, in_axes=(0, None)), in_axes=(0, 0)))(z0, m_ap)
    mu_s, mu, eps, br, dm, y, rest = jax.jit(jax.vmap(jax.vmap(final, in_axes=(0, None))))(z, m_ap)
    y_abs = jnp.max(jnp.abs(y), axis=(-2, -1))
    feasible = ((br <= br_limit) & (dm <= dm_limit) & (y_abs <= y_max * (1 + 1e-12)) & jnp.isfinite(eps)
                & jnp.isfinite(mu_s))
    val = jnp.where(feasible, mu_s * eps, -jnp.inf)
    best = jnp.argmax(val, axis=1)
    take = lambda a: jnp.take_along_axis(a, best.reshape((-1,) + (1,) * (a.ndim - 1)), axis=1)[:, 0]  # noqa: E731
    out = {"m_Aprime": m_ap, "mu_eff": take(val), "mu_ij": take(mu), "mu_solar": take(mu_s),
           "epsilon": take(eps), "br": take(br), "dm_ev": take(dm), "y_abs_max": take(y_abs),
           "n_feasible": jnp.sum(feasible, axis=1), "y": take(y)}
    for k, v in zip(("M_H1", "M_H2", "M_A1", "M_A2", "theta_R", "theta_I"), rest):
        out[k] = take(v)
    return out


def tuned_moment_bound(*, g_D=0.5, Q_S=1.0, m_maj=0.1, mass_box=(0.2, 0.4), y_max=PERTURBATIVE_YUKAWA,
                       dm_max_ev=M_NU_MAX_EV, br_entry="meg2_2024_mu_e_gamma", M_E=2000.0,
                       num_spectra=400, seed=0):
    r"""Supremum of μ_eff,solar under the radiative ν mass, reached on the fine-tuned surface det X = 0.

    With m_D = 0, δm = (m/16π²) (y X yᵀ)* with the real symmetric X = O diag f(m_Φ²/m²) Oᵀ
    (:func:`radiative_neutrino_mass`).  Write X = V diag(σ₁, σ₂) Vᵀ and y = z Vᵀ: then
    y X yᵀ = σ₁ z₁z₁ᵀ + σ₂ z₂z₂ᵀ (columns z_k) and det y = ±det z.  Generic spectra give
    max|δm| ≳ (m/16π²) |det y| √(|σ₁σ₂|/2), so μ ∝ |det y| is capped at a fixed ratio to δm
    (what :func:`maximise_transition_moment` finds).  On the surface det X = 0 (σ₂ = 0, one
    ν combination massless at one loop) the cap is lifted: z = diag-like with
    z₁ = ε e₁, z₂ = y_max e₂, ε² = δm_max 16π²/(m|σ₁|), gives μ ∝ ε y_max.  This routine
    samples ``num_spectra`` random (H₁, H₂, A₁, θ_R, θ_I) in the box, solves det X = 0 for
    A₂ in the box (scipy ``brentq``), builds that y and keeps the largest μ_eff,solar that
    passes δm, MEG II and perturbativity (all re-evaluated with the model's functions).
    Numpy/scipy, not differentiable; m_D = 0 only.  The tuning it needs is
    |σ₂/σ₁| ≲ δm_max 16π²/(m |σ₁| y_max²) (~3e-8 at the Fig. 7 masses).

    Returns a dict: ``mu_solar``, ``mu_ij`` (max) [μ_B], ``dm_ev``, ``br``, ``sigma`` (σ₁, σ₂),
    ``tuning`` (|σ₂/σ₁| needed), ``y`` and the masses/angles of the best point.
    """
    from scipy.optimize import brentq

    rng = np.random.default_rng(seed)
    lo, hi = float(mass_box[0]), float(mass_box[1])
    br_limit = experiments.get(br_entry).limit
    pref = float(m_maj) / (16.0 * math.pi**2)
    dm_gev = float(dm_max_ev) * 1e-9
    M1, M2 = heavy_masses(m_maj, 0.0)

    def xmat(ms, tr, ti):
        O = np.asarray(scalar_mixing(tr, ti))
        f = np.asarray(xlogx_over_xm1(np.asarray(ms) ** 2 / float(m_maj) ** 2))
        return np.real(O @ np.diag(f) @ O.T)

    best = {"mu_solar": 0.0}
    grid = np.linspace(lo, hi, 41)
    for _ in range(int(num_spectra)):
        h1, h2, a1 = rng.uniform(lo, hi, 3)
        tr, ti = rng.uniform(0.0, math.pi, 2)
        det = [np.linalg.det(xmat((h1, h2, a1, a), tr, ti)) for a in grid]
        for k in range(len(grid) - 1):
            if det[k] * det[k + 1] >= 0.0:
                continue
            a2 = brentq(lambda a: np.linalg.det(xmat((h1, h2, a1, a), tr, ti)), grid[k], grid[k + 1],
                        xtol=1e-16, rtol=1e-15)
            sig, V = np.linalg.eigh(xmat((h1, h2, a1, a2), tr, ti))
            i1 = int(np.argmax(np.abs(sig)))
            z = np.zeros((2, 2))
            z[0, i1] = math.sqrt(dm_gev / (pref * abs(sig[i1])))
            z[1, 1 - i1] = min(y_max, math.sqrt(dm_gev / (pref * max(abs(sig[1 - i1]), 1e-300))))
            y = jnp.asarray(z @ V.T, dtype=jnp.complex128) * (1.0 - 1e-9)
            ms = (h1, h2, a1, a2)
            lam = transition_moments(g_D, Q_S, y, M1, M2, *ms, tr, ti)
            mu_s = float(mu_eff_solar(lam))
            dm = float(delta_m_nu_loop_ev(y, M1, M2, *ms, tr, ti))
            br = float(br_mu_e_gamma(y, M_E, *ms, tr, ti))
            ok = dm <= dm_max_ev and br <= br_limit and float(jnp.max(jnp.abs(y))) <= y_max
            if ok and mu_s > best["mu_solar"]:
                mu_ij = float(jnp.max(jnp.abs(lam)))
                best = {"mu_solar": mu_s, "mu_ij": mu_ij, "dm_ev": dm, "br": br, "sigma": sig, "y": np.asarray(y),
                        "tuning": dm_gev / (pref * abs(sig[i1]) * y_max**2),
                        "M_H1": h1, "M_H2": h2, "M_A1": a1, "M_A2": a2, "theta_R": tr, "theta_I": ti}
    return best


def joint_bound(m_Aprime, g_D, **kwargs):
    """Alias of :func:`maximise_transition_moment` for one g_D (the curve of Fig. 7)."""
    key = kwargs.pop("key", jax.random.PRNGKey(0))
    return maximise_transition_moment(key, m_Aprime=m_Aprime, g_D=g_D, **kwargs)


def joint_bound_from_config(path, fast: bool | None = None):
    """Run the joint bound described by a fit TOML (``fits/dark_tmm_joint.toml``).

    Reads ``[scan] x`` (the m_A′ grid), ``[search]`` (num_starts, num_steps,
    learning_rate), fixed priors in ``[parameters]`` (g_D, m_maj, m_dirac, M_E, Q_S),
    the uniform box of the scalar masses and the magnitude bound of the Yukawas,
    ``[constraints] use`` (which MEG II entry; ``radiative_nu_mass`` on or off; ``width``)
    and ``[fast]`` overrides.
    """
    import os
    import tomllib

    with open(path, "rb") as fh:
        cfg = tomllib.load(fh)
    if fast is None:
        fast = os.environ.get("JAXG2_FAST") == "1"
    search = dict(cfg.get("search", {}))
    grid = dict(cfg["scan"]["x"])
    if fast:
        search.update(cfg.get("fast", {}).get("search", {}))
        grid["num"] = cfg.get("fast", {}).get("scan", {}).get("num", grid["num"])
    if grid.get("log", False):
        m = np.geomspace(grid["low"], grid["high"], grid["num"])
    else:
        m = np.linspace(grid["low"], grid["high"], grid["num"])
    pars = cfg.get("parameters", {})
    fixed = {k: v["value"] for k, v in pars.items() if v.get("prior") == "fixed"}
    box = (pars["M_H1"]["low"], pars["M_H1"]["high"])
    use = cfg.get("constraints", {}).get("use", ["meg2_2024"])
    br_entry = MODEL.constraint(next(u for u in use if u.startswith("meg2"))).entry
    return maximise_transition_moment(
        jax.random.PRNGKey(int(cfg.get("fit", {}).get("seed", 0))), m_Aprime=m,
        g_D=fixed.get("g_D", 0.5), Q_S=fixed.get("Q_S", 1.0), m_maj=fixed.get("m_maj", 0.1),
        m_dirac=fixed.get("m_dirac", 0.0), M_E=fixed.get("M_E", 2000.0), mass_box=box,
        br_entry=br_entry, dm_max_ev=M_NU_MAX_EV if "radiative_nu_mass" in use else None,
        assume_invisible=not any(u.startswith(("na48", "babar2014", "kloe")) for u in use),
        num_starts=int(search.get("num_starts", 8)), num_steps=int(search.get("num_steps", 300)),
        learning_rate=float(search.get("learning_rate", 0.3)),
        width=float(cfg.get("constraints", {}).get("width", 0.05)))
