"""Many-chain HMC from blackjax: ChEES-HMC and MEADS, checkpointed and resumable.

Both kernels adapt their tuning parameters from cross-chain statistics of a large
ensemble run in lock-step (``vmap``), which suits tens to hundreds of chains on one
device; they sample the same density as NUTS, ``exp(−Problem.potential(z))`` in
NumPyro's unconstrained space.

``kernel = "chees"`` — ChEES-HMC (Hoffman, Radul & Sountsov 2021,
  https://proceedings.mlr.press/v130/hoffman21a.html): jittered-trajectory HMC
  (``blackjax.dynamic_hmc``) whose trajectory length maximises the Change in the
  Estimator of the Expected Square, ``ChEES = ¼ E[(‖z′ − ⟨z⟩‖² − ‖z − ⟨z⟩‖²)²]``,
  by Adam on the ensemble, and whose step size is set by dual averaging of the
  harmonic-mean acceptance to ``sampler.target_accept``; diagonal mass matrix from
  the ensemble's variances over the second half of warmup
  (``blackjax.chees_adaptation``, ``mass_matrix_estimation="diagonal"``).
``kernel = "meads"`` — generalized HMC with one leapfrog step per iteration and
  partial momentum refreshment (``blackjax.ghmc``); step size, damping and diagonal
  scales from the largest eigenvalues of the ensemble's preconditioned gradients and
  positions in ``config.MEADS_FOLDS`` folds (Hoffman & Sountsov 2022,
  https://proceedings.mlr.press/v151/hoffman22a.html; ``blackjax.meads_adaptation``);
  with ``sampler.dense_mass`` the momentum metric is the ensemble covariance of full
  rank (``low_rank_rank`` = number of sampled sites), accumulated over the second
  half of warmup.

Warmup is the library's adaptation ``run`` — one compiled ``lax.scan`` over
``num_warmup`` steps (with ``progress``, each step ticks the progress bar through a
``jax.debug.callback``, which changes no number).  Its result (chain states and the
tuned parameters) is checkpointed; the sampling phase then runs in the chunks and
checkpoint segments of :mod:`jaxg2.infer.blocks`.  A run interrupted during warmup
restarts the (deterministic) warmup on resume; one interrupted while sampling
continues from its checkpoint — either way the draws equal those of an uninterrupted
run.  The chains run vectorised on one device.
"""

from __future__ import annotations

from pathlib import Path

import blackjax
import jax
import jax.numpy as jnp
import numpy as np
import optax
from jax import lax

from .. import config as config_mod
from . import blocks
from .blocks import Draws, fingerprint
from .nuts import STAT_NAMES, initial_positions
from .problem import Problem

__all__ = ["run_many_chain", "CHEES_INITIAL_STEP", "CHEES_LEARNING_RATE"]

CHEES_INITIAL_STEP = 0.1    # initial leapfrog step size (unconstrained units); dual averaging adapts it
CHEES_LEARNING_RATE = 0.025  # Adam rate on log trajectory length (blackjax's ChEES example uses 0.025)


class _Kernel:
    """Jitted warmup and sampling chunk of one kernel for one problem.

    ``warmup(key, z0) -> (chain states, parameters)``; parameters are arrays only (the
    ChEES integration-step functions, plain Python closures, are captured while
    tracing).  ``chunk(state, n_active)`` with ``state = {"chains", "params", "key"}``.
    """

    def __init__(self, problem: Problem, s, progress: bool):
        self.name = s["kernel"]
        self.num_chains = s["num_chains"]
        self.ticker = [None]   # the progress callback of the current run (warmup steps)
        self.functions = {}
        logdensity = self.logdensity = lambda z: -problem.potential(z)
        n, num_warmup, num_samples = s["num_chains"], s["num_warmup"], s["num_samples"]

        def info_fn(state, info, adaptation_state):
            if progress:
                jax.debug.callback(self._tick)
            return None

        if self.name == "chees":
            adapt = blackjax.chees_adaptation(logdensity, n, target_acceptance_rate=s["target_accept"],
                                              mass_matrix_estimation="diagonal", adaptation_info_fn=info_fn)

            def warmup(key, z0):
                (states, params), _ = adapt.run(key, z0, CHEES_INITIAL_STEP, optax.adam(CHEES_LEARNING_RATE),
                                                num_warmup, max_sampling_steps=num_samples)
                self.functions = {k: params[k] for k in ("next_random_arg_fn", "integration_steps_fn")}
                return states, {k: params[k] for k in ("step_size", "inverse_mass_matrix", "integration_steps_params")}
        else:
            rank = len(problem.sites) if s["dense_mass"] else None  # rank d: a dense metric
            adapt = blackjax.meads_adaptation(logdensity, n, num_folds=config_mod.MEADS_FOLDS,
                                              low_rank_rank=rank, adaptation_info_fn=info_fn)

            def warmup(key, z0):
                (states, params), _ = adapt.run(key, z0, num_warmup)
                return states, params

        self.warmup = jax.jit(warmup)
        self.chunk_len = min(blocks.CHUNK, s["checkpoint_every"])
        self.chunk = jax.jit(self._run_chunk)
        self._ahead = None

    def ahead(self, problem: Problem, k_warm, k_sample, warmup: bool):
        """``(warmup, chunk, state shapes)``: the programs traced from the shapes of the
        chains' starting points alone and compiled on worker threads
        (:func:`jaxg2.compilation.compile_ahead`), so that they compile while
        :func:`initial_positions` compiles and runs its optimiser on the other core; the
        warmup only if ``warmup`` (a resume from a checkpoint needs none), else the jitted
        one.  Cached: a resume in this process compiles nothing."""
        from .. import compilation

        if self._ahead is None:
            z0 = jax.eval_shape(lambda k: problem.prior_draws(k, self.num_chains), k_warm)
            chains, params = jax.eval_shape(self.warmup, k_warm, z0)  # structure only (and ChEES' closures)
            shapes = {"chains": chains, "params": params, "key": k_sample}
            self._ahead = {"z0": z0, "shapes": shapes,
                           "chunk": compilation.compile_ahead(self.chunk, shapes, jnp.asarray(0))}
        a = self._ahead
        if warmup and "warmup" not in a:
            a["warmup"] = compilation.compile_ahead(self.warmup, k_warm, a["z0"])
        return a.get("warmup", self.warmup), a["chunk"], a["shapes"]

    def _tick(self):
        if self.ticker[0] is not None:
            self.ticker[0]()

    def sampler(self, params):
        """The blackjax sampling algorithm with the tuned parameters."""
        if self.name == "chees":
            return blackjax.dynamic_hmc(self.logdensity, params["step_size"], params["inverse_mass_matrix"],
                                        integration_steps_params=params["integration_steps_params"],
                                        **self.functions)
        return blackjax.ghmc(self.logdensity, **params)

    def _advance(self, st):
        key, sub = jax.random.split(st["key"])
        step = self.sampler(st["params"]).step
        chains, info = jax.vmap(step)(jax.random.split(sub, self.num_chains), st["chains"])
        out = {"z": dict(chains.position), "diverging": info.is_divergent, "lp": chains.logdensity,
               "energy": info.energy, "n_steps": jnp.broadcast_to(info.num_integration_steps, (self.num_chains,)),
               "acceptance_rate": info.acceptance_rate,
               "step_size": jnp.broadcast_to(st["params"]["step_size"], (self.num_chains,))}
        return {**st, "chains": chains, "key": key}, out

    def _run_chunk(self, st, n_active):
        zeros = jax.tree.map(lambda a: jnp.zeros(a.shape, a.dtype), jax.eval_shape(self._advance, st)[1])

        def body(carry, i):
            return lax.cond(i < n_active, self._advance, lambda c: (c, zeros), carry)
        return lax.scan(body, st, jnp.arange(self.chunk_len))


def _kernel(problem: Problem, s, progress: bool) -> _Kernel:
    """The compiled kernel, cached on the problem (a resume in the same process compiles nothing)."""
    key = (s["kernel"], s["num_chains"], s["num_warmup"], s["num_samples"], s["target_accept"],
           s["dense_mass"], s["checkpoint_every"], progress)
    cache = problem.__dict__.setdefault("_many_chain_cache", {})
    if key not in cache:
        cache[key] = _Kernel(problem, s, progress)
    return cache[key]


def run_many_chain(problem: Problem, checkpoint: Path | None = None, *, resume: bool = False,
                   progress: bool = True, max_blocks: int | None = None) -> Draws:
    """Run (or resume) ChEES-HMC or MEADS (``sampler.kernel``) for ``problem``.

    Same contract as :func:`jaxg2.infer.nuts.run_nuts`; the warmup counts as one
    checkpoint segment for ``max_blocks``.
    """
    s = problem.cfg.sampler
    num_warmup, num_samples, num_chains = s["num_warmup"], s["num_samples"], s["num_chains"]
    fp = fingerprint(problem)
    resuming = resume and checkpoint is not None and checkpoint.exists()
    if resuming:
        blocks.check_fingerprint(checkpoint, fp)
    kern = _kernel(problem, s, progress)
    seed_key = jax.random.PRNGKey(problem.cfg.seed)
    k_warm, k_sample = jax.random.split(seed_key)
    warmup_fn, chunk_fn, shapes = kern.ahead(problem, k_warm, k_sample, warmup=not resuming)
    z0 = initial_positions(problem, jax.random.fold_in(seed_key, 1))
    z, stats = blocks.empty_draws(num_chains, num_samples, {k: () for k in problem.sites}, STAT_NAMES)
    bar = blocks.Progress(progress, num_warmup + num_samples, 0, s["kernel"].upper())
    blocks_run = 0
    try:
        if resuming:
            state, done = blocks.load(checkpoint, shapes, z, stats)
            bar.update(done)
        else:
            kern.ticker[0] = lambda: bar.update(1, phase="warmup")
            try:
                chains, params = warmup_fn(k_warm, z0)
                jax.block_until_ready(chains)
            finally:
                kern.ticker[0] = None
            state, done = {"chains": chains, "params": params, "key": k_sample}, num_warmup
            if checkpoint is not None:
                blocks.save(checkpoint, state, z, stats, done, fp)
            blocks_run = 1
        state, done = blocks.run_loop(state, chunk_fn, z, stats, done=done, num_warmup=num_warmup,
                                      num_samples=num_samples, every=s["checkpoint_every"],
                                      chunk=kern.chunk_len, checkpoint=checkpoint, fp=fp, bar=bar,
                                      max_blocks=max_blocks, blocks_run=blocks_run)
    finally:
        bar.close()
    return Draws(z=z, stats=stats, n_devices=1, chain_method="vectorized",
                 complete=done >= num_warmup + num_samples, iterations_done=done, kernel=s["kernel"])
