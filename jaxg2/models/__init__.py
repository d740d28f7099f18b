"""Model registry: ``get(name)`` returns a :class:`~jaxg2.models.base.Model`.

Each model lives in its own module that defines ``MODEL``; modules are imported
on first use.  ``available()`` lists the registered names whose module exists.
"""

from __future__ import annotations

import importlib
import importlib.util

from .base import Constraint, Model, Parameter, Prior, Validity, invalid_observables

_REGISTRY = {
    "lmu_ltau": "jaxg2.models.lmu_ltau",                          # paper 002
    "scotogenic_u1d": "jaxg2.models.scotogenic_u1d",              # paper 000
    "dark_inverse_seesaw": "jaxg2.models.dark_inverse_seesaw",    # paper 001
    "su2h": "jaxg2.models.su2h_magnetic_moment",                  # paper 003
    "dark_tmm": "jaxg2.models.dark_tmm",                          # paper 004
}


def available() -> list[str]:
    """Names of the registered models whose module is installed."""
    return sorted(n for n, mod in _REGISTRY.items() if importlib.util.find_spec(mod) is not None)


def get(name: str) -> Model:
    """The model registered as ``name``."""
    if name not in available():
        raise KeyError(f"unknown model {name!r}; available: {', '.join(available())}")
    return importlib.import_module(_REGISTRY[name]).MODEL


__all__ = ["Constraint", "Model", "Parameter", "Prior", "Validity", "available", "get", "invalid_observables"]
