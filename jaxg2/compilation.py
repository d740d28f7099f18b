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

**Compile time.**  :class:`CompileClock` adds up the wall-clock time JAX spends
tracing, lowering and compiling (or loading from the cache) inside a ``with`` block,
from the public :mod:`jax.monitoring` time-span events; nested spans (a jit traced
inside another) count once.
"""

from __future__ import annotations

import os
from pathlib import Path

import jax

__all__ = ["enable_cache", "cache_dir", "CompileClock", "MIN_COMPILE_SECONDS"]

MIN_COMPILE_SECONDS = 0.5
_COMPILE_EVENTS = ("/jax/core/compile/jaxpr_trace_duration", "/jax/core/compile/jaxpr_to_mlir_module_duration",
                   "/jax/core/compile/backend_compile_duration")
_state = {"done": False, "dir": None}


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


class CompileClock:
    """``with CompileClock() as c: ...`` then ``c.seconds``: time spent compiling inside."""

    def __init__(self):
        self.spans = []
        self.seconds = 0.0

    def _listen(self, event, start, end, **_):
        if event in _COMPILE_EVENTS:
            self.spans.append((start, end))

    def __enter__(self):
        jax.monitoring.register_event_time_span_listener(self._listen)
        return self

    def __exit__(self, *exc):
        jax.monitoring.unregister_event_time_span_listener(self._listen)
        total, reach = 0.0, -float("inf")
        for start, end in sorted(self.spans):   # length of the union of the intervals
            if end > reach:
                total += end - max(start, reach)
                reach = end
        self.seconds = total
        return False
