"""Electroweak family: loop functions against quadrature, T and S of a scalar doublet
against a direct assembly of the Π(0) and Π′(0) loop integrals, BHR's closed form for S,
the invisible Z width from two-body kinematics, the S–T χ², and JAX transforms."""

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


def test_invisible_width_dirac():
    mz = C.M_Z
    for m in (1e-3, 10.0, 40.0, 45.0, 46.0):
        x = (m / mz) ** 2
        beta = math.sqrt(max(0.0, 1 - 4 * x))
        gv2 = 8 * C.G_FERMI * mz**2 / math.sqrt(2) / 4
        width = gv2 * mz * beta * (1 + 2 * x) / (12 * math.pi)  # vector coupling, both chiralities
        ref = width / (C.G_FERMI * mz**3 / (12 * math.sqrt(2) * math.pi))
        assert float(ew.delta_n_nu_dirac(m)) == pytest.approx(ref, rel=1e-10, abs=1e-15)
    assert float(ew.delta_n_nu_dirac(1e-6)) == pytest.approx(2.0)


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
    assert {"ew_st", "z_invisible_scalar"} <= {c.name for c in m.constraints}

    def loglike(x):
        obs = m.observables({"mc": x[0], "mh": x[1], "ma": x[2]})
        return sum(c.log_likelihood(obs, smooth=True) for c in m.constraints if c.family.startswith("electroweak"))

    pts = jnp.array([[300.0, 200.0, 200.0],   # degenerate neutral states
                     [200.0, 200.0, 250.0],   # charged = neutral (removable singularities)
                     [150.0, 45.594, 45.594],  # at the Z → HA threshold
                     [150.0, 30.0, 70.0], [120.0, 50.0, 60.0], [900.0, 10.0, 10.0]])
    vals = jax.jit(jax.vmap(loglike))(pts)
    grads = jax.vmap(jax.grad(loglike))(pts)
    assert np.all(np.isfinite(np.asarray(vals))) and np.all(np.isfinite(np.asarray(grads)))
    # a light complex neutral scalar (ΔN_ν = β³/2 ≈ 0.4) is excluded by N_ν, a heavy one is not
    light = m.observables({"mc": jnp.asarray(150.0), "mh": jnp.asarray(20.0), "ma": jnp.asarray(20.0)})
    assert not bool(m.constraint("z_invisible_scalar").satisfied(light))
    heavy = m.observables({"mc": jnp.asarray(150.0), "mh": jnp.asarray(140.0), "ma": jnp.asarray(145.0)})
    assert bool(m.constraint("z_invisible_scalar").satisfied(heavy)) and bool(m.constraint("ew_st").satisfied(heavy))
