"""Electroweak family: loop functions against quadrature, T and S of a scalar doublet
against a direct assembly of the Π(0) and Π′(0) loop integrals, BHR's closed form for S,
S and T of vector-like fermion doublets (with Majorana splitting) against an independent
two-component evaluation (numerical diagonalisation, quadrature of the Feynman-parameter
self-energies, numerical q² derivative, divergence bookkeeping), the invisible Z width
from two-body kinematics, the S–T χ², and JAX transforms."""

import math

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from scipy.integrate import quad
from scipy.optimize import minimize

from jaxg2 import constants as C
from jaxg2 import experiments
from jaxg2.constraints import electroweak as ew
from jaxg2.models.base import Model, Parameter, Prior


def _f(a, b):  # ∫ dz Δ ln Δ, Δ = z a + (1−z) b: the finite q²=0 bubble integral
    return quad(lambda z: (z * a + (1 - z) * b) * math.log(z * a + (1 - z) * b), 0, 1, epsabs=0, epsrel=1e-13)[0]


def _big_f(a, b):  # bubble + seagull at q² = 0 for a scalar pair
    return _f(a, a) + _f(b, b) - 2 * _f(a, b)


def _g(a, b):
    return quad(lambda z: z * (1 - z) * math.log(z * a + (1 - z) * b), 0, 1, epsabs=0, epsrel=1e-13)[0]


PAIRS = [(1.0, 2.0), (2.0, 1.0), (1.0, 1.03), (1.0, 1.2), (1e-6, 1.0), (4e4, 9e4), (0.3, 300.0)]


@pytest.mark.parametrize("a,b", PAIRS)
def test_loop_functions_against_quadrature(a, b):
    assert float(ew.loop_f(a, b)) == pytest.approx(_big_f(a, b), rel=1e-8, abs=1e-14 * b)
    assert float(ew.loop_g(a, b)) == pytest.approx(_g(a, b), rel=1e-10, abs=1e-13)


def test_loop_function_limits():
    assert float(ew.loop_f(7.0, 7.0)) == 0.0
    assert float(ew.loop_g(7.0, 7.0)) == pytest.approx(math.log(7.0) / 6.0, rel=1e-14)
    assert float(ew.loop_f(1e-12, 5.0)) == pytest.approx(2.5, rel=1e-9)  # F(0, y) = y/2
    # small splitting: F ≈ (x − y)²/(6y)
    assert float(ew.loop_f(1.0 + 1e-3, 1.0)) == pytest.approx(1e-6 / 6, rel=2e-3)
    # continuity across the series/exact switches (|u| = 0.05 for F, 0.2 for G)
    for u in (0.0499999, 0.0500001):
        assert float(ew.loop_f(1.0 - u, 1.0)) == pytest.approx(_big_f(1.0 - u, 1.0), rel=1e-9)
    for u in (0.1999999, 0.2000001):
        assert float(ew.loop_g(1.0 - u, 1.0)) == pytest.approx(_g(1.0 - u, 1.0), rel=1e-12, abs=1e-15)


@pytest.mark.parametrize("mc,mh,ma", [(300.0, 200.0, 200.0), (250.0, 70.0, 120.0), (150.0, 400.0, 160.0),
                                      (500.0, 500.0, 500.0), (200.0, 60.0, 60.0)])
def test_t_and_s_against_direct_loop_assembly(mc, mh, ma):
    c, h, a = mc**2, mh**2, ma**2
    k = 1.0 / (16 * math.pi**2)
    # Π11(0) − Π33(0) (g² stripped): pairs of weight 1/4
    pi11 = k * 0.25 * (_big_f(c, h) + _big_f(c, a))
    pi33 = k * 0.25 * (_big_f(h, a) + _big_f(c, c))
    s2, mw2 = C.SIN2_THETA_W_MSBAR_MZ, C.M_W**2
    t_direct = 4 * math.pi * (pi11 - pi33) / (s2 * mw2)  # αT = g²ΔΠ/m_W², g² = 4πα/ŝ²
    assert float(ew.t_scalar_doublet(mc, mh, ma)) == pytest.approx(t_direct, rel=1e-8, abs=1e-12)
    # S = 16π(Π′33(0) − Π′3Q(0)), Π′ = 2 w G/(16π²) per pair (divergences cancel)
    s_direct = 16 * math.pi * 2 * k * (0.25 * _g(h, a) + 0.25 * _g(c, c) - 0.5 * _g(c, c))
    assert float(ew.s_scalar_doublet(mc, mh, ma)) == pytest.approx(s_direct, rel=1e-9, abs=1e-13)


def test_s_matches_barbieri_hall_rychkov_closed_form():
    mc, mh, ma = 300.0, 120.0, 180.0
    c, h, a = mc**2, mh**2, ma**2
    bhr = (1 / (2 * math.pi)) * (math.log(h / c) / 6 - 5 / 36 + h * a / (3 * (a - h) ** 2)
                                 + a * a * (a - 3 * h) / (6 * (a - h) ** 3) * math.log(a / h))
    assert float(ew.s_scalar_doublet(mc, mh, ma)) == pytest.approx(bhr, rel=1e-10)


def test_degenerate_doublet_is_oblique_free_and_t_is_positive_for_splittings():
    assert float(ew.t_scalar_doublet(400.0, 400.0, 400.0)) == 0.0
    assert abs(float(ew.s_scalar_doublet(400.0, 400.0, 400.0))) < 1e-15
    # T ≥ 0 unless the charged state lies between the neutral ones
    assert float(ew.t_scalar_doublet(300.0, 200.0, 250.0)) > 0
    assert float(ew.t_scalar_doublet(225.0, 200.0, 250.0)) < 0


def _two_body_ratio(m1, m2):
    """Γ(Z → S1 S2)/Γ(Z → νν̄) from |p|: Γ = g_Z²|p|³/(6π m_Z²) vs G_F m_Z³/(12√2π)."""
    mz = C.M_Z
    p = math.sqrt(max(0.0, (mz**2 - (m1 + m2) ** 2) * (mz**2 - (m1 - m2) ** 2))) / (2 * mz)
    gz2 = 8 * C.G_FERMI * mz**2 / math.sqrt(2) / 4  # (g/2c)², g²/c² = 8 G_F m_Z²/√2
    return (gz2 * p**3 / (6 * math.pi * mz**2)) / (C.G_FERMI * mz**3 / (12 * math.sqrt(2) * math.pi))


@pytest.mark.parametrize("m1,m2", [(10.0, 10.0), (20.0, 40.0), (45.0, 45.5), (50.0, 50.0), (1.0, 80.0)])
def test_invisible_width_scalar(m1, m2):
    assert float(ew.delta_n_nu_scalar(m1, m2)) == pytest.approx(_two_body_ratio(m1, m2), rel=1e-10, abs=1e-15)


def _z_to_ff(m, v, a):
    """Γ(Z → f f̄)/Γ(Z → νν̄) for the vertex (g/c_W) γ^μ (v − a γ5): textbook
    Γ ∝ β[v²(1 + 2x) + a²(1 − 4x)], the neutrino having v = a = 1/4."""
    x = (m / C.M_Z) ** 2
    beta = math.sqrt(max(0.0, 1 - 4 * x))
    return beta * (v * v * (1 + 2 * x) + a * a * (1 - 4 * x)) / (2 / 16)


def test_invisible_width_dirac():
    mz = C.M_Z
    for m in (1e-3, 10.0, 40.0, 45.0, 46.0):
        x = (m / mz) ** 2
        beta = math.sqrt(max(0.0, 1 - 4 * x))
        gv2 = 8 * C.G_FERMI * mz**2 / math.sqrt(2) / 4
        width = gv2 * mz * beta * (1 + 2 * x) / (12 * math.pi)  # vector coupling, both chiralities
        ref = width / (C.G_FERMI * mz**3 / (12 * math.sqrt(2) * math.pi))
        assert float(ew.delta_n_nu_fermion(m)) == pytest.approx(ref, rel=1e-10, abs=1e-15)
        assert float(ew.delta_n_nu_fermion(m)) == pytest.approx(_z_to_ff(m, 0.5, 0.0), rel=1e-10, abs=1e-15)
    assert float(ew.delta_n_nu_fermion(1e-6)) == pytest.approx(2.0)


@pytest.mark.parametrize("m", [1e-3, 0.1, 20.0, 44.0, 45.59, 46.0])
def test_invisible_width_majorana_pair(m):
    # M_N = 0: two Majorana states of equal mass m and equal sign; the Z current is
    # N1-bar γ^μ γ5 N2 / 2 — the same rate as a Dirac fermion of mass m with v = 0, a = 1/2
    assert float(ew.delta_n_nu_fermion(0.0, m)) == pytest.approx(_z_to_ff(m, 0.0, 0.5), rel=1e-10, abs=1e-15)
    # small Majorana splitting of a light Dirac N: still two Weyl states' worth
    assert float(ew.delta_n_nu_fermion(1e-3, 1e-4)) == pytest.approx(2.0, rel=1e-6)


def test_st_chi2_against_numpy_three_parameter_gaussian():
    v = experiments.get("gfitter_2018_stu").values
    mu = np.array([v["s"], v["t"], v["u"]])
    sd = np.array([v["sigma_s"], v["sigma_t"], v["sigma_u"]])
    rho = np.array([[1, v["rho_st"], v["rho_su"]], [v["rho_st"], 1, v["rho_tu"]], [v["rho_su"], v["rho_tu"], 1]])
    inv = np.linalg.inv(rho * np.outer(sd, sd))
    chi2 = lambda s, t: (np.array([s, t, 0.0]) - mu) @ inv @ (np.array([s, t, 0.0]) - mu)  # noqa: E731
    best = minimize(lambda x: chi2(*x), [0.0, 0.0], tol=1e-14).fun
    for s, t in [(0.0, 0.0), (0.1, 0.2), (-0.05, 0.3), (0.3, -0.1)]:
        assert float(ew.st_delta_chi2(s, t)) == pytest.approx(chi2(s, t) - best, rel=1e-6, abs=1e-9)
    assert ew.ST_CHI2_95 == pytest.approx(5.991464547, rel=1e-9)


def _model():
    def couplings(th, obs):
        return {"scalar_doublets": {"m_charged": th["mc"][..., None], "m_neutral": th["mh"][..., None],
                                    "m_neutral_2": th["ma"][..., None]}}

    return Model(name="toy_idm", description="inert doublet", reference="none",
                 parameters=tuple(Parameter(n, "GeV", n, Prior.uniform(10.0, 1000.0)) for n in ("mc", "mh", "ma")),
                 observables=lambda th: {"delta_a_mu": 0.0 * th["mc"]}, units={"delta_a_mu": "1"},
                 couplings=couplings, coupling_sections=("scalar_doublets",))


def test_model_wiring_jit_vmap_grad_across_thresholds_and_degeneracies():
    m = _model()
    assert {"ew_st", "z_invisible"} <= {c.name for c in m.constraints}

    def loglike(x):
        obs = m.observables({"mc": x[0], "mh": x[1], "ma": x[2]})
        return sum(c.log_likelihood(obs, smooth=True) for c in m.constraints if c.family == "electroweak_doublets")

    pts = jnp.array([[300.0, 200.0, 200.0],   # degenerate neutral states
                     [200.0, 200.0, 250.0],   # charged = neutral (removable singularities)
                     [150.0, 45.594, 45.594],  # at the Z → HA threshold
                     [150.0, 30.0, 70.0], [120.0, 50.0, 60.0], [900.0, 10.0, 10.0]])
    vals = jax.jit(jax.vmap(loglike))(pts)
    grads = jax.vmap(jax.grad(loglike))(pts)
    assert np.all(np.isfinite(np.asarray(vals))) and np.all(np.isfinite(np.asarray(grads)))
    # a light complex neutral scalar (ΔN_ν = β³/2 ≈ 0.4) is excluded by N_ν, a heavy one is not
    light = m.observables({"mc": jnp.asarray(150.0), "mh": jnp.asarray(20.0), "ma": jnp.asarray(20.0)})
    assert not bool(m.constraint("z_invisible").satisfied(light))
    heavy = m.observables({"mc": jnp.asarray(150.0), "mh": jnp.asarray(140.0), "ma": jnp.asarray(145.0)})
    assert bool(m.constraint("z_invisible").satisfied(heavy)) and bool(m.constraint("ew_st").satisfied(heavy))


# ----------------------------------------------------------------------------------------
# Scalar doublet whose charged member mixes with a charged singlet

@pytest.mark.parametrize("w", [1.0, 0.7, 0.12, 0.0])
def test_scalar_doublet_with_charged_singlet_mixing_against_pair_assembly(w):
    mc1, mc2, mh, ma = 150.0, 500.0, 100.0, 120.0
    c1, c2, h, a = mc1**2, mc2**2, mh**2, ma**2
    k = 1.0 / (16 * math.pi**2)
    ws = (w, 1.0 - w)
    cs = (c1, c2)
    # W¹: (charged_k, H) and (charged_k, A) with |T|² = w_k/4; W³: (H, A) 1/4, (c_k, c_l) w_k w_l/4
    pi11 = k * sum(0.25 * ws[i] * (_big_f(cs[i], h) + _big_f(cs[i], a)) for i in range(2))
    pi33 = k * (0.25 * _big_f(h, a) + sum(0.25 * ws[i] * ws[j] * _big_f(cs[i], cs[j])
                                          for i in range(2) for j in range(2)))
    t_direct = 4 * math.pi * (pi11 - pi33) / (C.SIN2_THETA_W_MSBAR_MZ * C.M_W**2)
    t = float(ew.t_scalar_doublet(mc1, mh, ma, m_charged_2=mc2, w_charged=w))
    assert t == pytest.approx(t_direct, rel=1e-8, abs=1e-12)
    # Π′33 pairs as above (2 w G per pair), Π′3Q: (c_k, c_k) with T3 Q = w_k/2
    d33 = 0.25 * _g(h, a) + sum(0.25 * ws[i] * ws[j] * _g(cs[i], cs[j]) for i in range(2) for j in range(2))
    d3q = sum(0.5 * ws[i] * _g(cs[i], cs[i]) for i in range(2))
    s_direct = 16 * math.pi * 2 * k * (d33 - d3q)
    s = float(ew.s_scalar_doublet(mc1, mh, ma, m_charged_2=mc2, w_charged=w))
    assert s == pytest.approx(s_direct, rel=1e-9, abs=1e-13)
    if w == 1.0:
        assert t == pytest.approx(float(ew.t_scalar_doublet(mc1, mh, ma)), rel=1e-14)


# ----------------------------------------------------------------------------------------
# Vector-like fermion doublets: an independent two-component evaluation

def _weyl_pi(masses_signed, ga, gb, q2, mu2, delta_eps):
    """Π^{ab}(q²) = −2 Σ_ij G^a_ij G^b_ij ∫dx I(Δ)[x(1−x)q² − Δ − m_i m_j], 16π² I = Δ_ε − ln(Δ/μ²),
    for Majorana (two-component) states of signed masses m_i, by quadrature."""
    n = len(masses_signed)
    tot = 0.0
    for i in range(n):
        for j in range(n):
            w = ga[i, j] * gb[i, j]
            if w == 0.0:
                continue
            mi, mj = masses_signed[i], masses_signed[j]

            def integrand(x):
                d = x * mj**2 + (1 - x) * mi**2 - x * (1 - x) * q2
                return (delta_eps - math.log(d / mu2)) * (x * (1 - x) * q2 - d - mi * mj)

            scale = mi * mi + mj * mj + abs(q2)
            tot += -2 * w * quad(integrand, 0, 1, epsabs=1e-13 * scale, epsrel=1e-12, limit=200)[0] / (16 * math.pi**2)
    return tot


def _weyl_setup(mass_matrix, currents):
    """Diagonalise the real symmetric Weyl mass matrix (signed eigenvalues) and rotate the currents."""
    vals, vecs = np.linalg.eigh(mass_matrix)
    return vals, {k: vecs.T @ g @ vecs for k, g in currents.items()}


def _vector_like_doublet(me, mn, m):
    # Weyl fields (N_L, N_R^c, E_L, E_R^c); R^c transforms with −T^T
    mass = np.array([[m, mn, 0, 0], [mn, m, 0, 0], [0, 0, 0, me], [0, 0, me, 0]], dtype=float)
    g3 = np.diag([0.5, -0.5, -0.5, 0.5])
    gq = np.diag([0.0, 0.0, -1.0, 1.0])
    g1 = np.zeros((4, 4))
    g1[0, 2] = g1[2, 0] = 0.5   # (N_L, E_L): σ¹/2
    g1[1, 3] = g1[3, 1] = -0.5  # (N_R^c, E_R^c): −(σ¹)^T/2
    return _weyl_setup(mass, {"1": g1, "3": g3, "Q": gq})


def _st_weyl(vals, g, mu2, delta_eps=0.0, h=None):
    """(S, T) from the Weyl-basis vacuum polarisations; Π′(0) by a central q² difference."""
    pi11 = _weyl_pi(vals, g["1"], g["1"], 0.0, mu2, delta_eps)
    pi33 = _weyl_pi(vals, g["3"], g["3"], 0.0, mu2, delta_eps)
    t = 4 * math.pi * (pi11 - pi33) / (C.SIN2_THETA_W_MSBAR_MZ * C.M_W**2)
    h = h or 1e-3 * min(v * v for v in vals if abs(v) > 0)

    def d(ga, gb):
        return (_weyl_pi(vals, ga, gb, h, mu2, delta_eps) - _weyl_pi(vals, ga, gb, -h, mu2, delta_eps)) / (2 * h)

    s = 16 * math.pi * (d(g["3"], g["3"]) - d(g["3"], g["Q"]))
    return s, t


def test_weyl_machinery_reproduces_the_chiral_doublet_rho_and_s():
    # heavy chiral doublet (t, b): Weyl fields (t_L, b_L, t_R^c, b_R^c), gauge currents on t_L, b_L only
    mt, mb = 173.0, 40.0
    mass = np.array([[0, 0, mt, 0], [0, 0, 0, mb], [mt, 0, 0, 0], [0, mb, 0, 0]], dtype=float)
    g1 = np.zeros((4, 4))
    g1[0, 1] = g1[1, 0] = 0.5
    g3 = np.diag([0.5, -0.5, 0.0, 0.0])
    vals, g = _weyl_setup(mass, {"1": g1, "3": g3, "Q": np.diag([2 / 3, -1 / 3, -2 / 3, 1 / 3])})
    pi11 = _weyl_pi(vals, g["1"], g["1"], 0.0, 1e4, 0.0)
    pi33 = _weyl_pi(vals, g["3"], g["3"], 0.0, 1e4, 0.0)
    # αT per colour = G_F F₀/(8√2π²) with F₀ = 2F: Π11 − Π33 = F(m_t², m_b²)/(32π²)
    assert pi11 - pi33 == pytest.approx(_big_f(mt**2, mb**2) / (32 * math.pi**2), rel=1e-8)
    # degenerate heavy chiral doublet: S = 1/(6π) per colour
    m = 300.0
    mass = np.array([[0, 0, m, 0], [0, 0, 0, m], [m, 0, 0, 0], [0, m, 0, 0]], dtype=float)
    vals, g = _weyl_setup(mass, {"1": g1, "3": g3, "Q": np.diag([2 / 3, -1 / 3, -2 / 3, 1 / 3])})
    s, t = _st_weyl(vals, g, 1e4)
    assert s == pytest.approx(1 / (6 * math.pi), rel=1e-5) and abs(t) < 1e-10


FERMION_POINTS = [(300.0, 250.0, 40.0), (300.0, 300.0, 0.0), (400.0, 200.0, 0.0), (250.0, 260.0, 10.0),
                  (200.0, 30.0, 80.0), (2000.0, 0.0, 0.1)]


@pytest.mark.parametrize("me,mn,m", FERMION_POINTS)
def test_fermion_doublet_s_t_against_two_component_quadrature(me, mn, m):
    vals, g = _vector_like_doublet(me, mn, m)
    mu2 = me**2
    s0, t0 = _st_weyl(vals, g, mu2, 0.0)
    s1, t1 = _st_weyl(vals, g, mu2, 1.0)
    # S: the divergence cancels for any masses; T: its Δ_ε coefficient is the log coefficient
    assert s1 == pytest.approx(s0, rel=1e-6, abs=1e-7)
    assert t1 - t0 == pytest.approx(float(ew.t_fermion_doublet_log_coefficient(me, mn, m)), rel=1e-7, abs=1e-9)
    assert float(ew.t_fermion_doublet(me, mn, m)) == pytest.approx(t0, rel=1e-7, abs=1e-9)
    assert float(ew.s_fermion_doublet(me, mn, m)) == pytest.approx(s0, rel=2e-5, abs=1e-6)
    # μ dependence: T(μ) − T(M_E) = coefficient × ln(μ²/M_E²)
    _, t_mu = _st_weyl(vals, g, 9.0 * mu2, 0.0)
    assert float(ew.t_fermion_doublet(me, mn, m, mu=3.0 * me)) == pytest.approx(t_mu, rel=1e-7, abs=1e-9)


def test_fermion_doublet_analytic_limits():
    # degenerate Dirac doublet: S = T = 0 at every μ (D = 0)
    for mu in (None, 50.0, 5000.0):
        assert abs(float(ew.t_fermion_doublet(700.0, 700.0, 0.0, mu=mu))) < 1e-12
    assert abs(float(ew.s_fermion_doublet(700.0, 700.0))) < 1e-13
    assert float(ew.t_fermion_doublet_log_coefficient(700.0, 700.0)) == 0.0
    # massless neutral member: 16π²ΔΠ = F(0, E) = E/2, T = E/(8π² αv²) at μ = M_E
    me = 1000.0
    alpha_v2 = C.SIN2_THETA_W_MSBAR_MZ * C.M_W**2 / math.pi
    assert float(ew.t_fermion_doublet(me, 0.0)) == pytest.approx(me**2 / (8 * math.pi**2 * alpha_v2), rel=1e-9)
    # D = 0 without degeneracy (|M_E − M_N| = m): T is μ-independent
    t_a = float(ew.t_fermion_doublet(500.0, 450.0, 50.0, mu=100.0))
    t_b = float(ew.t_fermion_doublet(500.0, 450.0, 50.0, mu=10000.0))
    assert t_a == pytest.approx(t_b, rel=1e-10)


@pytest.mark.parametrize("a,b", PAIRS)
def test_fermion_loop_functions_against_quadrature(a, b):
    j = quad(lambda z: z * (1 - z) / (z * a + (1 - z) * b), 0, 1, epsabs=0, epsrel=1e-13)[0]
    lg = quad(lambda z: math.log((z * a + (1 - z) * b) / 3.0), 0, 1, epsabs=0, epsrel=1e-13)[0]
    assert float(ew.loop_j(a, b)) == pytest.approx(j, rel=1e-10)
    assert float(ew.loop_l(a, b, 3.0)) == pytest.approx(lg, rel=1e-10, abs=1e-12)
    for u in (0.0499999, 0.0500001, 0.1999999, 0.2000001):
        jj = quad(lambda z: z * (1 - z) / (z * (1 - u) + (1 - z)), 0, 1, epsabs=0, epsrel=1e-13)[0]
        assert float(ew.loop_j(1.0 - u, 1.0)) == pytest.approx(jj, rel=1e-12)
        ll = quad(lambda z: math.log(z * (1 - u) + (1 - z)), 0, 1, epsabs=0, epsrel=1e-13)[0]
        assert float(ew.loop_l(1.0 - u, 1.0, 1.0)) == pytest.approx(ll, rel=1e-10)


def _both_model():
    def couplings(th, obs):
        return {"scalar_doublets": {"m_charged": th["mc"][..., None], "m_neutral": th["mh"][..., None]},
                "fermion_doublets": {"m_charged": th["me"][..., None], "m_neutral": th["mn"][..., None],
                                     "m_majorana": th["mm"][..., None]}}

    return Model(name="toy_both", description="scalar + fermion doublet", reference="none",
                 parameters=tuple(Parameter(n, "GeV", n, Prior.uniform(1.0, 1000.0))
                                  for n in ("mc", "mh", "me", "mn", "mm")),
                 observables=lambda th: {"delta_a_mu": 0.0 * th["mc"]}, units={"delta_a_mu": "1"},
                 couplings=couplings, coupling_sections=("scalar_doublets", "fermion_doublets"))


def test_scalar_and_fermion_doublets_add_before_one_chi2():
    m = _both_model()
    names = [c.name for c in m.constraints]
    assert names.count("ew_st") == 1 and names.count("z_invisible") == 1
    th = {k: jnp.asarray(v) for k, v in dict(mc=300.0, mh=200.0, me=400.0, mn=380.0, mm=5.0).items()}
    obs = m.observables(th)
    s = float(ew.s_scalar_doublet(300.0, 200.0, 200.0)) + float(ew.s_fermion_doublet(400.0, 380.0, 5.0))
    t = float(ew.t_scalar_doublet(300.0, 200.0, 200.0)) + float(ew.t_fermion_doublet(400.0, 380.0, 5.0))
    assert float(obs["s_parameter"]) == pytest.approx(s, rel=1e-12)
    assert float(obs["t_parameter"]) == pytest.approx(t, rel=1e-12)
    assert float(obs["ew_st_chi2"]) == pytest.approx(float(ew.st_delta_chi2(s, t)), rel=1e-12)
    # invisible widths add too: a light scalar pair and a light Dirac N
    light = m.observables({k: jnp.asarray(v) for k, v in dict(mc=300.0, mh=20.0, me=400.0, mn=10.0, mm=0.0).items()})
    dn = float(ew.delta_n_nu_scalar(20.0, 20.0)) + float(ew.delta_n_nu_fermion(10.0))
    assert float(light["ew_n_nu"]) == pytest.approx(3.0 + dn, rel=1e-12)


def test_fermion_wiring_jit_vmap_grad_across_threshold_and_degeneracy():
    m = _both_model()

    def loglike(x):
        obs = m.observables(dict(mc=x[0], mh=x[1], me=x[2], mn=x[3], mm=x[4]))
        return sum(c.log_likelihood(obs, smooth=True) for c in m.constraints if c.family == "electroweak_doublets")

    pts = jnp.array([[300.0, 200.0, 400.0, 400.0, 0.0],     # degenerate Dirac doublet
                     [300.0, 200.0, 400.0, 399.0, 1.0],     # D = 0
                     [300.0, 200.0, 400.0, 45.594, 0.0],    # Dirac N at the Z threshold
                     [300.0, 200.0, 400.0, 45.0, 0.5],      # just below, split
                     [300.0, 200.0, 2000.0, 0.0, 0.1],      # dark-TMM-like (m_N = 0)
                     [300.0, 200.0, 400.0, 30.0, 30.0]])    # massless Majorana state (s1 = 0)
    vals = jax.jit(jax.vmap(loglike))(pts)
    grads = jax.vmap(jax.grad(loglike))(pts)
    assert np.all(np.isfinite(np.asarray(vals))) and np.all(np.isfinite(np.asarray(grads)))
