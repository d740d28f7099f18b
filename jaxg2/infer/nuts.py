"""NUTS in checkpointed blocks: resumable, bit-for-bit reproducible, multi-device.

The sampler is NumPyro's :class:`~numpyro.infer.NUTS` kernel driven by our own loop:
``num_warmup + num_samples`` iterations of ``kernel.sample`` run by the
checkpointed loop of :mod:`jaxg2.infer.blocks` (compiled chunks of
``blocks.CHUNK`` iterations, a checkpoint every ``checkpoint_every`` iterations),
so every chunk runs the same executable and the draws do not depend on where a
run was interrupted.  Chains are vectorised (``vmap``) on one
device and split over all local devices with ``shard_map`` when there are several
(``chain_method = "parallel"``; ``"auto"`` picks it when more than one device divides
``num_chains``).

The checkpoint holds the complete sampler state (position, gradient, step size, mass
matrix, adaptation windows, PRNG keys) and all draws so far; ``resume=True``
reloads it and continues: the draws equal those of an uninterrupted run.
"""

from __future__ import annotations

from pathlib import Path

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax
from numpyro.infer import NUTS
from numpyro.infer.util import ParamInfo

from . import blocks, devices
from .blocks import Draws, ResumeError, fingerprint
from .problem import Problem

__all__ = ["NutsDraws", "ResumeError", "run_nuts", "fingerprint", "STAT_NAMES", "initial_positions", "initial_points"]

STAT_NAMES = ("diverging", "lp", "energy", "n_steps", "acceptance_rate", "step_size")
NutsDraws = Draws  # the name this module used before the loop moved to ``blocks``


def _chain_method(requested: str, num_chains: int) -> tuple[str, int]:
    n_dev = devices.device_count_for(num_chains)
    if requested == "vectorized" or n_dev == 1:
        return "vectorized", 1
    return "parallel", n_dev


def initial_points(problem: Problem, key):
    """Starting points of the chains: ``(z, potential, gradient)``, batched over chains
    (z unconstrained; the potential and its gradient are NUTS's at z).

    ``init = "optimize"`` (default): ``4 × num_chains`` prior draws are each improved by
    ``init_steps`` Adam steps on the smooth posterior (:func:`jaxg2.infer.search.optimise`)
    and the chains start from the best ones that have a finite potential and gradient.
    Starting in the typical set spares the warmup its most expensive part (tiny step
    sizes and maximal trees far from the posterior, with all vectorised chains waiting
    for the slowest).  ``init = "prior"``: plain prior draws with a finite potential.

    Compile time: when the fit's likelihood is the smooth one, the optimiser already
    evaluated −log p(x(u)) and its gradient at the final points, so the potential follows
    by subtracting the (cheap) log-Jacobian and the model is not compiled again here;
    otherwise one vectorised value-and-gradient of the potential is compiled.
    """
    from .search import optimise

    s = problem.cfg.sampler
    n = s["num_chains"]
    # the problem itself when its likelihood is the smooth one (its compiled optimiser is reused)
    smooth = problem if problem.smooth else Problem(problem.cfg, smooth=True)
    u = smooth.prior_draws(key, 4 * n)
    if s["init"] == "optimize" and problem.smooth:
        u, nlp, g = optimise(smooth, u, s["init_steps"], 0.05, return_grad=True)
        ldj, dldj = jax.jit(jax.vmap(jax.value_and_grad(problem.log_jacobian)))(u)
        pot, grad = nlp - ldj, jax.tree.map(jnp.subtract, g, dldj)
    else:
        if s["init"] == "optimize":
            u, _ = optimise(smooth, u, s["init_steps"], 0.05)
        problem.wait_compiled()
        pot, grad = jax.jit(jax.vmap(jax.value_and_grad(problem.potential)))(u)
    pot = np.asarray(pot)
    finite = np.isfinite(pot)
    for leaf in jax.tree.leaves(grad):
        finite &= np.all(np.isfinite(np.reshape(np.asarray(leaf), (4 * n, -1))), axis=1)
    pot = np.where(finite, pot, np.inf)
    order = np.argsort(pot, kind="stable")
    if not np.isfinite(pot[order[0]]):
        raise RuntimeError("no valid starting point: every start violates a hard constraint; "
                           "widen the priors or set [constraints] smooth = true")
    order = np.resize(order[np.isfinite(pot[order])], n)  # repeat the valid ones if too few
    if s["init"] == "prior":
        order = np.sort(order)
    pick = lambda tree: jax.tree.map(lambda v: jnp.asarray(np.asarray(v)[order]), tree)  # noqa: E731
    return pick(u), jnp.asarray(pot[order]), pick(grad)


def initial_positions(problem: Problem, key) -> dict:
    """The chains' starting points z of :func:`initial_points` (unconstrained, batched)."""
    return initial_points(problem, key)[0]


def _kernel_key(s, method: str, n_dev: int) -> tuple:
    """The sampler settings that determine the compiled NUTS programs."""
    return (s["target_accept"], s["max_tree_depth"], s["dense_mass"], s["num_warmup"], s["num_chains"],
            min(blocks.CHUNK, s["checkpoint_every"]), method, n_dev)


def _compiled(problem: Problem, s, method: str, n_dev: int):
    """The NUTS kernel, its jitted initialisation and chunk function, cached on the problem
    (a second run of the same problem, e.g. a resume in a notebook, compiles nothing)."""
    chunk = min(blocks.CHUNK, s["checkpoint_every"])
    key = _kernel_key(s, method, n_dev)
    cache = problem.__dict__.setdefault("_nuts_cache", {})
    if key in cache:
        return cache[key]
    # record=False: the sampler computes only the observables its likelihood needs;
    # all of them are evaluated afterwards, once, on the draws.
    # The kernel gets the potential (not the NumPyro model) and its starting points as
    # ParamInfo (z, potential, gradient) from initial_points: with a model, NumPyro's init
    # would trace it and compile one more value-and-gradient copy to find valid points.
    # A dense mass matrix is the one block over all sites, sorted by name (as NumPyro
    # builds it from a model).
    sites = problem.sites
    kernel = NUTS(potential_fn=problem.potential, target_accept_prob=s["target_accept"],
                  max_tree_depth=s["max_tree_depth"],
                  dense_mass=[tuple(sorted(sites))] if s["dense_mass"] else [])
    # jit: one compilation instead of op-by-op dispatch of the initialisation (~5x faster)
    init_fn = jax.jit(lambda k, p0: kernel.init(k, s["num_warmup"], init_params=p0, model_args=(), model_kwargs={}))

    def step(st):
        return kernel.sample(st, (), {})

    def run_chunk(st, n_active):
        def body(carry, i):
            new = lax.cond(i < n_active, step, lambda c: c, carry)
            out = {"z": {k: new.z[k] for k in sites}, "diverging": new.diverging,
                   "lp": -new.potential_energy, "energy": new.energy, "n_steps": new.num_steps,
                   "acceptance_rate": new.accept_prob, "step_size": new.adapt_state.step_size}
            return new, out
        return lax.scan(body, st, jnp.arange(chunk))

    # batch axis: chains (axis 0 of the state; axis 1 of the per-iteration outputs)
    out_axes = {"z": {k: 1 for k in sites}, **{k: 1 for k in STAT_NAMES}}
    chunk_fn = devices.sharded(run_chunk, n_dev, in_specs=(0, None), out_specs=(0, out_axes))
    cache[key] = (kernel, init_fn, chunk_fn, chunk)
    return cache[key]


def _chunk_ahead(problem: Problem, init_fn, chunk_fn, keys, settings):
    """The NUTS chunk compiled on a worker thread (:func:`jaxg2.compilation.compile_ahead`)
    while :func:`initial_points` compiles and runs the optimiser: its state's shapes
    follow from the sites' shapes alone.  Cached on the problem with the chains' range."""
    from .. import compilation

    s, method, n_dev, lo, hi = settings
    if n_dev > 1:  # sharded over devices: compiled on first call, as before
        return chunk_fn
    cache = problem.__dict__.setdefault("_nuts_ahead", {})
    key = _kernel_key(s, method, n_dev) + (lo, hi)
    if key not in cache:
        draws = jax.eval_shape(lambda k: problem.prior_draws(k, hi - lo), jax.random.PRNGKey(0))
        pe = jax.ShapeDtypeStruct((hi - lo,), jnp.float64)
        state = jax.eval_shape(init_fn, keys, ParamInfo(draws, pe, draws))
        cache[key] = compilation.compile_ahead(chunk_fn, state, jnp.asarray(0))
    return cache[key]


def run_nuts(problem: Problem, checkpoint: Path | None = None, *, resume: bool = False,
             progress: bool = True, max_blocks: int | None = None,
             chains: tuple[int, int] | None = None) -> Draws:
    """Run (or resume) NUTS for ``problem``; see the module docstring.

    ``max_blocks`` stops after that many checkpoint segments in this call (returns an
    incomplete :class:`~jaxg2.infer.blocks.Draws`; the checkpoint allows resuming) —
    used to test interruption.  ``chains = (lo, hi)`` runs only the chains lo..hi-1 of
    ``num_chains`` (their keys and starting points are those of the full run, so their
    draws equal the full run's): one process' share in :mod:`jaxg2.infer.distributed`.
    """
    s = problem.cfg.sampler
    num_warmup, num_samples = s["num_warmup"], s["num_samples"]
    lo, hi = (0, s["num_chains"]) if chains is None else chains  # distributed: this process' chains
    num_chains = hi - lo
    method, n_dev = _chain_method(s["chain_method"], num_chains)

    fp = fingerprint(problem)
    resuming = resume and checkpoint is not None and checkpoint.exists()
    if resuming:
        blocks.check_fingerprint(checkpoint, fp)  # before compiling anything
    _, init_fn, chunk_fn, chunk = _compiled(problem, s, method, n_dev)
    keys = jax.random.split(jax.random.PRNGKey(problem.cfg.seed), s["num_chains"])[lo:hi]
    chunk_fn = _chunk_ahead(problem, init_fn, chunk_fn, keys, (s, method, n_dev, lo, hi))
    z0, pe0, g0 = initial_points(problem, jax.random.fold_in(jax.random.PRNGKey(problem.cfg.seed), 1))
    share = lambda tree: jax.tree.map(lambda v: v[lo:hi], tree)  # noqa: E731
    problem.wait_compiled()
    state = init_fn(keys, ParamInfo(share(z0), pe0[lo:hi], share(g0)))
    z_shapes = {k: np.shape(state.z[k])[1:] for k in problem.sites}
    z, stats = blocks.empty_draws(num_chains, num_samples, z_shapes, STAT_NAMES)
    done = 0
    if resuming:
        state, done = blocks.load(checkpoint, state, z, stats)
    state = devices.put(state, n_dev)

    bar = blocks.Progress(progress, num_warmup + num_samples, done, "NUTS")
    try:
        state, done = blocks.run_loop(state, chunk_fn, z, stats, done=done, num_warmup=num_warmup,
                                      num_samples=num_samples, every=s["checkpoint_every"], chunk=chunk,
                                      checkpoint=checkpoint, fp=fp, bar=bar, max_blocks=max_blocks)
    finally:
        bar.close()
    return Draws(z=z, stats=stats, n_devices=n_dev, chain_method=method,
                 complete=done >= num_warmup + num_samples, iterations_done=done)
