"""Catmull–Rom grid interpolation: exact on quadratics, through the nodes, gradient continuous.
Monotone cubic (PCHIP) for digitised curves: scipy's PchipInterpolator, no overshoot, C¹, steps kept."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from jax.scipy.ndimage import map_coordinates

from scipy.interpolate import PchipInterpolator

from jaxg2.numerics.interpolation import cubic_grid, monotone_cubic


def _quadratic(x, y, z):
    return 1.0 + 0.3 * x - 0.7 * y + 0.2 * z + 0.05 * x * x - 0.04 * x * y + 0.03 * y * z - 0.02 * z * z


def _grid_table(shape=(7, 6, 5)):
    idx = np.meshgrid(*(np.arange(n, dtype=float) for n in shape), indexing="ij")
    return _quadratic(*idx)


def test_reproduces_a_quadratic_inside_the_grid_and_passes_through_nodes():
    table = _grid_table()
    rng = np.random.default_rng(3)
    # interior: all four neighbours are real nodes along every axis (1 ≤ c ≤ n − 2)
    pts = [rng.uniform(1.0, n - 2.0, 200) for n in table.shape]
    got = np.asarray(cubic_grid(table, pts))
    np.testing.assert_allclose(got, _quadratic(*pts), rtol=0, atol=1e-12)
    nodes = [np.array([0, 3, 6]), np.array([0, 2, 5]), np.array([4, 0, 1])]
    np.testing.assert_allclose(np.asarray(cubic_grid(table, nodes)), table[tuple(nodes)], rtol=0, atol=1e-13)


def test_linear_functions_exact_up_to_the_edges_and_clipped_outside():
    idx = np.meshgrid(np.arange(4.0), np.arange(3.0), indexing="ij")
    table = 2.0 + 0.5 * idx[0] - 1.5 * idx[1]
    x, y = np.array([0.0, 0.2, 2.7, 3.0, 5.0, -1.0]), np.array([0.0, 1.9, 0.4, 2.0, 1.0, 3.5])
    expect = 2.0 + 0.5 * np.clip(x, 0, 3) - 1.5 * np.clip(y, 0, 2)
    np.testing.assert_allclose(np.asarray(cubic_grid(table, [x, y])), expect, rtol=0, atol=1e-13)


def test_gradient_is_continuous_across_a_node_where_linear_interpolation_jumps():
    table = np.exp(-0.3 * _grid_table()) + np.sin(_grid_table())  # no polynomial structure
    node = 3.0
    side = lambda f, d: jax.grad(lambda c: f([c, 2.4, 1.7]))(node + d)  # noqa: E731
    cubic = lambda c: cubic_grid(table, c)  # noqa: E731
    linear = lambda c: map_coordinates(jnp.asarray(table), [jnp.asarray(v) for v in c], order=1)  # noqa: E731
    left, right = float(side(cubic, -1e-9)), float(side(cubic, 1e-9))
    assert right == pytest.approx(left, rel=1e-6, abs=1e-9)
    # the trilinear interpolant's one-sided slopes differ by O(1) here (what the cubic fixes)
    assert abs(float(side(linear, 1e-9)) - float(side(linear, -1e-9))) > 1e-2
    # and the cubic's slope at the node is the central difference of the neighbouring nodes
    assert left == pytest.approx(float(cubic([node + 1, 2.4, 1.7]) - cubic([node - 1, 2.4, 1.7])) / 2, rel=1e-7)


def test_jit_vmap_grad_and_shapes():
    table = _grid_table((5, 4, 6))
    f = jax.jit(jax.vmap(jax.value_and_grad(lambda c: cubic_grid(table, [c[0], c[1], c[2]]))))
    c = jnp.asarray(np.random.default_rng(0).uniform(0, 3, (8, 3)))
    v, g = f(c)
    assert v.shape == (8,) and g.shape == (8, 3) and bool(jnp.all(jnp.isfinite(g)))
    assert cubic_grid(table, [jnp.zeros((2, 3)), 1.0, jnp.ones(3)]).shape == (2, 3)
    with pytest.raises(ValueError, match="2 coordinates for a 3-dimensional table"):
        cubic_grid(table, [0.0, 0.0])


def _spiky_curve(n=60, seed=5):
    """A digitised-limit-like curve: a trend plus 30% jumps between neighbouring nodes."""
    rng = np.random.default_rng(seed)
    x = np.cumsum(rng.uniform(0.004, 0.012, n))
    return x, -0.5 * x + 0.3 * rng.standard_normal(n)


@pytest.mark.parametrize("n", [2, 3, 4, 60])
def test_monotone_cubic_is_scipys_pchip(n):
    """An independent implementation (scipy.interpolate.PchipInterpolator) on random data."""
    rng = np.random.default_rng(n)
    xp, fp = np.sort(rng.uniform(-3.0, 5.0, n)), rng.standard_normal(n)
    x = np.concatenate([np.linspace(xp[0], xp[-1], 2001), xp])
    np.testing.assert_allclose(np.asarray(monotone_cubic(x, xp, fp)), PchipInterpolator(xp, fp)(x), rtol=0, atol=1e-12)
    np.testing.assert_allclose(np.asarray(monotone_cubic(np.array([xp[0] - 1.0, xp[-1] + 2.0]), xp, fp)),
                               [fp[0], fp[-1]], rtol=0, atol=0)           # ends held outside, as jnp.interp
    g = jax.vmap(jax.grad(lambda x: monotone_cubic(x, xp, fp)))(jnp.asarray(x[:2001]))
    np.testing.assert_allclose(np.asarray(g), PchipInterpolator(xp, fp).derivative()(x[:2001]), rtol=1e-9, atol=1e-9)


def test_monotone_cubic_never_overshoots_a_spiky_curve_and_its_gradient_is_continuous():
    xp, fp = _spiky_curve()
    x = np.linspace(xp[0], xp[-1], 20001)
    y = np.asarray(monotone_cubic(x, xp, fp))
    k = np.clip(np.searchsorted(xp, x, side="right") - 1, 0, len(xp) - 2)
    lo, hi = np.minimum(fp[k], fp[k + 1]), np.maximum(fp[k], fp[k + 1])
    assert np.all(y >= lo - 1e-12) and np.all(y <= hi + 1e-12)          # within its interval's nodes
    cr = np.asarray(cubic_grid(fp, [np.interp(x, xp, np.arange(len(xp)))]))  # Catmull–Rom does overshoot
    assert np.any((cr < lo - 1e-3) | (cr > hi + 1e-3))
    grad = jax.grad(lambda x: monotone_cubic(x, xp, fp))
    lin = jax.grad(lambda x: jnp.interp(x, jnp.asarray(xp), jnp.asarray(fp)))
    jumps_cubic, jumps_linear = [], []
    for node in xp[1:-1]:
        e = 1e-9
        jumps_cubic.append(abs(float(grad(node + e)) - float(grad(node - e))))
        jumps_linear.append(abs(float(lin(node + e)) - float(lin(node - e))))
    assert max(jumps_cubic) < 1e-2 and max(jumps_linear) > 10.0    # ±1e-9 apart: curvature × 2e-9 ≲ 1e-3


def test_monotone_cubic_keeps_a_step_and_stays_finite():
    """A repeated abscissa (a vertical segment of a digitised curve) is a step, never 0/0."""
    xp = np.array([0.0, 1.0, 2.0, 2.0, 3.0, 4.0])
    fp = np.array([0.0, 0.5, 1.0, 3.0, 3.5, 4.0])
    f = lambda x: monotone_cubic(x, xp, fp)  # noqa: E731
    assert float(f(2.0 - 1e-12)) == pytest.approx(1.0, abs=1e-9)
    assert float(f(2.0)) == 3.0 and float(f(2.0 + 1e-12)) == pytest.approx(3.0, abs=1e-9)
    x = jnp.linspace(-1.0, 5.0, 601)
    vals, grads = jax.vmap(jax.value_and_grad(f))(x)
    assert np.all(np.isfinite(np.asarray(vals))) and np.all(np.isfinite(np.asarray(grads)))
    assert np.all(np.diff(np.asarray(vals)) >= -1e-15)                 # monotone data, monotone curve
    assert float(jax.grad(f)(2.0 - 1e-9)) == pytest.approx(0.0, abs=1e-6)  # flat into the step


def test_monotone_cubic_jit_vmap_over_tables_and_bad_input():
    xp, fp = _spiky_curve(20)
    tabs_x, tabs_f = jnp.stack([xp, xp + 0.01]), jnp.stack([fp, 2.0 * fp])
    x = jnp.linspace(xp[2], xp[-3], 7)
    both = jax.jit(jax.vmap(lambda a, b: monotone_cubic(x, a, b)))(tabs_x, tabs_f)
    np.testing.assert_allclose(np.asarray(both[1]), PchipInterpolator(xp + 0.01, 2.0 * fp)(np.asarray(x)), atol=1e-12)
    with pytest.raises(ValueError, match="1-D xp and fp of one length"):
        monotone_cubic(0.0, xp, fp[:-1])
