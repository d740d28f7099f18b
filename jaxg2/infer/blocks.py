"""The checkpointed sampling loop shared by every kernel (NUTS and the many-chain ones).

A kernel provides its state (a pytree, chains on axis 0 of its arrays) and a jitted
``chunk_fn(state, n_active) -> (state, out)`` that advances every chain by
``n_active ≤ chunk`` iterations in one compiled ``lax.scan`` of fixed length
``chunk`` (iterations past ``n_active`` are skipped with ``lax.cond``), with
``out = {"z": {site: (chunk, chains, ...)}, stat: (chunk, chains)}``.

:func:`run_loop` calls it until ``num_warmup + num_samples`` iterations are done:

* **checkpoint segments** — ``checkpoint_every`` iterations counted from the start of
  each phase (a segment never straddles the warmup/sampling boundary).  At the end of
  every segment, and in between whenever :data:`CHECKPOINT_SECONDS` have passed, the
  complete state and all draws so far go to ``checkpoint.npz`` (a temporary file,
  then ``os.replace``: an interrupt leaves the previous or the new checkpoint, never
  half of one).
* **chunks** — each segment runs as consecutive calls of at most ``chunk``
  iterations; the progress bar moves after every call.  After the first call (which
  compiles) each call's length is set from the measured time per iteration so that the
  bar moves about every :data:`PROGRESS_SECONDS` (one iteration per call at least):
  a slow model's bar does not sit still for ``chunk`` slow iterations.

Every call runs the same executable — a ``lax.scan`` of fixed length ``chunk`` whose
iterations past ``n_active`` are skipped, each iteration with its own random key from
the state — so the draws do not depend on how the iterations are grouped into calls
(timing only changes the grouping); a checkpoint is only ever written between calls,
so a run resumed from any checkpoint gives the draws of the uninterrupted run.  The checkpoint records a fingerprint of everything
that determines the draws and refuses to resume another configuration.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from dataclasses import dataclass
from pathlib import Path

import jax
import jax.numpy as jnp
import numpy as np

__all__ = ["Draws", "ResumeError", "fingerprint", "check_fingerprint", "load", "save", "run_loop",
           "STAT_DTYPES", "CHUNK", "CHECKPOINT_SECONDS", "PROGRESS_SECONDS",
           "tqdm_class"]

CHUNK = 10                 # iterations per compiled call: the progress-bar granularity
CHECKPOINT_SECONDS = 60.0  # a checkpoint at least this often (besides every segment end)
PROGRESS_SECONDS = 2.0     # aim: a progress-bar step at least this often (calls shorter than CHUNK)

# sample-stat name (ArviZ convention) -> dtype
STAT_DTYPES = {"diverging": bool, "lp": np.float64, "energy": np.float64, "n_steps": np.int64,
               "acceptance_rate": np.float64, "step_size": np.float64}


class ResumeError(RuntimeError):
    """A checkpoint cannot be resumed (missing, corrupt, or from another configuration)."""


@dataclass
class Draws:
    """Unconstrained draws ``z[site]`` of shape (chains, draws, ...) and sample stats."""

    z: dict
    stats: dict
    n_devices: int
    chain_method: str
    complete: bool
    iterations_done: int
    kernel: str = "nuts"


def fingerprint(problem) -> str:
    """Hash of everything that determines the draws (model, priors, likelihood, sampler, seed)."""
    cfg = problem.cfg
    record = {"model": cfg.model_ref, "scenario": cfg.scenario, "seed": cfg.seed,
              "priors": {n: repr(p) for n, p in cfg.priors.items()}, "derived": cfg.derived,
              "constraints": cfg.constraints, "smooth": problem.smooth, "width": cfg.width,
              "sampler": {k: v for k, v in cfg.sampler.items() if k != "chain_method"},
              "chunk": CHUNK, "registry": problem.record()["registry_version"]}
    if cfg.derived_rules:  # only when used: earlier checkpoints keep their fingerprint
        record["derived_rules"] = dict(cfg.derived_rules)
    return hashlib.sha256(json.dumps(record, sort_keys=True, default=str).encode()).hexdigest()[:16]


def check_fingerprint(checkpoint: Path, fp: str):
    try:
        with np.load(checkpoint) as ck:
            saved = str(ck["fingerprint"])
    except (KeyError, ValueError, OSError) as exc:
        raise ResumeError(f"cannot resume from {checkpoint}: {exc}") from None
    if saved != fp:
        raise ResumeError(f"{checkpoint} was written by a different configuration (model, priors, "
                          "constraints, sampler settings or seed changed); run without --resume to start afresh")


def empty_draws(num_chains: int, num_samples: int, z_shapes: dict, stat_names) -> tuple[dict, dict]:
    z = {k: np.zeros((num_chains, num_samples) + tuple(s)) for k, s in z_shapes.items()}
    stats = {k: np.zeros((num_chains, num_samples), dtype=STAT_DTYPES[k]) for k in stat_names}
    return z, stats


def save(checkpoint: Path, state, z: dict, stats: dict, done: int, fp: str):
    """Write state, draws and progress atomically (temporary file, fsync, rename)."""
    arrays = {f"state_{i}": np.asarray(x) for i, x in enumerate(jax.tree.leaves(state))}
    arrays.update({f"z_{k}": v for k, v in z.items()})
    arrays.update({f"stat_{k}": v for k, v in stats.items()})
    arrays.update(done=np.asarray(done), fingerprint=np.asarray(fp))
    tmp = checkpoint.with_name(checkpoint.name + ".tmp")
    with open(tmp, "wb") as fh:
        np.savez(fh, **arrays)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, checkpoint)


def load(checkpoint: Path, template, z: dict, stats: dict):
    """Read a checkpoint into the structure of ``template``; fills ``z``/``stats`` in place.
    Returns ``(state, done)``."""
    leaves, treedef = jax.tree.flatten(template)
    try:
        with np.load(checkpoint) as ck:
            done = int(ck["done"])
            saved = [ck[f"state_{i}"] for i in range(len(leaves))]
            for k in z:
                z[k][...] = ck[f"z_{k}"]
            for k in stats:
                stats[k][...] = ck[f"stat_{k}"]
    except (KeyError, ValueError, OSError) as exc:
        raise ResumeError(f"cannot resume from {checkpoint}: {exc}") from None
    state = jax.tree.unflatten(treedef, [jnp.asarray(a, dtype=l.dtype) for a, l in zip(saved, leaves)])
    return state, done


def tqdm_class():
    """``tqdm.auto.tqdm`` (a widget in notebooks) where ``ipywidgets`` is installed, else
    the plain text bar: ``tqdm.auto`` without ipywidgets warns "IProgress not found"
    in every notebook."""
    try:
        import ipywidgets  # noqa: F401
    except ImportError:
        from tqdm import tqdm
    else:
        from tqdm.auto import tqdm
    return tqdm


class Progress:
    """A tqdm bar (or nothing) over all iterations, with phase / divergences / step size."""

    def __init__(self, enabled: bool, total: int, done: int, desc: str):
        self.bar = None
        if enabled:
            self.bar = tqdm_class()(total=total, initial=done, desc=desc, unit="it", dynamic_ncols=True)

    def update(self, n: int, **postfix):
        if self.bar is not None:
            self.bar.set_postfix(**postfix, refresh=False)
            self.bar.update(n)

    def close(self):
        if self.bar is not None:
            self.bar.close()


def run_loop(state, chunk_fn, z: dict, stats: dict, *, done: int, num_warmup: int, num_samples: int,
             every: int, chunk: int, checkpoint: Path | None, fp: str, bar: Progress,
             max_blocks: int | None = None, blocks_run: int = 0):
    """Advance ``state`` from iteration ``done`` to the end (see module docstring);
    draws of the sampling phase are written into ``z``/``stats``.  ``max_blocks`` stops
    after that many checkpoint segments in this call (``blocks_run`` already counted).
    Returns ``(state, done)``."""
    total = num_warmup + num_samples
    last_save = time.monotonic()
    per_call, timed = chunk, False   # the first call compiles: its time says nothing
    while done < total and (max_blocks is None or blocks_run < max_blocks):
        start, phase_end = (0, num_warmup) if done < num_warmup else (num_warmup, total)
        seg_end = min(start + ((done - start) // every + 1) * every, phase_end)
        while done < seg_end:
            n = min(per_call, seg_end - done)
            t0 = time.perf_counter()
            state, out = jax.block_until_ready(chunk_fn(state, jnp.asarray(n)))
            if timed:
                per_it = (time.perf_counter() - t0) / n
                per_call = max(1, min(chunk, int(PROGRESS_SECONDS / per_it) if per_it > 0 else chunk))
            timed = True
            if done >= num_warmup:
                a, b = done - num_warmup, done - num_warmup + n
                for k in z:
                    z[k][:, a:b] = np.swapaxes(np.asarray(out["z"][k][:n]), 0, 1)
                for k in stats:
                    stats[k][:, a:b] = np.swapaxes(np.asarray(out[k][:n]), 0, 1)
            done += n
            if checkpoint is not None and (done == seg_end or time.monotonic() - last_save > CHECKPOINT_SECONDS):
                save(checkpoint, state, z, stats, done, fp)
                last_save = time.monotonic()
            bar.update(n, phase="warmup" if done <= num_warmup and num_warmup else "sample",
                       divergences=int(stats["diverging"][:, : max(done - num_warmup, 0)].sum()),
                       step=f"{float(np.mean(np.asarray(out['step_size'][n - 1]))):.3g}")
        blocks_run += 1
    return state, done
