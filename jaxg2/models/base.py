"""The model contract: parameters, one pure observables function, constraints, benchmarks.

A model is data plus one pure function.  The inference engine (``jaxg2.infer``)
only ever sees this contract, so a new model is one new module that builds a
:class:`Model` and registers it in ``jaxg2/models/__init__.py``.

* ``parameters`` — :class:`Parameter` (unit, LaTeX label, default :class:`Prior`,
  physical range).
* ``observables(theta) -> dict`` — pure JAX, no Python branching on values,
  vmap-able over any leading batch shape of the parameter arrays.  Keys are the
  observable names; ``units`` maps each key to its unit string.
* ``constraints`` — :class:`Constraint`: which observable is compared with which
  registry entry, and how (``gaussian``, ``upper``, ``lower``, ``interval``,
  ``curve``).  ``Constraint.log_likelihood(obs, smooth=...)`` evaluates it.
* ``benchmarks`` — the paper's points by name (every parameter given).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Mapping

import jax.numpy as jnp

from .. import experiments, likelihood

PRIOR_KINDS = ("uniform", "log_uniform", "normal", "fixed")
CONSTRAINT_KINDS = ("gaussian", "upper", "lower", "interval", "curve")


@dataclass(frozen=True)
class Prior:
    """A prior: ``uniform(low, high)``, ``log_uniform(low, high)``, ``normal(loc, scale)``
    or ``fixed(value)``.  Log-uniform priors are sampled in log space by the engine."""

    kind: str
    low: float | None = None
    high: float | None = None
    loc: float | None = None
    scale: float | None = None
    value: float | None = None

    def __post_init__(self):
        if self.kind not in PRIOR_KINDS:
            raise ValueError(f"unknown prior kind {self.kind!r}; expected one of {PRIOR_KINDS}")
        if self.kind in ("uniform", "log_uniform"):
            if self.low is None or self.high is None:
                raise ValueError(f"{self.kind} prior needs low and high")
            if not self.low < self.high:
                raise ValueError(f"{self.kind} prior needs low < high (got low={self.low}, high={self.high})")
            if self.kind == "log_uniform" and self.low <= 0:
                raise ValueError(f"log_uniform prior needs low > 0 (got {self.low})")
        if self.kind == "normal" and (self.loc is None or self.scale is None or self.scale <= 0):
            raise ValueError("normal prior needs loc and scale > 0")
        if self.kind == "fixed" and self.value is None:
            raise ValueError("fixed prior needs value")

    @staticmethod
    def uniform(low, high):
        return Prior("uniform", low=float(low), high=float(high))

    @staticmethod
    def log_uniform(low, high):
        return Prior("log_uniform", low=float(low), high=float(high))

    @staticmethod
    def normal(loc, scale):
        return Prior("normal", loc=float(loc), scale=float(scale))

    @staticmethod
    def fixed(value):
        return Prior("fixed", value=float(value))


@dataclass(frozen=True)
class Parameter:
    """A model parameter.  ``physical_range`` bounds what the observables accept
    (e.g. masses > 0); priors must lie inside it."""

    name: str
    unit: str
    latex: str
    prior: Prior
    physical_range: tuple[float, float] = (-float("inf"), float("inf"))
    description: str = ""


@dataclass(frozen=True)
class Constraint:
    """An observable compared with a registry entry.

    ``kind``: ``gaussian`` (entry is a measurement), ``upper``/``lower`` (entry is an
    upper/lower limit), ``interval`` (entry is an interval), ``curve`` (entry is a
    limit curve evaluated at ``observables[mass]``).  ``absolute=True`` compares
    |observable|.  ``limit`` overrides the registry for *theoretical* bounds
    (perturbativity, naturalness), which then have ``entry=None`` and a ``note``
    giving the reason.  ``default`` says whether fits use it unless told otherwise.
    """

    name: str
    observable: str
    kind: str
    entry: str | None = None
    mass: str | None = None
    absolute: bool = False
    limit: float | None = None
    default: bool = True
    note: str = ""
    family: str = "model"
    source: str = ""
    year: int | None = None
    null_value: float | None = None

    def __post_init__(self):
        if self.kind not in CONSTRAINT_KINDS:
            raise ValueError(f"constraint {self.name!r}: unknown kind {self.kind!r}; expected one of {CONSTRAINT_KINDS}")
        if self.entry is None and self.limit is None:
            raise ValueError(f"constraint {self.name!r} needs a registry entry or a theoretical limit")
        if self.kind == "curve" and self.mass is None:
            raise ValueError(f"curve constraint {self.name!r} needs the mass observable")

    def registry_entry(self) -> experiments.Entry | None:
        return None if self.entry is None else experiments.get(self.entry)

    def provenance(self) -> tuple[str, int | None]:
        """(source, year) of the limit: the registry entry's, else the constraint's own."""
        e = self.registry_entry()
        return (e.source, e.year) if e is not None else (self.source, self.year)

    def value(self, obs: Mapping[str, jnp.ndarray]):
        x = obs[self.observable]
        return jnp.abs(x) if self.absolute else x

    def bound(self, obs: Mapping[str, jnp.ndarray]):
        """The limit this constraint imposes at this point (for reports and plots)."""
        if self.limit is not None:
            return jnp.asarray(self.limit)
        e = self.registry_entry()
        if self.kind == "curve":
            return experiments.curve(self.entry)(obs[self.mass])
        if self.kind in ("upper", "lower"):
            return jnp.asarray(e.limit)
        if self.kind == "interval":
            return jnp.asarray([e.low, e.high])
        return jnp.asarray(e.value)

    def log_likelihood(self, obs: Mapping[str, jnp.ndarray], *, smooth: bool = False,
                       width: float = likelihood.DEFAULT_SMOOTH_WIDTH):
        """Log-likelihood of this constraint at ``obs`` (hard or smooth form)."""
        x = self.value(obs)
        if self.kind == "gaussian":
            e = self.registry_entry()
            return likelihood.gaussian(x, e.value, e.sigma)
        if self.kind == "interval":
            e = self.registry_entry()
            return likelihood.interval(x, e.low, e.high, smooth=smooth, width=width)
        if self.kind == "lower":
            return likelihood.lower_limit(x, self.bound(obs), smooth=smooth, width=width)
        return likelihood.upper_limit(x, self.bound(obs), smooth=smooth, width=width)

    def log_excess(self, obs: Mapping[str, jnp.ndarray]):
        """ln of the factor by which a limit is exceeded: ln(x/limit) for an upper limit (or
        a curve), ln(limit/x) for a lower one, the larger of the two sides for an interval;
        ≤ 0 inside.  x ≤ 0 is inside an upper limit (−inf) and infinitely beyond a lower one.
        Not defined for measurements (``gaussian``)."""
        if self.kind == "gaussian":
            raise ValueError(f"constraint {self.name!r} is a measurement, not a limit")
        x = jnp.asarray(self.value(obs), dtype=jnp.float64)
        ln_x = jnp.log(jnp.where(x > 0, x, 1.0))
        ln_x = jnp.where(x > 0, ln_x, -jnp.inf)
        if self.kind == "interval":
            e = self.registry_entry()
            return jnp.maximum(ln_x - jnp.log(e.high), jnp.log(e.low) - ln_x)
        ln_limit = jnp.log(jnp.asarray(self.bound(obs), dtype=jnp.float64))
        return ln_limit - ln_x if self.kind == "lower" else ln_x - ln_limit

    def satisfied(self, obs: Mapping[str, jnp.ndarray], n_sigma: float = 2.0):
        """Boolean: a hard limit holds (gaussian: within ``n_sigma``)."""
        x = self.value(obs)
        if self.kind == "gaussian":
            e = self.registry_entry()
            if self.null_value is None:
                return jnp.abs(x - e.value) <= n_sigma * e.sigma
            d_chi2 = ((x - e.value) ** 2 - (self.null_value - e.value) ** 2) / e.sigma**2
            return d_chi2 <= n_sigma**2
        return jnp.isfinite(self.log_likelihood(obs, smooth=False))


@dataclass(frozen=True)
class Validity:
    """Where a formula stops describing the model: ``valid(obs, theta)`` → bool array (True inside
    its validity); outside, the ``observables`` it lists (names) are reported as
    invalid with ``reason`` instead of as numbers (``jaxg2 show``; fits keep sampling
    them, the flag is for reports)."""

    observables: tuple[str, ...]
    valid: Callable[[Mapping[str, jnp.ndarray], Mapping[str, jnp.ndarray]], jnp.ndarray]
    reason: str


def invalid_observables(model: "Model", obs: Mapping[str, jnp.ndarray],
                        theta: Mapping[str, jnp.ndarray]) -> dict[str, str]:
    """Observable name → reason, for every observable outside its formula's validity at
    ``obs`` (one point).  Besides the model's own :class:`Validity` rules, any ``br_*``
    above 1 is flagged (a branching ratio cannot exceed 1: the amplitude is outside the
    perturbative regime)."""
    import numpy as np

    out: dict[str, str] = {}
    for rule in model.validity:
        if not bool(np.all(np.asarray(rule.valid(obs, theta)))):
            for k in rule.observables:
                out.setdefault(k, rule.reason)
    for k, v in obs.items():
        if k.startswith("br_") and np.ndim(v) == 0 and float(v) > 1.0:
            out.setdefault(k, "branching ratio above 1: outside the formula's perturbative validity")
    return out


@dataclass(frozen=True)
class Model:
    """A physics model: the contract the engine sees.

    ``signal`` is the observable compared with the Δa_μ scenario (a registry entry
    ``delta_a_mu_<scenario>``) by the fit's Gaussian likelihood.
    """

    name: str
    description: str
    reference: str
    parameters: tuple[Parameter, ...]
    observables: Callable[[Mapping[str, jnp.ndarray]], dict[str, jnp.ndarray]]
    units: Mapping[str, str]
    constraints: tuple[Constraint, ...] = ()
    benchmarks: Mapping[str, Mapping[str, float]] = field(default_factory=dict)
    signal: str = "delta_a_mu"
    derived: Mapping[str, Callable[[Mapping[str, jnp.ndarray]], jnp.ndarray]] = field(default_factory=dict)
    couplings: Callable[[Mapping[str, jnp.ndarray], Mapping[str, jnp.ndarray]], dict] | None = None
    validity: tuple[Validity, ...] = ()
    coupling_sections: tuple[str, ...] = ()

    # ``couplings``/``coupling_sections``: what the model couples to, in the generic
    # sections of :mod:`jaxg2.constraints` (static tuple of the sections provided, and a
    # pure function (theta, own_observables) -> {section: {key: array}}; it receives the
    # model's own observables so that nothing is computed twice).  Every constraint family that
    # applies adds its observables (to ``observables``/``units``) and its constraints
    # (after the model's own, ``family`` set) — see ``__post_init__``.  The model's own
    # observables function stays available as ``own_observables``.
    #
    # ``derived``: parameters a config may ask to be *computed* from the others
    # instead of sampled (``y = { prior = "derived" }``), e.g. a Yukawa fixed by the
    # relic density.  Each function takes the other parameters and returns the value.

    def __post_init__(self):
        names = [p.name for p in self.parameters]
        if len(set(names)) != len(names):
            raise ValueError(f"model {self.name!r}: duplicate parameter names")
        for bp, point in self.benchmarks.items():
            missing = set(names) - set(point)
            if missing:
                raise ValueError(f"model {self.name!r}: benchmark {bp!r} lacks {sorted(missing)}")
        object.__setattr__(self, "own_observables", self.observables)
        object.__setattr__(self, "families", ())
        if self.coupling_sections:
            self._attach_library()

    def _attach_library(self):
        """Add the observables and constraints of every applicable constraint family."""
        from ..constraints import families_for, library_observables

        if self.couplings is None:
            raise ValueError(f"model {self.name!r} declares coupling sections but no couplings function")
        fams = families_for(self.coupling_sections)
        own, couplings = self.observables, self.couplings
        units = dict(self.units)
        cons = list(self.constraints)
        taken = {c.name for c in cons}
        for f in fams:
            clash = set(f.units) & set(units)
            if clash:
                raise ValueError(f"model {self.name!r}: family {f.name!r} observables {sorted(clash)} clash")
            units.update(f.units)
            for c in f.constraints:
                if c.name in taken:
                    raise ValueError(f"model {self.name!r}: constraint name {c.name!r} used twice")
                taken.add(c.name)
                cons.append(c)

        def observables(theta, **kwargs):
            obs = own(theta, **kwargs)
            obs.update(library_observables(couplings(theta, obs), fams))
            return obs

        observables.__doc__ = own.__doc__
        object.__setattr__(self, "observables", observables)
        object.__setattr__(self, "units", units)
        object.__setattr__(self, "constraints", tuple(cons))
        object.__setattr__(self, "families", fams)

    @property
    def parameter_names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.parameters)

    def parameter(self, name: str) -> Parameter:
        for p in self.parameters:
            if p.name == name:
                return p
        raise KeyError(f"model {self.name!r} has no parameter {name!r}; it has {', '.join(self.parameter_names)}")

    def constraint(self, name: str) -> Constraint:
        for c in self.constraints:
            if c.name == name:
                return c
        raise KeyError(f"model {self.name!r} has no constraint {name!r}; it has {', '.join(c.name for c in self.constraints)}")

    def benchmark(self, name: str) -> dict[str, jnp.ndarray]:
        if name not in self.benchmarks:
            raise KeyError(f"model {self.name!r} has no benchmark {name!r}; it has {', '.join(self.benchmarks)}")
        return {k: jnp.asarray(v, dtype=jnp.float64) for k, v in self.benchmarks[name].items()}

    def default_point(self) -> dict[str, jnp.ndarray]:
        """A point inside every default prior (first benchmark if any, else prior centres)."""
        if self.benchmarks:
            return self.benchmark(next(iter(self.benchmarks)))
        out = {}
        for p in self.parameters:
            pr = p.prior
            v = {"uniform": lambda: 0.5 * (pr.low + pr.high),
                 "log_uniform": lambda: (pr.low * pr.high) ** 0.5,
                 "normal": lambda: pr.loc, "fixed": lambda: pr.value}[pr.kind]()
            out[p.name] = jnp.asarray(v, dtype=jnp.float64)
        return out

    def log_constraints(self, obs, names=None, *, smooth=False, width=likelihood.DEFAULT_SMOOTH_WIDTH):
        """Sum of the named (default: the model's default) constraints' log-likelihoods."""
        chosen = [c for c in self.constraints if (c.default if names is None else c.name in names)]
        total = jnp.zeros(())
        for c in chosen:
            total = total + c.log_likelihood(obs, smooth=smooth, width=width)
        return total
