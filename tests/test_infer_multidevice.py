"""Several devices: chains and scan chunks split over 4 CPU devices give the same numbers."""

import json
import os
import subprocess
import sys
from pathlib import Path

TESTS = Path(__file__).resolve().parent

SCRIPT = r"""
import json, sys
import numpy as np
import jax
import jaxg2
from jaxg2 import config
from jaxg2.infer import Problem
from jaxg2.infer.nuts import run_nuts
from test_infer_problem import toy_config
assert jax.local_device_count() == 4
out = {}
for method in ("parallel", "vectorized"):
    cfg = config.load(toy_config(sampler={"num_warmup": 30, "num_samples": 30, "num_chains": 4,
                                          "checkpoint_every": 30, "chain_method": method,
                                          "init_steps": 10}), fast=False)
    d = run_nuts(Problem(cfg), None, progress=False)
    out[method] = {"n_devices": d.n_devices, "method": d.chain_method, "a": np.asarray(d.z["a"]).tolist()}
scan_cfg = toy_config(scan={"x": {"name": "a", "low": -3.0, "high": 5.0, "num": 11}, "chunk": 5})
r = jaxg2.scan(scan_cfg, fast=False, write=False)
out["scan_pull"] = r.pull.tolist()
print("RESULT" + json.dumps(out))
"""


def test_four_cpu_devices():
    env = dict(os.environ, XLA_FLAGS="--xla_force_host_platform_device_count=4", JAX_PLATFORMS="cpu",
               PYTHONPATH=str(TESTS))
    proc = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, env=env,
                          timeout=300, cwd=TESTS.parent)
    assert proc.returncode == 0, proc.stderr[-3000:]
    res = json.loads(proc.stdout.split("RESULT", 1)[1])
    assert res["parallel"]["n_devices"] == 4 and res["parallel"]["method"] == "parallel"
    assert res["vectorized"]["n_devices"] == 1
    import numpy as np

    # per-chain arithmetic is identical whether chains share a device or not
    np.testing.assert_allclose(res["parallel"]["a"], res["vectorized"]["a"], rtol=1e-9, atol=1e-12)
    a = np.linspace(-3, 5, 11)
    np.testing.assert_allclose(res["scan_pull"], (a * 1e-9 - 2.51e-9) / 5.9e-10, rtol=1e-12)
