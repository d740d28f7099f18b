"""The tabulated N_eff of lmu_ltau against the entropy-transfer solver it was made with."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from jaxg2 import cosmo
from jaxg2.models.lmu_ltau import neff_table, zprime


def test_table_matches_the_solver_where_the_limits_bite():
    rng = np.random.default_rng(7)
    n = 40
    mz = 10 ** rng.uniform(np.log10(2e-3), np.log10(0.3), n)
    g = 10 ** rng.uniform(-5, -2, n)
    mp = 10 ** rng.uniform(-3, 0, n)
    eps = np.asarray(zprime.eps_az(g))
    exact = np.asarray(jax.jit(lambda a, b, c: cosmo.n_eff(a, 0.0, b, m_phi=c))(mz, eps, mp))
    table = np.asarray(neff_table.n_eff(mz, eps, mp))
    relevant = exact < 3.6                      # N_eff near the ACT/BBN limits (σ ≈ 0.13)
    assert relevant.sum() > 10
    # tricubic (Catmull–Rom): max 1.5e-3 on 300 random points (trilinear, before: 9.2e-3)
    assert np.max(np.abs(table - exact)[relevant]) < 0.005
    assert np.max(np.abs(table - exact) / exact) < 0.01   # far outside too (N_eff up to ~9)


def test_baseline_and_gradients():
    assert neff_table.baseline() == pytest.approx(3.032, abs=5e-4)       # cosmo.neff docstring
    f = jax.jit(jax.grad(lambda lm, lg, lp: neff_table.delta_n_eff(10 ** lm, zprime.eps_az(10 ** lg), 10 ** lp),
                         argnums=(0, 1, 2)))
    for lm, lg, lp in [(-3.0, -5.0, -3.0), (-2.0, -3.3, -2.0), (-0.5, -2.0, 0.0), (0.5, -6.0, 1.0)]:
        assert all(np.isfinite(float(d)) for d in f(lm, lg, lp))
    # far outside the grid the edge values are used: a heavy Z′ gives no extra radiation
    assert abs(float(neff_table.delta_n_eff(10.0, 1e-9, 5.0))) < 0.01
