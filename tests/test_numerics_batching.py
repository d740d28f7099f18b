"""Chunked elementwise kernels (jaxg2.numerics.batching) and the loop moments' custom JVP.

The chunked function must equal the plain one for every shape, under jit, vmap
(batched and unbatched arguments of different ranks, nested) and forward-mode
derivatives; the moments' custom JVP must equal JAX's own derivative of the same
formulas in every mode (jacrev, jacfwd, hessian, tangents on some inputs only); and
the memory XLA plans for vmap(value_and_grad) of a g-2 loop over 10⁶ points must stay
under 1 GiB (it was 2.5 GiB when every intermediate of the three regimes was kept), and
that of the dark_tmm transition loop under 0.1 MiB per point (it was 4.5 MiB).
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from jaxg2 import loops
from jaxg2.constants import M_MU
from jaxg2.loops import _closed
from jaxg2.models.dark_tmm_loops import delta_K
from jaxg2.numerics import elementwise_chunked, elementwise_with_partials


def _kernel(x, y, z):
    """An elementwise function with two outputs (a tuple), as the moments have four."""
    return x * jnp.log(y) + z, jnp.sqrt(y) * jnp.exp(-x * z)


def _args(rng, *shapes):
    return [jnp.asarray(rng.uniform(0.5, 2.0, s)) for s in shapes]


CHUNK = 7  # smaller than every test batch, and not a divisor of them: the last chunk is padded


@pytest.mark.parametrize("shapes", [[(5,), (3, 1), ()], [(4, 6), (6,), (4, 1)], [(2,), (2,), (2,)]])
def test_direct_call_equals_the_plain_function(shapes):
    args = _args(np.random.default_rng(0), *shapes)
    got = jax.jit(elementwise_chunked(_kernel, chunk=CHUNK))(*args)
    want = _kernel(*args)
    for g, w in zip(got, want):
        assert g.shape == w.shape
        np.testing.assert_allclose(np.asarray(g), np.asarray(w), rtol=1e-13)


@pytest.mark.parametrize("axes,shapes", [
    ((0, None, 0), [(23, 3), (4, 3), (23,)]),     # example shapes (3,), (4, 3), (): broadcast (4, 3)
    ((0, None, None), [(23, 3), (4, 3), ()]),
    ((None, 1, 0), [(3,), (4, 23, 3), (23,)]),    # batched along a middle axis
])
def test_vmap_with_mixed_batching_and_ranks(axes, shapes):
    args = _args(np.random.default_rng(1), *shapes)
    got = jax.jit(jax.vmap(elementwise_chunked(_kernel, chunk=CHUNK), in_axes=axes))(*args)
    want = jax.vmap(_kernel, in_axes=axes)(*args)
    for g, w in zip(got, want):
        assert g.shape == w.shape == (23, 4, 3)
        np.testing.assert_allclose(np.asarray(g), np.asarray(w), rtol=1e-13)


def test_nested_vmap_and_forward_mode():
    rng = np.random.default_rng(2)
    x, y, z = _args(rng, (6, 5), (6, 5), (5,))
    chunked = elementwise_chunked(_kernel, chunk=CHUNK)
    nested = jax.jit(jax.vmap(jax.vmap(chunked, in_axes=(0, 0, 0)), in_axes=(0, 0, None)))
    for g, w in zip(nested(x, y, z), jax.vmap(jax.vmap(_kernel, in_axes=(0, 0, 0)), in_axes=(0, 0, None))(x, y, z)):
        np.testing.assert_allclose(np.asarray(g), np.asarray(w), rtol=1e-13)
    tangent = (jnp.ones_like(x), jnp.zeros_like(y), jnp.zeros_like(x))
    zz = jnp.broadcast_to(z, x.shape)
    _, got = jax.jvp(jax.vmap(chunked), (x, y, zz), tangent)
    _, want = jax.jvp(jax.vmap(_kernel), (x, y, zz), tangent)
    for g, w in zip(got, want):
        np.testing.assert_allclose(np.asarray(g), np.asarray(w), rtol=1e-14)


def test_bad_chunk_is_refused():
    with pytest.raises(ValueError, match="chunk"):
        elementwise_chunked(_kernel, chunk=0)


def _one_output(x, y, z):
    return x * jnp.log(y) + z * jnp.sqrt(x * y)


@pytest.mark.parametrize("kernel", [_kernel, _one_output])  # forward partials (2 outputs, ≤ 2 live), reverse (1 output)
def test_partials_in_every_mode_equal_autodiff(kernel):
    wrapped = elementwise_with_partials(kernel, chunk=CHUNK)
    x, y, z = _args(np.random.default_rng(4), (11,), (11,), (11,))

    def total(f):
        return lambda a, b, c: sum(jnp.sum(o) for o in jax.tree.leaves(f(a, b, c)))

    for transform in (lambda f: jax.grad(total(f), argnums=(0, 1, 2)), lambda f: jax.grad(total(f), argnums=(1,)),
                      lambda f: jax.jacfwd(total(f), argnums=(0, 2)), lambda f: jax.hessian(total(f), argnums=0)):
        got, want = jax.jit(transform(wrapped))(x, y, z), transform(kernel)(x, y, z)
        for g, w in zip(jax.tree.leaves(got), jax.tree.leaves(want)):
            np.testing.assert_allclose(np.asarray(g), np.asarray(w), rtol=1e-12)
    got = jax.jit(jax.vmap(jax.grad(lambda a, b: total(wrapped)(a, b, z[0]), argnums=(0, 1))))(x, y)
    want = jax.vmap(jax.grad(lambda a, b: total(kernel)(a, b, z[0]), argnums=(0, 1)))(x, y)
    for g, w in zip(got, want):
        np.testing.assert_allclose(np.asarray(g), np.asarray(w), rtol=1e-12)


def _moment_stack(fun):
    return lambda v: jnp.stack(fun(v[0], v[1], v[2]))


POINTS = [(1.0, 0.3, 0.701), (1.0, 1e6, 1e-6), (1.0, 2.0, 1.0), (0.7, 3.0, 3.0), (1.0, 1e-6 + 1.0, 1e-6)]


@pytest.mark.slow
def test_custom_jvp_equals_autodiff_of_the_formulas():
    """The custom JVP (forward-mode partials times tangents) against JAX's AD of _moments itself."""
    pts = jnp.array(POINTS)
    mine, ref = _moment_stack(_closed.moments), _moment_stack(_closed._moments)
    both = lambda transform, f: np.asarray(jax.jit(jax.vmap(transform(f)))(pts))  # noqa: E731
    want = both(jax.jacrev, ref)
    for jac in (jax.jacrev, jax.jacfwd):
        np.testing.assert_allclose(both(jac, mine), want, rtol=1e-12, atol=1e-300)
    hess, hess_ref = both(jax.hessian, mine), both(jax.hessian, ref)
    assert np.all(np.isfinite(hess))
    for h, r in zip(hess, hess_ref):
        np.testing.assert_allclose(h, r, rtol=1e-9, atol=1e-12 * np.abs(r).max())
    # tangent on m_a only (the others are symbolic zeros: only one column is computed)
    one = jax.vmap(lambda v: jax.jvp(lambda a: jnp.stack(_closed.moments(v[0], a, v[2])), (v[1],), (1.0,))[1])(pts)
    np.testing.assert_allclose(np.asarray(one), want[:, :, 1], rtol=1e-12, atol=1e-300)


def test_vmapped_gradient_over_more_points_than_a_chunk_is_unchanged(monkeypatch):
    """vmap(value_and_grad(g2)) over 9000 points (several chunks) against JAX's AD of the plain formulas."""
    rng = np.random.default_rng(3)
    pts = jnp.asarray(np.column_stack([rng.uniform(-3, 3, (9000, 2)), rng.normal(size=(9000, 2))]))

    def g2(p):
        return loops.g2_neutral_scalar(M_MU, M_MU * 10 ** p[0], M_MU * (2.0 + 10 ** p[1]), p[2], p[3])

    got = jax.jit(jax.vmap(jax.value_and_grad(g2)))(pts)
    monkeypatch.setattr(_closed, "moments", _closed._moments)
    want = jax.jit(jax.vmap(jax.value_and_grad(g2)))(pts)
    np.testing.assert_allclose(np.asarray(got[0]), np.asarray(want[0]), rtol=1e-13)
    scale = np.abs(np.asarray(want[1])).max(axis=1, keepdims=True)
    assert np.all(np.abs(np.asarray(got[1]) - np.asarray(want[1])) <= 1e-11 * scale)


def _planned_bytes(jitted, shape):
    """Arguments + outputs + temporaries of the compiled program (XLA's plan; nothing is run)."""
    mem = jitted.lower(jax.ShapeDtypeStruct(shape, jnp.float64)).compile().memory_analysis()
    assert mem is not None, "memory_analysis() returned None: this backend does not report the plan"
    return mem.argument_size_in_bytes + mem.output_size_in_bytes + mem.temp_size_in_bytes


@pytest.mark.parametrize("shape", [(10**6, 4), (2, 500_000, 4)])  # one vmap; a large vmap inside a small one
def test_a_million_point_vmapped_value_and_gradient_fits_in_one_gib(shape):
    """XLA's planned memory (arguments + outputs + temporaries) of the compiled program; nothing is run."""

    def g2(p):
        return loops.g2_neutral_scalar(M_MU, M_MU * jnp.exp(p[0]), M_MU * jnp.exp(p[1]), p[2], p[3])

    prog = jax.value_and_grad(g2)
    for _ in shape[:-1]:
        prog = jax.vmap(prog)
    total = _planned_bytes(jax.jit(prog), shape)
    assert total < 2**30, f"{total / 2**20:.0f} MiB"


def test_dark_tmm_transition_loop_gradient_memory_per_point():
    """vmap(grad(ΔK)) with the graded 28 000-node rule: 4.5 MiB per point when every node's intermediates were kept."""
    prog = jax.jit(jax.vmap(jax.grad(lambda m: delta_K(*m), argnums=0)))
    total = _planned_bytes(prog, (1000, 5))
    assert total / 1000 < 0.1 * 2**20, f"{total / 1000 / 2**20:.2f} MiB per point"
