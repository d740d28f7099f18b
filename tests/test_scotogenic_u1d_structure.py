"""scotogenic_u1d (paper 000, issue 13): the neutrino Yukawas as the Lagrangian allows them
(Ψ_R only: rank 1, pseudo-Dirac suppressed Λ_eff), the two-Ψ minimal extension, the Z′ width
into dark states, and the dark-matter kinematics/cross sections — each against an
independent evaluation (mpmath diagonalisation, explicit sums, analytic formulae)."""

import math

import mpmath as mp
import numpy as np
import jax
import jax.numpy as jnp
import pytest

from jaxg2 import constants, experiments
from jaxg2 import neutrino as nu
from jaxg2.models import scotogenic_u1d as sc
from jaxg2.models import scotogenic_u1d_spectrum as sp

V = constants.HIGGS_VEV


def _lambda_mp(m_eta1, m_phi, mu1, v_chi, lam, m_n):
    """Λ(m_n) of eq. (19) with 1/(32π²), from the η₁–φ eigen-decomposition at 60 digits;
    m_n may be negative (a signed eigenvalue of M_N): the formula is odd in m_n."""
    mp.mp.dps = 60
    a, b = mp.mpf(m_eta1) ** 2, mp.mpf(m_phi) ** 2
    c, s = mp.mpf(lam) * mp.mpf(V) * mp.mpf(v_chi), mp.mpf(mu1) * mp.mpf(v_chi)
    F = lambda x: x * mp.log(x) / (x - 1)  # noqa: E731
    out = 0
    for sign in (1, -1):
        E, Q = mp.eigsy(mp.matrix([[a, c], [c, b + sign * s]]))
        out += sign * sum(Q[0, i] ** 2 * F(E[i] / mp.mpf(m_n) ** 2) for i in range(2))
    return mp.mpf(m_n) / (32 * mp.pi**2) * out


def _lambda_eff_mp(m_eta1, m_phi, mu1, v_chi, lam, m_psi, yl, yr):
    """[Λ(M_N)]_RR by explicit diagonalisation of M_N = [[y_L v, M], [M, y_R v]] at 60 digits."""
    mp.mp.dps = 60
    a, b = mp.mpf(yl) * mp.mpf(v_chi), mp.mpf(yr) * mp.mpf(v_chi)
    E, Q = mp.eigsy(mp.matrix([[a, mp.mpf(m_psi)], [mp.mpf(m_psi), b]]))
    return sum(Q[1, k] ** 2 * _lambda_mp(m_eta1, m_phi, mu1, v_chi, lam, E[k]) for k in range(2))


CASES = [  # (m_η1, m_φ, μ₁, v_χ, λ, M_Ψ, y_ΨL, y_ΨR)
    (500.0, 2500.0, 1.14e-6, 0.01, 0.4, 500.0, 0.1, 0.1),     # BP1: pseudo-Dirac, a = b
    (800.0, 3600.0, 460.8e-9, 0.05, 0.4, 800.0, 0.1, 0.1),    # BP2
    (150.0, 300.0, 2e3, 0.5, 0.4, 120.0, 0.3, -0.05),         # a ≠ b
    (10.0, 50.0, 10.0, 0.1, 0.4, 1.0, 2.0, 0.5),              # large Majorana entries
    (100.0, 500.0, 1.0, 0.2, 0.4, 80.0, 0.1, -0.1),           # s = 0: only the d/2r term
]


def test_effective_loop_factor_vs_mpmath_diagonalisation():
    @jax.jit
    def f(row):
        spec = sp.inert_neutral_spectrum(row[0], row[1], row[2], row[3], row[4])
        return sp.effective_loop_factor(row[5], row[6], row[7], row[3], spec)

    got = jax.vmap(f)(jnp.array(CASES))
    for i, case in enumerate(CASES):
        ref = _lambda_eff_mp(*case)
        np.testing.assert_allclose(float(got[i]), float(ref), rtol=1e-8)
    # the pseudo-Dirac suppression at BP1: |Λ_eff| / Λ(M_Ψ) ≈ 4e-7 ~ y_Ψ v_χ/M_Ψ, and a
    # Dirac Ψ (y_ΨL = y_ΨR = 0) gives no neutrino mass at all
    bp1 = CASES[0]
    ratio = float(got[0]) / float(_lambda_mp(*bp1[:5], bp1[5]))
    assert 1e-7 < abs(ratio) < 2e-6
    spec = sp.inert_neutral_spectrum(*bp1[:5])
    assert float(sp.effective_loop_factor(500.0, 0.0, 0.0, 0.01, spec)) == 0.0
    # the same sum through the Takagi vectors of M_N (Σ_k U_Rk² Λ(m_k), U complex)
    m, U = nu.takagi(jnp.array([[0.3 * 0.5, 120.0], [120.0, -0.05 * 0.5]]))
    spec = sp.inert_neutral_spectrum(*CASES[2][:5])
    tak = jnp.sum(U[1, :] ** 2 * sp.loop_factor(m, spec))
    np.testing.assert_allclose(complex(tak).real, float(got[2]), rtol=1e-8)
    assert abs(complex(tak).imag) < 1e-10 * abs(float(got[2]))


def test_effective_loop_factor_gradient_finite_at_s_zero():
    spec = sp.inert_neutral_spectrum(100.0, 500.0, 1.0, 0.2, 0.4)
    g = jax.grad(lambda yr: sp.effective_loop_factor(80.0, 0.1, yr, 0.2, spec))(-0.1)
    h = 1e-4
    fd = (sp.effective_loop_factor(80.0, 0.1, -0.1 + h, 0.2, spec)
          - sp.effective_loop_factor(80.0, 0.1, -0.1 - h, 0.2, spec)) / (2 * h)
    np.testing.assert_allclose(float(g), float(fd), rtol=1e-5)


def _sector(yukawa, ordering="normal", **upd):
    th = {k: jnp.asarray(v, dtype=jnp.float64) for k, v in sc.BENCHMARKS["BP2"].items()}
    th.update({k: jnp.asarray(v, dtype=jnp.float64) for k, v in upd.items()})
    return th, sc.lepton_sector(th, ordering, yukawa)


def _mass_matrix_from_states(th, ls, copies):
    """M_ν = Σ_{a,k} y_αa y_βa V_Rk² Λ(|λ_k|) summed over the N mass states, V_Rk² = sign(λ_k) O_Rk²."""
    lam_signed, w, _ = sp.psi_r_content(th["m_psi"], th["y_psi_l"], th["y_psi_r"], th["v_chi"])
    lam_k = sp.loop_factor(jnp.abs(lam_signed), ls["spec"])
    weight = jnp.sum(jnp.sign(lam_signed) * w * lam_k)
    y = np.asarray(ls["y"])
    return sum(np.outer(y[:, a], y[:, a]) for a in range(copies)) * complex(weight)


@pytest.mark.parametrize("ordering", ["normal", "inverted"])
def test_rank_of_the_neutrino_mass_matrix(ordering):
    p = nu.nufit(ordering)
    m_atm = math.sqrt(abs(p["dm2_3l"])) * nu.EV
    # the Lagrangian as printed (one Ψ): rank 1 — one massive neutrino, Δm²_21 unreachable
    th, ls = _sector("one_psi", ordering, mu1=2e3, v_chi=0.5, m_eta1=150.0, m_phi=300.0, m_psi=120.0)
    sv = np.linalg.svd(_mass_matrix_from_states(th, ls, 1), compute_uv=False)
    heaviest = m_atm if ordering == "normal" else math.sqrt(-p["dm2_3l"]) * nu.EV
    np.testing.assert_allclose(sv[0], heaviest, rtol=1e-9)
    assert sv[1] < 1e-12 * sv[0] and sv[2] < 1e-12 * sv[0]
    # the minimal extension (two copies of Ψ): rank 2, both splittings reproduced
    th, ls = _sector("two_psi", ordering, mu1=2e3, v_chi=0.5, m_eta1=150.0, m_phi=300.0, m_psi=120.0,
                     z_re=0.7, z_im=-0.5, alpha21=0.3)
    sv = np.sort(np.linalg.svd(_mass_matrix_from_states(th, ls, 2), compute_uv=False)) / nu.EV
    assert sv[0] < 1e-9 * sv[2]
    if ordering == "normal":
        np.testing.assert_allclose([sv[1] ** 2, sv[2] ** 2], [p["dm2_21"], p["dm2_3l"]], rtol=1e-8)
    else:
        np.testing.assert_allclose([sv[2] ** 2, sv[2] ** 2 - sv[1] ** 2], [-p["dm2_3l"], p["dm2_21"]], rtol=1e-6)


def test_two_psi_couplings_to_mass_states():
    th, ls = _sector("two_psi", z_im=0.4)
    coup, y = np.asarray(ls["coup"]), np.asarray(ls["y"])
    assert coup.shape == (3, 4) and np.asarray(ls["m_f"]).shape == (4,)
    # Σ_k |V_Rk|² = 1 for each copy: Σ_n |coup_μn|² = Σ_a |y_μa|²
    np.testing.assert_allclose(np.sum(np.abs(coup[1]) ** 2), np.sum(np.abs(y[1]) ** 2), rtol=1e-12)


# ---------------------------------------------------------------- Z′ → dark states


def test_zprime_dark_width_against_z_to_neutrinos_and_scalar_pair():
    # a massless Majorana (Weyl) state of charge 1 with g_D → g/(2c_W) is Z → νν̄:
    # Γ = G_F m_Z³/(12√2π)
    m_z, m_w = constants.M_Z, constants.M_W
    g = math.sqrt(4 * math.sqrt(2) * constants.G_FERMI * m_w**2)
    g_eff = g * m_z / (2 * m_w)                       # g/(2 c_W), c_W = m_W/m_Z
    gam = float(sc.zprime_dark_width(g_eff, jnp.asarray(m_z), jnp.array([0.0]), jnp.zeros((0,))))
    np.testing.assert_allclose(gam, constants.G_FERMI * m_z**3 / (12 * math.sqrt(2) * math.pi), rtol=1e-12)
    # complex scalar pair: Γ = (1/3)Σ_pol |g ε·(p₁−p₂)|² |p|/(8π m²), |p| = mβ/2, Σ_pol = m²β²
    gd, m, ms = 0.7, 2.0, 0.6
    beta = math.sqrt(1 - 4 * ms**2 / m**2)
    ref = (gd**2 * m**2 * beta**2 / 3) * (m * beta / 2) / (8 * math.pi * m**2)
    got = float(sc.zprime_dark_width(gd, jnp.asarray(m), jnp.zeros((0,)), jnp.array([ms])))
    np.testing.assert_allclose(got, ref, rtol=1e-12)
    # closed channels give 0; value and gradient continuous across the threshold
    f = lambda mz: sc.zprime_dark_width(gd, mz, jnp.array([1.0]), jnp.array([1.0]))  # noqa: E731
    assert float(f(jnp.asarray(1.9))) == 0.0
    for mz in (2.0, 2.0 + 1e-9, 1.999):
        assert np.isfinite(float(jax.grad(f)(jnp.asarray(mz))))
    assert 0.0 < float(jax.grad(f)(jnp.asarray(2.0 + 1e-12))) < 1e-6   # slope ∝ √(m − 2M) → 0


def test_dark_width_feeds_the_light_vector_section():
    model = sc.MODEL
    th = dict(model.benchmark("BP2"))
    th.update(m_psi=jnp.float64(0.03), y_psi_l=jnp.float64(0.0), y_psi_r=jnp.float64(0.0))  # Z′ (139 MeV) → N N open
    o = jax.jit(model.observables)(th)
    c = model.couplings(th, o)
    beta3 = (1 - 4 * 0.03**2 / float(o["m_zprime"]) ** 2) ** 1.5
    ref = 2 * 2 * 0.98**2 * float(o["m_zprime"]) * beta3 / (24 * math.pi)  # 2 copies × (N₋, N₊)
    np.testing.assert_allclose(float(c["light_vector"]["invisible_width"]), ref, rtol=1e-10)
    assert float(o["br_zprime_dark"]) > 0.99 and float(o["eps_visible"]) == 0.0


# ---------------------------------------------------------------- dark matter


def test_dm_splitting_minimum_is_kinematic():
    h = experiments.get("shm_2021_halo").values
    vx, vy, vz = h["v_pec_km_s"]
    v = (h["v_esc_km_s"] + math.sqrt(vx**2 + (h["v0_km_s"] + vy) ** 2 + vz**2) + h["v_orbit_km_s"]) / 299792.458
    m_xe = 131.293 * 0.9314941
    for m in (10.0, 500.0, 5000.0):
        mu = m * m_xe / (m + m_xe)
        np.testing.assert_allclose(float(sc.dm_splitting_min(m)), 0.5 * mu * v**2, rtol=1e-12)
    # limits: light DM δ → m v²/2, heavy DM δ → m_Xe v²/2 (≈ 0.45 MeV)
    np.testing.assert_allclose(float(sc.dm_splitting_min(1e-3)), 0.5e-3 * v**2, rtol=1e-4)
    np.testing.assert_allclose(float(sc.dm_splitting_min(1e9)), 0.5 * m_xe * v**2, rtol=1e-6)
    # 500 GeV on xenon: a few hundred keV (issue 13: "≈ 100–300 keV" was an estimate)
    assert 3e-4 < float(sc.dm_splitting_min(500.0)) < 4e-4


def test_z_exchange_cross_section_is_the_doublet_formula():
    # complex Y = ½ doublet: σ_n^eff = G_F² μ_n²/(2π) [N − (1 − 4s²)Z]²/A² (per nucleon, xenon)
    a, z = 131.293, 54.0
    s2 = constants.SIN2_THETA_W_MSBAR_MZ
    m, m_n = 800.0, 0.9314941
    mu = m * m_n / (m + m_n)
    ref = constants.G_FERMI**2 * mu**2 / (2 * math.pi) * ((a - z) - (1 - 4 * s2) * z) ** 2 / a**2
    (fp, fn), _ = sc._dd_couplings(0.5, 1e-3, 0.1)
    got = float(sc.dd_sigma_nucleon(m, fp, fn))
    np.testing.assert_allclose(got, ref * constants.GEV_INV2_TO_CM2, rtol=1e-12)
    assert 1e-39 < got < 1e-38                       # 8 orders above LZ at 800 GeV
    assert got > 1e6 * float(experiments.curve("lz_2024_si_nucleon")(m))
