"""Catmull–Rom grid interpolation: exact on quadratics, through the nodes, gradient continuous."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from jax.scipy.ndimage import map_coordinates

from jaxg2.numerics.interpolation import cubic_grid


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
