r"""Elementwise kernels evaluated in chunks of bounded memory, also under ``vmap``.

XLA's CPU compiler does not fuse a long elementwise computation into one loop when
its expensive intermediates (logs, square roots, divisions) have several users: each
becomes an array of the full batch.  The closed-form loop moments
(:mod:`jaxg2.loops._closed`) hold ~50 such arrays for their value and ~120 for value +
gradient, so ``vmap(value_and_grad(g2))`` over 10⁶ points asked XLA for 2.5 GiB.

:func:`elementwise_chunked` wraps an elementwise function (every output has the
broadcast shape of the inputs, and each output element depends only on the input
elements at the same position) so that a batch of more than ``chunk`` elements is
evaluated ``chunk`` elements at a time in a :func:`jax.lax.scan`; smaller batches
call the function unchanged.  It applies both to large arrays passed directly and,
through :func:`jax.custom_batching.custom_vmap`, to any ``vmap`` of a caller (the
batch of a ``vmap`` is invisible to the function it maps, so only a batching rule can
see it).  The last chunk is padded with copies of the first element (valid inputs;
the padded results are dropped).

A ``custom_vmap`` function has no reverse-mode derivative of its own.
:func:`elementwise_with_partials` adds one: a :func:`jax.custom_jvp` whose rule
computes the elementwise partial derivatives ∂f_j/∂x_k with another chunked function
(forward mode, one pass per differentiated input, or reverse mode, one pass per
output, whichever needs fewer passes) and returns Σ_k ∂f_j/∂x_k · dx_k.  The
residuals a gradient keeps are then those partials, a few numbers per element,
instead of every intermediate; and a large batch is evaluated a chunk at a time in
the gradient too.  Used by the closed-form loop moments
(:func:`jaxg2.loops._closed.moments`) and the dark_tmm transition-moment integral
(:func:`jaxg2.models.dark_tmm_loops.delta_loop`).
"""

from __future__ import annotations

import functools
import math

import jax
import jax.numpy as jnp
from jax.custom_batching import custom_vmap
from jax.custom_derivatives import SymbolicZero

CHUNK_CPU = 4096  # elements per pass on CPU: ~10 MB of temporaries for the loop moments' value + partials
CHUNK_ACCELERATOR = 2**18  # elements per pass on a GPU/TPU: enough parallel work, < 1 GB (not yet measured)

__all__ = ["elementwise_chunked", "elementwise_with_partials", "default_chunk", "CHUNK_CPU", "CHUNK_ACCELERATOR"]


def default_chunk() -> int:
    """Elements per pass for the default backend.

    CPU: 4096, measured on the g-2 loop (``vmap(value_and_grad)`` over 2·10⁵ points,
    2 cores): 2.81 µs/point at 4096, 2.84 at 1024, 2.99 at 16 384, 3.85 at 65 536,
    3.46 in one pass (which plans 3.9 GiB for 10⁶ points against 0.15 GiB) — small
    chunks stay in cache.  Accelerators need far larger batches to fill the device:
    :data:`CHUNK_ACCELERATOR`.
    """
    return CHUNK_CPU if jax.default_backend() == "cpu" else CHUNK_ACCELERATOR


def _in_chunks(fun, args, chunk, work):
    """fun(*args) on broadcast arrays, flattened and scanned ``chunk`` elements at a time."""
    chunk = chunk or max(1, default_chunk() // work)
    args = jnp.broadcast_arrays(*args)
    shape = args[0].shape
    n = math.prod(shape)
    if n <= chunk:
        return fun(*args)
    steps = -(-n // chunk)
    pad = steps * chunk - n

    def split(a):
        a = a.reshape(-1)
        if pad:
            a = jnp.concatenate([a, jnp.broadcast_to(a[:1], (pad,))])
        return a.reshape(steps, chunk)

    def body(carry, xs):
        return carry, fun(*xs)

    _, out = jax.lax.scan(body, None, [split(a) for a in args])
    return jax.tree.map(lambda o: o.reshape(-1)[:n].reshape(shape), out)


def elementwise_chunked(fun, chunk: int | None = None, work_per_element: int = 1):
    """``fun`` (elementwise, broadcasting) evaluated at most ``chunk`` elements at a time.

    ``chunk`` defaults to :func:`default_chunk` of the backend at trace time divided by
    ``work_per_element`` (the size of the arrays ``fun`` forms per element, e.g. the
    nodes of a quadrature rule inside it; at least one element).  Same values as
    ``fun`` for any input shapes, under ``jit`` and any nesting of ``vmap``;
    forward-mode derivatives (``jvp``, ``jacfwd``) pass through, reverse mode needs an
    enclosing ``custom_jvp`` (module docstring).

    Nested ``vmap``: the innermost one's batch is chunked, and every enclosing batch
    multiplies each chunk (``vmap(vmap(f))`` over 5·10⁵ × 2 points is one pass of
    10⁶ elements).  Calling the chunked function again from its batching rule would
    chunk all levels together, but JAX's JVP of ``custom_vmap`` then recurses forever
    under ``vmap(jvp(...))`` (``jax.hessian``), so it is not done: put the large batch
    innermost.
    """
    if chunk is not None and chunk < 1:
        raise ValueError(f"chunk must be a positive number of elements, not {chunk}")
    work = max(1, int(work_per_element))

    @custom_vmap
    def chunked(*args):
        return _in_chunks(fun, args, chunk, work)

    @chunked.def_vmap
    def _rule(axis_size, in_batched, *args):
        if not any(in_batched):
            out = _in_chunks(fun, args, chunk, work)
            return out, jax.tree.map(lambda _: False, out)
        ndim = max(jnp.ndim(a) - b for a, b in zip(args, in_batched))  # rank of one example's broadcast

        def full(a, batched):  # the batch axis first, the example's axes right-aligned
            if not batched:
                return jnp.expand_dims(a, tuple(range(1 + ndim - jnp.ndim(a))))
            return jnp.expand_dims(a, tuple(range(1, 1 + ndim - (jnp.ndim(a) - 1))))

        out = _in_chunks(fun, [full(a, b) for a, b in zip(args, in_batched)], chunk, work)  # leading axis_size
        return out, jax.tree.map(lambda _: True, out)

    return chunked


def elementwise_with_partials(fun, work_per_element: int = 1, chunk: int | None = None):
    """``fun`` (elementwise) chunked as :func:`elementwise_chunked`, differentiable in every mode.

    The derivative is a custom JVP from the elementwise partials (module docstring):
    forward mode through ``fun`` for each input whose tangent is not a symbolic zero,
    or reverse mode for each output when there are fewer outputs than such inputs.
    ``fun`` takes positional float arrays and returns an array or a tuple of arrays.
    Second derivatives pass through (forward mode over the chunked partials).
    """
    value = elementwise_chunked(fun, chunk, work_per_element)

    @functools.lru_cache(maxsize=None)
    def partials(live):
        """Chunked ``(fun(*x), P)`` with P[k][j] = ∂ output j / ∂ x_k for the live inputs k."""

        def values_and_partials(*x):
            x = tuple(jnp.broadcast_arrays(*x))
            ks = [i for i, flag in enumerate(live) if flag]
            n_out = len(jax.tree.leaves(jax.eval_shape(fun, *x)))
            if n_out < len(ks):  # reverse mode: one pass per output

                def of_live(*x_live):
                    full = list(x)
                    for k, xk in zip(ks, x_live):
                        full[k] = xk
                    return fun(*full)

                out, pull = jax.vjp(of_live, *[x[k] for k in ks])
                outs, tree = jax.tree.flatten(out)
                rows = [pull(tree.unflatten([jnp.ones_like(o) if i == j else jnp.zeros_like(o)
                                             for i, o in enumerate(outs)])) for j in range(n_out)]
                return out, tuple(tuple(row[n] for row in rows) for n in range(len(ks)))
            cols = []  # forward mode: one pass per live input
            for k in ks:
                tangent = tuple(jnp.ones_like(xi) if i == k else jnp.zeros_like(xi) for i, xi in enumerate(x))
                out, d_out = jax.jvp(fun, x, tangent)
                cols.append(tuple(jax.tree.leaves(d_out)))
            return out, tuple(cols)

        return elementwise_chunked(values_and_partials, chunk, work_per_element)

    @jax.custom_jvp
    def wrapped(*args):
        return value(*args)

    def jvp(primals, tangents):
        live = tuple(not isinstance(t, SymbolicZero) for t in tangents)  # JAX calls this only if one is live
        out, cols = partials(live)(*primals)
        dots = [t for t, flag in zip(tangents, live) if flag]
        outs, tree = jax.tree.flatten(out)
        d_out = [sum(col[j] * t for col, t in zip(cols, dots)) for j in range(len(outs))]
        return out, tree.unflatten(d_out)

    wrapped.defjvp(jvp, symbolic_zeros=True)
    return functools.wraps(fun)(wrapped)
