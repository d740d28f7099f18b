"""jaxg2 — differentiable fits of new-physics explanations of the muon g-2.

Importing :mod:`jaxg2` switches JAX to double precision
(``jax.config.update("jax_enable_x64", True)``): every observable, likelihood and
sample is a float64 array.  Do the import before creating any JAX array you want
in float64.

Sub-packages (imported on first use so that ``import jaxg2`` stays fast):
``constants``, ``loops``, ``neutrino``, ``sidm``, ``cosmo``, ``experiments``,
``likelihood``, ``models``, ``infer``, ``plots``.  The Python API that mirrors the
command line is ``jaxg2.fit``, ``jaxg2.search``, ``jaxg2.scan``, ``jaxg2.evidence`` and
``jaxg2.compare``.
"""

from __future__ import annotations

import importlib
import warnings

import jax

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
