"""``jaxg2.fit``: a config-driven MCMC fit and its output directory.

The kernel is ``sampler.kernel``: ``"nuts"`` (:mod:`jaxg2.infer.nuts`), ``"chees"``
or ``"meads"`` (:mod:`jaxg2.infer.many_chain`); :func:`sample` dispatches.

Output directory (``fit.output``, or ``output=``):

``posterior.nc``      ArviZ InferenceData (netCDF4/HDF5): ``posterior`` holds the sampled
                      sites (``log10_<name>`` for log-uniform priors), every parameter and
                      every observable (variable attrs: ``unit``, ``latex``);
                      ``sample_stats`` holds diverging, lp, energy, n_steps,
                      acceptance_rate, step_size.  Group attrs: ``config`` (JSON),
                      ``registry`` (entries used + ``experiments.registry_version()``),
                      ``versions`` (packages), ``seed``, ``kernel``, ``chain_method``,
                      ``n_devices``, ``compile_seconds`` and ``sampling_seconds``
                      (time spent tracing and compiling — the sampler's programs and
                      the one that evaluates every observable on the draws — and the
                      rest of the sampler's wall time, in this call; a resumed run
                      counts only its own part).  The NUTS chunk and the observables'
                      program compile on worker threads while the optimiser compiles
                      and runs (:func:`jaxg2.compilation.compile_ahead`): compile_seconds
                      counts all compiling, sampling_seconds the sampler's wall time
                      less what its thread spent compiling or waiting for a compile, so
                      the two can add up to more than the wall time.
                      ``limits_passed`` (JSON): the fraction of draws inside each limit's
                      hard form and, under ``"all"``, inside every limit at once
                      (:meth:`Problem.limits_passed`; printed, and a warning below 50%).
                      ``limits_excess`` (JSON): per limit, the median draw's factor
                      beyond it (≤ 1 inside; :meth:`Problem.limits_excess`).
``summary.csv/.txt``  mean, sd, 94% HDI, MCSE, ESS bulk/tail, R-hat (and unit); the .csv in
                      the natural units, the .txt (and the printed table) in display units
                      (Δa in 10⁻¹¹, ν moments in 10⁻¹¹ μ_B: :mod:`jaxg2.display`)
``corner.png``, ``trace.png``
``checkpoint.npz``    the sampler state (``resume=True`` continues from it)

Every file is written to a temporary name and renamed into place.
"""

from __future__ import annotations

import json
import os
import platform
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import jax
import numpy as np

from .. import compilation
from .. import config as config_mod
from . import distributed
from .nuts import run_nuts
from .problem import Problem

__all__ = ["fit", "sample", "FitResult", "SamplingWarning", "diagnose"]

ESS_MIN_PER_CHAIN = 100  # warn below 100 effective draws per chain (Vehtari et al. 2021)
RHAT_MAX = 1.01
LIMITS_PASSED_MIN = 0.5  # warn when fewer draws than this lie inside every limit (smooth limits)


class SamplingWarning(UserWarning):
    """R-hat, ESS or divergence diagnostics that call the posterior into question."""


@dataclass
class FitResult:
    """What :func:`fit` returns."""

    idata: object            # arviz.InferenceData
    summary: object          # pandas.DataFrame
    output_dir: Path | None
    config: config_mod.Config
    warnings: list[str] = field(default_factory=list)
    complete: bool = True

    def __repr__(self):
        return f"FitResult(model={self.config.model.name!r}, output_dir={str(self.output_dir)!r}, complete={self.complete})"


def _versions() -> dict:
    import arviz
    import numpyro
    import optax

    import jaxg2

    return {"jaxg2": jaxg2.__version__, "jax": jax.__version__, "numpyro": numpyro.__version__,
            "optax": optax.__version__, "arviz": arviz.__version__, "numpy": np.__version__,
            "python": platform.python_version(), "backend": jax.default_backend()}


CONSTRAIN_BATCH = 8192  # draws per vectorised evaluation of every observable (bounds memory)


def _in_batches(fn, flat: dict, n: int, size: int) -> dict:
    """``fn`` (a vectorised program) over arrays ``flat`` of leading length ``n``, in
    batches of ``size`` rows, the last padded by repeating the final row."""
    parts = []
    for start in range(0, n, size):
        idx = np.minimum(np.arange(start, start + size), n - 1)
        parts.append({k: np.asarray(v) for k, v in fn({k: v[idx] for k, v in flat.items()}).items()})
    return {k: np.concatenate([p[k] for p in parts])[:n] for k in parts[0]}


def _constrained(problem: Problem, z: dict) -> dict:
    """All site values for unconstrained draws z[site] of shape (chains, draws, ...),
    evaluated in batches of at most :data:`CONSTRAIN_BATCH` draws (one compiled size;
    the last batch is padded by repeating draws) — many-chain runs have 10⁵+ draws."""
    chains, draws = next(iter(z.values())).shape[:2]
    n = chains * draws
    size = min(n, CONSTRAIN_BATCH)
    fn = problem.__dict__.get("_constrain_ahead", {}).get(size) or _constrain_program(problem)
    out = _in_batches(fn, {k: np.reshape(v, (n,) + v.shape[2:]) for k, v in z.items()}, n, size)
    return {k: np.reshape(v, (chains, draws) + v.shape[1:]) for k, v in out.items()}


def _constrain_ahead(problem: Problem, num_draws: int):
    """Start compiling :func:`_constrained`'s program for ``num_draws`` draws on a worker
    thread (:func:`jaxg2.compilation.compile_ahead`), so that it compiles while the sampler
    does; :func:`_constrained` picks it up."""
    size = min(num_draws, CONSTRAIN_BATCH)
    ahead = problem.__dict__.setdefault("_constrain_ahead", {})
    if size not in ahead:
        z = jax.eval_shape(lambda k: problem.prior_draws(k, size), jax.random.PRNGKey(0))
        ahead[size] = compilation.compile_ahead(_constrain_program(problem), z)


def _constrain_program(problem: Problem):
    """Every site value (parameters, observables) of a batch of unconstrained draws."""
    return jax.jit(jax.vmap(problem.constrain))


_VALUE_PROGRAMS: dict = {}  # (model, free names, fixed values, derived rules) -> (model, jitted program)


def parameter_values(problem: Problem, values: dict) -> dict:
    """Every parameter and observable (recorded site names) at the free parameters'
    ``values`` (arrays of leading length n), evaluated as :func:`_constrained` does.

    These depend on the model, the fixed values and the derived rules only — not on the
    prior boxes, the scenario or the constraints — so problems that differ only there
    (a model's 2021 and 2025 configs in ``jaxg2 compare``) share one jitted program, traced
    and compiled once per process and batch size instead of once per config; the batch
    size is the power of two ≥ n (at most :data:`CONSTRAIN_BATCH`), so that runs of
    different lengths (nested sampling: 2082 and 3264 weighted samples) share it too.
    Sample sites of log-uniform priors (``log10_<name>``) are not included."""
    c = problem.cfg
    fixed = tuple(sorted((n, p) for n, p in c.priors.items() if p.kind == "fixed"))
    key = (id(c.model), problem.free, fixed, c.derived, tuple(sorted(c.derived_rules.items())))
    if key not in _VALUE_PROGRAMS:
        if len(_VALUE_PROGRAMS) >= 8:
            _VALUE_PROGRAMS.pop(next(iter(_VALUE_PROGRAMS)))
        program = jax.jit(jax.vmap(lambda v: problem.constrain({}, overrides=v)))
        _VALUE_PROGRAMS[key] = (c.model, program)  # the model kept alive while its id is a key
    n = len(next(iter(values.values())))
    size = min(CONSTRAIN_BATCH, 1 << max(n - 1, 0).bit_length())
    return _in_batches(_VALUE_PROGRAMS[key][1], {k: np.asarray(v) for k, v in values.items()}, n, size)


def _inference_data(problem: Problem, draws, attrs: dict, values=None):
    import arviz as az

    values = _constrained(problem, draws.z) if values is None else values
    values = {k: v for k, v in values.items() if not k.startswith("loglike_")}
    idata = az.from_dict(posterior=values, sample_stats=dict(draws.stats), posterior_attrs=attrs)
    for name in idata.posterior.data_vars:
        latex, unit = problem.site_label(name)
        idata.posterior[name].attrs.update({"unit": unit, "latex": latex})
    return idata


def summary_vars(problem: Problem) -> list[str]:
    """Variables in the summary table: sampled sites, all non-fixed parameters, the signal."""
    names = list(problem.sites)
    names += [n for n in problem.model.parameter_names if n not in names and n not in problem.fixed]
    names.append(problem.obs_site[problem.model.signal])
    return list(dict.fromkeys(names))


def format_summary(summary) -> str:
    """The summary table as text (4 significant digits), in display units
    (:func:`jaxg2.display.display_table`: Δa in 10⁻¹¹, moments in 10⁻¹¹ μ_B)."""
    from ..display import display_table

    return display_table(summary).to_string(float_format=lambda v: f"{v:.4g}")


def _emptiest_limits(limits: dict, n: int, excess: dict | None = None) -> str:
    """The ``n`` limits with the fewest draws inside, as "name 12.3%, ...".  With
    ``excess`` (:meth:`Problem.limits_excess`) ties go to the limit the median draw is
    farthest beyond, and a limit the median draw fails says by how much."""
    excess = excess or {}
    fewest = sorted((v, -excess.get(k, 0.0), k) for k, v in limits.items() if k != "all")[:n]

    def beyond(k):
        f = excess.get(k, 0.0)
        return f" (median draw {f:.3g}× beyond)" if f > 1 else ""

    return ", ".join(f"{k} {100 * v:.1f}%{beyond(k)}" for v, _, k in fewest)


def diagnose(summary, idata, num_chains: int, smooth: bool = False, limits=None, excess=None) -> list[str]:
    """Human-readable warnings: R-hat > 1.01, ESS < 100 per chain, divergences, and (with
    ``limits``, from :meth:`Problem.limits_passed`, and ``excess``, from
    :meth:`Problem.limits_excess`) a posterior mostly beyond the limits."""
    msgs = []
    if limits and limits["all"] < LIMITS_PASSED_MIN:
        msgs.append(f"only {100 * limits['all']:.1f}% of draws lie inside every limit (hard form; fewest: "
                    + _emptiest_limits(limits, 3, excess) + "): the posterior sits beyond the limits, where their smooth penalties balance, and "
                    "describes a model excluded in this prior box unless a point inside every limit exists "
                    "(jaxg2 search looks for one)")
    rhat = summary["r_hat"] if "r_hat" in summary else None
    if rhat is not None:
        bad = rhat[rhat > RHAT_MAX]
        if len(bad):
            msgs.append("R-hat > 1.01 (chains disagree; run longer or check multimodality): "
                        + ", ".join(f"{k}={v:.3f}" for k, v in bad.items()))
    ess_min = ESS_MIN_PER_CHAIN * num_chains
    for col in ("ess_bulk", "ess_tail"):
        if col in summary:
            low = summary[col][summary[col] < ess_min]
            if len(low):
                msgs.append(f"low {col.replace('_', ' ')} (< {ess_min}): "
                            + ", ".join(f"{k}={v:.0f}" for k, v in low.items()))
    n_div = int(np.asarray(idata.sample_stats["diverging"]).sum())
    if n_div:
        total = int(np.asarray(idata.sample_stats["diverging"]).size)
        hint = ("a discontinuity in the log-density (an observable that jumps, e.g. a limit that "
                "switches on at a mass) or strong curvature; try a higher target_accept" if smooth else
                "with hard constraints, proposals that cross a limit end as divergences; try "
                "[constraints] smooth = true or a higher target_accept")
        msgs.append(f"{n_div} of {total} transitions diverged ({hint})")
    return msgs


def _write_text_atomic(path: Path, text: str):
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text)
    os.replace(tmp, path)


def _save_figure_atomic(fig, path: Path):
    tmp = path.with_name(path.stem + ".tmp.png")
    fig.savefig(tmp, dpi=110, bbox_inches="tight")
    os.replace(tmp, path)


def _write_outputs(out: Path, idata, summary, problem: Problem, corner_vars=None):
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    from .. import plots

    tmp = out / "posterior.nc.tmp"
    idata.to_netcdf(str(tmp))
    os.replace(tmp, out / "posterior.nc")
    summary.to_csv(out / "summary.csv.tmp")
    os.replace(out / "summary.csv.tmp", out / "summary.csv")
    _write_text_atomic(out / "summary.txt", format_summary(summary) + "\n")
    fig = plots.corner(idata, var_names=corner_vars)  # default: the sampled sites and Δa_μ
    _save_figure_atomic(fig, out / "corner.png")
    plt.close(fig)
    fig = plots.trace(idata, var_names=list(problem.sites))
    _save_figure_atomic(fig, out / "trace.png")
    plt.close(fig)


def _process_share(num_chains: int):
    """(process count, this process' chains or None, checkpoint file name)."""
    n_proc = distributed.process_count()
    if n_proc == 1:
        return 1, None, "checkpoint.npz"
    if num_chains < n_proc:
        raise config_mod.ConfigError("sampler.num_chains", f"{num_chains} chains cannot be split over {n_proc} processes")
    return n_proc, distributed.share(num_chains), f"checkpoint.p{distributed.process_index()}of{n_proc}.npz"


def _gather_draws(draws, num_chains: int):
    """Every process' chains, in global chain order (a :class:`Draws` on every process)."""
    import dataclasses

    z, stats = distributed.allgather_concat((draws.z, draws.stats), distributed.counts(num_chains))
    return dataclasses.replace(draws, z=z, stats=stats)


def sample(problem: Problem, checkpoint: Path | None, *, resume: bool = False, progress: bool = True,
           max_blocks: int | None = None, chains: tuple[int, int] | None = None):
    """Run the configured kernel; returns ``(draws, compile_seconds, sampling_seconds)``.

    ``chains`` (NUTS only): this process' share of a distributed fit.  ChEES and MEADS
    adapt on the whole ensemble, so splitting their chains over processes would change
    the draws: they run in one process."""
    import time

    kernel = problem.cfg.sampler["kernel"]
    if chains is not None and kernel != "nuts":
        raise config_mod.ConfigError("sampler.kernel", f"{kernel!r} adapts across all chains and runs in one "
                                                       "process; use kernel = \"nuts\" with several processes")
    t0 = time.perf_counter()
    with compilation.CompileClock() as clock:
        if kernel == "nuts":
            draws = run_nuts(problem, checkpoint, resume=resume, progress=progress, max_blocks=max_blocks,
                             chains=chains)
        else:  # blackjax initialises the XLA backend on import: import it only when used
            from .many_chain import run_many_chain

            draws = run_many_chain(problem, checkpoint, resume=resume, progress=progress, max_blocks=max_blocks)
    # compile: all compiling (worker threads included); sampling: the rest of this thread's time
    return draws, clock.seconds, time.perf_counter() - t0 - clock.blocked_seconds


def fit(config, *, output=None, resume: bool = False, fast: bool | None = None,
        progress: bool = True, corner_vars=None, _max_blocks: int | None = None) -> FitResult:
    """Run the MCMC fit a config describes and write its output directory.

    ``config``: a TOML path or a dict (see :mod:`jaxg2.config`).  ``output`` overrides
    ``fit.output`` (``False`` writes nothing); ``resume`` continues from the checkpoint
    there; ``fast=None`` applies ``[fast]`` iff env ``JAXG2_FAST == "1"``.  Prints the
    summary table; diagnostics problems are issued as :class:`SamplingWarning`.
    """
    import arviz as az

    compilation.enable_cache()
    cfg = config_mod.load(config, fast=fast, output=output if output not in (None, False) else None)
    problem = Problem(cfg)
    if corner_vars is not None:
        known = set(problem.sites) | set(cfg.model.parameter_names) | set(problem.obs_site.values())
        unknown = [v for v in corner_vars if v not in known]
        if unknown:
            raise config_mod.ConfigError("--vars", f"unknown posterior variable(s) {', '.join(unknown)}; "
                                                   f"sampled: {', '.join(problem.sites)}")
    out = None if output is False else Path(cfg.output)
    if out is not None and out.exists() and not out.is_dir():
        raise config_mod.ConfigError("fit.output", f"{out} exists and is not a directory")
    if out is not None:
        try:
            out.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise config_mod.ConfigError("fit.output", f"cannot create {out} ({exc.strerror})") from None
    if resume and out is not None and not any(out.glob("checkpoint*.npz")):
        import sys

        print(f"jaxg2: no checkpoint in {out}: starting afresh", file=sys.stderr)
    # several processes (jaxg2.infer.distributed): each runs its share of the chains and
    # keeps its own checkpoint; the draws are gathered and process 0 writes the outputs
    n_proc, chains, ck_name = _process_share(cfg.sampler["num_chains"])
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
        if not resume:
            for name in (ck_name, ck_name + ".tmp"):
                (out / name).unlink(missing_ok=True)
    finished = _finished_run(problem, out / ck_name) if resume and out is not None and n_proc == 1 else None
    if finished is not None:
        idata = finished
        import sys

        print(f"jaxg2: {out} holds a complete run: already complete; summaries and plots rewritten "
              "from its draws", file=sys.stderr)
    else:
        idata = _run_sampler(problem, cfg, out, ck_name, n_proc, chains, resume, progress, _max_blocks)
        if idata is None:
            return FitResult(idata=None, summary=None, output_dir=out, config=cfg, complete=False)
        if n_proc > 1:
            out = out if distributed.is_main() else None
    if not distributed.is_main():  # the other processes of a distributed fit: no summary, no files
        return FitResult(idata=idata, summary=None, output_dir=None, config=cfg)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # arviz: few-draw and constant-variable notices
        summary = az.summary(idata, var_names=summary_vars(problem), hdi_prob=0.94, round_to="none")
    summary.insert(0, "unit", [idata.posterior[n].attrs.get("unit", "") for n in summary.index])
    draws = {k: np.asarray(v) for k, v in idata.posterior.data_vars.items()}
    limits, excess = problem.limits_passed(draws), problem.limits_excess(draws)
    idata.posterior.attrs["limits_passed"] = json.dumps(limits)
    idata.posterior.attrs["limits_excess"] = json.dumps(excess)
    if progress:
        print(format_summary(summary))
        a = idata.posterior.attrs
        print(f"{a['kernel']}: compile {a['compile_seconds']:.1f} s, sampling {a['sampling_seconds']:.1f} s")
        if len(limits) > 1:
            print(f"draws inside every limit (hard form): {100 * limits['all']:.1f}%; "
                  f"fewest: {_emptiest_limits(limits, 1, excess)}")
    msgs = diagnose(summary, idata, cfg.sampler["num_chains"], smooth=problem.smooth, limits=limits, excess=excess)
    for m in msgs:
        warnings.warn(m, SamplingWarning, stacklevel=2)
    if out is not None:
        _write_outputs(out, idata, summary, problem, corner_vars)
    return FitResult(idata=idata, summary=summary, output_dir=out, config=cfg, warnings=msgs)


def _finished_run(problem: Problem, checkpoint: Path):
    """The InferenceData of a run that ``checkpoint`` records as complete (same
    configuration), or None.  Read from ``posterior.nc`` beside it when present (nothing
    is compiled), else built from the checkpoint's draws (only the observables are
    compiled, never the sampler)."""
    import arviz as az

    from . import blocks

    if not checkpoint.exists():
        return None
    blocks.check_fingerprint(checkpoint, blocks.fingerprint(problem))
    s = problem.cfg.sampler
    with np.load(checkpoint) as ck:
        if int(ck["done"]) < s["num_warmup"] + s["num_samples"]:
            return None
        z = {k: ck[f"z_{k}"] for k in problem.sites}
        stats = {k[len("stat_"):]: ck[k] for k in ck.files if k.startswith("stat_")}
    nc = checkpoint.parent / "posterior.nc"
    if nc.exists():
        try:
            idata = az.from_netcdf(str(nc))
            if np.array_equal(np.asarray(idata.sample_stats["lp"]), stats["lp"]):  # these draws' file
                return idata
        except (OSError, ValueError, KeyError):
            pass  # unreadable or another run's: rebuilt from the checkpoint
    from .blocks import Draws

    draws = Draws(z=z, stats=stats, n_devices=1, chain_method="checkpoint", complete=True,
                  iterations_done=s["num_warmup"] + s["num_samples"], kernel=s["kernel"])
    return _inference_data(problem, draws, _attrs(problem, draws, 1, 0.0, 0.0))


def _attrs(problem: Problem, draws, n_proc: int, t_compile: float, t_sample: float) -> dict:
    """The posterior group's attributes (see the module docstring)."""
    cfg = problem.cfg
    return {"config": json.dumps(cfg.raw, default=str), "config_source": cfg.source,
            "model": cfg.model.name, "scenario": cfg.scenario, "seed": int(cfg.seed),
            "fast_mode": int(cfg.fast), "registry": json.dumps(problem.record(), default=str),
            "versions": json.dumps(_versions()), "chain_method": draws.chain_method,
            "n_devices": int(draws.n_devices), "n_processes": int(n_proc), "smooth_constraints": int(problem.smooth),
            "constraints": json.dumps(list(cfg.constraints)),
            "sampled_sites": json.dumps(list(problem.sites)), "kernel": draws.kernel,
            "compile_seconds": float(t_compile), "sampling_seconds": float(t_sample)}


def _run_sampler(problem, cfg, out, ck_name, n_proc, chains, resume, progress, max_blocks):
    """Sample (or continue) and return the InferenceData; None if stopped early."""
    with compilation.CompileClock() as ahead:  # traced here, compiled while the sampler runs
        _constrain_ahead(problem, cfg.sampler["num_chains"] * cfg.sampler["num_samples"])
    draws, t_compile, t_sample = sample(problem, None if out is None else out / ck_name, resume=resume,
                                        progress=progress and distributed.is_main(), max_blocks=max_blocks,
                                        chains=chains)
    if n_proc > 1:
        draws = _gather_draws(draws, cfg.sampler["num_chains"])
    if not draws.complete:
        return None
    with compilation.CompileClock() as clock:  # the observables' program counts as compile time too
        values = _constrained(problem, draws.z)
    t_compile += ahead.seconds + clock.seconds
    return _inference_data(problem, draws, _attrs(problem, draws, n_proc, t_compile, t_sample),
                           values=values)
