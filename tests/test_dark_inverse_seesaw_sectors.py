"""Dark inverse seesaw (paper 001): scalar, gauge, W-loop and neutral-lepton sectors.

Independent checks: gauge invariance of the potential, the paper's leading-order
formulas (eqs. 2.2–2.9, 2.13, 2.18, 2.19) in the hierarchy v_φ, ω₂ ≪ ω₁ ≪ v where
they must hold, mpmath quadrature of the unitary-gauge W loop, and the exact 9×9
Takagi spectrum against the leading-order light-mass formula.
"""

import math

import jax
import jax.numpy as jnp
import mpmath as mp
import numpy as np
import pytest

from jaxg2 import constants as C
from jaxg2.models.dark_inverse_seesaw import gauge, neutral_leptons, scalars, wloop

V = C.HIGGS_VEV
POINT = dict(v=V, v_phi=1e-4, omega1=1.0, omega2=1e-5,
             lam_H=0.129, lam_phi=0.3, lam_S1=0.2, lam_S2=0.4, lam_Hphi=0.15, lam_Hphi_p=0.05,
             lam_HS1=1e-3, lam_HS2=2e-3, lam_phiS1=0.02, lam_phiS2=0.03, lam_S1S2=0.05,
             mu=1e-2, mu_p=1e-3, alpha=1e-4)
P = {k: jnp.asarray(v) for k, v in POINT.items()}


@pytest.fixture(scope="module")
def spec():
    return jax.jit(scalars.spectrum)(P)


def test_potential_is_gauge_invariant():
    """V must not change under U(1)_Y, U(1)_D and SU(2) rotations of a random field point."""
    rng = np.random.default_rng(0)
    x = jnp.asarray(rng.normal(size=12))
    full = {**P, **scalars.bare_masses(P)}
    H, phi, S1, S2 = scalars._fields(x)

    def back(H, phi, S1, S2):
        parts = [H[0], H[1], phi[0], phi[1], S1, S2]
        return jnp.concatenate([jnp.stack([jnp.real(z), jnp.imag(z)]) * jnp.sqrt(2.0) for z in parts])

    v0 = scalars.potential(x, full)
    t = 0.7
    dark = back(H, phi * jnp.exp(1j * t), S1 * jnp.exp(1j * t), S2 * jnp.exp(2j * t))
    hyper = back(H * jnp.exp(0.5j * t), phi * jnp.exp(0.5j * t), S1, S2)
    a, b = np.cos(0.3) * np.exp(0.2j), np.sin(0.3) * np.exp(-0.9j)
    Usu2 = jnp.array([[a, -np.conj(b)], [b, np.conj(a)]])
    su2 = back(Usu2 @ H, Usu2 @ phi, S1, S2)
    for y in (dark, hyper, su2):
        assert math.isclose(float(scalars.potential(y, full)), float(v0), rel_tol=1e-12)
    # a U(1)_D rotation of S₂ alone is *not* a symmetry (μ′ and α terms): the check can fail
    broken = back(H, phi, S1, S2 * jnp.exp(1j * t))
    assert abs(float(scalars.potential(broken, full)) - float(v0)) > 1e-10 * abs(float(v0))


def test_minimum_conditions_and_forward_solver():
    bare = scalars.bare_masses(P)
    full = {**P, **bare}
    vevs = jnp.array([V, P["v_phi"], P["omega1"], P["omega2"]])
    assert float(scalars.tadpole_residual(vevs, full)) < 1e-9 * V**3
    # the paper assumes −m_H², +m_φ², −m₁² with m² > 0 (eq. 2.1); true at this point
    assert all(float(bare[k]) > 0 for k in ("mH2", "mphi2", "m12"))
    guess = vevs * jnp.array([1.02, 1.3, 0.9, 1.4])
    found = jax.jit(scalars.solve_vevs)(full, guess)
    np.testing.assert_allclose(found, vevs, rtol=1e-10)


def test_goldstones_and_leading_order_masses(spec):
    """Eqs. 2.4–2.7 in the hierarchy v_φ, ω₂ ≪ ω₁ ≪ v."""
    ev = np.asarray(spec.even_masses)
    bare = scalars.bare_masses(P)
    p = POINT
    assert abs(ev[0] ** 2 / (2 * p["lam_H"] * V**2) - 1) < 1e-3          # m_h² ≃ 2 λ_H v²
    assert abs(ev[2] ** 2 / (2 * p["lam_S1"] * p["omega1"] ** 2) - 1) < 1e-2  # M²_{S_D} ≃ 2 λ_{S₁} ω₁²
    mhd2 = float(bare["mphi2"]) + (p["lam_Hphi"] + p["lam_Hphi_p"]) * V**2 / 2
    assert abs(ev[1] ** 2 / mhd2 - 1) < 1e-3
    msp2 = float(bare["m22"]) + p["lam_HS2"] * V**2 / 2
    assert abs(ev[3] ** 2 / msp2 - 1) < 1e-2
    odd, ch = np.asarray(spec.odd_masses), np.asarray(spec.charged_masses)
    # three Goldstones (G_Z, G_{Z_D}, G^±): zero to numerical precision
    assert np.all(np.abs(odd[:2]) < 1e-5 * ev.max()) and abs(ch[0]) < 1e-5 * ev.max()
    assert abs(odd[3] / ev[1] - 1) < 1e-2                                  # eq. 2.5 M_{A_D} ≃ M_{H_D}
    assert abs(odd[2] / ev[3] - 1) < 1e-2                                  # eq. 2.6 M_{a_D} ≃ M_{S′_D}
    mch2 = ev[1] ** 2 - p["lam_Hphi_p"] * V**2 / 2                         # eq. 2.7
    assert abs(ch[1] ** 2 / mch2 - 1) < 1e-2


def test_leading_order_vevs_and_mixing_angles(spec):
    """Eqs. 2.2–2.3 reproduce the input vevs; eq. 2.9 the exact mixing angles."""
    ev = np.asarray(spec.even_masses) ** 2
    vphi, w2 = scalars.leading_order_vevs(P, ev[1], ev[3])
    assert abs(float(vphi) / POINT["v_phi"] - 1) < 0.05
    assert abs(float(w2) / POINT["omega2"] - 1) < 0.05
    th = {k: float(v) for k, v in scalars.even_mixing_angles(spec).items()}
    p, w1 = POINT, POINT["omega1"]
    s = 2 * math.sqrt(2)
    approx = {
        "theta_Hphi": abs((p["lam_Hphi"] + p["lam_Hphi_p"]) * p["v_phi"] * V - p["mu"] * w1 / s) / (ev[0] - ev[1]),
        "theta_HS1": p["lam_HS1"] * w1 * V / (ev[0] - ev[2]),
        "theta_HS2": p["lam_HS2"] * p["omega2"] * V / (ev[0] - ev[3]),
        "theta_phiS1": p["mu"] * V / s / (ev[1] - ev[2]),
        "theta_phiS2": p["alpha"] * w1 * V / 4 / (ev[1] - ev[3]),
        "theta_S1S2": p["mu_p"] * w1 / math.sqrt(2) / abs(ev[2] - ev[3]),
    }
    for k, a in approx.items():
        assert abs(th[k] / abs(a) - 1) < 0.1, (k, th[k], a)


def test_scalar_spectrum_is_differentiable(spec):
    grads = jax.jit(jax.grad(lambda p: scalars.spectrum(p).even_masses[2] + scalars.spectrum(p).even_masses[0]))(P)
    assert all(np.isfinite(float(g)) for g in grads.values())
    f = jax.jit(lambda p: scalars.spectrum(p).even_masses[2] + scalars.spectrum(p).even_masses[0])
    for name in ("lam_S1", "lam_H", "omega1"):  # derivatives well above the eigenvalue noise
        h = 1e-4 * abs(float(P[name]))
        fd = (f({**P, name: P[name] + h}) - f({**P, name: P[name] - h})) / (2 * h)
        assert math.isclose(float(grads[name]), float(fd), rel_tol=1e-5), name
    np.testing.assert_allclose(spec.even_masses, scalars.spectrum(P).even_masses, rtol=1e-12)


def test_zd_mass_and_mass_mixing_match_eqs_2_18_2_19():
    for g_d, vphi, w1, w2 in [(0.5, 4e-5, 0.06, 2e-5), (0.05, 1e-3, 0.6, 1e-4), (1.0, 0.5, 0.5, 0.01)]:
        m, mz, ep = gauge.zd_mass_and_mixing(V, vphi, w1, w2, g_d)
        assert math.isclose(float(m), g_d * math.sqrt(w1**2 + vphi**2 + 4 * w2**2), rel_tol=1e-5)
        assert math.isclose(float(mz), C.M_Z, rel_tol=1e-5)  # v_φ adds to v²
        assert math.isclose(abs(float(ep)), float(gauge.eps_prime_approx(V, vphi, g_d)), rel_tol=1e-3)


def test_dark_photon_width_to_electrons():
    # pure kinetic mixing: Γ = α ε² m/3 (1 + 2r) √(1 − 4r), the standard dark-photon width
    eps, m = 1e-3, 0.03
    c_v, c_a = gauge.lepton_couplings(eps, 0.0)
    r = (C.M_E / m) ** 2
    expect = C.ALPHA_EM * eps**2 * m / 3 * (1 + 2 * r) * math.sqrt(1 - 4 * r)
    assert math.isclose(float(gauge.width_to_fermions(m, C.M_E, c_v, c_a)), expect, rel_tol=1e-12)
    assert float(gauge.width_to_fermions(0.1, C.M_MU, c_v, c_a)) == 0.0  # below threshold
    assert np.isfinite(float(jax.grad(lambda mm: gauge.width_to_fermions(mm, C.M_MU, c_v, c_a))(0.1)))


def _jn_charged_vector(M, m, MW):
    """Unitary-gauge charged-vector loop (Jegerlehner–Nyffeler), C_V = C_A = g/(2√2)."""
    e, l = M / m, m / MW
    num = lambda x, e: 2 * x**2 * (1 + x - 2 * e) - l**2 * (1 - e) ** 2 * x * (1 - x) * (x + e)  # noqa: E731
    f = lambda x: (num(x, e) + num(x, -e)) / (e**2 * l**2 * (1 - x) * (1 - x / e**2) + x)  # noqa: E731
    g2 = 4 * mp.sqrt(2) * mp.mpf(C.G_FERMI) * MW**2  # g² = 4√2 G_F m_W²
    return m**2 / (8 * mp.pi**2 * MW**2) * (g2 / 8) * mp.quad(f, [0, 1])


@pytest.mark.parametrize("M", [1e-6, 0.15, 10.0, 80.0, 80.3692, 300.0])
def test_w_loop_against_unitary_gauge_integral(M):
    mp.mp.dps = 30
    m, MW = mp.mpf(C.M_MU), mp.mpf(C.M_W)
    ref = _jn_charged_vector(mp.mpf(M), m, MW)
    ours = C.G_FERMI * C.M_MU**2 / (8 * math.sqrt(2) * math.pi**2) * float(wloop.f_w((M / C.M_W) ** 2))
    # F_W is the leading term in m_μ²/m_W² (~2e-6)
    assert math.isclose(ours, float(ref), rel_tol=1e-5)


def test_w_loop_function_limits_and_gradients():
    assert math.isclose(float(wloop.f_w(0.0)), 10 / 3, rel_tol=1e-15)
    for x in (0.0, 1e-12, 1.0, 1.0 + 1e-4, 2.0):
        assert np.isfinite(float(jax.grad(wloop.f_w)(x)))
    # continuity across the series switch at |x − 1| = 0.2, and the series against mpmath
    a, b = float(wloop.f_w(1.2 - 1e-12)), float(wloop.f_w(1.2 + 1e-12))
    assert abs(a - b) < 1e-11
    mp.mp.dps = 40
    F = lambda x: (10 - 43 * x + 78 * x**2 - 49 * x**3 + 4 * x**4 + 18 * x**3 * mp.log(x)) / (3 * (1 - x) ** 4)  # noqa: E731
    for x in ("0.81", "0.96", "0.999", "1.0001", "1.03", "1.19", "1.21", "1e-7", "30"):
        assert math.isclose(float(wloop.f_w(float(x))), float(F(mp.mpf(x))), rel_tol=1e-11), x
    # SM limit: all mixing into massless states gives no shift
    assert float(wloop.delta_a_w(C.M_MU, jnp.zeros(9), jnp.eye(9)[1])) == 0.0


def test_inverse_seesaw_casas_ibarra_and_exact_spectrum():
    rng = np.random.default_rng(1)
    A = rng.normal(size=(3, 3)) + 1j * rng.normal(size=(3, 3))
    U, _ = np.linalg.qr(A)
    m_light = np.array([0.0, 8.6e-12, 5.0e-11])  # GeV
    z = rng.normal(size=3) + 0.3j * rng.normal(size=3)

    def rot(i, j, t):
        R = np.eye(3, dtype=complex)
        R[i, i] = R[j, j] = np.cos(t)
        R[i, j], R[j, i] = np.sin(t), -np.sin(t)
        return R

    R = rot(0, 1, z[0]) @ rot(0, 2, z[1]) @ rot(1, 2, z[2])
    m = jnp.diag(jnp.array([0.15, 0.16, 0.17]))
    ynp = jnp.diag(jnp.array([1e-3, 2e-3, 1.5e-3]))
    yn = jnp.diag(jnp.array([0.1, 0.1, 0.1]))
    vphi, w2 = 4e-5, 2e-2
    y = neutral_leptons.casas_ibarra_y_nu(jnp.asarray(U), jnp.asarray(m_light), jnp.asarray(R), m, ynp, vphi, w2)
    lead = neutral_leptons.light_mass_matrix_leading(y, m, ynp, vphi, w2)
    np.testing.assert_allclose(lead, U @ np.diag(m_light) @ U.T, atol=1e-12 * m_light.max())
    # the paper's printed eq. 2.13 differs by (1/√2)³ and a transposition of y_ν
    paper = neutral_leptons.light_mass_matrix_paper(y.T, m, ynp, vphi, w2)
    np.testing.assert_allclose(paper / 2**1.5, lead, rtol=1e-10, atol=1e-25)
    masses, UU = neutral_leptons.spectrum(neutral_leptons.mass_matrix(y, m, yn, ynp, vphi, w2))
    u2 = neutral_leptons.active_heavy_mixing(UU)
    # exact light masses agree with the leading order to O(|U_αN|²)
    np.testing.assert_allclose(masses[1:3], m_light[1:], rtol=10 * float(u2.max()))
    assert float(masses[0]) < 1e-6 * m_light[2]
    np.testing.assert_allclose(np.abs(UU[:3, :3]) ** 2, np.abs(U) ** 2, atol=10 * float(u2.max()))
    # heavy states: pseudo-Dirac pairs at m_i ± μ/2-ish; |U_αN|² ≈ Σ_k |M_D|²/m² (schematic y_ν v_φ/m)
    md = np.asarray(y) * vphi / np.sqrt(2)
    approx = np.sum(np.abs(md) ** 2 / np.array([0.15, 0.16, 0.17]) ** 2, axis=1)
    np.testing.assert_allclose(u2, approx, rtol=1e-3)
