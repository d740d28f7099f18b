"""Fit configurations: TOML files (or dicts) parsed and validated into :class:`Config`.

One file describes one analysis of one model; the same file drives ``jaxg2 fit``,
``jaxg2 search`` and ``jaxg2 scan`` (and :func:`jaxg2.fit`, :func:`jaxg2.search`,
:func:`jaxg2.scan`).  Every mistake is reported as a :class:`ConfigError` whose
message names the offending field (``sampler.num_samples: expected an integer, got
str '100'``); the command line prints it and exits with status 2.

## Format

```toml
[fit]
model = "lmu_ltau"           # a registered model (``jaxg2 models``), "package.module:ATTR", or
                             # "models/my_model.py:MODEL" (a file, relative to this config file)
scenario = "2021"            # Δa_μ likelihood: registry entry delta_a_mu_<scenario> (required)
output = "runs/lmu_ltau_2021"  # default: runs/<config file stem>; relative to the working directory
seed = 0                     # default 0; every random number of fit/search/scan derives from it

[sampler]                    # (all optional)
kernel = "nuts"              # nuts | chees | meads  (chees/meads: many-chain HMC from blackjax,
                             #   jaxg2.infer.many_chain; use tens to hundreds of chains)
num_warmup = 500             # default 500
num_samples = 1000           # default 1000 (per chain)
num_chains = 4               # default 4
chain_method = "auto"        # auto | vectorized | parallel  (auto: parallel over local devices if > 1)
target_accept = 0.8          # NUTS and ChEES target acceptance probability
max_tree_depth = 10
dense_mass = false
checkpoint_every = 100       # iterations per block: the checkpoint and progress-bar granularity
init = "optimize"            # chains start from Adam-improved prior draws ("prior": plain draws)
init_steps = 200
model_program = "auto"       # auto | inline | separate: compile a big model once, as its own
                             #   program the samplers call (auto: on one CPU, big models)

[parameters]                 # any parameter not listed uses the model's default prior
g_prime  = { prior = "log_uniform", low = 1e-4, high = 3e-3 }  # sampled as log10(g_prime)
m_zprime = { prior = "uniform", low = 1e-3, high = 0.2 }      # GeV
m_phi    = { prior = "fixed", value = 0.1 }
x        = { prior = "normal", loc = 0.0, scale = 1.0 }
y        = { prior = "derived" }      # computed by model.derived["y"](other parameters);
                                     # rule = "R" uses model.derived["y:R"] instead

[constraints]
use = ["borexino", "neff"]   # optional; default: the model's default constraints ([] = none)
# add = ["sidm_dwarf"]       # or: the defaults plus these (not together with use)
# drop = ["n_eff_planck"]    #     the defaults minus these
smooth = false               # hard limits (−inf beyond) unless true
width = 0.05                 # relative width of the smooth penalty (jaxg2.likelihood)

[search]                     # gradient-based benchmark points (jaxg2 search)
num_starts = 256             # optax Adam runs, vmapped, started from prior draws
num_steps = 300
learning_rate = 0.05
n_sigma = 1.0                # accept points with |Δa − Δa_exp| ≤ n_sigma σ and every hard constraint
max_points = 20              # at most this many distinct points are reported
min_distance = 0.05          # distinct: farther apart than this in prior-box units (log for log priors)
# targets = { br_mu_e_gamma = [1e-13, 2e-14] }  # optional: reproduce observable = value ± tol (accepted
#                            # only within tol; n_sigma = inf drops the Δa_μ acceptance)
# max_evaluations = 500000   # optional budget: further rounds of fresh starts until max_points are found

[scan]                       # vectorised grid (jaxg2 scan); x alone gives a 1-D scan
x = { name = "m_zprime", low = 1e-3, high = 1.0, num = 100, log = true }
y = { name = "g_prime", low = 1e-4, high = 1e-2, num = 100, log = true }
point = "BP1"                # other parameters from this benchmark (optional) ...
fixed = { m_phi = 0.1 }      # ... or given explicitly (wins over point)
profile = false              # true: maximise the posterior over the remaining free parameters
profile_steps = 200
chunk = 4096                 # grid points per vectorised batch (bounds memory)

[fast]                       # overrides when JAXG2_FAST=1 (tests, notebooks) or fast=True;
                             # sizes it leaves out are capped (FAST_SAMPLER_CAPS, FAST_SEARCH_CAPS,
                             # FAST_SCAN_NUM), so a config with a [fast] table is always fast
num_warmup = 50              # flat keys override [sampler]
num_samples = 50
num_chains = 2
search = { num_starts = 32, num_steps = 100 }   # sub-tables override [search] / [scan]
scan = { num = 20 }          # scan.num sets every axis' num
```

Non-scan parameters of a scan take, in order: ``scan.fixed``, the ``scan.point``
benchmark, a ``fixed`` prior, the model's first benchmark / prior centre.
"""

from __future__ import annotations

import copy
import dataclasses
import math
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

from . import experiments
from .models.base import Model, Prior

__all__ = ["Config", "ConfigError", "Axis", "load", "read", "fast_mode", "resolve_model"]

PRIORS = ("uniform", "log_uniform", "normal", "fixed", "derived")

KERNELS = ("nuts", "chees", "meads")
MEADS_FOLDS = 4  # MEADS splits the chains into this many folds (Hoffman & Sountsov 2022)

SAMPLER_DEFAULTS = {"kernel": "nuts", "num_warmup": 500, "num_samples": 1000, "num_chains": 4, "chain_method": "auto",
                    "target_accept": 0.8, "max_tree_depth": 10, "dense_mass": False,
                    "checkpoint_every": 100, "init": "optimize", "init_steps": 200, "model_program": "auto"}
SEARCH_DEFAULTS = {"num_starts": 256, "num_steps": 300, "learning_rate": 0.05, "n_sigma": 1.0,
                   "max_points": 20, "min_distance": 0.05, "seed": None, "targets": {},
                   "max_evaluations": None}
SCAN_DEFAULTS = {"x": None, "y": None, "point": None, "fixed": {}, "profile": False,
                 "profile_steps": 200, "chunk": 4096}
# Fast mode (``[fast]`` present and fast on): sizes the section leaves out are capped at
# these, so that every config's fast mode is fast (many-chain kernels keep 2 MEADS folds).
FAST_SAMPLER_CAPS = {"num_warmup": 50, "num_samples": 50, "num_chains": 2}
FAST_SEARCH_CAPS = {"num_starts": 16, "num_steps": 50}
FAST_SCAN_NUM = 12
_TYPES = {  # key -> (python types, description)
    "kernel": (str, "a string"), "num_warmup": (int, "a non-negative integer"), "num_samples": (int, "a positive integer"),
    "num_chains": (int, "a positive integer"), "chain_method": (str, "a string"),
    "target_accept": (float, "a number"), "max_tree_depth": (int, "a positive integer"),
    "dense_mass": (bool, "true or false"), "checkpoint_every": (int, "a positive integer"),
    "init": (str, "a string"), "init_steps": (int, "a positive integer"), "model_program": (str, "a string"),
    "num_starts": (int, "a positive integer"), "num_steps": (int, "a positive integer"),
    "learning_rate": (float, "a number"), "n_sigma": (float, "a number"),
    "max_points": (int, "a positive integer"), "min_distance": (float, "a number"),
    "seed": (int, "an integer"), "profile": (bool, "true or false"),
    "profile_steps": (int, "a positive integer"), "chunk": (int, "a positive integer"),
    "point": (str, "a string"), "max_evaluations": (int, "a positive integer"),
}
_POSITIVE = {"num_samples", "init_steps", "num_chains", "max_tree_depth", "checkpoint_every", "num_starts",
             "num_steps", "max_points", "profile_steps", "chunk", "learning_rate", "n_sigma",
             "max_evaluations"}


class ConfigError(ValueError):
    """A configuration mistake; ``field`` is the dotted name of the offending entry."""

    def __init__(self, field: str, message: str):
        self.field = field
        super().__init__(f"{field}: {message}" if field else message)


@dataclass(frozen=True)
class Axis:
    """One scan axis: ``num`` values of parameter ``name`` from ``low`` to ``high``."""

    name: str
    low: float
    high: float
    num: int
    log: bool = False

    def values(self):
        import numpy as np

        if self.log:
            return np.logspace(math.log10(self.low), math.log10(self.high), self.num)
        return np.linspace(self.low, self.high, self.num)


@dataclass(frozen=True)
class Config:
    """A validated configuration (see the module docstring for the format)."""

    model: Model
    model_ref: str                       # how the config named the model
    scenario: str
    output: Path
    seed: int
    sampler: Mapping[str, Any]
    priors: Mapping[str, Prior]          # every non-derived model parameter, resolved
    derived: tuple[str, ...]
    constraints: tuple[str, ...]         # names of the constraints used
    smooth: bool
    width: float
    search: Mapping[str, Any]
    scan: Mapping[str, Any]
    fast: bool
    raw: Mapping[str, Any] = field(repr=False)  # the input as given (recorded in outputs)
    source: str = "<dict>"
    derived_rules: Mapping[str, str] = field(default_factory=dict)  # name -> model.derived key, if not name

    @property
    def scenario_entry(self) -> str:
        return f"delta_a_mu_{self.scenario}"

    @property
    def free(self) -> tuple[str, ...]:
        """Parameters the sampler moves (not fixed, not derived), in model order."""
        return tuple(n for n, p in self.priors.items() if p.kind != "fixed")


def fast_mode(fast: bool | None) -> bool:
    """``fast=None`` means: the ``[fast]`` overrides apply iff env ``JAXG2_FAST == "1"``."""
    return os.environ.get("JAXG2_FAST") == "1" if fast is None else bool(fast)


def constraint_names_by_family(model: Model) -> str:
    """The model's constraint names grouped by family, for one-line error messages:
    ``model: a, b; light_vector_visible: NA64_..., ...``."""
    groups: dict[str, list[str]] = {}
    for c in model.constraints:
        groups.setdefault(c.family, []).append(c.name)
    return "; ".join(f"{fam}: {', '.join(names)}" for fam, names in groups.items()) or "none"


def _type_name(v) -> str:
    return f"{type(v).__name__} {v!r}"


def _check_value(fld: str, key: str, v):
    if key not in _TYPES:
        return v
    typ, desc = _TYPES[key]
    if typ is float:
        ok = isinstance(v, (int, float)) and not isinstance(v, bool)
        v = float(v) if ok else v
    elif typ is int:
        ok = isinstance(v, int) and not isinstance(v, bool)
    else:
        ok = isinstance(v, typ)
    if not ok:
        raise ConfigError(fld, f"expected {desc}, got {_type_name(v)}")
    if key in _POSITIVE and v <= 0:
        raise ConfigError(fld, f"expected {desc}, got {v!r}")
    if key == "num_warmup" and v < 0:
        raise ConfigError(fld, f"expected {desc}, got {v!r}")
    return v


def _table(raw: Mapping, name: str) -> dict:
    v = raw.get(name, {})
    if not isinstance(v, Mapping):
        raise ConfigError(name, f"expected a table, got {_type_name(v)}")
    return dict(v)


def _section(raw: Mapping, name: str, defaults: Mapping[str, Any], overrides: Mapping | None = None) -> dict:
    given = _table(raw, name)
    out = dict(defaults)
    for source in (given, overrides or {}):
        for k, v in source.items():
            if k not in defaults:
                raise ConfigError(f"{name}.{k}", f"unknown key; expected one of {', '.join(defaults)}")
            out[k] = v if v is None else _check_value(f"{name}.{k}", k, v)
    return out


def _number(fld: str, v) -> float:
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        raise ConfigError(fld, f"expected a number, got {_type_name(v)}")
    if not math.isfinite(v):
        raise ConfigError(fld, f"expected a finite number, got {v!r}")
    return float(v)


def _targets(spec, model: Model) -> dict[str, tuple[float, float]]:
    """``[search] targets``: observable → ``[value, tolerance]`` (or ``{value, tol}``)."""
    if not isinstance(spec, Mapping):
        raise ConfigError("search.targets", f"expected a table of observable = [value, tolerance], got {_type_name(spec)}")
    out = {}
    for name, v in spec.items():
        fld = f"search.targets.{name}"
        if name not in model.units:
            raise ConfigError(fld, f"model {model.name!r} has no observable {name!r}; it has {', '.join(sorted(model.units))}")
        if isinstance(v, Mapping):
            if set(v) != {"value", "tol"}:
                raise ConfigError(fld, "expected { value = ..., tol = ... }")
            v = [v["value"], v["tol"]]
        if not isinstance(v, list) or len(v) != 2:
            raise ConfigError(fld, f"expected [value, tolerance], got {_type_name(v)}")
        value, tol = _number(fld, v[0]), _number(fld, v[1])
        if tol <= 0:
            raise ConfigError(fld, f"tolerance must be > 0, got {tol:g}")
        out[name] = (value, tol)
    return out


def resolve_model(ref, base=None) -> Model:
    """A :class:`Model`, a registered name, an entry point of group ``jaxg2.models``,
    ``"package.module:ATTR"`` or ``"path/file.py:ATTR"`` (relative to ``base``, the
    config file's directory); see :mod:`jaxg2.models.loader`."""
    from .models import loader

    if isinstance(ref, Model):
        return ref
    if not isinstance(ref, str):
        raise ConfigError("fit.model", f"expected a model name, got {_type_name(ref)}")
    try:
        return loader.load(ref, base)
    except loader.ModelError as exc:
        raise ConfigError("fit.model", str(exc)) from None


def _prior(model: Model, name: str, spec) -> Prior | str:
    fld = f"parameters.{name}"
    try:
        par = model.parameter(name)
    except KeyError:
        raise ConfigError(fld, f"model {model.name!r} has no parameter {name!r}; "
                               f"it has {', '.join(model.parameter_names)}") from None
    if not isinstance(spec, Mapping):
        raise ConfigError(fld, f"expected a table like {{ prior = \"uniform\", low = 0, high = 1 }}, "
                               f"got {_type_name(spec)}")
    kind = spec.get("prior")
    if kind not in PRIORS:
        raise ConfigError(f"{fld}.prior", f"unknown prior {kind!r}; expected one of {', '.join(PRIORS)}")
    keys = {"uniform": ("low", "high"), "log_uniform": ("low", "high"), "normal": ("loc", "scale"),
            "fixed": ("value",), "derived": ()}[kind]
    optional = ("rule",) if kind == "derived" else ()
    for k in spec:
        if k != "prior" and k not in keys + optional:
            raise ConfigError(f"{fld}.{k}", f"unknown key for a {kind} prior; "
                                            f"expected {', '.join(keys + optional) or 'none'}")
    for k in keys:
        if k not in spec:
            raise ConfigError(f"{fld}.{k}", f"missing (a {kind} prior needs {', '.join(keys)})")
    vals = {k: _number(f"{fld}.{k}", spec[k]) for k in keys}
    if kind == "derived":
        rule = spec.get("rule")
        if rule is not None and not isinstance(rule, str):
            raise ConfigError(f"{fld}.rule", f"expected a string, got {_type_name(rule)}")
        key = name if rule is None else f"{name}:{rule}"
        if key not in model.derived:
            have = ", ".join(model.derived) or "none"
            raise ConfigError(f"{fld}.rule" if rule is not None else f"{fld}.prior",
                              f"'derived' needs model.derived[{key!r}]; model {model.name!r} derives: {have}")
        return "derived" if rule is None else f"derived:{key}"
    if kind in ("uniform", "log_uniform") and not vals["low"] < vals["high"]:
        raise ConfigError(fld, f"low ({vals['low']:g}) must be < high ({vals['high']:g})")
    if kind == "log_uniform" and vals["low"] <= 0:
        raise ConfigError(f"{fld}.low", f"a log_uniform prior needs low > 0, got {vals['low']:g}")
    if kind == "normal" and vals["scale"] <= 0:
        raise ConfigError(f"{fld}.scale", f"must be > 0, got {vals['scale']:g}")
    lo, hi = par.physical_range
    span = {"uniform": ("low", "high"), "log_uniform": ("low", "high"), "fixed": ("value", "value")}.get(kind)
    if span and not (lo <= vals[span[0]] and vals[span[1]] <= hi):
        raise ConfigError(fld, f"prior leaves the physical range [{lo:g}, {hi:g}] {par.unit} of {name}")
    if kind == "normal" and (lo > -math.inf or hi < math.inf):
        raise ConfigError(fld, f"a normal prior puts probability outside the physical range [{lo:g}, {hi:g}] "
                               f"{par.unit} of {name}; use uniform or log_uniform inside it")
    return Prior(kind, **vals)


def _axis(fld: str, spec, model: Model, priors) -> Axis:
    if not isinstance(spec, Mapping):
        raise ConfigError(fld, f"expected a table like {{ name = \"m\", low = 0.01, high = 1, num = 50 }}, "
                               f"got {_type_name(spec)}")
    allowed = ("name", "low", "high", "num", "log")
    for k in spec:
        if k not in allowed:
            raise ConfigError(f"{fld}.{k}", f"unknown key; expected one of {', '.join(allowed)}")
    for k in ("name", "low", "high", "num"):
        if k not in spec:
            raise ConfigError(f"{fld}.{k}", "missing")
    name = spec["name"]
    if not isinstance(name, str) or name not in model.parameter_names:
        raise ConfigError(f"{fld}.name", f"model {model.name!r} has no parameter {name!r}; "
                                         f"it has {', '.join(model.parameter_names)}")
    if priors.get(name) == "derived":
        raise ConfigError(f"{fld}.name", f"{name!r} is derived and cannot be a scan axis")
    low, high = _number(f"{fld}.low", spec["low"]), _number(f"{fld}.high", spec["high"])
    num = spec["num"]
    if isinstance(num, bool) or not isinstance(num, int) or num < 2:
        raise ConfigError(f"{fld}.num", f"expected an integer >= 2, got {_type_name(num)}")
    log = spec.get("log", False)
    if not isinstance(log, bool):
        raise ConfigError(f"{fld}.log", f"expected true or false, got {_type_name(log)}")
    if not low < high:
        raise ConfigError(fld, f"low ({low:g}) must be < high ({high:g})")
    if log and low <= 0:
        raise ConfigError(f"{fld}.low", f"a log axis needs low > 0, got {low:g}")
    return Axis(name, low, high, num, log)


def _read(config) -> tuple[dict, str, Path | None]:
    if isinstance(config, Mapping):
        # a Model object in [fit] model is shared, not copied: programs cached per model
        # (evidence runners, fit.parameter_values) are then found again for the next config
        fit = config.get("fit")
        model = fit.get("model") if isinstance(fit, Mapping) else None
        memo = {id(model): model} if isinstance(model, Model) else {}
        return copy.deepcopy(dict(config), memo), "<dict>", None
    path = Path(config)
    if path.is_dir():
        raise ConfigError("", f"{path} is a directory, not a TOML config file")
    if not path.is_file():
        raise ConfigError("", f"config file not found: {path}")
    try:
        return tomllib.loads(path.read_text(encoding="utf-8")), str(path), path
    except UnicodeDecodeError:
        raise ConfigError("", f"{path}: not a text (UTF-8) file; expected a TOML config") from None
    except OSError as exc:
        raise ConfigError("", f"{path}: cannot be read ({exc.strerror})") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError("", f"{path}: invalid TOML ({exc})") from None


def read(path) -> dict:
    """The TOML config at ``path`` as a dict to edit and pass to :func:`load` from any
    directory: a model file reference (``"file.py:ATTR"``, relative to the config's
    directory) is made absolute, every other reference kept as written."""
    from .models import loader

    raw, _, path = _read(Path(path))
    ref = raw.get("fit", {}).get("model")
    if isinstance(ref, str) and loader.is_file_ref(ref) and not Path(ref).is_absolute():
        raw["fit"]["model"] = str(path.resolve().parent / ref)
    return raw


def load(config, *, fast: bool | None = None, output=None) -> Config:
    """Parse and validate a config (TOML path or dict); apply ``[fast]`` if fast mode is on.
    An already-loaded :class:`Config` is returned as it is (with ``output`` applied)."""
    if isinstance(config, Config):
        return config if output is None else dataclasses.replace(config, output=Path(output))
    raw, source, path = _read(config)
    fast_on = fast_mode(fast)
    sections = ("fit", "sampler", "parameters", "constraints", "search", "scan", "fast")
    for k in raw:
        if k not in sections:
            raise ConfigError(k, f"unknown section; expected one of {', '.join(sections)}")
    fit = _table(raw, "fit")
    for k in fit:
        if k not in ("model", "scenario", "output", "seed"):
            raise ConfigError(f"fit.{k}", "unknown key; expected one of model, scenario, output, seed")
    if "model" not in fit:
        raise ConfigError("fit.model", "missing")
    model = resolve_model(fit["model"], base=path.parent if path else None)
    if "scenario" not in fit:
        raise ConfigError("fit.scenario", "missing (the Δa_μ scenario, e.g. \"2021\" or \"2025\")")
    scenario = fit["scenario"]
    scenario = str(scenario) if isinstance(scenario, int) and not isinstance(scenario, bool) else scenario
    scenarios = [n[len("delta_a_mu_"):] for n in experiments.available("measurement") if n.startswith("delta_a_mu_")]
    if scenario not in scenarios:
        raise ConfigError("fit.scenario", f"unknown scenario {scenario!r}; available: {', '.join(scenarios)}")
    seed = fit.get("seed", 0)
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise ConfigError("fit.seed", f"expected a non-negative integer, got {_type_name(seed)}")
    out = fit.get("output", f"runs/{path.stem if path else model.name}")
    if not isinstance(out, str):
        raise ConfigError("fit.output", f"expected a string, got {_type_name(out)}")

    fast_tab = _table(raw, "fast") if fast_on else {}
    fast_sampler = {k: v for k, v in fast_tab.items() if k not in ("search", "scan")}
    for k in ("search", "scan"):
        if k in fast_tab and not isinstance(fast_tab[k], Mapping):
            raise ConfigError(f"fast.{k}", f"expected a table, got {_type_name(fast_tab[k])}")
    for k in fast_sampler:
        if k not in SAMPLER_DEFAULTS:
            raise ConfigError(f"fast.{k}", f"unknown key; expected a [sampler] key ({', '.join(SAMPLER_DEFAULTS)}) "
                                           "or a search/scan table")
    sampler = _section(raw, "sampler", SAMPLER_DEFAULTS, fast_sampler)
    capped = fast_on and "fast" in raw  # a config that has a fast mode: make it fast
    if capped:
        caps = dict(FAST_SAMPLER_CAPS, num_chains=2 * MEADS_FOLDS if sampler["kernel"] != "nuts" else 2)
        sampler.update({k: min(sampler[k], cap) for k, cap in caps.items() if k not in fast_sampler})
    if sampler["chain_method"] not in ("auto", "vectorized", "parallel"):
        raise ConfigError("sampler.chain_method", f"expected auto, vectorized or parallel, got {sampler['chain_method']!r}")
    if sampler["kernel"] not in KERNELS:
        raise ConfigError("sampler.kernel", f"expected one of {', '.join(KERNELS)}, got {sampler['kernel']!r}")
    if sampler["kernel"] == "meads" and (sampler["num_chains"] % MEADS_FOLDS or sampler["num_chains"] < 2 * MEADS_FOLDS):
        raise ConfigError("sampler.num_chains", f"meads needs a multiple of {MEADS_FOLDS} chains, at least "
                                                f"{2 * MEADS_FOLDS}, got {sampler['num_chains']}")
    if sampler["model_program"] not in ("auto", "inline", "separate"):
        raise ConfigError("sampler.model_program", f"expected auto, inline or separate, got {sampler['model_program']!r}")
    if sampler["init"] not in ("optimize", "prior"):
        raise ConfigError("sampler.init", f"expected optimize or prior, got {sampler['init']!r}")
    if not 0 < sampler["target_accept"] < 1:
        raise ConfigError("sampler.target_accept", f"must lie in (0, 1), got {sampler['target_accept']!r}")

    given = _table(raw, "parameters")
    resolved = {name: _prior(model, name, spec) for name, spec in given.items()}
    priors = {p.name: resolved.get(p.name, p.prior) for p in model.parameters}
    derived = tuple(n for n, p in priors.items() if isinstance(p, str))
    # a derived parameter with a rule uses model.derived["name:rule"] (e.g. y = { prior =
    # "derived", rule = "paper_eq20" }), without one model.derived["name"]
    derived_rules = {n: p.partition(":")[2] for n, p in priors.items() if isinstance(p, str) and ":" in p}
    priors = {n: p for n, p in priors.items() if not isinstance(p, str)}
    if not any(p.kind != "fixed" for p in priors.values()):
        raise ConfigError("parameters", "every parameter is fixed or derived; nothing to fit")

    cons = _table(raw, "constraints")
    for k in cons:
        if k not in ("use", "add", "drop", "smooth", "width"):
            raise ConfigError(f"constraints.{k}", "unknown key; expected one of use, add, drop, smooth, width")
    known = [c.name for c in model.constraints]

    def _names(key):
        val = cons[key]
        if not isinstance(val, list) or not all(isinstance(u, str) for u in val):
            raise ConfigError(f"constraints.{key}", f"expected a list of constraint names, got {_type_name(val)}")
        for u in val:
            if u not in known:
                raise ConfigError(f"constraints.{key}", f"model {model.name!r} has no constraint {u!r}; "
                                                        f"it has {constraint_names_by_family(model)}")
        return list(dict.fromkeys(val))

    if "use" in cons and ("add" in cons or "drop" in cons):
        raise ConfigError("constraints.use", "give either use (the full list) or add/drop (changes to the defaults)")
    if "use" in cons:
        names = tuple(_names("use"))
    else:
        add = _names("add") if "add" in cons else []
        drop = set(_names("drop")) if "drop" in cons else set()
        names = tuple(n for n in dict.fromkeys([c.name for c in model.constraints if c.default] + add)
                      if n not in drop)
    smooth = cons.get("smooth", False)
    if not isinstance(smooth, bool):
        raise ConfigError("constraints.smooth", f"expected true or false, got {_type_name(smooth)}")
    width = _number("constraints.width", cons.get("width", 0.05))
    if width <= 0:
        raise ConfigError("constraints.width", f"must be > 0, got {width:g}")

    search = _section(raw, "search", SEARCH_DEFAULTS, fast_tab.get("search"))
    if capped:
        search.update({k: min(search[k], cap) for k, cap in FAST_SEARCH_CAPS.items()
                       if k not in fast_tab.get("search", {})})
    if search["seed"] is None:
        search["seed"] = seed
    search["targets"] = _targets(search["targets"], model)
    fast_scan = dict(fast_tab.get("scan", {}))
    fast_num = fast_scan.pop("num", None)
    scan = _section(raw, "scan", SCAN_DEFAULTS, fast_scan)
    all_priors = {**priors, **{d: "derived" for d in derived}}
    for ax in ("x", "y"):
        if scan[ax] is not None:
            spec = dict(scan[ax]) if isinstance(scan[ax], Mapping) else scan[ax]
            if fast_num is not None and isinstance(spec, dict):
                spec["num"] = fast_num
            scan[ax] = _axis(f"scan.{ax}", spec, model, all_priors)
            if capped and fast_num is None:
                scan[ax] = dataclasses.replace(scan[ax], num=min(scan[ax].num, FAST_SCAN_NUM))
    if scan["y"] is not None and scan["x"] is None:
        raise ConfigError("scan.x", "missing (a scan needs x; y is optional)")
    if scan["x"] is not None and scan["y"] is not None and scan["x"].name == scan["y"].name:
        raise ConfigError("scan.y.name", f"same parameter as scan.x ({scan['x'].name!r})")
    if scan["point"] is not None and scan["point"] not in model.benchmarks:
        raise ConfigError("scan.point", f"model {model.name!r} has no benchmark {scan['point']!r}; "
                                        f"it has {', '.join(model.benchmarks) or 'none'}")
    if not isinstance(scan["fixed"], Mapping):
        raise ConfigError("scan.fixed", f"expected a table of name = value, got {_type_name(scan['fixed'])}")
    for k, v in scan["fixed"].items():
        if k not in model.parameter_names:
            raise ConfigError(f"scan.fixed.{k}", f"model {model.name!r} has no parameter {k!r}")
        _number(f"scan.fixed.{k}", v)
    scan["fixed"] = {k: float(v) for k, v in scan["fixed"].items()}

    if output is not None:
        out = str(output)
    raw_record = dict(raw)
    raw_record["fit"] = {**fit, "model": model.name if isinstance(fit["model"], Model) else fit["model"]}
    return Config(model=model, model_ref=str(raw_record["fit"]["model"]), scenario=scenario,
                  output=Path(out), seed=seed, sampler=sampler, priors=priors, derived=derived,
                  constraints=names, smooth=smooth, width=width, search=search, scan=scan,
                  fast=fast_on, raw=raw_record, source=source, derived_rules=derived_rules)
