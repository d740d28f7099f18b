"""Models from outside the registry: a Python file, a module, or an installed package.

A config's ``fit.model`` (and ``jaxg2 show MODEL``) may name

* ``"path/to/file.py:MODEL"`` — the file is run as a module and its attribute
  ``MODEL`` taken; a relative path is relative to the config file (to the working
  directory for dict configs and ``jaxg2 show``);
* ``"package.module:ATTR"`` — an importable module's attribute;
* ``"name"`` — a built-in model (:mod:`jaxg2.models`) or a model another package
  installs through the entry-point group ``jaxg2.models``, e.g. in its pyproject::

      [project.entry-points."jaxg2.models"]
      my_scalar = "my_package.model:MODEL"

Every model loaded this way is checked by :func:`validate` (types, priors, that the
observables return arrays including the signal) and a failure is one
:class:`ModelError` line saying what is wrong.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import sys
from importlib import metadata
from pathlib import Path
from typing import Mapping

import jax
import numpy as np

from .base import Constraint, Model, Parameter, Prior

__all__ = ["ModelError", "load", "load_file", "entry_points", "validate", "is_file_ref"]

ENTRY_POINT_GROUP = "jaxg2.models"


class ModelError(ValueError):
    """A model that cannot be loaded or breaks the :class:`~jaxg2.models.base.Model` contract."""


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _kind(v) -> str:
    return type(v).__name__


def is_file_ref(ref: str) -> bool:
    """``"dir/file.py:ATTR"`` (a file) rather than ``"package.module:ATTR"``."""
    left = ref.rpartition(":")[0]
    return left.endswith(".py") or "/" in left or "\\" in left


_FILE_CACHE: dict = {}


def load_file(ref: str, base: Path | str | None = None) -> Model:
    """The validated model ``ATTR`` of ``"file.py:ATTR"`` (relative to ``base``).
    Loading the same unchanged file again returns the same object."""
    left, _, attr = ref.rpartition(":")
    path = Path(left)
    if not path.is_absolute():
        path = Path(base or ".") / path
    path = path.resolve()
    if not path.is_file():
        raise ModelError(f"model file not found: {path}")
    key = (str(path), path.stat().st_mtime_ns, attr)
    if key not in _FILE_CACHE:
        name = f"jaxg2_user_models.{path.stem}_{hashlib.sha1(str(path).encode()).hexdigest()[:8]}"
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        sys.path.insert(0, str(path.parent))       # the file may import its neighbours
        try:
            spec.loader.exec_module(module)
        except Exception as exc:
            sys.modules.pop(name, None)
            raise ModelError(f"{left}: cannot run the file ({_one_line(exc)})") from None
        finally:
            sys.path.remove(str(path.parent))
        if not attr.isidentifier():
            raise ModelError(f"{ref!r}: expected FILE.py:ATTR with ATTR a Python name (e.g. MODEL)")
        if not hasattr(module, attr):
            raise ModelError(f"{left} defines no {attr} (it must build a jaxg2.models.base.Model named {attr})")
        _FILE_CACHE[key] = validate(getattr(module, attr), f"{left}:{attr}")
    return _FILE_CACHE[key]


def load_module(ref: str) -> Model:
    """The validated model ``ATTR`` of ``"package.module:ATTR"``."""
    mod, _, attr = ref.partition(":")
    try:
        obj = getattr(importlib.import_module(mod), attr)
    except (ImportError, AttributeError) as exc:
        raise ModelError(f"cannot import {ref!r} ({_one_line(exc)})") from None
    return validate(obj, ref)


def entry_points() -> dict:
    """Models installed by other packages: ``{name: EntryPoint}`` of group ``jaxg2.models``."""
    return {ep.name: ep for ep in metadata.entry_points(group=ENTRY_POINT_GROUP)}


def load_entry_point(name: str) -> Model:
    ep = entry_points()[name]
    try:
        obj = ep.load()
    except Exception as exc:
        raise ModelError(f"model {name!r} (entry point {ep.value}): cannot load ({_one_line(exc)})") from None
    return validate(obj, f"{name} ({ep.value})")


def load(ref: str, base: Path | str | None = None) -> Model:
    """A model by reference (module docstring); built-in names first."""
    from . import available, get

    if ":" in ref:
        return load_file(ref, base) if is_file_ref(ref) else load_module(ref)
    if ref in available():
        return get(ref)
    eps = entry_points()
    if ref in eps:
        return load_entry_point(ref)
    names = sorted(set(available()) | set(eps))
    raise ModelError(f"unknown model {ref!r}; available: {', '.join(names)} "
                     "(or FILE.py:MODEL, or package.module:ATTR)")


def validate(model, where: str) -> Model:
    """Check the contract of :class:`~jaxg2.models.base.Model` that its dataclass does not:
    field types, a :class:`Prior` on every parameter, observables that return a dict of
    numeric arrays at the default point (traced with ``jax.eval_shape``, nothing is
    computed), the signal among them, a unit for each, and constraints that read
    computed observables.  Returns the model; raises :class:`ModelError`."""
    if not isinstance(model, Model):
        raise ModelError(f"{where} is a {_kind(model)}, not a jaxg2.models.base.Model")
    if not isinstance(model.parameters, (tuple, list)) or not model.parameters:
        raise ModelError(f"{where}: parameters must be a non-empty tuple of Parameter, got {_kind(model.parameters)}")
    for p in model.parameters:
        if not isinstance(p, Parameter):
            raise ModelError(f"{where}: parameters must be Parameter objects, got a {_kind(p)} ({p!r:.60})")
        if not isinstance(p.prior, Prior):
            raise ModelError(f"{where}: parameter {p.name!r} has no prior "
                             f"(got {_kind(p.prior)}; give e.g. prior=Prior.log_uniform(low, high))")
    for c in model.constraints:
        if not isinstance(c, Constraint):
            raise ModelError(f"{where}: constraints must be Constraint objects, got a {_kind(c)}")
    if not callable(model.observables):
        raise ModelError(f"{where}: observables must be a function theta -> dict, got a {_kind(model.observables)}")
    if not isinstance(model.units, Mapping):
        raise ModelError(f"{where}: units must be a dict observable -> unit, got a {_kind(model.units)}")

    found: dict = {}

    def probe(theta):
        out = model.observables(theta)
        found["type"] = out
        if not isinstance(out, Mapping):
            return {}
        arrays = {}
        for k, v in out.items():
            ok = isinstance(v, (jax.Array, np.ndarray, np.number, float, int)) and not isinstance(v, bool)
            found.setdefault("bad", {})[k] = None if ok else v
            if ok:
                arrays[k] = v
        return arrays

    try:
        shapes = jax.eval_shape(probe, model.default_point())
    except Exception as exc:
        raise ModelError(f"{where}: observables fail at the default point ({_one_line(exc)})") from None
    out = found["type"]
    if not isinstance(out, Mapping):
        raise ModelError(f"{where}: observables must return a dict of arrays, got a {_kind(out)}")
    for k, v in found.get("bad", {}).items():
        if v is not None:
            raise ModelError(f"{where}: observable {k!r} is a {_kind(v)}, not an array (return jnp arrays)")
    for k, s in shapes.items():
        if not np.issubdtype(s.dtype, np.number):
            raise ModelError(f"{where}: observable {k!r} has dtype {s.dtype}, not a number")
    if model.signal not in out:
        raise ModelError(f"{where}: observables lack the signal {model.signal!r} (Model.signal, the Δa_μ "
                         f"prediction); they return {', '.join(out) or 'nothing'}")
    missing = [k for k in out if k not in model.units]
    if missing:
        raise ModelError(f"{where}: no unit for observable(s) {', '.join(missing)} in Model.units")
    for c in model.constraints:
        for key in (c.observable, c.mass):
            if key is not None and key not in out:
                raise ModelError(f"{where}: constraint {c.name!r} reads observable {key!r}, "
                                 "which observables do not return")
    return model
