"""jaxg2's XLA CPU default (``jaxg2._xla_cpu_defaults``): set on tested jaxlib, never
overriding the user's choice, and the same numbers with or without it."""

import json
import os
import subprocess
import sys

import jaxg2


def test_flag_added_only_when_asked_for_and_tested(monkeypatch):
    from importlib import metadata

    monkeypatch.setattr(metadata, "version", lambda name: "0.10.2")
    env = {"XLA_FLAGS": "--xla_force_host_platform_device_count=2"}
    assert jaxg2._xla_cpu_defaults(env)
    assert env["XLA_FLAGS"] == "--xla_force_host_platform_device_count=2 --xla_cpu_use_fusion_emitters=false"
    env = {"XLA_FLAGS": "--xla_cpu_use_fusion_emitters=true"}  # the user's own setting wins
    assert not jaxg2._xla_cpu_defaults(env) and env["XLA_FLAGS"] == "--xla_cpu_use_fusion_emitters=true"
    env = {"JAXG2_XLA_DEFAULTS": "0"}
    assert not jaxg2._xla_cpu_defaults(env) and "XLA_FLAGS" not in env
    monkeypatch.setattr(metadata, "version", lambda name: "0.4.30")  # untested jaxlib: no flag
    env = {}
    assert not jaxg2._xla_cpu_defaults(env) and "XLA_FLAGS" not in env


_PROBE = r"""
import json, os, jaxg2, jax, jax.numpy as jnp
from jaxg2 import loops
m = jnp.geomspace(1e-3, 1e3, 7)
f = lambda ms: jnp.sum(loops.g2_charged_scalar(0.10566, ms, 1.3, 0.7, 0.2) + loops.g2_neutral_vector(0.10566, 0.10566, ms, 0.3, 0.1))
v, g = jax.jit(jax.value_and_grad(f))(m)
print(json.dumps({"flags": os.environ.get("XLA_FLAGS", ""), "v": float(v), "g": [float(x) for x in g]}))
"""


def _probe(extra_env):
    env = {k: v for k, v in os.environ.items() if k not in ("XLA_FLAGS", "JAXG2_XLA_DEFAULTS")}
    env.update(extra_env)
    out = subprocess.run([sys.executable, "-c", _PROBE], capture_output=True, text=True, env=env, timeout=300, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_same_numbers_with_and_without_the_flag():
    on, off = _probe({}), _probe({"JAXG2_XLA_DEFAULTS": "0"})
    assert "xla_cpu_use_fusion_emitters" not in off["flags"]
    from importlib import metadata
    if metadata.version("jaxlib").startswith(jaxg2._FUSION_FLAG_JAXLIB):
        assert on["flags"].endswith("--xla_cpu_use_fusion_emitters=false")
    assert abs(on["v"] - off["v"]) <= 1e-13 * abs(off["v"])
    for a, b in zip(on["g"], off["g"]):
        assert abs(a - b) <= 1e-12 * max(abs(b), 1e-300)


_DEEP_CHAIN = r"""
import jaxg2, jax, jax.numpy as jnp
def chain(a):
    x = a
    for i in range(1500):
        x = jnp.sin(x + 0.001 * i) * jnp.cos(a * (1 + 1e-4 * i)) + jnp.where(x > 0, jnp.log1p(x * x), x)
    return x
print(float(jax.jit(chain)(0.3)))
"""


def test_deep_fused_chain_compiles_with_the_defaults_off():
    """The documented way out of the older emitter's limit: one fused chain of 1500 steps
    (~12 000 operations) overflows its 2 MB compile thread (a segfault, jaxlib 0.10.2), and
    compiles with ``JAXG2_XLA_DEFAULTS=0``."""
    env = {k: v for k, v in os.environ.items() if k not in ("XLA_FLAGS", "JAXG2_XLA_DEFAULTS")}
    env.update(JAXG2_XLA_DEFAULTS="0", JAX_PLATFORMS="cpu")
    out = subprocess.run([sys.executable, "-c", _DEEP_CHAIN], capture_output=True, text=True, env=env, timeout=300)
    assert out.returncode == 0, (out.returncode, out.stderr[-2000:])
    assert abs(float(out.stdout.strip().splitlines()[-1])) < 10
