"""The checkpointed chunk loop shared by every kernel: progress after every chunk, checkpoints
at segment ends and (time-based) in between, resume from any checkpoint == uninterrupted."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from jax import lax

from jaxg2.infer import blocks

CHAINS, WARMUP, SAMPLES, EVERY = 3, 25, 40, 15


@jax.jit
def chunk_fn(st, n_active):
    """A random walk per chain; the 'step size' is the iteration count."""
    def step(c):
        key, sub = jax.random.split(c["key"])
        return {"key": key, "x": c["x"] + jax.random.normal(sub, (CHAINS,)), "i": c["i"] + 1}

    def body(c, i):
        new = lax.cond(i < n_active, step, lambda c: c, c)
        out = {"z": {"x": new["x"]}, "diverging": new["x"] > 3, "lp": -new["x"] ** 2,
               "energy": new["x"] ** 2, "n_steps": jnp.ones(CHAINS, int), "acceptance_rate": jnp.ones(CHAINS),
               "step_size": jnp.broadcast_to(new["i"] * 1.0, (CHAINS,))}
        return new, out
    return lax.scan(body, st, jnp.arange(blocks.CHUNK))


class Bar:
    def __init__(self):
        self.steps = []

    def update(self, n, **postfix):
        self.steps.append(n)


def run(checkpoint=None, *, resume=False, max_blocks=None, bar=None, fn=chunk_fn):
    st0 = {"key": jax.random.PRNGKey(0), "x": jnp.zeros(CHAINS), "i": jnp.asarray(0)}
    z, stats = blocks.empty_draws(CHAINS, SAMPLES, {"x": ()}, blocks.STAT_DTYPES)
    done = 0
    if resume:
        st0, done = blocks.load(checkpoint, st0, z, stats)
    st, done = blocks.run_loop(st0, fn, z, stats, done=done, num_warmup=WARMUP, num_samples=SAMPLES,
                               every=EVERY, chunk=blocks.CHUNK, checkpoint=checkpoint, fp="f",
                               bar=bar or Bar(), max_blocks=max_blocks)
    return st, done, z, stats


def test_progress_and_segments():
    bar = Bar()
    st, done, z, stats = run(bar=bar)
    assert done == WARMUP + SAMPLES and int(st["i"]) == done
    # chunks of ≤ CHUNK inside segments 0-15, 15-25 (warmup end), 25-40, 40-55, 55-65
    assert bar.steps == [10, 5, 10, 10, 5, 10, 5, 10]
    assert stats["step_size"][0, 0] == WARMUP + 1 and stats["step_size"][0, -1] == WARMUP + SAMPLES


def test_resume_from_segment_end(tmp_path):
    _, _, z_full, s_full = run()
    ck = tmp_path / "ck.npz"
    run(ck, max_blocks=3)                                          # stops at iteration 40
    with np.load(ck) as saved:
        assert int(saved["done"]) == 40
    for _ in range(10):                                            # resume, interrupt, resume, ...
        st, done, z, stats = run(ck, resume=True, max_blocks=1)
        if done == WARMUP + SAMPLES:
            break
    np.testing.assert_array_equal(z["x"], z_full["x"])
    for k in s_full:
        np.testing.assert_array_equal(stats[k], s_full[k])


def test_time_based_checkpoint_mid_segment(tmp_path, monkeypatch):
    """CHECKPOINT_SECONDS = 0: a checkpoint after every chunk; a crash inside a segment
    (after 4 chunks: iteration 35, in the segment 25-40) resumes from there, same draws."""
    _, _, z_full, s_full = run()
    monkeypatch.setattr(blocks, "CHECKPOINT_SECONDS", 0.0)
    calls = []

    def crashing(st, n):
        if len(calls) == 4:
            raise KeyboardInterrupt
        calls.append(n)
        return chunk_fn(st, n)

    ck = tmp_path / "ck.npz"
    with pytest.raises(KeyboardInterrupt):
        run(ck, fn=crashing)
    with np.load(ck) as saved:
        assert int(saved["done"]) == 35
    _, done, z, stats = run(ck, resume=True)
    assert done == WARMUP + SAMPLES
    np.testing.assert_array_equal(z["x"], z_full["x"])
    for k in s_full:
        np.testing.assert_array_equal(stats[k], s_full[k])


def test_slow_iterations_shorten_the_calls_not_the_draws(monkeypatch):
    """PROGRESS_SECONDS = 0 (every iteration 'slow'): once timed, each
    call advances one iteration, so the bar moves every iteration; the draws equal those
    of chunks of CHUNK (every call runs the same fixed-length scan, per-iteration keys)."""
    _, _, z_full, s_full = run()
    monkeypatch.setattr(blocks, "PROGRESS_SECONDS", 0.0)
    bar = Bar()
    _, done, z, stats = run(bar=bar)
    # first call compiles (untimed, CHUNK); the second (to the segment end at 15) sets the pace
    assert done == WARMUP + SAMPLES and bar.steps == [10, 5] + [1] * (WARMUP + SAMPLES - 15)
    np.testing.assert_array_equal(z["x"], z_full["x"])
    for k in s_full:
        np.testing.assert_array_equal(stats[k], s_full[k])


def test_plain_bar_without_ipywidgets(monkeypatch):
    """tqdm.auto without ipywidgets warns in notebooks: the plain bar is used then."""
    import sys

    import tqdm

    monkeypatch.setitem(sys.modules, "ipywidgets", None)   # import ipywidgets -> ImportError
    assert blocks.tqdm_class() is tqdm.tqdm
