"""``jaxg2.search``: gradient-based benchmark points by multi-start optimisation.

``num_starts`` prior draws of the free parameters, mapped to NumPyro's unconstrained
space, each minimise −log p (Δa_μ Gaussian + *smooth* constraint penalties + log
prior density in the prior's own coordinates, no Jacobian — flat directions stay
flat, so the starts keep their spread along degenerate valleys) with optax Adam (step size
cosine-decayed to 1% of ``learning_rate``) for
``num_steps`` steps — all starts at once (``vmap``), split over the local devices
when there are several.  A final point is **accepted** when every chosen
constraint holds in its *hard* form and |Δa − Δa_exp| ≤ ``n_sigma`` σ.  Accepted
points are made **distinct** greedily (best potential first): a point is kept when
it lies farther than ``min_distance`` from every kept point in prior-box units
(each free parameter scaled to [0, 1] over its prior range, in log for log-uniform
priors).

**Targets mode** (``[search] targets = { obs = [value, tol], ... }``): find points that
reproduce given observable values (e.g. a paper's benchmark table).  Each target adds
½((o − value)/tol)² to the objective, and a point is accepted only when every
|o − value| ≤ tol as well.  Set ``n_sigma = inf`` to drop the Δa_μ acceptance for a
model that does not address it.

Cost: each Adam step is one value-and-gradient evaluation of the model per start; one
**round** costs ``num_starts × (num_steps + 1)`` (the +1 is the final check).  Without
``max_evaluations`` the search runs one round; with it, further rounds (fresh starts)
follow while fewer than ``max_points`` distinct points are found and the next round fits
in the budget.  ``n_evaluations`` reports what was spent.
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

__all__ = ["search", "SearchResult", "optimise", "accept_mask", "distinct_points", "target_penalty"]


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


def target_penalty(problem: Problem, u, targets) -> jnp.ndarray:
    """Σ_k ½((o_k − value_k)/tol_k)² over the ``targets`` {observable: (value, tol)} at ``u``."""
    if not targets:
        return jnp.zeros(())
    names = tuple(sorted(targets))
    obs = problem.likelihood_observables(problem.theta(problem.free_values(u)), keys=names)
    z = [(obs[k] - targets[k][0]) / targets[k][1] for k in names]
    pen = 0.5 * sum(zk**2 for zk in z)
    return jnp.where(jnp.isnan(pen), jnp.inf, pen)


def optimise(problem: Problem, u0: dict, num_steps: int, learning_rate: float, overrides=None, targets=None,
             return_grad: bool = False):
    """Adam on ``problem.neg_log_posterior`` (+ :func:`target_penalty`) from the batch of
    unconstrained starts ``u0``.

    ``overrides`` (param → batch of values) pins parameters per batch member.
    Returns (final u, final objective), batched like ``u0``, and with ``return_grad``
    also the objective's gradient at the final u (unmasked: non-finite entries stay).
    The compiled optimiser is kept on ``problem`` per (steps, rate, targets, batch
    layout), so repeated rounds and scan chunks do not trace and compile it again.
    """
    batch = next(iter(u0.values())).shape[0]
    n_dev = devices.device_count_for(batch)
    tkey = tuple(sorted((targets or {}).items()))
    key = (num_steps, float(learning_rate), tkey, overrides is not None, n_dev)
    cache = problem.__dict__.setdefault("_optimisers", {})
    if key not in cache:
        cache[key] = _build_optimiser(problem, num_steps, learning_rate, dict(tkey), overrides is not None, n_dev)
    problem.wait_compiled()
    u, val, grad = cache[key](devices.put(u0, n_dev), devices.put(overrides, n_dev) if overrides else overrides)
    return (u, val, grad) if return_grad else (u, val)


def _build_optimiser(problem: Problem, num_steps, learning_rate, targets, with_overrides, n_dev):
    # the step size decays (cosine) to 1% over the run: large steps find the valley, the
    # small final ones settle in it (targets with tight tolerances need that precision)
    opt = optax.adam(optax.cosine_decay_schedule(learning_rate, num_steps, alpha=0.01))

    def single(u, ov):
        def loss(v):
            val = problem.neg_log_posterior(v, ov)
            return val + target_penalty(problem, v, targets) if targets else val

        vg = jax.value_and_grad(loss)

        # num_steps + 1 evaluations; the last one only reports the objective and its
        # gradient at the final point.  One copy of the model's value-and-gradient in the
        # program (a separate final forward evaluation would be a second copy to compile).
        def body(carry, i):
            v, st, _, _ = carry
            val, g_raw = vg(v)
            g = jax.tree.map(lambda x: jnp.where(jnp.isfinite(x), x, 0.0), g_raw)
            upd, st = opt.update(g, st, v)
            v = jax.tree.map(lambda a, b: jnp.where(i < num_steps, b, a), v, optax.apply_updates(v, upd))
            return (v, st, val, g_raw), None

        zero = jax.tree.map(jnp.zeros_like, u)
        (u, _, val, grad), _ = lax.scan(body, (u, opt.init(u), jnp.zeros(()), zero), jnp.arange(num_steps + 1))
        return u, val, grad

    return devices.sharded(jax.vmap(single), n_dev, in_specs=(0, 0 if with_overrides else None),
                           out_specs=(0, 0, 0))


def accept_mask(problem: Problem, evaluation: dict, n_sigma: float, targets=None):
    """Every hard constraint holds, |pull| ≤ n_sigma and every target within its
    tolerance (element-wise)."""
    ok = jnp.abs(evaluation["pull"]) <= n_sigma
    for allowed in evaluation["allowed"].values():
        ok = ok & allowed
    for k, (value, tol) in (targets or {}).items():
        ok = ok & (jnp.abs(evaluation["observables"][k] - value) <= tol)
    return ok


def _evaluate(problem: Problem, hard: Problem, u):
    """(theta, hard evaluation) at the optimisers' end points ``u`` (batched)."""
    theta = problem.theta(jax.vmap(problem.free_values)(u))
    return theta, jax.vmap(hard.evaluate)(theta)  # vmap: models need only be vmap-able, not broadcastable


def _concat(rounds):
    """The rounds' (theta, evaluation, objective, accepted) joined along the start axis."""
    cat = lambda *xs: np.concatenate([np.asarray(x) for x in xs])  # noqa: E731
    return tuple(jax.tree.map(cat, *parts) for parts in zip(*rounds))


def distinct_points(box, pot, ok, min_distance: float, limit: int) -> list[int]:
    """Accepted indices, best objective first, each farther than ``min_distance`` from
    every index kept before (prior-box units); at most ``limit``."""
    kept: list[int] = []
    for i in np.argsort(pot):
        if not ok[i]:
            continue
        if all(np.linalg.norm(box[i] - box[j]) > min_distance for j in kept):
            kept.append(i)
            if len(kept) >= limit:
                break
    return kept


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
    targets = s["targets"]
    problem = Problem(cfg, smooth=True)
    hard = Problem(cfg, smooth=False)
    n_starts = s["num_starts"]
    round_cost = n_starts * (s["num_steps"] + 1)
    budget = s["max_evaluations"]
    if budget is not None and budget < round_cost:
        raise config_mod.ConfigError("search.max_evaluations", f"{budget} is below one round "
                                     f"(num_starts × (num_steps + 1) = {round_cost})")
    lo, hi = distributed.share(n_starts)  # several processes: each optimises its share
    evaluate = jax.jit(lambda u: _evaluate(problem, hard, u))
    rounds, n_eval = [], 0
    while True:
        key = jax.random.fold_in(jax.random.PRNGKey(s["seed"]), len(rounds)) if rounds else jax.random.PRNGKey(s["seed"])
        u0 = problem.prior_draws(key, n_starts)
        u, pot = optimise(problem, {k: v[lo:hi] for k, v in u0.items()}, s["num_steps"], s["learning_rate"],
                          targets=targets)
        u, pot = distributed.allgather_concat((u, pot), distributed.counts(n_starts))
        theta, ev = evaluate(u)
        ok = np.asarray(accept_mask(hard, ev, s["n_sigma"], targets)) & np.isfinite(np.asarray(pot))
        rounds.append((theta, ev, np.asarray(pot), ok))
        n_eval += round_cost
        theta, ev, pot, ok = _concat(rounds)
        kept = distinct_points(np.asarray(problem.box_coordinates(theta)), pot, ok, s["min_distance"], s["max_points"])
        if budget is None or len(kept) >= s["max_points"] or n_eval + round_cost > budget:
            break

    points = []
    for i in kept:
        p = {n: _scalar(theta[n][i]) for n in cfg.model.parameter_names}
        p.update({k: _scalar(v[i]) for k, v in ev["observables"].items() if k not in p})
        p["delta_a_mu_pull"] = _scalar(ev["pull"][i])
        p["minus_log_posterior"] = _scalar(pot[i])
        points.append(p)
    table = _format_table(points, problem)
    header = (f"{len(points)} distinct points ({int(ok.sum())} of {len(ok)} starts accepted in {len(rounds)} "
              f"round(s); {n_eval} model evaluations with gradient); Δa_μ scenario {cfg.scenario}")
    if targets:
        header += "; targets " + ", ".join(f"{k} = {v:.4g} ± {t:.2g}" for k, (v, t) in targets.items())
    table = header + "\n" + table
    csv_path = json_path = None
    if write and distributed.is_main():
        outdir = Path(cfg.output) / "search"
        outdir.mkdir(parents=True, exist_ok=True)
        units = {n: cfg.model.parameter(n).unit for n in cfg.model.parameter_names}
        units.update({k: u_ for k, u_ in cfg.model.units.items() if k not in units})
        json_path, csv_path = outdir / "points.json", outdir / "points.csv"
        record = {"model": cfg.model.name, "scenario": cfg.scenario, "n_evaluations": n_eval,
                  "n_accepted": int(ok.sum()), "num_starts": s["num_starts"], "rounds": len(rounds),
                  "targets": {k: {"value": v, "tol": t} for k, (v, t) in targets.items()}, "units": units,
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
