"""``jaxg2.search``: gradient-based benchmark points by multi-start optimisation.

``num_starts`` prior draws of the free parameters, mapped to NumPyro's unconstrained
space, each minimise −log p (Δa_μ Gaussian + *smooth* constraint penalties + log
prior density in the prior's own coordinates, no Jacobian — flat directions stay
flat, so the starts keep their spread along degenerate valleys) with optax Adam for
``num_steps`` steps — all starts at once (``vmap``), split over the local devices
when there are several.  A final point is **accepted** when every chosen
constraint holds in its *hard* form and |Δa − Δa_exp| ≤ ``n_sigma`` σ.  Accepted
points are made **distinct** greedily (best potential first): a point is kept when
it lies farther than ``min_distance`` from every kept point in prior-box units
(each free parameter scaled to [0, 1] over its prior range, in log for log-uniform
priors).

Cost: each Adam step is one value-and-gradient evaluation of the model per start;
``n_evaluations = num_starts × (num_steps + 1)`` (the +1 is the final check).
"""

from __future__ import annotations

import csv
import io
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

import jax
import jax.numpy as jnp
import numpy as np
import optax
from jax import lax

from .. import config as config_mod
from . import devices, distributed
from .problem import Problem

__all__ = ["search", "SearchResult", "optimise", "accept_mask"]


@dataclass
class SearchResult:
    """Distinct accepted points (``points``: dicts of parameter and observable values)."""

    points: list[dict]
    n_evaluations: int
    n_accepted: int
    table: str
    csv_path: Path | None
    json_path: Path | None
    config: object = field(repr=False, default=None)

    def __str__(self):
        return self.table


def optimise(problem: Problem, u0: dict, num_steps: int, learning_rate: float, overrides=None):
    """Adam on ``problem.neg_log_posterior`` from the batch of unconstrained starts ``u0``.

    ``overrides`` (param → batch of values) pins parameters per batch member.
    Returns (final u, final potential), batched like ``u0``.
    """
    opt = optax.adam(learning_rate)

    def single(u, ov):
        loss = lambda v: problem.neg_log_posterior(v, ov)  # noqa: E731
        vg = jax.value_and_grad(loss)

        def body(carry, _):
            v, st = carry
            val, g = vg(v)
            g = jax.tree.map(lambda x: jnp.where(jnp.isfinite(x), x, 0.0), g)
            upd, st = opt.update(g, st, v)
            return (optax.apply_updates(v, upd), st), val

        (u, _), _ = lax.scan(body, (u, opt.init(u)), None, length=num_steps)
        return u, loss(u)

    batch = next(iter(u0.values())).shape[0]
    n_dev = devices.device_count_for(batch)
    fn = devices.sharded(jax.vmap(single), n_dev, in_specs=(0, 0 if overrides else None), out_specs=(0, 0))
    return fn(devices.put(u0, n_dev), devices.put(overrides, n_dev) if overrides else overrides)


def accept_mask(problem: Problem, evaluation: dict, n_sigma: float):
    """Every hard constraint holds and |pull| ≤ n_sigma (element-wise)."""
    ok = jnp.abs(evaluation["pull"]) <= n_sigma
    for allowed in evaluation["allowed"].values():
        ok = ok & allowed
    return ok


def _scalar(v):
    a = np.asarray(v)
    return float(a) if a.ndim == 0 else a.tolist()


def _format_table(points, problem: Problem) -> str:
    m = problem.model
    cols = list(m.parameter_names) + [m.signal]
    heads = [f"{c} [{m.parameter(c).unit if c in m.parameter_names else m.units.get(c, '')}]" for c in cols]
    rows = [[f"{p[c]:.4g}" if isinstance(p[c], float) else str(p[c]) for c in cols] for p in points]
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(heads)]
    line = lambda cells: "  ".join(c.rjust(w) for c, w in zip(cells, widths))  # noqa: E731
    return "\n".join([line(heads), line(["-" * w for w in widths])] + [line(r) for r in rows])


def search(config, *, fast: bool | None = None, output=None, write: bool = True) -> SearchResult:
    """Find distinct benchmark points for a config (see module docstring).

    Writes ``<output>/search/points.csv`` and ``points.json`` unless ``write=False``.
    """
    cfg = config_mod.load(config, fast=fast, output=output)
    s = cfg.search
    problem = Problem(cfg, smooth=True)
    hard = Problem(cfg, smooth=False)
    key = jax.random.PRNGKey(s["seed"])
    u0 = problem.prior_draws(key, s["num_starts"])
    lo, hi = distributed.share(s["num_starts"])  # several processes: each optimises its share
    u, pot = optimise(problem, {k: v[lo:hi] for k, v in u0.items()}, s["num_steps"], s["learning_rate"])
    u, pot = distributed.allgather_concat((u, pot), distributed.counts(s["num_starts"]))
    values = jax.jit(jax.vmap(problem.constrain))(u)
    theta = problem.theta({n: values[n] for n in problem.free})
    ev = jax.jit(jax.vmap(hard.evaluate))(theta)  # vmap: models need only be vmap-able, not broadcastable
    ok = np.asarray(accept_mask(hard, ev, s["n_sigma"])) & np.isfinite(np.asarray(pot))
    n_eval = s["num_starts"] * (s["num_steps"] + 1)

    box = np.asarray(problem.box_coordinates(theta))
    order = [i for i in np.argsort(np.asarray(pot)) if ok[i]]
    kept: list[int] = []
    for i in order:
        if all(np.linalg.norm(box[i] - box[j]) > s["min_distance"] for j in kept):
            kept.append(i)
        if len(kept) >= s["max_points"]:
            break
    points = []
    for i in kept:
        p = {n: _scalar(theta[n][i]) for n in cfg.model.parameter_names}
        p.update({k: _scalar(v[i]) for k, v in ev["observables"].items() if k not in p})
        p["delta_a_mu_pull"] = _scalar(ev["pull"][i])
        p["minus_log_posterior"] = _scalar(pot[i])
        points.append(p)
    table = _format_table(points, problem)
    header = (f"{len(points)} distinct points ({int(ok.sum())} of {s['num_starts']} starts accepted; "
              f"{n_eval} model evaluations with gradient); Δa_μ scenario {cfg.scenario}")
    table = header + "\n" + table
    csv_path = json_path = None
    if write and distributed.is_main():
        outdir = Path(cfg.output) / "search"
        outdir.mkdir(parents=True, exist_ok=True)
        units = {n: cfg.model.parameter(n).unit for n in cfg.model.parameter_names}
        units.update({k: u_ for k, u_ in cfg.model.units.items() if k not in units})
        json_path, csv_path = outdir / "points.json", outdir / "points.csv"
        record = {"model": cfg.model.name, "scenario": cfg.scenario, "n_evaluations": n_eval,
                  "n_accepted": int(ok.sum()), "num_starts": s["num_starts"], "units": units,
                  "registry": hard.record(), "points": points}
        tmp = json_path.with_name("points.json.tmp")
        tmp.write_text(json.dumps(record, indent=1, default=str))
        os.replace(tmp, json_path)
        buf = io.StringIO()
        if points:
            scalar_keys = [k for k in points[0] if not isinstance(points[0][k], list)]
            w = csv.writer(buf)
            w.writerow([f"{k} [{units.get(k, '1')}]" for k in scalar_keys])
            for p in points:
                w.writerow([repr(p[k]) for k in scalar_keys])
        tmp = csv_path.with_name("points.csv.tmp")
        tmp.write_text(buf.getvalue())
        os.replace(tmp, csv_path)
    return SearchResult(points=points, n_evaluations=n_eval, n_accepted=int(ok.sum()), table=table,
                        csv_path=csv_path, json_path=json_path, config=cfg)
