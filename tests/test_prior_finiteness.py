"""Finite observables and finite log-likelihood gradients over the default priors (issue 17).

For each model, draws from its default priors (the model's own ``Parameter.prior``s,
its default constraints, smooth likelihood: the broadest box a fit can ask for) are
pushed through the engine's own functions
(:meth:`~jaxg2.infer.problem.Problem.likelihood_observables` and
:meth:`~jaxg2.infer.problem.Problem.potential`), vmapped in fixed-size chunks.  Every
observable the likelihood reads, the potential (−log joint) and its gradient in the
unconstrained space must be finite at every draw.  Points that were found non-finite
before the fixes are checked as regression cases in the same compiled chunk.

:func:`check_finiteness` is also the engine of ``benchmarks/bench_finiteness.py``.
"""

from __future__ import annotations

import math

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from numpyro.distributions.transforms import biject_to

from jaxg2 import config, constants
from jaxg2.infer.problem import Problem

MODELS = ("lmu_ltau", "scotogenic_u1d", "dark_inverse_seesaw", "su2h", "dark_tmm")

# Seeded draws per model in the test (the benchmark runs 1e5).  The run time is
# dominated by compiling the vmapped potential gradient (1–3 min for scotogenic_u1d and
# dark_inverse_seesaw on a loaded 2-core machine), not by the draws.
N_DRAWS = {"lmu_ltau": 256, "scotogenic_u1d": 192, "dark_inverse_seesaw": 128, "su2h": 256, "dark_tmm": 128}
CHUNK = 64

# Parameter points (free parameters; the rest from the priors' fixed values) that gave
# non-finite values or gradients before the fixes of issue 17.
REGRESSION = {
    "scotogenic_u1d": [
        # reported: NaN ∂Δa_μ (tachyonic η₁–φ eigenvalue: ln of a negative argument in F′)
        dict(g_d=0.4158, v_chi=0.8613, mu1=5.204, m_eta1=1.265, m_eta2=112.3, m_phi=10.02, m_psi=9.207,
             z_re=1.243, z_im=1.947),
        # NaN Δa_μ and BRs (both η₁–φ eigenvalues negative and nearly equal: quadrature branch)
        dict(g_d=0.9853192095461147, v_chi=0.7794325489619389, mu1=3.5942809153704655e-06,
             m_eta1=7.805530495238468, m_eta2=2130.1615087852124, m_phi=9.114019096770452,
             m_psi=745.2579615043936, z_re=0.44177625166431, z_im=-1.3423332136389075),
        # finite Δa_μ, NaN gradient (quotient branch at negative arguments)
        dict(g_d=0.31102745441863616, v_chi=0.7104266609851064, mu1=21.738714723971498,
             m_eta1=2.1403260363843115, m_eta2=6.558986185545443, m_phi=20.69863582250181,
             m_psi=138.0180098226671, z_re=0.5395607501176486, z_im=-0.7327480325824194),
        # Z′ below the e⁺e⁻ threshold (m_Z′ = 2√2 g_D v_χ ≈ 0.3 MeV): BRs were 0/0
        dict(g_d=0.11, v_chi=1.1e-3, mu1=1e-3, m_eta1=100.0, m_eta2=400.0, m_phi=500.0, m_psi=100.0,
             z_re=0.0, z_im=0.0),
    ],
    "dark_inverse_seesaw": [
        # NaN ∇ potential along the scalar-potential coordinates: a Goldstone eigenvalue exactly 0
        # (sign·√|m²| differentiated at 0) at finite values
        dict(alpha=9.397795332741969e-05, alpha21=2.862748777440221, alpha31=3.8968040430830344, eps=0.0036131013197913944, g_d=0.013235743729478354, lam_H=1.4430786737186299, lam_HS1=0.08666942110656128, lam_HS2=0.15160239772837514, lam_Hphi=-0.5904206390117328, lam_Hphi_p=0.6971299957035944, lam_S1=3.8943606026379576, lam_S1S2=0.11026876529566376, lam_S2=0.5524803052466608, lam_phi=3.8444127399970642, lam_phiS1=-0.6539375507666185, lam_phiS2=0.36870554150983015, m_n1=0.1900925053222751, m_n2=0.09269439544233947, m_n3=0.062291748514650455, m_nu_lightest=0.025106279233923057, mu=0.002677060386606279, mu_p=0.01638872046916549, omega1=2.9282587060784513, omega2=6.130920197716882e-08, r12_im=-0.866380770321904, r12_re=6.0417992774758345, r13_im=0.7644843546458229, r13_re=4.682067870014654, r23_im=0.7915166236899533, r23_re=1.2535991568585603, v_phi=0.0028366918163375736, y_n1=0.4579134235769242, y_n2=0.7729652355196643, y_n3=0.03489702381294979, y_np1=0.0003393694151649613, y_np2=0.08564854737392538, y_np3=0.00868766130928196),
        dict(alpha=0.011835897749518407, alpha21=3.399808674098779, alpha31=3.802971933765859, eps=0.00011620180629299329, g_d=1.7736239390484172, lam_H=2.859961468755147, lam_HS1=0.01542315042711051, lam_HS2=-0.5470235636982479, lam_Hphi=0.6434958406559357, lam_Hphi_p=0.3539916888062793, lam_S1=1.595136491097338, lam_S1S2=0.940342781290795, lam_S2=2.9118481141384125, lam_phi=3.646616126195982, lam_phiS1=0.5495387247161183, lam_phiS2=0.3957789536526173, m_n1=7.6184556065644005, m_n2=1.2053602499564733, m_n3=0.5875088541558613, m_nu_lightest=0.043657724682332484, mu=0.000522811995319423, mu_p=0.7535629104737205, omega1=0.8763300460583061, omega2=1.2027942534143608e-05, r12_im=-0.10016859549421442, r12_re=0.9900625540335157, r13_im=-0.3739703771435212, r13_re=2.1789914976951033, r23_im=0.8669689544181565, r23_re=4.220158379014822, v_phi=1.3797503044946398e-06, y_n1=0.8533474678980919, y_n2=0.1981606214616618, y_n3=0.9921890859900323, y_np1=0.00012429112616500648, y_np2=0.007216563724871464, y_np3=0.2959467423533513),
    ],
}


def default_problem(name: str) -> Problem:
    """The model's default priors and constraints, smooth likelihood, 2021 Δa_μ."""
    cfg = config.load({"fit": {"model": name, "scenario": "2021"}, "constraints": {"smooth": True}})
    return Problem(cfg, smooth=True)


def _site_values(prob: Problem, u):
    """Free-parameter values from unconstrained site values (NumPyro's transforms)."""
    out = {}
    for n in prob.free:
        x = biject_to(prob.site_distribution(n).support)(u[prob.site(n)])
        out[n] = 10.0 ** x if prob.cfg.priors[n].kind == "log_uniform" else x
    return out


def unconstrained(prob: Problem, point: dict) -> dict:
    """Unconstrained site values of a parameter point (inverse of :func:`_site_values`)."""
    out = {}
    for n in prob.free:
        x = float(point[n])
        x = math.log10(x) if prob.cfg.priors[n].kind == "log_uniform" else x
        out[prob.site(n)] = biject_to(prob.site_distribution(n).support).inv(jnp.asarray(x))
    return out


def chunk_checker(prob: Problem):
    """jit(vmap) of one point → (values finite, gradient finite), each a bool per point.

    "Values" are every observable the likelihood reads and the potential; "gradient" is
    ∇_u potential in the unconstrained space (the NUTS and optimiser gradient)."""
    def point(u):
        obs = prob.likelihood_observables(prob.theta(_site_values(prob, u)))
        pot, grad = jax.value_and_grad(prob.potential)(u)
        ok_val = jnp.isfinite(pot)
        for v in obs.values():
            ok_val &= jnp.all(jnp.isfinite(v))
        ok_grad = jnp.all(jnp.stack([jnp.all(jnp.isfinite(g)) for g in jax.tree_util.tree_leaves(grad)]))
        return ok_val, ok_grad

    return jax.jit(jax.vmap(point))


def warm_up(prob: Problem):
    """One eager evaluation: fills the constraint library's lru caches outside any trace
    (some of them convert JAX arrays to floats and cannot be filled under jit)."""
    u = {k: v[0] for k, v in prob.prior_draws(jax.random.PRNGKey(0), 1).items()}
    prob.model.observables(prob.theta(_site_values(prob, u)))


def check_finiteness(prob: Problem, n: int, *, seed: int = 0, chunk: int = CHUNK, extra=()):
    """(ok_values, ok_gradients) boolean arrays over ``extra`` points followed by ``n`` seeded
    prior draws, evaluated in chunks of ``chunk`` (the last one padded)."""
    warm_up(prob)
    draws = prob.prior_draws(jax.random.PRNGKey(seed), n)
    if extra:
        ex = [unconstrained(prob, p) for p in extra]
        draws = {k: jnp.concatenate([jnp.stack([e[k] for e in ex]), v]) for k, v in draws.items()}
    total = len(extra) + n
    padded = -(-total // chunk) * chunk
    draws = {k: jnp.concatenate([v, jnp.broadcast_to(v[:1], (padded - total,))]) for k, v in draws.items()}
    f = prob.__dict__.setdefault("_finiteness_checker", chunk_checker(prob))  # one compile per problem
    ok_v, ok_g = [], []
    for i in range(0, padded, chunk):
        a, b = f({k: v[i:i + chunk] for k, v in draws.items()})
        ok_v.append(np.asarray(a))
        ok_g.append(np.asarray(b))
    return np.concatenate(ok_v)[:total], np.concatenate(ok_g)[:total]


@pytest.mark.slow
@pytest.mark.parametrize("name", MODELS)
def test_prior_draws_finite(name):
    prob = default_problem(name)
    extra = REGRESSION.get(name, [])
    # a sentinel point with a NaN parameter (last of the extras): the checker must flag it
    sentinel = {n: float("nan") for n in prob.free}
    ok_v, ok_g = check_finiteness(prob, N_DRAWS[name], seed=17, extra=[*extra, sentinel])
    assert ok_v.shape == (len(extra) + 1 + N_DRAWS[name],)
    assert not ok_v[len(extra)] and not ok_g[len(extra)]
    ok_v[len(extra)] = ok_g[len(extra)] = True
    bad_v, bad_g = np.flatnonzero(~ok_v), np.flatnonzero(~ok_g)
    assert bad_v.size == 0, f"{name}: non-finite values at draws {bad_v} (first {len(extra)} are regression points)"
    assert bad_g.size == 0, f"{name}: non-finite gradients at draws {bad_g} (first {len(extra)} are regression points)"


def test_scotogenic_regression_points_all_observables():
    """Every observable (not only the likelihood's: e.g. the Z′ BRs) at the regression points."""
    prob = default_problem("scotogenic_u1d")
    warm_up(prob)
    pts = REGRESSION["scotogenic_u1d"]
    theta = prob.theta({n: jnp.asarray([p[n] for p in pts]) for n in prob.free})
    obs = jax.jit(prob.model.observables)(theta)
    bad = sorted(k for k, v in obs.items() if not np.all(np.isfinite(np.asarray(v))))
    assert not bad, f"non-finite observables: {bad}"
    below = np.asarray(obs["m_zprime"]) < 2 * constants.M_E
    assert below[-1]
    np.testing.assert_array_equal(np.asarray(obs["br_zprime_ee"])[below], 0.0)


def test_dis_odd_scalar_mass_gradient():
    """The CP-odd masses' Hellmann–Feynman gradient (dark_inverse_seesaw.scalars) equals
    central finite differences of the masses themselves, and the spectrum's gradient is
    finite at a regression point with an exactly vanishing Goldstone eigenvalue."""
    from jaxg2.models import dark_inverse_seesaw as dis
    from jaxg2.models.dark_inverse_seesaw import scalars

    p = dis._scalar_params({k: jnp.asarray(v) for k, v in REGRESSION["dark_inverse_seesaw"][0].items()})
    total = lambda q: sum(jnp.sum(x) for x in scalars.spectrum(q))  # noqa: E731
    g = jax.grad(total)(p)
    assert all(np.isfinite(float(v)) for v in g.values())
    m_a = lambda q: scalars.spectrum(q).odd_masses[2]  # noqa: E731  (the lighter physical CP-odd state)
    g = jax.grad(m_a)(p)
    scale = max(abs(float(v)) for v in g.values())
    for name in ("mu", "mu_p", "omega1", "lam_S1"):
        h = 1e-3 * abs(float(p[name]))
        up, dn = dict(p), dict(p)
        up[name], dn[name] = p[name] + h, p[name] - h
        fd = (float(m_a(up)) - float(m_a(dn))) / (2 * h)
        assert math.isclose(float(g[name]), fd, rel_tol=1e-4, abs_tol=1e-8 * scale), name
