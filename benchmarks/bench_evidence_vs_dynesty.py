"""log Z of one jaxg2 config: jaxns (``jaxg2.evidence``) against dynesty, in one run.

Both integrate the same function: dynesty's ``loglike`` is
:func:`jaxg2.infer.evidence.log_likelihood` (the fit's likelihood with hard
constraints, at unit-cube coordinates), jitted for one point (dynesty calls it
point by point), and its ``prior_transform`` is the identity on the unit cube,
exactly as jaxns sees it.  dynesty wants finite values: a hard-excluded point
(log L = −inf) is given log L = −1e300.
dynesty: static NestedSampler, ``nlive`` live points, random-walk-free uniform
slice sampling (``sample="rslice"``), stopping at Δlog Z < 0.01 (its default).
Agreement is judged by |Δ log Z| / √(σ₁² + σ₂²).  Times are wall-clock, jaxns with
and without its compilation (a second run reuses the compiled program).

    python benchmarks/bench_evidence_vs_dynesty.py [--config fits/lmu_ltau_2021.toml] [--nlive 200]
"""

import argparse
import math
import time

import dynesty
import jax
import jax.numpy as jnp
import numpy as np

import jaxg2  # noqa: F401  (float64)
from jaxg2 import config
from jaxg2.infer import Problem
from jaxg2.infer.evidence import evidence, log_likelihood


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--config", default="fits/lmu_ltau_2021.toml")
    ap.add_argument("--nlive", type=int, default=200, help="dynesty live points")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()

    cfg = config.load(args.config, fast=False)
    problem = Problem(cfg, smooth=False)
    dim = len(problem.free)
    print(f"config {args.config}: model {cfg.model.name}, scenario {cfg.scenario}, free {cfg.free}, "
          f"constraints (hard) {cfg.constraints}")

    t0 = time.perf_counter()
    first = evidence(cfg, output=False, progress=False)
    t_jaxns_total = time.perf_counter() - t0
    t0 = time.perf_counter()
    ns = evidence(cfg, output=False, progress=False)
    t_jaxns = time.perf_counter() - t0

    ll = jax.jit(lambda u: log_likelihood(problem, u))
    ll(jnp.full(dim, 0.5)).block_until_ready()
    floor = -1e300  # dynesty needs finite values: hard-excluded points get a huge negative log L

    def loglike(u):
        v = float(ll(jnp.asarray(u)))
        return v if math.isfinite(v) else floor

    t0 = time.perf_counter()
    sampler = dynesty.NestedSampler(loglike, lambda u: u, dim, nlive=args.nlive, sample="rslice",
                                    rstate=np.random.default_rng(args.seed))
    sampler.run_nested(print_progress=False)
    t_dyn = time.perf_counter() - t0
    r = sampler.results
    dz, dz_err, dz_n = float(r.logz[-1]), float(r.logzerr[-1]), int(np.sum(r.ncall))

    print(f"{'sampler':10s} {'log Z':>9s} {'±':>7s} {'evaluations':>12s} {'wall [s]':>9s}")
    print(f"{'jaxns':10s} {ns.log_z:9.3f} {ns.log_z_err:7.3f} {ns.num_likelihood_evaluations:12d} "
          f"{t_jaxns:9.1f}  (first call incl. compile: {t_jaxns_total:.1f} s; identical: {first.log_z == ns.log_z})")
    print(f"{'dynesty':10s} {dz:9.3f} {dz_err:7.3f} {dz_n:12d} {t_dyn:9.1f}  (nlive {args.nlive}, rslice)")
    pull = (ns.log_z - dz) / math.hypot(ns.log_z_err, dz_err)
    print(f"difference jaxns - dynesty: {ns.log_z - dz:+.3f} ({pull:+.2f} σ combined); "
          f"wall-time ratio dynesty/jaxns (compiled): {t_dyn / t_jaxns:.2f}")


if __name__ == "__main__":
    main()
