"""Library numerics vs the hand-written routines they would replace (issue 14, item 9), one run.

1. N_eff ODE (``jaxg2.cosmo.neff``): the hand-written fixed-step RODAS3 (160 steps, the
   shipped default) against diffrax's stiff solvers (Kvaerno3/4/5, PIDController) on
   the same right-hand side, at matched accuracy.  Accuracy is measured against a
   640-step RODAS3 solve (≈ 1e-8 of the Radau reference of ``tests/test_cosmo_neff.py``)
   on eight points covering the regimes (heavy / light Z′, ε = 0, gradual and strongly
   coupled transfer, 1.2 MeV just above the e⁺e⁻ threshold).  "Same accuracy" is
   judged point by point: a diffrax setting matches when its error is at most the
   RODAS3 error on every point where that error is above 1e-7 (the tests' tightest
   tolerance, rel 1e-7 at the heavy-Z′ point) — and the table also shows the looser
   setting whose *largest* error equals RODAS3's largest.  Times: compile
   (``jit(...).lower().compile()``) and run (best of ``--repeat``) separately, for the
   batch of eight (vmapped) and for value-and-gradient at one point (RODAS3 through
   its custom JVP, diffrax through its default ``RecursiveCheckpointAdjoint``).
2. Root finds: the relic-density Yukawa (Ωh² = Planck, ``relic.relic_yukawa``) with a
   hand-written scalar Newton (``lax.while_loop`` + implicit ``custom_jvp``, in this
   file) against ``jaxg2.numerics.newton_root`` (optimistix Newton, implicit gradients)
   on 256 dark matter masses, value and value-and-gradient; and the old fixed-30-iteration
   Newton loop of ``dark_inverse_seesaw.scalars.solve_vevs`` against the same helper
   (the parameter point of ``tests/test_dark_inverse_seesaw_sectors.py``, 64 guesses).

Ratios are library time / hand-written time (> 1: the library is slower).  Set
``JAXG2_NO_CACHE=1`` (the default here) so compile times are real.

    JAXG2_NO_CACHE=1 python benchmarks/bench_numerics.py [--repeat 5]
"""

import argparse
import os
import time

os.environ.setdefault("JAXG2_NO_CACHE", "1")

import diffrax  # noqa: E402
import jax  # noqa: E402
import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402

import jaxg2  # noqa: E402, F401  (float64)
from jaxg2.constants import HIGGS_VEV, M_E  # noqa: E402
from jaxg2.cosmo import neff  # noqa: E402
from jaxg2.models.dark_inverse_seesaw import scalars  # noqa: E402
from jaxg2.cosmo import freeze_out as fo  # noqa: E402
from jaxg2.models.lmu_ltau import relic  # noqa: E402

MEV = 1e-3
EPS = 7.2e-6
POINTS = [(10 * MEV, EPS), (20 * MEV, 3e-5), (10 * MEV, 3e-10), (3 * MEV, EPS), (6 * MEV, 0.0),
          (1.0, EPS), (4 * MEV, 2e-9), (1.2 * MEV, 1e-5)]


def _timed(fn, *args, repeat):
    """(compile seconds, best run seconds, output) of jit(fn) at args."""
    t0 = time.perf_counter()
    compiled = jax.jit(fn).lower(*args).compile()
    t_compile = time.perf_counter() - t0
    out = jax.block_until_ready(compiled(*args))
    runs = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        jax.block_until_ready(compiled(*args))
        runs.append(time.perf_counter() - t0)
    return t_compile, min(runs, default=float("nan")), out


def n_eff_diffrax(m_zprime, eps_az, solver, rtol, atol, pcoeff=0.3, icoeff=0.4, max_steps=4096):
    """The same solve as ``neff.n_eff`` (no φ, paper transfer), with a diffrax stiff solver."""
    params = (m_zprime, neff.gamma_zprime_ee(m_zprime, eps_az), jnp.asarray(neff.T_NU_DEC))
    t_end = jnp.minimum(M_E / neff._X_END_E, m_zprime / neff._X_END_Z)
    u_end = jnp.log(neff.T_NU_DEC / t_end)
    term = diffrax.ODETerm(lambda u, z, _: neff._rhs(u, z, params, None, "paper"))
    sol = diffrax.diffeqsolve(term, solver, 0.0, u_end, None, jnp.zeros(2), max_steps=max_steps, throw=False,
                              stepsize_controller=diffrax.PIDController(rtol=rtol, atol=atol, pcoeff=pcoeff,
                                                                        icoeff=icoeff))
    r1, r2 = neff._asymptotic_ratios(sol.ys[-1], neff.T_NU_DEC * jnp.exp(-u_end), m_zprime, None)
    return neff.n_eff_from_ratios(r1, r2)


def bench_neff(repeat):
    m = jnp.array([p[0] for p in POINTS])
    e = jnp.array([p[1] for p in POINTS])
    _, _, ref = _timed(jax.vmap(lambda a, b: neff.n_eff(a, 0.0, b, n_steps=640)), m, e, repeat=0)
    ref = np.asarray(ref)
    tc0, tr0, base = _timed(jax.vmap(lambda a, b: neff.n_eff(a, 0.0, b)), m, e, repeat=repeat)
    err0 = np.abs(np.asarray(base) - ref)
    vg = lambda f: jax.value_and_grad(f, argnums=(0, 1))  # noqa: E731
    gc0, gr0, _ = _timed(vg(lambda a, b: neff.n_eff(a, 0.0, b)), 10 * MEV, EPS, repeat=repeat)
    print("N_eff ODE, 8 points vmapped; errors vs a 640-step RODAS3 solve")
    print(f"  {'solver':34s} {'max err':>9s} {'matched':>7s} {'compile s':>9s} {'run ms':>8s} {'run ratio':>9s}"
          f" {'v+g compile':>11s} {'v+g ms':>8s} {'v+g ratio':>9s}")
    print(f"  {'RODAS3, 160 fixed steps (shipped)':34s} {err0.max():9.1e} {'—':>7s} {tc0:9.2f} {1e3 * tr0:8.2f}"
          f" {'1.00':>9s} {gc0:11.2f} {1e3 * gr0:8.2f} {'1.00':>9s}")
    settings = [("Kvaerno3", 1e-4), ("Kvaerno3", 1e-6), ("Kvaerno4", 1e-6), ("Kvaerno4", 1e-7),
                ("Kvaerno5", 1e-7)]
    for name, rtol in settings:
        solver = getattr(diffrax, name)()
        f = lambda a, b, s=solver, r=rtol: n_eff_diffrax(a, b, s, r, 1e-2 * r)  # noqa: E731
        tc, tr, out = _timed(jax.vmap(f), m, e, repeat=repeat)
        err = np.abs(np.asarray(out) - ref)
        matched = bool(np.all(err <= np.maximum(err0, 1e-7)))
        try:
            gc, gr, (val, grads) = _timed(vg(f), 10 * MEV, EPS, repeat=repeat)
            g_txt = f"{gc:11.2f} {1e3 * gr:8.2f} {gr / gr0:9.2f}"
        except Exception as exc:  # noqa: BLE001 - report, do not stop the benchmark
            g_txt = f"  failed: {type(exc).__name__}"
        label = f"{name}, PID rtol {rtol:g}"
        print(f"  {label:34s} {err.max():9.1e} {str(matched):>7s} {tc:9.2f} {1e3 * tr:8.2f} {tr / tr0:9.2f} {g_txt}")
    print("  (matched: error <= RODAS3's on every point, floor 1e-7; ratios are diffrax / RODAS3)")


def scalar_newton(fn, y0, args, *, rtol=1e-10, atol=1e-10, max_steps=30, lower=None, upper=None):
    """A hand-written scalar Newton (the alternative to optimistix for a 1 × 1 root): steps
    y ← y − F/F′ (F′ by one forward JVP) in a ``lax.while_loop`` until the step is below
    atol + rtol|y|, and the implicit-function derivative dy = −F_θ dθ / F′ by ``custom_jvp``."""
    y0 = jnp.asarray(jax.lax.stop_gradient(y0), dtype=jnp.float64)
    lo = jnp.full_like(y0, -jnp.inf) if lower is None else lower
    hi = jnp.full_like(y0, jnp.inf) if upper is None else upper

    def solve(start, bounds, a):
        def step(state):
            y, _, i = state
            f, df = jax.jvp(lambda v: fn(v, a), (y,), (jnp.ones_like(y),))
            new = jnp.clip(y - f / df, *bounds)
            return new, new - y, i + 1

        def going(state):
            y, dy, i = state
            return (jnp.abs(dy) > atol + rtol * jnp.abs(y)) & (i < max_steps)

        return jax.lax.while_loop(going, step, (start, jnp.full_like(start, jnp.inf), 0))[0]

    @jax.custom_jvp
    def root(start, bounds, a):
        return solve(start, bounds, a)

    @root.defjvp
    def _root_jvp(primals, tangents):
        start, bounds, a = primals
        y = solve(start, bounds, a)
        _, f_y = jax.jvp(lambda v: fn(v, a), (y,), (jnp.ones_like(y),))
        _, f_a = jax.jvp(lambda b: fn(y, b), (a,), (tangents[2],))
        return y, -f_a / f_y

    return root(y0, (jax.lax.stop_gradient(lo), jax.lax.stop_gradient(hi)), args)


def relic_yukawa_with(solver):
    """``relic.relic_yukawa`` (Ωh² = Planck, ln y on ln Ωh², the same start and tolerances)
    with the root find ``solver`` (``newton_root``'s signature)."""
    def relic_y(m_dm, g_prime, m_zprime):
        def residual(u, a):
            return jnp.log(relic.omega_h2(jnp.exp(u), *a)) - np.log(fo.OMEGA_H2_PLANCK)

        def one(m, g, mz):
            u0 = jax.lax.stop_gradient(np.log(0.1) + 0.5 * jnp.log(m / 10.0))
            return solver(residual, u0, (m, g, mz), max_steps=30, rtol=1e-10, atol=1e-10)

        return jnp.exp(jnp.vectorize(one)(m_dm, g_prime, m_zprime))
    return relic_y


def _compare(title, methods, args, scalar_of, error_of, err_label, repeat):
    """Print compile/run times of value and value-and-gradient for (label, fn) pairs;
    the first is the hand-written baseline.  ``scalar_of(out)`` is what is differentiated,
    ``error_of(out, baseline_out)`` the accuracy column (the baseline's is against itself
    where there is no exact answer)."""
    print(f"\n{title}")
    print(f"  {'method':34s} {'compile s':>9s} {'run ms':>8s} {'ratio':>6s} {'v+g compile':>11s} {'v+g ms':>8s}"
          f" {'ratio':>6s} {err_label:>10s}")
    rows, outs = [], []
    for label, fn in methods:
        tc, tr, out = _timed(fn, *args, repeat=repeat)
        gc, gr, _ = _timed(jax.grad(lambda *a, f=fn: scalar_of(f(*a)), argnums=(0, 1)), *args, repeat=repeat)
        outs.append(np.asarray(out))
        rows.append((label, tc, tr, gc, gr, error_of(outs[-1], outs[0])))
    tr0, gr0 = rows[0][2], rows[0][4]
    for label, tc, tr, gc, gr, err in rows:
        print(f"  {label:34s} {tc:9.2f} {1e3 * tr:8.2f} {tr / tr0:6.2f} {gc:11.2f} {1e3 * gr:8.2f} {gr / gr0:6.2f}"
              f" {err:10.1e}")
    print("  (ratios: optimistix / hand-written)")


def bench_roots(repeat):
    m = jnp.geomspace(0.5, 200.0, 256)
    args = (m, jnp.full_like(m, 5e-4), jnp.full_like(m, 0.01))
    _compare("Relic Yukawa root find, 256 masses (0.5–200 GeV); v+g: d(Σy)/d(M₁, g′)",
             [("hand-written scalar Newton", relic_yukawa_with(scalar_newton)),
              ("optimistix Newton (newton_root)", relic.relic_yukawa)],
             args, jnp.sum, lambda y, y0: np.max(np.abs(y / y0 - 1)), "max |Δy/y|", repeat)


VEV_POINT = dict(v=HIGGS_VEV, v_phi=1e-4, omega1=1.0, omega2=1e-5, lam_H=0.129, lam_phi=0.3, lam_S1=0.2,
                 lam_S2=0.4, lam_Hphi=0.15, lam_Hphi_p=0.05, lam_HS1=1e-3, lam_HS2=2e-3, lam_phiS1=0.02,
                 lam_phiS2=0.03, lam_S1S2=0.05, mu=1e-2, mu_p=1e-3, alpha=1e-4)  # a test point, not data


def solve_vevs_loop(p, guess, iterations=30):
    """The hand-written ``solve_vevs`` used before: 30 fixed Newton steps, gradients through them."""
    f = lambda vv: scalars._tadpoles(vv, p)  # noqa: E731
    return jax.lax.fori_loop(0, iterations, lambda _, vv: vv - jnp.linalg.solve(jax.jacfwd(f)(vv), f(vv)), guess)


def bench_vevs(repeat):
    p = {k: jnp.asarray(v) for k, v in VEV_POINT.items()}
    p = {**p, **scalars.bare_masses(p)}
    vevs = np.array([VEV_POINT[k] for k in scalars.VEVS])
    guesses = vevs * (1.0 + 0.3 * jax.random.uniform(jax.random.PRNGKey(0), (64, 4), minval=-1.0))
    _compare("Scalar vevs (4 tadpoles), 64 starting guesses within ±30%; v+g: d(Σv_φ)/d(all parameters)",
             [("hand-written Newton, 30 steps", jax.vmap(solve_vevs_loop, in_axes=(None, 0))),
              ("optimistix Newton (newton_root)", jax.vmap(scalars.solve_vevs, in_axes=(None, 0)))],
             (p, guesses), lambda out: jnp.sum(out[:, 1]), lambda out, _: np.max(np.abs(out / vevs - 1)),
             "max |Δv/v|", repeat)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--only", choices=("roots", "neff"), help="run one part")
    args = ap.parse_args()
    print(f"jax {jax.__version__}, diffrax {diffrax.__version__}, {jax.devices()[0].platform}, "
          f"{os.cpu_count()} cores, JAXG2_NO_CACHE={os.environ.get('JAXG2_NO_CACHE')}")
    if args.only != "neff":
        bench_roots(args.repeat)
        bench_vevs(args.repeat)
    if args.only != "roots":
        bench_neff(args.repeat)


if __name__ == "__main__":
    main()
