"""N_eff evolution of paper 002 (eqs. 10–15): limits, paper statements, scipy reference, transforms."""

import functools

import jax
import jax.numpy as jnp
import mpmath as mp
import numpy as np
import pytest
from scipy.integrate import solve_ivp
from scipy.special import kve

from jaxg2.constants import ALPHA_EM, M_E
from jaxg2.cosmo import (
    M_PLANCK_REDUCED, T_NU_DEC, gamma_zprime_ee, n_eff, n_eff_from_ratios, n_eff_no_transfer,
    temperature_history,
)

EPS_PAPER = 7.2e-6  # ε_AZ′ of Fig. 1 right (orange), the paper's value at g′ = 5e-4
MEV = 1e-3

# One compiled, vmapped evaluator for every primal check below (a single compilation),
# and one compiled scalar value-and-gradient.
_batch = jax.jit(jax.vmap(lambda m, e: n_eff(m, 0.0, e)))
_value_and_grad = jax.jit(jax.value_and_grad(lambda m, e: n_eff(m, 5e-4, e), argnums=(0, 1)))

# The points: heavy Z′, ε = 0 vs closed form, crossing grids, scipy points, FD stencils.
_H_FD = 1e-4
_GRID_0 = np.linspace(5.0, 7.5, 6) * MEV
_GRID_E = np.linspace(9.0, 12.0, 7) * MEV
_FIXED = [(1.0, 0.0), (1.0, EPS_PAPER), (3 * MEV, 0.0), (6 * MEV, 0.0), (10 * MEV, 0.0),
          (6 * MEV, EPS_PAPER), (10 * MEV, EPS_PAPER), (20 * MEV, 3e-5), (10 * MEV, 3e-10),
          (0.8 * MEV, 0.0)]
_FD_POINTS = [(10 * MEV, EPS_PAPER), (4 * MEV, 2e-9)]


def _all_points():
    pts = list(_FIXED)
    pts += [(m, 0.0) for m in _GRID_0] + [(m, EPS_PAPER) for m in _GRID_E]
    for m, e in _FD_POINTS:
        pts += [(m, e), (m * (1 + _H_FD), e), (m * (1 - _H_FD), e), (m, e * (1 + _H_FD)), (m, e * (1 - _H_FD))]
    return pts


@pytest.fixture(scope="module")
def values():
    pts = _all_points()
    m = jnp.array([p[0] for p in pts])
    e = jnp.array([p[1] for p in pts])
    out = np.asarray(_batch(m, e))
    assert out.dtype == np.float64
    return dict(zip(pts, out))


# --------------------------------------------------------------------------------------
# Independent reference: numpy/scipy, thermodynamics from Bessel-K series (no quadrature)
# --------------------------------------------------------------------------------------

def _bessel_thermo(m, T, g, fermion, kmax=120):
    """(ρ, ρ+P, ∂ρ/∂T) from Σ_k (±1)^{k+1} of Maxwell–Boltzmann terms at T/k (m > 0)."""
    k = np.arange(1, kmax + 1)
    c = np.where(k % 2 == 1, 1.0, -1.0) if fermion else np.ones(kmax)
    y = k * m / T
    K0, K1, K2 = kve(0, y) * np.exp(-y), kve(1, y) * np.exp(-y), kve(2, y) * np.exp(-y)
    pref = g / (2 * np.pi**2)
    rho = pref * np.sum(c * (3 * m**2 * (T / k) ** 2 * K2 + m**3 * (T / k) * K1))
    p = pref * np.sum(c * m**2 * (T / k) ** 2 * K2)
    cap = pref * np.sum(c * (T / k) ** 3 * (12 * y**2 * K2 + 5 * y**3 * K1 + y**4 * K0) / k)
    return rho, rho + p, cap


def _ref_rhs(u, z, m_z, width):
    t_nu = T_NU_DEC * np.exp(-u)
    T1, T2 = t_nu * np.exp(z[0]), t_nu * np.exp(z[1])
    a = np.pi**2 / 30
    re, we, ce = _bessel_thermo(M_E, T1, 4.0, True)
    rz2, wz2, cz2 = _bessel_thermo(m_z, T2, 3.0, False)
    rz1, _, _ = _bessel_thermo(m_z, T1, 3.0, False)
    rho1, w1, c1 = 2 * a * T1**4 + re, 8 / 3 * a * T1**4 + we, 8 * a * T1**3 + ce
    rho2, w2, c2 = 3.5 * a * T2**4 + rz2, 3.5 * 4 / 3 * a * T2**4 + wz2, 14 * a * T2**3 + cz2
    hubble = np.sqrt((rho1 + rho2 + 1.75 * a * t_nu**4) / 3) / M_PLANCK_REDUCED
    q_h = width * (rz2 - rz1) / hubble
    return [1 + (-3 * w1 + q_h) / (T1 * c1), 1 + (-3 * w2 - q_h) / (T2 * c2)]


@functools.lru_cache(maxsize=None)
def _ref_n_eff(m_z, eps):
    """Radau solve of the same eqs. (11)–(15), then entropy conservation, all in numpy/mpmath."""
    r = (2 * M_E / m_z) ** 2
    width = ALPHA_EM * eps**2 * m_z / 3 * (1 + r / 2) * np.sqrt(1 - r) if r < 1 else 0.0
    t_end = min(M_E / 30, m_z / 50)
    u_end = np.log(T_NU_DEC / t_end)
    sol = solve_ivp(_ref_rhs, (0, u_end), [0.0, 0.0], args=(m_z, width), method="Radau",
                    rtol=1e-6, atol=1e-9)
    assert sol.success
    T1, T2 = t_end * np.exp(sol.y[:, -1])
    a = np.pi**2 / 30
    s1 = 8 / 3 * a * T1**3 + _bessel_thermo(M_E, T1, 4.0, True)[1] / T1
    s2 = 3.5 * 4 / 3 * a * T2**3 + _bessel_thermo(m_z, T2, 3.0, False)[1] / T2
    r1 = (s1 / (8 / 3 * a * t_end**3)) ** (1 / 3)
    r2 = (s2 / (3.5 * 4 / 3 * a * t_end**3)) ** (1 / 3)
    return (11 / 4) ** (4 / 3) * (r1**-4 + 2 * (r2 / r1) ** 4), sol


# --------------------------------------------------------------------------------------
# Tests
# --------------------------------------------------------------------------------------

def _mp_entropy_per_T3(x, g, fermion):
    eta = 1 if fermion else -1
    f = lambda u: u * u * (mp.sqrt(u * u + x * x) + u * u / (3 * mp.sqrt(u * u + x * x))) / (
        mp.exp(mp.sqrt(u * u + x * x)) + eta)
    return g * mp.quad(f, [0, 1, 5, 20, mp.inf]) / (2 * mp.pi**2)


def test_standard_limit_heavy_zprime(values):
    """Heavy Z′ → the no-Z′ value of these equations (instantaneous decoupling at 1.5 MeV).

    (T/T_ν)³ = [s_γ + s_e±](T_dec)/s_γ(T_dec) with mpmath entropy integrals, and
    N_eff = 3 (T_ν/T)⁴ (11/4)^{4/3}.  With massive e± at 1.5 MeV this is 3.032, not
    3.000 (massless e±) nor 3.044 (full SM decoupling with QED corrections).
    """
    x_e = M_E / T_NU_DEC
    ratio3 = 1 + float(_mp_entropy_per_T3(x_e, 4, True)) / (4 * np.pi**2 / 45)
    expected = 3 * (11 / 4) ** (4 / 3) * ratio3 ** (-4 / 3)
    assert expected == pytest.approx(3.032, abs=1e-3)
    assert values[(1.0, 0.0)] == pytest.approx(expected, rel=1e-7)
    assert values[(1.0, EPS_PAPER)] == pytest.approx(expected, rel=1e-7)
    assert float(n_eff_no_transfer(1.0)) == pytest.approx(expected, rel=1e-10)
    # Decoupling while the e± are ultra-relativistic gives the textbook 3.
    assert float(n_eff_no_transfer(100.0, t_dec=1.0)) == pytest.approx(3.0, abs=1e-6)


def test_no_transfer_ode_equals_entropy_conservation(values):
    """ε_AZ′ = 0: the ODE solution equals the closed-form entropy-conservation result."""
    for m in (0.8 * MEV, 3 * MEV, 6 * MEV, 10 * MEV):
        assert values[(m, 0.0)] == pytest.approx(float(n_eff_no_transfer(m)), abs=2e-5)


def test_light_zprime_limit():
    """m_Z′ ≪ T_dec, ε = 0: a fully relativistic Z′ (g = 3) heats ν_μ, ν_τ by (1 + 3/3.5)^{1/3}.

    N_eff → (11/4)^{4/3}[(T_ν/T)⁴ + 2 (13/7)^{4/3} (T_ν/T)⁴], T_ν/T from the e± as above.
    """
    x_e = M_E / T_NU_DEC
    ratio3 = 1 + float(_mp_entropy_per_T3(x_e, 4, True)) / (4 * np.pi**2 / 45)
    base = (11 / 4) ** (4 / 3) * ratio3 ** (-4 / 3)
    expected = base * (1 + 2 * (13 / 7) ** (4 / 3))
    assert float(n_eff_no_transfer(1e-9)) == pytest.approx(expected, rel=1e-8)


def _crossing(grid, vals, level=3.5):
    vals = np.asarray(vals)
    assert np.all(np.diff(vals) < 0), "N_eff must fall with m_Z′"
    assert vals[0] > level > vals[-1], "the grid must bracket the crossing"
    return float(np.exp(np.interp(-level, -vals, np.log(grid))))


def test_paper_lower_bounds_on_mzprime(values):
    """Paper 002 sec. II B / Fig. 1 right: N_eff < 3.5 needs m_Z′ ≳ 6 MeV (ε = 0) and ≳ 10 MeV
    (ε = 7.2e-6).  This solver: 6.30 MeV and 10.40 MeV.  The figure (log axis, 1–100 MeV)
    can be read to ~±10%, so the tolerance is [5.4, 6.6] and [9, 11] MeV."""
    m0 = _crossing(_GRID_0, [values[(m, 0.0)] for m in _GRID_0])
    me = _crossing(_GRID_E, [values[(m, EPS_PAPER)] for m in _GRID_E])
    assert 5.4 * MEV < m0 < 6.6 * MEV
    assert 9.0 * MEV < me < 11.0 * MEV
    assert me > m0  # the e± heat transfer strengthens the bound (paper's statement)


@pytest.mark.parametrize("m_z,eps", [(10 * MEV, EPS_PAPER), (20 * MEV, 3e-5), (10 * MEV, 3e-10)])
def test_against_scipy_radau(values, m_z, eps):
    """Independent numpy (Bessel-series thermodynamics) + scipy Radau solution of eqs. (11)–(15).

    (10 MeV, 3e-10) is the gradual-transfer regime (Γ/H ~ 1e2 × Boltzmann), the other two
    the strongly-coupled one (Γ/H ~ 1e9)."""
    ref, _ = _ref_n_eff(m_z, eps)
    assert values[(m_z, eps)] == pytest.approx(ref, abs=3e-5)


def test_temperature_history_against_scipy():
    """Paper Fig. 4 left: T/T_ν, T′/T_ν along the path (eager call, i.e. no jit) vs scipy."""
    m_z, eps = 10 * MEV, EPS_PAPER
    t_nu, r1, r2 = temperature_history(m_z, eps)
    _, sol = _ref_n_eff(m_z, eps)
    u = np.log(T_NU_DEC / np.asarray(t_nu))
    from scipy.interpolate import interp1d
    ref = interp1d(sol.t, sol.y, kind="cubic")(u[::20])
    np.testing.assert_allclose(np.log(np.asarray(r1)[::20]), ref[0], atol=2e-5)
    np.testing.assert_allclose(np.log(np.asarray(r2)[::20]), ref[1], atol=2e-5)
    # e± annihilation heats (γ, e) above T_ν, and Z′ → ee transfers part of it to T′ (Fig. 4):
    assert float(r1[-1]) > 1.3 and 1.0 < float(r2[-1]) < float(r1[-1])


def test_gamma_zprime_ee():
    """Eq. (14): α ε² m/3 for m ≫ m_e, zero below threshold, finite gradient on both sides."""
    assert float(gamma_zprime_ee(1.0, 1e-3)) == pytest.approx(ALPHA_EM * 1e-6 / 3, rel=1e-6)
    assert float(gamma_zprime_ee(1.9 * M_E, 1e-3)) == 0.0
    for m in (1.9 * M_E, 2.5 * M_E):
        assert np.isfinite(float(jax.grad(gamma_zprime_ee)(m, 1e-3)))


def test_grad_against_finite_differences(values):
    """Custom-JVP (forward sensitivities) gradient vs central differences of the same solver;
    value_and_grad under jit also checks jit(scalar) == vmap."""
    for m, e in _FD_POINTS:
        val, (gm, ge) = _value_and_grad(m, e)
        assert val == pytest.approx(values[(m, e)], rel=1e-9)
        fd_m = (values[(m * (1 + _H_FD), e)] - values[(m * (1 - _H_FD), e)]) / (2 * m * _H_FD)
        fd_e = (values[(m, e * (1 + _H_FD))] - values[(m, e * (1 - _H_FD))]) / (2 * e * _H_FD)
        assert np.isfinite(float(gm)) and np.isfinite(float(ge))
        assert float(gm) == pytest.approx(fd_m, rel=1e-4)
        assert float(ge) == pytest.approx(fd_e, rel=1e-4)
        assert float(gm) < 0 and float(ge) > 0  # heavier Z′ → less heating; more mixing → more


def test_grad_edges():
    """Finite gradients where the physics switches: ε = 0, heavy (decoupled) Z′, near 2 m_e."""
    grads = [_value_and_grad(m, e)[1] for m, e in [(10 * MEV, 0.0), (1.0, 1e-5), (1.2 * MEV, 1e-5)]]
    assert all(np.isfinite(float(g)) for pair in grads for g in pair)
    assert float(grads[0][1]) == 0.0 and abs(float(grads[1][0])) < 1e-8


def test_options_phi_and_kinetic(values):
    """φ in the (ν_μ, ν_τ, Z′) bath (Fig. 1 right, dashed) and the kinetic form of the transfer."""
    # heavy φ changes nothing; ε = 0 with φ equals the closed form with φ
    with_phi = jax.jit(jax.vmap(lambda mp_: n_eff(10 * MEV, 0.0, 0.0, m_phi=mp_)))(jnp.array([2.0, 15 * MEV]))
    assert float(with_phi[0]) == pytest.approx(values[(10 * MEV, 0.0)], abs=1e-9)
    assert float(with_phi[1]) == pytest.approx(float(n_eff_no_transfer(10 * MEV, m_phi=15 * MEV)), abs=3e-5)
    assert float(n_eff_no_transfer(10 * MEV, m_phi=15 * MEV)) > values[(10 * MEV, 0.0)]
    kin = float(n_eff(10 * MEV, 0.0, EPS_PAPER, transfer="kinetic"))
    assert kin == pytest.approx(values[(10 * MEV, EPS_PAPER)], abs=1e-2)
    with pytest.raises(ValueError):
        n_eff(10 * MEV, 0.0, EPS_PAPER, transfer="nope")


def test_broadcasting(values):
    """Array arguments are broadcast and mapped (the model may call it on a batch)."""
    m = jnp.array([[10 * MEV], [1.0]])
    e = jnp.array([0.0, EPS_PAPER])
    out = jax.jit(lambda a, b: n_eff(a, 5e-4, b))(m, e)
    assert out.shape == (2, 2)
    np.testing.assert_allclose(out, [[values[(10 * MEV, 0.0)], values[(10 * MEV, EPS_PAPER)]],
                                     [values[(1.0, 0.0)], values[(1.0, EPS_PAPER)]]], rtol=1e-9)  # stiff: roundoff differs per compilation


def test_n_eff_from_ratios():
    assert float(n_eff_from_ratios((11 / 4) ** (1 / 3), 1.0)) == pytest.approx(3.0, rel=1e-14)
