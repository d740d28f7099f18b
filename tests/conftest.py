"""Shared test set-up: float64 on, CPU only, fast mode for notebooks and fits, and JAX's
persistent compilation cache on for every program the tests compile.

The cache is the one ``jaxg2 fit`` uses (:func:`jaxg2.compilation.enable_cache`: the user
cache directory, ``JAXG2_CACHE_DIR`` to move it, ``JAXG2_NO_CACHE=1`` to switch it off).
Compiling is most of the suite's time (measured 2026-12-01 on 2 cores with a cold cache:
1881 s of XLA compilation, 564 s of tracing and 444 s of lowering in 4458 s of in-process
test time), and most programs do not change between runs: a second run loads them.  The
cache is keyed by the lowered program, the jax/jaxlib versions and the XLA flags, so a
changed model compiles again; tracing and lowering are paid every run, which is why the
gain is small (the whole suite, warm: 1886 s against 1974 s with the fits' programs only).
"""

import os

os.environ.setdefault("JAX_PLATFORMS", "cpu")
os.environ.setdefault("JAXG2_FAST", "1")

import jaxg2  # noqa: E402,F401  (switches on float64)
from jaxg2 import compilation  # noqa: E402

compilation.enable_cache()


def pruned_model_size(config_path):
    """(Problem of ``config_path``, size) with size(keys) the number of equations (loop and
    call bodies included) of its model's trace pruned to the observables ``keys`` — what a
    likelihood reading ``keys`` carries; None where this JAX has no dead-code elimination."""
    import jax.numpy as jnp

    from jaxg2 import config
    from jaxg2.infer import Problem
    from jaxg2.infer.problem import _equations

    prob = Problem(config.load(config_path))
    prob.observables(prob.theta({n: jnp.asarray(0.01) for n in prob.free}))  # fills the trace cache
    traced = prob._traced_models[next(iter(prob._traced_models))]
    if prob._pruned(traced, prob.likelihood_keys) is None:
        return prob, None
    return prob, lambda keys: _equations(prob._pruned(traced, tuple(keys))[0])


def pytest_collection_modifyitems(config, items):
    """Long tests (marked ``slow``) first, the rest in their usual order: with ``-n 2`` and
    ``--dist worksteal`` (pyproject) the suite then ends on short tests, so neither worker
    idles while the other finishes a notebook."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)
