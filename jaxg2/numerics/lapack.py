r"""One LAPACK call at a time: a deadlock of jaxlib 0.10's CPU linear algebra, avoided.

jaxlib 0.10 evaluates a batched LAPACK call on the CPU (``eigh``, ``inv``/``lu``,
``svd``, ``cholesky``, …; the batch of a ``vmap``) by handing chunks of the batch to
XLA's intra-op thread pool and waiting for them (``jax::ParallelBatchMap`` →
``BlockingCounter::Wait``).  XLA runs independent operations of a program
concurrently on the same pool.  When as many independent LAPACK calls as the pool
has threads start together, each thread waits for chunks that no free thread is left
to run, and the process hangs forever with no CPU use.  The pool has one thread per
core, so on 2 cores two independent calls suffice.

Measured (2026-12-01, jaxlib 0.10.2, 2-core AMD EPYC): evaluating the
dark_inverse_seesaw observables — four ``eigh`` and one complex ``inv`` per point,
independent of each other — at 2000 prior draws hung in 5 of 10 runs (0 of 10 with the
chain below); ``gdb`` showed
the two pool threads in ``lapack_dsyevd_ffi`` → ``ParallelBatchMap`` →
``BlockingCounter::Wait`` and every other thread idle.
``XLA_FLAGS=--xla_cpu_multi_thread_eigen=false`` did not prevent it (2 hangs in 6 runs).
The same deadlock is reported by other projects for jaxlib's CPU tridiagonal solve and
Cholesky; later jaxlib builds drop the parallel path.

:func:`after` makes a value depend on others, so a model can put its LAPACK calls in
one chain: ``b_matrix = after(b_matrix, eigh_a_values)`` makes the second ``eigh`` wait
for the first.  One running call blocks one thread; the other threads run its chunks.
The dependency is a real one, ``x + 0·s`` with ``s`` a finite number made from the
values waited for (outside the derivative): :func:`jax.lax.optimization_barrier` does
not do it, XLA:CPU drops the barrier from the compiled program (measured).  Values,
derivatives and batching are those of the unchained code.  :func:`lapack_calls_unordered`
reads the *compiled* program and lists the LAPACK calls that could still run together
(a test checks every model with more than one).
"""

from __future__ import annotations

import itertools
import re

import jax
import jax.numpy as jnp

__all__ = ["after", "lapack_calls_unordered"]


def after(x, *deps):
    """``x`` (a pytree of float or complex arrays), computed only once every array in
    ``deps`` is: each leaf plus 0·s, s = Σ Re(deps) made finite, without derivative."""
    s = sum(jnp.sum(jnp.real(d)) for d in jax.tree.leaves(deps))
    s = jax.lax.stop_gradient(jnp.where(jnp.isfinite(s), s, 0.0))
    return jax.tree.map(lambda v: v + (0.0 * s).astype(jnp.result_type(v)), x)


_INSTR = re.compile(r"^\s*(?:ROOT )?%([\w.\-]+) = .*?\s([a-z][\w\-]*)\(((?:%[\w.\-]+(?:, )?)*)\)(.*)$")
_CALLED = re.compile(r"(?:calls|body|condition|to_apply|branch_computations|true_computation|"
                     r"false_computation)=\{?(%[\w.\-]+(?:, %[\w.\-]+)*)\}?")


def _computations(hlo: str) -> dict:
    """{computation: [(instruction, operands, called computations, is a LAPACK call)]}."""
    comps, current = {}, None
    for line in hlo.splitlines():
        line = re.sub(r"/\*.*?\*/", "", line)  # operand-index comments: %a, /*index=5*/%b
        head = re.match(r"^(?:ENTRY )?%([\w.\-]+) .*\{\s*$", line)
        if head:
            current = head.group(1)
            comps[current] = []
            continue
        m = _INSTR.match(line) if current else None
        if m:
            name, op, operands, rest = m.groups()
            called = [c.lstrip("%") for g in _CALLED.findall(rest) for c in g.split(", ")]
            lapack = op == "custom-call" and "lapack" in rest
            comps[current].append((name, re.findall(r"%([\w.\-]+)", operands), called, lapack))
    return comps


def lapack_calls_unordered(fn, *example_args) -> list[tuple[str, str]]:
    """Pairs of LAPACK calls in the compiled ``jax.jit(fn)(*example_args)`` (HLO
    instruction names) neither of which depends on the other, so that XLA may run them
    together; empty when they form one chain.  Each computation (the program, loop
    bodies, branches) is checked; a loop or call containing LAPACK calls is one call of
    the computation that runs it."""
    comps = _computations(jax.jit(fn).lower(*example_args).compile().as_text())

    def has_lapack(comp, seen=()):
        return any(lap or any(has_lapack(c, seen + (comp,)) for c in called if c in comps and c not in seen)
                   for _, _, called, lap in comps.get(comp, ()))

    pairs = []
    for instrs in comps.values():
        deps, calls = {}, []
        for name, operands, called, lap in instrs:
            deps[name] = frozenset().union(*(deps.get(o, frozenset()) for o in operands))
            if lap or any(has_lapack(c) for c in called):
                calls.append(name)
                deps[name] = deps[name] | {name}
        pairs += [(a, b) for a, b in itertools.combinations(calls, 2) if a not in deps[b] and b not in deps[a]]
    return pairs
