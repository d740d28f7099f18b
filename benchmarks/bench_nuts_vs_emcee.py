"""ESS per second: jaxg2's NUTS against emcee on the same log-density, in one run.

The target is the posterior of a fit config (default: the U(1)_{Lμ−Lτ} g-2 fit
``fits/lmu_ltau_2021.toml``) in NumPyro's unconstrained space: emcee's ``log_prob``
is ``-Problem.potential`` — exactly the density NUTS samples — jitted and vmapped
over walkers (``vectorize=True``), so both samplers pay the same per-evaluation cost.

ESS: NUTS — ArviZ bulk ESS (min over the sampled sites); emcee — N·walkers/τ with
τ the integrated autocorrelation time (``emcee.autocorr``, max over parameters),
after discarding the burn-in.  Times are wall-clock on this machine, with and
without the one-off compilation.

    python benchmarks/bench_nuts_vs_emcee.py [--config fits/lmu_ltau_2021.toml] [--steps 4000]
"""

import argparse
import time

import arviz as az
import emcee
import jax
import numpy as np

import jaxg2  # noqa: F401  (float64)
from jaxg2 import config
from jaxg2.infer import Problem
from jaxg2.infer.nuts import initial_positions, run_nuts


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--config", default="fits/lmu_ltau_2021.toml")
    ap.add_argument("--steps", type=int, default=4000, help="emcee steps per walker")
    ap.add_argument("--walkers", type=int, default=32)
    ap.add_argument("--burn", type=int, default=1000, help="emcee burn-in steps discarded")
    args = ap.parse_args()

    cfg = config.load(args.config, fast=False)
    problem = Problem(cfg)

    def ess(d):
        return min(float(az.ess(np.asarray(v), method="bulk")) for v in d.z.values())

    t0 = time.perf_counter()
    first = run_nuts(problem, None, progress=False)
    t_nuts_total = time.perf_counter() - t0
    # sampling only: rerun with everything compiled (cached on the problem); same seed, same draws
    t0 = time.perf_counter()
    draws = run_nuts(problem, None, progress=False)
    t_nuts = time.perf_counter() - t0
    ess_nuts = ess(draws)
    same = all(np.array_equal(first.z[k], draws.z[k]) for k in draws.z)
    print(f"NUTS first run ESS {ess(first):.0f}, rerun ESS {ess_nuts:.0f} (identical draws: {same}); "
          f"divergences {int(draws.stats['diverging'].sum())}")

    sites = problem.sites
    logp = jax.jit(jax.vmap(lambda u: -problem.potential(dict(zip(sites, u.T)))))

    def log_prob(x):
        return np.asarray(logp(x))

    start = initial_positions(problem, jax.random.PRNGKey(cfg.seed + 1))
    start = np.stack([np.asarray(start[s]) for s in sites], axis=-1)
    rng = np.random.default_rng(cfg.seed)
    p0 = start[rng.integers(0, len(start), args.walkers)] + 1e-3 * rng.standard_normal((args.walkers, len(sites)))
    sampler = emcee.EnsembleSampler(args.walkers, len(sites), log_prob, vectorize=True)
    t0 = time.perf_counter()
    log_prob(p0)  # compile
    t_compile = time.perf_counter() - t0
    t0 = time.perf_counter()
    sampler.run_mcmc(p0, args.steps, progress=False)
    t_emcee = time.perf_counter() - t0
    chain = sampler.get_chain(discard=args.burn)
    tau = float(np.max(emcee.autocorr.integrated_time(chain, quiet=True)))
    ess_emcee = chain.shape[0] * chain.shape[1] / tau

    s = cfg.sampler
    print(f"target: {args.config} ({', '.join(sites)}), backend {jax.default_backend()}")
    print(f"NUTS : {s['num_chains']} chains x ({s['num_warmup']} warmup + {s['num_samples']}) draws; "
          f"ESS_bulk(min) {ess_nuts:8.0f} in {t_nuts:7.2f} s (first run with compile {t_nuts_total:7.2f} s) "
          f"-> {ess_nuts / t_nuts:8.1f} ESS/s")
    print(f"emcee: {args.walkers} walkers x {args.steps} steps (burn {args.burn}); tau {tau:.1f}; "
          f"ESS {ess_emcee:8.0f} in {t_emcee:7.2f} s (+{t_compile:.2f} s compile) -> {ess_emcee / t_emcee:8.1f} ESS/s")
    print(f"ratio NUTS/emcee ESS per second: {(ess_nuts / t_nuts) / (ess_emcee / t_emcee):.2f} "
          f"(including NUTS compile: {(ess_nuts / t_nuts_total) / (ess_emcee / (t_emcee + t_compile)):.2f})")


if __name__ == "__main__":
    main()
