"""benchmarks/gpu.sh in its small mode on the CPU: every figure printed and in the JSON.

The fit and scan figures run on the leptophilic scalar (fits/leptophilic_scalar_2021.toml
with a [scan] grid) instead of the default fit: the script's code paths are the same, and
its programs compile in seconds instead of minutes (the default fit's three programs took
522 s of this test with a cold compilation cache, 2026-12-01)."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LIGHT = ROOT / "fits" / "leptophilic_scalar_2021.toml"
SCAN = """
[scan]
x = { name = "m_phi", low = 1e-3, high = 10.0, num = 120, log = true }
y = { name = "a_loop", low = 1e-13, high = 1e-5, num = 100, log = true }
"""


@pytest.mark.slow
def test_gpu_script_small_mode_on_cpu(tmp_path):
    out = tmp_path / "gpu.json"
    config = tmp_path / "light.toml"
    config.write_text(LIGHT.read_text() + SCAN)        # its model file is relative to the config:
    (tmp_path / "models").mkdir()                        # the script resolves it there
    shutil.copy(LIGHT.parent / "models" / "leptophilic_scalar.py", tmp_path / "models")
    env = dict(os.environ, PYTHON=sys.executable, JAX_PLATFORMS="cpu", JAXG2_BENCH_SMALL="1")
    proc = subprocess.run(["bash", str(ROOT / "benchmarks" / "gpu.sh"), "--json", str(out), "--config", str(config)],
                          capture_output=True, text=True, env=env, timeout=900, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr[-3000:]
    rec = json.loads(out.read_text())
    assert rec["small"] is True and rec["backend"] == "cpu" and rec["config"] == str(config)
    assert rec["scan"]["points"] == 16                       # the small grid, 4 × 4
    for name in ("loop", "sigma_t", "scan"):
        assert rec[name]["points_per_s"] > 0, name
        assert f"{name} " in proc.stdout and "points/s" in proc.stdout
    assert rec["fit_nuts"]["ess_per_s"] > 0 and rec["fit_nuts"]["min_ess_bulk"] > 0
    chees = rec["fit_chees"]["ess_per_s"]
    # the many-chain kernel: a figure where the config knows it, else a clean "n/a"
    assert chees == "n/a (kernel not available)" or chees > 0
    if isinstance(chees, str):
        assert "n/a (kernel not available)" in proc.stdout and "sampler.kernel" in rec["fit_chees"]["reason"]
    else:
        assert rec["fit_chees"]["chains"] == 4
