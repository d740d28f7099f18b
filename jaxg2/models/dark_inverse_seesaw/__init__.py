r"""Dynamical inverse seesaw from a light dark sector — paper 001.

E. Bertuzzo, S. Jana, P.A.N. Machado, R. Zukanovich Funchal, Phys. Lett. B 791
(2019) 210, arXiv:1808.02500.  Registered as ``"dark_inverse_seesaw"``.

What is computed exactly (no hierarchy assumed):

* scalars (:mod:`.scalars`): vevs (v, v_φ, ω₁, ω₂) as inputs, bare masses from the
  exact minimum conditions, CP-even/CP-odd/charged mass matrices from the autodiff
  Hessian of eq. 2.1, masses and mixing angles (eq. 2.8 convention);
* gauge bosons (:mod:`.gauge`): the (W³, B, X) mass matrix, m_{Z_D}, ε′, Z_D couplings
  to the electromagnetic and Z currents, Z_D → e⁺e⁻, μ⁺μ⁻, νν widths;
* neutral leptons (:mod:`.neutral_leptons`): the 9×9 matrix of eq. 2.12, its Takagi
  factorisation, |U_αN|², and y_ν from an inverse-seesaw Casas–Ibarra
  reconstruction so that the light masses and PMNS mixing equal the NuFIT input
  (to O(|U_αN|²) ~ 1e-6 relative);
* lepton dipoles (footnote 3 only sketches them; :mod:`.dipoles`): one pair of 3×3
  matrices σ_L, σ_R gives both ℓ_i → ℓ_j γ and Δa_ℓ (its diagonal) — H_D^± with the y_ν
  couplings to all nine neutral states (generic charged-scalar dipole, negative Δa), the W
  loop with the non-unitary active mixing (:mod:`.wloop`), and, on the diagonal, Z_D
  through kinetic and mass mixing (generic vector loop) and the CP-even scalars through
  their Higgs admixture (SM Higgs subtracted).  Observables ``br_mu_e_gamma``,
  ``br_tau_mu_gamma``, ``br_tau_e_gamma``, ``delta_a_e``; the sections ``lepton_dipole``
  and ``lepton_g2`` hand them to the constraints library (MEG II, τ → ℓγ, μ → 3e, μ → e
  conversion, a_e), whose constraints are the ones used.  Points with |y_ν| ≥ √(4π) flag
  these numbers as outside perturbative validity (``validity``).
* naturalness (footnote 2 to eq. 2.4: "M_lightest ≥ √λ M_heavy/8π", λ not specified):
  ``naturalness_ratio`` = M_lightest/(√λ M_heavy/8π) with M_lightest the lightest of
  S_D, S′_D, a_D, M_heavy the heaviest of h_SM, H_D, A_D, H_D^±, and λ the largest
  doublet–singlet *portal* quartic (λ_HS₁, λ_HS₂, λ_φS₁, λ_φS₂): the footnote's shift is a
  heavy-scalar loop on a light mass, δM²_light ~ λ M²_heavy/(8π)², which only a quartic
  joining a light pair to a heavy pair produces (a singlet self-coupling such as λ_S₁ closes
  a light loop, δM² ∝ M²_light; α couples (H†φ)S₁S₂* and closes only through H–φ mixing).
  0.64 at the MiniBooNE benchmark (fails), 14 at the fits' fixed point.

Conventions and approximations (stated once):

* ε (kinetic mixing) is a tree-level input, as in the paper (ε_tree ≫ ε_loop,
  eq. 2.21, which is returned for comparison as ``eps_loop``).
* The H_D^± coupling to ℓ N is y_ν × (φ-component of H_D^±); the H^± admixture
  couples through m_ℓ/v and is neglected (relative O(m_μ θ/(y_ν v))).
* The flavour matrices m, y_N, y_N′ are taken diagonal (m can always be made
  diagonal, eq. 2.12 text; diagonal y_N, y_N′ is a choice of this implementation).
* Normal ordering with NuFIT 6.0 (registry ``nufit_6_0_normal``) by default.

Paper discrepancies found (details in the submodules and the notebook):

1. Eq. 2.13 drops the (1/√2)³ of eq. 2.12 and transposes y_ν (see
   :mod:`.neutral_leptons`).
2. Table 2 lists m_{a_D} = 272 MeV = m_{S_D}, but eq. 2.6 (and the exact spectrum:
   the CP-odd a_D is the partner of S₂, split from S′_D only by λ_{S₂} ω₂²) give
   m_{a_D} ≃ m_{S′_D} = 320 MeV.
3. Table 2 is internally consistent only with a non-perturbative λ_{S₁}: v_φ ≃
   θ_{φS₁} ω₁ (from the tadpoles), so ε′ ∝ g_D v_φ² = m_{Z_D} θ²_{φS₁} ω₁ fixes
   ω₁ ≈ 19 MeV from the table's ε′ = 3.6e-14, and then M²_{S_D} ≃ 2 λ_{S₁} ω₁²
   needs λ_{S₁} ≈ 1e2 ≫ 4π.  The shipped ``MiniBooNE`` benchmark (recovered by a
   gradient search) shows this.
4. Footnote 2 (naturalness) fails for Table 2's own spectrum: its θ_HS need portal
   quartics |λ_HS| ≈ 7e-3, and 272 MeV next to 125 GeV then gives the ratio 0.64 < 1.
5. Footnote 3 says H_D^± "mediates LFV decays" but the paper does not evaluate them.  At
   the benchmark |(y_ν y_ν†)_μe| = 6.1, BR(μ → eγ) = 8.4e-3 (MEG II 2025: < 1.5e-13) and
   BR(τ → μγ) = 0.15.  Even the perturbative fixed point of ``fits/`` (|y_ν|max ≥ 0.11 over
   its box) gives BR(μ → eγ) ≥ 2.4e-10: MEG II needs |y_ν|max ≲ 0.018 at
   M_{H_D^±} ≈ 100 GeV (BR ∝ |y_ν|⁴/M⁴), far below what g-2 bounds (|y_ν| ~ 1), and
   excludes the whole box of the shipped 2021/2025 fits.
"""

from __future__ import annotations

import jax.numpy as jnp

from ... import constants as C
from ...loops import lfv as loops_lfv
from ...neutrino import EV, light_masses, orthogonal_3x3, pmns_from_data
from ...numerics import after
from ..base import Constraint, Model, Parameter, Prior, Validity
from . import dipoles, gauge, neutral_leptons, scalars

SQRT_4PI = float(jnp.sqrt(4.0 * jnp.pi))

# ----------------------------------------------------------------------------- parameters
_P = Parameter
PARAMETERS = (
    _P("g_d", "1", r"g_D", Prior.log_uniform(1e-3, 3.0), (0.0, SQRT_4PI), "U(1)_D gauge coupling"),
    _P("eps", "1", r"\epsilon", Prior.log_uniform(1e-6, 1e-2), (0.0, 1.0), "kinetic mixing (tree level), Z_D coupling e ε J_em"),
    _P("v_phi", "GeV", r"v_\phi", Prior.log_uniform(1e-7, 1e-2), (0.0, 246.0), "vev of the dark doublet φ"),
    _P("omega1", "GeV", r"\omega_1", Prior.log_uniform(1e-3, 10.0), (0.0, 246.0), "vev of S₁"),
    _P("omega2", "GeV", r"\omega_2", Prior.log_uniform(1e-9, 1e-3), (0.0, 246.0), "vev of S₂"),
    *[_P(n, "1", rf"\lambda_{{{n[4:]}}}", Prior.uniform(-1.0, 1.0) if n not in ("lam_H", "lam_phi", "lam_S1", "lam_S2") else Prior.uniform(0.0, 4.0),
         (-4 * jnp.pi, 4 * jnp.pi), "quartic coupling of eq. 2.1") for n in scalars.QUARTICS],
    _P("mu", "GeV", r"\mu", Prior.log_uniform(1e-4, 10.0), (-1e3, 1e3), "trilinear S₁ φ†H"),
    _P("mu_p", "GeV", r"\mu'", Prior.log_uniform(1e-5, 1.0), (-1e3, 1e3), "trilinear S₁² S₂*"),
    _P("alpha", "1", r"\alpha", Prior.log_uniform(1e-8, 1e-1), (-4 * jnp.pi, 4 * jnp.pi), "quartic (H†φ) S₁ S₂*"),
    *[_P(f"m_n{i}", "GeV", rf"m_{{N,{i}}}", Prior.log_uniform(1e-2, 10.0), (0.0, 1e4), "N–N′ Dirac mass (diagonal m)") for i in (1, 2, 3)],
    *[_P(f"y_n{i}", "1", rf"y_{{N,{i}}}", Prior.uniform(0.0, 1.0), (-SQRT_4PI, SQRT_4PI), "Majorana Yukawa of N (diagonal)") for i in (1, 2, 3)],
    *[_P(f"y_np{i}", "1", rf"y_{{N',{i}}}", Prior.log_uniform(1e-4, 1.0), (0.0, SQRT_4PI), "Majorana Yukawa of N′ (diagonal, > 0)") for i in (1, 2, 3)],
    _P("m_nu_lightest", "eV", r"m_{\nu,\rm lightest}", Prior.uniform(0.0, 0.05), (0.0, 1.0), "lightest light-neutrino mass"),
    *[_P(f"r{ij}_{part}", "rad", rf"{part[0].upper()}\,z_{{{ij}}}", Prior.uniform(-1.0, 1.0) if part == "im" else Prior.uniform(0.0, 2 * jnp.pi),
         (-10.0, 10.0) if part == "im" else (-100.0, 100.0), "complex angle of the Casas–Ibarra R") for ij in ("12", "13", "23") for part in ("re", "im")],
    _P("alpha21", "rad", r"\alpha_{21}", Prior.uniform(0.0, 2 * jnp.pi), (-100.0, 100.0), "Majorana phase"),
    _P("alpha31", "rad", r"\alpha_{31}", Prior.uniform(0.0, 2 * jnp.pi), (-100.0, 100.0), "Majorana phase"),
)


def _r_matrix(theta):
    z = {ij: theta[f"r{ij}_re"] + 1j * theta[f"r{ij}_im"] for ij in ("12", "13", "23")}
    return orthogonal_3x3(z["12"], z["13"], z["23"])


def _scalar_params(theta):
    p = {k: theta[k] for k in scalars.QUARTICS + scalars.TRILINEARS}
    p.update(v=jnp.asarray(C.HIGGS_VEV), v_phi=theta["v_phi"], omega1=theta["omega1"], omega2=theta["omega2"])
    return p


def neutral_sector(theta):
    """(y_ν, the nine neutral masses [GeV] ascending, the 9×9 Takagi U) at ``theta``."""
    m_light = light_masses(theta["m_nu_lightest"], "normal") * EV
    u = pmns_from_data("normal", theta["alpha21"], theta["alpha31"])
    diag = lambda k: jnp.diag(jnp.stack([theta[f"{k}{i}"] for i in (1, 2, 3)]))  # noqa: E731
    m_mat, y_n, y_np = diag("m_n"), diag("y_n"), diag("y_np")
    y_nu = neutral_leptons.casas_ibarra_y_nu(u, m_light, _r_matrix(theta), m_mat, y_np, theta["v_phi"], theta["omega2"])
    M = neutral_leptons.mass_matrix(y_nu, m_mat, y_n, y_np, theta["v_phi"], theta["omega2"])
    masses, U = neutral_leptons.spectrum(M)
    return y_nu, masses, U


def observables(theta):
    """Every observable of the model at one parameter point (see ``UNITS``)."""
    out = {}
    # --- scalars
    sp = _scalar_params(theta)
    spec = scalars.spectrum(sp)
    bare = scalars.bare_masses(sp)
    for name, m in zip(scalars.EVEN_NAMES, spec.even_masses):
        out[f"m_{name}"] = m
    # CP-odd: two Goldstones (G_Z, G_{Z_D}) and two physical states, labelled by content:
    # A_D is the one with the larger Im φ⁰ admixture, a_D the other (mostly Im S₂)
    phys_m, phys_v = spec.odd_masses[2:], spec.odd_rotation[2:]
    a_is_first = jnp.abs(phys_v[0, 1]) > jnp.abs(phys_v[1, 1])
    out["m_A_D"] = jnp.where(a_is_first, phys_m[0], phys_m[1])
    out["m_a_D"] = jnp.where(a_is_first, phys_m[1], phys_m[0])
    out["m_H_D_charged"] = spec.charged_masses[1]
    out.update(scalars.even_mixing_angles(spec))
    out.update({f"bare_{k}": v for k, v in bare.items()})
    out["scalar_stability"] = spec.min_eigenvalue
    # --- gauge
    # the gauge and neutral-lepton LAPACK calls follow the scalars' in one chain (a deadlock of
    # jaxlib 0.10's batched CPU linear algebra otherwise: jaxg2.numerics.lapack)
    v_phi = after(theta["v_phi"], spec.charged_masses)
    m_zd, m_z, eps_p = gauge.zd_mass_and_mixing(C.HIGGS_VEV, v_phi, theta["omega1"], theta["omega2"], theta["g_d"])
    out.update(m_zd=m_zd, m_z=m_z, eps_prime=eps_p, e_eps=C.E_EM * theta["eps"], eps=theta["eps"])
    out["eps_loop"] = gauge.eps_loop(theta["g_d"], m_zd, out["m_H_D_charged"])
    # --- neutral leptons
    y_nu, masses, U = neutral_sector(after(theta, m_zd))
    for i in range(3):
        out[f"m_nu{i + 1}"] = masses[i] / EV
    for i in range(6):
        out[f"m_heavy{i + 1}"] = masses[3 + i]
    u2 = neutral_leptons.active_heavy_mixing(U)
    out.update(U2_eN=u2[0], U2_muN=u2[1], U2_tauN=u2[2], y_nu_max=jnp.max(jnp.abs(y_nu)))
    # --- Z_D decays
    c_v, c_a = gauge.lepton_couplings(theta["eps"], eps_p)
    g_ee = gauge.width_to_fermions(m_zd, C.M_E, c_v, c_a)
    g_mm = gauge.width_to_fermions(m_zd, C.M_MU, c_v, c_a)
    # light-neutrino pairs: dark current (charges +1 on N, −1 on N′) projected on light states,
    # plus the Z current through ε′ (left-handed ν, coupling (g/c_W) ε′/2)
    _, g, _, cw, _ = gauge.weak_couplings()
    q_dark = jnp.concatenate([jnp.zeros(3), jnp.ones(3), -jnp.ones(3)])
    G = theta["g_d"] * jnp.einsum("ki,k,kj->ij", jnp.conj(U[:, :3]), q_dark, U[:, :3]) \
        + (g / cw) * eps_p * 0.5 * jnp.conj(U[:3, :3]).T @ U[:3, :3]
    g_nu = gauge.width_to_light_neutrinos(m_zd, G)
    total = g_ee + g_mm + g_nu
    out.update(gamma_zd_ee=g_ee, gamma_zd_mumu=g_mm, gamma_zd_nunu=g_nu, gamma_zd=total, br_zd_ee=g_ee / total)
    # visible searches apply when Z_D → N N is closed (the six dark states are heavier),
    # invisible ones (NA64, BaBar mono-photon) when it is open and dominates
    visible = m_zd < 2.0 * masses[3]
    out["eps_visible"] = jnp.where(visible, theta["eps"], 0.0)
    out["eps_invisible"] = jnp.where(visible, 0.0, theta["eps"])
    # --- lepton dipoles: ℓ_i → ℓ_j γ and g-2 from the same 3×3 matrices (:mod:`.dipoles`)
    phi_frac = jnp.abs(spec.charged_rotation[1, 1])
    c_h = dipoles.charged_scalar_couplings(y_nu, U, phi_frac)
    # Δa_ℓ from the diagonal call alone, ℓ_i → ℓ_j γ from the pairs (charged_scalar_dipoles):
    # a g-2-only likelihood then carries no decay dipoles
    h_diag = dipoles.charged_scalar_diagonal(masses, c_h, out["m_H_D_charged"])
    h_pairs = dipoles.charged_scalar_pairs(masses, c_h, out["m_H_D_charged"])
    hl, hr = dipoles.lepton_matrix((jnp.zeros(3), jnp.zeros(3)), h_pairs)   # off-diagonal only
    wl, wr = dipoles.w_dipoles(masses, U)
    da_zd, da_scalars = dipoles.diagonal_g2(m_zd, c_v, c_a, spec.even_masses, spec.even_rotation[:, 0],
                                            spec.even_masses[0])
    da_h = loops_lfv.g2_from_dipole(dipoles.LEPTON_MASSES, *h_diag)
    da_w = dipoles.g2_diagonal(wl, wr)
    da = da_zd + da_h + da_w + da_scalars
    out["delta_a_mu_zd"], out["delta_a_mu_hd_charged"] = da_zd[1], da_h[1]
    out["delta_a_mu_w"], out["delta_a_mu_scalars"] = da_w[1], da_scalars[1]
    out["delta_a_mu"] = da[1]
    out["delta_a_e"], out["delta_a_tau"] = da[0], da[2]
    sl, sr = hl + wl, hr + wr
    for name, (j, i) in dipoles.PAIRS.items():
        for side, s in (("l", sl), ("r", sr)):
            out[f"sigma_{side}_{name}_re"] = jnp.real(s[j, i])
            out[f"sigma_{side}_{name}_im"] = jnp.imag(s[j, i])
    out["br_mu_e_gamma"] = loops_lfv.br_mu_e_gamma(sl[0, 1], sr[0, 1])
    out["br_tau_mu_gamma"] = loops_lfv.br_tau_mu_gamma(sl[1, 2], sr[1, 2])
    out["br_tau_e_gamma"] = loops_lfv.br_tau_e_gamma(sl[0, 2], sr[0, 2])
    out["yy_mu_e"] = jnp.abs((y_nu @ jnp.conj(y_nu).T)[1, 0])
    # --- theory conditions
    out["lambda_max"] = jnp.max(jnp.abs(jnp.stack([theta[k] for k in scalars.QUARTICS])))
    # footnote 2: loops of the heavy doublet-like scalars shift the light singlet-like ones
    # through the portal quartics, δM²_light ~ λ M²_heavy/(8π)² — so λ is the largest
    # doublet–singlet portal coupling (λ_HS₁, λ_HS₂, λ_φS₁, λ_φS₂)
    portal = jnp.max(jnp.abs(jnp.stack([theta[k] for k in ("lam_HS1", "lam_HS2", "lam_phiS1", "lam_phiS2")])))
    light = jnp.min(jnp.stack([out["m_S_D"], out["m_S_D_prime"], out["m_a_D"]]))
    heavy = jnp.max(jnp.stack([out["m_h_SM"], out["m_H_D"], out["m_A_D"], out["m_H_D_charged"]]))
    out["lambda_portal_max"] = portal
    out["naturalness_ratio"] = light / (jnp.sqrt(portal) * heavy / (8.0 * jnp.pi))
    return out


def couplings(theta, obs):
    r"""The model's couplings in the generic sections of :mod:`jaxg2.constraints`.

    ``light_vector``: Z_D of mass m_{Z_D} with the vector couplings of
    :func:`.gauge.vector_couplings` (kinetic mixing ε and the Z-current part through ε′)
    and, as ``invisible_width``, its width into light-neutrino pairs (dark current
    projected on the light states plus the Z current through ε′).  Z_D → N N into the
    heavy neutral leptons is not part of the width: where it is open (m_{Z_D} > 2 M_N,
    outside the shipped priors) the library's visible limits are then too strong, and
    the model's own ``eps_invisible`` curves (not default) describe that case.

    ``lepton_dipole``: σ_L, σ_R of :mod:`.dipoles` (H_D^± and W loops, flavour-changing
    entries; diagonal σ_L = σ_R = Δa_ℓ/(2m_ℓ) of all loops), rebuilt from the decay entries
    by hermiticity — the library's μ → eγ (MEG II), τ → μγ, τ → eγ, μ → 3e and μ → e
    conversion apply.  ``lepton_g2``: the model's Δa_e and Δa_μ (the electron g-2 family
    then uses this Δa_e, which includes the Z_D loop, instead of its light-vector estimate).
    """
    lv = {"mass": obs["m_zd"], "invisible_width": obs["gamma_zd_nunu"],
          **gauge.vector_couplings(obs["eps"], obs["eps_prime"])}
    upper = {side: {n: obs[f"sigma_{side}_{n}_re"] + 1j * obs[f"sigma_{side}_{n}_im"] for n in dipoles.PAIRS}
             for side in ("l", "r")}
    delta_a = jnp.stack([obs["delta_a_e"], obs["delta_a_mu"], obs["delta_a_tau"]], axis=-1)
    sigma_l, sigma_r = dipoles.full_matrix(upper["l"], upper["r"], delta_a)
    return {"light_vector": lv,
            "lepton_dipole": {"sigma_l": sigma_l, "sigma_r": sigma_r},
            "lepton_g2": {"delta_a_e": obs["delta_a_e"], "delta_a_mu": obs["delta_a_mu"]}}


UNITS = {
    **{f"m_{n}": "GeV" for n in scalars.EVEN_NAMES}, "m_A_D": "GeV", "m_a_D": "GeV", "m_H_D_charged": "GeV",
    **{f"theta_{a}{b}": "1" for a, b in (("H", "phi"), ("H", "S1"), ("H", "S2"), ("phi", "S1"), ("phi", "S2"), ("S1", "S2"))},
    **{f"bare_{k}": "GeV^2" for k in scalars.BARE}, "scalar_stability": "1",
    "m_zd": "GeV", "m_z": "GeV", "eps_prime": "1", "e_eps": "1", "eps": "1", "eps_loop": "1",
    **{f"m_nu{i}": "eV" for i in (1, 2, 3)}, **{f"m_heavy{i}": "GeV" for i in range(1, 7)},
    "U2_eN": "1", "U2_muN": "1", "U2_tauN": "1", "y_nu_max": "1",
    "gamma_zd_ee": "GeV", "gamma_zd_mumu": "GeV", "gamma_zd_nunu": "GeV", "gamma_zd": "GeV", "br_zd_ee": "1",
    "eps_visible": "1", "eps_invisible": "1",
    "delta_a_mu_zd": "1", "delta_a_mu_hd_charged": "1", "delta_a_mu_w": "1", "delta_a_mu_scalars": "1", "delta_a_mu": "1",
    "delta_a_e": "1", "delta_a_tau": "1", "yy_mu_e": "1",
    **{f"sigma_{side}_{n}_{part}": "GeV^-1" for side in ("l", "r") for n in dipoles.PAIRS for part in ("re", "im")},
    "br_mu_e_gamma": "1", "br_tau_mu_gamma": "1", "br_tau_e_gamma": "1",
    "lambda_max": "1", "lambda_portal_max": "1", "naturalness_ratio": "1",
}

CONSTRAINTS = (
    Constraint("na48_2015_visible", "eps_visible", "curve", entry="na48_2015_visible_dark_photon", mass="m_zd",
               note="[paper set, superseded by the constraints library] Z_D → e⁺e⁻ dominates while Z_D → N N is closed", default=False),
    Constraint("babar_2014_visible", "eps_visible", "curve", entry="babar2014_visible_dark_photon", mass="m_zd", default=False, note="[paper set, superseded by the constraints library]"),
    Constraint("kloe_2018_visible", "eps_visible", "curve", entry="kloe2018_visible_dark_photon", mass="m_zd", default=False, note="[paper set, superseded by the constraints library]"),
    Constraint("na64_2023_invisible", "eps_invisible", "curve", entry="na64_2023_invisible_dark_photon", mass="m_zd",
               note="[paper set, superseded by the constraints library] Z_D → N N open: invisible decays dominate for g_D ≫ e ε", default=False),
    Constraint("babar_2017_invisible", "eps_invisible", "curve", entry="babar2017_invisible_dark_photon", mass="m_zd", default=False, note="[paper set, superseded by the constraints library]"),
    Constraint("perturbative_y_nu", "y_nu_max", "upper", limit=SQRT_4PI, note="|y_ν| < √(4π)"),
    Constraint("perturbative_quartics", "lambda_max", "upper", limit=4 * float(jnp.pi), note="|λ| < 4π"),
    Constraint("naturalness", "naturalness_ratio", "lower", limit=1.0,
               note="paper footnote 2: M_lightest ≥ √λ M_heavy/(8π), λ the largest doublet–singlet portal quartic"),
    Constraint("vacuum_stability", "scalar_stability", "lower", limit=1e-12,
               note="all physical scalar mass² positive (relative to the largest) at the chosen vacuum"),
)

MINIBOONE = {
        'g_d': 1.6107920874557469,
        'eps': 0.0006604537339998341,
        'v_phi': 2.2399321756341683e-05,
        'omega1': 0.018628225596447865,
        'omega2': 8.776167141885972e-05,
        'lam_H': 0.12886787061513524,
        'lam_phi': 0.410783232486574,
        'lam_S1': 106.66015320863956,
        'lam_S2': 0.5,
        'lam_Hphi': -1.1554134926634807,
        'lam_Hphi_p': 0.0006062890464997158,
        'lam_HS1': 0.007150730166793059,
        'lam_HS2': -0.00723123814125437,
        'lam_phiS1': 0.001,
        'lam_phiS2': 0.001,
        'lam_S1S2': 0.01,
        'mu': 0.1382138296766657,
        'mu_p': 0.07170135443671596,
        'alpha': 0.007243832071702438,
        'm_n1': 0.16216922805024056,
        'm_n2': 0.16513975982003687,
        'm_n3': 0.15001842607266483,
        'y_n1': 0.1,
        'y_n2': 0.1,
        'y_n3': 0.1,
        'y_np1': 0.4947236937362024,
        'y_np2': 0.41710450462134263,
        'y_np3': 0.4978138044321366,
        'm_nu_lightest': 0.0,
        'r12_re': 0.0,
        'r12_im': 0.0,
        'r13_re': 0.0,
        'r13_im': 0.0,
        'r23_re': 0.0,
        'r23_im': 0.0,
        'alpha21': 0.0,
        'alpha31': 0.0,
}
"""Lagrangian inputs reproducing Table 2 of paper 001 (χ² = 0.03 over its printed
precision), found by :func:`.benchmark.recover_table2_inputs` from its ``START``."""

# observables carrying the H_D^± loop (own and the constraints library's), for ``validity``
_H_LOOP_OBS = ("br_mu_e_gamma", "br_tau_mu_gamma", "br_tau_e_gamma", "lfv_br_mu_e_gamma", "lfv_br_tau_mu_gamma",
               "lfv_br_tau_e_gamma", "lfv_br_mu_3e", "lfv_cr_mu_e_au", "delta_a_mu_hd_charged", "delta_a_mu",
               "delta_a_e", "delta_a_tau", "eg2_delta_a_e")

MODEL = Model(
    name="dark_inverse_seesaw",
    description="Dynamical inverse seesaw from a light U(1)_D dark sector (Z_D, dark scalars, 6 dark neutrinos)",
    reference="Bertuzzo, Jana, Machado, Zukanovich Funchal, PLB 791 (2019) 210, arXiv:1808.02500",
    parameters=PARAMETERS,
    observables=observables,
    units=UNITS,
    constraints=CONSTRAINTS,
    benchmarks={"MiniBooNE": MINIBOONE},
    couplings=couplings,
    coupling_sections=("light_vector", "lepton_dipole", "lepton_g2"),
    validity=(Validity(_H_LOOP_OBS,
                       lambda obs, th: obs["y_nu_max"] < SQRT_4PI,
                       "|y_ν| ≥ √(4π): the one-loop H_D^± dipole is outside perturbative validity"),
              Validity(_H_LOOP_OBS,
                       lambda obs, th: obs["m_H_D_charged"] >= dipoles.M_S_FLOOR,
                       "M_{H_D^±} < 1.05 m_τ: ℓ → N H_D^± opens; the H_D^± loop is evaluated at 1.05 m_τ"),),
)
