r"""Neutrino trident production ν_μ N → ν_μ N μ⁺μ⁻ (CCFR, CHARM-II) with a light vector X.

Convention.  Below the weak scale the SM (W and Z exchange, Fierzed) gives

    L = −(G_F/√2) [ν̄_μ γ^α (1−γ5) ν_μ] [μ̄ γ_α (C_V − C_A γ5) μ],  C_V = ½ + 2 s_W²,  C_A = ½,

and a vector X of mass m with L ⊃ g_ν X_α ν̄_μγ^αP_Lν_μ + g_μ X_α μ̄γ^αμ, exchanged between
the neutrino line and the muon line at spacelike momentum k = p_ν − p_ν′ (K² = −k² ≥ 0),
shifts the vector coupling by

    ΔC_V(K²) = g_ν g_μ v²/(K² + m²),   v² = 1/(√2 G_F)

— the full propagator, valid at every m; m² ≫ K² gives the contact limit of
Altmannshofer, Gori, Pospelov, Yavin (PRL 113 (2014) 091801, arXiv:1406.2332) kept in
:mod:`jaxg2.models.lmu_ltau.trident`.

νγ → νμ⁺μ⁻.  The amplitude (photon ε, p₃ = μ⁻, p₄ = μ⁺, S(p) = (p̸ + m_μ)/(p² − m_μ²))

    M = e (G_F/√2) N_α ū(p₃)[ε̸ S(p₃ − q) Γ^α + Γ^α S(q − p₄) ε̸] v(p₄),
    N_α = ū(p_ν′) γ_α (1−γ5) u(p_ν),   Γ^α = γ^α (c_V − c_A γ5),

is evaluated numerically (explicit Weyl-basis spinors for the massless left-handed
neutrino, a Dirac trace over the muon spins, the two transverse photon polarisations).
Since c_V depends only on K² and the V–A interference integrates to zero over the
μ⁺ ↔ μ⁻ symmetric phase space (C parity; checked in the tests),

    dσ_νγ/dK² = c_V(K²)² w_V(ŝ, K²) + C_A² w_A(ŝ, K²),
    dσ/dK² = 1/(1024 π⁴ ŝ²) ∫_{4m_μ²}^{ŝ−K²} dM² β_μ ∫ dΩ* ⟨|M|²⟩,

with M² the pair mass and Ω* the μ⁻ direction in the pair rest frame (polar axis
along the photon there, so the two collinear peaks sit at the poles).

Nucleus: equivalent-photon approximation for the coherent Coulomb field (transverse
photons of a static charge Ze, Helm form factor F of :mod:`._nuclear`):

    σ(E_ν) = (Z² α/π) ∫ dŝ/ŝ σ_νγ(ŝ) ∫_{Q²_min} dQ² (Q² − Q²_min)/Q⁴ F²(Q²),   Q²_min = (ŝ/2E_ν)².

Only the coherent (nuclear) part is kept; the diffractive scattering on single nucleons
(a ~10 % effect in the SM rate) is neglected, which cancels to first order in the ratio.

Beams (stated approximation): each experiment's spectrum is replaced by its mean
energy (registry ``trident_beams``).  Targets: CCFR iron (Fe-56); CHARM-II glass,
taken as SiO₂ (Si-28 + 2 O-16, each weighted by its own Z² and F).

Observable: σ_{SM+X}/σ_SM for CCFR and CHARM-II, Gaussian constraints on the registry
entries ``ccfr_trident_ratio`` and ``charm2_trident_ratio``.

Checks (tests/test_constraints_trident.py): Ward identity, an independent trace evaluation
of Σ|M|², a plain dense quadrature of dσ/dK², the contact limit of paper 002, and the CCFR
95 % CL (Δχ² = 3.84) upper end on g′ for U(1)_{Lμ−Lτ}, which follows the (unverified)
digitised curve of arXiv:1406.2332 within 8 % from m_Z′ = 15 MeV to 30 GeV.  For
m² ≪ K² the propagator saturates at 1/K²; at fixed coupling the ratio then still grows
logarithmically as m → 0 (dσ/dK² is finite at K² → 0).

Cost: all SM-only integrals (matrix elements, phase space, photon flux) are computed once
in numpy on first use (cached) and reduced to ~n_ŝ × n_K weights per experiment; the
X-dependent part is then a fixed weighted sum over K² nodes in JAX.
"""

from __future__ import annotations

import functools
import math

import jax.numpy as jnp
import numpy as np

from .. import constants as C
from .. import experiments
from ..models.base import Constraint
from ._nuclear import helm_form_factor
from .base import Family

# quadrature sizes: ln ŝ, ln K², ln M², collinear rapidity y, azimuth φ*
N_S, N_K, N_M, N_Y, N_PHI = 16, 12, 10, 10, 4
_Q_MAX = 1.0  # GeV: photon virtualities above this are cut (F² < 1e-6 for the nuclei used)

C_V_SM = 0.5 + 2.0 * C.SIN2_THETA_W_MSBAR_MZ
C_A_SM = 0.5

# --- Dirac algebra (Weyl basis, metric +−−−) -----------------------------------------------------
_S = (np.eye(2, dtype=complex), np.array([[0, 1], [1, 0]], complex),
      np.array([[0, -1j], [1j, 0]]), np.array([[1, 0], [0, -1]], complex))
_SB = (_S[0], -_S[1], -_S[2], -_S[3])
_Z2 = np.zeros((2, 2))
GAMMA = np.array([np.block([[_Z2, _S[i]], [_SB[i], _Z2]]) for i in range(4)])
GAMMA5 = np.block([[-_S[0], _Z2], [_Z2, _S[0]]])
_METRIC = np.array([1.0, -1.0, -1.0, -1.0])
_I4 = np.eye(4)


def slash(p):
    """p̸ = p_μ γ^μ for 4-vectors p[..., 4] (upper index)."""
    return np.einsum("...m,mab->...ab", p * _METRIC, GAMMA)


def mdot(a, b):
    return a[..., 0] * b[..., 0] - np.sum(a[..., 1:] * b[..., 1:], axis=-1)


def _boost(p, b):
    """Λ(b) p: the 4-vector p[..., 4] of a frame moving with velocity −b, seen from the frame where it moves with b."""
    b2 = np.sum(b * b, axis=-1)
    g = 1.0 / np.sqrt(1.0 - b2)
    bp = np.sum(b * p[..., 1:], axis=-1)
    f = np.where(b2 > 0, (g - 1.0) / np.where(b2 > 0, b2, 1.0), 0.0)
    e = g * (p[..., 0] + bp)
    v = p[..., 1:] + (f * bp)[..., None] * b + (g * p[..., 0])[..., None] * b
    return np.concatenate([e[..., None], v], axis=-1)


def kinematics(s, k2, m2, c, phi):
    """Momenta (p_ν, q, p_ν′, p₃, p₄) in the νγ c.m. frame (ν along +z) for ŝ, K², pair mass²
    M², cos θ* of μ⁻ to the photon in the pair frame, and azimuth φ* (arrays broadcast)."""
    s, k2, m2, c, phi = np.broadcast_arrays(*(np.asarray(x, float) for x in (s, k2, m2, c, phi)))
    e = 0.5 * np.sqrt(s)
    e2 = (s - m2) / (2.0 * np.sqrt(s))
    ct = np.clip(1.0 - k2 / (2.0 * e * e2), -1.0, 1.0)
    st = np.sqrt(1.0 - ct**2)
    zero = np.zeros_like(s)
    p1 = np.stack([e, zero, zero, e], -1)
    q = np.stack([e, zero, zero, -e], -1)
    p2 = np.stack([e2, e2 * st, zero, e2 * ct], -1)
    big_p = p1 + q - p2
    beta = big_p[..., 1:] / big_p[..., :1]
    q_rest = _boost(q, -beta)
    n = q_rest[..., 1:] / np.linalg.norm(q_rest[..., 1:], axis=-1, keepdims=True)
    a = np.where(np.abs(n[..., :1]) < 0.9, np.array([1.0, 0.0, 0.0]), np.array([0.0, 1.0, 0.0]))
    e1 = a - np.sum(a * n, -1, keepdims=True) * n
    e1 /= np.linalg.norm(e1, axis=-1, keepdims=True)
    e2v = np.cross(n, e1)
    mass = np.sqrt(m2)
    pst = 0.5 * mass * np.sqrt(1.0 - 4.0 * C.M_MU**2 / m2)
    d = c[..., None] * n + np.sqrt(1.0 - c**2)[..., None] * (np.cos(phi)[..., None] * e1 + np.sin(phi)[..., None] * e2v)
    p3 = _boost(np.concatenate([(0.5 * mass)[..., None], pst[..., None] * d], -1), beta)
    p4 = _boost(np.concatenate([(0.5 * mass)[..., None], -pst[..., None] * d], -1), beta)
    return p1, q, p2, p3, p4


def neutrino_current(p1, p2):
    """N^α = ū_L(p₂) γ^α (1−γ5) u_L(p₁) for massless left-handed neutrinos (p₁ along +z,
    p₂ in the x–z plane): 2 √(2E₁ 2E₂) ξ₂† σ̄^α ξ₁ with helicity −½ two-spinors ξ."""
    th = np.arccos(np.clip(p2[..., 3] / p2[..., 0], -1.0, 1.0))
    x1 = np.stack([np.zeros_like(th) + 0j, np.ones_like(th) + 0j], -1)
    x2 = np.stack([-np.sin(0.5 * th) + 0j, np.cos(0.5 * th) + 0j], -1)
    amp = [np.einsum("...a,ab,...b->...", x2.conj(), _SB[i], x1) for i in range(4)]
    return 2.0 * np.sqrt(4.0 * p1[..., 0] * p2[..., 0])[..., None] * np.stack(amp, -1)


def matrix_elements(p1, q, p2, p3, p4, eps=None, interference=False):
    """Photon-polarisation-averaged Σ|M|²/(e² G_F²/2) for (c_V, c_A) = (1, 0) and (0, 1)
    (and, with ``interference``, the coefficient of c_V c_A).  ``eps``: photon polarisation
    vectors averaged over (default: the two transverse ones for q along −z).

    Uses Σ_spins |ū₃ A v₄|² = Tr[(p̸₃ + m) A (p̸₄ − m) γ⁰A†γ⁰] = Tr[(γ⁰(p̸₃ + m)) A ((p̸₄ − m)γ⁰) A†].
    """
    m = C.M_MU
    ng = {"v": slash(neutrino_current(p1, p2))}
    ng["a"] = ng["v"] @ (-GAMMA5)
    k1, k2 = p3 - q, q - p4
    s1 = (slash(k1) + m * _I4) / (mdot(k1, k1) - m * m)[..., None, None]
    s2 = (slash(k2) + m * _I4) / (mdot(k2, k2) - m * m)[..., None, None]
    left = GAMMA[0] @ (slash(p3) + m * _I4)
    right = (slash(p4) - m * _I4) @ GAMMA[0]
    eps = [np.array([0.0, 1.0, 0.0, 0.0]), np.array([0.0, 0.0, 1.0, 0.0])] if eps is None else eps
    keys = ("vv", "aa", "va") if interference else ("vv", "aa")
    out = np.zeros((len(keys),) + p1.shape[:-1])
    for ev in eps:
        es = slash(np.asarray(ev, complex))
        s2es = s2 @ es
        amp = {k: es @ (s1 @ g) + g @ s2es for k, g in ng.items()}
        lx = {k: left @ a for k, a in amp.items()}
        ry = {k: right @ np.conj(np.swapaxes(a, -1, -2)) for k, a in amp.items()}
        tr = lambda x, y: np.real(np.einsum("...ij,...ji->...", lx[x], ry[y]))  # noqa: E731
        out += np.stack([tr(k[0], k[1]) + (tr(k[1], k[0]) if k[0] != k[1] else 0.0) for k in keys])
    return out / len(eps)


def _gl(n, lo, hi):
    """Gauss–Legendre nodes/weights on [lo, hi] (arrays broadcast; nodes on the last axis)."""
    x, w = np.polynomial.legendre.leggauss(n)
    lo, hi = np.asarray(lo, float)[..., None], np.asarray(hi, float)[..., None]
    return 0.5 * (hi - lo) * x + 0.5 * (hi + lo), 0.5 * (hi - lo) * w


def dsigma_dk2(s, k2, n_m=N_M, n_y=N_Y, n_phi=N_PHI, interference=False):
    """(w_V, w_A[, w_VA]): dσ(νγ→νμμ)/dK² [GeV⁻⁴] per unit c_V², C_A² (and c_V C_A) at ŝ
    (scalar) and K² (1-d array, K² < ŝ − 4m_μ²).  See the module docstring."""
    m = C.M_MU
    k2 = np.asarray(k2, float)
    lnm2, wm = _gl(n_m, np.full_like(k2, math.log(4 * m * m)), np.log(s - k2))   # (K, M)
    m2 = np.exp(lnm2)
    beta = np.sqrt(np.clip(1.0 - 4 * m * m / m2, 0.0, None))
    y, wy = _gl(n_y, -np.arctanh(beta), np.arctanh(beta))                      # (K, M, Y)
    c = np.tanh(y) / beta[..., None]
    wc = wy * (1.0 - (beta[..., None] * c) ** 2) / beta[..., None]
    phi = (np.arange(n_phi) + 0.5) * 2.0 * math.pi / n_phi
    shape = k2.shape + (n_m, n_y, n_phi)
    mom = kinematics(s, np.broadcast_to(k2[:, None, None, None], shape), np.broadcast_to(m2[..., None, None], shape),
                     np.broadcast_to(c[..., None], shape), np.broadcast_to(phi, shape))
    msq = matrix_elements(*mom, interference=interference)                       # (2|3, K, M, Y, PHI)
    weight = (wm * m2 * beta)[..., None, None] * wc[..., None] * (2.0 * math.pi / n_phi)
    integral = np.sum(msq * weight, axis=(-1, -2, -3))
    return integral * 0.5 * C.G_FERMI**2 * 4.0 * math.pi * C.ALPHA_EM / (1024.0 * math.pi**4 * s**2)


def photon_flux_integral(s, e_nu, a_mass_number, n_q=64):
    """∫_{Q²_min} dQ² (Q² − Q²_min)/Q⁴ F²(Q²), Q²_min = (ŝ/2E)², cut at Q = Q_max (numpy)."""
    q2min = (np.asarray(s, float) / (2.0 * e_nu)) ** 2
    lo, hi = np.log(q2min), np.log(np.maximum(q2min * 1.0000001, _Q_MAX**2))
    t, w = _gl(n_q, lo, hi)
    q2 = np.exp(t)
    f2 = helm_form_factor(np.sqrt(q2), a_mass_number) ** 2
    return np.sum(w * (q2 - q2min[..., None]) / q2 * f2, axis=-1)


EXPERIMENTS = ("ccfr", "charm2")
# target nuclei (Z, A, number per target unit): CCFR iron, CHARM-II glass taken as SiO2
TARGETS = {"ccfr": ((26, 56, 1),), "charm2": ((14, 28, 1), (8, 16, 2))}


def beam_energy(name: str) -> float:
    """Mean neutrino energy [GeV] of experiment ``name`` (registry ``trident_beams``)."""
    return float(experiments.get("trident_beams").values[f"{name}_e_nu_gev"])


@functools.lru_cache(maxsize=None)
def sigma_table(n_s=N_S, n_k=N_K, n_m=N_M, n_y=N_Y, n_phi=N_PHI):
    """Shared νγ table: ŝ nodes, their ln ŝ weights, K² nodes (n_s, n_k), and w_V, w_A ×
    K² × (ln K² weight) — dσ_νγ integrated over K² bins [GeV⁻²] (numpy, cached)."""
    m = C.M_MU
    s_hi = 2.0 * max(beam_energy(n) for n in EXPERIMENTS) * _Q_MAX
    lns, ws = _gl(n_s, math.log(4 * m * m * (1.0 + 1e-3)), math.log(s_hi))
    s = np.exp(lns)
    lnk, wk = _gl(n_k, np.log(1e-6 * s), np.log(s - 4 * m * m))
    k2 = np.exp(lnk)
    wv, wa = np.empty_like(k2), np.empty_like(k2)
    for i, si in enumerate(s):
        wv[i], wa[i] = dsigma_dk2(si, k2[i], n_m, n_y, n_phi) * wk[i] * k2[i]
    return s, ws, k2, wv, wa


@functools.lru_cache(maxsize=None)
def experiment_nodes(name: str, **grid):
    """(K² nodes [GeV²], w_V, w_A) of experiment ``name`` ("ccfr", "charm2"): the coherent
    νN trident cross section per target unit is Σ_i c_V(K²_i)² w_V,i + C_A² w_A,i [GeV⁻²]."""
    s, ws, k2, wv, wa = sigma_table(**grid)
    e_nu = beam_energy(name)
    flux = sum(k * z**2 * photon_flux_integral(s, e_nu, a) for z, a, k in TARGETS[name]) * C.ALPHA_EM / math.pi
    f = (ws * flux)[:, None]
    return k2.ravel(), (f * wv).ravel(), (f * wa).ravel()


def sm_cross_section(name: str) -> float:
    """SM coherent trident cross section per target unit (Fe nucleus; SiO₂) at the mean energy [cm²]."""
    _, wv, wa = experiment_nodes(name)
    return float(C_V_SM**2 * np.sum(wv) + C_A_SM**2 * np.sum(wa)) * C.GEV_INV2_TO_CM2


def cross_section_ratio(light_vector, name: str, **grid):
    """σ_{SM+X}/σ_SM of experiment ``name`` for a ``light_vector`` coupling section
    (``grid``: optional quadrature sizes of :func:`sigma_table`, for convergence checks)."""
    k2, wv, wa = experiment_nodes(name, **grid)
    m2 = jnp.asarray(light_vector.get("mass", 1.0), jnp.float64) ** 2
    gg = jnp.asarray(light_vector.get("nu_mu", 0.0), jnp.float64) * jnp.asarray(light_vector.get("mu", 0.0), jnp.float64)
    dcv = (gg / (math.sqrt(2.0) * C.G_FERMI))[..., None] / (jnp.asarray(k2) + m2[..., None])
    sm_a = C_A_SM**2 * float(np.sum(wa))
    num = jnp.sum(jnp.asarray(wv) * (C_V_SM + dcv) ** 2, axis=-1) + sm_a
    return num / (C_V_SM**2 * float(np.sum(wv)) + sm_a)


def observables(couplings) -> dict:
    lv = couplings["light_vector"]
    return {"trident_ccfr_ratio": cross_section_ratio(lv, "ccfr"),
            "trident_charm2_ratio": cross_section_ratio(lv, "charm2")}


FAMILIES = (
    Family(
        name="trident",
        requires=("light_vector",),
        observables=observables,
        units={"trident_ccfr_ratio": "1", "trident_charm2_ratio": "1"},
        constraints=(
            Constraint("ccfr_trident", "trident_ccfr_ratio", "gaussian", entry="ccfr_trident_ratio", family="trident", null_value=1.0,
                       note="EPA with the X propagator at every mass; mean-energy beam; coherent Fe only"),
            Constraint("charm2_trident", "trident_charm2_ratio", "gaussian", entry="charm2_trident_ratio",
                       family="trident", null_value=1.0, note="EPA with the X propagator; mean-energy beam; SiO2 glass, coherent only"),
        ),
        description="neutrino trident σ_{SM+X}/σ_SM (CCFR, CHARM-II), equivalent-photon approximation",
    ),
)

__all__ = ["FAMILIES", "EXPERIMENTS", "TARGETS", "C_V_SM", "C_A_SM", "beam_energy", "sigma_table",
           "experiment_nodes", "cross_section_ratio", "sm_cross_section", "dsigma_dk2", "photon_flux_integral",
           "matrix_elements", "kinematics", "neutrino_current"]
