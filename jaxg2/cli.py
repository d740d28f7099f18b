"""The ``jaxg2`` command.

```
jaxg2 fit CONFIG.toml [--output DIR] [--resume] [--fast] [--quiet]
jaxg2 search CONFIG.toml [--output DIR] [--fast]
jaxg2 scan CONFIG.toml [--output DIR] [--fast] [--resume] [--quiet]
  fit/search/scan: [--coordinator HOST:PORT --num-processes N --process-id I]
jaxg2 evidence CONFIG.toml [--output DIR] [--fast] [--quiet] [--live N] [--slices N]
jaxg2 compare CONFIG.toml... [--reference SM.toml ...] [--fast] [--quiet] [--live N] [--slices N]
jaxg2 models
jaxg2 show MODEL [--point BP1] [--set name=value ...]
```

With ``--coordinator`` (or env ``JAXG2_COORDINATOR`` …) N copies of a command share
the work (:mod:`jaxg2.infer.distributed`); process 0 prints and writes the outputs.

A configuration mistake prints one line naming the field (``jaxg2: error:
sampler.num_samples: expected a positive integer, got str '10'``) and exits with
status 2; an interrupted fit says how to resume and exits with 130.  ^C acts within a
fraction of a second in every phase, compilation included: the command runs in a worker
thread and the main thread only waits (see :func:`_in_worker`).
"""

from __future__ import annotations

import argparse
import math
import sys

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="jaxg2", description="Differentiable fits of new-physics explanations of the muon g-2.")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")
    from .infer.distributed import parent_parser

    multi = [parent_parser()]  # --coordinator/--num-processes/--process-id
    f = sub.add_parser("fit", help="NUTS posterior of a config; writes InferenceData, summary, plots", parents=multi)
    f.add_argument("config", help="TOML fit configuration")
    f.add_argument("--output", "-o", help="output directory (overrides fit.output)")
    f.add_argument("--resume", action="store_true", help="continue an interrupted run from its checkpoint")
    f.add_argument("--fast", action="store_true", default=None, help="apply the [fast] overrides (as JAXG2_FAST=1)")
    f.add_argument("--quiet", "-q", action="store_true", help="no progress bar or summary print-out")
    f.add_argument("--vars", help="comma-separated posterior variables for corner.png "
                                  "(default: the sampled parameters and delta_a_mu)")

    for name, text in (("search", "gradient-based benchmark points (optax multi-start)"),
                       ("scan", "vectorised 1-D/2-D parameter map")):
        s = sub.add_parser(name, help=text, parents=multi)
        s.add_argument("config", help="TOML fit configuration")
        s.add_argument("--output", "-o", help="output directory (overrides fit.output)")
        s.add_argument("--fast", action="store_true", default=None, help="apply the [fast] overrides")

    sc = sub.choices["scan"]
    sc.add_argument("--resume", action="store_true", help="keep the chunks an interrupted scan finished")
    sc.add_argument("--quiet", "-q", action="store_true", help="no progress bar")

    for name, text in (("evidence", "log Z by nested sampling (jaxns); writes evidence.json and evidence.nc"),
                       ("compare", "log Z of several configs and Bayes factors against a reference")):
        e = sub.add_parser(name, help=text, parents=multi if name == "evidence" else [])
        if name == "evidence":
            e.add_argument("config", help="TOML fit configuration")
            e.add_argument("--output", "-o", help="output directory (overrides fit.output)")
        else:
            e.add_argument("configs", nargs="+", help="TOML fit configurations")
            e.add_argument("--reference", "-r", action="append", help="reference config (default: the first "
                           "config); repeat it for one reference per scenario; for the SM write Δa_μ^NP = 0, "
                           "as fits/sm_2021.toml")
        e.add_argument("--fast", action="store_true", default=None, help="apply the [fast] overrides")
        e.add_argument("--quiet", "-q", action="store_true", help="no progress lines")
        e.add_argument("--live", type=int, help="live points (root lineages; default 30 per free parameter)")
        e.add_argument("--slices", type=int, help="slice steps per replacement (default 5 per free parameter)")

    sub.add_parser("models", help="list the available models (built-in and installed through entry points)")

    sh = sub.add_parser("show", help="every observable of a model at one point, with units")
    sh.add_argument("model", help="model name (see `jaxg2 models`) or package.module:ATTR")
    sh.add_argument("--point", help="benchmark point name (default: the model's first, else prior centres)")
    sh.add_argument("--set", nargs="+", default=[], metavar="NAME=VALUE", help="override parameter values")
    sh.add_argument("--constraints", action="store_true",
                    help="one table of every constraint: value, limit, allowed/excluded, family, source and year")
    return p


class _UsageError(Exception):
    pass


def _cmd_models(args):
    from . import models

    from .models import loader

    names = models.available() + sorted(set(loader.entry_points()) - set(models.available()))
    if not names:
        print("no models installed")
    for n in names:
        try:
            m = loader.load(n)
        except Exception as exc:  # a model module that fails to import must not hide the others
            print(f"{n:22s} (failed to load: {exc})")
            continue
        pars = ", ".join(m.parameter_names)
        print(f"{n:22s} {m.description}\n{'':22s} reference: {m.reference}\n{'':22s} parameters: {pars}\n"
              f"{'':22s} benchmarks: {', '.join(m.benchmarks) or '-'}")


def _cmd_show(args):
    import jax.numpy as jnp
    import numpy as np

    from .config import ConfigError, resolve_model

    try:
        m = resolve_model(args.model)
    except ConfigError as exc:
        raise _UsageError(str(exc).replace("fit.model: ", "")) from None
    if args.point is not None:
        if args.point not in m.benchmarks:
            raise _UsageError(f"--point: model {m.name!r} has no benchmark {args.point!r}; "
                              f"it has {', '.join(m.benchmarks) or 'none'}")
        theta = m.benchmark(args.point)
    else:
        theta = m.default_point()
    for item in args.set:
        name, eq, value = item.partition("=")
        if not eq or name not in m.parameter_names:
            raise _UsageError(f"--set {item!r}: expected NAME=VALUE with NAME one of {', '.join(m.parameter_names)}")
        try:
            x = float(value)
        except ValueError:
            raise _UsageError(f"--set {item!r}: {value!r} is not a number") from None
        par = m.parameter(name)
        lo, hi = par.physical_range
        if not math.isfinite(x) or not lo <= x <= hi:
            raise _UsageError(f"--set {item!r}: {name} must be a finite number in its physical range "
                              f"[{lo:g}, {hi:g}] {par.unit}")
        theta[name] = jnp.asarray(x, dtype=jnp.float64)
    obs, cons = point_report(m, theta)
    fmt = lambda v: np.array2string(np.asarray(v), precision=6) if np.ndim(v) else f"{float(v):.6g}"  # noqa: E731
    print(f"model {m.name} — {m.description}")
    print("parameters:")
    for p in m.parameters:
        print(f"  {p.name:24s} {fmt(theta[p.name]):>14s}  {p.unit}")
    from .display import display_value
    from .models import invalid_observables

    invalid = invalid_observables(m, obs, theta)
    print("observables:")
    for k, v in obs.items():
        if k in invalid:
            print(f"  {k:24s} {'INVALID':>14s}  ({invalid[k]})")
        else:
            shown, label = display_value(k, m.units.get(k, "?"), np.asarray(v))
            print(f"  {k:24s} {fmt(shown):>14s}  {label}")
    if args.constraints:
        print(constraint_table(m, obs, cons, invalid))
    elif m.constraints:
        print("constraints (hard):")
        for c in m.constraints:
            tag = "" if c.default else " (not default)"
            if c.name not in cons:
                print(f"  {c.name:24s} n/a       observable {c.observable!r} not computed by the model{tag}")
                continue
            _, bound, ok = cons[c.name]
            ok = bool(np.all(ok))
            print(f"  {c.name:24s} {'allowed ' if ok else 'EXCLUDED'}  {c.observable} vs {c.kind} {fmt(bound)}{tag}")


def point_report(m, theta) -> tuple[dict, dict]:
    """Every observable of model ``m`` at one point, and each computable constraint's
    ``(value, bound, satisfied)``, as NumPy arrays, from ONE compiled call through the
    persistent compilation cache (:mod:`jaxg2.compilation`): the program's shape does not
    depend on the point, so after the first ``show`` of a model every point loads its
    traced form (:func:`jaxg2.compilation.exported_call`) and its compiled code instead
    of tracing and compiling it (op-by-op evaluation compiles hundreds of small programs, and
    ``jax.disable_jit`` was no faster: measured 48 s and 43 s against 31 s compiled, for
    scotogenic_u1d on a loaded 2-core machine)."""
    import numpy as np

    from . import compilation

    def evaluate(th):
        obs = m.observables(th)
        cons = {c.name: (c.value(obs), c.bound(obs), c.satisfied(obs)) for c in m.constraints
                if c.observable in obs and (c.mass is None or c.mass in obs)}
        return obs, cons

    obs, cons = compilation.exported_call(f"show-{m.name}", evaluate, (theta,), defined_by=m.observables)
    return ({k: np.asarray(v) for k, v in obs.items()},
            {k: tuple(np.asarray(x) for x in v) for k, v in cons.items()})


def constraint_table(m, obs, cons, invalid) -> str:
    """Every constraint of model ``m``: one row each with the compared value, the limit,
    allowed/EXCLUDED (hard form; for measurements the pull (value − measured)/σ),
    family, source and year.  ``obs``, ``cons``: from :func:`point_report`; ``invalid``:
    :func:`jaxg2.models.invalid_observables`.
    Library constraints on coupling ratios show r = (couplings)/(limit) against 1."""
    import numpy as np

    def num(v):
        v = np.asarray(v)
        return np.array2string(v, precision=3) if v.ndim else f"{float(v):.4g}"

    rows = [("constraint", "value", "limit", "status", "family", "source (year)")]
    for c in m.constraints:
        src, year = c.provenance()
        prov = f"{src} ({year})" if year else (src or ("theory" if c.entry is None else ""))
        e = c.registry_entry()
        if e is not None and e.extra.get("unverified"):
            prov += " [UNVERIFIED]"
        if c.name not in cons:
            rows.append((c.name, "n/a", "", "n/a", c.family, prov))
            continue
        if c.observable in invalid:
            rows.append((c.name, "INVALID", "", "n/a", c.family, prov + f"  [{invalid[c.observable]}]"))
            continue
        value, bound, ok = cons[c.name]
        if c.kind == "gaussian":  # a measurement: report the pull, not a verdict
            e = c.registry_entry()
            pull = (float(value) - e.value) / e.sigma
            status = f"pull {pull:+.1f}σ" + ("" if c.default else " (off)")
        else:
            status = ("allowed" if bool(np.all(ok)) else "EXCLUDED") + ("" if c.default else " (off)")
        kind = {"upper": "< ", "lower": "> ", "curve": "< ", "interval": "in ", "gaussian": "~ "}[c.kind]
        if c.kind == "gaussian":
            bound_s = f"{num(bound)} ± {c.registry_entry().sigma:.3g}"
        else:
            bound_s = num(bound)
        rows.append((c.name, num(value), kind + bound_s, status, c.family, prov))
    widths = [max(len(r[i]) for r in rows) for i in range(5)]
    lines = ["  ".join(r[i].ljust(widths[i]) for i in range(5)) + "  " + r[5] for r in rows]
    return "\n".join(lines[:1] + ["-" * len(lines[0])] + lines[1:])


def _cmd_evidence(args):
    from .infer.distributed import is_main

    for flag in ("live", "slices"):
        if getattr(args, flag) is not None and getattr(args, flag) < 1:
            raise _UsageError(f"--{flag}: expected a positive integer, got {getattr(args, flag)}")
    opts = {"fast": args.fast, "progress": not args.quiet, "num_live_points": args.live, "num_slices": args.slices}
    if args.command == "evidence":
        from .infer.evidence import evidence

        # several processes: nested sampling is one sequential run, so every process computes
        # the same (seeded) answer and process 0 alone writes and prints it
        res = evidence(args.config, output=args.output if is_main() else False, **opts)
        if not is_main():
            return
        print(f"log Z = {res.log_z:.4f} ± {res.log_z_err:.4f}  ({res.num_likelihood_evaluations} likelihood "
              f"evaluations, {res.wall_time_s:.1f} s, seed {res.seed})")
        print(f"wrote {res.output_dir}/ (evidence.json, evidence.nc)")
    else:
        from .infer.compare import compare

        print(compare(args.configs, reference=args.reference, **opts).table)


def _in_worker(fn):
    """``fn()`` in a worker thread while the main thread waits in short, interruptible
    joins, so that ^C acts at once in every phase: CPython runs signal handlers only in
    the main thread and only between bytecodes, and JAX keeps the calling thread in C++
    for the whole of a compilation (minutes for a large model).  The worker's exception
    or return value is passed on; a ``KeyboardInterrupt`` reaches the caller while the
    worker may still run (:func:`_interrupted` ends the process)."""
    import threading

    result = {}

    def target():
        try:
            result["value"] = fn()
        except BaseException as exc:  # noqa: BLE001 (re-raised in the main thread)
            result["error"] = exc

    worker = threading.Thread(target=target, name="jaxg2-command", daemon=True)
    worker.start()
    while worker.is_alive():
        worker.join(0.25)
    if "error" in result:
        raise result["error"]
    return result.get("value")


def _interrupted(args) -> None:
    """One line saying how to continue, then exit with status 130 at once.  The worker
    thread may be inside a compilation that cannot be cancelled, so the process ends
    with ``os._exit`` after flushing; every output file (checkpoint included) is written
    to a temporary name and renamed, so the last checkpoint is intact."""
    import os

    if args.command in ("fit", "scan"):
        again = f"jaxg2 {args.command} {args.config}" + (f" --output {args.output}" if args.output else "") \
            + (" --fast" if args.fast else "") + " --resume"
    if args.command == "fit":
        msg = f"jaxg2: interrupted; the last checkpoint is intact — continue with `{again}`"
    elif args.command == "scan":
        msg = f"jaxg2: interrupted; finished chunks are kept — continue with `{again}`"
    else:
        msg = "jaxg2: interrupted"
    try:
        sys.stdout.flush()
        print(f"\n{msg}", file=sys.stderr, flush=True)
    finally:
        os._exit(130)


def main(argv=None) -> int:
    args = _parser().parse_args(argv)
    try:
        from .infer import distributed

        if hasattr(args, "coordinator"):
            try:
                distributed.initialize(args.coordinator, args.num_processes, args.process_id)  # before any JAX work
            except ValueError as exc:
                print(f"jaxg2: error: {exc}", file=sys.stderr)
                return 2
        return _in_worker(lambda: _main(args))
    except KeyboardInterrupt:
        _interrupted(args)
        return 130  # not reached (os._exit)


def _main(args) -> int:
    from .infer.distributed import is_main

    from .config import ConfigError
    from .experiments import RegistryError
    from .infer.nuts import ResumeError

    try:
        if args.command == "models":
            _cmd_models(args)
        elif args.command == "show":
            _cmd_show(args)
        elif args.command == "fit":
            import warnings

            from .infer import SamplingWarning, fit

            with warnings.catch_warnings():
                warnings.simplefilter("ignore", SamplingWarning)  # printed below, once
                res = fit(args.config, output=args.output, resume=args.resume, fast=args.fast,
                          progress=not args.quiet,
                          corner_vars=[v.strip() for v in args.vars.split(",")] if args.vars else None)
            if is_main():
                print(f"wrote {res.output_dir}/ (posterior.nc, summary.csv, corner.png, trace.png)")
            for w in res.warnings if is_main() else ():
                print(f"WARNING: {w}", file=sys.stderr)
        elif args.command == "search":
            from .infer import search

            res = search(args.config, fast=args.fast, output=args.output)
            if is_main():
                print(res.table)
                print(f"wrote {res.csv_path} and {res.json_path}")
        elif args.command == "scan":
            from .infer import scan

            res = scan(args.config, fast=args.fast, output=args.output, resume=args.resume, progress=not args.quiet)
            if not is_main():
                return 0
            n_ok = int(res.allowed_all.sum())
            n_1s = int((abs(res.pull) <= 1).sum())
            print(f"{res.pull.size} grid points: {n_1s} within 1σ of Δa_μ, {n_ok} allowed by every constraint, "
                  f"{int(((abs(res.pull) <= 1) & res.allowed_all).sum())} both")
            print(f"wrote {res.path} and {res.png_path}")
        elif args.command in ("evidence", "compare"):
            _cmd_evidence(args)
    except (ConfigError, ResumeError, RegistryError, _UsageError) as exc:
        print(f"jaxg2: error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
