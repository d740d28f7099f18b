"""benchmarks/gpu.sh in its small mode on the CPU: every figure printed and in the JSON."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_gpu_script_small_mode_on_cpu(tmp_path):
    out = tmp_path / "gpu.json"
    env = dict(os.environ, PYTHON=sys.executable, JAX_PLATFORMS="cpu", JAXG2_BENCH_SMALL="1")
    proc = subprocess.run(["bash", str(ROOT / "benchmarks" / "gpu.sh"), "--json", str(out)], capture_output=True,
                          text=True, env=env, timeout=900, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr[-3000:]
    rec = json.loads(out.read_text())
    assert rec["small"] is True and rec["backend"] == "cpu"
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
