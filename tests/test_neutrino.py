"""Tests of jaxg2.neutrino: Takagi factorisation, PMNS / oscillation data, Casas–Ibarra."""

import numpy as np
import jax
import jax.numpy as jnp
import pytest

import jaxg2  # noqa: F401
from jaxg2 import experiments
from jaxg2 import neutrino as nu

RNG = np.random.default_rng(12345)


def _unitary(n, rng=RNG):
    z = rng.normal(size=(n, n)) + 1j * rng.normal(size=(n, n))
    q, r = np.linalg.qr(z)
    return q * (np.diag(r) / np.abs(np.diag(r)))


def _spectrum(kind, n, rng=RNG):
    if kind == "random":
        s = rng.uniform(0.05, 3.0, n)
    elif kind == "degenerate":
        s = np.ones(n)
        s[-1] = 2.5
    elif kind == "pseudo_dirac":
        s = np.r_[1.0, 1.0 + 1e-12, rng.uniform(0.1, 3.0, n - 2)]
    elif kind == "rank_deficient":
        s = np.r_[0.0, 0.0, rng.uniform(0.1, 3.0, n - 2)] if n > 2 else np.array([0.0, 1.3])
    elif kind == "hierarchical":
        s = np.logspace(-12, 0, n)
    return np.sort(s)


# ---------------------------------------------------------------- Takagi ----
@pytest.mark.parametrize("n", [2, 3, 9])
@pytest.mark.parametrize("kind", ["random", "degenerate", "pseudo_dirac", "rank_deficient", "hierarchical"])
def test_takagi_round_trip(n, kind):
    rng = np.random.default_rng(10 * n + len(kind))
    U0 = _unitary(n, rng)
    s = _spectrum(kind, n, rng)
    M = U0 @ np.diag(s) @ U0.T
    m, U = nu.takagi(M)
    assert m.dtype == jnp.float64 and U.dtype == jnp.complex128
    M_rec = np.asarray(nu.takagi_reconstruct(m, U))
    assert np.max(np.abs(M_rec - M)) < 2e-14 * np.max(s) * n
    assert np.max(np.abs(np.asarray(U).conj().T @ np.asarray(U) - np.eye(n))) < 2e-14 * n
    assert np.all(np.diff(np.asarray(m)) >= 0) and np.all(np.asarray(m) >= 0)
    # independent: the Takagi values are the singular values (LAPACK SVD)
    sv = np.sort(np.linalg.svd(M, compute_uv=False))
    assert np.max(np.abs(np.asarray(m) - sv)) < 1e-14 * np.max(s) * n


def test_takagi_2x2_closed_form_real_majorana():
    # real symmetric [[a, M], [M, b]]: masses |½(a+b) ∓ √(((a−b)/2)² + M²)| (eigenvalue moduli)
    for a, b, Md in [(1e-3, 2e-3, 1.0), (-0.3, 0.7, 0.2), (0.0, 0.0, 5.0), (2.0, 1e-6, 1e-4)]:
        m, U = nu.takagi(np.array([[a, Md], [Md, b]]))
        big = 0.5 * (a + b) + np.sign(a + b + 1e-300) * np.sqrt((0.5 * (a - b)) ** 2 + Md**2)
        small = (a * b - Md**2) / big  # cancellation-free second root (Vieta)
        np.testing.assert_allclose(np.asarray(m), np.sort(np.abs([big, small])), rtol=1e-14)


def test_takagi_dirac_limit_is_maximal_mixing():
    m, U = nu.takagi(np.array([[0.0, 3.0], [3.0, 0.0]]))
    np.testing.assert_allclose(np.asarray(m), [3.0, 3.0], rtol=1e-15)
    np.testing.assert_allclose(np.abs(np.asarray(U)) ** 2, 0.5, rtol=1e-14)


def test_takagi_jit_vmap_batch():
    Ms = np.stack([(_unitary(4) * _spectrum("random", 4)) @ _unitary(4).T for _ in range(3)])
    Ms = 0.5 * (Ms + np.swapaxes(Ms, -1, -2))
    m_b, U_b = nu.takagi(Ms)
    m_j, U_j = jax.jit(nu.takagi)(Ms)
    np.testing.assert_allclose(np.asarray(m_b), np.asarray(m_j), rtol=1e-13)
    for i in range(3):
        m_i, U_i = nu.takagi(Ms[i])
        np.testing.assert_allclose(np.asarray(m_b[i]), np.asarray(m_i), rtol=1e-13)
        np.testing.assert_allclose(np.asarray(nu.takagi_reconstruct(m_b[i], U_b[i])), Ms[i], atol=1e-13)


def _grad_pair(s):
    """Gradients of a phase- and ordering-invariant function of (m, U) against the same
    function written directly in terms of M (M M† and singular values): independent."""
    n = len(s)
    rng = np.random.default_rng(3)
    U0, dirn = _unitary(n, rng), rng.normal(size=(n, n)) + 1j * rng.normal(size=(n, n))
    M0 = U0 @ np.diag(s) @ U0.T
    sym = dirn + dirn.T

    def f_takagi(t):
        m, U = nu.takagi(M0 + t * sym)
        G = U @ jnp.diag(m**2) @ U.conj().T
        return jnp.real(G[0, 1]) + jnp.imag(G[1, 2]) + jnp.sum(m**3)

    def f_direct(t):
        M = M0 + t * sym
        G = M @ M.conj().T
        return jnp.real(G[0, 1]) + jnp.imag(G[1, 2]) + jnp.sum(jnp.linalg.svd(M, compute_uv=False) ** 3)

    return f_takagi, f_direct


@pytest.mark.parametrize("s", [[0.3, 1.0, 1.7, 2.5], [1.0, 1.0 + 1e-9, 1.7, 2.5], [0.0, 0.0, 1.7, 2.5]])
def test_takagi_gradient_matches_direct(s):
    f_t, f_d = _grad_pair(np.array(s))
    g_t, g_d = jax.grad(f_t)(0.0), jax.grad(f_d)(0.0)
    h = 1e-6
    fd = (f_t(h) - f_t(-h)) / (2 * h)
    assert np.isfinite(g_t)
    # a splitting Δ is only known to ~ε‖M‖, so the intra-pair terms carry ~ε/(Δ/m) ≈ 1e-7
    gap = min(b - a for a, b in zip(s[:-1], s[1:]) if b > a)
    np.testing.assert_allclose(g_t, g_d, rtol=max(1e-8, 1e-8 / gap))
    np.testing.assert_allclose(g_t, fd, rtol=1e-6)


def test_takagi_gradients_finite_at_exact_degeneracy():
    # Dirac and fully degenerate matrices: U is not unique, but the JVP is finite,
    # and the mass gradients are exact (dm = Re P_ii).
    def f(t):
        M = jnp.array([[t, 2.0], [2.0, 0.0]], dtype=jnp.complex128)
        m, U = nu.takagi(M)
        return jnp.sum(m**2) + jnp.abs(U[0, 0]) ** 2 + jnp.real(U[1, 1])

    g = jax.grad(f)(0.0)
    assert np.isfinite(g)
    # masses of [[t, 2], [2, 0]]: |t/2 ± √(t²/4 + 4)|; Σ m² = t² + 8 → d/dt = 2t = 0 at t = 0
    gm = jax.grad(lambda t: jnp.sum(nu.takagi(jnp.array([[t, 2.0], [2.0, 0.0]]))[0] ** 2))(0.3)
    np.testing.assert_allclose(gm, 0.6, rtol=1e-12)


# ------------------------------------------------------------------ PMNS ----
def test_pmns_unitary_and_moduli():
    p = nu.nufit("normal")
    U = np.asarray(nu.pmns_from_data("normal", alpha21=0.4, alpha31=-1.2))
    np.testing.assert_allclose(U.conj().T @ U, np.eye(3), atol=1e-15)
    np.testing.assert_allclose(abs(U[0, 2]) ** 2, p["sin2_theta13"], rtol=1e-14)
    np.testing.assert_allclose(abs(U[0, 1]) ** 2 / (1 - abs(U[0, 2]) ** 2), p["sin2_theta12"], rtol=1e-14)
    np.testing.assert_allclose(abs(U[1, 2]) ** 2 / (1 - abs(U[0, 2]) ** 2), p["sin2_theta23"], rtol=1e-14)
    # Jarlskog invariant, standard closed form c12 s12 c23 s23 c13² s13 sin δ
    s12, s13, s23 = (np.sqrt(p[k]) for k in ("sin2_theta12", "sin2_theta13", "sin2_theta23"))
    c12, c13, c23 = np.sqrt(1 - s12**2), np.sqrt(1 - s13**2), np.sqrt(1 - s23**2)
    J_ref = c12 * s12 * c23 * s23 * c13**2 * s13 * np.sin(p["delta_cp"])
    J = np.imag(U[0, 0] * U[1, 1] * np.conj(U[0, 1]) * np.conj(U[1, 0]))
    np.testing.assert_allclose(J, J_ref, rtol=1e-12, atol=1e-17)
    # Majorana phases only rephase columns
    U0 = np.asarray(nu.pmns_from_data("normal"))
    np.testing.assert_allclose(np.abs(U), np.abs(U0), rtol=1e-15)


def test_nufit_values_come_from_registry():
    for o, name in [("normal", "nufit_6_0_normal"), ("inverted", "nufit_6_0_inverted")]:
        e = experiments.get(name).values
        p = nu.nufit(o)
        assert p["sin2_theta12"] == e["sin2_theta12"]
        np.testing.assert_allclose(p["delta_cp"], np.deg2rad(e["delta_cp_deg"]))


@pytest.mark.parametrize("ordering", ["normal", "inverted"])
def test_light_masses_reproduce_splittings(ordering):
    p = nu.nufit(ordering)
    for m0 in [0.0, 0.003, 0.05]:
        m = np.asarray(nu.light_masses(m0, ordering))
        np.testing.assert_allclose(m[1] ** 2 - m[0] ** 2, p["dm2_21"], rtol=1e-12)
        d3l = m[2] ** 2 - (m[0] ** 2 if ordering == "normal" else m[1] ** 2)
        np.testing.assert_allclose(d3l, p["dm2_3l"], rtol=1e-12)
        assert np.isclose(np.min(m), m0, atol=1e-18)
    g = jax.grad(lambda x: jnp.sum(nu.light_masses(x, ordering)))(0.0)
    assert np.isfinite(g)


# ---------------------------------------------------------- Casas–Ibarra ----
@pytest.mark.parametrize("ordering", ["normal", "inverted"])
def test_casas_ibarra_two_states_reproduces_mass_matrix(ordering):
    rng = np.random.default_rng(7)
    m = np.asarray(nu.light_masses(0.0, ordering)) * nu.EV
    for _ in range(5):
        z = rng.uniform(-np.pi, np.pi) + 1j * rng.uniform(-2, 2)
        a21, a31 = rng.uniform(0, 2 * np.pi, 2)
        U = nu.pmns_from_data(ordering, a21, a31)
        R = nu.orthogonal_3x2(z, ordering, xi=int(rng.choice([-1, 1])))
        np.testing.assert_allclose(np.asarray(jnp.swapaxes(R, -1, -2) @ R), np.eye(2), atol=1e-12 * np.abs(R).max() ** 2)
        lam = rng.choice([-1, 1], 2) * 10 ** rng.uniform(-14, -8, 2)
        y = nu.casas_ibarra(U, m, lam, R)
        target = np.asarray(U) @ np.diag(m) @ np.asarray(U).T
        err = np.max(np.abs(np.asarray(nu.mass_matrix(y, lam)) - target)) / np.max(np.abs(target))
        assert err < 1e-12
        # rank 2: the lightest Takagi value vanishes
        mm, _ = nu.takagi(nu.mass_matrix(y, lam))
        assert mm[0] < 1e-11 * mm[-1]


@pytest.mark.parametrize("ordering", ["normal", "inverted"])
def test_casas_ibarra_three_states_reproduces_mass_matrix(ordering):
    rng = np.random.default_rng(8)
    m = np.asarray(nu.light_masses(0.02, ordering)) * nu.EV
    for _ in range(5):
        z = rng.uniform(-np.pi, np.pi, 3) + 1j * rng.uniform(-1.5, 1.5, 3)
        R = nu.orthogonal_3x3(*z, reflection=bool(rng.integers(2)))
        np.testing.assert_allclose(np.asarray(R @ R.T), np.eye(3), atol=1e-12 * np.abs(R).max() ** 2)
        U = nu.pmns_from_data(ordering, *rng.uniform(0, 2 * np.pi, 2))
        lam = rng.choice([-1, 1], 3) * 10 ** rng.uniform(-14, -8, 3)
        y = nu.casas_ibarra(U, m, lam, R)
        target = np.asarray(U) @ np.diag(m) @ np.asarray(U).T
        err = np.max(np.abs(np.asarray(nu.mass_matrix(y, lam)) - target)) / np.max(np.abs(target))
        assert err < 1e-12
        # Takagi of the reconstructed matrix gives back the light masses (sorted)
        mm, _ = nu.takagi(nu.mass_matrix(y, lam))
        np.testing.assert_allclose(np.asarray(mm), np.sort(m), rtol=1e-9)
