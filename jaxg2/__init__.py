"""jaxg2 — differentiable fits of new-physics explanations of the muon g-2.

Importing :mod:`jaxg2` switches JAX to double precision
(``jax.config.update("jax_enable_x64", True)``): every observable, likelihood and
sample is a float64 array.  Do the import before creating any JAX array you want
in float64.

It also appends ``--xla_cpu_use_fusion_emitters=false`` to ``XLA_FLAGS`` (see
:func:`_xla_cpu_defaults`): XLA's newer CPU fusion emitters compile the large,
fully fused elementwise programs of the loop functions and likelihoods several
times more slowly (measured on jaxlib 0.10.2, 2 cores: the scotogenic_u1d
potential's value+gradient 150 s → 32 s; the results are the same to rounding).
The flag must be set before JAX creates its CPU client, i.e. before the first JAX
computation of the process.  Its limit: the older emitter recurses about 8 stack frames
per fused operation on XLA's 2 MB compile threads, so one fused chain of ~10⁴
elementwise operations segfaults while compiling (measured: 1500 unrolled steps of 8
operations); ``JAXG2_XLA_DEFAULTS=0`` or a ``lax.scan`` avoids it.

Sub-packages (imported on first use so that ``import jaxg2`` stays fast):
``constants``, ``loops``, ``neutrino``, ``sidm``, ``cosmo``, ``experiments``,
``likelihood``, ``models``, ``infer``, ``plots``.  The Python API that mirrors the
command line is ``jaxg2.fit``, ``jaxg2.search``, ``jaxg2.scan``, ``jaxg2.evidence`` and
``jaxg2.compare``.
"""

from __future__ import annotations

import importlib
import os
import warnings
from importlib import metadata

# jaxlib versions on which the flag below was measured and is known to exist (an unknown
# flag in XLA_FLAGS aborts the process, so untested versions get no flag: slower, never broken).
_FUSION_FLAG = "--xla_cpu_use_fusion_emitters=false"
_FUSION_FLAG_JAXLIB = ("0.10.",)


def _xla_cpu_defaults(environ=os.environ) -> bool:
    """Append :data:`_FUSION_FLAG` to ``XLA_FLAGS`` unless the user set that flag, asked
    for none (``JAXG2_XLA_DEFAULTS=0``), or jaxlib is not a tested version.  True if added."""
    flags = environ.get("XLA_FLAGS", "")
    if environ.get("JAXG2_XLA_DEFAULTS", "1") == "0" or "xla_cpu_use_fusion_emitters" in flags:
        return False
    try:
        version = metadata.version("jaxlib")
    except metadata.PackageNotFoundError:
        return False
    if not version.startswith(_FUSION_FLAG_JAXLIB):
        return False
    environ["XLA_FLAGS"] = f"{flags} {_FUSION_FLAG}".strip()
    return True


_xla_cpu_defaults()

import jax  # noqa: E402

jax.config.update("jax_enable_x64", True)

# NumPyro and BlackJAX import ``tqdm.auto``, which in a notebook without ipywidgets warns
# "IProgress not found" and falls back to the text bar — the bar jaxg2 itself uses there
# (jaxg2.infer.blocks.tqdm_class).  The notice says nothing a jaxg2 user must act on.
warnings.filterwarnings("ignore", message="IProgress not found")

from . import constants  # noqa: E402  (after x64 is on)

__version__ = "0.1.0"

_SUBMODULES = {
    "loops", "neutrino", "sidm", "cosmo", "experiments", "likelihood",
    "models", "infer", "plots", "config", "cli",
}
_API = {"fit": "jaxg2.infer", "search": "jaxg2.infer", "scan": "jaxg2.infer",
        "evidence": "jaxg2.infer", "compare": "jaxg2.infer"}


def __getattr__(name: str):
    if name in _SUBMODULES:
        return importlib.import_module(f"jaxg2.{name}")
    if name in _API:
        return getattr(importlib.import_module(_API[name]), name)
    raise AttributeError(f"module 'jaxg2' has no attribute {name!r}")


__all__ = sorted(_SUBMODULES | set(_API) | {"constants", "__version__"})
