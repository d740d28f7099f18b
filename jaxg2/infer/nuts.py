"""NUTS in checkpointed blocks: resumable, bit-for-bit reproducible, multi-device.

The sampler is NumPyro's :class:`~numpyro.infer.NUTS` kernel driven by our own loop:
``num_warmup + num_samples`` iterations of ``kernel.sample`` split into blocks of
``checkpoint_every`` iterations.  One block is one compiled ``lax.scan`` of fixed
length (iterations past the end of a phase are skipped with ``lax.cond``), so every
block runs the same executable and a run split into blocks differs from no other
run with the same seed and block size.  Chains are vectorised (``vmap``) on one
device and split over all local devices with ``shard_map`` when there are several
(``chain_method = "parallel"``; ``"auto"`` picks it when more than one device divides
``num_chains``).

After every block the complete sampler state (position, gradient, step size, mass
matrix, adaptation windows, PRNG keys) and all draws so far are written to
``checkpoint.npz`` — to a temporary file first, then ``os.replace``d, so an
interrupt leaves either the previous or the new checkpoint, never half of one.
``resume=True`` reloads it and continues: the draws equal those of an
uninterrupted run.  The checkpoint records a fingerprint of the configuration and
refuses to resume a different one.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax
from numpyro.infer import NUTS, init_to_sample

from . import devices
from .problem import Problem

__all__ = ["NutsDraws", "ResumeError", "run_nuts", "fingerprint", "STAT_NAMES"]

# sample-stat name (ArviZ convention) -> how to read it off the HMC state
STAT_NAMES = ("diverging", "lp", "energy", "n_steps", "acceptance_rate", "step_size")


class ResumeError(RuntimeError):
    """A checkpoint cannot be resumed (missing, corrupt, or from another configuration)."""


@dataclass
class NutsDraws:
    """Unconstrained draws ``z[site]`` of shape (chains, draws, ...) and sample stats."""

    z: dict
    stats: dict
    n_devices: int
    chain_method: str
    complete: bool
    iterations_done: int


def fingerprint(problem: Problem) -> str:
    """Hash of everything that determines the draws (model, priors, likelihood, sampler, seed)."""
    cfg = problem.cfg
    record = {"model": cfg.model_ref, "scenario": cfg.scenario, "seed": cfg.seed,
              "priors": {n: repr(p) for n, p in cfg.priors.items()}, "derived": cfg.derived,
              "constraints": cfg.constraints, "smooth": problem.smooth, "width": cfg.width,
              "sampler": {k: v for k, v in cfg.sampler.items() if k != "chain_method"},
              "registry": problem.record()["registry_version"]}
    return hashlib.sha256(json.dumps(record, sort_keys=True, default=str).encode()).hexdigest()[:16]


def _save_atomic(path: Path, arrays: dict):
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "wb") as fh:
        np.savez(fh, **arrays)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def _check_fingerprint(checkpoint: Path, fp: str):
    try:
        with np.load(checkpoint) as ck:
            saved = str(ck["fingerprint"])
    except (KeyError, ValueError, OSError) as exc:
        raise ResumeError(f"cannot resume from {checkpoint}: {exc}") from None
    if saved != fp:
        raise ResumeError(f"{checkpoint} was written by a different configuration (model, priors, "
                          "constraints, sampler settings or seed changed); run without --resume to start afresh")


def _chain_method(requested: str, num_chains: int) -> tuple[str, int]:
    n_dev = devices.device_count_for(num_chains)
    if requested == "vectorized" or n_dev == 1:
        return "vectorized", 1
    return "parallel", n_dev


def initial_positions(problem: Problem, key) -> dict:
    """Starting points of the chains (unconstrained, batched over chains).

    ``init = "optimize"`` (default): ``4 × num_chains`` prior draws are each improved by
    ``init_steps`` Adam steps on the smooth posterior (:func:`jaxg2.infer.search.optimise`)
    and the chains start from the best ones that have a finite potential.  Starting in
    the typical set spares the warmup its most expensive part (tiny step sizes and
    maximal trees far from the posterior, with all vectorised chains waiting for the
    slowest).  ``init = "prior"``: plain prior draws with a finite potential.
    """
    from .search import optimise

    s = problem.cfg.sampler
    n = s["num_chains"]
    smooth = Problem(problem.cfg, smooth=True)
    u = smooth.prior_draws(key, 4 * n)
    if s["init"] == "optimize":
        u, _ = optimise(smooth, u, s["init_steps"], 0.05)
    pot = np.asarray(jax.jit(jax.vmap(problem.potential))(u))
    pot = np.where(np.isfinite(pot), pot, np.inf)
    order = np.argsort(pot, kind="stable")
    if not np.isfinite(pot[order[0]]):
        raise RuntimeError("no valid starting point: every start violates a hard constraint; "
                           "widen the priors or set [constraints] smooth = true")
    order = np.resize(order[np.isfinite(pot[order])], n)  # repeat the valid ones if too few
    if s["init"] == "prior":
        order = np.sort(order)
    return {k: jnp.asarray(np.asarray(v)[order]) for k, v in u.items()}


def _compiled(problem: Problem, s, method: str, n_dev: int):
    """The NUTS kernel, its jitted initialisation and block function, cached on the problem
    (a second run of the same problem, e.g. a resume in a notebook, compiles nothing)."""
    key = (s["target_accept"], s["max_tree_depth"], s["dense_mass"], s["num_warmup"],
           s["num_chains"], s["checkpoint_every"], method, n_dev)
    cache = problem.__dict__.setdefault("_nuts_cache", {})
    if key in cache:
        return cache[key]
    # record=False: the sampler computes only the observables its likelihood needs;
    # all of them are evaluated afterwards, once, on the draws.
    kernel = NUTS(functools.partial(problem.numpyro_model, record=False), target_accept_prob=s["target_accept"],
                  max_tree_depth=s["max_tree_depth"], dense_mass=s["dense_mass"],
                  init_strategy=init_to_sample)
    # jit: one compilation instead of op-by-op dispatch of the initialisation (~5x faster)
    init_fn = jax.jit(lambda k, z0: kernel.init(k, s["num_warmup"], init_params=z0, model_args=(), model_kwargs={}))
    sites = problem.sites
    block = s["checkpoint_every"]

    def step(st):
        return kernel.sample(st, (), {})

    def run_block(st, n_active):
        def body(carry, i):
            new = lax.cond(i < n_active, step, lambda c: c, carry)
            out = {"z": {k: new.z[k] for k in sites}, "diverging": new.diverging,
                   "lp": -new.potential_energy, "energy": new.energy, "n_steps": new.num_steps,
                   "acceptance_rate": new.accept_prob, "step_size": new.adapt_state.step_size}
            return new, out
        return lax.scan(body, st, jnp.arange(block))

    # batch axis: chains (axis 0 of the state; axis 1 of the per-iteration outputs)
    out_axes = {"z": {k: 1 for k in sites}, **{k: 1 for k in STAT_NAMES}}
    block_fn = devices.sharded(run_block, n_dev, in_specs=(0, None), out_specs=(0, out_axes))
    cache[key] = (kernel, init_fn, block_fn)
    return cache[key]


def run_nuts(problem: Problem, checkpoint: Path | None = None, *, resume: bool = False,
             progress: bool = True, max_blocks: int | None = None,
             chains: tuple[int, int] | None = None) -> NutsDraws:
    """Run (or resume) NUTS for ``problem``; see the module docstring.

    ``max_blocks`` stops after that many blocks in this call (returns an incomplete
    :class:`NutsDraws`; the checkpoint allows resuming) — used to test interruption.
    ``chains = (lo, hi)`` runs only the chains lo..hi-1 of ``num_chains`` (their keys
    and starting points are those of the full run, so their draws equal the full
    run's): one process' share in :mod:`jaxg2.infer.distributed`.
    """
    s = problem.cfg.sampler
    num_warmup, num_samples = s["num_warmup"], s["num_samples"]
    lo, hi = (0, s["num_chains"]) if chains is None else chains  # distributed: this process' chains
    num_chains = hi - lo
    block = s["checkpoint_every"]
    total = num_warmup + num_samples
    method, n_dev = _chain_method(s["chain_method"], num_chains)

    fp = fingerprint(problem)
    if resume and checkpoint is not None and checkpoint.exists():
        _check_fingerprint(checkpoint, fp)  # before compiling anything
    _, init_fn, block_fn = _compiled(problem, s, method, n_dev)
    keys = jax.random.split(jax.random.PRNGKey(problem.cfg.seed), s["num_chains"])[lo:hi]
    z0 = initial_positions(problem, jax.random.fold_in(jax.random.PRNGKey(problem.cfg.seed), 1))
    state = init_fn(keys, {k: v[lo:hi] for k, v in z0.items()})
    leaves, treedef = jax.tree.flatten(state)
    sites = problem.sites
    z_shapes = {k: np.shape(state.z[k])[1:] for k in sites}
    draws = {k: np.zeros((num_chains, num_samples) + z_shapes[k]) for k in sites}
    stats = {k: np.zeros((num_chains, num_samples), dtype=bool if k == "diverging" else (np.int64 if k == "n_steps" else np.float64))
             for k in STAT_NAMES}
    done = 0

    if resume and checkpoint is not None and checkpoint.exists():
        try:
            with np.load(checkpoint) as ck:
                done = int(ck["done"])
                saved = [ck[f"state_{i}"] for i in range(len(leaves))]
                for k in sites:
                    draws[k] = np.array(ck[f"z_{k}"])
                for k in STAT_NAMES:
                    stats[k] = np.array(ck[f"stat_{k}"])
        except (KeyError, ValueError, OSError) as exc:
            raise ResumeError(f"cannot resume from {checkpoint}: {exc}") from None
        state = jax.tree.unflatten(treedef, [jnp.asarray(a, dtype=l.dtype) for a, l in zip(saved, leaves)])

    state = devices.put(state, n_dev)

    bar = None
    if progress:
        from tqdm.auto import tqdm

        bar = tqdm(total=total, initial=done, desc="NUTS", unit="it", dynamic_ncols=True)
    blocks_run = 0
    try:
        while done < total and (max_blocks is None or blocks_run < max_blocks):
            # a block never straddles the warmup/sampling boundary
            end = min(done + block, num_warmup if done < num_warmup else total)
            n = end - done
            state, out = block_fn(state, jnp.asarray(n))
            if done >= num_warmup:
                a, b = done - num_warmup, end - num_warmup
                for k in sites:
                    draws[k][:, a:b] = np.swapaxes(np.asarray(out["z"][k][:n]), 0, 1)
                for k in STAT_NAMES:
                    stats[k][:, a:b] = np.swapaxes(np.asarray(out[k][:n]), 0, 1)
            done = end
            blocks_run += 1
            if checkpoint is not None:
                arrays = {f"state_{i}": np.asarray(x) for i, x in enumerate(jax.tree.leaves(state))}
                arrays.update({f"z_{k}": v for k, v in draws.items()})
                arrays.update({f"stat_{k}": v for k, v in stats.items()})
                _save_atomic(checkpoint, {**arrays, "done": np.asarray(done), "fingerprint": np.asarray(fp)})
            if bar is not None:
                n_div = int(stats["diverging"][:, : max(done - num_warmup, 0)].sum())
                bar.set_postfix(phase="warmup" if done <= num_warmup and num_warmup else "sample",
                                divergences=n_div, step=f"{float(np.mean(np.asarray(out['step_size'][n - 1]))):.3g}")
                bar.update(n)
    finally:
        if bar is not None:
            bar.close()
    return NutsDraws(z=draws, stats=stats, n_devices=n_dev, chain_method=method,
                     complete=done >= total, iterations_done=done)
