"""Cost of the light-vector families (all recast searches at once) per likelihood call.

Times, in one process on this machine: compile and per-call evaluation of
(a) both light-vector families (every recast table: one-sided r, two-sided s with
    the band edges found by bisection) for a batch of parameter points, value and
    gradient;
(b) the baseline: one LimitCurve interpolation (``na64_2023_invisible_dark_photon``)
    of the same batch, value and gradient;
and prints the ratios (a)/(b).

    python benchmarks/bench_light_vector.py [--batch 256] [--repeat 20]
"""

import argparse
import time

import jax
import jax.numpy as jnp
import numpy as np

import jaxg2  # noqa: F401  (float64)
from jaxg2 import experiments
from jaxg2.constants import E_EM
from jaxg2.constraints import base


def point(theta):
    m, g = jnp.exp(theta[..., 0]), jnp.exp(theta[..., 1])
    eps = g / 70.0
    return {"mass": m, "mu": g, "tau": -g, "nu_mu": g, "nu_tau": -g, "e": -eps * E_EM,
            "u": 2 * eps * E_EM / 3, "d": -eps * E_EM / 3, "s": -eps * E_EM / 3}


def timed(f, x, repeat):
    t0 = time.perf_counter()
    jax.block_until_ready(f(x))
    compile_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    for _ in range(repeat):
        jax.block_until_ready(f(x))
    return compile_s, (time.perf_counter() - t0) / repeat


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--batch", type=int, default=256)
    ap.add_argument("--repeat", type=int, default=20)
    args = ap.parse_args()

    fams = tuple(f for f in base.all_families() if f.name.startswith("light_vector"))
    n_obs = sum(len(f.units) for f in fams)

    def total(theta):
        obs = base.library_observables({"light_vector": point(theta)}, fams)
        return sum(jnp.log1p(v) for v in obs.values())

    curve = experiments.curve("na64_2023_invisible_dark_photon")

    def baseline(theta):
        return jnp.log1p(jnp.exp(theta[1]) / curve(jnp.exp(theta[0])))

    rng = np.random.default_rng(0)
    theta = jnp.asarray(np.column_stack([rng.uniform(np.log(1e-3), np.log(10.0), args.batch),
                                         rng.uniform(np.log(1e-6), 0.0, args.batch)]))
    fa = jax.jit(jax.vmap(jax.value_and_grad(total)))
    fb = jax.jit(jax.vmap(jax.value_and_grad(baseline)))
    ca, ea = timed(fa, theta, args.repeat)
    cb, eb = timed(fb, theta, args.repeat)
    print(f"light-vector families: {n_obs} observables; batch {args.batch}; value+grad")
    print(f"  families: compile {ca:.2f} s, eval {ea * 1e3:.2f} ms ({ea / args.batch * 1e6:.1f} us/point)")
    print(f"  baseline (one curve): compile {cb:.2f} s, eval {eb * 1e3:.3f} ms")
    print(f"  ratio families/baseline: compile {ca / cb:.1f}x, eval {ea / eb:.1f}x")


if __name__ == "__main__":
    main()
