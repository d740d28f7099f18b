"""Many-chain kernels (ChEES-HMC, MEADS) and NUTS on posteriors with known answers; resume identity.

Two toy models put the Δa_μ likelihood of the registry entry ``delta_a_mu_2021``,
N(μ, σ) with μ = 251e-11 and σ = 59e-11, on a combination of two parameters with
normal priors, so the posterior is known independently of any sampler:

* **Gaussian**: Δa_μ = A (x + y), x, y ~ N(0, s²).  In units of A the posterior is
  N(m, C) with precision P = I/s² + (1/σ̃²) [[1, 1], [1, 1]], C = P⁻¹,
  m = C · (μ̃/σ̃²) (1, 1) (μ̃ = μ/A, σ̃ = σ/A): correlation ≈ −0.9.
* **Banana**: Δa_μ = A (y + b x²), b = 1/4, x, y ~ N(0, 1).  Given x, y is the
  product of N(0, 1) and N(μ̃ − b x², σ̃²): normal with variance v = (1 + σ̃⁻²)⁻¹ and
  mean v (μ̃ − b x²)/σ̃²; integrating y out, p(x) ∝ N(x; 0, 1) N(μ̃ − b x²; 0, 1 + σ̃²)
  (unimodal for b < (1 + σ̃²)/(2μ̃) ≈ 0.27, with a broad quartic x-marginal).
  The moments of (x, y) follow from 1-D quadratures of p(x) (scipy.integrate.quad).
"""

import importlib
import math
import warnings

import jax
import numpy as np
import pytest
from scipy import integrate

import jaxg2
from jaxg2 import config, experiments
from jaxg2.config import ConfigError
from jaxg2.infer import Problem, SamplingWarning
from jaxg2.infer.fit import _constrained
from jaxg2.infer.many_chain import run_many_chain
from jaxg2.models.base import Model, Parameter, Prior

fit_mod = importlib.import_module("jaxg2.infer.fit")  # the module (jaxg2.infer.fit is also the function)

A = 1e-9
S_GAUSS = 2.0
B_BANANA = 0.25


def _model(name, signal, scale):
    return Model(name=name, description="sampler test target", reference="none",
                 parameters=(Parameter("x", "1", "x", Prior.normal(0.0, scale)),
                             Parameter("y", "1", "y", Prior.normal(0.0, scale))),
                 observables=lambda t: {"delta_a_mu": A * signal(t["x"], t["y"]), "x_plus_y": t["x"] + t["y"]},
                 units={"delta_a_mu": "1", "x_plus_y": "1"}, constraints=(), benchmarks={})


GAUSS = _model("gauss2d", lambda x, y: x + y, S_GAUSS)
BANANA = _model("banana", lambda x, y: y + B_BANANA * x * x, 1.0)


def _data():
    e = experiments.get("delta_a_mu_2021")
    return e.value / A, e.sigma / A


def gauss_moments():
    mu, sd = _data()
    prec = np.eye(2) / S_GAUSS**2 + np.ones((2, 2)) / sd**2
    cov = np.linalg.inv(prec)
    return cov @ (np.ones(2) * mu / sd**2), cov


def banana_moments():
    mu, sd = _data()
    v = 1.0 / (1.0 + sd**-2)

    def px(x):
        return math.exp(-0.5 * x * x - 0.5 * (mu - B_BANANA * x * x) ** 2 / (1.0 + sd**2))

    def ey(x):  # E[y | x]
        return v * (mu - B_BANANA * x * x) / sd**2

    def quad(f):
        return integrate.quad(f, -12, 12, limit=200, epsabs=1e-13)[0]

    z = quad(px)
    mean_x = quad(lambda x: x * px(x)) / z
    var_x = quad(lambda x: x * x * px(x)) / z - mean_x**2
    mean_y = quad(lambda x: ey(x) * px(x)) / z
    var_y = quad(lambda x: (v + ey(x) ** 2) * px(x)) / z - mean_y**2
    cov_xy = quad(lambda x: x * ey(x) * px(x)) / z - mean_x * mean_y
    return np.array([mean_x, mean_y]), np.array([[var_x, cov_xy], [cov_xy, var_y]])


def problem(model, kernel, **sampler):
    s = {"kernel": kernel, "num_warmup": 200, "num_samples": 100, "num_chains": 64, "checkpoint_every": 50,
         "init": "prior", **sampler}
    cfg = {"fit": {"model": model, "scenario": "2021", "seed": 3}, "sampler": s, "constraints": {"use": []}}
    return Problem(config.load(cfg, fast=False))


def xy(draws):
    return np.stack([np.ravel(draws.z["x"]), np.ravel(draws.z["y"])], axis=-1)


def check_moments(sample, mean, cov, n_eff):
    """Means within 5 MC standard errors, covariance entries within 5 of their MC errors
    (Gaussian approximation, var(s_ij) ≈ (C_ij² + C_ii C_jj)/n), with n = ``n_eff``."""
    np.testing.assert_array_less(np.abs(sample.mean(0) - mean), 5 * np.sqrt(np.diag(cov) / n_eff))
    c = np.cov(sample.T)
    err = np.sqrt((cov**2 + np.outer(np.diag(cov), np.diag(cov))) / n_eff)
    np.testing.assert_array_less(np.abs(c - cov), 5 * err)


@pytest.mark.parametrize("kernel, dense", [("chees", False), ("meads", False), ("meads", True)])
def test_correlated_gaussian(kernel, dense):
    mean, cov = gauss_moments()
    assert cov[0, 1] / math.sqrt(cov[0, 0] * cov[1, 1]) < -0.85   # strongly correlated target
    draws = run_many_chain(problem(GAUSS, kernel, dense_mass=dense), progress=False)
    assert draws.complete and draws.z["x"].shape == (64, 100) and draws.kernel == kernel
    # ESS from the draws themselves (ArviZ), so an unexpectedly sticky sampler widens nothing by fiat
    import arviz as az
    n_eff = min(float(az.ess(draws.z[k])) for k in ("x", "y"))
    assert n_eff > 150
    check_moments(xy(draws), mean, cov, n_eff)
    assert draws.stats["acceptance_rate"].mean() > 0.5


@pytest.mark.parametrize("kernel", ["chees", "meads", "nuts"])
def test_banana(kernel):
    mean, cov = banana_moments()
    assert abs(cov[0, 1]) < 1e-10 and cov[0, 0] > 1.5    # symmetric in x, broad along the arms
    p = problem(BANANA, kernel, **({"num_chains": 4, "num_warmup": 200, "num_samples": 600}
                                   if kernel == "nuts" else {}))
    if kernel == "nuts":
        from jaxg2.infer.nuts import run_nuts
        draws = run_nuts(p, progress=False)
    else:
        draws = run_many_chain(p, progress=False)
    import arviz as az
    n_eff = min(float(az.ess(draws.z[k])) for k in ("x", "y"))
    assert n_eff > 150
    check_moments(xy(draws), mean, cov, n_eff)
    # E[x²] (= var x) against E[y]: a sampler that misses the banana's arms fails this
    s = xy(draws)
    assert np.mean(s[:, 0] ** 2) == pytest.approx(cov[0, 0], abs=5 * np.std(s[:, 0] ** 2) / math.sqrt(n_eff))


@pytest.mark.parametrize("kernel", ["chees", "meads"])
def test_resume_equals_uninterrupted(kernel, tmp_path):
    """Interrupted after the warmup and one sampling segment, or during warmup, then resumed:
    the draws equal those of an uninterrupted run, bit for bit."""
    p = problem(GAUSS, kernel, num_warmup=60, num_samples=120, num_chains=16, dense_mass=kernel == "meads")
    full = run_many_chain(p, tmp_path / "full.npz", progress=False)
    ck = tmp_path / "part.npz"
    part = run_many_chain(p, ck, progress=False, max_blocks=2)      # warmup + 50 draws
    assert not part.complete and part.iterations_done == 110
    resumed = run_many_chain(p, ck, resume=True, progress=False)
    assert resumed.complete
    for k in full.z:
        np.testing.assert_array_equal(resumed.z[k], full.z[k])
    for k in full.stats:
        np.testing.assert_array_equal(resumed.stats[k], full.stats[k])
    # no checkpoint yet (interrupted during warmup): --resume starts afresh, same draws
    again = run_many_chain(p, tmp_path / "none.npz", resume=True, progress=False)
    np.testing.assert_array_equal(again.z["x"], full.z["x"])
    # the progress bar (a host callback in the warmup program) changes no number
    shown = run_many_chain(p, None, progress=True)
    np.testing.assert_array_equal(shown.z["x"], full.z["x"])


@pytest.mark.parametrize("kernel", ["chees", "meads"])
def test_many_chain_runs_the_programs_compiled_ahead(kernel, monkeypatch):
    """The warmup and the sampling chunk compiled on worker threads from the starting
    points' shapes are the programs that run (no fallback: the shapes were predicted
    exactly), and the draws equal those of programs compiled on first call."""
    from jaxg2.infer import many_chain

    p = problem(GAUSS, kernel, num_warmup=30, num_samples=40, num_chains=8)
    draws = run_many_chain(p, progress=False)
    (kern,) = p._many_chain_cache.values()
    ahead = [kern._ahead["warmup"], kern._ahead["chunk"]]
    assert all(a.fallbacks == 0 and a.compiled.done() for a in ahead)
    monkeypatch.setattr(many_chain._Kernel, "ahead", lambda self, problem, k_warm, k_sample, warmup: (
        self.warmup, self.chunk, dict(zip(("chains", "params"), jax.eval_shape(self.warmup, k_warm, problem.prior_draws(
            k_warm, self.num_chains))), key=k_sample)))
    plain = run_many_chain(problem(GAUSS, kernel, num_warmup=30, num_samples=40, num_chains=8), progress=False)
    for k in draws.z:
        np.testing.assert_array_equal(draws.z[k], plain.z[k])


def test_fit_output_with_many_chain_kernel(tmp_path):
    """The fit's outputs are kernel-independent: every observable as a deterministic site,
    sample stats, compile/sampling time attributes."""
    cfg = {"fit": {"model": GAUSS, "scenario": "2021", "seed": 1}, "constraints": {"use": []},
           "sampler": {"kernel": "chees", "num_warmup": 60, "num_samples": 30, "num_chains": 16,
                       "checkpoint_every": 30, "init": "prior"}}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SamplingWarning)
        res = jaxg2.fit(cfg, output=tmp_path / "run", fast=False, progress=False)
    post = res.idata.posterior
    assert post["x"].shape == (16, 30)
    np.testing.assert_allclose(post["delta_a_mu"], A * (post["x"] + post["y"]), rtol=1e-14)
    np.testing.assert_allclose(post["x_plus_y"], post["x"] + post["y"], rtol=1e-14)
    assert {"diverging", "acceptance_rate", "lp", "step_size", "n_steps"} <= set(res.idata.sample_stats.data_vars)
    assert post.attrs["kernel"] == "chees"
    assert post.attrs["compile_seconds"] > 0 and post.attrs["sampling_seconds"] > 0
    assert (tmp_path / "run" / "posterior.nc").exists()


@pytest.mark.parametrize("sampler, field, text", [
    ({"kernel": "hmc"}, "sampler.kernel", "expected one of nuts, chees, meads, got 'hmc'"),
    ({"kernel": "meads", "num_chains": 6}, "sampler.num_chains", "multiple of 4"),
])
def test_kernel_validation(sampler, field, text):
    cfg = {"fit": {"model": GAUSS, "scenario": "2021"}, "sampler": sampler}
    with pytest.raises(ConfigError, match=text) as err:
        config.load(cfg, fast=False)
    assert err.value.field == field and "\n" not in str(err.value)


def test_fast_section_applies_to_every_kernel():
    cfg = {"fit": {"model": GAUSS, "scenario": "2021"},
           "sampler": {"kernel": "meads", "num_chains": 256, "num_samples": 1000},
           "fast": {"num_chains": 8, "num_samples": 20}}
    fast = config.load(cfg, fast=True).sampler
    assert fast["kernel"] == "meads" and fast["num_chains"] == 8 and fast["num_samples"] == 20
    assert config.load(cfg, fast=False).sampler["num_chains"] == 256
    assert config.load({**cfg, "fast": {"kernel": "nuts", "num_chains": 2}}, fast=True).sampler["kernel"] == "nuts"
    with pytest.raises(ConfigError, match="multiple of 4"):
        config.load({**cfg, "fast": {"num_chains": 2}}, fast=True)


def test_constrained_in_padded_batches(monkeypatch):
    """Batches of 4 over 3 × 5 draws (last batch padded): equal to one evaluation."""
    p = problem(GAUSS, "chees")
    rng = np.random.default_rng(0)
    z = {"x": rng.normal(size=(3, 5)), "y": rng.normal(size=(3, 5))}
    whole = _constrained(p, z)
    monkeypatch.setattr(fit_mod, "CONSTRAIN_BATCH", 4)
    parts = _constrained(p, z)
    assert set(parts) == set(whole)
    for k in whole:
        assert parts[k].shape == whole[k].shape
        np.testing.assert_allclose(parts[k], whole[k], rtol=1e-15, atol=0)
    np.testing.assert_allclose(parts["delta_a_mu"], A * (z["x"] + z["y"]), rtol=1e-15)
