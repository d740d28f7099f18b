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
* Neutral fermions: M_N = [[y_ΨL v_χ, M_Ψ], [M_Ψ, y_ΨR v_χ]] (eq. 4), Takagi-factorised
  (:func:`jaxg2.neutrino.takagi`).
* Lepton Yukawas (effective, as the paper's eq. 18 and its Casas–Ibarra step use them):
  L ⊃ −y_αk (ν̄_α η₁⁰* − ℓ̄_α η₁⁻) P_R N_k + h.c., y a general 3×2 matrix fixed by
  Casas–Ibarra, y = U D^{1/2} R Λ^{−1/2} (NuFIT 6.0, lightest neutrino massless,
  R = R(z) the 3×2 complex orthogonal matrix of one complex angle z).  The light
  masses ``m_nu1..3`` [eV] are therefore the NuFIT inputs (m₁ = 0 for NO); the tests
  check that Takagi-factorising y diag(Λ) yᵀ gives them back.
* Neutrino masses: M_ν = y diag(Λ) yᵀ with (eqs. 18–20 corrected)
  Λ_k = M_k/(32π²)[cos²θ_R F(x₁R) + sin²θ_R F(x₂R) − cos²θ_I F(x₁I) − sin²θ_I F(x₂I)],
  x_iX = m²_iX/M_k², F(x) = x ln x/(x − 1), computed cancellation-free
  (:func:`~jaxg2.models.scotogenic_u1d_spectrum.loop_factor`).
* Δa_μ through the generic library :mod:`jaxg2.loops`:
  Z′: ``g2_neutral_vector(m_μ, m_μ, m_Z′, eε, 0)`` (= eq. 24 exactly);
  h₂: ``g2_neutral_scalar(m_μ, m_μ, m_h2, (m_μ/v) sin θ, 0)``;
  η⁺N: ``g2_charged_scalar(m_μ, M_k, m_η1, −y_μk/2, −y_μk/2)`` summed over k
  (= −Σ_k |y_μk|² m_μ²/(16π² m_η²) F₂(M_k²/m_η²), Ma–Raidal, for m_μ ≪ m_η).
* LFV ℓ_i → ℓ_j γ from the same η⁺–N loop: ``dipole_charged_scalar`` summed over k,
  ``br_mu_e_gamma`` etc.
* Z′ decays: only through ε to e⁺e⁻ and μ⁺μ⁻,
  Γ(Z′→ℓℓ) = α ε² m_Z′ (1 + 2r) √(1 − 4r)/3, r = m_ℓ²/m_Z′² (hadrons neglected: the
  BRs are exact below 2m_π).  Dark channels (N N, η η) are closed whenever
  m_Z′ < 2 min(M_N1, m_DM); the visible dark-photon limits (NA48/2 2015, BaBar 2014,
  KLOE 2018, ε vs m_Z′) apply to ``eps_visible`` = |ε| when they are closed and are
  switched off (``eps_visible`` = 0) otherwise.

Paper discrepancies (derived here, not copied)
-----------------------------------------------
1. Eq. (15), M_N1,2 = ½[y_ΨL v_χ + y_ΨR v_χ ∓ √(M_Ψ² − 4 y_ΨL y_ΨR v_χ²)], is not the
   spectrum of eq. (4): the eigenvalues of [[a, M],[M, b]] are ½[a + b ∓ √((a − b)² + 4M²)]
   (physical masses are their moduli).  We Takagi-factorise the matrix instead.
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
   |Λ_k| ≈ 1.3e-27 GeV (BP1) and 9.3e-27 GeV (BP2): O(1) Yukawas give m_ν ~ 1e-18 eV,
   not the atmospheric 0.05 eV, and the Casas–Ibarra Yukawas needed for the
   oscillation data are |y| ~ 1e8 (non-perturbative).  The CP-even/odd splitting of
   the dark-matter η is then ~6e-16 eV (BP1), far below the keV the paper requires
   against Z-mediated direct detection.  Neither claim holds for the Table II points.
8. Table I charges make the Dirac mass M_Ψ Ψ̄_L Ψ_R carry U(1)_D charge −2, so eq. (4)
   needs a χ insertion for gauge invariance; and as printed only η₁ (coupled to Ψ_R)
   mixes with φ, which would make M_ν rank 1.  We follow the paper's effective use of
   a general 3×2 y (rank 2, lightest neutrino massless).
9. BP Z′ masses with eq. (6): 26 MeV (BP1), 139 MeV (BP2); the paper's "≈ 100 MeV"
   matches BP2 only with ⟨χ⟩ = v_χ/√2 (98 MeV).  We follow eq. (6) as printed.

Table II does not give M_Ψ, y_ΨL, y_ΨR: the benchmarks use M_Ψ = m_η1 (section IV:
m_Ni = m_η1) and y_ΨL = y_ΨR = 0.1; R = R(z = 0) (the paper's "R = 1").
"""

from __future__ import annotations

import math

import jax.numpy as jnp

from .. import constants, loops
from ..neutrino import casas_ibarra, light_masses, nufit, orthogonal_3x2, pmns_matrix
from ..neutrino.pmns import EV
from . import scotogenic_u1d_spectrum as spectrum
from .base import Constraint, Model, Parameter, Prior, Validity

__all__ = ["MODEL", "make_model", "observables", "yukawas", "zprime_widths", "PERTURBATIVITY", "DM_SPLITTING_MIN"]

PERTURBATIVITY = math.sqrt(4.0 * math.pi)   # |y| < √(4π) (theory bound)
DM_SPLITTING_MIN = 1e-6                     # GeV: m_ηR − m_ηI > O(keV) (paper, sec. IV)

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


def zprime_widths(m_zp, eps):
    """(Γ_ee, Γ_μμ) [GeV] of a dark photon coupled as ε e J_em (tree level)."""
    out = []
    for m_l in (constants.M_E, constants.M_MU):
        r = m_l**2 / m_zp**2
        open_ = 4.0 * r < 1.0
        beta = jnp.sqrt(jnp.where(open_, 1.0 - 4.0 * r, 1.0))
        out.append(jnp.where(open_, constants.ALPHA_EM * eps**2 * m_zp * (1.0 + 2.0 * r) * beta / 3.0, 0.0))
    return tuple(out)


def yukawas(theta, lam, ordering: str = "normal"):
    """Casas–Ibarra Yukawas y (…, 3, 2) for loop factors ``lam`` (…, 2) [GeV]."""
    p = nufit(ordering)
    U = pmns_matrix(p["sin2_theta12"], p["sin2_theta13"], p["sin2_theta23"], p["delta_cp"],
                    theta["alpha21"], theta["alpha31"])
    m_light = light_masses(jnp.zeros_like(jnp.asarray(theta["z_re"], dtype=jnp.float64)), ordering) * EV
    R = orthogonal_3x2(theta["z_re"] + 1j * theta["z_im"], ordering)
    return casas_ibarra(U, m_light, lam, R), m_light


_LFV = (("br_mu_e_gamma", 1, 0), ("br_tau_mu_gamma", 2, 1), ("br_tau_e_gamma", 2, 0))


def _lfv_branching_ratios(y, m_n, m_eta):
    """BR(ℓ_i → ℓ_j γ) for μ→eγ, τ→μγ, τ→eγ from the η⁻ N_k loop (one vectorised dipole
    call: transitions on a new axis, N_k on the last), summed over k."""
    ii = [i for _, i, _ in _LFV]
    jj = [j for _, _, j in _LFV]
    m_l = jnp.asarray(constants.LEPTON_MASSES)
    m_i, m_j = m_l[jnp.array(ii)][:, None], m_l[jnp.array(jj)][:, None]
    c_i, c_j = -0.5 * y[..., ii, :], -0.5 * y[..., jj, :]
    sl, sr = loops.dipole_charged_scalar(m_i, m_j, m_n[..., None, :], m_eta[..., None, None], c_i, c_i, c_j, c_j)
    sl, sr = jnp.sum(sl, axis=-1), jnp.sum(sr, axis=-1)
    widths = jnp.array([loops.muon_width(), loops.tau_width(), loops.tau_width()])
    br = loops.br_li_lj_gamma(m_i[:, 0], m_j[:, 0], sl, sr, widths)
    return {name: br[..., n] for n, (name, _, _) in enumerate(_LFV)}


def make_observables(ordering: str = "normal"):
    def observables(theta):
        th = {k: jnp.asarray(v, dtype=jnp.float64) for k, v in theta.items()}
        g_d, v_chi = th["g_d"], th["v_chi"]
        m_mu, v = constants.M_MU, constants.HIGGS_VEV

        m_zp = spectrum.zprime_mass(g_d, v_chi)
        eps = spectrum.kinetic_mixing(g_d, th["m_eta1"], th["m_eta2"])
        m_h2_sq, sin_t, _, stab = spectrum.higgs_dark_mixing(th["lam_hchi"], th["lam_chi"], v_chi)
        m_h2 = jnp.sqrt(jnp.abs(m_h2_sq))

        m_n, _ = spectrum.neutral_fermion_masses(th["m_psi"], th["y_psi_l"], th["y_psi_r"], v_chi)
        spec = spectrum.inert_neutral_spectrum(th["m_eta1"], th["m_phi"], th["mu1"], v_chi, th["lam_heta1phi"])
        lam = spectrum.loop_factor(m_n, spec)
        y, m_light = yukawas(th, lam, ordering)

        da_zp = loops.g2_neutral_vector(m_mu, m_mu, m_zp, constants.E_EM * eps, 0.0)
        da_h2 = loops.g2_neutral_scalar(m_mu, m_mu, m_h2, (m_mu / v) * sin_t, 0.0)
        c_mu = -0.5 * y[..., 1, :]
        da_eta = jnp.sum(loops.g2_charged_scalar(m_mu, m_n, th["m_eta1"][..., None], c_mu, c_mu), axis=-1)

        br = _lfv_branching_ratios(y, m_n, th["m_eta1"])

        g_ee, g_mm = zprime_widths(m_zp, eps)
        g_tot = g_ee + g_mm
        # below 2 m_e (or at ε = 0) no visible channel is open: both BRs are 0, not 0/0
        has_width = g_tot > 0.0
        g_tot_safe = jnp.where(has_width, g_tot, 1.0)
        m_dm = jnp.sqrt(jnp.abs(jnp.minimum(spec["lo_R"], spec["lo_I"])))
        dark_open = m_zp > 2.0 * jnp.minimum(m_n[..., 0], m_dm)
        abs_y = jnp.abs(y)
        return {
            "delta_a_mu": da_zp + da_h2 + da_eta,
            "delta_a_mu_zprime": da_zp,
            "delta_a_mu_h2": da_h2,
            "delta_a_mu_eta_n": da_eta,
            "eps": eps,
            "eps_visible": jnp.where(dark_open, 0.0, jnp.abs(eps)),
            "m_zprime": m_zp,
            "gamma_zprime": g_tot,
            "br_zprime_ee": jnp.where(has_width, g_ee / g_tot_safe, 0.0),
            "br_zprime_mumu": jnp.where(has_width, g_mm / g_tot_safe, 0.0),
            "m_h2": m_h2,
            "m_h2_sq": m_h2_sq,
            "sin_theta": sin_t,
            "h2_stability_ratio": stab,
            "m_n1": m_n[..., 0],
            "m_n2": m_n[..., 1],
            "m_dm": m_dm,
            "theta_r": spec["theta_R"],
            "theta_i": spec["theta_I"],
            "delta_m_eta": jnp.abs(spec["delta_m_lo"]),
            "eta_mass_sq_ratio": jnp.minimum(spec["lo_R"], spec["lo_I"]) / th["m_eta1"] ** 2,
            "lambda_1": lam[..., 0],
            "lambda_2": lam[..., 1],
            "m_nu_unit_yukawa": jnp.max(jnp.abs(lam), axis=-1) / EV,
            "m_nu1": m_light[..., 0] / EV,
            "m_nu2": m_light[..., 1] / EV,
            "m_nu3": m_light[..., 2] / EV,
            "m_nu_sum": jnp.sum(m_light, axis=-1) / EV,
            "y_max": jnp.max(abs_y, axis=(-2, -1)),
            "yy_mu": jnp.sum(abs_y[..., 1, :] ** 2, axis=-1),
            **br,
        }

    return observables


def couplings(theta, obs):
    r"""The model's couplings in the generic sections of :mod:`jaxg2.constraints`.

    ``light_vector``: the Z′ couples to the electromagnetic current as ε e Q (eq. 11; ε_ZV
    dropped as in the paper), so g_f = ε e Q_f, no neutrino coupling.  Z′ → dark states
    (N N, η η) is not part of its width: it is closed in the shipped priors' benchmark
    region (m_Z′ ≪ M_N), and where it opens the library's visible limits are too strong
    (issue: the Z′ → N N width with the Ψ_{L,R} charges ±1 of Table I is not derived yet).

    ``scalar_doublets``: the inert doublets η₁ (charged mass m_η1; neutral CP-even/odd
    masses the η-like eigenvalues lo_R, lo_I of eq. 16) and η₂ (all components at m_η2).
    The doublet picture is approximate: η₁⁰ mixes with the singlet φ (angles θ_R, θ_I of
    eq. 17, ~1e-7 at the benchmarks), and the doublet fraction sin²θ of the φ-like states is
    dropped (its S, T and Z couplings are O(θ²)).  η₁ and η₂ do not mix with each other.
    """
    from ..constraints import dark_photon_couplings

    return {"light_vector": {"mass": obs["m_zprime"], **dark_photon_couplings(obs["eps"])},
            "scalar_doublets": _inert_doublets(theta)}


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

UNITS = {
    "delta_a_mu": "1", "delta_a_mu_zprime": "1", "delta_a_mu_h2": "1", "delta_a_mu_eta_n": "1",
    "eps": "1", "eps_visible": "1", "m_zprime": "GeV", "gamma_zprime": "GeV", "br_zprime_ee": "1",
    "br_zprime_mumu": "1", "m_h2": "GeV", "m_h2_sq": "GeV^2", "sin_theta": "1", "h2_stability_ratio": "1",
    "m_n1": "GeV", "m_n2": "GeV", "m_dm": "GeV", "theta_r": "rad", "theta_i": "rad", "delta_m_eta": "GeV",
    "eta_mass_sq_ratio": "1", "lambda_1": "GeV", "lambda_2": "GeV", "m_nu_unit_yukawa": "eV",
    "m_nu1": "eV", "m_nu2": "eV", "m_nu3": "eV", "m_nu_sum": "eV", "y_max": "1", "yy_mu": "1",
    "br_mu_e_gamma": "1", "br_tau_mu_gamma": "1", "br_tau_e_gamma": "1",
}

CONSTRAINTS = (
    Constraint("meg2_mu_e_gamma", "br_mu_e_gamma", "upper", entry="meg2_2025_mu_e_gamma",
               note="MEG II 2025, μ → eγ from the η⁺–N loop with Casas–Ibarra Yukawas"),
    Constraint("belle_tau_mu_gamma", "br_tau_mu_gamma", "upper", entry="belle_2021_tau_mu_gamma"),
    Constraint("babar_tau_e_gamma", "br_tau_e_gamma", "upper", entry="babar_2010_tau_e_gamma"),
    Constraint("na48_2015_visible", "eps_visible", "curve", entry="na48_2015_visible_dark_photon", mass="m_zprime",
               note="[paper set, superseded by the constraints library] Z′ → e⁺e⁻ only (no open dark channel)", default=False),
    Constraint("babar2014_visible", "eps_visible", "curve", entry="babar2014_visible_dark_photon", mass="m_zprime", default=False, note="[paper set, superseded by the constraints library]"),
    Constraint("kloe2018_visible", "eps_visible", "curve", entry="kloe2018_visible_dark_photon", mass="m_zprime", default=False, note="[paper set, superseded by the constraints library]"),
    Constraint("perturbativity", "y_max", "upper", limit=PERTURBATIVITY,
               note="theory: |y_αk| < √(4π) for the Casas–Ibarra Yukawas"),
    Constraint("dm_splitting", "delta_m_eta", "lower", limit=DM_SPLITTING_MIN,
               note="theory/phenomenology (paper sec. IV): m_ηR − m_ηI > O(keV) = 1e-6 GeV "
                    "to forbid inelastic Z-mediated direct detection"),
    Constraint("h2_vacuum_stability", "h2_stability_ratio", "lower", limit=1.0,
               note="theory: m_h2² > 0 ⇔ λ_χ v_χ²(M_H² − λ_χ v_χ²) > (λ_Hχ v v_χ)²"),
    Constraint("eta_no_tachyon", "eta_mass_sq_ratio", "lower", limit=1e-12,
               note="theory: lightest η₁–φ mass² > 0 (1e-12 stands for 0 on a log scale)"),
)


def make_model(ordering: str = "normal") -> Model:
    """The model with Casas–Ibarra for the given neutrino ordering ('normal' default)."""
    return Model(
        name="scotogenic_u1d" if ordering == "normal" else f"scotogenic_u1d_{ordering}",
        description="Scotogenic model with a dark U(1)_D: Z′ kinetic mixing, light h₂, η⁺–N loop, "
                    "Casas–Ibarra Yukawas (lightest ν massless), LFV and dark-photon limits",
        reference="Dasgupta, Kang, Park, \"Neutrino mass and (g-2)_mu with dark U(1)_D symmetry\", arXiv:2104.09205",
        parameters=_PARAMS,
        observables=make_observables(ordering),
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
        couplings=couplings,
        coupling_sections=("light_vector", "scalar_doublets"),
        validity=(Validity(("delta_a_mu", "delta_a_mu_eta_n", "br_mu_e_gamma", "br_tau_mu_gamma", "br_tau_e_gamma"),
                           lambda obs, th: obs["y_max"] <= PERTURBATIVITY,
                           "Casas–Ibarra Yukawas |y| > √(4π): outside perturbative validity"),),
    )


MODEL = make_model("normal")
