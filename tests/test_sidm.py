"""Tests of jaxg2.sidm against an independent scipy Schrödinger solve and analytic limits.

The reference solver below integrates u'' = [ℓ(ℓ+1)/x² ∓ b e^{−x}/x − κ²] u with
scipy's DOP853 from the origin series and matches u'/u to spherical Bessel
functions; the cross sections are then built by direct Gauss–Legendre
integration of paper 002 eqs. 23–25 (not by the partial-wave sums under test).
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from numpy.polynomial.legendre import leggauss, legval
from scipy.integrate import solve_ivp
from scipy.special import spherical_jn, spherical_yn

import jaxg2  # noqa: F401  (float64)
from jaxg2 import constants as C
from jaxg2 import sidm
from jaxg2.sidm.phase_shifts import default_l_max, default_n_steps

KMAX = 6.0  # one static solver size for every test (one compilation per sign)


# ----------------------------------------------------------------------------- reference
def _ref_phase(kappa, b, ell, sign):
    # start deep in the centrifugal region, late enough that x^{ℓ+1} growth cannot overflow
    x_turn = (ell + 0.5) / (kappa + np.sqrt(b) + 1.0)
    x0 = max(1e-6 / (1.0 + b + kappa), x_turn * 10.0 ** (-250.0 / (ell + 1)))
    x_max = max(np.log(max(b, 1.0) / 1e-13), 12.0)

    def rhs(x, y):
        return [y[1], (ell * (ell + 1) / x**2 - sign * b * np.exp(-x) / x - kappa**2) * y[0]]

    c1 = -sign * b / (2.0 * (ell + 1))
    y0 = [1.0 + c1 * x0, (ell + 1) / x0 + c1 * (ell + 2)]  # u / x0^{ℓ+1}
    sol = solve_ivp(rhs, (x0, x_max), y0, method="DOP853", rtol=1e-9, atol=1e-300)
    u, up = sol.y[0, -1], sol.y[1, -1]
    z = kappa * x_max
    jh, nh = z * spherical_jn(ell, z), z * spherical_yn(ell, z)
    jhp = spherical_jn(ell, z) + z * spherical_jn(ell, z, derivative=True)
    nhp = spherical_yn(ell, z) + z * spherical_yn(ell, z, derivative=True)
    y = up / u
    return np.arctan((kappa * jhp - y * jh) / (kappa * nhp - y * nh))


def _ref_sigmas(kappa, b, sign):
    deltas, small, ell = [], 0, 0
    while True:
        d = _ref_phase(kappa, b, ell, sign)
        deltas.append(d)
        small = small + 1 if abs(d) < 1e-7 else 0
        if small >= 3 and ell > kappa:
            break
        ell += 1
    d = np.array(deltas)
    amp = (2 * np.arange(len(d)) + 1) * np.exp(1j * d) * np.sin(d)
    n = 2 * len(d) + 20
    x, w = leggauss(n)
    f = legval(x, amp) / kappa
    out = {
        ("transfer", "distinguishable"): 2 * np.pi * np.sum(w * (1 - x) * abs(f) ** 2),
        ("viscosity", "distinguishable"): 2 * np.pi * np.sum(w * (1 - x**2) * abs(f) ** 2),
    }
    xh, wh = 0.5 * (x + 1), 0.5 * w
    fh, fr = legval(xh, amp) / kappa, legval(-xh, amp) / kappa
    dsdo = 0.5 * (0.25 * abs(fh + fr) ** 2 + 0.75 * abs(fh - fr) ** 2)  # paper eq. 24
    out[("transfer", "majorana")] = 4 * np.pi * np.sum(wh * (1 - xh) * dsdo)  # eq. 25
    out[("viscosity", "majorana")] = 4 * np.pi * np.sum(wh * (1 - xh**2) * dsdo)
    return d, out


# (a, b, sign): Born-ish, deep s-wave (b = 1e3 at a = 1e-4), near the first
# s-wave resonance (b ≈ 1.68), resonant p/d-wave region, repulsive, κ up to 6.
POINTS = [
    (1e-4, 1.0, 1.0),
    (1e-4, 1e3, 1.0),
    (1e-3, 1.68, 1.0),
    (0.01, 30.0, 1.0),
    (0.1, 10.0, 1.0),
    (1.0, 1.0, -1.0),
    (0.3, 5.0, -1.0),
]
# larger κ (up to 50) are compared with the same scipy solver in benchmarks/bench_sidm.py


@pytest.fixture(scope="module")
def reference():
    return [_ref_sigmas(a * b, b, s) for a, b, s in POINTS]


_SOLVE = {
    sign: jax.jit(lambda k, b, sign=sign: sidm.phase_shift_s_matrix(
        k, b, attractive=sign > 0, l_max=default_l_max(KMAX), n_steps=default_n_steps(KMAX)))
    for sign in (1.0, -1.0)
}


def _pw(a, b, sign=1.0, kind="transfer", particles="distinguishable"):
    """σ m_φ² from the shared jitted solver (one compilation per sign and shape)."""
    a, b = np.broadcast_arrays(np.asarray(a, float), np.asarray(b, float))
    smat = _SOLVE[sign](jnp.asarray(a * b), jnp.asarray(b))
    return np.asarray(sidm.sums_from_s_matrix(smat, a * b, kind=kind, particles=particles))


@pytest.fixture(scope="module")
def s_matrices():
    return [np.asarray(_SOLVE[s](a * b, b)) for a, b, s in POINTS]


def test_phase_shifts_match_scipy(reference, s_matrices):
    for (a, b, s), (d_ref, _), smat in zip(POINTS, reference, s_matrices):
        n = min(len(d_ref), len(smat))
        d = 0.5 * np.angle(smat[:n])
        diff = (d - d_ref[:n] + np.pi / 2) % np.pi - np.pi / 2  # phase shifts are defined mod π
        assert np.max(np.abs(diff)) < 1e-5, (a, b, s, np.max(np.abs(diff)))


@pytest.mark.parametrize("kind", ["transfer", "viscosity"])
@pytest.mark.parametrize("particles", ["distinguishable", "majorana"])
def test_cross_sections_match_scipy(reference, s_matrices, kind, particles):
    for (a, b, s), (_, ref), smat in zip(POINTS, reference, s_matrices):
        val = float(sidm.sums_from_s_matrix(jnp.asarray(smat), a * b, kind=kind,
                                            particles=particles))
        assert val == pytest.approx(ref[(kind, particles)], rel=1e-4), (a, b, s)


def test_public_api_partial_wave_regime(reference):
    """sigma_transfer_ab (auto) agrees with the reference at a box point, both types."""
    a, b, _ = POINTS[4]
    _, ref = reference[4]
    for particles in ("distinguishable", "majorana"):
        val = float(sidm.sigma_transfer_ab(a, b, particles=particles, kappa_max=KMAX))
        assert val == pytest.approx(ref[("transfer", particles)], rel=5e-3)


# ----------------------------------------------------------------------------- limits
def _born_dist_closed(kappa, b):
    r = 4 * kappa**2
    return np.pi * b**2 / (2 * kappa**4) * (np.log1p(r) - r / (1 + r))


def _born_majorana_closed(kappa, b):
    """2π b² [I1 + I2 − I3], derived by hand from eq. 24 with real Born amplitudes."""
    A = 2 * kappa**2
    i1 = (np.log1p(A) - A / (1 + A)) / A**2
    i2 = (A / (1 + A) - np.log((1 + 2 * A) / (1 + A))) / A**2
    j1 = (1 - np.log1p(A) / A) / A
    j2 = ((2 * A + 1) * np.log((1 + 2 * A) / (1 + A)) - A) / A**2
    i3 = (j1 + j2) / (2 * (1 + A))
    return 2 * np.pi * b**2 * (i1 + i2 - i3)


@pytest.mark.parametrize("kappa", [0.3, 3.0, 300.0, 1e5])
def test_born_quadrature_vs_closed_forms(kappa):
    b = 0.7
    assert float(sidm.born_sigma(kappa, b)) == pytest.approx(_born_dist_closed(kappa, b), rel=1e-12)
    assert float(sidm.born_sigma(kappa, b, particles="majorana")) == pytest.approx(
        _born_majorana_closed(kappa, b), rel=1e-9)


def test_partial_waves_reach_born_limit():
    b = 1e-4
    kap = np.array([1e-3, 0.5, 2.0, 6.0])
    for particles, closed in (("distinguishable", _born_dist_closed),
                              ("majorana", _born_majorana_closed)):
        np.testing.assert_allclose(_pw(kap / b, b, particles=particles), closed(kap, b), rtol=2e-3)
    # at the auto switch (b = 1e−3 max(1, κ)) Born is within 1e−3 of the exact waves
    bs = 1e-3
    assert _born_dist_closed(0.2, bs) == pytest.approx(float(_pw(0.2 / bs, bs)), rel=1e-3)


@pytest.mark.parametrize("sign", [1.0, -1.0])
def test_s_wave_limit_majorana_quarter(sign):
    a, b = 1e-4, 2.5  # κ = 2.5e-4: pure s wave
    d = _pw(a, b, sign)
    m = _pw(a, b, sign, particles="majorana")
    assert float(m / d) == pytest.approx(0.25, rel=1e-6)


def test_truncation_converged_at_box_edge():
    """ℓ_max(kappa_max) converges σ_T at the solver's edge κ = 1.4 kappa_max, b = 1e3."""
    t = sidm.truncation_estimate(1.4 * KMAX / 1e3, 1e3, kappa_max=KMAX, particles="majorana")
    assert float(t) < 1e-4  # measured 4e-6 (Majorana), 2e-7 (distinguishable)


def test_classical_fit_near_partial_waves():
    """The classical fit (used beyond the solver for a ≲ 1) is within 15% at κ = 6, βκ = 42."""
    a, b = 0.012, 500.0  # κ = 6, β = 7
    pw = float(_pw(a, b))
    cl = float(sidm.classical_sigma_transfer(a, b))
    assert cl == pytest.approx(pw, rel=0.15)


# ----------------------------------------------------------------------------- units
def test_units_and_velocity_average():
    alpha, m_x, m_phi = 1e-3, 10.0, 0.01
    v_kms = 200.0
    v = v_kms / C.C_KM_S
    sab = float(sidm.sigma_transfer_ab(v / (2 * alpha), alpha * m_x / m_phi, kappa_max=KMAX))
    sig_cm2 = sab / m_phi**2 * C.HBARC_GEV_CM**2
    expected = sig_cm2 / (m_x * C.GEV_TO_GRAM)
    got = float(sidm.sigma_over_m(alpha, m_x, m_phi, v_kms, kappa_max=KMAX))
    assert got == pytest.approx(expected, rel=1e-12)
    # MB average against a direct trapezoid over the stated distribution
    vm = 100.0
    v0 = np.sqrt(np.pi) * vm / 2
    grid = np.linspace(1e-3, 6 * v0, 241)
    s = np.asarray(sidm.sigma_over_m(alpha, m_x, m_phi, grid, kappa_max=KMAX))
    f = 4 * grid**2 / (np.sqrt(np.pi) * v0**3) * np.exp(-(grid**2) / v0**2)
    direct = np.trapezoid(f * s * grid, grid)
    avg = float(sidm.averaged_sigma_v_over_m(alpha, m_x, m_phi, vm, kappa_max=KMAX, n_quad=24))
    assert avg == pytest.approx(direct, rel=2e-3)


# ----------------------------------------------------------------------------- transforms
def _phys(theta):
    return sidm.sigma_transfer(theta[0], theta[1], theta[2], theta[3], kappa_max=KMAX,
                               particles="majorana")


_phys_jit = jax.jit(_phys)
_phys_grad = jax.jit(jax.grad(_phys))


@pytest.mark.parametrize(
    "theta",
    [
        [0.0168, 10.0, 0.1, 1e-4],  # b = 1.68: at the first s-wave resonance
        [2e-2, 20.0, 0.05, 3e-3],  # κ = 0.6, b = 8: p-wave resonant region
        [2e-2, 20.0, 0.05, 3.5e-2],  # κ = 7: partial-wave → classical blend (κ_max = 6)
    ],
)
def test_grad_matches_finite_differences(theta):
    theta = jnp.asarray(theta, jnp.float64)
    g = np.asarray(_phys_grad(theta))
    assert np.all(np.isfinite(g))
    f = _phys_jit
    for i in range(4):
        h = 1e-5 * float(theta[i])
        e = jnp.zeros(4).at[i].set(h)
        fd = (float(f(theta + e)) - float(f(theta - e))) / (2 * h)
        scale = abs(float(f(theta))) / float(theta[i])
        assert g[i] == pytest.approx(fd, rel=1e-3, abs=1e-6 * scale), i


def test_jit_vmap_consistency():
    a = jnp.array([1e-3, 0.05, 0.5])
    b = jnp.array([1.68, 30.0, 4.0])
    f = lambda a, b: sidm.sigma_transfer_ab(a, b, kappa_max=KMAX)  # noqa: E731
    batched = np.asarray(jax.jit(f)(a, b))
    assert batched.dtype == np.float64
    loop = np.array([float(f(ai, bi)) for ai, bi in zip(a, b)])
    np.testing.assert_allclose(batched, loop, rtol=1e-12)
    vm = np.asarray(jax.vmap(f)(a, b))
    np.testing.assert_allclose(vm, loop, rtol=1e-12)


# ----------------------------------------------------------------------------- accuracy="fit"
# The region the shipped SIDM fits visit (fits/lmu_ltau_sidm*.toml priors through
# y_relic, at 30/200/1000 km/s; see tests/test_lmu_ltau_sidm.py): a = v/2α ∈ [5e−4, 21],
# b = αM₁/m_φ ∈ [5e−4, 830], κ = ab ≤ 52.  The grid below covers a ∈ [5e−4, 25],
# b ∈ [5e−4, 1e3] and κ up to 70 (the partial-wave → classical blend at kappa_max = 50).
FIT_TOL = 3e-3


def _fit_region_grid():
    la, lb = np.meshgrid(np.linspace(np.log10(5e-4), np.log10(25.0), 13),
                         np.linspace(np.log10(5e-4), 3.0, 13))
    a, b = 10 ** la.ravel(), 10 ** lb.ravel()
    keep = a * b <= 70.0
    # strong coupling across κ (where the solver sizes bind) and the first s-wave resonance
    kap = np.geomspace(0.3, 70.0, 24)
    a_res = np.geomspace(1e-3, 1.0, 12)
    a = np.concatenate([a[keep], kap / 1e3, kap / 300.0, a_res])
    b = np.concatenate([b[keep], np.full(24, 1e3), np.full(24, 300.0), np.full(12, 1.68)])
    return a, b


@pytest.mark.parametrize("kind, particles", [("transfer", "majorana"),
                                             ("transfer", "distinguishable"),
                                             ("viscosity", "majorana")])
def test_fit_accuracy_matches_exact_over_fit_region(kind, particles):
    fn = sidm.sigma_transfer_ab if kind == "transfer" else sidm.sigma_viscosity_ab
    a, b = (jnp.asarray(t) for t in _fit_region_grid())
    exact = np.asarray(jax.jit(lambda x, y: fn(x, y, particles=particles, accuracy="exact"))(a, b))
    fit = np.asarray(jax.jit(lambda x, y: fn(x, y, particles=particles, accuracy="fit"))(a, b))
    err = np.abs(fit / exact - 1.0)
    i = int(np.argmax(err))
    # measured: σ_T 6.9e-4 (Majorana), 8.1e-4 (distinguishable); σ_V 1.9e-3
    assert err.max() <= FIT_TOL, (err.max(), float(a[i]), float(b[i]))


def test_fit_accuracy_repulsive():
    """The repulsive sign (not used by lmu_ltau) within the same budget on a coarse grid."""
    la, lb = np.meshgrid(np.linspace(-3, 1, 7), np.linspace(-2, 3, 7))
    a, b = 10 ** la.ravel(), 10 ** lb.ravel()
    a, b = jnp.asarray(a[a * b <= 70]), jnp.asarray(b[a * b <= 70])
    f = {acc: jax.jit(lambda x, y, acc=acc: sidm.sigma_transfer_ab(
        x, y, attractive=False, accuracy=acc)) for acc in ("exact", "fit")}
    err = np.abs(np.asarray(f["fit"](a, b)) / np.asarray(f["exact"](a, b)) - 1.0)
    assert err.max() <= FIT_TOL, err.max()


def test_born_phase_shifts_match_mpmath():
    """(b/2κ) Q_ℓ(1 + 1/(2κ²)) against mpmath's Legendre Q (independent evaluation)."""
    mp = pytest.importorskip("mpmath")
    for kappa in (0.01, 0.5, 5.0, 40.0):
        d = np.asarray(sidm.born_phase_shifts(kappa, 2.0, 160))
        for ell in (0, 1, 7, 60, 160):
            q = float(mp.re(mp.legenq(ell, 0, 1 + mp.mpf(0.5) / mp.mpf(kappa) ** 2, type=3)))
            if q < 1e-250:
                continue
            assert d[ell] == pytest.approx(2.0 / (2 * kappa) * q, rel=1e-8), (kappa, ell)
    assert float(sidm.born_phase_shifts(1.0, 2.0, 3, attractive=False)[0]) < 0


def test_born_phase_shifts_are_the_weak_coupling_limit_of_the_solver():
    """At b = 1e−4 the exact phase shifts equal the first-Born ones (to O(b) relative)."""
    kappa, b = 2.0, 1e-4
    d = np.asarray(sidm.phase_shifts(kappa, b, l_max=default_l_max(KMAX),
                                     n_steps=default_n_steps(KMAX)))[:8]
    np.testing.assert_allclose(d, np.asarray(sidm.born_phase_shifts(kappa, b, 7)), rtol=2e-3)


def test_fit_mode_jit_vmap_grad():
    a, b = (jnp.asarray(t) for t in _fit_region_grid())
    f = lambda x, y: sidm.sigma_transfer_ab(x, y, particles="majorana", accuracy="fit")  # noqa: E731
    batched = np.asarray(jax.jit(f)(a, b))
    vm = np.asarray(jax.vmap(f)(a[:5], b[:5]))
    np.testing.assert_allclose(vm, batched[:5], rtol=1e-12)
    g = jax.jit(jax.vmap(jax.grad(lambda x, y: jnp.log(f(x, y)), argnums=(0, 1))))(a, b)
    assert all(np.all(np.isfinite(np.asarray(t))) for t in g)
    # the gradient is the derivative of the fit-mode function itself (central differences)
    fj = jax.jit(f)
    for x, y in ((0.02, 30.0), (0.05, 800.0)):  # κ = 0.6 (resonant region), κ = 40
        ga, gb = (float(t) for t in jax.grad(f, argnums=(0, 1))(x, y))
        for val, grad, e in ((x, ga, (1e-5 * x, 0.0)), (y, gb, (0.0, 1e-5 * y))):
            fd = (float(fj(x + e[0], y + e[1])) - float(fj(x - e[0], y - e[1]))) / (2e-5 * val)
            assert grad == pytest.approx(fd, rel=1e-3, abs=1e-6 * abs(float(fj(x, y))) / val)
