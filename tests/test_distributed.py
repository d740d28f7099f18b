"""Two processes (jax.distributed on 127.0.0.1, 2 CPU devices each) running one fit, scan
and search: exit codes, one output directory, numbers equal to a single-process run."""

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import arviz as az
import numpy as np
import pytest

from jaxg2 import cli
from jaxg2.infer import distributed, load_scan

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent

TOML = """
[fit]
model = "test_infer_problem:TOY"
scenario = "2021"
output = "{out}"
[sampler]
num_warmup = 30
num_samples = 30
num_chains = 4
checkpoint_every = 30
init = "prior"           # no Adam warm start: one compilation less per process
[search]
num_starts = 8
num_steps = 30
learning_rate = 0.1
[scan]
x = {{ name = "m", low = 1e-3, high = 1.0, num = 6, log = true }}
y = {{ name = "a", low = -4, high = 6, num = 5 }}
chunk = 7
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _two_processes(args, env_style=False):
    """Run ``python -m jaxg2.cli ARGS`` as processes 0 and 1; return their CompletedProcess-like results."""
    port = _free_port()
    procs = []
    for i in range(2):
        env = dict(os.environ, XLA_FLAGS="--xla_force_host_platform_device_count=2", JAX_PLATFORMS="cpu",
                   PYTHONPATH=os.pathsep.join([str(TESTS), str(ROOT)]))
        extra = []
        if env_style:
            env.update(JAXG2_COORDINATOR=f"127.0.0.1:{port}", JAXG2_NUM_PROCESSES="2", JAXG2_PROCESS_ID=str(i))
        else:
            extra = ["--coordinator", f"127.0.0.1:{port}", "--num-processes", "2", "--process-id", str(i)]
        procs.append(subprocess.Popen([sys.executable, "-m", "jaxg2.cli", *args, *extra], cwd=ROOT, env=env,
                                      stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
    outs = []
    try:
        for p in procs:
            out, err = p.communicate(timeout=400)
            outs.append((p.returncode, out, err))
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
    for rc, out, err in outs:
        assert rc == 0, err[-3000:]
    # gloo (the CPU collectives) prints its connection lines on stdout, "[Gloo] Rank 1 is connected to
    # 1 peer ranks. Expected number of connected peer ranks is : 1", one per communicator and from
    # several threads: under load two interleave as "... is : [Gloo] Rank 1 ... is : 1" + "1", leaving
    # a line that is a bare number (seen in CI, 2026-11-30).  The commands never print a bare number.
    def _ours(line):
        return not line.startswith("[Gloo]") and not line.strip().isdigit()

    return [(rc, "".join(l for l in out.splitlines(True) if _ours(l)), err) for rc, out, err in outs]


def test_share_splits_every_member_once():
    for total in (1, 4, 7, 10):
        for count in (1, 2, 3):
            spans = [distributed.share(total, i, count) for i in range(count)]
            assert spans[0][0] == 0 and spans[-1][1] == total
            assert all(a[1] == b[0] for a, b in zip(spans, spans[1:]))
            assert max(b - a for a, b in spans) - min(b - a for a, b in spans) <= 1


def test_incomplete_flags_are_a_usage_error(tmp_path, capsys):
    cfg = tmp_path / "toy.toml"
    cfg.write_text(TOML.format(out=tmp_path / "run"))
    assert cli.main(["scan", str(cfg), "--num-processes", "2"]) == 2
    assert "go together" in capsys.readouterr().err


@pytest.mark.slow
def test_two_processes_equal_one(tmp_path):
    cfg = tmp_path / "toy.toml"
    single, multi = tmp_path / "single", tmp_path / "multi"
    cfg.write_text(TOML.format(out=multi))
    # fit: flags; scan and search: env variables
    fit_out = _two_processes(["fit", str(cfg), "--quiet"])
    _two_processes(["scan", str(cfg), "--quiet"], env_style=True)
    search_out = _two_processes(["search", str(cfg)], env_style=True)
    assert "wrote" in fit_out[0][1] and "wrote" not in fit_out[1][1]    # process 0 alone reports ...
    assert "model evaluations" in search_out[0][1] and not search_out[1][1].strip()
    # ... and writes: one directory, no temporary or per-chunk leftovers
    assert sorted(p.name for p in multi.iterdir()) == ["checkpoint.p0of2.npz", "checkpoint.p1of2.npz", "corner.png",
                                                       "posterior.nc", "scan", "search", "summary.csv",
                                                       "summary.txt", "trace.png"]
    assert sorted(p.name for p in (multi / "scan").iterdir()) == ["scan.npz", "scan.png"]

    # the same config in this process (one process, one device)
    assert cli.main(["fit", str(cfg), "--quiet", "--output", str(single)]) == 0
    assert cli.main(["scan", str(cfg), "--quiet", "--output", str(single)]) == 0
    assert cli.main(["search", str(cfg), "--output", str(single)]) == 0
    a = az.from_netcdf(multi / "posterior.nc")
    b = az.from_netcdf(single / "posterior.nc")
    assert a.posterior.attrs["n_processes"] == 2 and b.posterior.attrs["n_processes"] == 1
    assert np.asarray(a.posterior["a"]).shape == (4, 30)
    for name in ("a", "log10_m", "delta_a_mu"):
        np.testing.assert_allclose(np.asarray(a.posterior[name]), np.asarray(b.posterior[name]), rtol=1e-10, atol=0)
    np.testing.assert_array_equal(np.asarray(a.sample_stats["n_steps"]), np.asarray(b.sample_stats["n_steps"]))
    sa, sb = load_scan(multi / "scan" / "scan.npz"), load_scan(single / "scan" / "scan.npz")
    np.testing.assert_array_equal(sa.pull, sb.pull)
    for k in sb.observables:
        np.testing.assert_array_equal(sa.observables[k], sb.observables[k])
    pa, pb = (json.loads((d / "search" / "points.json").read_text())["points"] for d in (multi, single))
    assert len(pa) == len(pb) > 0
    for p, q in zip(pa, pb):   # the same starts optimised in batches of 2 or 8: equal to rounding
        assert p.keys() == q.keys()
        np.testing.assert_allclose([p[k] for k in p], [q[k] for k in p], rtol=1e-9)


def test_slurm_script_gives_every_task_its_index(tmp_path):
    """fits/slurm/fit.sbatch under stand-ins for scontrol, srun (2 tasks) and jaxg2."""
    bin_ = tmp_path / "bin"
    bin_.mkdir()
    stubs = {"scontrol": 'printf "node7\\nnode8\\n"',
             "srun": 'shift\nfor i in 0 1; do SLURM_PROCID=$i "$@" & done\nwait',
             "jaxg2": 'echo "$JAXG2_COORDINATOR $JAXG2_NUM_PROCESSES $JAXG2_PROCESS_ID $*" >> "$LOG"'}
    for name, body in stubs.items():
        (bin_ / name).write_text("#!/bin/bash\n" + body + "\n")
        (bin_ / name).chmod(0o755)
    log = tmp_path / "log"
    env = dict(os.environ, PATH=f"{bin_}{os.pathsep}{os.environ['PATH']}", SLURM_JOB_NODELIST="node[7-8]",
               SLURM_NTASKS="2", LOG=str(log), JAXG2_COMMAND="scan")
    proc = subprocess.run(["bash", str(ROOT / "fits" / "slurm" / "fit.sbatch"), "my fit.toml", "--resume"],
                          env=env, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert sorted(log.read_text().splitlines()) == [f"node7:12321 2 {i} scan my fit.toml --resume" for i in (0, 1)]
