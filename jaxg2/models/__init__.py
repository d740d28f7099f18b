"""Model registry: ``get(name)`` returns a :class:`~jaxg2.models.base.Model`.

Each model lives in its own module that defines ``MODEL``; modules are imported
on first use.  ``available()`` lists the registered names.
"""

from __future__ import annotations

import importlib

from .base import Constraint, Model, Parameter, Prior

_REGISTRY = {
    "lmu_ltau": "jaxg2.models.lmu_ltau",
}


def available() -> list[str]:
    """Names of the registered models whose module can be imported."""
    return sorted(_REGISTRY)


def get(name: str) -> Model:
    """The model registered as ``name``."""
    if name not in _REGISTRY:
        raise KeyError(f"unknown model {name!r}; available: {', '.join(available())}")
    return importlib.import_module(_REGISTRY[name]).MODEL


__all__ = ["Constraint", "Model", "Parameter", "Prior", "available", "get"]
