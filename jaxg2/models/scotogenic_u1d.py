r"""Scotogenic neutrino mass with a dark U(1)_D and the muon g-2 (paper 000).

Reference: A. Dasgupta, S.K. Kang, M. Park, "Neutrino mass and (g−2)_μ with dark U(1)_D
symmetry", arXiv:2104.09205 (paper 000 of the project; scotogenic model with inert doublets η₁, η₂, singlets φ, χ
and a vector-like neutral fermion Ψ_{L,R}; Δa_μ from a kinetically mixed Z′, a light
dark scalar h₂ and the η⁺–N loop; benchmark points BP1, BP2 of Table II).

Conventions (all masses in GeV)
-------------------------------
* v = 246.22 GeV (:data:`jaxg2.constants.HIGGS_VEV`) in the printed mass matrices
  (7) and (16), taken literally; ⟨χ⟩ = v_χ as eq. (6) writes it.
* Z′: m_Z′ = 2√2 g_D v_χ (Q_D(χ) = 2); couples to the electromagnetic current as
  ε e Q Z′_μ (eq. 11), ε from the η₁/η₂ loop (eq. 13).  ε_ZV is dropped (as in the paper).
* h₂: H⁰ ⊃ sin θ h₂ (eq. 8), so L ⊃ −(m_μ/v) sin θ μ̄μ h₂.
* Neutral fermions: M_N = [[y_ΨL v_χ, M_Ψ], [M_Ψ, y_ΨR v_χ]] (eq. 4) in the basis
  (Ψ_L, Ψ_R^c), diagonalised in closed form (signed eigenvalues s ∓ r, Ψ_R weights;
  :func:`~jaxg2.models.scotogenic_u1d_spectrum.psi_r_content`, tested against Takagi).
* Lepton Yukawas — the Lagrangian's structure.  Eq. (4) couples the leptons only through
  y₁ L̄ η̃₁ Ψ_R (the y₂ term with η₂ carries Q_D = −2 with the Table I charges, and η₂ has
  no CP-even/odd splitting at λ_Hη2φχ = 0 anyway).  In the mass basis Ψ_R = Σ_k V_Rk N_k,
  so M_ν = y₁ y₁ᵀ Λ_eff with Λ_eff = Σ_k V_Rk² Λ_k = [Λ(M_N)]_RR, pseudo-Dirac suppressed
  by ~ y_Ψ v_χ/M_Ψ (:func:`~jaxg2.models.scotogenic_u1d_spectrum.effective_loop_factor`),
  and M_ν has rank 1: one massive neutrino, so the model as printed cannot fit Δm²₂₁ and
  Δm²₃₁ together.  ``yukawa`` option of :func:`make_model` (:data:`YUKAWA_STRUCTURES`):

  - ``two_psi`` (default, the minimal extension that fits oscillation data): two copies
    Ψ_a of the vector-like fermion (same M_Ψ, y_ΨL, y_ΨR; a mass difference between the
    copies would only rescale one Yukawa column), each with y_αa L̄ η̃₁ Ψ_aR:
    M_ν = Λ_eff Σ_a y_a y_aᵀ, rank 2 (lightest ν massless), y = U D^{1/2} R(z) Λ_eff^{−1/2}
    (Casas–Ibarra, NuFIT 6.0; R(z) the 3×2 complex orthogonal matrix).  (A second η
    mixing with φ would do as well; it needs two more couplings.)
  - ``one_psi``: the printed Lagrangian, y₁ fixed by the heaviest mass (y₁ = U_{·h}
    (m_h/Λ_eff)^{1/2}); ``m_nu1..3`` then report (0, 0, m₃) (NO).
  - ``free``: a generalisation, not this Lagrangian — both N_k couple with a free 3×2 y,
    M_ν = y diag(Λ_k) yᵀ (the paper's effective Casas–Ibarra use).

  ℓ_α couples to the fermion mass states n with coup_αn = y_αa V_Rk (|V_Rk|² = O_Rk²); the
  g-2 and dipole loops (no N mass insertion) need only these.  Observables: ``lambda_1``,
  ``lambda_2`` (Λ_k of N_k), ``lambda_nu`` (|Λ_eff|; max|Λ_k| for ``free``),
  ``psi_suppression`` = lambda_nu/max|Λ_k|, ``m_nu_unit_yukawa`` = lambda_nu in eV.
* Neutrino masses: Λ_k = M_k/(32π²)[cos²θ_R F(x₁R) + sin²θ_R F(x₂R) − cos²θ_I F(x₁I) − sin²θ_I F(x₂I)]
  (eqs. 18–20 corrected), x_iX = m²_iX/M_k², F(x) = x ln x/(x − 1), computed cancellation-free
  (:func:`~jaxg2.models.scotogenic_u1d_spectrum.loop_factor`).
* Δa_μ (and Δa_e, section ``lepton_g2``) through the generic library :mod:`jaxg2.loops`:
  Z′: ``g2_neutral_vector(m, m, m_Z′, eε, 0)`` (= eq. 24 exactly);
  h₂: ``g2_neutral_scalar(m, m, m_h2, (m/v) sin θ, 0)``;
  η⁺N: ``g2_charged_scalar(m, M_n, m_η1, −coup/2, −coup/2)`` summed over the states n
  (= −Σ_n |coup_μn|² m_μ²/(16π² m_η²) F₂(M_n²/m_η²), Ma–Raidal, for m_μ ≪ m_η).
* LFV: the η⁻ N dipoles (``dipole_charged_scalar`` summed over n, :func:`lepton_dipoles`)
  are passed as the ``lepton_dipole`` section; the constraints library computes
  ``lfv_br_mu_e_gamma`` … ``lfv_br_mu_3e`` and applies MEG II, Belle, BaBar, SINDRUM.
* Validity: outside |y| ≤ √(4π) the Yukawa-driven observables (Δa_μ, Δa_e, the lfv_br_*)
  are flagged invalid (``jaxg2 show``), and so is any lfv_br_* above 1.
* Z′ decays: Γ(Z′→ℓℓ) = α ε² m_Z′ (1 + 2r) √(1 − 4r)/3, r = m_ℓ²/m_Z′² (hadrons neglected:
  exact below 2m_π), plus Γ(Z′ → dark) (:func:`zprime_dark_width`: N N through the
  axial current of the Majorana states, η η*, φ φ* with |Q_D| = 1), passed as
  ``invisible_width`` in the ``light_vector`` section, so the library splits visible and
  invisible limits by branching fractions.  ``eps_visible`` (|ε| when no dark channel is
  open, else 0) is kept for the paper-set visible limits (not default).
* Dark matter (the lightest η₁–φ neutral state, U(1)_D charge 1, and Y = ½): the Z and Z′
  currents connect η_R with η_I only, so scattering on xenon is inelastic and closed if
  δ = m_ηR − m_ηI > μ_Xe v_max²/2 (:func:`dm_splitting_min`, v_max = v_esc + |v_⊙| +
  v_orb of the standard halo, arXiv:2105.00599): ``dm_splitting_ratio`` = δ/δ_min ≥ 1
  (constraint ``dm_splitting``; 371 keV for 500 GeV, 401 keV for 800 GeV).  Where it fails
  the elastic rate is the per-nucleon σ of Z exchange, G_F² μ_n²/(2π)[N − (1 − 4s²)Z]²/A²,
  plus Z′ exchange in the contact limit (``dd_sigma_n_z``, ``dd_sigma_n_zprime``,
  ``dd_sigma_n_elastic``; LZ 2024 curve, constraint ``lz2024_si_elastic``, not default:
  redundant with ``dm_splitting``).  XENONnT: no digitised curve at hand (registry gap
  entry ``xenonnt_dm_si_gap``).  LEP and Z-width limits on the η states: the
  ``scalar_doublets`` section.

Paper discrepancies (derived here, not copied)
-----------------------------------------------
1. Eq. (15), M_N1,2 = ½[y_ΨL v_χ + y_ΨR v_χ ∓ √(M_Ψ² − 4 y_ΨL y_ΨR v_χ²)], is not the
   spectrum of eq. (4): the eigenvalues of [[a, M],[M, b]] are ½[a + b ∓ √((a − b)² + 4M²)]
   (physical masses are their moduli).  We diagonalise the matrix instead.
2. Eq. (19) prefactor: 1/(32π²), not 1/(16π²) (factor 2; each of ξ_R, ξ_I couples
   with y/√2; the same factor-2 slip as Ma 2006, cf. Merle & Platscher, PRD 92 (2015)
   095002).  Under eq. (20) x_i = m_i²/M_N2² must read x_i = m_i²/M_Nk² (one per k).
3. Eq. (21) y = U D_ν^{1/2} R† Λ^{1/2} is dimensionally wrong; the Casas–Ibarra
   solution of M_ν = y Λ yᵀ is y = U D^{1/2} R Λ^{−1/2} (R† of a complex orthogonal R is
   again complex orthogonal, so R vs R† is convention).
4. Eq. (23): the first form, y²s²/(4π²)·(m²/M²)∫x²(2−x)/[…], is twice the generic
   neutral-scalar result for a coupling y s (J–N: 1/(8π²)); the second form,
   y²s²/(4π²)(m²/M²)[ln(M/m) − 7/12], is its heavy-scalar limit and agrees with the
   generic function.  We use the generic function (exact in m_h2; m_h2 ≪ m_μ here).
5. The η–N formula after eq. (24): "−3α³" must be "−3α²", and the prefactor
   m_μ²/m_η² is missing; the bracket is then −F₂(α) (Ma–Raidal), which
   ``g2_charged_scalar`` reproduces.
6. Eq. (9) lacks a factor v in the numerator (not dimensionless).
7. Neutrino-mass claim (Table II): with the printed parameters the η₁–φ mixing is
   θ ~ λ v v_χ/(m_φ² − m_η1²) ~ 1e-7 and the φ_R–φ_I splitting 2μ₁v_χ ~ 1e-8 GeV², so
   |Λ_k| ≈ 1.3e-27 GeV (BP1) and 9.3e-27 GeV (BP2) per N_k, and the Lagrangian's
   Ψ_R-only coupling suppresses the sum further (pseudo-Dirac, Λ_eff ≈ 5.3e-34 GeV and
   1.1e-32 GeV, i.e. ×4e-7 and ×1.2e-6): O(1) Yukawas give m_ν ~ 1e-25 eV, not the
   atmospheric 0.05 eV, and the Yukawas needed are |y| ~ 2e11 (BP1), 5e10 (BP2).  The
   CP-even/odd splitting of the dark-matter η is ~6e-16 eV (BP1), and even the paper's
   requirement "above O(keV)" is too weak: the kinematics on xenon needs δ > 371 keV
   (500 GeV DM) and 401 keV (800 GeV).  Neither claim holds for the Table II points.
8. Table I charges make the Dirac mass M_Ψ Ψ̄_L Ψ_R carry U(1)_D charge −2 (Ψ_L and Ψ_R^c
   are two left-handed fields of charge +1), so eq. (4) needs a χ insertion for gauge
   invariance; the y₂ term L̄ η̃₂ Ψ_L^c carries charge −2; and only η₁ (coupled to Ψ_R)
   mixes with φ, so M_ν has rank 1 (one massive neutrino).  The default here is the
   minimal extension with two copies of Ψ (``yukawa="two_psi"``); the paper's general 3×2
   y is kept as the named generalisation ``yukawa="free"``.
9. BP Z′ masses with eq. (6): 26 MeV (BP1), 139 MeV (BP2); the paper's "≈ 100 MeV"
   matches BP2 only with ⟨χ⟩ = v_χ/√2 (98 MeV).  We follow eq. (6) as printed.
10. Direct detection through Z/Z′ exchange is not discussed beyond the splitting; the
    Z′ → N N, η η* width is not discussed (it is closed at the benchmarks, m_Z′ ≪ M_N).

Table II does not give M_Ψ, y_ΨL, y_ΨR: the benchmarks use M_Ψ = m_η1 (section IV:
m_Ni = m_η1) and y_ΨL = y_ΨR = 0.1; R = R(z = 0) (the paper's "R = 1").
"""

from __future__ import annotations

import math

import jax.numpy as jnp

from .. import constants, experiments, loops
from ..neutrino import casas_ibarra, light_masses, nufit, orthogonal_3x2, pmns_matrix
from ..neutrino.pmns import EV
from . import scotogenic_u1d_spectrum as spectrum
from .base import Constraint, Model, Parameter, Prior, Validity

__all__ = ["MODEL", "make_model", "yukawas", "lepton_sector", "zprime_widths", "zprime_dark_width",
           "dm_splitting_min", "dd_sigma_nucleon", "PERTURBATIVITY", "YUKAWA_STRUCTURES"]

PERTURBATIVITY = math.sqrt(4.0 * math.pi)   # |y| < √(4π) (theory bound)

YUKAWA_STRUCTURES = {
    "two_psi": "minimal extension: two copies Ψ_a (same M_Ψ, y_ΨL, y_ΨR), each with y_αa L̄ η̃₁ Ψ_aR; "
               "M_ν = Λ_eff Σ_a y_a y_aᵀ (rank 2), y from Casas–Ibarra",
    "one_psi": "the Lagrangian of eq. (4) as printed: y₁ L̄ η̃₁ Ψ_R only, M_ν = Λ_eff y₁ y₁ᵀ (rank 1: one "
               "massive neutrino, Δm²_21 cannot be fitted); y₁ fixed to the heaviest mass",
    "free": "generalisation (the paper's effective use, not its Lagrangian): both N_k couple with a free "
            "3×2 y, M_ν = y diag(Λ_k) yᵀ, Casas–Ibarra",
}

_PARAMS = (
    Parameter("g_d", "1", r"g_D", Prior.uniform(0.1, 1.0), (0.0, 4.0), "dark U(1)_D gauge coupling"),
    Parameter("v_chi", "GeV", r"v_\chi", Prior.log_uniform(1e-3, 1.0), (0.0, math.inf), "⟨χ⟩ (eq. 6)"),
    Parameter("mu1", "GeV", r"\mu_1", Prior.log_uniform(1e-9, 1e3), (0.0, math.inf), "trilinear μ₁ χ*φφ"),
    Parameter("m_eta1", "GeV", r"m_{\eta_1}", Prior.log_uniform(1.0, 1000.0), (0.0, math.inf), "η₁ mass (diagonal entry)"),
    Parameter("m_eta2", "GeV", r"m_{\eta_2}", Prior.log_uniform(4.0, 4000.0), (0.0, math.inf), "η₂ mass"),
    Parameter("m_phi", "GeV", r"m_\phi", Prior.log_uniform(5.0, 5000.0), (0.0, math.inf), "φ mass (diagonal entry)"),
    Parameter("lam_hchi", "1", r"\lambda_{H\chi}", Prior.fixed(0.01), (-4.0 * math.pi, 4.0 * math.pi), "H–χ portal"),
    Parameter("lam_chi", "1", r"\lambda_\chi", Prior.fixed(0.001), (0.0, 4.0 * math.pi), "χ quartic"),
    Parameter("lam_heta1phi", "1", r"\lambda_{H\eta_1\phi\chi}", Prior.fixed(0.4), (-4.0 * math.pi, 4.0 * math.pi),
              "H†η₁φ*χ coupling (η₁–φ mixing)"),
    Parameter("m_psi", "GeV", r"M_\Psi", Prior.log_uniform(1.0, 1000.0), (0.0, math.inf), "Ψ Dirac mass"),
    Parameter("y_psi_l", "1", r"y_{\Psi_L}", Prior.fixed(0.1), (-4.0, 4.0), "Majorana Yukawa of Ψ_L"),
    Parameter("y_psi_r", "1", r"y_{\Psi_R}", Prior.fixed(0.1), (-4.0, 4.0), "Majorana Yukawa of Ψ_R"),
    Parameter("z_re", "1", r"\mathrm{Re}\,z", Prior.uniform(-math.pi, math.pi), (-math.inf, math.inf), "Casas–Ibarra angle"),
    Parameter("z_im", "1", r"\mathrm{Im}\,z", Prior.uniform(-2.0, 2.0), (-math.inf, math.inf), "Casas–Ibarra angle"),
    Parameter("alpha21", "rad", r"\alpha_{21}", Prior.fixed(0.0), (-math.inf, math.inf), "Majorana phase"),
    Parameter("alpha31", "rad", r"\alpha_{31}", Prior.fixed(0.0), (-math.inf, math.inf), "Majorana phase"),
)

_BP_COMMON = dict(lam_hchi=0.01, lam_chi=0.001, lam_heta1phi=0.4, y_psi_l=0.1, y_psi_r=0.1,
                  z_re=0.0, z_im=0.0, alpha21=0.0, alpha31=0.0)
BENCHMARKS = {
    "BP1": dict(g_d=0.92, v_chi=0.010, mu1=1.14e-6, m_eta1=500.0, m_eta2=2000.0, m_phi=2500.0,
                m_psi=500.0, **_BP_COMMON),
    "BP2": dict(g_d=0.98, v_chi=0.050, mu1=460.8e-9, m_eta1=800.0, m_eta2=3200.0, m_phi=3600.0,
                m_psi=800.0, **_BP_COMMON),
}


# ---------------------------------------------------------------- Z′ widths


def _beta_sq(m, m_zp):
    """1 − 4m²/m_Z′², floored at 0 (closed channel)."""
    return jnp.maximum(1.0 - 4.0 * m * m / (m_zp * m_zp), 0.0)


def zprime_widths(m_zp, eps):
    """(Γ_ee, Γ_μμ) [GeV] of a dark photon coupled as ε e J_em (tree level):
    Γ = α ε² m (1 + 2r) √(1 − 4r)/3, r = m_ℓ²/m²."""
    out = []
    for m_l in (constants.M_E, constants.M_MU):
        r = m_l**2 / m_zp**2
        b2 = _beta_sq(m_l, m_zp)
        beta = jnp.sqrt(jnp.where(b2 > 0, b2, 1.0))
        out.append(jnp.where(b2 > 0, constants.ALPHA_EM * eps**2 * m_zp * (1.0 + 2.0 * r) * beta / 3.0, 0.0))
    return tuple(out)


def zprime_dark_width(g_d, m_zp, m_majorana, m_complex):
    r"""Γ(Z′ → dark states) [GeV]: Majorana fermions ``m_majorana`` (..., n) and complex
    scalars ``m_complex`` (..., k), every one of U(1)_D charge |Q_D| = 1.

    Majorana: Ψ_L and Ψ_R^c are left-handed Weyl fields of charge +1 each (Table I), so
    the Z′ current g_D Σ n†σ̄n = g_D 𝟙 stays diagonal in the mass basis (N_k = unitary
    rotation of n): Z′ → N_k N_k only, a pure axial coupling of a Majorana pair,
    Γ = g_D² m_Z′ β³/(24π), β² = 1 − 4M_k²/m_Z′² (the Z → νν̄ formula with g_Z/2 → g_D).
    Complex scalar of charge 1: Γ(Z′ → S S*) = g_D² m_Z′ β³/(48π) (η₁⁰ as ξ_R ξ_I, same rate
    for a splitting ≪ m).  β³ = (β²)^{3/2} is C¹ at the threshold (value and slope 0).
    """
    def cube(b2):
        return jnp.where(b2 > 0, jnp.where(b2 > 0, b2, 1.0) ** 1.5, 0.0)

    f = jnp.sum(cube(_beta_sq(m_majorana, m_zp[..., None])), axis=-1) / 24.0
    s = jnp.sum(cube(_beta_sq(m_complex, m_zp[..., None])), axis=-1) / 48.0
    return g_d**2 * m_zp * (f + s) / jnp.pi


# ---------------------------------------------------------------- dark matter


def _halo():
    return experiments.get("shm_2021_halo").values


def dm_v_max():
    """Largest DM speed in the lab [units of c]: v_esc + |v_⊙| + v_orb, v_⊙ = (0, v₀, 0) + v_pec
    (standard halo model of arXiv:2105.00599; the full orbital speed is an upper bound on its
    projection, so δ_min is not underestimated)."""
    h = _halo()
    vx, vy, vz = (float(x) for x in h["v_pec_km_s"])
    v_sun = math.sqrt(vx**2 + (float(h["v0_km_s"]) + vy) ** 2 + vz**2)
    return (float(h["v_esc_km_s"]) + v_sun + float(h["v_orbit_km_s"])) * constants.KM_S_TO_C


def _xenon():
    from ..constraints._nuclear import ATOMIC_MASS_UNIT_GEV

    x = experiments.get("xenon_target").values
    return float(x["mass_number"]), float(x["charge_number"]), float(x["mass_number"]) * ATOMIC_MASS_UNIT_GEV


def dm_splitting_min(m_dm):
    r"""Smallest splitting δ [GeV] for which inelastic scattering χ N → χ′ N on xenon is
    kinematically closed: in the CM frame the available kinetic energy is μ v²/2, so
    δ > μ v_max²/2 with μ = m_χ m_Xe/(m_χ + m_Xe) and v_max of :func:`dm_v_max`."""
    _, _, m_xe = _xenon()
    mu = m_dm * m_xe / (m_dm + m_xe)
    return 0.5 * mu * dm_v_max() ** 2


def dd_sigma_nucleon(m_dm, f_p, f_n):
    r"""Per-nucleon cross section [cm²] on xenon, in the convention of the experiments
    (isospin-conserving normalisation): a complex scalar with vector-current couplings
    L ⊃ f_N (i χ*∂_μχ + h.c.) N̄γ^μN (f in GeV⁻²) has σ_N = μ_N² f_N²/π, and the
    xenon rate is quoted as σ_n^eff = (μ_n²/π) [Z f_p + (A − Z) f_n]²/A²."""
    from ..constraints._nuclear import ATOMIC_MASS_UNIT_GEV

    a, z, _ = _xenon()
    mu_n = m_dm * ATOMIC_MASS_UNIT_GEV / (m_dm + ATOMIC_MASS_UNIT_GEV)
    return mu_n**2 / jnp.pi * ((z * f_p + (a - z) * f_n) / a) ** 2 * constants.GEV_INV2_TO_CM2


def _dd_couplings(g_d, eps, m_zp):
    r"""(f_p, f_n) [GeV⁻²] of Z and Z′ exchange for the η₁⁰ current in the elastic limit.

    Z: η₁ is a Y = ½ doublet, its neutral member couples as (g/2c_W)(iη*∂η + h.c.)Z and
    the nucleons through the vector charges (g/c_W)(T₃/2 − Q s_W²) (u: ¼ − ⅔s², d: −¼ + ⅓s²),
    so f_n^Z = −g²/(8c_W² m_Z²) = −G_F/√2 and f_p^Z = (G_F/√2)(1 − 4s_W²) (s_W² in MS-bar).
    Z′: DM charge |Q_D| = 1 (g_D), proton ε e: f_p^Z′ = g_D ε e/m_Z′² (contact limit, valid
    for m_Z′ ≫ q ~ 50–100 MeV only: it overestimates a light-Z′ rate), f_n^Z′ = 0."""
    gf = constants.G_FERMI / math.sqrt(2.0)
    s2 = constants.SIN2_THETA_W_MSBAR_MZ
    fz = (gf * (1.0 - 4.0 * s2), -gf)
    fzp = (g_d * jnp.abs(eps) * constants.E_EM / m_zp**2, 0.0)
    return fz, fzp


# ---------------------------------------------------------------- Yukawas


def yukawas(theta, lam, ordering: str = "normal"):
    """Casas–Ibarra Yukawas y (…, 3, 2) for loop factors ``lam`` (…, 2) [GeV]."""
    p = nufit(ordering)
    U = pmns_matrix(p["sin2_theta12"], p["sin2_theta13"], p["sin2_theta23"], p["delta_cp"],
                    theta["alpha21"], theta["alpha31"])
    m_light = light_masses(jnp.zeros_like(jnp.asarray(theta["z_re"], dtype=jnp.float64)), ordering) * EV
    R = orthogonal_3x2(theta["z_re"] + 1j * theta["z_im"], ordering)
    return casas_ibarra(U, m_light, lam, R), m_light


def _rank_one_yukawa(theta, lam_eff, ordering):
    """y₁ (…, 3, 1) with Λ_eff y₁ y₁ᵀ = m_h u_h u_hᵀ (u_h the PMNS column of the heaviest
    mass: ν₃ for NO, ν₂ for IO) and the rank-1 light masses (…, 3)."""
    p = nufit(ordering)
    U = pmns_matrix(p["sin2_theta12"], p["sin2_theta13"], p["sin2_theta23"], p["delta_cp"],
                    theta["alpha21"], theta["alpha31"])
    m_light = light_masses(jnp.zeros_like(jnp.asarray(theta["z_re"], dtype=jnp.float64)), ordering) * EV
    h = 2 if ordering == "normal" else 1
    e_h = jnp.zeros(3).at[h].set(1.0)
    m_light = m_light * e_h
    R = jnp.broadcast_to(e_h[:, None], m_light.shape[:-1] + (3, 1))
    return casas_ibarra(U, m_light, lam_eff[..., None], R), m_light


def lepton_sector(th, ordering: str = "normal", yukawa: str = "two_psi"):
    """The neutral-fermion / inert-scalar sector: N masses, loop factors, Yukawas and the
    couplings ``coup`` (…, 3, n) of ℓ_α to the n fermion mass states through η₁⁻
    (L ⊃ −coup_αn ℓ̄_α η₁⁻ P_R N_n + h.c.), with their masses ``m_f`` (…, n)."""
    if yukawa not in YUKAWA_STRUCTURES:
        raise ValueError(f"yukawa must be one of {sorted(YUKAWA_STRUCTURES)}, not {yukawa!r}")
    v_chi = th["v_chi"]
    spec = spectrum.inert_neutral_spectrum(th["m_eta1"], th["m_phi"], th["mu1"], v_chi, th["lam_heta1phi"])
    lam_signed, w, _ = spectrum.psi_r_content(th["m_psi"], th["y_psi_l"], th["y_psi_r"], v_chi)
    m_n = jnp.sort(jnp.abs(lam_signed), axis=-1)
    lam = spectrum.loop_factor(m_n, spec)
    out = dict(spec=spec, m_n=m_n, lam=lam)
    if yukawa == "free":
        y, m_light = yukawas(th, lam, ordering)
        out.update(y=y, m_light=m_light, coup=y, m_f=m_n, lam_nu=jnp.max(jnp.abs(lam), axis=-1))
        return out
    lam_eff = spectrum.effective_loop_factor(th["m_psi"], th["y_psi_l"], th["y_psi_r"], v_chi, spec)
    m_abs = jnp.abs(lam_signed)
    sqrt_w = jnp.sqrt(w)
    if yukawa == "one_psi":
        y, m_light = _rank_one_yukawa(th, lam_eff, ordering)
        coup = y * sqrt_w[..., None, :]                      # (…, 3, 2): Ψ_R → N_k
        m_f = m_abs
    else:
        y, m_light = yukawas(th, jnp.stack([lam_eff, lam_eff], axis=-1), ordering)
        coup = (y[..., :, :, None] * sqrt_w[..., None, None, :]).reshape(y.shape[:-1] + (4,))
        m_f = jnp.concatenate([m_abs, m_abs], axis=-1)      # copies a = 1, 2 × (N₋, N₊)
    out.update(y=y, m_light=m_light, coup=coup, m_f=m_f, lam_eff=lam_eff, lam_nu=jnp.abs(lam_eff))
    return out


_LFV = ((1, 0), (2, 1), (2, 0))  # (i, j): μ→e, τ→μ, τ→e


def lepton_dipoles(coup, m_f, m_eta):
    """σ_L, σ_R (…, 3, 3) complex [GeV⁻¹], [j, i] for ℓ_i → ℓ_j γ (convention of
    :mod:`jaxg2.loops.lfv`), from the η⁻ N loop summed over the fermion states (one
    vectorised call: transitions on a new axis, fermions on the last)."""
    ii = [i for i, _ in _LFV]
    jj = [j for _, j in _LFV]
    m_l = jnp.asarray(constants.LEPTON_MASSES)
    m_i, m_j = m_l[jnp.array(ii)][:, None], m_l[jnp.array(jj)][:, None]
    c_i, c_j = -0.5 * coup[..., ii, :], -0.5 * coup[..., jj, :]
    sl, sr = loops.dipole_charged_scalar(m_i, m_j, m_f[..., None, :], m_eta[..., None, None], c_i, c_i, c_j, c_j)
    sl, sr = jnp.sum(sl, axis=-1), jnp.sum(sr, axis=-1)
    zero = jnp.zeros(sl.shape[:-1] + (3, 3), dtype=jnp.complex128)
    jj_, ii_ = jnp.array(jj), jnp.array(ii)
    return zero.at[..., jj_, ii_].set(sl), zero.at[..., jj_, ii_].set(sr)


def _floatify(theta):
    return {k: jnp.asarray(v, dtype=jnp.float64) for k, v in theta.items()}


def make_observables(ordering: str = "normal", yukawa: str = "two_psi"):
    def observables(theta):
        th = _floatify(theta)
        g_d, v_chi = th["g_d"], th["v_chi"]
        m_mu, m_e, v = constants.M_MU, constants.M_E, constants.HIGGS_VEV

        m_zp = spectrum.zprime_mass(g_d, v_chi)
        eps = spectrum.kinetic_mixing(g_d, th["m_eta1"], th["m_eta2"])
        m_h2_sq, sin_t, _, stab = spectrum.higgs_dark_mixing(th["lam_hchi"], th["lam_chi"], v_chi)
        m_h2 = jnp.sqrt(jnp.abs(m_h2_sq))

        ls = lepton_sector(th, ordering, yukawa)
        spec, m_n, lam, coup, m_f, m_light = ls["spec"], ls["m_n"], ls["lam"], ls["coup"], ls["m_f"], ls["m_light"]

        # μ and e in one call per topology (lepton on a new last axis): XLA's compile time
        # grows faster than linearly with the number of loop-function copies
        m_l = jnp.asarray([m_mu, m_e])
        zp = loops.g2_neutral_vector(m_l, m_l, m_zp[..., None], constants.E_EM * eps[..., None], 0.0)
        h2 = loops.g2_neutral_scalar(m_l, m_l, m_h2[..., None], (m_l / v) * sin_t[..., None], 0.0)
        c = -0.5 * coup[..., jnp.array([1, 0]), :]  # (…, lepton, fermion state)
        eta = jnp.sum(loops.g2_charged_scalar(m_l[:, None], m_f[..., None, :], th["m_eta1"][..., None, None], c, c),
                      axis=-1)
        da_zp, da_h2, da_eta = zp[..., 0], h2[..., 0], eta[..., 0]
        da_e = zp[..., 1] + h2[..., 1] + eta[..., 1]

        m_dm = jnp.sqrt(jnp.abs(jnp.minimum(spec["lo_R"], spec["lo_I"])))
        m_hi = jnp.sqrt(jnp.abs(jnp.minimum(spec["hi_R"], spec["hi_I"])))
        g_ee, g_mm = zprime_widths(m_zp, eps)
        m_scalars = jnp.stack(jnp.broadcast_arrays(m_dm, th["m_eta1"], th["m_eta2"], th["m_eta2"], m_hi), axis=-1)
        g_dark = zprime_dark_width(g_d, m_zp, m_f, m_scalars)
        g_tot = g_ee + g_mm + g_dark
        # below 2 m_e with no dark channel (or at ε = 0) nothing is open: BRs 0, not 0/0
        has_width = g_tot > 0.0
        g_tot_safe = jnp.where(has_width, g_tot, 1.0)
        dark_open = g_dark > 0.0

        split = jnp.abs(spec["delta_m_lo"])
        split_min = dm_splitting_min(m_dm)
        f_z, f_zp = _dd_couplings(g_d, eps, m_zp)
        sig_z = dd_sigma_nucleon(m_dm, *f_z)
        sig_zp = dd_sigma_nucleon(m_dm, *f_zp)
        elastic = split < split_min
        abs_y = jnp.abs(ls["y"])
        lam_max = jnp.max(jnp.abs(lam), axis=-1)
        return {
            "delta_a_mu": da_zp + da_h2 + da_eta,
            "delta_a_mu_zprime": da_zp,
            "delta_a_mu_h2": da_h2,
            "delta_a_mu_eta_n": da_eta,
            "delta_a_e": da_e,
            "eps": eps,
            "eps_visible": jnp.where(dark_open, 0.0, jnp.abs(eps)),
            "m_zprime": m_zp,
            "gamma_zprime": g_tot,
            "gamma_zprime_dark": g_dark,
            "br_zprime_ee": jnp.where(has_width, g_ee / g_tot_safe, 0.0),
            "br_zprime_mumu": jnp.where(has_width, g_mm / g_tot_safe, 0.0),
            "br_zprime_dark": jnp.where(has_width, g_dark / g_tot_safe, 0.0),
            "m_h2": m_h2,
            "m_h2_sq": m_h2_sq,
            "sin_theta": sin_t,
            "h2_stability_ratio": stab,
            "m_n1": m_n[..., 0],
            "m_n2": m_n[..., 1],
            "m_dm": m_dm,
            "theta_r": spec["theta_R"],
            "theta_i": spec["theta_I"],
            "delta_m_eta": split,
            "dm_splitting_min": split_min,
            "dm_splitting_ratio": split / split_min,
            "dd_sigma_n_z": sig_z,
            "dd_sigma_n_zprime": sig_zp,
            "dd_sigma_n_elastic": jnp.where(elastic, sig_z + sig_zp, 0.0),
            "eta_mass_sq_ratio": jnp.minimum(spec["lo_R"], spec["lo_I"]) / th["m_eta1"] ** 2,
            "lambda_1": lam[..., 0],
            "lambda_2": lam[..., 1],
            "lambda_nu": ls["lam_nu"],
            "psi_suppression": ls["lam_nu"] / jnp.where(lam_max > 0, lam_max, 1.0),
            "m_nu_unit_yukawa": ls["lam_nu"] / EV,
            "m_nu1": m_light[..., 0] / EV,
            "m_nu2": m_light[..., 1] / EV,
            "m_nu3": m_light[..., 2] / EV,
            "m_nu_sum": jnp.sum(m_light, axis=-1) / EV,
            "y_max": jnp.max(abs_y, axis=(-2, -1)),
            "yy_mu": jnp.sum(jnp.abs(coup[..., 1, :]) ** 2, axis=-1),
        }

    return observables


def make_couplings(ordering: str = "normal", yukawa: str = "two_psi"):
    def couplings(theta, obs):
        r"""The model's couplings in the generic sections of :mod:`jaxg2.constraints`.

        ``light_vector``: the Z′ couples to the electromagnetic current as ε e Q (eq. 11; ε_ZV
        dropped as in the paper), g_f = ε e Q_f, no neutrino coupling; ``invisible_width`` =
        Γ(Z′ → N N, η η*, φ φ*) (:func:`zprime_dark_width`).  ``lepton_dipole``: the η⁻ N loop
        (:func:`lepton_dipoles`; the same Yukawas as Δa_μ).  ``lepton_g2``: Δa_e (Z′, h₂, η⁻N).
        """
        from ..constraints import dark_photon_couplings

        th = _floatify(theta)
        ls = lepton_sector(th, ordering, yukawa)
        sig_l, sig_r = lepton_dipoles(ls["coup"], ls["m_f"], th["m_eta1"])
        return {
            "light_vector": {"mass": obs["m_zprime"], "invisible_width": obs["gamma_zprime_dark"],
                             **dark_photon_couplings(obs["eps"])},
            "lepton_dipole": {"sigma_l": sig_l, "sigma_r": sig_r},
            "lepton_g2": {"delta_a_e": obs["delta_a_e"]},
            "scalar_doublets": _inert_doublets(theta),
        }

    return couplings


def _inert_doublets(theta):
    """The ``scalar_doublets`` section (η₁, η₂) from the η₁–φ spectrum of eq. 16 (see ``couplings``)."""
    th = {k: jnp.asarray(theta[k], dtype=jnp.float64)
          for k in ("m_eta1", "m_eta2", "m_phi", "mu1", "v_chi", "lam_heta1phi")}
    spec = spectrum.inert_neutral_spectrum(th["m_eta1"], th["m_phi"], th["mu1"], th["v_chi"], th["lam_heta1phi"])
    def pair(eta1, eta2):  # last axis: (η₁, η₂); parameters may carry different batch shapes
        eta1, eta2 = jnp.broadcast_arrays(eta1, eta2)
        return jnp.stack([eta1, eta2], -1)

    m2 = th["m_eta2"]
    return {"m_charged": pair(th["m_eta1"], m2),
            "m_neutral": pair(jnp.sqrt(jnp.abs(spec["lo_R"])), m2),
            "m_neutral_2": pair(jnp.sqrt(jnp.abs(spec["lo_I"])), m2)}


observables = make_observables("normal")
couplings = make_couplings("normal")

UNITS = {
    "delta_a_mu": "1", "delta_a_mu_zprime": "1", "delta_a_mu_h2": "1", "delta_a_mu_eta_n": "1", "delta_a_e": "1",
    "eps": "1", "eps_visible": "1", "m_zprime": "GeV", "gamma_zprime": "GeV", "gamma_zprime_dark": "GeV",
    "br_zprime_ee": "1", "br_zprime_mumu": "1", "br_zprime_dark": "1", "m_h2": "GeV", "m_h2_sq": "GeV^2",
    "sin_theta": "1", "h2_stability_ratio": "1", "m_n1": "GeV", "m_n2": "GeV", "m_dm": "GeV",
    "theta_r": "rad", "theta_i": "rad", "delta_m_eta": "GeV", "dm_splitting_min": "GeV", "dm_splitting_ratio": "1",
    "dd_sigma_n_z": "cm^2", "dd_sigma_n_zprime": "cm^2", "dd_sigma_n_elastic": "cm^2",
    "eta_mass_sq_ratio": "1", "lambda_1": "GeV", "lambda_2": "GeV", "lambda_nu": "GeV", "psi_suppression": "1",
    "m_nu_unit_yukawa": "eV", "m_nu1": "eV", "m_nu2": "eV", "m_nu3": "eV", "m_nu_sum": "eV", "y_max": "1",
    "yy_mu": "1",
}

CONSTRAINTS = (
    Constraint("na48_2015_visible", "eps_visible", "curve", entry="na48_2015_visible_dark_photon", mass="m_zprime",
               note="[paper set, superseded by the constraints library] Z′ → e⁺e⁻ only (no open dark channel)", default=False),
    Constraint("babar2014_visible", "eps_visible", "curve", entry="babar2014_visible_dark_photon", mass="m_zprime", default=False, note="[paper set, superseded by the constraints library]"),
    Constraint("kloe2018_visible", "eps_visible", "curve", entry="kloe2018_visible_dark_photon", mass="m_zprime", default=False, note="[paper set, superseded by the constraints library]"),
    Constraint("perturbativity", "y_max", "upper", limit=PERTURBATIVITY,
               note="theory: |y| < √(4π) for the Casas–Ibarra Yukawas"),
    Constraint("dm_splitting", "dm_splitting_ratio", "lower", limit=1.0,
               note="kinematics: the η_R–η_I splitting must exceed μ_Xe v_max²/2 (dm_splitting_min, "
                    "standard halo of arXiv:2105.00599) so that the Z/Z′-mediated inelastic scattering on "
                    "xenon is closed (the vector currents are off-diagonal in η_R, η_I)"),
    Constraint("lz2024_si_elastic", "dd_sigma_n_elastic", "curve", entry="lz_2024_si_nucleon", mass="m_dm", default=False,
               note="LZ 2024 spin-independent limit on the Z + Z′ elastic rate, non-zero only where dm_splitting "
                    "fails (redundant with it: shows by how much); incoherent sum, Z′ in the contact limit"),
    Constraint("h2_vacuum_stability", "h2_stability_ratio", "lower", limit=1.0,
               note="theory: m_h2² > 0 ⇔ λ_χ v_χ²(M_H² − λ_χ v_χ²) > (λ_Hχ v v_χ)²"),
    Constraint("eta_no_tachyon", "eta_mass_sq_ratio", "lower", limit=1e-12,
               note="theory: lightest η₁–φ mass² > 0 (1e-12 stands for 0 on a log scale)"),
)

_PERT_OBS = ("delta_a_mu", "delta_a_mu_eta_n", "delta_a_e", "yy_mu", "lfv_br_mu_e_gamma", "lfv_br_tau_mu_gamma",
             "lfv_br_tau_e_gamma", "lfv_br_mu_3e", "lfv_cr_mu_e_au", "eg2_delta_a_e")
_BR_OBS = ("lfv_br_mu_e_gamma", "lfv_br_tau_mu_gamma", "lfv_br_tau_e_gamma", "lfv_br_mu_3e", "lfv_cr_mu_e_au")


def _br_rule(name):
    return Validity((name,), lambda obs, th: obs[name] <= 1.0,
                    "branching ratio above 1: outside the formula's perturbative validity")


VALIDITY = (Validity(_PERT_OBS, lambda obs, th: obs["y_max"] <= PERTURBATIVITY,
                     "Yukawas |y| > √(4π): outside perturbative validity"),
            *(_br_rule(n) for n in _BR_OBS))


def make_model(ordering: str = "normal", yukawa: str = "two_psi") -> Model:
    """The model for the given neutrino ordering and Yukawa structure (:data:`YUKAWA_STRUCTURES`;
    default ``two_psi``, the minimal extension that fits oscillation data)."""
    suffix = ("" if ordering == "normal" else f"_{ordering}") + ("" if yukawa == "two_psi" else f"_{yukawa}")
    return Model(
        name="scotogenic_u1d" + suffix,
        description="Scotogenic model with a dark U(1)_D: Z′ kinetic mixing, light h₂, η⁺–N loop; "
                    f"neutrino Yukawas: {YUKAWA_STRUCTURES[yukawa]}",
        reference="Dasgupta, Kang, Park, \"Neutrino mass and (g-2)_mu with dark U(1)_D symmetry\", arXiv:2104.09205",
        parameters=_PARAMS,
        observables=make_observables(ordering, yukawa),
        units=UNITS,
        constraints=CONSTRAINTS,
        benchmarks=BENCHMARKS,
        signal="delta_a_mu",
        derived={
            # section IV scan relations
            "m_eta2": lambda th: 4.0 * jnp.asarray(th["m_eta1"]),
            "m_phi": lambda th: 5.0 * jnp.asarray(th["m_eta1"]),
            "m_psi": lambda th: jnp.asarray(th["m_eta1"]),
        },
        couplings=make_couplings(ordering, yukawa),
        coupling_sections=("light_vector", "lepton_dipole", "lepton_g2", "scalar_doublets"),
        validity=VALIDITY,
    )


MODEL = make_model("normal")
