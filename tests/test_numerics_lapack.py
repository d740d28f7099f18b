"""LAPACK calls in one chain (jaxg2.numerics.lapack): the check finds independent calls,
``after`` orders them without changing values, derivatives or batching, and the one model
with several calls (dark_inverse_seesaw) has them in one chain."""

import jax
import jax.numpy as jnp
import numpy as np

import jaxg2  # noqa: F401  (float64)
from jaxg2 import models
from jaxg2.numerics import after, lapack_calls_unordered


def _two_spectra(a, b):
    return jnp.linalg.eigh(a)[0].sum() * jnp.linalg.inv(b)[0, 0]


def _chained(a, b):
    w = jnp.linalg.eigh(a)[0]
    return w.sum() * jnp.linalg.inv(after(b, w))[0, 0]


def _inputs(n=None):
    rng = np.random.default_rng(0)
    shape = () if n is None else (n,)
    a = rng.normal(size=shape + (4, 4))
    return jnp.asarray(a + np.swapaxes(a, -1, -2)), jnp.asarray(rng.normal(size=shape + (3, 3)) + 3 * np.eye(3))


def _kinds(pairs):
    return sorted(tuple(sorted(n.split(".")[0] for n in pair)) for pair in pairs)


def test_independent_calls_are_found_and_after_orders_them():
    """Read from the compiled program: an eigh and an inv (lu + triangular solves) that
    share no data are unordered; ``after`` makes the inv wait for the eigh."""
    va, vb = _inputs(5)
    found = lapack_calls_unordered(jax.vmap(_two_spectra), va, vb)
    assert found and all(any(k.startswith("eigh") for k in pair) for pair in found)
    assert lapack_calls_unordered(jax.vmap(_chained), va, vb) == []
    # under value_and_grad in the eigh's input (its derivative adds no LAPACK call; an inv's
    # derivative would add triangular solves, which the check reports like any other call)
    vg = lambda f: jax.vmap(jax.value_and_grad(f))  # noqa: E731
    assert _kinds(lapack_calls_unordered(vg(_two_spectra), va, vb)) == _kinds(found)
    assert lapack_calls_unordered(vg(_chained), va, vb) == []
    assert any("triangular_solve" in n for pair in lapack_calls_unordered(
        jax.vmap(jax.grad(_chained, argnums=1)), va, vb) for n in pair)
    # inside a loop body the calls run as concurrently: still found there
    looped = lambda a, b: jax.lax.fori_loop(0, 3, lambda i, x: x + _two_spectra(a + i, b + i), 0.0)  # noqa: E731
    assert _kinds(lapack_calls_unordered(jax.vmap(looped), va, vb)) == _kinds(found)


def test_after_changes_no_value_derivative_or_batch():
    va, vb = _inputs(5)
    vg = lambda f: jax.jit(jax.vmap(jax.value_and_grad(f, argnums=(0, 1))))  # noqa: E731
    (v0, (ga0, gb0)), (v1, (ga1, gb1)) = vg(_two_spectra)(va, vb), vg(_chained)(va, vb)
    np.testing.assert_array_equal(v0, v1)
    np.testing.assert_array_equal(ga0, ga1)
    np.testing.assert_array_equal(gb0, gb1)
    # independent evaluation: d/d b of inv(b)[0,0] = −(inv(b)ᵀ e₀)(e₀ᵀ inv(b)ᵀ)… compared with numpy
    binv = np.linalg.inv(np.asarray(vb))
    expect = -np.einsum("ni,nj->nij", binv[:, :, 0], binv[:, 0, :]).transpose(0, 2, 1)
    eig_sum = np.linalg.eigvalsh(np.asarray(va)).sum(-1)
    np.testing.assert_allclose(gb1, eig_sum[:, None, None] * expect, rtol=1e-10)


def test_dark_inverse_seesaw_lapack_calls_form_one_chain():
    """Four eigh and one complex inv per point; before the chain all five were independent
    (10 pairs), and 2000-point evaluations hung in 5 of 10 runs on 2 cores."""
    model = models.get("dark_inverse_seesaw")
    point = model.benchmarks["MiniBooNE"]
    theta = {k: jnp.full((2,), point[k]) for k in model.parameter_names}
    assert lapack_calls_unordered(jax.vmap(model.observables), theta) == []
