"""The `jaxg2` command: models, show, fit/search/scan on the toy model, errors → status 2."""

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from jaxg2 import cli

from test_infer_problem import TOY

ROOT = Path(__file__).resolve().parents[1]
TESTS = Path(__file__).resolve().parent

TOML = """
[fit]
model = "test_infer_problem:TOY"
scenario = "2021"
output = "{out}"
[sampler]
num_warmup = 40
num_samples = 40
num_chains = 2
checkpoint_every = 20
init_steps = 20
[search]
num_starts = 16
num_steps = 60
learning_rate = 0.1
[scan]
x = {{ name = "m", low = 1e-3, high = 1.0, num = 6, log = true }}
y = {{ name = "a", low = -4, high = 6, num = 5 }}
"""


def test_show_prints_every_observable_with_units(capsys):
    assert cli.main(["show", "test_infer_problem:TOY", "--point", "BP2", "--set", "a=1.5"]) == 0
    out = capsys.readouterr().out
    obs = TOY.observables({"a": 1.5, "m": 0.01, "k": 1.0})
    for k, v in obs.items():
        line = next(l for l in out.splitlines() if l.split()[:1] == [k])
        # Δa is quoted in units of 1e-11 (the g-2 convention), everything else as it is
        scale, unit = (1e11, "1e-11") if k.startswith("delta_a_") else (1.0, TOY.units[k])
        assert float(line.split()[1]) == np.float64(f"{float(v) * scale:.6g}")
        assert line.split()[2] == unit
    assert "meg" in out and "allowed" in out
    assert cli.main(["show", "test_infer_problem:TOY", "--point", "BP7"]) == 2
    assert "no benchmark 'BP7'" in capsys.readouterr().err
    assert cli.main(["show", "test_infer_problem:TOY", "--set", "zz=1"]) == 2
    assert "expected NAME=VALUE" in capsys.readouterr().err
    assert cli.main(["show", "no_such_model"]) == 2


@pytest.mark.parametrize("item, text", [
    ("a=nan", "finite number"), ("a=inf", "finite number"), ("m=-1e-3", "physical range [0, inf] GeV"),
    ("m=abc", "is not a number"),
])
def test_show_refuses_nonfinite_and_unphysical_set_values(item, text, capsys):
    assert cli.main(["show", "test_infer_problem:TOY", "--set", item]) == 2
    err = capsys.readouterr().err
    assert text in err and err.count("\n") == 1 and err.startswith("jaxg2: error: --set")


def test_models_console_script():
    env = dict(os.environ, PYTHONPATH=str(TESTS))
    out = subprocess.run([sys.executable, "-m", "jaxg2.cli", "models"], capture_output=True, text=True,
                         cwd=ROOT, env=env, timeout=120)
    assert out.returncode == 0, out.stderr
    assert "lmu_ltau" in out.stdout and "reference:" in out.stdout


def test_fit_search_scan_commands(tmp_path, capsys):
    cfg = tmp_path / "toy.toml"
    out = tmp_path / "run"
    cfg.write_text(TOML.format(out=out))
    assert cli.main(["fit", str(cfg), "--quiet", "--fast"]) == 0       # no [fast] table: unchanged
    text = capsys.readouterr()
    assert "wrote" in text.out and (out / "posterior.nc").exists() and (out / "corner.png").exists()
    assert "low ess" in text.err                                        # 80 draws: warned, once
    assert text.err.count("low ess bulk") == 1
    # --resume of a finished run rewrites the outputs from the checkpoint
    assert cli.main(["fit", str(cfg), "--quiet", "--resume", "--output", str(tmp_path / "run")]) == 0
    capsys.readouterr()
    assert cli.main(["search", str(cfg)]) == 0
    text = capsys.readouterr().out
    assert "model evaluations" in text and (out / "search" / "points.csv").exists()
    assert cli.main(["scan", str(cfg)]) == 0
    text = capsys.readouterr().out
    assert "30 grid points" in text and (out / "scan" / "scan.png").exists()


def test_show_constraints_table_has_one_row_per_constraint(capsys):
    assert cli.main(["show", "test_infer_problem:TOY", "--point", "BP2", "--constraints"]) == 0
    out = capsys.readouterr().out
    rows = {l.split()[0]: l for l in out.splitlines() if l.split()[:1] in (["meg"], ["pert"])}
    assert set(rows) == {"meg", "pert"}
    obs = TOY.observables(TOY.benchmark("BP2"))
    from jaxg2 import experiments

    meg_ok = float(obs["br_mu_e_gamma"]) <= experiments.get("meg2_2024_mu_e_gamma").limit
    assert ("allowed" if meg_ok else "EXCLUDED") in rows["meg"]
    assert "arXiv:" in rows["meg"] and "(2024)" in rows["meg"]      # registry provenance
    assert "theory" in rows["pert"] and "(off)" in rows["pert"]      # a theoretical, non-default bound


def test_fit_refuses_unknown_corner_vars_and_unwritable_output(tmp_path, capsys):
    cfg = tmp_path / "toy.toml"
    cfg.write_text(TOML.format(out=tmp_path / "run"))
    assert cli.main(["fit", str(cfg), "--quiet", "--vars", "a,nope"]) == 2
    err = capsys.readouterr().err
    assert "unknown posterior variable(s) nope" in err and len(err.strip().splitlines()) == 1
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert cli.main(["fit", str(cfg), "--quiet", "--output", str(blocker / "sub")]) == 2
    assert "cannot create" in capsys.readouterr().err
    assert not (tmp_path / "run").exists()                                       # nothing half-written


SLOW_MODEL = '''
import sys
import jax
import jax.numpy as jnp
from jaxg2.models.base import Model, Parameter, Prior

TRACED = []


def lowered(event, duration, **kwargs):
    """Lowering the sampler's program (``run_chunk``: the model's value and gradient) ends
    right before XLA's compiler gets it; where JAX does not name the function, a long
    lowering marks it."""
    if TRACED and event == "/jax/core/compile/jaxpr_to_mlir_module_duration" and (
            "run_chunk" in kwargs.get("fun_name", "") or duration > 0.2):
        print("COMPILING", file=sys.stderr, flush=True)


jax.monitoring.register_event_duration_secs_listener(lowered)


def observables(t):
    """An unrolled chain of a few hundred steps: XLA compiles its value and gradient for tens
    of seconds (250 steps: 60-90 s on 2 cores; the time grows as the square of the length).
    Not much longer: XLA's older CPU emitter, which jaxg2 selects, recurses about 8 frames
    per fused operation on a 2 MB compile thread, and a chain of ~1500 steps overflows it (a
    segfault a few seconds into the compilation, which raced this test's SIGINT)."""
    TRACED.append(1)
    a = t["a"]
    x = a
    for i in range(250):
        x = jnp.sin(x + 0.001 * i) * jnp.cos(a * (1 + 1e-4 * i)) + jnp.where(x > 0, jnp.log1p(x * x), x)
    return {"delta_a_mu": 1e-9 * a + 1e-30 * x}


MODEL = Model(name="slow", description="slow to compile", reference="none",
              parameters=(Parameter("a", "1", "a", Prior.uniform(-5.0, 5.0)),),
              observables=observables, units={"delta_a_mu": "1"})
'''


def test_sigint_during_compilation_stops_at_once(tmp_path):
    """^C while XLA compiles (the main thread of a plain program sits in C++ for the whole
    compilation) ends the run within seconds: status 130, one line with the resume hint."""
    import signal
    import time

    (tmp_path / "slow_model.py").write_text(SLOW_MODEL)
    cfg = tmp_path / "slow.toml"
    cfg.write_text(f'[fit]\nmodel = "slow_model.py:MODEL"\nscenario = "2021"\noutput = "{tmp_path / "run"}"\n'
                   '[sampler]\nnum_warmup = 10\nnum_samples = 10\nnum_chains = 1\ninit = "prior"\n')
    env = dict(os.environ, JAXG2_NO_CACHE="1", JAX_PLATFORMS="cpu")
    proc = subprocess.Popen([sys.executable, "-m", "jaxg2.cli", "fit", str(cfg), "--quiet"], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        lines = []
        for line in proc.stderr:                      # wait until XLA compiles the model's program
            lines.append(line)
            if "COMPILING" in line:
                break
        assert proc.poll() is None, "".join(lines)
        time.sleep(0.5)                               # inside the (tens of seconds long) compilation
        proc.send_signal(signal.SIGINT)
        sent = time.monotonic()
        _, err = proc.communicate(timeout=20)         # hang guard: the compilation alone outlasts it
    finally:
        proc.kill()
    print(f"stopped {time.monotonic() - sent:.1f} s after SIGINT")
    assert proc.returncode == 130, err
    msg = [l for l in err.splitlines() if l.startswith("jaxg2:")]
    assert len(msg) == 1 and "interrupted" in msg[0] and f"jaxg2 fit {cfg}" in msg[0] and "--resume" in msg[0]
