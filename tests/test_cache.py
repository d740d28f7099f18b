"""The persistent compilation cache (jaxg2.compilation): where it goes, that the environment
switches work, that import jaxg2 leaves it alone, and the compile-time clock."""

import json
import math
import os
import subprocess
import sys
from pathlib import Path

import jax
import jax.numpy as jnp
import pytest

from jaxg2 import compilation

ROOT = Path(__file__).resolve().parents[1]
TESTS = Path(__file__).resolve().parent

# enable the cache, compile one small program (threshold 0 so it is stored), report
SNIPPET = """
import json, jax, jax.numpy as jnp
import jaxg2, jaxg2.infer
before = jax.config.jax_compilation_cache_dir
from jaxg2 import compilation
path = compilation.enable_cache()
min_time = jax.config.jax_persistent_cache_min_compile_time_secs
jax.config.update("jax_persistent_cache_min_compile_time_secs", 0)
jax.jit(lambda x: jnp.sin(x) * jnp.arange(7.0))(1.0).block_until_ready()
print(json.dumps({"before": before, "path": None if path is None else str(path),
                  "config": jax.config.jax_compilation_cache_dir, "min_time": min_time}))
"""


def _run(tmp_path, **env):
    full = {k: v for k, v in os.environ.items() if not k.startswith(("JAXG2_CACHE", "JAXG2_NO_CACHE", "JAX_COMPILATION"))}
    full.update(env, JAX_PLATFORMS="cpu", HOME=str(tmp_path / "home"), PYTHONPATH=str(TESTS))
    full.pop("XDG_CACHE_HOME", None)
    out = subprocess.run([sys.executable, "-c", SNIPPET], capture_output=True, text=True, cwd=ROOT, env=full,
                         timeout=300)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


def _files(path: Path):
    return [p for p in path.rglob("*") if p.is_file()] if path.exists() else []


def test_cache_dir_env_and_default(tmp_path):
    target = tmp_path / "mycache"
    r = _run(tmp_path, JAXG2_CACHE_DIR=str(target))
    assert r["before"] is None                                   # import jaxg2 (and jaxg2.infer) sets nothing
    assert r["path"] == r["config"] == str(target)
    assert r["min_time"] == compilation.MIN_COMPILE_SECONDS
    assert _files(target)                                        # the compiled program was stored there
    r = _run(tmp_path)
    default = tmp_path / "home" / ".cache" / "jaxg2" / "jax"
    assert r["path"] == r["config"] == str(default) and _files(default)


def test_no_cache_env(tmp_path):
    r = _run(tmp_path, JAXG2_NO_CACHE="1", JAXG2_CACHE_DIR=str(tmp_path / "unused"))
    assert r["path"] is None and r["config"] is None
    assert not _files(tmp_path / "unused") and not _files(tmp_path / "home")


def test_compile_clock_counts_union_of_spans():
    clock = compilation.CompileClock()
    with clock:
        ev = "/jax/core/compile/backend_compile_duration"
        clock._listen(ev, 10.0, 12.0)
        clock._listen("/jax/core/compile/jaxpr_trace_duration", 11.0, 13.0)   # overlaps: counts once
        clock._listen(ev, 20.0, 20.5)
        clock._listen("/some/other/event", 0.0, 100.0)                        # ignored
    assert clock.seconds == pytest.approx(3.5)
    with compilation.CompileClock() as real:
        jax.jit(lambda x: jnp.cos(x) + 17.25)(2.0).block_until_ready()        # a fresh program
    assert real.seconds > 0
    f = jax.jit(lambda x: jnp.tan(x) - 3.5)
    f(0.1).block_until_ready()
    with compilation.CompileClock() as again:
        f(0.2).block_until_ready()                                           # already compiled
    assert again.seconds == 0.0


FIT = """
import json, warnings, jax
hits = []
jax.monitoring.register_event_listener(lambda ev, **kw: hits.append(ev) if ev.endswith("cache_hits") else None)
import jaxg2
from test_infer_problem import toy_config
cfg = toy_config(sampler={"num_warmup": 20, "num_samples": 20, "num_chains": 2, "checkpoint_every": 20,
                          "init": "prior"})
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    res = jaxg2.fit(cfg, output=False, fast=False, progress=False)
print(json.dumps({"hits": len(hits), "compile": res.idata.posterior.attrs["compile_seconds"]}))
"""


def test_second_process_loads_the_fit_from_the_cache(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JAXG2_NO_CACHE", "JAX_COMPILATION"))}
    env.update(JAX_PLATFORMS="cpu", JAXG2_CACHE_DIR=str(tmp_path / "c"), PYTHONPATH=str(TESTS))
    runs = []
    for _ in range(2):
        out = subprocess.run([sys.executable, "-c", FIT], capture_output=True, text=True, cwd=ROOT, env=env,
                             timeout=600)
        assert out.returncode == 0, out.stderr
        runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
    assert runs[0]["hits"] == 0 and _files(tmp_path / "c")
    assert runs[1]["hits"] >= 1          # the sampler's programs came from the cache


EXPORT = """
import json, os, jax, jax.numpy as jnp
import jaxg2
from jaxg2 import compilation, loops
if os.environ.get("DIGEST"):
    compilation._state["package_digest"] = os.environ["DIGEST"]     # as if the package had changed
traced = []

def g2(m):                                   # the program: defined here, its physics in the package
    traced.append(1)
    return loops.g2_neutral_scalar(0.105658, 0.105658, m, 1e-3, 0.0) * jnp.ones(3)

inside = os.environ.get("OUTSIDE") != "1"
out = compilation.exported_call("test-g2", g2, (jnp.asarray(2.0),), defined_by=loops.g2_neutral_scalar if inside else g2)
print(json.dumps({"traced": len(traced), "value": [float(v) for v in out]}))
"""


def test_exported_call_skips_tracing_in_a_new_process(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JAXG2_NO_CACHE", "JAX_COMPILATION"))}
    env.update(JAX_PLATFORMS="cpu", JAXG2_CACHE_DIR=str(tmp_path / "c"), PYTHONPATH=str(TESTS))

    def run(**extra):
        out = subprocess.run([sys.executable, "-c", EXPORT], capture_output=True, text=True, cwd=ROOT,
                             env={**env, **extra}, timeout=300)
        assert out.returncode == 0, out.stderr
        return json.loads(out.stdout.strip().splitlines()[-1])

    exported = lambda: sorted(p.name for p in (tmp_path / "c" / "exported").glob("*.jaxexport"))  # noqa: E731
    first = run()
    assert first["traced"] == 1 and len(exported()) == 1
    # heavy S, F = μ: Δa → y² m²/(4π² M²) [ln(M/m) − 7/12] (g2_neutral_scalar's docstring), to ~(m/M)² ln
    m, big = 0.105658, 2.0
    limit = 1e-6 * m**2 / (4 * math.pi**2 * big**2) * (math.log(big / m) - 7 / 12)
    assert first["value"][0] == pytest.approx(limit, rel=0.02)
    second = run()
    assert second["traced"] == 0 and second["value"] == first["value"]      # loaded, not traced
    changed = run(DIGEST="another package")
    assert changed["traced"] == 1 and len(exported()) == 2                   # the key holds the package's content
    assert run(OUTSIDE="1")["traced"] == 1 and len(exported()) == 2          # defined outside the package: plain jit
    assert run(JAXG2_NO_CACHE="1")["traced"] == 1


def test_compile_ahead_runs_the_compiled_program_and_falls_back_on_other_shapes():
    import numpy as np

    f = jax.jit(lambda x: jnp.sin(x) * 2.5 + 0.125)
    call = compilation.compile_ahead(f, jax.ShapeDtypeStruct((3,), jnp.float64))
    x = jnp.arange(3.0)
    np.testing.assert_array_equal(np.asarray(call(x)), 2.5 * np.sin(np.arange(3.0)) + 0.125)
    assert call.fallbacks == 0 and call.compiled.done()
    y = jnp.arange(4.0)                                   # another shape: the jitted function
    np.testing.assert_array_equal(np.asarray(call(y)), 2.5 * np.sin(np.arange(4.0)) + 0.125)
    assert call.fallbacks == 1


def test_fit_uses_the_programs_compiled_ahead():
    """The NUTS chunk and the observables' program compiled on the worker threads are the
    ones that run (no fallback: their argument shapes were predicted exactly), and the draws
    equal those of a Problem that compiles on first call."""
    import numpy as np

    from jaxg2 import config
    import importlib

    from jaxg2.infer import Problem, nuts
    from test_infer_problem import toy_config

    fit_mod = importlib.import_module("jaxg2.infer.fit")  # the module (jaxg2.infer.fit is also the function)
    cfg = config.load(toy_config(sampler={"num_warmup": 20, "num_samples": 30, "num_chains": 2,
                                          "checkpoint_every": 25}), fast=False)
    problem = Problem(cfg)
    fit_mod._constrain_ahead(problem, 2 * 30)
    draws, _, _ = fit_mod.sample(problem, None, progress=False)
    values = fit_mod._constrained(problem, draws.z)
    ahead = list(problem._nuts_ahead.values()) + list(problem._constrain_ahead.values())
    assert len(ahead) == 2 and all(a.fallbacks == 0 and a.compiled.done() for a in ahead)
    plain = Problem(cfg)
    real = nuts._chunk_ahead
    try:
        nuts._chunk_ahead = lambda problem, init_fn, chunk_fn, keys, settings: chunk_fn  # compile on first call
        ref, _, _ = fit_mod.sample(plain, None, progress=False)
    finally:
        nuts._chunk_ahead = real
    for k in draws.z:
        np.testing.assert_array_equal(draws.z[k], ref.z[k])
    ref_values = fit_mod._constrained(plain, ref.z)
    for k in ref_values:
        np.testing.assert_array_equal(values[k], ref_values[k])


def test_compile_clock_separates_worker_compiles_from_the_callers_time():
    """A compile on another thread counts in ``seconds`` but not in ``blocked_seconds``;
    the caller's wait for a compile_ahead program counts in both."""
    import threading

    ev = "/jax/core/compile/backend_compile_duration"
    with compilation.CompileClock() as clock:
        clock._listen(ev, 10.0, 12.0)                                        # this thread
        t = threading.Thread(target=clock._listen, args=(ev, 11.0, 15.0))  # a worker
        t.start()
        t.join()
    assert clock.seconds == pytest.approx(5.0) and clock.blocked_seconds == pytest.approx(2.0)
    f = jax.jit(lambda x: jnp.cosh(x) * 3.25 - 1.5)
    with compilation.CompileClock() as real:
        call = compilation.compile_ahead(f, jax.ShapeDtypeStruct((), jnp.float64))
        call(jnp.asarray(0.5)).block_until_ready()        # waits for the worker, then runs
    assert real.blocked_seconds > 0 and real.seconds >= real.blocked_seconds


def test_separate_value_and_grad_matches_the_inline_function_under_jit_vmap_grad():
    """The separately compiled value and gradient (host call, custom_vjp) equal those of the
    function itself: unbatched, vmapped, doubly vmapped with an unbatched leaf, inside jit,
    and for a program compiled over 3 points (chunked and padded batches)."""
    import numpy as np

    def fn(u):
        return jnp.sin(u["a"]) * jnp.sum(u["b"] ** 2) + u["a"] ** 3 - jnp.log1p(u["b"][0] ** 2)

    ex = {"a": jax.ShapeDtypeStruct((), jnp.float64), "b": jax.ShapeDtypeStruct((3,), jnp.float64)}
    f = compilation.separate_value_and_grad(fn, ex)
    u = {"a": jnp.asarray(0.7), "b": jnp.asarray([1.0, -2.0, 3.5])}
    (v, g), (v0, g0) = jax.value_and_grad(f)(u), jax.value_and_grad(fn)(u)
    np.testing.assert_allclose(float(v), float(v0), rtol=1e-15)
    for k in u:
        np.testing.assert_allclose(np.asarray(g[k]), np.asarray(g0[k]), rtol=1e-14)
    ub = {"a": jnp.linspace(-1.0, 1.0, 5), "b": jnp.reshape(jnp.arange(15.0) / 7.0, (5, 3))}
    vb, gb = jax.jit(jax.vmap(jax.value_and_grad(f)))(ub)
    vb0, gb0 = jax.vmap(jax.value_and_grad(fn))(ub)
    np.testing.assert_allclose(np.asarray(vb), np.asarray(vb0), rtol=1e-14)
    np.testing.assert_allclose(np.asarray(gb["b"]), np.asarray(gb0["b"]), rtol=1e-14)
    ax = ({"a": 0, "b": None},)
    a2 = jnp.reshape(jnp.linspace(0.1, 0.8, 8), (2, 4))
    nested = jax.vmap(jax.vmap(f, in_axes=ax), in_axes=ax)({"a": a2, "b": u["b"]})
    ref = jax.vmap(jax.vmap(fn, in_axes=ax), in_axes=ax)({"a": a2, "b": u["b"]})
    np.testing.assert_allclose(np.asarray(nested), np.asarray(ref), rtol=1e-14)
    assert f.wait() is not None
    f3 = compilation.separate_value_and_grad(fn, ex, batch=3)     # 5 points: two calls, one padded
    vb3, gb3 = jax.vmap(jax.value_and_grad(f3))(ub)
    np.testing.assert_allclose(np.asarray(vb3), np.asarray(vb0), rtol=1e-14)
    np.testing.assert_allclose(np.asarray(gb3["b"]), np.asarray(gb0["b"]), rtol=1e-14)
    np.testing.assert_allclose(float(f3(u)), float(v0), rtol=1e-15)   # one point, padded to 3


def test_separate_value_matches_the_function_in_batches_and_inside_jit():
    """The value-only host call (jaxns' likelihood): unbatched, and vmapped over 7 points
    with a 3-point program (three calls, the last padded), inside jit."""
    import numpy as np

    def fn(u):
        return jnp.sin(u[0]) * jnp.exp(-u[1] ** 2) + u[0] ** 3

    f = compilation.separate_value(fn, jax.ShapeDtypeStruct((2,), jnp.float64), batch=3)
    u = jnp.reshape(jnp.linspace(-1.3, 2.1, 14), (7, 2))
    np.testing.assert_allclose(np.asarray(jax.jit(jax.vmap(f))(u)), np.asarray(jax.vmap(fn)(u)), rtol=1e-15)
    np.testing.assert_allclose(float(jax.jit(f)(u[4])), float(fn(u[4])), rtol=1e-15)
    assert f.wait() is not None


def test_separate_model_program_gives_the_inline_potential_and_resumes_identically(tmp_path):
    """``model_program = "separate"``: the potential and its gradient equal the inline ones,
    "auto" keeps a small model inline, bad values are a config error, and a NUTS run through
    the host call is reproducible and resumes to the same draws."""
    import numpy as np

    from jaxg2 import config
    from jaxg2.infer import Problem, blocks
    from jaxg2.infer.nuts import run_nuts
    from test_infer_problem import toy_config

    sampler = {"num_warmup": 20, "num_samples": 30, "num_chains": 2, "checkpoint_every": 10}
    sep = Problem(config.load(toy_config(sampler=dict(sampler, model_program="separate")), fast=False))
    auto = Problem(config.load(toy_config(sampler=sampler), fast=False))
    assert sep.separate_model and not auto.separate_model
    u = {"a": jnp.asarray([0.3, -1.2]), "log10_m": jnp.asarray([-0.7, 0.4])}
    vs, gs = jax.vmap(jax.value_and_grad(sep.potential))(u)
    va, ga = jax.vmap(jax.value_and_grad(auto.potential))(u)
    np.testing.assert_allclose(np.asarray(vs), np.asarray(va), rtol=1e-13)
    for k in u:
        np.testing.assert_allclose(np.asarray(gs[k]), np.asarray(ga[k]), rtol=1e-12)
    with pytest.raises(config.ConfigError, match="model_program"):
        config.load(toy_config(sampler=dict(sampler, model_program="host")), fast=False)
    full = run_nuts(sep, None, progress=False)
    ck = tmp_path / "ck.npz"
    part = run_nuts(sep, ck, progress=False, max_blocks=2)
    assert not part.complete and full.complete
    again = Problem(config.load(toy_config(sampler=dict(sampler, model_program="separate")), fast=False))
    resumed = run_nuts(again, ck, resume=True, progress=False)
    for k in full.z:
        np.testing.assert_array_equal(resumed.z[k], full.z[k])
    assert isinstance(resumed, blocks.Draws)


def test_auto_model_program_separates_the_big_models_only():
    """``model_program = "auto"`` on one CPU: scotogenic_u1d (13 397 equations) is compiled
    separately, the default lmu_ltau fit (6889) stays inline — the threshold's documented split."""
    from pathlib import Path

    from jaxg2 import config
    from jaxg2.infer import Problem
    from jaxg2.infer.problem import SEPARATE_MODEL_EQUATIONS, _equations

    fits = Path(__file__).parents[1] / "fits"
    big = Problem(config.load(fits / "scotogenic_u1d_2025.toml", fast=True))
    small = Problem(config.load(fits / "lmu_ltau_2021.toml", fast=True))
    assert big.separate_model and not small.separate_model
    n = _equations(jax.make_jaxpr(lambda u: small._inline_potential()(u, None))(small._site_shapes()).jaxpr)
    assert 1000 < n < SEPARATE_MODEL_EQUATIONS
