"""Cost of the lmu_ltau relic Yukawa: the freeze-out default against the paper's eq. 20, in one run.

Times (wall clock, this machine, compile included as its own column) for N points of
M₁ at (g′, m_Z′) = (5e-4, 10 MeV):

* ``paper_eq20``   — dark_sector.relic_yukawa(..., relic="paper_eq20") (the baseline: the
  pre-issue-13 code path, a closed-form ⟨σv⟩ at x_f = 20);
* ``freeze_out``   — the default (semi-analytic freeze-out inside a chord/Newton root find);
* ``grad``         — jax.grad of Σ y over M₁ through the default;
* ``omega_ode``    — Ωh² by the diffrax Boltzmann ODE (the reference solver), per point;
* ``omega_exp``    — Ωh² by the semi-analytic solution, per point.

Ratios are against the baseline's run time in the same process.

    python benchmarks/bench_relic.py [--n 64]
"""

import argparse
import time

import jax
import jax.numpy as jnp
import numpy as np

import jaxg2  # noqa: F401  (float64)
from jaxg2.models.lmu_ltau import dark_sector, relic

G, MZ = 5e-4, 0.010


def _time(f, *args, repeats=7):
    """(compile time, run time): first call minus the best of ``repeats`` later calls."""
    t0 = time.perf_counter()
    jax.block_until_ready(f(*args))
    first = time.perf_counter() - t0
    runs = []
    for i in range(repeats):
        shifted = [a * (1.0 + 1e-3 * (i + 1)) for a in args]
        t0 = time.perf_counter()
        jax.block_until_ready(f(*shifted))
        runs.append(time.perf_counter() - t0)
    return first - min(runs), min(runs)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=64, help="points in M₁ (1–100 GeV)")
    n = ap.parse_args().n
    m = jnp.geomspace(1.0, 100.0, n)
    y = jnp.full(n, 0.1)
    cases = {
        "paper_eq20": (jax.jit(lambda mm: dark_sector.relic_yukawa(mm, G, MZ, relic="paper_eq20")), (m,)),
        "freeze_out": (jax.jit(lambda mm: dark_sector.relic_yukawa(mm, G, MZ)), (m,)),
        "grad": (jax.jit(jax.grad(lambda mm: jnp.sum(dark_sector.relic_yukawa(mm, G, MZ)))), (m,)),
        "omega_exp": (jax.jit(lambda yy, mm: relic.omega_h2(yy, mm, G, MZ)), (y, m)),
        "omega_ode": (jax.jit(lambda yy, mm: relic.omega_h2(yy, mm, G, MZ, method="boltzmann")), (y, m)),
    }
    rows = {k: _time(f, *a) for k, (f, a) in cases.items()}
    base = rows["paper_eq20"][1]
    print(f"{'case':12s} {'compile [s]':>12s} {'run/point [ms]':>15s} {'run ratio':>10s}   ({n} points)")
    for k, (comp, run) in rows.items():
        print(f"{k:12s} {comp:12.2f} {1e3 * run / n:15.4f} {run / base:10.1f}")
    print("devices:", jax.devices(), " numpy", np.__version__)


if __name__ == "__main__":
    main()
