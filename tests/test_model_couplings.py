"""Each model's declared couplings (the input of the constraints library) against
independent evaluations of the same physics."""

import math

import jax.numpy as jnp
import numpy as np
import pytest

from jaxg2 import constants as C
from jaxg2 import models
from jaxg2.neutrino import pmns_from_data


def _couplings(name, point=None):
    m = models.get(name)
    th = m.benchmark(point) if point else m.default_point()
    obs = m.own_observables(th)
    return m, th, obs, m.couplings(th, obs)


def test_lmu_ltau_couplings_are_the_gauge_charges_and_loop_mixing():
    m, th, obs, c = _couplings("lmu_ltau", "fig3_solid")
    lv, g = c["light_vector"], float(th["g_prime"])
    assert set(m.coupling_sections) == set(c)
    assert [float(lv[k]) for k in ("mu", "tau", "nu_mu", "nu_tau")] == [g, -g, g, -g]
    # eq. (3)-(4): the electron couples with +eps_AZ' e = -e^2 g' ln(m_tau^2/m_mu^2)/(12 pi^2)
    eps_e = -C.E_EM**2 * g * math.log(C.M_TAU**2 / C.M_MU**2) / (12 * math.pi**2)
    assert float(lv["e"]) == pytest.approx(eps_e, rel=1e-12)
    # quarks through the same electromagnetic current: -eps e Q_q, i.e. Q_q/Q_e times g_e
    assert float(lv["u"]) == pytest.approx(-2 / 3 * eps_e, rel=1e-12)
    assert float(lv["d"]) == pytest.approx(1 / 3 * eps_e, rel=1e-12)
    assert float(lv["mass"]) == float(th["m_zprime"])
    # ΔN_eff: the tabulated solver minus its own no-Z′ baseline (3.032, instantaneous decoupling)
    assert float(c["radiation"]["delta_n_eff"]) == pytest.approx(float(obs["n_eff"]) - 3.032, abs=0.03)


@pytest.mark.parametrize("name,eps_key", [("scotogenic_u1d", "eps"), ("dark_tmm", None)])
def test_dark_photon_models_couple_through_the_em_current(name, eps_key):
    m, th, obs, c = _couplings(name)
    eps = float(obs[eps_key]) if eps_key else float(th["epsilon"])
    lv = c["light_vector"]
    for f, q in (("e", -1.0), ("mu", -1.0), ("tau", -1.0), ("u", 2 / 3), ("d", -1 / 3), ("s", -1 / 3)):
        assert float(lv[f]) == pytest.approx(eps * math.sqrt(4 * math.pi * C.ALPHA_EM) * q, rel=1e-12)
    assert not any(k.startswith("nu_") for k in lv)


def test_dark_inverse_seesaw_couplings_reduce_to_the_dark_photon_for_small_eps_prime():
    m, th, obs, c = _couplings("dark_inverse_seesaw", "MiniBooNE")
    lv, eps = c["light_vector"], float(obs["eps"])
    assert abs(float(obs["eps_prime"])) < 1e-10          # benchmark: the mass mixing is negligible
    assert float(lv["e"]) == pytest.approx(-C.E_EM * eps, rel=1e-8)
    assert float(lv["u"]) == pytest.approx(2 / 3 * C.E_EM * eps, rel=1e-8)
    assert float(lv["invisible_width"]) == float(obs["gamma_zd_nunu"])


def test_su2h_moment_matrix_gives_the_solar_flavour_weighting():
    m, th, obs, c = _couplings("su2h", "xenon1t")
    lam = np.asarray(c["nu_moments"]["lambda_mu_b"])
    mu = float(obs["mu_nu"])
    u = np.asarray(pmns_from_data("normal"))
    assert np.allclose(lam, -lam.T, atol=1e-25)                       # Majorana: antisymmetric
    assert np.allclose(np.abs(u.conj() @ lam @ u.conj().T), mu * np.array([[0, 1, 0], [1, 0, 0], [0, 0, 0]]),
                       atol=1e-14 * mu)
    # incoherent mass states with weights |U_ei|^2: mu_eff^2 = mu^2 (1 - P_etau), P_etau = sum |U_ei|^2 |U_taui|^2
    ue2 = np.abs(u[0]) ** 2
    mu_eff = np.sqrt(np.sum(ue2 * np.sum(np.abs(lam) ** 2, axis=1)))
    p_etau = np.sum(ue2 * np.abs(u[2]) ** 2)
    assert mu_eff == pytest.approx(mu * np.sqrt(1 - p_etau), rel=1e-12)
    assert float(c["lepton_g2"]["delta_a_e"]) == float(obs["delta_a_e"])
