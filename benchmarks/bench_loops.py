"""Benchmark: closed-form one-loop g-2 (value + gradient) against the quadrature rule and scipy.quad.

Workload: Δa_μ from a neutral scalar S and a charged fermion F
(:func:`jaxg2.loops.g2_neutral_scalar`), p = (ln m_F, ln M, C_S, C_P) with the
mass ratios log-uniform in 10⁻³ … 10³ × m_μ (fixed seed, below threshold);
value and gradient with respect to all four parameters.

* closed form: ``jit(vmap(value_and_grad(f)))`` over --points points; per-point
  time of the second call (compiled) and of the first call (compile + run).
* quadrature rule: the same function with the u-integral of the fixed
  end-point-adapted Gauss–Legendre rule (``method="quad"`` of
  :func:`jaxg2.loops.dipole_neutral_scalar` with the diagonal t-rule — exactly
  the pre-closed-form g2_* path), same jit/vmap/grad.
* scipy.quad: the Jegerlehner–Nyffeler integral per point (QUADPACK, epsrel
  1e-10, on a --baseline subset); value + gradient = 1 + 4 forward differences
  (5 quad calls per point).

Peak memory of the vmapped value+grad at --mem-points (default 1e6) points is
XLA's compiled ``memory_analysis()`` (arguments + outputs + temporaries of the
compiled executable; nothing is run), and, with --run-mem, also the process
peak RSS (``resource.getrusage``) and the run time of a second call (the first
compiles for that shape).  The closed-form moments evaluate a large batch a chunk
at a time even inside one vmap (:func:`jaxg2.numerics.elementwise_chunked`) and keep
only their partial derivatives for the gradient; before that, one vmap kept
~2.7 kB per point (the ~70 fused elementwise buffers of the three regimes).  The
same value + gradient mapped explicitly in chunks,
``jax.lax.map(value_and_grad(f), pts, batch_size=--chunk)``, is printed beside it.

    PYTHONPATH=. python benchmarks/bench_loops.py                 # 20 000 points, ~2 min on 2 cores
    PYTHONPATH=. python benchmarks/bench_loops.py --points 200000 --run-mem
"""

from __future__ import annotations

import argparse
import math
import resource
import time

import jax
import jax.numpy as jnp
import numpy as np
from scipy.integrate import quad

import jaxg2  # noqa: F401  (float64)
from jaxg2 import loops
from jaxg2.constants import M_MU
from jaxg2.loops import lfv


def _closed(p):
    return loops.g2_neutral_scalar(M_MU, M_MU * jnp.exp(p[0]), M_MU * jnp.exp(p[1]), p[2], p[3])


def _quadrature(p):
    sig = lfv.dipole_neutral_scalar(M_MU, M_MU, M_MU * jnp.exp(p[0]), M_MU * jnp.exp(p[1]), p[2], p[3], p[2], p[3],
                                    t_rule=lfv.T_RULE_DIAGONAL, method="quad")
    return lfv.g2_from_dipole(M_MU, *sig)


def _scipy_value(p):
    """Δa by scipy.quad of the JN integral (g2 module docstring), ε = m_F/m, λ = m/M."""
    eps, lam = math.exp(p[0]), math.exp(-p[1])
    c_s, c_p = p[2], p[3]

    def f(x):
        num = c_s**2 * x**2 * (1 + eps - x) + c_p**2 * x**2 * (1 - eps - x)
        return num / ((1 - x) * (1 - lam**2 * x) + eps**2 * lam**2 * x)

    val, _ = quad(f, 0.0, 1.0, epsabs=0.0, epsrel=1e-10, limit=200)
    return lam**2 / (8 * math.pi**2) * val


def _scipy_value_and_grad(p, h=1e-6):
    v = _scipy_value(p)
    return v, [(_scipy_value(p + h * e) - v) / h for e in np.eye(4)]


def _points(n, seed=0):
    rng = np.random.default_rng(seed)
    p = np.empty((0, 4))
    while len(p) < n:
        q = np.column_stack([rng.uniform(-3, 3, (2 * n, 2)) * math.log(10), rng.normal(size=(2 * n, 2))])
        keep = np.exp(q[:, 0]) + np.exp(q[:, 1]) > 1.05
        p = np.vstack([p, q[keep]])
    return jnp.asarray(p[:n])


def _time_vg(fun, pts):
    vg = jax.jit(jax.vmap(jax.value_and_grad(fun)))
    t0 = time.perf_counter()
    jax.block_until_ready(vg(pts))
    first = time.perf_counter() - t0
    t0 = time.perf_counter()
    out = jax.block_until_ready(vg(pts))
    second = time.perf_counter() - t0
    return first / len(pts), second / len(pts), out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--points", type=int, default=20_000, help="points for the jax timings (default 20000)")
    ap.add_argument("--quad-points", type=int, default=1000, help="points for the quadrature-rule timing (default 1000)")
    ap.add_argument("--baseline", type=int, default=40, help="points for scipy.quad (default 40)")
    ap.add_argument("--mem-points", type=int, default=1_000_000, help="points for the memory analysis (default 1e6)")
    ap.add_argument("--chunk", type=int, default=2**16, help="batch_size of the chunked lax.map (default 65536)")
    ap.add_argument("--run-mem", action="store_true", help="also run the --mem-points batch and report peak RSS")
    args = ap.parse_args(argv)

    print(f"jax {jax.__version__}, backend {jax.default_backend()}, devices {jax.devices()}")
    pts = _points(args.points)
    c_incl, c_excl, (val, grad) = _time_vg(_closed, pts)
    q_incl, q_excl, (qval, qgrad) = _time_vg(_quadrature, pts[: args.quad_points])
    n = args.baseline
    t0 = time.perf_counter()
    sc = [_scipy_value_and_grad(np.asarray(p)) for p in pts[:n]]
    s_per = (time.perf_counter() - t0) / n
    sval = np.array([v for v, _ in sc])

    rel_q = np.max(np.abs(np.asarray(val[: args.quad_points]) - np.asarray(qval)) / np.abs(np.asarray(qval)))
    rel_s = np.max(np.abs(np.asarray(val[:n]) - sval) / np.abs(sval))
    print(f"closed form   value+grad, jit: {c_excl * 1e6:9.3f} µs/point  ({c_incl * 1e6:9.3f} µs/point incl. compile,"
          f" {args.points} points)")
    print(f"quadrature    value+grad, jit: {q_excl * 1e6:9.3f} µs/point  ({q_incl * 1e6:9.3f} µs/point incl. compile,"
          f" {args.quad_points} points)")
    print(f"scipy.quad    value+grad (1+4 FD): {s_per * 1e6:9.1f} µs/point  ({n} points)")
    print(f"ratio scipy.quad / closed:  {s_per / c_excl:10.0f}x  (incl. compile: {s_per / c_incl:.0f}x)")
    print(f"ratio quadrature / closed:  {q_excl / c_excl:10.1f}x  (incl. compile: {q_incl / c_incl:.1f}x)")
    print(f"max rel. difference of the values: closed vs quadrature rule {rel_q:.1e}, closed vs scipy.quad {rel_s:.1e}")

    def chunked(p):
        return jax.lax.map(jax.value_and_grad(_closed), p, batch_size=args.chunk)

    for name, fun in (("closed form", _closed), ("quadrature", _quadrature), (f"chunks {args.chunk}", None)):
        big = jax.ShapeDtypeStruct((args.mem_points, 4), jnp.float64)
        if name == "quadrature" and args.mem_points > 10**5:
            big = jax.ShapeDtypeStruct((10**5, 4), jnp.float64)
        prog = jax.jit(chunked) if fun is None else jax.jit(jax.vmap(jax.value_and_grad(fun)))
        comp = prog.lower(big).compile()
        ma = comp.memory_analysis()
        if ma is None:
            print(f"{name}: memory_analysis() not available on this backend")
            continue
        total = ma.argument_size_in_bytes + ma.output_size_in_bytes + ma.temp_size_in_bytes
        npts = big.shape[0]
        print(f"{name:12s} vmapped value+grad at {npts:.0e} points, XLA memory_analysis(): "
              f"{total / 2**20:9.1f} MiB (temp {ma.temp_size_in_bytes / 2**20:.1f} MiB), {total / npts:.0f} B/point")
    if args.run_mem:  # chunked first: ru_maxrss only grows
        big = _points(args.mem_points, seed=1)
        for name, prog in ((f"chunks {args.chunk}", jax.jit(chunked)),
                           ("one vmap", jax.jit(jax.vmap(jax.value_and_grad(_closed))))):
            jax.block_until_ready(prog(big))  # compile (for this shape) outside the clock
            t0 = time.perf_counter()
            jax.block_until_ready(prog(big))
            dt = time.perf_counter() - t0
            rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**10  # KiB on Linux
            print(f"{name:12s} ran {args.mem_points:.0e} points in {dt:.1f} s ({dt / args.mem_points * 1e6:.2f} µs/point);"
                  f" process peak RSS so far (getrusage) {rss:.0f} MiB")


if __name__ == "__main__":
    main()
