"""Spreading a batch over the local devices (GPUs, or CPU devices made with
``XLA_FLAGS=--xla_force_host_platform_device_count=N``).

A batched function ``f(batch) -> batch`` (leading axis = independent members: chains,
grid points, optimiser starts) runs under :func:`jax.shard_map` over a 1-D mesh of
the first ``n`` local devices, each device working on its slice with no
communication.  With one device it is a plain ``jax.jit``.

Several processes (:mod:`jaxg2.infer.distributed`): every process sees only its own
local devices here and spreads its share of the batch over them; the processes
exchange results outside these functions.
"""

from __future__ import annotations

import functools

import jax
import numpy as np
from jax.sharding import Mesh, NamedSharding, PartitionSpec as P

__all__ = ["device_count_for", "sharded", "put"]


def device_count_for(batch: int) -> int:
    """Largest number of local devices ≤ jax.local_device_count() that divides ``batch``."""
    n = jax.local_device_count()
    while batch % n:
        n -= 1
    return n


@functools.lru_cache(maxsize=None)
def _mesh(n: int) -> Mesh:
    return Mesh(np.array(jax.local_devices()[:n]), ("batch",))


def sharded(fn, n_devices: int, in_specs, out_specs, static_argnums=()):
    """``jit`` of ``fn``; with ``n_devices > 1`` its batched arguments/outputs are split
    over devices (``in_specs``/``out_specs``: per argument, the batch axis index or None)."""
    if n_devices <= 1:
        return jax.jit(fn, static_argnums=static_argnums)

    def spec(axis):
        return P() if axis is None else P(*([None] * axis + ["batch"]))

    ins = tuple(spec(a) for a in in_specs)
    outs = jax.tree.map(spec, out_specs, is_leaf=lambda a: a is None or isinstance(a, int))
    mapped = jax.shard_map(fn, mesh=_mesh(n_devices), in_specs=ins, out_specs=outs, check_vma=False)
    return jax.jit(mapped, static_argnums=static_argnums)


def put(tree, n_devices: int, axis: int = 0):
    """Place a batched pytree on the devices (split along ``axis``) or leave it as is."""
    if n_devices <= 1:
        return tree
    spec = P(*([None] * axis + ["batch"]))
    return jax.device_put(tree, NamedSharding(_mesh(n_devices), spec))
