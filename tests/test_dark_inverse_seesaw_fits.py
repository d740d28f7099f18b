"""The dark inverse seesaw fit configs (fits/dark_inverse_seesaw_{2021,2025}.toml).

Checks: both TOMLs parse and validate with the config API (sampled parameters, fixed
values, default constraints, tiny ``[fast]`` settings), and the prior box they define
is physically sensible: at points inside it every default constraint of the model is
satisfied (hard form, log-likelihood 0), the visible dark-photon limits really apply
(Z_D → N N closed) and really cut (a point with ε above NA48/2 is excluded), and
oscillation data hold on the exact 9×9 spectrum.  One jit compilation of the vmapped
observables (~20 s CPU).
"""

import math
from pathlib import Path

import jax
import jax.numpy as jnp
import pytest

from jaxg2 import config, experiments
from jaxg2.infer import Problem

FITS = Path(__file__).parents[1] / "fits"
PATHS = {s: FITS / f"dark_inverse_seesaw_{s}.toml" for s in ("2021", "2025")}
SAMPLED = {"eps", "g_d", "r12_im", "m_nu_lightest"}


@pytest.mark.parametrize("scenario", sorted(PATHS))
def test_config_parses_and_validates(scenario):
    cfg = config.load(PATHS[scenario], fast=False)
    assert cfg.model.name == "dark_inverse_seesaw"
    assert cfg.scenario == scenario
    assert cfg.scenario_entry in experiments.available("measurement")
    assert set(cfg.free) == SAMPLED
    assert cfg.derived == ()
    # every other parameter is given explicitly (nothing falls back to a wide model prior)
    assert all(p.kind == "fixed" for n, p in cfg.priors.items() if n not in SAMPLED)
    assert cfg.priors["eps"].kind == "log_uniform" and cfg.priors["g_d"].kind == "log_uniform"
    assert cfg.constraints == tuple(c.name for c in cfg.model.constraints if c.default)
    assert cfg.smooth
    assert cfg.sampler["num_chains"] >= 2 and cfg.sampler["num_samples"] >= 500
    fast = config.load(PATHS[scenario], fast=True)
    assert fast.fast
    s = fast.sampler
    assert (s["num_warmup"], s["num_samples"], s["num_chains"]) == (10, 10, 1)
    assert s["max_tree_depth"] <= 5
    assert fast.scan["x"].num == 4 and fast.scan["y"].num == 4


def test_2021_and_2025_differ_only_in_the_scenario():
    a, b = (config.load(PATHS[s], fast=False) for s in ("2021", "2025"))
    assert a.priors == b.priors
    assert (a.constraints, a.smooth, a.width, dict(a.sampler)) == (b.constraints, b.smooth, b.width, dict(b.sampler))
    assert (a.scenario, b.scenario) == ("2021", "2025")
    assert a.output != b.output


@pytest.fixture(scope="module")
def box():
    """Observables at five points of the 2021 prior box (the 2025 box is identical)."""
    # the paper-era constraint set (visible curves while Z_D → N N is closed); today's library
    # is tested in tests/test_model_couplings.py and the constraints tests
    problem = Problem(config.load(FITS / "dark_inverse_seesaw_2021_paper.toml", fast=True))
    pts = {  # eps, g_d, r12_im, m_nu_lightest [eV]
        "centre": (1e-4, 9e-3, 0.0, 0.015),
        "low corner": (1e-5, 2e-3, -4.0, 0.0),
        "high corner": (1e-5, 4e-2, 4.0, 0.0),
        "eps at NA48/2": (3e-4, 1e-2, 1.0, 0.005),
        "eps above NA48/2": (1e-2, 1e-2, 0.0, 0.0),
        "y_nu above 4pi": (1e-4, 1e-2, 4.0, 0.03),
    }
    values = {k: jnp.asarray([p[i] for p in pts.values()]) for i, k in enumerate(("eps", "g_d", "r12_im", "m_nu_lightest"))}
    theta = problem.theta(values)
    obs = jax.jit(jax.vmap(problem.model.observables))(theta)
    terms = problem.log_likelihood_terms(obs, smooth=False)
    rows = {}
    for i, name in enumerate(pts):
        rows[name] = ({k: float(v[i]) for k, v in obs.items()}, {k: float(v[i]) for k, v in terms.items()})
    return problem, rows


def test_allowed_region_is_not_empty(box):
    problem, rows = box
    for name in ("centre", "low corner", "high corner", "eps at NA48/2"):
        obs, terms = rows[name]
        for c in problem.constraints:
            assert terms[c.name] == 0.0, (name, c.name, obs[c.observable])
        assert math.isfinite(terms["delta_a_mu"]), name
        assert obs["scalar_stability"] > 0, name  # a true minimum as well (not a default constraint)
        for k in ("bare_mH2", "bare_mphi2", "bare_m12", "bare_m22"):  # the paper's signs of eq. 2.1
            assert obs[k] > 0, (name, k)
    # ... and they cut inside the box: large |Im z12| with a heavy lightest ν makes |y_ν| > √(4π)
    obs, terms = rows["y_nu above 4pi"]
    assert obs["y_nu_max"] > math.sqrt(4 * math.pi) and terms["perturbative_y_nu"] == -math.inf
    # naturalness (portal quartics ≤ 1e-3 against GeV-scale singlets) and |λ| hold with margin
    obs, _ = rows["centre"]
    assert obs["naturalness_ratio"] > 2.0
    assert obs["lambda_portal_max"] <= 1e-3 and obs["lambda_max"] < 0.2


def test_meg2_excludes_the_whole_default_box(box):
    """Today's defaults include MEG II (constraints library, lfv_dipole): the H_D^± loop
    with |y_ν|max ≥ 0.11 gives BR(μ → eγ) ≥ 2e-10 at every point of the box."""
    problem, rows = box
    model = problem.model
    meg = model.constraint("meg2_mu_e_gamma")
    assert meg.default
    assert "meg2_mu_e_gamma" in config.load(PATHS["2021"], fast=True).constraints
    assert "meg2_mu_e_gamma" not in problem.cfg.constraints  # the paper set stays the paper's
    limit = experiments.get("meg2_2025_mu_e_gamma").limit
    for name, (obs, _) in rows.items():
        assert obs["lfv_br_mu_e_gamma"] > 1e3 * limit, name
        assert not bool(meg.satisfied({k: jnp.asarray(v) for k, v in obs.items()})), name


def test_visible_limits_apply_and_cut(box):
    problem, rows = box
    for name, (obs, _) in rows.items():
        assert obs["m_zd"] < 2 * obs["m_heavy1"], name  # Z_D → N N closed: Z_D → e⁺e⁻ visible
        assert obs["eps_visible"] == obs["eps"]
    assert 0.009 < rows["low corner"][0]["m_zd"] < 0.011
    assert 0.19 < rows["high corner"][0]["m_zd"] < 0.21
    obs, terms = rows["eps above NA48/2"]
    assert obs["eps"] > float(experiments.curve("na48_2015_visible_dark_photon")(obs["m_zd"]))
    assert terms["na48_2015_visible"] == -math.inf


def test_spectrum_in_the_box(box):
    _, rows = box
    nufit = experiments.get("nufit_6_0_normal").values
    for name, (obs, _) in rows.items():
        if name == "y_nu above 4pi":
            continue
        # the heavy dark scalars of Table 2 are kept
        assert abs(obs["m_H_D"] / 100.0 - 1) < 0.01 and abs(obs["m_H_D_charged"] / 98.5 - 1) < 0.01
        # oscillation data on the exact 9×9 spectrum: the Casas–Ibarra residual grows with
        # |U|²·|R|² and is 0.4% on m_ν2 at |Im z12| = 4 (≈ 1% on Δm²21, inside NuFIT's 1σ)
        m1 = obs["m_nu1"]
        tol = 5e-3 if abs(obs["U2_muN"]) > 1e-6 else 1e-4
        assert abs(math.sqrt(obs["m_nu2"] ** 2 - m1**2) / math.sqrt(nufit["dm2_21_eV2"]) - 1) < tol, name
        assert abs(math.sqrt(obs["m_nu3"] ** 2 - m1**2) / math.sqrt(nufit["dm2_3l_eV2"]) - 1) < tol, name
        assert obs["y_nu_max"] < 1.5, name
    # |y_ν| spans ~0.1 (R = 1) to ~1 (|Im z12| = 4): Im z12 is the |y_ν| / |U|² knob
    assert rows["centre"][0]["y_nu_max"] < 0.2
    assert rows["high corner"][0]["y_nu_max"] > 0.8
    # the H_D^± loop is negative and ∝ |y_νμ|²: at |Im z12| = 4 it is −3e-9, beyond either g-2 band
    assert rows["high corner"][0]["delta_a_mu_hd_charged"] < -2e-9


def test_shipped_box_has_meg2_allowed_points():
    """The shipped 2021/2025 box (v_φ, μ 10× the paper-set values, |Im z12| ≤ 1) is not
    empty under today's defaults: at real R and m_ν1 = 0 every default constraint holds
    (MEG II included, BR ≪ limit since BR ∝ |y_ν|⁴ ~ 1e-4 of the old box), while MEG II still
    cuts inside the box (Im z12 = 1; Im z12 = 0.5 with m_ν1 = 0.01 eV).  Δa_μ is then the
    Z_D's: the H_D^± loop is < 1e-12 in size."""
    problem = Problem(config.load(PATHS["2021"], fast=True))
    pts = [(1e-4, 1e-2, 0.0, 0.0), (1e-4, 1e-2, 1.0, 0.0), (1e-4, 1e-2, 0.5, 0.01)]
    values = {k: jnp.asarray([p[i] for p in pts]) for i, k in enumerate(("eps", "g_d", "r12_im", "m_nu_lightest"))}
    obs = jax.jit(jax.vmap(problem.observables))(problem.theta(values))
    terms = problem.log_likelihood_terms(obs, smooth=False)
    limit = experiments.get("meg2_2025_mu_e_gamma").limit
    assert float(obs["lfv_br_mu_e_gamma"][0]) < 0.5 * limit
    for c in problem.constraints:  # limits 0, measurements (Borexino, a_e, S/T) finite
        assert math.isfinite(float(terms[c.name][0])), c.name
    assert float(terms["meg2_mu_e_gamma"][0]) == 0.0
    for i in (1, 2):
        assert float(obs["lfv_br_mu_e_gamma"][i]) > limit and float(terms["meg2_mu_e_gamma"][i]) == -math.inf
    assert abs(float(obs["delta_a_mu_hd_charged"][0])) < 1e-12
    assert float(obs["delta_a_mu_zd"][0]) == pytest.approx(float(obs["delta_a_mu"][0]), rel=0.1)
