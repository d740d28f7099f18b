r"""SU(2)_H horizontal symmetry: muon g-2 and the ν_μ–ν_e transition magnetic moment (paper 003).

K.S. Babu, S. Jana, M. Lindner, Vishnu P.K., "Muon g−2 anomaly and neutrino magnetic
moments", arXiv:2104.03291 (JHEP 10 (2021) 240); model of Babu, Jana, Lindner,
arXiv:2007.04291 (the paper's ref. [5]).

Fields and couplings (paper eqs. 1–7)
-------------------------------------
Expanding the Yukawa Lagrangian (3) in components (Φ = (φ_a^+, φ_a^0), a = 1, 2 the
SU(2)_H index; η = (η_1^+, η_2^+)):

* f′ Tr(ψ̄_L Φ) τ_R = f′ (ē_L φ_1^0 + μ̄_L φ_2^0 + ν̄_e φ_1^+ + ν̄_μ φ_2^+) τ_R
* h₃ ψ̄_3L Φ iτ₂ ψ_R^T = h₃ [τ̄_L(φ_1^0 μ_R − φ_2^0 e_R) + ν̄_τ(φ_1^+ μ_R − φ_2^+ e_R)]
* f η τ₂ψ_L^Tτ₂ C ψ_3L = f [(η_1 μ_L − η_2 e_L)^T C ν_τL + (η_2 ν_eL − η_1 ν_μL)^T C τ_L]

with h_a^+ = cos α η_a^+ + sin α φ_a^+, H_a^+ = −sin α η_a^+ + cos α φ_a^+ (eq. 6).
All couplings are taken real.  Parameters: ``f``, ``f_prime``, ``h3``, ``sin_alpha``,
``m_phi0`` (common mass of the complex φ_1^0, φ_2^0), ``m_hplus``, ``m_Hplus`` [GeV], and
two SU(2)_H-breaking inputs of eq. 13 that default to zero (fixed priors):
``delta_m2_phi`` [GeV²] (φ_1^+–φ_2^+ splitting) and ``delta_alpha`` (an explicit shift
of α between the two copies, e.g. from a breaking of the cubic μ term).  The seven
physical parameters alone evaluate every observable.

Sampling along the electroweak fit.  To leading order in the splittings (F(m₁², m₂²) ≈
(2/3)(m₁ − m₂)², :mod:`jaxg2.constraints.electroweak`), the two doublets give

    T ≈ (8/3) δ² / (16π² α v²) ≈ 3.6×10⁻⁵ (δ/GeV)²,   δ = sin²α m_h+ + cos²α m_H+ − m_φ0,

because w a² + (1 − w) b² − w(1 − w)(a − b)² = (w a + (1 − w) b)² for the charged states'
splittings a, b from m_φ0 and their doublet fractions w = sin²α, 1 − w (tested against the
library's T).  The S, T fit therefore confines m_H+ to a thin curved sheet in (sin α, m_φ0,
m_h+, m_H+), which NUTS crosses with tiny steps; in δ it is a slab |δ| ≲ 60 GeV.  The
parameter ``dm_doublet`` (δ, GeV; fixed and unused by default) with
``m_Hplus = { prior = "derived", rule = "from_doublet_split" }`` gives
m_H+ = (m_φ0 + δ − sin²α m_h+)/cos²α.  A uniform prior on δ is a prior on the old
coordinates ∝ cos²α (0.51–1 over sin α ≤ 0.7); m_H+ is held at its physical floor (10 GeV),
where the charged-scalar bound excludes it, when δ would make it smaller.

Observables (one pure function, :func:`observables`)
----------------------------------------------------
``delta_a_mu_neutral`` (eqs. 8, 10), ``delta_a_mu_charged`` (eqs. 9, 11),
``delta_a_mu``, ``delta_a_e`` — through :mod:`jaxg2.loops` with the couplings above in
the convention L = ℓ̄(C_S + C_P γ5)F S + h.c.:

* φ_2^0: μ̄ f′ P_R τ → C_S = C_P = f′/2; φ_1^0: μ̄ h₃ P_L τ → C_S = −C_P = h₃/2.  The
  chiral couplings make the m_τ-enhanced term vanish and the library's integral becomes
  Δa = m_μ²|y|²/(16π²) F_φ0 — exactly eqs. 8 and 10 (tested).  A complex scalar with
  F ≠ ℓ gives the same result as a real one (one contraction either way).
* h^+: f cos α (μ̄ P_R ν_τ^c) and h₃ sin α (μ̄ P_L ν_τ); H^+: −f sin α and h₃ cos α.  The
  internal neutrino is massless, so the two chiralities do not interfere and each
  gives m_μ²|y|²/(16π²) F_φ+ (eqs. 9, 11; tested).
* the electron couples with the same magnitudes (f′ to φ_1^0, h₃ to φ_2^0, f to η_2,
  h₃ to φ_2^+), so Δa_e is the same function at m_e: Δa_e ≃ Δa_μ (m_e/m_μ)² as in the
  paper (≈ 6×10⁻¹⁴ at the g−2 solution, tested).

``mu_nu`` — the transition moment μ_{ν_μν_e} in Bohr magnetons (eq. 12), derived here:
each of the two SU(2)_H diagrams (ν_μ–φ_2–η_2–ν_e and ν_e–φ_1–η_1–ν_μ, photon on τ or on
the scalar) is the chirally-enhanced dipole of a fermion of charge −1 (τ) and a scalar
of charge +1 with coupling product f f′ sin α cos α and the h^+ − H^+ propagator
difference.  One diagram, computed as for a Dirac fermion with the library's dipole
normalisation (μ = e Δa/(2m), m_τ-enhanced part), is μ₁ = e f f′ sinα cosα m_τ I(r)/(16π²M²)
per scalar.  In two-component form the diagrams give K (ν_e σ^{μν} ν_μ) F_μν and
−K (ν_μ σ^{μν} ν_e) F_μν = +K (ν_e σ^{μν} ν_μ) F_μν (the σ^{μν} bilinear is antisymmetric), so
they add (the mass terms, symmetric, cancel), and the amplitude ν_μ(L) → ν_e(R) γ is twice
the single-diagram one: μ_{ν_μν_e} = 2μ₁.  Per scalar of mass M, r = m_τ²/M²:

    μ/e = f f′ sin2α m_τ/(16π²) [I(r_h)/m_h² − I(r_H)/m_H²],
    I(r) = ∫₀¹ x²/(1−x+rx) dx + ∫₀¹ x(1−x)/(x + r(1−x)) dx → ln(1/r) − 1   (r → 0),

in the normalisation in which the ν–e scattering cross section is the Dirac one with
μ_eff = |μ_{ν_μν_e}| (what the XENON1T/Borexino numbers refer to).  Conversion:
μ/μ_B = (μ/e)·2m_e, computed as e·(μ/e) / ``constants.BOHR_MAGNETON`` (μ_B = e/(2m_e)
in GeV⁻¹, e = √(4πα)).
**Discrepancy:** the paper's eq. (12) has 1/(8π²): twice this result (see
``PAPER_DISCREPANCIES``).  The relative normalisation was checked against the
same loop in the g−2 library (a Dirac lepton's chirally-enhanced term, which reproduces
the Bauer–Neubert leptoquark formula) — see the tests.

``m_nu_tau`` [eV] (eq. 16): the diagonal Majorana mass from the f (η_1) and h₃ (φ_1^+)
vertices with an m_μ insertion.  With L = −½ m ν_τν_τ the two distinct vertices give
m = 2 × (single contraction) = h₃ f sin2α m_μ ln(m_H²/m_h²)/(16π²); the paper writes
1/(32π²) (a factor 2 smaller).

``m_nu_emu`` [eV] (eqs. 13–14): the ν_e–ν_μ mass that survives SU(2)_H breaking.  Each
diagram gives (f f′ m_τ/(32π²)) Q, Q = sin2α ln(m_H²/m_h²) = −2X G(m_h², m_H²) with
X = sinα cosα (m_h² − m_H²) the η–φ mixing entry and G(a, b) = ln(b/a)/(b − a); the two
diagrams subtract, m_eμ = (f f′ m_τ/(32π²)) |δQ|, δQ the first-order change of Q between the
copies.  The change is evaluated analytically (no difference of nearly equal numbers):
δm_η² of eq. 14 shifts the eigenvalues by δλ_h = c²δm_η² + s²δm_φ², δλ_H = s²δm_η² +
c²δm_φ² at fixed X, plus 2 cos2α δα ln(m_H²/m_h²).  In the large-splitting limit this is
sin2α δm_η²/m_h² — the paper's eq. (13) term — but with half its prefactor (same factor as
eq. 12), and the δm_φ² term carries a logarithm the schematic eq. (13) drops.

``eps_tau`` (eq. 15): η exchange in τ → ℓνν̄ Fierzes into the V−A structure of W exchange
with amplitude ratio ε_τ = f²/(4√2 G_F) (cos²α/m_h² + sin²α/m_H²) = (f²/g²) m_W²(...).
The paper writes cos²φ, sin²φ: φ is the charged-scalar mixing angle α of eq. 6.  μ decay
is untouched (η_1 couples μ–ν_τ, η_2 couples e–ν_τ, and they do not mix), τ → e and τ → μ
both get (1 + ε_τ)², hence g_τ/g_μ = 1 + ε_τ (``g_tau_over_g_mu``); the paper's
ε_τ ≤ 0.004 is 1.0011 + 2×0.0015 − 1.

``lep_lambda_eff`` [GeV]: integrating out φ_1^0 (coupling f′ ē_L τ_R) gives
(f′²/m²)(ē P_R τ)(τ̄ P_L e) = −(f′²/(2m²))(ē_Lγ^μ e_L)(τ̄_Rγ_μτ_R): the LEP contact
operator of model LR with η_LR = −1 and 4π/Λ² = f′²/(2m²), Λ = √(8π) m/|f′|.  For a light
mediator (m ≲ √s) the t-channel propagator 1/(m² − t) is averaged with the LR helicity
weight (1 − cos θ)² at the luminosity-weighted LEP-2 energy:
⟨1/(m² − t)⟩ = (3/8) [2b² − 2ab + a² ln(1 + 2b/a)]/b³, a = m², b = s/2 (→ 1/m² for m² ≫ s),
and Λ_eff = √(8π/(f′² ⟨1/(m² − t)⟩)).  An approximation (interference-dominated, single
energy) that reduces to the exact contact form for heavy φ^0.

``delta_n_nu_z``: Z → φ_a^0 φ_a^0* for the two complex neutral members of the doublet,
each Γ_νν̄ β³/2 (T₃ = −½), so ΔN_ν = β³, β = (1 − 4m_φ0²/m_Z²)^{1/2} below threshold;
compared with the measured N_ν — the paper's m_φ0 ≳ 45 GeV (m_Z/2).

Constraints (``MODEL.constraints``): τ universality (HFLAV, default; the paper's Pich 2014
value optional), m_ντ ≤ √|Δm²₃ℓ| (NuFIT, = the paper's 0.05 eV), N_ν, LEP ee → ττ, the
charged-scalar mass bound, ν magnetic-moment limits (Borexino, XENONnT, TEXONO, GEMMA),
the red-giant bound (off by default: the paper's ν_μ trapping argument), and the
XENON1T band as an optional interval ("signal") constraint.
"""

from __future__ import annotations

import math

import jax.numpy as jnp

from .. import constants as C
from .. import experiments
from ..loops import g2_charged_scalar, g2_neutral_scalar
from .base import Constraint, Model, Parameter, Prior

__all__ = [
    "MODEL", "observables", "transition_moment_loop", "mu_nu_over_e", "m_nu_tau",
    "m_nu_emu", "eps_tau", "lep_lambda_eff", "delta_n_nu_z", "delta_m2_eta",
    "PAPER_DISCREPANCIES", "FIG3_HPLUS_SPLIT", "FIG3_HEAVY_SPLIT", "doublet_split",
]

_INV16PI2 = 1.0 / (16.0 * math.pi**2)
GEV_TO_EV = 1e9

# The paper's Fig. 3 spectrum choices (theory choices, not data): m_h+ = m_φ0 + 50 GeV,
# m_H+ = m_h+ + 350 GeV.  Used by MODEL.derived.
FIG3_HPLUS_SPLIT = 50.0  # GeV
FIG3_HEAVY_SPLIT = 350.0  # GeV

_LEP = experiments.get("lep2_ee_tautau_lambda_lr_minus")
_LEP_S = float(_LEP.extra["sqrt_s_eff_gev"]) ** 2  # GeV²
_NUFIT = experiments.get("nufit_6_0_normal")
M_NU_MAX_EV = math.sqrt(abs(_NUFIT.values["dm2_3l_eV2"]))  # √|Δm²₃ℓ| ≈ 0.050 eV

PAPER_DISCREPANCIES = (
    "eq. (12): mu_nu has 1/(8 pi^2); the two SU(2)_H diagrams give 1/(16 pi^2) in the "
    "normalisation of the nu-e scattering cross section (factor 2 smaller moment; the "
    "XENON1T band needs |f f' sin2a| twice the paper's (1-8)e-3).",
    "eq. (13): prefactor 1/(16 pi^2) is 1/(32 pi^2) for the off-diagonal Majorana mass; the "
    "delta m_phi^2 term carries ln(m_H^2/m_h^2) - 1 rather than 1 in the large-splitting limit.",
    "eq. (16): m_nu_tau has 1/(32 pi^2); a diagonal Majorana mass from two distinct vertices is "
    "twice the single contraction: 1/(16 pi^2).",
    "eq. (15): cos^2 phi, sin^2 phi mean cos^2 alpha, sin^2 alpha (alpha of eq. 6).",
    "text after eq. (16): |h3| < 1e-2 from m_nu_tau <= 0.05 eV is far weaker than what eq. (16) "
    "itself implies (|h3| < ~1e-5 at the Fig. 3 point, f = 1e-2, sin a = 0.35).",
    "Fig. 3 / LEP: with the t-channel phi^0 exchange mapped on the LEP LR contact limit the g-2 "
    "band |f'| ~ m_phi0/(100 GeV) lies above the LEP bound for any Lambda_LR above ~2 TeV.",
)


def _f64(theta, name, default=None):
    v = theta[name] if (default is None or name in theta) else default
    return jnp.asarray(v, dtype=jnp.float64)


# --------------------------------------------------------------------------- helpers
def _safe_log(x):
    return jnp.log(jnp.where(x > 0, x, 1.0))


def transition_moment_loop(r):
    r"""I(r) = ∫₀¹ x²/(1 − x + r x) dx + ∫₀¹ x(1 − x)/(x + r(1 − x)) dx, r = m_F²/M².

    Photon on the internal fermion (first term) plus photon on the scalar (second term)
    for a fermion of charge −1 and a scalar of charge +1 around a neutral external line
    (the m_F-enhanced dipole).  Closed forms with u = 1 − r:
    ∫x²/(1−ux) = −[ln r + u + u²/2]/u³, ∫x(1−x)/(r+ux) = [½ + r/u + (r/u + r²/u²) ln r]/u.
    I(r) → ln(1/r) − 1 for r → 0 (the bracket of the paper's eq. 12).
    Valid for 0 < r ≤ 0.1 (M ≥ 3.2 m_F; the model's masses give r < 2e-3); no series
    branch is needed there.
    """
    r = jnp.asarray(r, dtype=jnp.float64)
    u = 1.0 - r
    lr = _safe_log(r)
    i_f = -(lr + u + 0.5 * u * u) / u**3
    i_s = (0.5 + r / u + (r / u + (r / u) ** 2) * lr) / u
    return i_f + i_s


def mu_nu_over_e(f, f_prime, sin_alpha, m_h, m_H, m_tau=C.M_TAU):
    r"""μ_{ν_μν_e}/e [GeV⁻¹] = f f′ sin2α m_τ/(16π²) [I(r_h)/m_h² − I(r_H)/m_H²] (see module doc).

    Signed (the sign of f f′ sin2α and of the bracket); compare |μ| with limits.
    """
    s = jnp.asarray(sin_alpha, dtype=jnp.float64)
    s2a = 2.0 * s * jnp.sqrt(jnp.clip(1.0 - s * s, 0.0, None))
    bracket = (transition_moment_loop((m_tau / m_h) ** 2) / m_h**2
               - transition_moment_loop((m_tau / m_H) ** 2) / m_H**2)
    return f * f_prime * s2a * m_tau * _INV16PI2 * bracket


def m_nu_tau(h3, f, sin_alpha, m_h, m_H, m_mu=C.M_MU):
    r"""Induced ν_τ Majorana mass [GeV] (paper eq. 16, corrected by a factor 2; module doc).

    m = h₃ f sin2α m_μ ln(m_H²/m_h²)/(16π²), signed.
    """
    s = jnp.asarray(sin_alpha, dtype=jnp.float64)
    s2a = 2.0 * s * jnp.sqrt(jnp.clip(1.0 - s * s, 0.0, None))
    return h3 * f * s2a * m_mu * jnp.log(m_H**2 / m_h**2) * _INV16PI2


def delta_m2_eta(f, m_mu=C.M_MU, m_e=C.M_E):
    r"""SU(2)_H-breaking η_1^+–η_2^+ splitting from m_μ ≠ m_e (paper eq. 14) [GeV²]:
    δm_η² ≃ |f|² (m_μ² − m_e²)/(16π²)."""
    return f * f * (m_mu**2 - m_e**2) * _INV16PI2


def _series_switch(t, exact, series, small=1e-3):
    """Double-where: evaluate ``exact`` on a safe t, the series near t = 0, then select."""
    near = jnp.abs(t) < small
    t_safe = jnp.where(near, 1.0, t)
    return jnp.where(near, series(t), exact(t_safe))


def m_nu_emu(f, f_prime, sin_alpha, m_h, m_H, delta_m2_phi=0.0, delta_alpha=0.0,
             m_tau=C.M_TAU):
    r"""ν_e–ν_μ Majorana mass from SU(2)_H breaking [GeV] (eqs. 13–14; module doc), ≥ 0.

    m = f f′ m_τ/(32π²) |δQ|,  δQ = sin2α [A(t) δλ_h + B(t) δλ_H]/m_h² + 2 cos2α δα ln(m_H²/m_h²),
    t = (m_H² − m_h²)/m_h², A = (ln(1+t) − t)/t, B = 1/(1+t) − ln(1+t)/t (series for |t| < 1e-3),
    δλ_h = c²δm_η² + s²δm_φ², δλ_H = s²δm_η² + c²δm_φ², δm_η² from :func:`delta_m2_eta`.
    """
    s = jnp.asarray(sin_alpha, dtype=jnp.float64)
    c2 = jnp.clip(1.0 - s * s, 0.0, None)
    s2a = 2.0 * s * jnp.sqrt(c2)
    c2a = 1.0 - 2.0 * s * s
    a, b = m_h**2, m_H**2
    t = (b - a) / a
    A = _series_switch(t, lambda x: (jnp.log1p(x) - x) / x,
                       lambda x: -x / 2 + x**2 / 3 - x**3 / 4)
    B = _series_switch(t, lambda x: 1.0 / (1.0 + x) - jnp.log1p(x) / x,
                       lambda x: -x / 2 + 2 * x**2 / 3 - 3 * x**3 / 4)
    dme = delta_m2_eta(f)
    dl_h = c2 * dme + s * s * delta_m2_phi
    dl_H = s * s * dme + c2 * delta_m2_phi
    dq = s2a * (A * dl_h + B * dl_H) / a + 2.0 * c2a * delta_alpha * jnp.log1p(t)
    return jnp.abs(f * f_prime * m_tau * dq * 0.5 * _INV16PI2)


def eps_tau(f, sin_alpha, m_h, m_H):
    r"""ε_τ = f²/(4√2 G_F) (cos²α/m_h² + sin²α/m_H²) = (f²/g²) m_W² (…)  (paper eq. 15, φ ≡ α)."""
    s2 = jnp.asarray(sin_alpha, dtype=jnp.float64) ** 2
    return f * f / (4.0 * math.sqrt(2.0) * C.G_FERMI) * ((1.0 - s2) / m_h**2 + s2 / m_H**2)


def lep_lambda_eff(f_prime, m_phi0, s=_LEP_S):
    r"""Effective LR contact scale [GeV] of t-channel φ_1^0 exchange in e⁺e⁻ → τ⁺τ⁻ (module doc).

    Λ_eff = √(8π / (f′² ⟨1/(m² − t)⟩)) with the (1 − cos θ)²-weighted average at energy √s;
    +inf at f′ = 0.
    """
    a = m_phi0**2
    b = 0.5 * s
    x = 2.0 * b / a
    # (3/8)[2b² − 2ab + a² ln(1+x)]/b³ = (3/(8a)) · 8 g(x)/x³ with g = x²/2 − x + ln(1+x)
    # (= x³/3 − x⁴/4 + … : series at small x keeps the heavy-mediator limit exact)
    g = _series_switch(x, lambda y: y * y / 2 - y + jnp.log1p(y),
                       lambda y: y**3 / 3 - y**4 / 4 + y**5 / 5 - y**6 / 6, small=1e-2)
    avg = 3.0 * g / (a * x**3)
    fp2 = jnp.asarray(f_prime, dtype=jnp.float64) ** 2
    ok = fp2 > 0
    fp2_safe = jnp.where(ok, fp2, 1.0)
    return jnp.where(ok, jnp.sqrt(8.0 * math.pi / (fp2_safe * avg)), jnp.inf)


def delta_n_nu_z(m_phi0, m_z=C.M_Z):
    r"""ΔN_ν = β³ from Z → φ_a^0 φ_a^0* (two complex scalars with T₃ = −½), 0 above threshold."""
    x = 1.0 - 4.0 * m_phi0**2 / m_z**2
    open_ = x > 0
    x_safe = jnp.where(open_, x, 1.0)
    return jnp.where(open_, x_safe * jnp.sqrt(x_safe), 0.0)


# ------------------------------------------------------------------------ g-2 loops
_LEPTONS = jnp.array([C.M_MU, C.M_E])  # (μ, e)


def _g2(f, fp, h3, s, m_phi0, m_h, m_H):
    """(neutral, charged) Δa for (μ, e): arrays of shape (..., 2)."""
    c = jnp.sqrt(jnp.clip(1.0 - s * s, 0.0, None))
    ml = _LEPTONS[:, None]  # (2, 1) against the coupling axis
    # neutral: φ_2^0 (f′, P_R) and φ_1^0 (h₃, P_L) for the muon; φ_1^0 and φ_2^0 for the electron
    cs_n = jnp.stack([fp / 2, h3 / 2], axis=-1)[..., None, :]
    cp_n = jnp.stack([fp / 2, -h3 / 2], axis=-1)[..., None, :]
    ms_n = jnp.stack([m_phi0, m_phi0], axis=-1)[..., None, :]
    neutral = g2_neutral_scalar(ml, C.M_TAU, ms_n, cs_n, cp_n).sum(-1)
    # charged: h^+ (f c: P_R; h₃ s: P_L) and H^+ (−f s: P_R; h₃ c: P_L), massless ν_τ
    y = jnp.stack([f * c, h3 * s, -f * s, h3 * c], axis=-1)[..., None, :]
    chir = jnp.array([1.0, -1.0, 1.0, -1.0])
    ms_c = jnp.stack([m_h, m_h, m_H, m_H], axis=-1)[..., None, :]
    charged = g2_charged_scalar(ml, 0.0, ms_c, y / 2, chir * y / 2).sum(-1)
    return neutral, charged


def observables(theta):
    """All observables at ``theta`` (dict of float64 arrays, any batch shape; see ``UNITS``)."""
    f, fp, h3 = _f64(theta, "f"), _f64(theta, "f_prime"), _f64(theta, "h3")
    s = _f64(theta, "sin_alpha")
    m0, mh, mH = _f64(theta, "m_phi0"), _f64(theta, "m_hplus"), _f64(theta, "m_Hplus")
    dm2_phi = _f64(theta, "delta_m2_phi", 0.0)
    dalpha = _f64(theta, "delta_alpha", 0.0)
    shape = jnp.broadcast_shapes(*(jnp.shape(v) for v in (f, fp, h3, s, m0, mh, mH, dm2_phi, dalpha)))
    f, fp, h3, s, m0, mh, mH, dm2_phi, dalpha = (
        jnp.broadcast_to(v, shape) for v in (f, fp, h3, s, m0, mh, mH, dm2_phi, dalpha))

    neutral, charged = _g2(f, fp, h3, s, m0, mh, mH)
    mu_e = mu_nu_over_e(f, fp, s, mh, mH)
    eps = eps_tau(f, s, mh, mH)
    return {
        "delta_a_mu_neutral": neutral[..., 0],
        "delta_a_mu_charged": charged[..., 0],
        "delta_a_mu": neutral[..., 0] + charged[..., 0],
        "delta_a_e": neutral[..., 1] + charged[..., 1],
        "mu_nu": C.E_EM * mu_e / C.BOHR_MAGNETON,  # μ = e·(μ/e); μ_B = e/(2m_e)
        "m_nu_tau": m_nu_tau(h3, f, s, mh, mH) * GEV_TO_EV,
        "m_nu_emu": m_nu_emu(f, fp, s, mh, mH, dm2_phi, dalpha) * GEV_TO_EV,
        "eps_tau": eps,
        "g_tau_over_g_mu": 1.0 + eps,
        "lep_lambda_eff": lep_lambda_eff(fp, m0),
        "delta_n_nu_z": delta_n_nu_z(m0),
        "n_nu_z": 3.0 + delta_n_nu_z(m0),
        "m_phi0": m0,
        "m_charged_min": jnp.minimum(mh, mH),
        "ff_prime_sin2alpha": f * fp * 2.0 * s * jnp.sqrt(jnp.clip(1.0 - s * s, 0.0, None)),
    }


UNITS = {
    "delta_a_mu_neutral": "1", "delta_a_mu_charged": "1", "delta_a_mu": "1", "delta_a_e": "1",
    "mu_nu": "mu_B", "m_nu_tau": "eV", "m_nu_emu": "eV", "eps_tau": "1",
    "g_tau_over_g_mu": "1", "lep_lambda_eff": "GeV", "delta_n_nu_z": "1", "n_nu_z": "1",
    "m_phi0": "GeV", "m_charged_min": "GeV", "ff_prime_sin2alpha": "1",
}

PARAMETERS = (
    Parameter("f", "1", "f", Prior.log_uniform(1e-3, 0.5), (-4 * math.pi, 4 * math.pi),
              "η Yukawa (eq. 3): ν_τ with μ_L/e_L, τ_L with ν_μ/ν_e"),
    Parameter("f_prime", "1", "f'", Prior.log_uniform(1e-2, 3.0), (-4 * math.pi, 4 * math.pi),
              "Φ Yukawa to τ_R (eq. 3): μ_L φ_2^0, e_L φ_1^0, ν φ^+"),
    Parameter("h3", "1", "h_3", Prior.log_uniform(1e-8, 1e-2), (-4 * math.pi, 4 * math.pi),
              "Φ Yukawa of ψ_3L to e_R, μ_R (eq. 3)"),
    Parameter("sin_alpha", "1", r"\sin\alpha", Prior.uniform(0.05, 0.7), (-1.0, 1.0),
              "η^+–φ^+ mixing (eqs. 6–7)"),
    Parameter("m_phi0", "GeV", r"m_{\phi^0}", Prior.uniform(40.0, 500.0), (10.0, 1e5),
              "common mass of the complex φ_1^0, φ_2^0"),
    Parameter("m_hplus", "GeV", r"m_{h^+}", Prior.uniform(60.0, 700.0), (10.0, 1e5),
              "lighter charged-scalar mass (two degenerate copies)"),
    Parameter("m_Hplus", "GeV", r"m_{H^+}", Prior.uniform(100.0, 1500.0), (10.0, 1e5),
              "heavier charged-scalar mass (two degenerate copies)"),
    Parameter("delta_m2_phi", "GeV^2", r"\delta m_\phi^2", Prior.fixed(0.0), (-1e4, 1e4),
              "SU(2)_H-breaking φ_1^+–φ_2^+ splitting in eq. 13 (default 0)"),
    Parameter("delta_alpha", "1", r"\delta\alpha", Prior.fixed(0.0), (-0.1, 0.1),
              "explicit SU(2)_H-breaking shift of α in eq. 13 (default 0)"),
    Parameter("dm_doublet", "GeV", r"\delta_{m}", Prior.fixed(0.0), (-1e4, 1e4),
              "sin²α m_h+ + cos²α m_H+ − m_φ0; sets m_H+ with rule from_doublet_split (module docstring)"),
)

CONSTRAINTS = (
    Constraint("tau_universality", "g_tau_over_g_mu", "gaussian", entry="tau_universality_g_tau_over_g_mu", null_value=1.0,
               note="g_tau/g_mu = 1 + eps_tau (HFLAV 2022)"),
    Constraint("tau_universality_pich2014", "g_tau_over_g_mu", "gaussian", entry="tau_universality_pich_2014", null_value=1.0,
               default=False, note="the paper's input (eps_tau <= 0.004 at 2 sigma)"),
    Constraint("m_nu_tau", "m_nu_tau", "upper", absolute=True, limit=M_NU_MAX_EV,
               note="|m_nu_tau| <= sqrt(|dm2_3l|) (NuFIT 6.0 NO) = 0.050 eV: the heaviest-neutrino "
                    "scale; the paper's 0.05 eV"),
    Constraint("m_nu_emu", "m_nu_emu", "upper", absolute=True, limit=M_NU_MAX_EV, default=False,
               note="SU(2)_H-breaking nu_e-nu_mu mass below the heaviest-neutrino scale"),
    Constraint("z_width", "n_nu_z", "gaussian", entry="n_nu_z_width", null_value=3.0, default=False,
               note="N_nu = 3 + beta^3 from Z -> phi0 phi0*; the paper's m_phi0 > m_Z/2 "
                    "[paper set, superseded by the constraints library's z_invisible: same value]"),
    Constraint("z_threshold", "m_phi0", "lower", limit=C.M_Z / 2, default=False,
               note="kinematic form of the Z-width bound: m_phi0 >= m_Z/2"),
    Constraint("lep_ee_tautau", "lep_lambda_eff", "lower", entry="lep2_ee_tautau_lambda_lr_minus", default=False,
               note="t-channel phi_1^0 exchange as LR contact interaction (eta_LR = -1); off by default: the "
                    "registry entry is UNVERIFIED and no per-energy LEP table was at hand for a recast of "
                    "sigma and A_FB (issue 13)"),
    Constraint("charged_higgs_mass", "m_charged_min", "lower", entry="lep_charged_scalar_mass_bound"),
    Constraint("hllhc_projection", "m_phi0", "lower", entry="hllhc_phi0_reach_projection", default=False,
               note="PROJECTION: HL-LHC 5 sigma reach in m_phi0 (1 ab^-1), the paper's Fig. 3 dashed line"),
    Constraint("borexino", "mu_nu", "upper", entry="borexino_2017_mu_nu", absolute=True, default=False, note="[paper set, superseded by the constraints library (flavour-weighted moments)]"),
    Constraint("xenonnt", "mu_nu", "upper", entry="xenonnt_2022_mu_nu", absolute=True, default=False, note="[paper set, superseded by the constraints library (flavour-weighted moments)]"),
    Constraint("texono", "mu_nu", "upper", entry="texono_2007_mu_nu", absolute=True, default=False, note="[paper set, superseded by the constraints library (flavour-weighted moments)]"),
    Constraint("gemma", "mu_nu", "upper", entry="gemma_2012_mu_nu", absolute=True, default=False),
    Constraint("red_giant", "mu_nu", "upper", entry="red_giant_2020_mu_nu", absolute=True, default=False,
               note="off by default: evaded if nu_mu gets a matter-dependent keV mass (paper's trapping argument)"),
    Constraint("xenon1t_signal", "mu_nu", "interval", entry="xenon1t_2020_mu_nu_band", absolute=True,
               default=False, note="XENON1T excess band (90% CL) as a signal likelihood"),
)


def _derived_m_hplus(theta):
    """Fig. 3 spectrum: m_h+ = m_φ0 + 50 GeV (the paper's choice, T parameter + LEP)."""
    return jnp.asarray(theta["m_phi0"], dtype=jnp.float64) + FIG3_HPLUS_SPLIT


def _derived_m_Hplus(theta):
    """Fig. 3 spectrum: m_H+ = m_h+ + 350 GeV."""
    return jnp.asarray(theta["m_hplus"], dtype=jnp.float64) + FIG3_HEAVY_SPLIT


_M_HPLUS_FLOOR = 10.0  # GeV: the lower end of m_Hplus's physical range


def _m_Hplus_from_doublet_split(theta):
    r"""m_H+ = (m_φ0 + δ − sin²α m_h+)/cos²α, δ = ``dm_doublet`` (module docstring; T ∝ δ²).

    Held at 10 GeV (the physical range's floor) where the expression falls below it.
    """
    s2 = _f64(theta, "sin_alpha") ** 2
    c2 = jnp.maximum(1.0 - s2, 1e-12)
    raw = (_f64(theta, "m_phi0") + _f64(theta, "dm_doublet") - s2 * _f64(theta, "m_hplus")) / c2
    return jnp.maximum(raw, _M_HPLUS_FLOOR)


def doublet_split(sin_alpha, m_phi0, m_hplus, m_Hplus):
    """δ = sin²α m_h+ + cos²α m_H+ − m_φ0 [GeV] (the inverse of rule ``from_doublet_split``)."""
    s2 = jnp.asarray(sin_alpha, dtype=jnp.float64) ** 2
    return s2 * m_hplus + (1.0 - s2) * m_Hplus - m_phi0


BENCHMARKS = {
    # Fig. 3 slice at m_φ0 = 100 GeV on the g-2 band (|f′| ≈ 1.03 for Δa_μ = 251e-11)
    "fig3": {"f": 1e-2, "f_prime": 1.0, "h3": 1e-6, "sin_alpha": 0.35, "m_phi0": 100.0,
             "m_hplus": 150.0, "m_Hplus": 500.0, "delta_m2_phi": 0.0, "delta_alpha": 0.0,
             "dm_doublet": 0.0},
    # μ_ν = 2.2e-11 μ_B (inside the XENON1T band) with every default constraint but XENONnT
    # satisfied; LEP then limits |f′| and Δa_μ ≈ 2.1e-10, short of the 2021 anomaly
    "xenon1t": {"f": 0.02, "f_prime": 0.15, "h3": 1e-7, "sin_alpha": 0.6, "m_phi0": 50.0,
                "m_hplus": 100.0, "m_Hplus": 450.0, "delta_m2_phi": 0.0, "delta_alpha": 0.0,
                "dm_doublet": 0.0},
}

def couplings(theta, obs):
    r"""The model's couplings in the generic sections of :mod:`jaxg2.constraints`.

    ``nu_moments``: the Majorana transition moment μ_{ν_μν_e} (``mu_nu``, μ_B) as the
    antisymmetric flavour matrix λ^f_{eμ} = −λ^f_{μe} = μ, rotated to the mass basis,
    λ = Uᵀ λ^f U with the NuFIT 6.0 normal-ordering PMNS matrix (no Majorana phases), so
    that each detector sees its own flavour-weighted effective moment (e.g. solar
    Borexino/XENON: √(1 − P_eτ)-type weighting) instead of |μ_{ν_μν_e}| itself.
    ``lepton_g2``: Δa_e, Δa_μ.
    ``scalar_doublets``: the two SU(2)_L doublets Φ_a = (φ_a^+, φ_a^0) (a = 1, 2, degenerate
    by SU(2)_H), no vev, complex neutral member of mass ``m_phi0``; the charged member mixes
    with the SU(2)_L-singlet η_a^+ (eq. 6): φ^+ = sin α h^+ + cos α H^+, so the state of mass
    ``m_hplus`` carries the doublet fraction sin²α and ``m_Hplus`` the rest.  The library
    gives S, T (``t_parameter``; the paper's spectrum m_h+ = m_φ0 + 50 GeV was chosen for T),
    their Δχ² against the electroweak fit and the invisible Z width (Z → φ⁰φ⁰*).
    """
    from ..neutrino import pmns_from_data

    mu = jnp.asarray(obs["mu_nu"], dtype=jnp.float64)
    zero = jnp.zeros_like(mu)
    lam_f = jnp.stack([jnp.stack([zero, mu, zero], -1), jnp.stack([-mu, zero, zero], -1),
                       jnp.stack([zero, zero, zero], -1)], -2).astype(jnp.complex128)
    u = pmns_from_data("normal")
    lam = jnp.einsum("ai,...ab,bj->...ij", u, lam_f, u)
    return {"nu_moments": {"lambda_mu_b": lam},
            "lepton_g2": {"delta_a_e": obs["delta_a_e"], "delta_a_mu": obs["delta_a_mu"]},
            "scalar_doublets": _scalar_doublets(theta)}


def _scalar_doublets(theta):
    """The ``scalar_doublets`` section: two copies of (h^+/H^+, φ⁰) with w = sin²α (see ``couplings``)."""
    def two(v):
        v = jnp.asarray(v, dtype=jnp.float64)
        return jnp.stack([v, v], axis=-1)

    s = jnp.asarray(theta["sin_alpha"], dtype=jnp.float64)
    return {"m_charged": two(theta["m_hplus"]), "m_charged_2": two(theta["m_Hplus"]),
            "w_charged": two(s * s), "m_neutral": two(theta["m_phi0"])}


MODEL = Model(
    name="su2h",
    description="SU(2)_H horizontal symmetry: muon g-2 and the nu_mu-nu_e transition magnetic moment",
    reference="Babu, Jana, Lindner, Vishnu, arXiv:2104.03291 (JHEP 10 (2021) 240)",
    parameters=PARAMETERS,
    observables=observables,
    units=UNITS,
    constraints=CONSTRAINTS,
    benchmarks=BENCHMARKS,
    signal="delta_a_mu",
    derived={"m_hplus": _derived_m_hplus, "m_Hplus": _derived_m_Hplus,
             "m_Hplus:from_doublet_split": _m_Hplus_from_doublet_split},
    couplings=couplings,
    coupling_sections=("nu_moments", "lepton_g2", "scalar_doublets"),
)
