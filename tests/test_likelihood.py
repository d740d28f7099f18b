"""Likelihood primitives against scipy and their defining properties."""

import math

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from scipy import stats

from jaxg2 import likelihood as L


def test_gaussian_matches_scipy():
    x = np.linspace(-3, 5, 11)
    np.testing.assert_allclose(L.gaussian(x, 1.2, 0.7), stats.norm.logpdf(x, 1.2, 0.7), rtol=1e-13)


def test_asymmetric_gaussian_is_continuous_and_normalised():
    from scipy.integrate import quad

    f = lambda x: math.exp(float(L.asymmetric_gaussian(x, 1.0, 0.5, 2.0)))  # noqa: E731
    total = quad(f, -10, 1.0)[0] + quad(f, 1.0, 20)[0]
    assert math.isclose(total, 1.0, rel_tol=1e-8)


def test_hard_limits():
    x = jnp.array([0.5, 1.0, 1.5])
    np.testing.assert_array_equal(L.upper_limit_hard(x, 1.0), [0.0, 0.0, -np.inf])
    np.testing.assert_array_equal(L.lower_limit_hard(x, 1.0), [-np.inf, 0.0, 0.0])
    np.testing.assert_array_equal(L.interval_hard(x, 0.7, 1.2), [-np.inf, 0.0, -np.inf])


def test_smooth_upper_limit_shape():
    w = 0.05
    assert math.isclose(float(L.upper_limit_smooth(1.0, 1.0, w)), -0.5, rel_tol=1e-12)
    assert abs(float(L.upper_limit_smooth(0.5, 1.0, w))) < 1e-5  # deep inside: no penalty
    # far outside: Gaussian in log x of width w·ln2
    z = math.log(3.0) / w
    assert math.isclose(float(L.upper_limit_smooth(3.0, 1.0, w)), -0.5 * (z / math.log(2)) ** 2, rel_tol=1e-6)
    xs = jnp.geomspace(0.1, 10, 101)
    v = L.upper_limit_smooth(xs, 1.0, w)
    assert bool(jnp.all(jnp.diff(v) <= 0))  # monotone
    assert float(L.upper_limit_smooth(-2.0, 1.0, w)) == 0.0  # non-positive always allowed


@pytest.mark.parametrize("fn", [L.upper_limit_smooth, L.lower_limit_smooth])
@pytest.mark.parametrize("x", [-1.0, 0.0, 1e-30, 0.9, 1.0, 1.1, 1e3])
def test_smooth_limits_have_finite_gradients(fn, x):
    g = jax.grad(lambda t: fn(t, 1.0))(x)
    assert np.isfinite(float(g))


def test_smooth_gradient_matches_finite_difference():
    f = lambda t: L.upper_limit_smooth(t, 2.0, 0.1)  # noqa: E731
    for x in (1.7, 2.0, 2.4):
        h = 1e-6
        fd = (f(x + h) - f(x - h)) / (2 * h)
        assert math.isclose(float(jax.grad(f)(x)), float(fd), rel_tol=1e-6)


def test_lower_limit_is_mirror_of_upper():
    for x in (0.5, 0.9, 1.0, 1.3):
        assert math.isclose(float(L.lower_limit_smooth(x, 1.0)), float(L.upper_limit_smooth(1.0 / x, 1.0)), rel_tol=1e-12, abs_tol=1e-300)


def test_static_switch_and_jit():
    x = jnp.array([0.5, 2.0])
    np.testing.assert_array_equal(L.upper_limit(x, 1.0), L.upper_limit_hard(x, 1.0))
    np.testing.assert_allclose(jax.jit(L.upper_limit_smooth)(x, 1.0), L.upper_limit_smooth(x, 1.0))
    assert L.interval(x, 0.1, 1.0, smooth=True).dtype == jnp.float64
