"""SU(2)_H model (paper 003): g-2 against the paper's closed forms, the transition moment,
neutrino masses, constraints, the paper's quoted numbers, and the JAX transforms."""

import math
import tomllib
from pathlib import Path

import jax
import jax.numpy as jnp
import mpmath as mp
import numpy as np
import pytest

from jaxg2 import config, experiments
from jaxg2 import constants as C
from jaxg2.infer import Problem
from jaxg2.loops import g2_charged_scalar, g2_neutral_scalar
from jaxg2.models import get
from jaxg2.models import su2h_magnetic_moment as S

MODEL = get("su2h")
mp.mp.dps = 30
SEVEN = ("f", "f_prime", "h3", "sin_alpha", "m_phi0", "m_hplus", "m_Hplus")


def _point(**kw):
    th = dict(MODEL.benchmarks["fig3"])
    th.update(kw)
    return {k: jnp.asarray(v, dtype=jnp.float64) for k, v in th.items()}


_OBS = jax.jit(MODEL.observables)


# ----------------------------------------------------------- paper eqs. 8–11 (mpmath)
def _F_neutral(m_phi, ml=C.M_MU, mtau=C.M_TAU):
    """Paper eq. (10) by mpmath quadrature."""
    ml, mtau, m = mp.mpf(ml), mp.mpf(mtau), mp.mpf(m_phi)
    return mp.quad(lambda x: x**2 * (1 - x) / (ml**2 * x**2 + m**2 * (1 - x) + x * (mtau**2 - ml**2)),
                   [0, 1 - (mtau / m) ** 2, 1])


def _F_charged(m_s, ml=C.M_MU):
    """Paper eq. (11) by mpmath quadrature."""
    ml, m = mp.mpf(ml), mp.mpf(m_s)
    return mp.quad(lambda x: x**2 * (x - 1) / (ml**2 * x**2 + x * (m**2 - ml**2)), [0, 1])


@pytest.mark.parametrize("m_phi", [45.0, 120.0, 800.0])
def test_neutral_g2_is_paper_eq_8_10(m_phi):
    fp, h3 = 0.8, 0.05
    ref = C.M_MU**2 / (16 * mp.pi**2) * (fp**2 + h3**2) * _F_neutral(m_phi)
    o = _OBS(_point(f_prime=fp, h3=h3, m_phi0=m_phi))
    np.testing.assert_allclose(float(o["delta_a_mu_neutral"]), float(ref), rtol=1e-8)
    assert float(o["delta_a_mu_neutral"]) > 0  # positive, as the paper says


@pytest.mark.parametrize("mh,mH", [(100.0, 450.0), (300.0, 1300.0)])
def test_charged_g2_is_paper_eq_9_11(mh, mH):
    f, h3, s = 0.3, 0.02, 0.35
    c = math.sqrt(1 - s * s)
    ref = C.M_MU**2 / (16 * mp.pi**2) * ((f * c) ** 2 + (h3 * s) ** 2) * _F_charged(mh) \
        + C.M_MU**2 / (16 * mp.pi**2) * ((f * s) ** 2 + (h3 * c) ** 2) * _F_charged(mH)
    o = _OBS(_point(f=f, h3=h3, sin_alpha=s, m_hplus=mh, m_Hplus=mH))
    np.testing.assert_allclose(float(o["delta_a_mu_charged"]), float(ref), rtol=1e-8)
    assert float(o["delta_a_mu_charged"]) < 0


def test_heavy_mass_limits_of_eqs_10_11():
    """F_φ0 → 1/(3M²) and F_φ+ → −1/(6M²) for M ≫ m_τ: Δa = m²y²/(48π²M²), −m²y²/(96π²M²)."""
    M, y = 2.0e4, 0.7
    dn = g2_neutral_scalar(C.M_MU, C.M_TAU, M, y / 2, y / 2)
    dc = g2_charged_scalar(C.M_MU, 0.0, M, y / 2, y / 2)
    np.testing.assert_allclose(float(dn), C.M_MU**2 * y**2 / (48 * math.pi**2 * M**2), rtol=2e-4)
    np.testing.assert_allclose(float(dc), -C.M_MU**2 * y**2 / (96 * math.pi**2 * M**2), rtol=1e-6)
    # the paper's loop functions themselves approach the same limits
    assert abs(float(_F_neutral(M)) * 3 * M**2 - 1) < 2e-4
    assert abs(float(_F_charged(M)) * 6 * M**2 + 1) < 1e-6


def test_delta_a_e_is_mass_scaled_delta_a_mu():
    """Paper: Δa_e = Δa_μ (m_e/m_μ)² ≈ 6e-14 on the g-2 solution."""
    fp = _fprime_for(251e-11, 100.0)
    o = _OBS(_point(f_prime=fp))
    np.testing.assert_allclose(float(o["delta_a_e"]), float(o["delta_a_mu"]) * (C.M_E / C.M_MU) ** 2, rtol=5e-3)
    assert 5.5e-14 < float(o["delta_a_e"]) < 6.5e-14


# ------------------------------------------------------------- transition moment
@pytest.mark.parametrize("r", [1e-6, 3.2e-4, 1e-2, 0.1])
def test_transition_loop_against_mpmath(r):
    r_ = mp.mpf(r)
    ref = mp.quad(lambda x: x**2 / (1 - x + r_ * x), [0, 1 - r_, 1]) \
        + mp.quad(lambda x: x * (1 - x) / (x + r_ * (1 - x)), [0, r_, 1])
    np.testing.assert_allclose(float(S.transition_moment_loop(r)), float(ref), rtol=1e-10)


def test_transition_loop_small_r_is_paper_bracket():
    for r in (1e-8, 1e-6):
        np.testing.assert_allclose(float(S.transition_moment_loop(r)), math.log(1 / r) - 1, atol=50 * r * math.log(1 / r))


def test_transition_loop_normalisation_matches_g2_library():
    """The m_F-enhanced dipole of the g-2 library (photon on F; photon on S with the
    opposite scalar charge) for a light external fermion, per m m_F/(8π²M²), is I(r):
    the μ_ν formula uses the library's normalisation, μ = e Δa/(2m)."""
    m_l, M = 1e-4, 150.0
    unit = m_l * C.M_TAU / (8 * math.pi**2 * M**2)
    flip_f = 0.5 * (g2_neutral_scalar(m_l, C.M_TAU, M, 1.0, 0.0) - g2_neutral_scalar(m_l, C.M_TAU, M, 0.0, 1.0))
    flip_s = 0.5 * (g2_charged_scalar(m_l, C.M_TAU, M, 1.0, 0.0) - g2_charged_scalar(m_l, C.M_TAU, M, 0.0, 1.0))
    np.testing.assert_allclose(float((flip_f - flip_s) / unit),
                               float(S.transition_moment_loop((C.M_TAU / M) ** 2)), rtol=1e-5)


def test_library_dipole_normalisation_is_the_standard_one():
    """The same flip pieces with leptoquark charges (q_F = 2/3, q_S = 1/3, N_c = 3) give the
    Bauer–Neubert S1 result Δa = m m_t/(4π²M²)(ln(M²/m_t²) − 7/4) λ_L λ_R (M ≫ m_t): the
    normalisation used for μ_ν above is the standard dipole one."""
    m_t, M = 172.6, 4000.0
    fl_f = 0.5 * (g2_neutral_scalar(C.M_MU, m_t, M, 1.0, 0.0) - g2_neutral_scalar(C.M_MU, m_t, M, 0.0, 1.0))
    fl_s = 0.5 * (g2_charged_scalar(C.M_MU, m_t, M, 1.0, 0.0) - g2_charged_scalar(C.M_MU, m_t, M, 0.0, 1.0))
    lq = 3 * (2 / 3 * fl_f + 1 / 3 * fl_s)
    bn = C.M_MU * m_t / (4 * math.pi**2 * M**2) * (math.log(M**2 / m_t**2) - 7 / 4)
    np.testing.assert_allclose(float(lq), bn, rtol=1e-2)


def test_xenon1t_benchmark():
    o = _OBS(MODEL.benchmark("xenon1t"))
    for name, ok in (("xenon1t_signal", True), ("borexino", True), ("texono", True), ("m_nu_tau", True),
                     ("charged_higgs_mass", True), ("xenonnt", False), ("red_giant", False)):
        assert bool(MODEL.constraint(name).satisfied(o)) is ok, name


def test_mu_nu_is_half_of_paper_eq_12_and_in_bohr_magnetons():
    f, fp, s, mh, mH = 0.02, 0.4, 0.35, 150.0, 500.0
    s2a = 2 * s * math.sqrt(1 - s * s)
    eq12 = f * fp * C.M_TAU * s2a / (8 * math.pi**2) * (
        (math.log(mh**2 / C.M_TAU**2) - 1) / mh**2 - (math.log(mH**2 / C.M_TAU**2) - 1) / mH**2)
    o = _OBS(_point(f=f, f_prime=fp, sin_alpha=s, m_hplus=mh, m_Hplus=mH))
    # μ/μ_B = (μ/e)·2m_e: check the conversion explicitly
    np.testing.assert_allclose(float(o["mu_nu"]), 0.5 * eq12 * 2 * C.M_E, rtol=3e-3)
    np.testing.assert_allclose(C.BOHR_MAGNETON, C.E_EM / (2 * C.M_E))


def _ffs_for_mu(mu_target, mh, mH, paper_normalisation):
    mu1 = float(_OBS(_point(f=1.0, f_prime=1.0, sin_alpha=math.sqrt(0.5), m_hplus=mh, m_Hplus=mH))["mu_nu"])
    return mu_target / (mu1 * (2.0 if paper_normalisation else 1.0))


def test_xenon1t_needs_ffs_1_to_8_e3_with_paper_normalisation():
    """Paper: μ ∈ (1.6–3.4)e-11 μ_B needs |f f′ sin2α| ≥ (1–8)e-3 for m_h+ = 100–300 GeV
    (Fig. 3 spectrum m_H+ = m_h+ + 350 GeV).  Reproduced with eq. (12) as printed; the
    corrected moment needs twice as much."""
    low = experiments.get("xenon1t_2020_mu_nu_band").low
    at100 = _ffs_for_mu(low, 100.0, 450.0, True)
    at300 = _ffs_for_mu(low, 300.0, 650.0, True)
    assert 0.9e-3 < at100 < 1.3e-3
    assert 6e-3 < at300 < 1.0e-2
    np.testing.assert_allclose(_ffs_for_mu(low, 100.0, 450.0, False), 2 * at100, rtol=1e-12)


# ------------------------------------------------------------------ neutrino masses
def test_m_nu_tau_formula_and_h3_bound():
    """eq. (16) ×2 (Majorana diagonal, two distinct vertices) and the |h₃| bound it implies."""
    th = _point(h3=1e-6)
    o = _OBS(th)
    s = 0.35
    s2a = 2 * s * math.sqrt(1 - s * s)
    eq16 = 1e-6 * 1e-2 * s2a / (32 * math.pi**2) * C.M_MU * math.log(150.0**2 / 500.0**2) * 1e9
    np.testing.assert_allclose(float(o["m_nu_tau"]), -2 * eq16, rtol=1e-12)
    h3_max = 1e-6 * S.M_NU_MAX_EV / abs(float(o["m_nu_tau"]))
    assert h3_max < 1e-2  # the paper's statement holds ...
    assert 1e-6 < h3_max < 1e-5  # ... but eq. (16) gives a far stronger bound
    np.testing.assert_allclose(S.M_NU_MAX_EV, 0.05, rtol=0.01)  # √|Δm²₃ℓ| = the paper's 0.05 eV


def _q_exact(m_eta2, m_phi2, x):
    """Q = sin2α ln(m_H²/m_h²) of one SU(2)_H copy from its 2×2 mass matrix (mpmath)."""
    tr, det = m_eta2 + m_phi2, m_eta2 * m_phi2 - x * x
    disc = mp.sqrt(tr * tr / 4 - det)
    lh, lH = tr / 2 - disc, tr / 2 + disc
    return -2 * x * mp.log(lH / lh) / (lH - lh)


@pytest.mark.parametrize("mh,mH,dm2phi", [(150.0, 500.0, 0.0), (150.0, 500.0, 3e-3), (200.0, 200.02, 1e-3)])
def test_m_nu_emu_against_two_copy_difference(mh, mH, dm2phi):
    """First-order analytic δQ vs the exact difference of the two copies at 40 digits."""
    mp.mp.dps = 40
    f, fp, s = 0.3, 0.7, 0.35
    s_, c_ = mp.mpf(s), mp.sqrt(1 - mp.mpf(s) ** 2)
    a, b = mp.mpf(mh) ** 2, mp.mpf(mH) ** 2
    m_eta2, m_phi2, x = c_**2 * a + s_**2 * b, s_**2 * a + c_**2 * b, s_ * c_ * (a - b)
    dme = mp.mpf(f) ** 2 * (mp.mpf(C.M_MU) ** 2 - mp.mpf(C.M_E) ** 2) / (16 * mp.pi**2)
    eps = mp.mpf("1e-12")  # linearise: difference quotient along the breaking direction
    dq = (_q_exact(m_eta2 + eps * dme, m_phi2 + eps * dm2phi, x) - _q_exact(m_eta2, m_phi2, x)) / eps
    ref = abs(f * fp * C.M_TAU * dq / (32 * mp.pi**2)) * 1e9
    mp.mp.dps = 30
    got = S.m_nu_emu(f, fp, s, mh, mH, dm2phi, 0.0) * 1e9
    np.testing.assert_allclose(float(got), float(ref), rtol=1e-6)


def test_m_nu_emu_is_negligible_even_for_f_one():
    """Paper: δm_η² of eq. (14) does not induce a large ν mass even for |f| ~ 1."""
    o = _OBS(_point(f=1.0, f_prime=1.0))
    assert 1e-4 < float(o["m_nu_emu"]) < S.M_NU_MAX_EV  # ≈ 8e-3 eV at f = f′ = 1


# ------------------------------------------------------------------- constraints
def test_eps_tau_relation_and_f_bound():
    """ε_τ ≤ 0.004 (2σ of g_τ/g_μ = 1.0011 ± 0.0015) ⇒ |f| ≤ 0.05–0.25 for m_h+ = 100–500 GeV."""
    e = experiments.get("tau_universality_pich_2014")
    eps_max = e.value + 2 * e.sigma - 1.0
    np.testing.assert_allclose(eps_max, 0.004, rtol=0.03)
    for mh, expect in ((100.0, 0.05), (500.0, 0.25)):
        eps1 = float(S.eps_tau(1.0, 0.0, mh, 1e4))
        f_max = math.sqrt(eps_max / eps1)
        np.testing.assert_allclose(f_max, expect, rtol=0.06)
    # (f²/g²) m_W² with g² = 4√2 G_F m_W² is the same expression
    g2 = 4 * math.sqrt(2) * C.G_FERMI * C.M_W**2
    np.testing.assert_allclose(float(S.eps_tau(0.1, 0.3, 120.0, 400.0)),
                               0.01 / g2 * C.M_W**2 * (0.91 / 120.0**2 + 0.09 / 400.0**2), rtol=1e-12)


def test_lep_average_against_mpmath_and_contact_limit():
    s = S._LEP_S
    for m in (45.0, 100.0, 300.0):
        ref = mp.mpf(3) / 8 * mp.quad(lambda c: (1 - c) ** 2 / (m**2 + s * (1 - c) / 2), [-1, 1])
        lam = float(S.lep_lambda_eff(0.5, m))
        np.testing.assert_allclose(lam, math.sqrt(8 * math.pi / (0.25 * float(ref))), rtol=1e-10)
    m = 1e5  # heavy mediator: the contact form Λ = √(8π) m/|f′|
    np.testing.assert_allclose(float(S.lep_lambda_eff(2.0, m)), math.sqrt(8 * math.pi) * m / 2.0, rtol=1e-4)


def test_z_width_bound_is_mz_over_two():
    e = experiments.get("n_nu_z_width")
    ms = jnp.linspace(40.0, 46.0, 601)
    ok = 3.0 + S.delta_n_nu_z(ms) <= e.value + 2 * e.sigma
    m_min = float(ms[jnp.argmax(ok)])
    assert 44.0 < m_min < C.M_Z / 2  # the paper's ≳ 45 GeV
    assert float(S.delta_n_nu_z(C.M_Z / 2 + 1e-3)) == 0.0


def test_constraints_and_config_choices():
    o = _OBS(_point(f_prime=0.3, m_hplus=150.0))
    names = {c.name for c in MODEL.constraints if c.default}
    # the model's own limits plus the constraints library's flavour-weighted moment limits
    # (the paper's |μ_ν| comparisons stay available, off by default, for su2h_2021_paper.toml)
    assert {"tau_universality", "m_nu_tau", "z_invisible", "ew_st", "charged_higgs_mass",
            "borexino_mu_nu", "xenonnt_mu_nu", "texono_mu_nu", "gemma_mu_nu", "red_giant_mu_nu"} <= names
    assert not names & {"borexino", "xenonnt", "texono", "red_giant", "xenon1t_signal", "xenon1t_mu_nu_band",
                        "z_width", "lep_ee_tautau"}  # z_invisible replaces the own Z width (same N_ν);
    # the LEP e⁺e⁻ → τ⁺τ⁻ entry is unverified, so it is off unless a config adds it
    for c in MODEL.constraints:
        assert c.observable in MODEL.units
        assert np.isfinite(float(c.bound(o)).real if jnp.ndim(c.bound(o)) == 0 else 1.0)
    # XENON1T band is an interval on |μ_ν|; red giants exclude it
    xe = MODEL.constraint("xenon1t_signal")
    inside = {"mu_nu": jnp.asarray(-2e-11)}
    assert float(xe.log_likelihood(inside)) == 0.0
    assert float(MODEL.constraint("red_giant").log_likelihood(inside)) == -math.inf


def test_seven_parameters_suffice_and_units():
    th = {k: v for k, v in _point().items() if k in SEVEN}
    o = MODEL.observables(th)
    assert set(o) == set(MODEL.units)
    for k, v in o.items():
        assert v.dtype == jnp.float64, k
        assert np.isfinite(float(v)), k
    assert MODEL.derived["m_hplus"]({"m_phi0": 80.0}) == 130.0
    assert MODEL.derived["m_Hplus"]({"m_hplus": 130.0}) == 480.0


# ------------------------------------------------------------- Fig. 3 band position
def _fprime_for(target, m_phi0, f=1e-2, s=0.35):
    """|f′| with Δa_μ = target on the Fig. 3 slice (Δa_μ is affine in f′²)."""
    base = dict(f=f, sin_alpha=s, m_phi0=m_phi0, m_hplus=m_phi0 + 50.0, m_Hplus=m_phi0 + 400.0, h3=0.0)
    a0 = float(_OBS(_point(f_prime=0.0, **base))["delta_a_mu"])
    a1 = float(_OBS(_point(f_prime=1.0, **base))["delta_a_mu"])
    return math.sqrt((target - a0) / (a1 - a0))


def test_fig3_g2_band_position():
    e = experiments.get("delta_a_mu_2021")
    centre = {m: _fprime_for(e.value, m) for m in (50.0, 100.0, 200.0, 400.0)}
    assert 0.95 < centre[100.0] < 1.12  # |f′| ≈ 1 at m_φ0 = 100 GeV
    assert 0.45 < centre[50.0] < 0.6
    np.testing.assert_allclose(centre[400.0] / centre[200.0], 2.0, rtol=0.03)  # band ∝ m_φ0
    lo, hi = _fprime_for(e.value - 2 * e.sigma, 100.0), _fprime_for(e.value + 2 * e.sigma, 100.0)
    assert 0.7 < lo < 0.8 and 1.2 < hi < 1.3
    # the charged scalars are negligible there (f = 1e-2)
    o = _OBS(_point(f_prime=centre[100.0], h3=0.0))
    assert abs(float(o["delta_a_mu_charged"])) < 1e-3 * float(o["delta_a_mu_neutral"])


# ------------------------------------------------------------------ JAX transforms
def _batch(n=3):
    u = jax.random.uniform(jax.random.PRNGKey(0), (n, 7))
    b = {"f": 10 ** (-3 + 2.5 * u[:, 0]), "f_prime": 10 ** (-2 + 2 * u[:, 1]),
         "h3": 10 ** (-8 + 6 * u[:, 2]), "sin_alpha": 0.05 + 0.6 * u[:, 3],
         "m_phi0": 45 + 400 * u[:, 4], "m_hplus": 100 + 500 * u[:, 5], "m_Hplus": 620 + 800 * u[:, 6],
         "delta_m2_phi": jnp.zeros(n), "delta_alpha": jnp.zeros(n)}
    return b


def test_jit_vmap_loop_and_nojit_agree():
    b = _batch()
    jv = jax.jit(jax.vmap(MODEL.observables))(b)
    batched = _OBS(b)  # leading batch shape without vmap
    for i in range(b["f"].shape[0]):
        one = _OBS({k: v[i] for k, v in b.items()})
        for k in MODEL.units:
            np.testing.assert_allclose(float(jv[k][i]), float(one[k]), rtol=1e-12, err_msg=k)
            np.testing.assert_allclose(float(batched[k][i]), float(one[k]), rtol=1e-12, err_msg=k)
    # no-jit against jit for the closed-form pieces (the loop-library parts are covered there)
    args = (0.1, 0.7, 0.35, 150.0, 500.0)
    for fn in (S.mu_nu_over_e, S.m_nu_emu):
        np.testing.assert_allclose(float(fn(*args)), float(jax.jit(fn)(*args)), rtol=1e-14)
    np.testing.assert_allclose(float(S.lep_lambda_eff(0.7, 80.0)), float(jax.jit(S.lep_lambda_eff)(0.7, 80.0)), rtol=1e-14)


_KEYS = ("delta_a_mu", "mu_nu", "m_nu_emu", "lep_lambda_eff", "eps_tau", "m_nu_tau", "n_nu_z")


@jax.jit
def _vals(th):
    o = MODEL.observables(th)
    return jnp.stack([o[k] for k in _KEYS])


_JAC = jax.jit(jax.jacrev(_vals))


def test_grad_matches_finite_differences():
    th = _point(f=0.05, f_prime=0.6, h3=1e-4, m_hplus=180.0, m_phi0=42.0)
    jac = _JAC(th)
    for n in ("f", "f_prime", "sin_alpha", "m_hplus", "m_Hplus", "m_phi0"):
        h = 1e-6 * float(th[n])
        up, dn = dict(th), dict(th)
        up[n], dn[n] = th[n] + h, th[n] - h
        fd = (np.asarray(_vals(up)) - np.asarray(_vals(dn))) / (2 * h)
        scale = np.abs(np.asarray(_vals(th))) / float(th[n])
        np.testing.assert_allclose(np.asarray(jac[n]), fd, rtol=1e-5, atol=1e-7 * scale.max(), err_msg=n)


def test_finite_gradients_at_singular_points():
    """m_h+ = m_H+ (removable point of m_nu_emu, μ_ν = 0), Z threshold, sinα = 0, f′ → 0."""
    pts = [_point(m_hplus=300.0, m_Hplus=300.0), _point(m_phi0=C.M_Z / 2), _point(sin_alpha=0.0),
           _point(f_prime=1e-12)]
    for th in pts:
        jac = _JAC(th)
        for k in SEVEN:
            assert np.all(np.isfinite(np.asarray(jac[k]))), k


def test_hllhc_projection_is_an_off_by_default_mass_reach():
    """The paper's HL-LHC line (5σ reach m_φ0 = 398 GeV, 1 ab⁻¹) is a projection: off by
    default, and it 'excludes' (would discover) exactly the points below the quoted mass."""
    c = MODEL.constraint("hllhc_projection")
    assert not c.default and experiments.get(c.entry).limit == 398.0
    below = _OBS(_point(m_phi0=300.0, m_hplus=350.0))
    above = _OBS(_point(m_phi0=450.0, m_hplus=500.0))
    assert not bool(c.satisfied(below)) and bool(c.satisfied(above))


def test_fit_2021_box_reaches_the_band_where_the_fig3_slice_cannot():
    """fits/su2h_2021.toml frees every coupling and mass (m_H+ through the doublet split): a
    point found by ``jaxg2 search`` (2026-11-30; near-degenerate charged states, small T) satisfies every
    default constraint in hard form with Δa_μ within 1σ of 2021, while on the paper's
    Fig. 3 slice (su2h_2021_paper.toml's spectrum) the electroweak fit (T ≈ 4) excludes it."""
    fits = Path(__file__).parents[1] / "fits"
    p = Problem(config.load(fits / "su2h_2021.toml", fast=True), smooth=False)
    assert p.cfg.free == ("f", "f_prime", "h3", "sin_alpha", "m_phi0", "m_hplus", "dm_doublet")
    pt = {"f": 0.00675869577497108, "f_prime": 2.6709529419052105, "h3": 0.0001518238873554038,
          "sin_alpha": 0.0924190484962449, "m_phi0": 254.18436430899996, "m_hplus": 281.89405967905157}
    m_Hplus = 280.62950974816056
    pt["dm_doublet"] = float(S.doublet_split(pt["sin_alpha"], pt["m_phi0"], pt["m_hplus"], m_Hplus))
    th = p.theta({k: jnp.asarray(v) for k, v in pt.items()})
    np.testing.assert_allclose(float(th["m_Hplus"]), m_Hplus, rtol=1e-12)
    obs = p.observables(th)
    terms = p.log_likelihood_terms(obs)
    assert all(math.isfinite(float(v)) for v in terms.values())
    e = experiments.get("delta_a_mu_2021")
    assert abs(float(obs["delta_a_mu"]) - e.value) < e.sigma
    assert abs(float(obs["t_parameter"])) < 0.05
    slice_ = Problem(config.load(fits / "su2h_2021_paper.toml", fast=True), smooth=False)
    th = slice_.theta({"f_prime": jnp.asarray(1.0), "m_phi0": jnp.asarray(250.0)})
    t_slice = float(p.observables(th, ["t_parameter"])["t_parameter"])
    assert t_slice > 3.0
    assert float(p.log_likelihood_terms(p.observables(th))["ew_st"]) == -math.inf


# ------------------------------------------------ sampling along the electroweak fit
def _t_of(p, **kw):
    th = p.theta({k: jnp.asarray(v) for k, v in kw.items()})
    return float(p.observables(th, ["t_parameter"])["t_parameter"]), th


@pytest.mark.parametrize("s", [0.2, 0.55, 0.69])
def test_t_parameter_is_quadratic_in_the_doublet_split(s):
    """T ≈ (8/3) δ²/(16π² α v²) for near-degenerate spectra (leading order of F(m₁², m₂²) =
    (2/3)(m₁ − m₂)²; α v² = ŝ_W² m_W²/π), δ = sin²α m_h+ + cos²α m_H+ − m_φ0 — through the
    config rule (m_H+ derived from δ) and the electroweak library's T of the mixed doublets."""
    p = Problem(config.load(Path(__file__).parents[1] / "fits" / "su2h_2025.toml", fast=True))
    assert p.cfg.free == ("f", "f_prime", "h3", "sin_alpha", "m_phi0", "m_hplus", "dm_doublet")
    alpha_v2 = C.SIN2_THETA_W_MSBAR_MZ * C.M_W**2 / math.pi
    base = dict(f=1e-2, f_prime=1.0, h3=1e-6, sin_alpha=s, m_phi0=300.0, m_hplus=306.0)
    t0, _ = _t_of(p, dm_doublet=0.0, **base)
    for delta in (-8.0, 5.0, 10.0):
        t, th = _t_of(p, dm_doublet=delta, **base)
        split = S.doublet_split(s, 300.0, 306.0, th["m_Hplus"])
        np.testing.assert_allclose(float(split), delta, rtol=1e-12)     # the rule inverts
        np.testing.assert_allclose(t, 8.0 / 3.0 * delta**2 / (16 * math.pi**2 * alpha_v2), rtol=0.05)
        assert abs(t0) < 0.01 * t


def test_doublet_split_rule_floor_and_gradients():
    """m_H+ = (m_φ0 + δ − sin²α m_h+)/cos²α, held at 10 GeV below; finite gradients at the
    corners of the configs' box (δ ∈ [−200, 200] GeV) and at the floor's edge."""
    rule = MODEL.derived["m_Hplus:from_doublet_split"]
    th = {"sin_alpha": 0.5, "m_phi0": 200.0, "m_hplus": 400.0, "dm_doublet": 20.0}
    np.testing.assert_allclose(float(rule(th)), (200.0 + 20.0 - 0.25 * 400.0) / 0.75, rtol=1e-14)
    assert float(rule({**th, "m_phi0": 45.0, "m_hplus": 700.0, "dm_doublet": -200.0})) == 10.0
    grad = jax.grad(lambda v: rule(dict(zip(th, v))), argnums=0)
    for s in (0.05, 0.7):
        for m0 in (45.0, 500.0):
            for mh in (95.0, 700.0):
                for d in (-200.0, 200.0):
                    g = grad(jnp.array([s, m0, mh, d]))
                    assert np.all(np.isfinite(np.asarray(g)))


def test_rule_derived_parameter_is_not_a_scan_axis():
    """A parameter derived by a named rule (su2h_2021's m_H+ from the doublet split) cannot be a
    scan axis: one config error naming the field, not a scan whose rule overwrites the axis."""
    raw = tomllib.loads((Path(__file__).parents[1] / "fits" / "su2h_2021.toml").read_text())
    assert raw["parameters"]["m_Hplus"]["rule"] == "from_doublet_split"
    raw["scan"]["y"] = {"name": "m_Hplus", "low": 100.0, "high": 900.0, "num": 5}
    with pytest.raises(config.ConfigError, match="derived and cannot be a scan axis") as err:
        config.load(raw, fast=True)
    assert err.value.field == "scan.y.name"
