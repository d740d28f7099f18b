"""Several processes (hosts) running one fit, scan or search with ``jax.distributed``.

Start N copies of the same command, each told the coordinator's address, the process
count and its own index (flags ``--coordinator HOST:PORT --num-processes N
--process-id I`` or env ``JAXG2_COORDINATOR``, ``JAXG2_NUM_PROCESSES``,
``JAXG2_PROCESS_ID``).  :func:`initialize` calls ``jax.distributed.initialize`` before
any JAX computation; with no coordinator it does nothing (one process).

Work split — no cross-device collectives inside the computation.  Every batch member
(chain, optimiser start, scan chunk) draws its random numbers from its **global**
index (``split(PRNGKey(seed), total)[i]``), so a process that runs members
``lo..hi`` produces exactly what a single process running all of them produces for
those members; within a process the share is spread over its local devices as in the
one-process case (:mod:`jaxg2.infer.devices`).  Only small results cross processes:
chains' draws and optimiser end points with
:func:`jax.experimental.multihost_utils.process_allgather` (JAX's own runtime: the
distributed key-value store plus the CPU collectives — gloo, the default CPU
collectives implementation of jax 0.10 — or NCCL on GPUs), and scan chunks as
files in the output directory (shared file system), which also makes scans
resumable per chunk.  Process 0 alone writes the final outputs.

Why not one global ``shard_map`` over every process's devices: NUTS chains and scan
points never communicate, a global mesh would make every block a collective across
hosts (a slow host stalls all), and per-process work keeps resume files per process.
"""

from __future__ import annotations

import argparse
import os

import jax
import numpy as np

__all__ = ["ENV", "add_arguments", "parent_parser", "initialize", "process_index", "process_count",
           "is_main", "share", "counts", "owner", "allgather_concat", "barrier"]

ENV = {"coordinator": "JAXG2_COORDINATOR", "num_processes": "JAXG2_NUM_PROCESSES", "process_id": "JAXG2_PROCESS_ID"}


def _env_int(name):
    v = os.environ.get(name)
    return None if v in (None, "") else int(v)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add ``--coordinator``, ``--num-processes``, ``--process-id`` (defaults from env)."""
    g = parser.add_argument_group("several processes (jax.distributed)")
    g.add_argument("--coordinator", default=os.environ.get(ENV["coordinator"]) or None, metavar="HOST:PORT",
                   help=f"address of process 0's coordination service (env {ENV['coordinator']})")
    g.add_argument("--num-processes", type=int, default=_env_int(ENV["num_processes"]), metavar="N",
                   help=f"number of processes (env {ENV['num_processes']})")
    g.add_argument("--process-id", type=int, default=_env_int(ENV["process_id"]), metavar="I",
                   help=f"this process' index, 0..N-1 (env {ENV['process_id']})")


def parent_parser() -> argparse.ArgumentParser:
    """An ``argparse`` parent with the three options, for any subcommand."""
    p = argparse.ArgumentParser(add_help=False)
    add_arguments(p)
    return p


_initialized = False


def initialize(coordinator: str | None = None, num_processes: int | None = None,
               process_id: int | None = None) -> bool:
    """``jax.distributed.initialize`` when a coordinator is given (returns True), else nothing.

    Must run before any JAX computation.  Raises ``ValueError`` for an incomplete or
    inconsistent set of options.
    """
    global _initialized
    if coordinator is None and num_processes in (None, 1) and process_id in (None, 0):
        return False
    if coordinator is None or num_processes is None or process_id is None:
        raise ValueError("--coordinator, --num-processes and --process-id go together "
                         f"(env {', '.join(ENV.values())})")
    if num_processes < 1 or not 0 <= process_id < num_processes:
        raise ValueError(f"--process-id must lie in 0..{num_processes - 1}, got {process_id}")
    if _initialized:
        return True
    try:  # CPU collectives for process_allgather (already the default in jax 0.10)
        if jax.config.jax_cpu_collectives_implementation in (None, "none"):
            jax.config.update("jax_cpu_collectives_implementation", "gloo")
    except AttributeError:  # pragma: no cover  (option renamed/removed in another jax)
        pass
    jax.distributed.initialize(coordinator, num_processes=num_processes, process_id=process_id)
    _initialized = True
    return True


def process_index() -> int:
    return jax.process_index()


def process_count() -> int:
    return jax.process_count()


def is_main() -> bool:
    """Process 0: the one that writes outputs."""
    return jax.process_index() == 0


def share(total: int, index: int | None = None, count: int | None = None) -> tuple[int, int]:
    """Contiguous members ``[lo, hi)`` of ``total`` for process ``index`` of ``count``
    (sizes differ by at most one; the first processes get the larger shares)."""
    index = jax.process_index() if index is None else index
    count = jax.process_count() if count is None else count
    q, r = divmod(total, count)
    lo = index * q + min(index, r)
    return lo, lo + q + (index < r)


def counts(total: int) -> list[int]:
    """Every process' share size of ``total`` members (:func:`share`)."""
    return [b - a for a, b in (share(total, p) for p in range(jax.process_count()))]


def owner(i: int) -> int:
    """Process that evaluates scan chunk ``i`` (round robin)."""
    return i % jax.process_count()


def allgather_concat(tree, counts):
    """Every process' ``tree`` (leaves batched along axis 0, ``counts[p]`` rows on process
    p) concatenated in process order, on every process."""
    if jax.process_count() == 1:
        return tree
    from jax.experimental import multihost_utils

    width = max(counts)

    def pad(x):
        x = np.asarray(x)
        return np.concatenate([x, np.zeros((width - x.shape[0],) + x.shape[1:], x.dtype)])

    stacked = multihost_utils.process_allgather(jax.tree.map(pad, tree), tiled=False)
    return jax.tree.map(lambda g: np.concatenate([np.asarray(g)[p, :c] for p, c in enumerate(counts)]), stacked)


def barrier(name: str) -> None:
    """Wait until every process reaches the barrier ``name`` (no-op for one process)."""
    if jax.process_count() > 1:
        from jax.experimental import multihost_utils

        multihost_utils.sync_global_devices(name)
