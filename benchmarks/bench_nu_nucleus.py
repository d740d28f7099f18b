"""Benchmark: cost of the trident and CEvNS families inside a likelihood.

Measures, in one process: (1) the one-off numpy precomputation of the SM-only
quadrature weights (trident: νγ → νμμ matrix elements, phase space and photon flux;
CEvNS: flux × recoil-spectrum weights), (2) the jit compile time and (3) the per-point
evaluation time of jit(vmap(ratio)) on a batch of (m, g) points, against the baseline of
the paper-002 contact-limit trident formula (jaxg2.models.lmu_ltau.trident) jitted
and evaluated on the same batch.  Prints times and ratios; no assertions.

    python benchmarks/bench_nu_nucleus.py [--points 4096]
"""

from __future__ import annotations

import argparse
import time

import jax
import jax.numpy as jnp

import jaxg2  # noqa: F401
from jaxg2.constraints import cevns, trident
from jaxg2.models.lmu_ltau import trident as contact


def _timed(f, *args, repeat=5):
    t0 = time.perf_counter()
    jax.block_until_ready(f(*args))
    first = time.perf_counter() - t0
    t0 = time.perf_counter()
    for _ in range(repeat):
        jax.block_until_ready(f(*args))
    return first, (time.perf_counter() - t0) / repeat


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--points", type=int, default=4096)
    n = ap.parse_args().points
    key = jax.random.PRNGKey(0)
    logm = jax.random.uniform(key, (n,), minval=-3, maxval=1)
    logg = jax.random.uniform(jax.random.split(key)[0], (n,), minval=-6, maxval=-1)

    t0 = time.perf_counter()
    for name in trident.EXPERIMENTS:
        trident.experiment_nodes(name)
    t_tri_pre = time.perf_counter() - t0
    t0 = time.perf_counter()
    for det in cevns.DETECTORS:
        cevns.detector_nodes(det, cevns.threshold(det))
    t_cev_pre = time.perf_counter() - t0

    def lv(lm, lg):
        m, g = 10.0**lm, 10.0**lg
        return {"mass": m, "mu": g, "nu_mu": g, "u": 1e-2 * g, "d": -5e-3 * g}

    base = jax.jit(jax.vmap(lambda lm, lg: contact.trident_ratio_contact(10.0**lg, 10.0**lm)))
    tri = jax.jit(jax.vmap(lambda lm, lg: trident.FAMILIES[0].observables({"light_vector": lv(lm, lg)})["trident_ccfr_ratio"]))
    tri_grad = jax.jit(jax.vmap(jax.grad(lambda lm, lg: sum(trident.FAMILIES[0].observables({"light_vector": lv(lm, lg)}).values()))))
    cev = jax.jit(jax.vmap(lambda lm, lg: cevns.FAMILIES[0].observables({"light_vector": lv(lm, lg)})["cevns_coherent_csi_ratio"]))

    rows = []
    for label, f in (("contact formula (baseline)", base), ("trident CCFR ratio", tri),
                     ("trident grad (both)", tri_grad), ("CEvNS CsI ratio", cev)):
        first, per = _timed(f, logm, logg)
        rows.append((label, first - per, per / n))
    b = rows[0][2]
    print(f"devices: {jax.devices()}; batch {n}")
    print(f"one-off numpy precomputation: trident {t_tri_pre:.2f} s (both experiments, "
          f"{trident.experiment_nodes('ccfr')[0].size} K^2 nodes each), CEvNS {t_cev_pre:.3f} s")
    print(f"{'function':32s} {'compile [s]':>12s} {'per point [us]':>15s} {'/ baseline':>11s}")
    for label, comp, per in rows:
        print(f"{label:32s} {comp:12.3f} {per * 1e6:15.3f} {per / b:11.1f}")


if __name__ == "__main__":
    main()
