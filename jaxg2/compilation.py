"""JAX compilation: the persistent on-disk cache, and how long compiling took.

**Cache.**  :func:`enable_cache` switches on JAX's persistent compilation cache
(``jax_compilation_cache_dir``), so a second ``jaxg2 fit`` of the same config — in a
new process — loads the compiled sampler instead of compiling it again.  It runs once,
lazily, when an engine entry point (:func:`jaxg2.fit`, ``search``, ``scan``) starts,
never at ``import jaxg2``.  Where:

* ``JAXG2_NO_CACHE=1`` — off (nothing is set; a cache the user configured through
  JAX's own ``JAX_COMPILATION_CACHE_DIR`` stays as it is);
* ``JAXG2_CACHE_DIR=/path`` — there;
* otherwise a directory the user gave JAX, else ``$XDG_CACHE_HOME/jaxg2/jax``
  (default ``~/.cache/jaxg2/jax``).

Programs that compile in at least :data:`MIN_COMPILE_SECONDS` are stored, whatever
their size.  JAX stores no program that contains a host callback.

**Traced programs.**  :func:`exported_call` keeps a program's traced and lowered form
(:mod:`jax.export`, serialised) next to the compilation cache, so a new process that
evaluates the same program skips tracing it (seconds for a big model: ``jaxg2 show``)
and then loads the compiled code from the cache.  The key holds the jax and jaxlib
versions, the backend, the argument shapes and the content of every file of the jaxg2
package; anything defined outside the package is traced each time.

**Compiling ahead.**  :func:`compile_ahead` traces and lowers a jitted program for
given argument shapes and compiles it on a worker thread while the caller goes on (a fit
compiles its NUTS chunk while the optimiser that finds the starting points compiles and
runs).  XLA's CPU compiler uses about one core per program, so on 2 cores two programs
compile in about 0.8 of the time one after the other (measured 13.1 s vs 16.6 s for two
lmu_ltau value-and-gradient programs).

**One copy of a big model.**  :func:`separate_value_and_grad` compiles a model's value
and gradient once, as its own program, and lets other programs call it through a host
callback (CPU): a fit's optimiser and NUTS programs then no longer each compile the
model (lmu_ltau_sidm: see :mod:`jaxg2.infer.problem`).

**Compile time.**  :class:`CompileClock` adds up the wall-clock time JAX spends
tracing, lowering and compiling (or loading from the cache) inside a ``with`` block,
from the public :mod:`jax.monitoring` time-span events; nested spans (a jit traced
inside another) count once.
"""

from __future__ import annotations

import hashlib
import math
import os
import threading
import time
from pathlib import Path

import jax
import jax.numpy as jnp
import numpy as np

__all__ = ["enable_cache", "cache_dir", "exported_call", "compile_ahead", "separate_value_and_grad", "separate_value", "CompileClock",
           "MIN_COMPILE_SECONDS"]

MIN_COMPILE_SECONDS = 0.5
_COMPILE_EVENTS = ("/jax/core/compile/jaxpr_trace_duration", "/jax/core/compile/jaxpr_to_mlir_module_duration",
                   "/jax/core/compile/backend_compile_duration")
_state = {"done": False, "dir": None, "package_digest": None}
_PACKAGE = Path(__file__).resolve().parent


def cache_dir() -> Path | None:
    """The directory :func:`enable_cache` uses (None when ``JAXG2_NO_CACHE=1``)."""
    if os.environ.get("JAXG2_NO_CACHE") == "1":
        return None
    if os.environ.get("JAXG2_CACHE_DIR"):
        return Path(os.environ["JAXG2_CACHE_DIR"]).expanduser()
    if jax.config.jax_compilation_cache_dir:
        return Path(jax.config.jax_compilation_cache_dir)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "jaxg2" / "jax"


def enable_cache() -> Path | None:
    """Switch the persistent compilation cache on (first call only); returns its directory."""
    if _state["done"]:
        return _state["dir"]
    _state["done"] = True
    path = cache_dir()
    if path is not None:
        try:
            path.mkdir(parents=True, exist_ok=True)
        except OSError:  # read-only home etc.: run without the cache
            return None
        jax.config.update("jax_compilation_cache_dir", str(path))
        jax.config.update("jax_persistent_cache_min_compile_time_secs", MIN_COMPILE_SECONDS)
        jax.config.update("jax_persistent_cache_min_entry_size_bytes", -1)
        _state["dir"] = path
    return _state["dir"]


def _package_digest() -> str:
    """sha256 of the jaxg2 package: every file's relative path and bytes (no caches)."""
    if _state["package_digest"] is None:
        h = hashlib.sha256()
        for f in sorted(_PACKAGE.rglob("*")):
            if f.is_file() and "__pycache__" not in f.parts:
                h.update(str(f.relative_to(_PACKAGE)).encode() + b"\0" + f.read_bytes() + b"\0")
        _state["package_digest"] = h.hexdigest()
    return _state["package_digest"]


def _in_package(fun) -> bool:
    """Whether ``fun`` (and so, we require, everything it calls) is defined inside jaxg2."""
    import inspect

    try:
        src = inspect.getsourcefile(fun)
    except TypeError:
        return False
    return src is not None and Path(src).resolve().is_relative_to(_PACKAGE)


def exported_call(tag: str, fun, args, *, defined_by):
    """``jax.jit(fun)(*args)``, tracing ``fun`` only when no serialised export of it is stored.

    ``tag`` names the program (file-name safe, e.g. ``"show-lmu_ltau"``); it and the key
    (jax/jaxlib versions, backend, the shapes and dtypes of ``args``, the content of the
    jaxg2 package) select ``<cache_dir>/exported/<tag>-<key>.jaxexport``.  The export is
    made and stored on a miss; later processes deserialise it instead of tracing.  Plain
    ``jax.jit`` is used when the cache is off (``JAXG2_NO_CACHE=1``), when
    ``defined_by`` (the function whose code determines the program, e.g. the model's
    observables) lives outside the package, or when exporting fails (then nothing is
    stored)."""
    from importlib import metadata

    from jax import export

    folder = enable_cache()
    if folder is None or not _in_package(defined_by):
        return jax.jit(fun)(*args)
    leaves, tree = jax.tree.flatten(args)
    spec = [(tuple(jax.numpy.shape(x)), str(jax.numpy.result_type(x))) for x in leaves]
    key = hashlib.sha256(repr((jax.__version__, metadata.version("jaxlib"), jax.default_backend(),
                               str(tree), spec, _package_digest())).encode()).hexdigest()[:24]
    path = folder / "exported" / f"{tag}-{key}.jaxexport"
    try:
        exp = export.deserialize(bytearray(path.read_bytes())) if path.is_file() else None
    except Exception:  # flatbuffers missing, a truncated file, another jax's format
        exp = None
    if exp is None:
        try:
            exp = export.export(jax.jit(fun))(*args)
            blob = exp.serialize()
        except Exception:  # a program export cannot hold (e.g. a host callback)
            return jax.jit(fun)(*args)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_bytes(blob)
            os.replace(tmp, path)
        except OSError:
            pass
    return exp.call(*args)


def compile_ahead(jitted, *args):
    """A callable running ``jitted`` whose compilation for ``args``' shapes starts now.

    ``jitted`` is traced and lowered here (tracing is Python: it holds the interpreter)
    and compiled on a worker thread (through the persistent cache like any compile).  The
    returned function waits for that compilation on its first call and runs the compiled
    program; arguments of other shapes, dtypes or placement fall back to ``jitted``
    (which then compiles for them itself).  ``args`` may be arrays or
    :class:`jax.ShapeDtypeStruct`."""
    from concurrent.futures import Future

    lowered = jitted.lower(*args)
    future = Future()

    def work():
        try:
            future.set_result(lowered.compile())
        except BaseException as exc:  # reported to the caller on its first call
            future.set_exception(exc)

    # not a daemon: at exit Python waits for it (an XLA compile killed at interpreter exit
    # aborts the process), so an interrupted fit exits once its ahead-compiles are done
    threading.Thread(target=work, name="jaxg2-compile").start()

    def wait():
        """The compiled program, once compiled (the wait counts as compiling for the caller's clock)."""
        start = time.time()  # the time base of jax.monitoring's spans
        compiled = future.result()
        for clock in _clocks:  # waiting for the compile blocks the caller like compiling
            if threading.get_ident() == clock._owner:
                clock.blocked.append((start, time.time()))
        return compiled

    def call(*a):
        compiled = wait()
        try:
            return compiled(*a)
        except (TypeError, ValueError):  # not the compiled signature (shapes, dtypes, shardings)
            call.fallbacks += 1
            return jitted(*a)

    call.compiled, call.fallbacks, call.wait = future, 0, wait
    return call


def separate_value_and_grad(fn, example, batch: int = 1):
    """``fn`` (a pytree like ``example`` → scalar) whose value and gradient come from one
    program compiled on its own, called from traced code through :func:`jax.pure_callback`.

    A big model inlined in every program that uses it (optimiser, NUTS initialisation,
    NUTS chunk) is compiled once per program; here those programs hold only a host call,
    and ``jit(vmap(value_and_grad(fn)))`` over ``batch`` points of ``example``'s shapes
    (``jit(value_and_grad(fn))`` for ``batch = 1``) is compiled once, ahead (:func:`compile_ahead`, started now; ``.wait()`` on the result
    blocks until it is ready).  Differentiable in reverse mode (``custom_vjp``: the forward
    call returns the gradient too, so a value-and-gradient costs one evaluation).  Batched
    (``vmap``) arguments are evaluated ``batch`` points per call: NUTS's vectorised chains
    (``batch`` = their number) in one call, larger batches in several, smaller ones padded
    by repeating a point.  For CPU: on an accelerator every call would copy to the host.
    Programs holding a host call are not stored in the persistent cache (the separate
    program is).
    """
    call, shapes, tree, wait = _separate(fn, example, batch, grad=True)

    @jax.custom_vjp
    def f(u):
        return call(u)[0]

    def f_bwd(grad, cotangent):
        return (jax.tree.map(lambda g: cotangent * g, grad),)

    f.defvjp(call, f_bwd)
    f.wait = wait
    return f


def separate_value(fn, example, batch: int = 1):
    """``fn`` (a pytree like ``example`` → scalar) evaluated by one program compiled on its
    own — ``jit(vmap(fn))`` over ``batch`` points, ahead — and called from traced code
    through a host call, as :func:`separate_value_and_grad` but without the gradient (and
    not differentiable).  For a likelihood that a big program calls in many places (jaxns'
    nested sampler inlines it in each of its vmapped stages and compiles it once per place:
    :mod:`jaxg2.infer.evidence`).  ``.wait()`` blocks until it is compiled."""
    call, _, _, wait = _separate(fn, example, batch, grad=False)

    def f(u):
        return call(u)[0]

    f.wait = wait
    return f


def _separate(fn, example, batch: int, grad: bool):
    """The host call of :func:`separate_value_and_grad` (``grad``) and :func:`separate_value`:
    ``call(u) -> (value, gradient pytree or None)``, plus the leaf shapes, the tree and the
    compiled program's ``wait``."""
    leaves_ex, tree = jax.tree.flatten(example)
    shapes = [tuple(np.shape(x)) for x in leaves_ex]
    sizes = [math.prod(sh) for sh in shapes] if grad else []
    offsets = np.cumsum([1] + sizes)  # packed: [value, gradient leaves flattened]
    width = int(offsets[-1])
    dtype = jnp.result_type(float)
    traced = jax.value_and_grad(fn) if grad else fn
    if batch == 1:  # unbatched: tracing the batched form of a big model costs seconds more
        program = compile_ahead(jax.jit(traced), example)
        points = lambda x, c: x[c]  # noqa: E731
    else:
        batched = jax.tree.unflatten(tree, [jax.ShapeDtypeStruct((batch,) + sh, dtype) for sh in shapes])
        program = compile_ahead(jax.jit(jax.vmap(traced)), batched)
        points = lambda x, c: x[c * batch:(c + 1) * batch]  # noqa: E731
    ready = []  # the compiled program, after the first call has waited for it

    def host(*leaves):
        if not ready:
            ready.append(program.wait())
        run = ready[0]
        leaves = [np.asarray(x, dtype) for x in leaves]
        shape = leaves[0].shape[:leaves[0].ndim - len(shapes[0])]  # broadcast_all: one batch shape
        n = math.prod(shape)
        calls = -(-n // batch)
        pick = np.minimum(np.arange(calls * batch), n - 1)  # pad by repeating the last point
        flat = [x.reshape((n,) + sh)[pick] for x, sh in zip(leaves, shapes)]
        out = np.empty((calls, batch, width), dtype)
        for c in range(calls):
            r = run(tree.unflatten([points(x, c) for x in flat]))
            out[c, :, 0] = r[0] if grad else r
            if grad:
                for lo, hi, gl in zip(offsets[:-1], offsets[1:], tree.flatten_up_to(r[1])):
                    out[c, :, lo:hi] = np.reshape(gl, (batch, hi - lo))
        return out.reshape(calls * batch, width)[:n].reshape(shape + (width,))

    def call(u):
        # one packed output: fewer host-to-device transfers
        out = jax.pure_callback(host, jax.ShapeDtypeStruct((width,), dtype), *jax.tree.leaves(u),
                                vmap_method="broadcast_all")
        if not grad:
            return out[..., 0], None
        grads = [out[..., lo:hi].reshape(out.shape[:-1] + sh) for lo, hi, sh in zip(offsets[:-1], offsets[1:], shapes)]
        return out[..., 0], tree.unflatten(grads)

    return call, shapes, tree, program.wait


def _union(spans) -> float:
    """Length of the union of the intervals ``spans``."""
    total, reach = 0.0, -float("inf")
    for start, end in sorted(spans):
        if end > reach:
            total += end - max(start, reach)
            reach = end
    return total


_clocks = []  # the CompileClocks now open (compile_ahead reports its waits to them)


class CompileClock:
    """``with CompileClock() as c: ...`` then ``c.seconds``: time spent compiling inside
    (the union of every compile span, on any thread), and ``c.blocked_seconds``: the part
    of it the thread that opened the clock spent compiling or waiting for a program that
    :func:`compile_ahead` compiles on a worker (the rest of that thread's time ran code)."""

    def __init__(self):
        self.spans, self.blocked = [], []
        self.seconds = self.blocked_seconds = 0.0
        self._owner = threading.get_ident()

    def _listen(self, event, start, end, **_):
        if event in _COMPILE_EVENTS:
            self.spans.append((start, end))
            if threading.get_ident() == self._owner:
                self.blocked.append((start, end))

    def __enter__(self):
        jax.monitoring.register_event_time_span_listener(self._listen)
        _clocks.append(self)
        return self

    def __exit__(self, *exc):
        jax.monitoring.unregister_event_time_span_listener(self._listen)
        _clocks.remove(self)
        self.seconds = _union(self.spans + self.blocked)
        self.blocked_seconds = _union(self.blocked)
        return False
