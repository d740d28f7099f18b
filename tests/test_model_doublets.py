"""Models' electroweak doublets (``scalar_doublets`` / ``fermion_doublets`` sections): each
model provides its section, the library's S, T, Δχ² and N_ν are finite at every benchmark,
and one number per model is checked against an independent evaluation."""

import math

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from scipy.integrate import quad

from jaxg2 import constants as C
from jaxg2 import models

ALPHA_V2 = C.SIN2_THETA_W_MSBAR_MZ * C.M_W**2 / math.pi


def _big_f(a, b):
    """Bubble + seagull at q² = 0 of a scalar pair: ∫dz [Δ_aa lnΔ_aa + Δ_bb lnΔ_bb − 2Δ lnΔ]."""
    f = lambda x, y: quad(lambda z: (z * x + (1 - z) * y) * math.log(z * x + (1 - z) * y), 0, 1,  # noqa: E731
                          epsabs=0, epsrel=1e-13)[0]
    return f(a, a) + f(b, b) - 2 * f(a, b)


def _eval(name, point):
    m = models.get(name)
    th = m.benchmark(point)
    obs = m.observables(th)
    return m, th, obs, m.couplings(th, m.own_observables(th))


@pytest.mark.parametrize("name,section", [("su2h", "scalar_doublets"), ("scotogenic_u1d", "scalar_doublets"),
                                          ("dark_tmm", "fermion_doublets")])
def test_models_provide_their_doublets_and_finite_ew_observables(name, section):
    m = models.get(name)
    assert section in m.coupling_sections
    assert {"ew_st", "z_invisible"} <= {c.name for c in m.constraints}
    for bp in m.benchmarks:
        obs = m.observables(m.benchmark(bp))
        for k in ("s_parameter", "t_parameter", "ew_st_chi2", "ew_n_nu"):
            assert np.isfinite(float(obs[k])), (name, bp, k)


def test_su2h_t_parameter_from_the_mixed_charged_doublet_members():
    m, th, obs, c = _eval("su2h", "fig3")
    sa = float(th["sin_alpha"])
    m0, mh, mH = float(th["m_phi0"]), float(th["m_hplus"]), float(th["m_Hplus"])
    # eq. 6: φ⁺ = sin α h⁺ + cos α H⁺; per doublet Π11 has (c_k, φ⁰) twice (H and A at m_φ0)
    # with weight |U_φk|²/4, Π33 the charged pairs (k, l) with |U_φk U_φl|²/4 (φ⁰ pair: F = 0)
    u = {mh**2: sa**2, mH**2: 1 - sa**2}
    pi11 = sum(0.25 * w * 2 * _big_f(ck, m0**2) for ck, w in u.items())
    pi33 = sum(0.25 * wk * wl * _big_f(ck, cl) for ck, wk in u.items() for cl, wl in u.items())
    t_ref = 2 * 4 * math.pi * (pi11 - pi33) / (16 * math.pi**2) / (C.SIN2_THETA_W_MSBAR_MZ * C.M_W**2)  # two doublets
    assert float(obs["t_parameter"]) == pytest.approx(t_ref, rel=1e-8)
    assert np.shape(c["scalar_doublets"]["m_charged"])[-1] == 2
    # the paper's Fig. 3 spectrum (sin α = 0.35: the doublet's φ⁺ is mostly the 500 GeV H⁺) is
    # far outside the electroweak fit; Z → φ⁰φ⁰* is closed at m_φ0 = 100 GeV
    assert float(obs["t_parameter"]) > 1.0 and not bool(m.constraint("ew_st").satisfied(obs))
    assert float(obs["ew_n_nu"]) == 3.0
    # the library's N_ν equals the model's own Z-width observable (3 + β³) below threshold
    light = dict(th, m_phi0=jnp.asarray(30.0), m_hplus=jnp.asarray(80.0))
    o2 = m.observables(light)
    assert float(o2["ew_n_nu"]) == pytest.approx(float(o2["n_nu_z"]), rel=1e-12)
    # grad of T through the model (threshold region m_φ0 ≈ m_Z/2)
    g = jax.grad(lambda x: m.observables(dict(th, m_phi0=x))["t_parameter"])(jnp.asarray(C.M_Z / 2))
    assert np.isfinite(float(g))


def test_scotogenic_inert_doublets_from_the_eta_phi_spectrum():
    m, th, obs, c = _eval("scotogenic_u1d", "BP1")
    sd = c["scalar_doublets"]
    # independent: eq. 16 mass matrices diagonalised numerically
    a, b = float(th["m_eta1"]) ** 2, float(th["m_phi"]) ** 2
    cc = float(th["lam_heta1phi"]) * C.HIGGS_VEV * float(th["v_chi"])
    s = float(th["mu1"]) * float(th["v_chi"])
    lo_r = np.linalg.eigvalsh(np.array([[a, cc], [cc, b + s]]))[0]
    lo_i = np.linalg.eigvalsh(np.array([[a, cc], [cc, b - s]]))[0]
    assert float(sd["m_neutral"][0]) == pytest.approx(math.sqrt(lo_r), rel=1e-12)
    assert float(sd["m_neutral_2"][0]) == pytest.approx(math.sqrt(lo_i), rel=1e-12)
    assert float(sd["m_charged"][1]) == float(th["m_eta2"])
    # nearly degenerate doublets: S and T vanish to the splitting's order
    assert abs(float(obs["t_parameter"])) < 1e-12 and abs(float(obs["s_parameter"])) < 1e-10


def test_dark_tmm_fig7_is_excluded_by_the_z_width_and_t():
    m, th, obs, c = _eval("dark_tmm", "fig7")
    fd = c["fermion_doublets"]
    assert float(fd["m_charged"][0]) == float(th["M_E"])
    # Z → N1 N2, equal-sign Majorana masses m = 0.1 GeV (m_D = 0): axial pair, ΔN_ν = 2β³
    x = (float(th["m_maj"]) / C.M_Z) ** 2
    assert float(obs["ew_n_nu"]) == pytest.approx(3 + 2 * (1 - 4 * x) ** 1.5, rel=1e-12)
    # T: massless-N limit E/(8π² αv²) up to O(m²/M_E²) (MS-bar at μ = M_E)
    e = float(th["M_E"]) ** 2
    assert float(obs["t_parameter"]) == pytest.approx(e / (8 * math.pi**2 * ALPHA_V2), rel=1e-6)
    assert not bool(m.constraint("z_invisible").satisfied(obs)) and not bool(m.constraint("ew_st").satisfied(obs))
