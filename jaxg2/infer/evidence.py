"""``jaxg2.evidence``: the Bayesian evidence of a config by nested sampling (jaxns 3).

The evidence of the problem a config describes (the same priors, Δa_μ likelihood and
constraint likelihoods as :func:`jaxg2.fit`, see :mod:`jaxg2.infer.problem`) is

    Z = ∫ L(θ) π(θ) dθ = ∫_[0,1]^D L(θ(u)) du,

with ``θ(u)`` the prior quantile map of each free parameter's sample site
(``uniform``: a + u (b − a); ``log_uniform``: log10 θ = log10 a + u log10(b/a);
``normal``: μ + σ Φ⁻¹(u) — the ``icdf`` of :meth:`Problem.site_distribution`, so
the prior is the fit's by construction).  Fixed and derived parameters enter as in
the fit.  Constraints are always used in their *hard* form (log L = 0 inside,
−inf outside), whatever ``[constraints] smooth`` says: the evidence then carries the
Occam factor of the allowed prior volume exactly.  Like the fit, a NaN
log-likelihood counts as −inf.

Hard limits and −inf: jaxns 3.0.0 accepts −inf (zero likelihood) but a large −inf
plateau biases it: a toy (a Gaussian log L inside an allowed box of 10⁻⁴ of a
uniform prior, −inf outside) gave log Z ≈ −6.1 ± 0.6 and −6.4 ± 0.6 (two seeds) for
an exact −9.9.  So the excluded region gets a *tilted floor*,
log L = ``EXCLUDED_FLOOR`` (−1000) + the smooth-form log-likelihood
(:mod:`jaxg2.likelihood`, which keeps falling with the distance beyond each limit):
no plateau for nested sampling to shrink through blindly (the same toy with
log L = −1000 − 100·distance outside: −10.4 ± 0.4, −9.7 ± 0.4), and the excluded region adds at most e^(−1000) · max L to Z — nothing,
for any log Z > −900.  NaN still counts as −inf.

The nested sampler is :class:`jaxns.core.NestedSampler` with its own defaults
(30·D root lineages, 5·D slices per replacement, stopping at Δlog Z < log(1.001));
fast mode (``[fast]`` / ``JAXG2_FAST=1``) uses :data:`FAST_LIVE_PER_DIM` ·D roots and
:data:`FAST_SLICES_PER_DIM` ·D slices: larger ``log_z_err``, honestly reported.
``log_z`` and ``log_z_err`` are jaxns' classic estimates of E[log Z] and its standard
deviation (``NestedSamplerResults.log_Z_mean / log_Z_uncert``).

One compiled program serves many configs with the same number of free parameters:
the log-likelihood is ``lax.switch(index, [problem₁, problem₂, ...])`` and the index
is a jaxns run argument, so :func:`evidences` (used by ``jaxg2 compare``) compiles
jaxns' sampler once per dimension instead of once per config (jaxns' compile is
most of a small run's time).  A big likelihood's branch is a host call into its own
program (:func:`jaxg2.compilation.separate_value`, compiled ahead while jaxns compiles;
:func:`_separate_likelihood` decides), evaluating jaxns' batches of min(live points,
10·D) points at once: jaxns 3 inlines the likelihood in several vmapped stages, and with
lmu_ltau_2021 and _2025 inlined the 2-D program of the model_comparison notebook's fast
mode compiled for 175 s (44 s under "auto": lmu_ltau separate, leptophilic_scalar inline;
the same log Z to the last digit).  The seed is ``fit.seed``: the same call with the same
seed gives the same answer; the compiled program is cached for repeated calls.

Outputs (in the config's output directory, next to the fit's):

``evidence.json``   ``log_z``, ``log_z_err``, ``num_likelihood_evaluations``, ``wall_time_s``,
                    ``seed``, ``converged`` (false: jaxns hit its sample limit; a
                    RuntimeWarning says so), ``sm_measurement_log_likelihood``
                    (:func:`sm_measurement_log_likelihood`) and the run's settings and provenance.
``evidence.nc``     ArviZ InferenceData of the weighted nested samples: ``posterior``
                    (one chain) holds every site, parameter and observable as in
                    ``posterior.nc``; ``sample_stats`` holds ``log_weight`` (normalised
                    log posterior weights, logsumexp = 0) and ``loglike`` (log L).
                    :func:`equal_weight` resamples it for corner plots.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import sys
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace

import jax
import jax.numpy as jnp
import numpy as np

from .. import config as config_mod
from ..compilation import separate_value
from .problem import Problem

__all__ = ["evidence", "evidences", "EvidenceResult", "equal_weight", "load_evidence", "sm_measurement_log_likelihood"]

EXCLUDED_FLOOR = -1000.0  # log L in the hard-excluded region: this + the smooth-form log L (see docstring)
FAST_LIVE_PER_DIM = 10     # root lineages per free parameter in fast mode (jaxns default: 30)
FAST_SLICES_PER_DIM = 2    # slice steps per replacement and free parameter in fast mode (default: 5)


@dataclass
class EvidenceResult:
    """What :func:`evidence` returns (``record`` is the content of ``evidence.json``)."""

    log_z: float
    log_z_err: float
    num_likelihood_evaluations: int
    wall_time_s: float
    seed: int
    idata: object                      # arviz.InferenceData of the weighted samples
    config: config_mod.Config
    output_dir: Path | None
    record: dict = field(default_factory=dict, repr=False)

    def __repr__(self):
        return (f"EvidenceResult(model={self.config.model.name!r}, scenario={self.config.scenario!r}, "
                f"log_z={self.log_z:.3f} ± {self.log_z_err:.3f})")


# ---------------------------------------------------------------- jaxns import
_JAXNS = None


def _jaxns():
    """Import jaxns 3 without its import-time logging set-up.

    ``import jaxns`` runs ``logging.config.dictConfig`` with a *file* handler: it would
    create ``application.log`` in the working directory, replace the root logger's
    handlers, and close every handler that exists (dictConfig shuts the old ones down —
    under pytest's capture that closed its streams whenever jaxns was first imported
    inside a test using ``capsys``).  ``dictConfig`` is a no-op during the import;
    :func:`_jaxns_progress` gives jaxns' logger the handler it needs.
    """
    global _JAXNS
    if _JAXNS is None:
        import logging.config

        jax.devices()  # initialise JAX's backends (and their log lines) first
        dict_config = logging.config.dictConfig
        logging.config.dictConfig = lambda config: None
        try:
            from jaxns.core import NestedSampler
            from jaxns.model import Model
            from jaxns.priors import Prior
            from tensorflow_probability.substrates import jax as tfp
        finally:
            logging.config.dictConfig = dict_config
        _JAXNS = SimpleNamespace(NestedSampler=NestedSampler, Model=Model, Prior=Prior,
                                 Uniform=tfp.distributions.Uniform)
    return _JAXNS


@contextlib.contextmanager
def _jaxns_progress(progress: bool):
    """jaxns' per-iteration counters (``verbose``) as plain lines on stdout, or nothing."""
    lg = logging.getLogger("jaxns")
    saved = (list(lg.handlers), lg.level, lg.propagate)
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(logging.Formatter("  jaxns: %(message)s"))
    lg.handlers[:] = [handler] if progress else []
    lg.setLevel(logging.INFO if progress else logging.WARNING)
    lg.propagate = False
    try:
        yield
    finally:
        lg.handlers[:], lg.level, lg.propagate = saved[0], saved[1], saved[2]


# ------------------------------------------------------------- the problem
def site_values(problem: Problem, u) -> dict:
    """Sample-site values (``log10_<name>`` for log-uniform priors) at unit-cube
    coordinates ``u[..., i]`` — the prior quantile maps of the module docstring."""
    return {problem.site(n): problem.site_distribution(n).icdf(u[..., i]) for i, n in enumerate(problem.free)}


def free_values(problem: Problem, sites: dict) -> dict:
    """The free parameters' values from their sample sites (10^site for log-uniform priors)."""
    return {n: (10.0 ** sites[problem.site(n)] if problem.site(n) != n else sites[n]) for n in problem.free}


def log_likelihood(problem: Problem, u):
    """The fit's log-likelihood at unit-cube coordinates ``u`` (D,): hard constraints,
    with the excluded region tilted (module docstring: ``EXCLUDED_FLOOR``)."""
    sites = site_values(problem, u)
    obs = problem.likelihood_observables(problem.theta(free_values(problem, sites)))
    hard = sum(problem.log_likelihood_terms(obs, smooth=False).values())
    soft = sum(problem.log_likelihood_terms(obs, smooth=True).values())
    total = jnp.where(jnp.isfinite(hard), hard, EXCLUDED_FLOOR + soft)
    return jnp.where(jnp.isnan(total), -jnp.inf, total)


def sm_measurement_log_likelihood(problem: Problem) -> float | None:
    """Σ ln L of the problem's measurement (``gaussian``) constraints at their Standard-Model
    values (``Constraint.null_value``: Δa_e = 0, N_eff = 3.044, σ/σ_SM = 1, ...): the score of
    a theory without new physics on the data this config adds to Δa_μ.  Limits (upper,
    lower, curve, interval) add nothing: the SM sits inside every limit on new physics.
    None when a measurement has no SM value.

    :func:`jaxg2.infer.compare.compare` subtracts it: the SM reference config carries only
    the Δa_μ likelihood, and its evidence on the config's data is
    Z_SM = N(0 | Δa_μ, σ) · Π_c N(null_c | x_c, σ_c).  Without it a Bayes factor gains the
    normalisations ln(1/(σ_c √2π)) of the measurements — +26.3 for Δa_e(Rb), which made
    lmu_ltau "decisive" against the SM in 2025 (fast mode: ln B = 27.8 without it, −1.4 with)."""
    total = 0.0
    for c in problem.constraints:
        if c.kind != "gaussian":
            continue
        if c.null_value is None:
            return None
        total += float(c.log_likelihood({c.observable: jnp.asarray(c.null_value, dtype=jnp.float64)}))
    return total


def _settings(cfg, dim: int, num_live_points, num_slices) -> dict:
    live = num_live_points or (FAST_LIVE_PER_DIM * dim if cfg.fast else 30 * dim)
    slices = num_slices or (FAST_SLICES_PER_DIM * dim if cfg.fast else 5 * dim)
    return {"num_live_points": int(live), "num_slices": int(slices)}


SEPARATE_LIKELIHOOD_EQUATIONS = 3000  # "auto": likelihoods with more jaxpr equations get their own program


def _separate_likelihood(problem: Problem, example) -> bool:
    """Whether jaxns calls the likelihood through a host call into its own program
    (module docstring) — ``[sampler] model_program``: "separate", "inline", or "auto":
    separate on a single CPU device when the likelihood has more than
    :data:`SEPARATE_LIKELIHOOD_EQUATIONS` jaxpr equations.  Measured (2-core AMD EPYC, fast
    mode): sm 39 equations, leptophilic_scalar 2243 (inlined: ~8 s of jaxns' compile),
    su2h 3831, lmu_ltau 8883 (inlined: ~70 s each).  A program that holds a host call is
    not stored in the persistent compilation cache, so a small likelihood stays inline."""
    from .problem import _equations, single_cpu_process

    mode = problem.cfg.sampler["model_program"]
    if mode != "auto":
        return mode == "separate"
    if not single_cpu_process():
        return False
    jaxpr = jax.make_jaxpr(lambda u: log_likelihood(problem, u))(example).jaxpr
    return _equations(jaxpr) > SEPARATE_LIKELIHOOD_EQUATIONS


_RUNNERS: dict = {}   # problem-group fingerprint -> _Runner (reuses jaxns' compiled program)


def _fingerprint(problem: Problem) -> tuple:
    """What the log-likelihood depends on (the model object, priors, constraints, data)."""
    c = problem.cfg
    return (id(c.model), c.scenario, tuple(sorted(c.priors.items())), c.derived,
            tuple(sorted(c.derived_rules.items())), c.constraints)


def _runner(problems, settings) -> "_Runner":
    key = (tuple(_fingerprint(p) for p in problems), tuple(sorted(settings.items())))
    if key not in _RUNNERS:
        if len(_RUNNERS) >= 8:
            _RUNNERS.pop(next(iter(_RUNNERS)))
        _RUNNERS[key] = _Runner(problems, settings)
    return _RUNNERS[key]


class _Runner:
    """One jaxns program for several problems of equal dimension (see module docstring)."""

    def __init__(self, problems, settings):
        ns = _jaxns()
        self.problems = list(problems)
        self.dim = len(self.problems[0].free)
        dim = self.dim
        example = jax.ShapeDtypeStruct((dim,), jnp.result_type(float))
        # jaxns 3 evaluates min(live points, 10·D) points per call (its replacement_width)
        width = min(settings["num_live_points"], 10 * dim)
        branches = []
        for p in self.problems:
            fn = lambda u, p=p: log_likelihood(p, u)  # noqa: E731
            branches.append(separate_value(fn, example, batch=width) if _separate_likelihood(p, example) else fn)

        def prior_model(index):
            u = ns.Prior(ns.Uniform(low=jnp.zeros(dim), high=jnp.ones(dim)), name="u").realise()
            if len(branches) == 1:
                return branches[0](u)
            return jax.lax.switch(index, branches, u)

        from jaxns.constrained_sampler import UniDimSliceSampler

        self.sampler = ns.NestedSampler(model=ns.Model(prior_model=prior_model),
                                        root_allocation_degree=settings["num_live_points"],
                                        sampler=UniDimSliceSampler(num_slices=settings["num_slices"]),
                                        verbose=True)

    def run(self, index: int, seed: int, progress: bool):
        t0 = time.perf_counter()
        with _jaxns_progress(progress):
            state = self.sampler.run(key=jax.random.PRNGKey(seed), args=(jnp.asarray(index, dtype=jnp.int32),))
            res = state.to_result().trim()
        jax.block_until_ready(res.log_Z_mean)
        return res, time.perf_counter() - t0


# ---------------------------------------------------------------- outputs
def _weighted_idata(problem: Problem, res, attrs: dict):
    """The weighted nested samples as InferenceData: sample sites, parameters and
    observables (:func:`jaxg2.infer.fit.parameter_values`, one program per model for
    configs that differ in scenario or prior box) and the weights."""
    from .fit import _inference_data, parameter_values

    u = np.asarray(res.X_samples["u"], dtype=np.float64)
    sites = {k: np.asarray(v) for k, v in site_values(problem, jnp.asarray(u)).items()}
    values = {**{s: v for s, v in sites.items() if s not in problem.free},
              **parameter_values(problem, free_values(problem, sites))}
    log_dp = np.asarray(res.log_dp, dtype=np.float64)
    log_w = log_dp - float(jax.scipy.special.logsumexp(jnp.asarray(log_dp)))
    stats = {"log_weight": log_w[None], "loglike": np.asarray(res.log_L, dtype=np.float64)[None]}
    return _inference_data(problem, SimpleNamespace(stats=stats), attrs,
                           values={k: np.asarray(v)[None] for k, v in values.items()})


def equal_weight(idata, num: int = 2000, seed: int = 0):
    """An equally weighted posterior (``num`` draws, one chain) resampled from the
    weighted nested samples of ``evidence.nc`` (multinomial on ``log_weight``)."""
    import arviz as az

    w = np.exp(np.asarray(idata.sample_stats["log_weight"]).reshape(-1))
    idx = np.random.default_rng(seed).choice(w.size, size=num, p=w / w.sum())
    post = {k: np.asarray(v).reshape((-1,) + v.shape[2:])[idx][None] for k, v in idata.posterior.data_vars.items()}
    out = az.from_dict(posterior=post, posterior_attrs=dict(idata.posterior.attrs))
    for k in out.posterior.data_vars:
        out.posterior[k].attrs.update(idata.posterior[k].attrs)
    return out


def load_evidence(path) -> dict:
    """The ``evidence.json`` record of an output directory (or of the file itself)."""
    p = Path(path)
    return json.loads((p / "evidence.json" if p.is_dir() else p).read_text())


def _write(out: Path, record: dict, idata):
    out.mkdir(parents=True, exist_ok=True)
    tmp = out / "evidence.nc.tmp"
    idata.to_netcdf(str(tmp))
    os.replace(tmp, out / "evidence.nc")
    tmp = out / "evidence.json.tmp"
    tmp.write_text(json.dumps(record, indent=2, default=str) + "\n")
    os.replace(tmp, out / "evidence.json")


def _finish(cfg, problem, res, wall, settings, out, progress) -> EvidenceResult:
    from .. import experiments
    from .fit import _versions

    from importlib.metadata import version

    record = {
        "log_z": float(res.log_Z_mean), "log_z_err": float(res.log_Z_uncert),
        "num_likelihood_evaluations": int(res.total_num_likelihood_evaluations),
        "wall_time_s": round(float(wall), 3), "seed": int(cfg.seed),
        "model": cfg.model.name, "model_ref": cfg.model_ref, "scenario": cfg.scenario,
        "free_parameters": list(cfg.free), "constraints": list(cfg.constraints), "constraints_form": "hard",
        "excluded_floor": EXCLUDED_FLOOR,
        "num_samples": int(res.total_num_samples), "ess": float(res.ess), "information_h": float(res.H_mean),
        "max_log_likelihood": float(res.log_L_supremum), "termination_reason": int(res.termination_reason),
        "sm_measurement_log_likelihood": sm_measurement_log_likelihood(problem),
        "fast_mode": bool(cfg.fast), **settings, "sampler": f"jaxns {version('jaxns')} NestedSampler",
        "config_source": cfg.source, "config": cfg.raw, "registry_version": experiments.registry_version(),
        "versions": _versions(),
    }
    attrs = {"config": json.dumps(cfg.raw, default=str), "config_source": cfg.source, "model": cfg.model.name,
             "scenario": cfg.scenario, "seed": int(cfg.seed), "log_z": record["log_z"],
             "log_z_err": record["log_z_err"], "registry": json.dumps(problem.record(), default=str),
             "constraints": json.dumps(list(cfg.constraints)), "sampled_sites": json.dumps(list(problem.sites)),
             "weights": "sample_stats.log_weight (nested-sampling posterior weights)"}
    record["converged"] = record["termination_reason"] == 0
    if not record["converged"]:
        warnings.warn(f"{cfg.model.name} ({cfg.scenario}): jaxns stopped at a hard limit (termination reason "
                      f"{record['termination_reason']}: its sample buffer) before Δlog Z < log 1.001; log Z may "
                      "be underestimated — give more live points", RuntimeWarning, stacklevel=3)
    idata = _weighted_idata(problem, res, attrs)
    if out is not None:
        _write(out, record, idata)
    if progress:
        print(f"evidence {cfg.model.name} ({cfg.scenario}): log Z = {record['log_z']:.3f} ± {record['log_z_err']:.3f}"
              f"  [{record['num_likelihood_evaluations']} likelihood evaluations, {wall:.1f} s]"
              + (f"  → {out}/evidence.json" if out is not None else ""))
    return EvidenceResult(log_z=record["log_z"], log_z_err=record["log_z_err"],
                          num_likelihood_evaluations=record["num_likelihood_evaluations"],
                          wall_time_s=float(wall), seed=int(cfg.seed), idata=idata, config=cfg,
                          output_dir=out, record=record)


# ------------------------------------------------------------------ API
def evidences(configs, *, output=None, fast: bool | None = None, progress: bool = True,
              num_live_points: int | None = None, num_slices: int | None = None) -> list[EvidenceResult]:
    """:func:`evidence` of several configs, compiling once per number of free parameters.

    ``output``: ``None`` (each config's ``fit.output``) or ``False`` (write nothing).
    """
    cfgs = [config_mod.load(c, fast=fast) for c in configs]
    problems = [Problem(c, smooth=False) for c in cfgs]
    groups: dict = {}
    for i, (c, p) in enumerate(zip(cfgs, problems)):
        key = tuple(sorted(_settings(c, len(p.free), num_live_points, num_slices).items()))
        groups.setdefault(key, []).append(i)
    results: list = [None] * len(cfgs)
    for key, members in groups.items():
        settings = dict(key)
        runner = _runner([problems[i] for i in members], settings)
        for j, i in enumerate(members):
            cfg = cfgs[i]
            if progress:
                print(f"evidence {cfg.model.name} ({cfg.scenario}, {cfg.source}): {runner.dim} free parameters, "
                      f"{settings['num_live_points']} live points, {settings['num_slices']} slices, seed {cfg.seed}"
                      + (" [fast mode]" if cfg.fast else ""), flush=True)
            res, wall = runner.run(j, cfg.seed, progress)
            out = None if output is False else Path(cfg.output)
            results[i] = _finish(cfg, problems[i], res, wall, settings, out, progress)
    return results


def evidence(config, *, output=None, fast: bool | None = None, progress: bool = True,
             num_live_points: int | None = None, num_slices: int | None = None) -> EvidenceResult:
    """log Z of a config's problem by nested sampling (jaxns); see the module docstring.

    ``config``: TOML path, dict or :class:`~jaxg2.config.Config`.  ``output`` overrides
    ``fit.output`` (``False`` writes nothing).  ``fast=None`` applies ``[fast]`` iff env
    ``JAXG2_FAST == "1"``.  ``num_live_points`` / ``num_slices`` override the jaxns
    defaults (30·D / 5·D; fast mode 10·D / 2·D).  The seed is ``fit.seed``.
    """
    if output not in (None, False):
        config = config_mod.load(config, fast=fast, output=output)
    return evidences([config], output=output if output is False else None, fast=fast, progress=progress,
                     num_live_points=num_live_points, num_slices=num_slices)[0]
