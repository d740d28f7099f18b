"""Dark inverse seesaw (paper 001): the model at its MiniBooNE benchmark.

Checks: Table 2 reproduced within its printed precision (the two inconsistent entries
tested as documented discrepancies), oscillation data exact through Casas–Ibarra,
Δa_μ parts against independent closed forms, gradients finite and correct, and the
physics conclusion on g-2 under the visible dark-photon limits.
"""

import math

import jax
import jax.numpy as jnp
import mpmath as mp
import numpy as np
import pytest

from jaxg2 import constants as C
from jaxg2 import experiments, models
from jaxg2.models.dark_inverse_seesaw import benchmark
from jaxg2.models.dark_inverse_seesaw import scalars as dis_scalars

MODEL = models.get("dark_inverse_seesaw")


@pytest.fixture(scope="module")
def obs_fn():
    return jax.jit(MODEL.observables)


@pytest.fixture(scope="module")
def bp():
    return MODEL.benchmark("MiniBooNE")


@pytest.fixture(scope="module")
def obs(obs_fn, bp):
    return {k: float(v) for k, v in obs_fn(bp).items()}


def test_units_cover_every_observable(obs):
    assert set(obs) == set(MODEL.units)
    assert all(np.isfinite(v) for v in obs.values())


def test_benchmark_reproduces_table2(obs):
    for key, (target, rel) in benchmark.TABLE2.items():
        assert abs(obs[key] / target - 1) <= max(rel, 1e-12) * 1.0001 or key == "U2_muN", (key, obs[key], target)
    assert 1e-7 < obs["U2_muN"] < 1e-5  # "O(1e-6)"
    for k in ("m_heavy1", "m_heavy2", "m_heavy3", "m_heavy4", "m_heavy5", "m_heavy6"):
        assert abs(obs[k] / 0.150 - 1) < 0.15  # "m_{N_D}: order of magnitude of the diagonal entries"


def test_table2_inconsistencies_are_real(obs):
    # m_{a_D}: eq. 2.6 and the exact spectrum give m_{S′_D}, not the printed 272 MeV
    assert abs(obs["m_a_D"] / obs["m_S_D_prime"] - 1) < 1e-3
    assert abs(obs["m_a_D"] - 0.272) > 0.04
    # reproducing Table 2 forces a non-perturbative λ_{S₁} (v_φ ≃ θ_{φS₁} ω₁, ε′ ∝ g_D v_φ²)
    assert obs["lambda_max"] > 4 * math.pi
    assert MODEL.benchmarks["MiniBooNE"]["lam_S1"] > 4 * math.pi
    # footnote 2 with Table 2's own portal couplings (θ_HS₁, θ_HS₂ need |λ_HS| ≈ 7e-3):
    # 272 MeV next to 125 GeV needs λ ≲ (8π · 0.272/125)² ≈ 3e-3 — the table is not natural
    assert obs["naturalness_ratio"] < 1


def test_naturalness_is_footnote_2_with_the_portal_quartic(obs, bp):
    """Footnote 2 to eq. 2.4: M_lightest ≥ √λ M_heavy/(8π), λ the largest doublet–singlet
    portal quartic (the one through which a heavy-scalar loop shifts a light mass)."""
    light = min(obs["m_S_D"], obs["m_S_D_prime"], obs["m_a_D"])
    heavy = max(obs["m_h_SM"], obs["m_H_D"], obs["m_A_D"], obs["m_H_D_charged"])
    lam = max(abs(float(bp[k])) for k in ("lam_HS1", "lam_HS2", "lam_phiS1", "lam_phiS2"))
    ratio = light / (math.sqrt(lam) * heavy / (8 * math.pi))
    assert math.isclose(obs["naturalness_ratio"], ratio, rel_tol=1e-12)
    assert 0.6 < ratio < 0.7  # the number quoted in the notebook and fits/ comments (0.64)
    # the other reading (the largest quartic of all, λ_S₁ ≈ 107) would give 0.005: not used
    lam_all = max(abs(float(bp[k])) for k in dis_scalars.QUARTICS)
    assert light / (math.sqrt(lam_all) * heavy / (8 * math.pi)) < 0.01


def test_benchmark_respects_the_papers_sign_assumptions(obs):
    # eq. 2.1 text: −m_H², +m_φ², −m₁², +m₂² with every m² > 0 (induced vevs for φ, S₂)
    for k in ("bare_mH2", "bare_mphi2", "bare_m12", "bare_m22"):
        assert obs[k] > 0, k
    assert obs["scalar_stability"] > 0  # a minimum: all physical mass² positive


def test_recover_table2_machinery_converges_on_a_solvable_problem():
    """The optimiser behind the benchmark, on a problem whose answer is known: each
    Table-2 target is a power of one free input, so χ² = 0 at the START values."""
    import optax  # noqa: F401  (dependency of the search)

    keys = list(benchmark.TABLE2)

    def fake(theta):
        return {k: benchmark.TABLE2[k][0] * (theta[benchmark.FREE[i % len(benchmark.FREE)]]
                                             / benchmark.START[benchmark.FREE[i % len(benchmark.FREE)]]) ** 2
                for i, k in enumerate(keys)}

    theta, c2, all_c2 = benchmark.recover_table2_inputs(fake, n_starts=3, steps=300, spread=0.05, learning_rate=0.01)
    assert c2 < 1e-3 and len(all_c2) == 3
    assert math.isclose(theta["g_d"], benchmark.START["g_d"], rel_tol=1e-2)


def test_oscillation_data_exact(obs):
    nufit = experiments.get("nufit_6_0_normal").values
    m2 = math.sqrt(nufit["dm2_21_eV2"])
    m3 = math.sqrt(nufit["dm2_3l_eV2"])
    # exact 9×9 spectrum vs the Casas–Ibarra input: agreement to O(|U_αN|²)
    assert abs(obs["m_nu2"] / m2 - 1) < 10 * obs["U2_muN"] + 1e-9
    assert abs(obs["m_nu3"] / m3 - 1) < 10 * obs["U2_muN"] + 1e-9
    assert obs["m_nu1"] < 1e-6 * m3


def test_zd_g2_is_the_generic_vector_loop(obs):
    """Δa_μ(Z_D) against mpmath of the vector integral with c_V = −eε (ε′ negligible)."""
    mp.mp.dps = 30
    m, M, c = mp.mpf(C.M_MU), mp.mpf(obs["m_zd"]), mp.mpf(obs["e_eps"])
    lam = m / M
    # F = ℓ (ε = 1): Q_V = 2x(1−x)(x − 2(1−ε)) + λ²(1−ε)²(…) = 2x²(1−x); C_A ∝ ε′ ~ 1e-14 dropped
    f = lambda x: 2 * x**2 * (1 - x) / ((1 - x) * (1 - lam**2 * x) + lam**2 * x)  # noqa: E731
    ref = m**2 / (8 * mp.pi**2 * M**2) * c**2 * mp.quad(f, [0, 1])
    assert math.isclose(obs["delta_a_mu_zd"], float(ref), rel_tol=1e-6)


def test_charged_scalar_g2_heavy_limit(bp, obs):
    """M_N ≪ M_{H±}: Δa = −m_μ² Σ_k |y_νμk|² /(96π² M²) (unitarity of the heavy rotation)."""
    from jaxg2.models import dark_inverse_seesaw as dis
    from jaxg2.neutrino import EV, light_masses, pmns_from_data

    th = bp
    m_light = light_masses(th["m_nu_lightest"], "normal") * EV
    u = pmns_from_data("normal", th["alpha21"], th["alpha31"])
    d = lambda k: jnp.diag(jnp.stack([th[f"{k}{i}"] for i in (1, 2, 3)]))  # noqa: E731
    y = dis.neutral_leptons.casas_ibarra_y_nu(u, m_light, dis._r_matrix(th), d("m_n"), d("y_np"), th["v_phi"], th["omega2"])
    expect = -C.M_MU**2 * float(jnp.sum(jnp.abs(y[1]) ** 2)) / (96 * math.pi**2 * obs["m_H_D_charged"] ** 2)
    assert obs["delta_a_mu_hd_charged"] < 0
    assert math.isclose(obs["delta_a_mu_hd_charged"], expect, rel_tol=2e-3)


def test_gradients_finite_and_match_finite_differences(obs_fn, bp):
    grad_fn = jax.jit(jax.grad(lambda t: MODEL.observables(t)["delta_a_mu"]))
    grads = grad_fn(bp)  # includes m_lightest = 0 and R = 1 (the double-where points)
    assert all(np.isfinite(float(v)) for v in grads.values())
    for name in ("eps", "g_d", "m_n3"):
        h = 1e-4 * float(bp[name])
        f = lambda x: obs_fn({**bp, name: x})["delta_a_mu"]  # noqa: E731
        fd = (f(bp[name] + h) - f(bp[name] - h)) / (2 * h)
        assert math.isclose(float(grads[name]), float(fd), rel_tol=1e-4), name


def test_visible_limits_forbid_explaining_g2(obs):
    """With Z_D → e⁺e⁻ (N_D heavier than m_{Z_D}/2), NA48/2 bounds ε at m_{Z_D} = 30 MeV;
    Δa_μ(Z_D) ∝ ε² then stays below the 2021 band's 2σ lower edge."""
    eps_max = float(experiments.curve("na48_2015_visible_dark_photon")(obs["m_zd"]))
    scale = (eps_max / obs["eps"]) ** 2
    da_max = obs["delta_a_mu_zd"] * scale
    e = experiments.get("delta_a_mu_2021")
    assert da_max < e.value - 2 * e.sigma
    assert obs["eps_visible"] == obs["eps"]  # visible searches apply at the benchmark
