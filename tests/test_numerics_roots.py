"""jaxg2.numerics.newton_root (optimistix Newton) against scipy's brentq, and its implicit gradients."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from scipy.optimize import brentq

from jaxg2.numerics import newton_root


def _kepler(E, args):
    """Kepler's equation E − e sin E − M = 0 (a classic with no closed form)."""
    e, M = args
    return E - e * jnp.sin(E) - M


def _solve_kepler(e, M):
    return newton_root(_kepler, jnp.asarray(M, dtype=jnp.float64), (e, M))


@pytest.mark.parametrize("e,M", [(0.1, 0.3), (0.5, 1.0), (0.9, 2.5), (0.99, 0.05)])
def test_kepler_against_brentq(e, M):
    ref = brentq(lambda E: E - e * np.sin(E) - M, 0.0, np.pi, xtol=1e-15, rtol=1e-15)
    assert float(jax.jit(_solve_kepler)(e, M)) == pytest.approx(ref, rel=1e-12, abs=1e-14)


def test_kepler_gradient_is_implicit_and_matches_finite_differences():
    """dE/de = sin E/(1 − e cos E), dE/dM = 1/(1 − e cos E) (implicit function theorem)."""
    e, M, h = 0.6, 1.2, 1e-6
    E = float(_solve_kepler(e, M))
    ge, gM = jax.grad(_solve_kepler, argnums=(0, 1))(e, M)
    denom = 1 - e * np.cos(E)
    assert float(ge) == pytest.approx(np.sin(E) / denom, rel=1e-10)
    assert float(gM) == pytest.approx(1 / denom, rel=1e-10)
    fd = (float(_solve_kepler(e + h, M)) - float(_solve_kepler(e - h, M))) / (2 * h)
    assert float(ge) == pytest.approx(fd, rel=1e-7)


def test_vmap_and_box():
    """vmap over parameters; ``lower``/``upper`` keep iterates of a log-residual in a box."""
    Ms = jnp.linspace(0.1, 3.0, 7)
    got = jax.jit(jax.vmap(lambda M: _solve_kepler(0.7, M)))(Ms)
    for M, E in zip(np.asarray(Ms), np.asarray(got)):
        assert E == pytest.approx(brentq(lambda x: x - 0.7 * np.sin(x) - M, 0, np.pi, xtol=1e-15), abs=1e-13)
    # ln y with y⁴ + y = c: a root in u = ln y, started far away, clipped to [−30, 5]
    f = lambda u, c: jnp.log(jnp.exp(4 * u) + jnp.exp(u)) - jnp.log(c)  # noqa: E731
    u = newton_root(f, jnp.asarray(4.0), 2.0, lower=-30.0, upper=5.0)
    assert float(jnp.exp(u)) == pytest.approx(brentq(lambda y: y**4 + y - 2.0, 0.1, 2.0, xtol=1e-15), rel=1e-12)


def test_vector_root_and_jacobian():
    """Two equations (circle ∩ hyperbola): x² + y² = r², x y = 1; dx/dr by finite differences."""
    def f(z, r):
        return jnp.stack([z[0] ** 2 + z[1] ** 2 - r**2, z[0] * z[1] - 1.0])

    sol = lambda r: newton_root(f, jnp.array([2.0, 0.4]), r)  # noqa: E731
    r = 2.5
    x = float(sol(r)[0])
    # exact: x² = (r² + √(r⁴ − 4))/2 on the branch with x > y
    assert x == pytest.approx(np.sqrt((r**2 + np.sqrt(r**4 - 4)) / 2), rel=1e-13)
    jac = jax.jacobian(sol)(r)
    h = 1e-6
    fd = (np.asarray(sol(r + h)) - np.asarray(sol(r - h))) / (2 * h)
    np.testing.assert_allclose(np.asarray(jac), fd, rtol=1e-6)


def test_vmap_of_grad_equals_the_implicit_derivative():
    """vmap(grad) over many parameter values: dE/dM = 1/(1 − e cos E) at each root."""
    Ms = jnp.linspace(0.2, 3.0, 9)
    g = jax.jit(jax.vmap(jax.grad(lambda M: _solve_kepler(0.8, M))))(Ms)
    E = np.asarray(jax.vmap(lambda M: _solve_kepler(0.8, M))(Ms))
    np.testing.assert_allclose(np.asarray(g), 1 / (1 - 0.8 * np.cos(E)), rtol=1e-10)
