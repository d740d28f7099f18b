"""ESS per second of every MCMC kernel (NUTS, ChEES-HMC, MEADS) against emcee, in one run.

For each config (default: the U(1)_{Lμ−Lτ} g-2 fit ``fits/lmu_ltau_2021.toml``) the
target is its posterior in NumPyro's unconstrained space.  Each kernel runs through
:func:`jaxg2.infer.fit.sample` — the code path of ``jaxg2 fit``, with its
initialisation, checkpoint-free — on a fresh :class:`~jaxg2.infer.Problem` (so it
compiles everything; the persistent compilation cache is not switched on here), and
reports compile and sampling seconds separately.  emcee samples ``-Problem.potential``
jitted and vmapped over walkers (``vectorize=True``), so every sampler pays the same
per-evaluation cost.

ESS: ArviZ bulk ESS (``arviz.ess``), minimum over the sampled sites, for every sampler
(emcee: walkers as chains, after discarding the burn-in).  Printed: ESS/s on sampling
time (for the jaxg2 kernels this includes running the chains' initialisation, for
emcee not) and on the whole wall time including compilation and initialisation, and
the ratio of each to emcee's.

    python benchmarks/bench_kernels.py [--config fits/lmu_ltau_2021.toml ...] [--fast]
        [--chees-chains 64] [--meads-chains 64] [--warmup 300] [--samples 300]
"""

import argparse
import copy
import time

import arviz as az
import emcee
import jax
import numpy as np

import jaxg2  # noqa: F401  (float64)
from jaxg2 import config
from jaxg2.infer import Problem
from jaxg2.infer.fit import sample
from jaxg2.infer.nuts import initial_positions


def ess_min(chains_by_site: dict) -> float:
    return min(float(az.ess(np.asarray(v), method="bulk")) for v in chains_by_site.values())


def run_kernel(cfg, kernel: str, sizes: dict):
    raw = copy.deepcopy(dict(cfg.raw))
    raw["fit"] = dict(raw["fit"], model=cfg.model)
    raw["sampler"] = {**cfg.sampler, **sizes, "kernel": kernel}  # the config's own (or [fast]) sizes for NUTS
    raw["sampler"]["checkpoint_every"] = raw["sampler"]["num_warmup"] + raw["sampler"]["num_samples"]
    raw.pop("fast", None)
    c = config.load(raw, fast=False)
    t0 = time.perf_counter()
    draws, t_compile, t_sample = sample(Problem(c), None, progress=False)
    wall = time.perf_counter() - t0
    s = c.sampler
    return {"kernel": kernel, "ess": ess_min(draws.z), "compile": t_compile, "sample": t_sample, "wall": wall,
            "divergent": float(draws.stats["diverging"].mean()),
            "what": f"{s['num_chains']} chains x ({s['num_warmup']} + {s['num_samples']})"}


def run_emcee(cfg, walkers: int, steps: int, burn: int):
    problem = Problem(cfg)
    sites = problem.sites
    logp = jax.jit(jax.vmap(lambda u: -problem.potential(dict(zip(sites, u.T)))))

    def log_prob(x):
        return np.asarray(logp(x))

    t0 = time.perf_counter()
    start = initial_positions(problem, jax.random.PRNGKey(cfg.seed + 1))
    start = np.stack([np.asarray(start[s]) for s in sites], axis=-1)
    rng = np.random.default_rng(cfg.seed)
    p0 = start[rng.integers(0, len(start), walkers)] + 1e-3 * rng.standard_normal((walkers, len(sites)))
    log_prob(p0)  # compile
    t_compile = time.perf_counter() - t0
    sampler = emcee.EnsembleSampler(walkers, len(sites), log_prob, vectorize=True)
    t0 = time.perf_counter()
    sampler.run_mcmc(p0, steps, progress=False)
    t_sample = time.perf_counter() - t0
    chain = sampler.get_chain(discard=burn)                     # (steps, walkers, dim)
    z = {s: np.swapaxes(chain[:, :, i], 0, 1) for i, s in enumerate(sites)}
    return {"kernel": "emcee", "ess": ess_min(z), "compile": t_compile, "sample": t_sample,
            "wall": t_compile + t_sample, "divergent": 0.0, "what": f"{walkers} walkers x {steps} (burn {burn})"}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--config", nargs="+", default=["fits/lmu_ltau_2021.toml"])
    ap.add_argument("--fast", action="store_true", help="apply each config's [fast] section (NUTS sizes)")
    ap.add_argument("--kernels", nargs="+", default=["nuts", "chees", "meads"])
    ap.add_argument("--chees-chains", type=int, default=64)
    ap.add_argument("--meads-chains", type=int, default=64)
    ap.add_argument("--warmup", type=int, default=300, help="ChEES/MEADS warmup steps")
    ap.add_argument("--samples", type=int, default=300, help="ChEES/MEADS draws per chain")
    ap.add_argument("--walkers", type=int, default=32)
    ap.add_argument("--steps", type=int, default=4000, help="emcee steps per walker")
    ap.add_argument("--burn", type=int, default=1000)
    args = ap.parse_args()

    print(f"backend {jax.default_backend()}, {jax.local_device_count()} device(s)")
    for path in args.config:
        cfg = config.load(path, fast=args.fast)
        base = run_emcee(cfg, args.walkers, args.steps, args.burn)
        base_rate, base_rate_all = base["ess"] / base["sample"], base["ess"] / base["wall"]
        print(f"\n{path} ({', '.join(Problem(cfg).sites)})")
        print(f"{'kernel':7s} {'size':28s} {'ESS':>7s} {'compile s':>9s} {'sample s':>9s} {'ESS/s':>8s} "
              f"{'ESS/s all':>9s} {'ratio':>6s} {'ratio all':>9s} {'diverg.':>7s}", flush=True)
        for k in ["emcee"] + args.kernels:
            if k == "emcee":
                r = base
            else:
                sizes = {} if k == "nuts" else {"num_chains": args.chees_chains if k == "chees" else args.meads_chains,
                                                "num_warmup": args.warmup, "num_samples": args.samples}
                r = run_kernel(cfg, k, sizes)
            rate, rate_all = r["ess"] / r["sample"], r["ess"] / r["wall"]
            print(f"{r['kernel']:7s} {r['what']:28s} {r['ess']:7.0f} {r['compile']:9.2f} {r['sample']:9.2f} "
                  f"{rate:8.1f} {rate_all:9.1f} {rate / base_rate:6.2f} {rate_all / base_rate_all:9.2f} "
                  f"{r['divergent']:7.3f}", flush=True)
        print("ratio: ESS/s over emcee's (sampling time); 'all': wall time including compile and initialisation")

if __name__ == "__main__":
    main()
