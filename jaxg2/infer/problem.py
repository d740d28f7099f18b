"""The inference problem of one config: a NumPyro model and the pure functions around it.

:class:`Problem` turns a validated :class:`~jaxg2.config.Config` into

* ``numpyro_model(overrides=None)`` — priors, the Gaussian Δa_μ likelihood and the
  constraint likelihoods, every parameter and observable recorded as a deterministic
  site.  Priors by kind (site name in brackets):

  ======================  ==========================================================
  ``uniform(a, b)``       ``name ~ Uniform(a, b)``
  ``log_uniform(a, b)``   ``log10_name ~ Uniform(log10 a, log10 b)``; ``name = 10**log10_name``
  ``normal(μ, σ)``        ``name ~ Normal(μ, σ)``
  ``fixed(v)``            no site; the value enters ``theta``
  ``derived``             ``name = model.derived[name](theta)`` (or ``[name:rule]``; deterministic site)
  ======================  ==========================================================

  Likelihood: ``log L = log N(obs[model.signal] | Δa_μ, σ)`` of the registry entry
  ``delta_a_mu_<scenario>`` plus ``Σ_c c.log_likelihood(obs, smooth, width)`` over the
  chosen constraints (hard: 0 / −inf; smooth: see :mod:`jaxg2.likelihood`).  A NaN
  log-likelihood (an observable undefined at that point) counts as −inf.
  ``overrides`` (param → value) replaces parameters by given values (no site): scans
  use it to pin the axis parameters while the others are profiled.

* ``potential(u, overrides=None)`` — −log joint in NumPyro's unconstrained space (the
  NUTS potential); pure, jit/vmap/grad-safe.
* ``neg_log_posterior(u, overrides=None)`` — the same without the Jacobian (the
  search and profile objective).
* ``constrain(u, overrides=None)`` — every site value (sampled + deterministic).
* ``evaluate(theta)`` — observables, per-constraint allowed masks and the Δa_μ pull
  at fully specified parameter values (no sampling machinery).
"""

from __future__ import annotations

import math
from typing import Mapping

import jax
import jax.numpy as jnp
import numpyro
import numpyro.distributions as dist
from numpyro.distributions.transforms import biject_to
from numpyro.infer.util import constrain_fn, potential_energy

from .. import experiments, likelihood

try:  # JAX's jaxpr dead-code elimination: internal API (no public one in jax 0.10), so
    # likelihood_observables falls back to the full observables without it (tested)
    from jax._src.interpreters.partial_eval import dce_jaxpr as _dce_jaxpr
except ImportError:
    _dce_jaxpr = None

from ..config import Config

__all__ = ["Problem"]


# potentials with more jaxpr equations than this (forward, sub-jaxprs included) are
# compiled separately on a single CPU (``model_program = "auto"``): measured 2026-11-30,
# lmu_ltau_sidm 18606, scotogenic_u1d 13397, dark_inverse_seesaw 11625, dark_tmm 10620
# (separate); lmu_ltau 6889, su2h 4046, leptophilic 2271 (inline: a host call per
# evaluation would cost a noticeable part of their 0.1–0.5 ms value-and-gradient)
SEPARATE_MODEL_EQUATIONS = 10_000


def single_cpu_process() -> bool:
    """One process on one CPU device: where a big model pays as a separately compiled
    program behind a host call (on an accelerator every call would copy to the host; with
    several devices or processes a process's share of chains would pad)."""
    return jax.default_backend() == "cpu" and jax.local_device_count() == 1 and jax.process_count() == 1


def _equations(jaxpr) -> int:
    """Number of equations of ``jaxpr``, those of its sub-jaxprs (jit, loops, conds) included."""
    n = 0
    for eqn in jaxpr.eqns:
        n += 1
        for param in eqn.params.values():
            for sub in param if isinstance(param, (list, tuple)) else (param,):
                inner = getattr(sub, "jaxpr", sub)
                if hasattr(inner, "eqns"):
                    n += _equations(inner)
    return n


def _abstract_mesh():
    """The current abstract mesh (hashable), or None where JAX has no such public function."""
    get = getattr(jax.sharding, "get_abstract_mesh", None)
    return None if get is None else get()


class Problem:
    """Everything the engines need from one config (see module docstring)."""

    def __init__(self, cfg: Config, *, smooth: bool | None = None):
        self.cfg = cfg
        self.model = cfg.model
        self.smooth = cfg.smooth if smooth is None else smooth
        self.width = cfg.width
        self.constraints = tuple(self.model.constraint(n) for n in cfg.constraints)
        self.entry = experiments.get(cfg.scenario_entry)
        self.free = cfg.free
        self.fixed = {n: p.value for n, p in cfg.priors.items() if p.kind == "fixed"}
        self.derived = cfg.derived
        # the traced model, its pruned observables and the jitted potentials, kept on the
        # config: every Problem of it (the optimiser's smooth one, the sampler's, the
        # search's hard one) shares them instead of tracing the model again
        self._traced_models = vars(cfg).setdefault("_traced_models", {})
        self._dce_cache = vars(cfg).setdefault("_pruned_observables", {})
        self._potentials = vars(cfg).setdefault("_potentials", {})
        # observable key -> deterministic site name (prefixed only on a clash)
        taken = set(self.model.parameter_names) | {self.site(n) for n in self.free}
        self.obs_site = {k: (f"obs_{k}" if k in taken else k) for k in self.model.units}

    # ------------------------------------------------------------------ sites
    def site(self, name: str) -> str:
        """Sample-site name of a free parameter (``log10_<name>`` for log-uniform priors)."""
        return f"log10_{name}" if self.cfg.priors[name].kind == "log_uniform" else name

    def site_distribution(self, name: str) -> dist.Distribution:
        p = self.cfg.priors[name]
        if p.kind == "uniform":
            return dist.Uniform(p.low, p.high)
        if p.kind == "log_uniform":
            return dist.Uniform(math.log10(p.low), math.log10(p.high))
        if p.kind == "normal":
            return dist.Normal(p.loc, p.scale)
        raise ValueError(f"parameter {name!r} has a {p.kind} prior; it has no sample site")

    @property
    def sites(self) -> tuple[str, ...]:
        return tuple(self.site(n) for n in self.free)

    def site_label(self, site: str) -> tuple[str, str]:
        """(LaTeX label, unit) of a sample site or parameter."""
        name = site[len("log10_"):] if site.startswith("log10_") and site not in self.model.parameter_names else site
        if name in self.model.parameter_names:
            par = self.model.parameter(name)
            if name != site:
                return rf"\log_{{10}}({par.latex}/\mathrm{{{par.unit}}})" if par.unit != "1" else rf"\log_{{10}} {par.latex}", "1"
            return par.latex, par.unit
        key = next((k for k, s in self.obs_site.items() if s == site), site)
        return key.replace("_", r"\_"), self.model.units.get(key, "")

    # ------------------------------------------------------------- the model
    def theta(self, values: Mapping[str, jnp.ndarray]) -> dict[str, jnp.ndarray]:
        """Complete parameter dict from the free parameters' values (fixed and derived added)."""
        theta = {n: jnp.asarray(v, dtype=jnp.float64) for n, v in self.fixed.items()}
        theta.update({n: jnp.asarray(v, dtype=jnp.float64) for n, v in values.items()})
        shape = jnp.broadcast_shapes(*(jnp.shape(v) for v in theta.values()))
        theta = {n: jnp.broadcast_to(v, shape) for n, v in theta.items()}
        for n in self.derived:
            theta[n] = self.model.derived[self.cfg.derived_rules.get(n, n)](theta)
        return {n: theta[n] for n in self.model.parameter_names}

    def log_likelihood_terms(self, obs, *, smooth=None):
        """{"delta_a_mu": ..., "<constraint>": ...} log-likelihood pieces at ``obs``."""
        smooth = self.smooth if smooth is None else smooth
        terms = {"delta_a_mu": likelihood.gaussian(obs[self.model.signal], self.entry.value, self.entry.sigma)}
        for c in self.constraints:
            terms[c.name] = c.log_likelihood(obs, smooth=smooth, width=self.width)
        return {k: jnp.where(jnp.isnan(v), -jnp.inf, v) for k, v in terms.items()}

    @property
    def likelihood_keys(self) -> tuple[str, ...]:
        """The observables the likelihood reads (signal, constrained observables, curve masses)."""
        keys = [self.model.signal] + [c.observable for c in self.constraints]
        keys += [c.mass for c in self.constraints if c.mass is not None]
        return tuple(sorted(set(keys)))

    def likelihood_observables(self, theta: Mapping[str, jnp.ndarray], keys=None) -> dict[str, jnp.ndarray]:
        """Only the observables the likelihood needs (or ``keys``), as float64, with the rest
        pruned from the graph (see :meth:`observables`)."""
        keys = self.likelihood_keys if keys is None else tuple(keys)
        obs = self.observables(theta, keys)
        return {k: jnp.asarray(obs[k], dtype=jnp.float64) for k in keys}

    def observables(self, theta: Mapping[str, jnp.ndarray], keys=None) -> dict[str, jnp.ndarray]:
        """``model.observables(theta)``, restricted to ``keys`` (all when None).

        The model is traced once per config and argument shapes, and the equations that do
        not feed ``keys`` are removed (``dce_jaxpr``): the sampler's potential — compiled
        into the NUTS, optimiser and init programs — is as small as its likelihood allows
        (for lmu_ltau it halves the compile time), and the optimiser, the sampler and the
        final evaluation of every observable on the draws share one trace.  Values are
        identical to ``model.observables(theta)[k]``.  Without the (internal) DCE pass —
        missing, or with another signature — ``model.observables`` is evaluated instead:
        same values, only larger programs traced more often.
        """
        names = tuple(sorted(theta))
        leaves = [jnp.asarray(theta[n]) for n in names]
        # the trace carries the sharding context (a shard_map's manual axes): part of the key
        spec = (names, tuple((v.shape, v.dtype) for v in leaves), _abstract_mesh())
        if spec not in self._traced_models:
            self._traced_models[spec] = self._traced(names, leaves)
        traced = self._traced_models[spec]
        pkey = (spec, None if keys is None else tuple(keys))
        if pkey not in self._dce_cache:
            self._dce_cache[pkey] = None if traced is None else self._pruned(traced, keys)
        if self._dce_cache[pkey] is None:
            obs = self.model.observables(theta)
            return dict(obs) if keys is None else {k: obs[k] for k in keys}
        jaxpr, consts, out_keys = self._dce_cache[pkey]
        return dict(zip(out_keys, jax.core.eval_jaxpr(jaxpr, consts, *leaves)))

    def _traced(self, names, leaves):
        """(closed jaxpr, output keys) of every observable of the model, or None without DCE."""
        if _dce_jaxpr is None:
            return None
        out_keys = []

        def f(*xs):
            obs = self.model.observables(dict(zip(names, xs)))
            out_keys[:] = sorted(obs)
            return [jnp.asarray(obs[k]) for k in out_keys]

        closed = jax.make_jaxpr(f)(*[jax.ShapeDtypeStruct(v.shape, v.dtype) for v in leaves])
        return closed, tuple(out_keys)

    @staticmethod
    def _pruned(traced, keys):
        """(jaxpr, consts, output keys) of the observables ``keys`` with dead code removed, or None."""
        closed, all_keys = traced
        used = [keys is None or k in keys for k in all_keys]
        try:
            jaxpr, _ = _dce_jaxpr(closed.jaxpr, used, instantiate=True)
        except (TypeError, ValueError):  # the internal signature or return value changed
            return None
        if len(getattr(jaxpr, "outvars", ())) != sum(used):
            return None
        return jaxpr, closed.consts, tuple(k for k, u in zip(all_keys, used) if u)

    def numpyro_model(self, overrides: Mapping[str, jnp.ndarray] | None = None, record: bool = True):
        """The NumPyro model (see module docstring).  ``record=False`` — used while
        sampling and optimising — computes only the observables the likelihood needs and
        records none; ``record=True`` records every parameter and observable."""
        overrides = overrides or {}
        values = {}
        for n in self.free:
            if n in overrides:
                values[n] = overrides[n]
                continue
            v = numpyro.sample(self.site(n), self.site_distribution(n))
            values[n] = 10.0 ** v if self.cfg.priors[n].kind == "log_uniform" else v
        for n, v in overrides.items():
            values[n] = v
        theta = self.theta(values)
        if not record:
            obs = self.likelihood_observables(theta)
        else:
            for n in self.model.parameter_names:
                if n not in self.free or self.site(n) != n or n in overrides:
                    numpyro.deterministic(n, theta[n])
            obs = self.observables(theta)
            for k, v in obs.items():
                numpyro.deterministic(self.obs_site[k], v)
        for k, v in self.log_likelihood_terms(obs).items():
            numpyro.factor(f"loglike_{k}", v)

    def potential(self, u, overrides=None):
        """−log p(u) (posterior in unconstrained space, with Jacobians), NUTS's potential.

        One ``jax.jit`` function per (config, smooth), shared by every Problem of the
        config: the optimiser, the NUTS initialisation and the NUTS chunk each call it, and
        JAX traces it (and caches its derivative and batched forms) once instead of in
        every program — tracing a model costs seconds.  For a big model
        (:attr:`separate_model`) those programs call one separately compiled
        value-and-gradient instead of each compiling the model
        (:func:`jaxg2.compilation.separate_value_and_grad`)."""
        if overrides is None and self.separate_model:
            return self._separate_potential()(u)
        return self._inline_potential()(u, overrides)

    def _inline_potential(self):
        if self.smooth not in self._potentials:
            self._potentials[self.smooth] = jax.jit(
                lambda u, ov: potential_energy(self.numpyro_model, (), {"overrides": ov, "record": False}, u))
        return self._potentials[self.smooth]

    def _separate_potential(self):
        key = ("separate", self.smooth)
        if key not in self._potentials:
            from ..compilation import separate_value_and_grad

            inline = self._inline_potential()
            # one call per NUTS step evaluates the vectorised chains together
            self._potentials[key] = separate_value_and_grad(lambda u: inline(u, None), self._site_shapes(),
                                                            batch=self.cfg.sampler["num_chains"])
        return self._potentials[key]

    def _site_shapes(self) -> dict:
        """The sites' unconstrained shapes and dtypes, unbatched."""
        draws = jax.eval_shape(lambda k: self.prior_draws(k, 1), jax.random.PRNGKey(0))
        return {k: jax.ShapeDtypeStruct(v.shape[1:], v.dtype) for k, v in draws.items()}

    @property
    def separate_model(self) -> bool:
        """Whether the potential is compiled as a program of its own and called from the
        samplers' and optimisers' programs (``[sampler] model_program``): "separate",
        "inline", or "auto" (default) — separate on a single CPU device (one process) when the model's
        potential has more than :data:`SEPARATE_MODEL_EQUATIONS` jaxpr equations.  Then
        the model is compiled once instead of once per program (lmu_ltau_sidm ``--fast``:
        see the README), at the price of a host call per evaluation of the vectorised
        chains (~0.12 ms, against milliseconds for such a model)."""
        key = ("model_program", self.smooth)
        if key not in self._potentials:
            mode = self.cfg.sampler["model_program"]
            if mode == "auto":
                self._potentials[key] = single_cpu_process() and _equations(
                    jax.make_jaxpr(lambda u: self._inline_potential()(u, None))(self._site_shapes()).jaxpr
                ) > SEPARATE_MODEL_EQUATIONS
            else:
                self._potentials[key] = mode == "separate"
        return self._potentials[key]

    def wait_compiled(self):
        """Block until the separately compiled model (if any) is compiled: counted as
        compile time by :class:`jaxg2.compilation.CompileClock` (a wait inside the host
        call would count as running time)."""
        key = ("separate", self.smooth)
        if key in self._potentials:
            self._potentials[key].wait()

    def log_jacobian(self, u, overrides=None):
        """log |det ∂x/∂u| of the map from unconstrained ``u`` to the sites x as sampled:
        ``potential = neg_log_posterior − log_jacobian``."""
        ldj = jnp.zeros(())
        for n in self.free:
            if overrides is not None and n in overrides:
                continue
            site = self.site(n)
            t = biject_to(self.site_distribution(n).support)
            ldj = ldj + jnp.sum(t.log_abs_det_jacobian(u[site], t(u[site])))
        return ldj

    def neg_log_posterior(self, u, overrides=None):
        """−log p(x(u)): the posterior density in the *prior's own* coordinates (sites as
        sampled, e.g. log10 m), i.e. the potential without the Jacobian of the map u → x.
        The optimisers' objective: flat directions stay flat instead of being pulled to
        the centre of the prior box by the Jacobian."""
        return self.potential(u, overrides) + self.log_jacobian(u, overrides)

    def free_values(self, u) -> dict[str, jnp.ndarray]:
        """Free-parameter values (physical, e.g. m not log10 m) at unconstrained site values ``u``."""
        out = {}
        for n in self.free:
            x = biject_to(self.site_distribution(n).support)(u[self.site(n)])
            out[n] = 10.0 ** x if self.cfg.priors[n].kind == "log_uniform" else x
        return out

    def constrain(self, u, overrides=None) -> dict:
        """Constrained values of every site (parameters and observables) at ``u``."""
        return constrain_fn(self.numpyro_model, (), {"overrides": overrides}, u, return_deterministic=True)

    def prior_draws(self, key, n: int, names=None) -> dict[str, jnp.ndarray]:
        """``n`` prior draws of the free parameters' sites, in unconstrained space."""
        names = self.free if names is None else names
        out = {}
        for k, name in zip(jax.random.split(key, max(len(names), 1)), names):
            d = self.site_distribution(name)
            out[self.site(name)] = biject_to(d.support).inv(d.sample(k, (n,)))
        return out

    def box_coordinates(self, theta: Mapping[str, jnp.ndarray]) -> jnp.ndarray:
        """Free parameters mapped to prior-box units (log for log-uniform; σ/4 for normal), last axis."""
        cols = []
        for n in self.free:
            p, x = self.cfg.priors[n], jnp.asarray(theta[n])
            if p.kind == "uniform":
                cols.append((x - p.low) / (p.high - p.low))
            elif p.kind == "log_uniform":
                cols.append(jnp.log(x / p.low) / math.log(p.high / p.low))
            else:
                cols.append((x - p.loc) / (4.0 * p.scale))
        return jnp.stack(cols, axis=-1)

    # ---------------------------------------------------------- evaluation
    def evaluate(self, theta: Mapping[str, jnp.ndarray]) -> dict:
        """Observables, per-constraint allowed masks (hard) and the Δa_μ pull at ``theta``.

        Returns ``{"observables": {...}, "allowed": {constraint: bool}, "pull": (Δa − Δa_exp)/σ,
        "log_likelihood": total (hard or smooth as the problem)}``.
        """
        obs = self.model.observables(theta)
        allowed = {c.name: c.satisfied(obs) for c in self.constraints}
        pull = (obs[self.model.signal] - self.entry.value) / self.entry.sigma
        total = sum(self.log_likelihood_terms(obs).values())
        return {"observables": obs, "allowed": allowed, "pull": pull, "log_likelihood": total}

    def limits_passed(self, draws: Mapping[str, jnp.ndarray]) -> dict[str, float]:
        """Fraction of ``draws`` (recorded posterior sites, any leading shape) inside each
        limit's hard form, and under ``"all"`` inside every one at once.

        Only limits count (upper, lower, interval, curve); measurements (``gaussian``)
        are likelihoods, not walls.  With ``[constraints] smooth = true`` a limit is a
        penalty of ½ at the limit growing like ½ (ln(x/x_lim)/(w ln 2))² beyond it
        (:mod:`jaxg2.likelihood`), so a model excluded everywhere in its prior box still
        has a posterior: it sits where the violated penalties balance, and no draw is
        inside every limit.  This is the number that tells the two apart."""
        walls, obs = self._walls(draws)
        inside = {c.name: jnp.asarray(c.satisfied(obs), dtype=bool) for c in walls}
        out = {n: float(jnp.mean(m)) for n, m in inside.items()}
        every = True
        for m in inside.values():
            every = every & m
        out["all"] = float(jnp.mean(jnp.asarray(every)))
        return out

    def limits_excess(self, draws: Mapping[str, jnp.ndarray]) -> dict[str, float]:
        """Per limit, the median over ``draws`` of the factor by which it is exceeded
        (:meth:`Constraint.log_excess`; ≤ 1 when the median draw is inside).  With
        :meth:`limits_passed` it ranks limits no draw passes: the fit names the one its
        draws are farthest beyond first."""
        walls, obs = self._walls(draws)
        return {c.name: float(jnp.median(jnp.exp(c.log_excess(obs)))) for c in walls}

    def _walls(self, draws):
        """The limits (every constraint but measurements) and the draws' observables they read."""
        walls = [c for c in self.constraints if c.kind != "gaussian"]
        keys = {c.observable for c in walls} | {c.mass for c in walls if c.mass is not None}
        site = lambda k: self.obs_site[k] if self.obs_site.get(k) in draws else k  # noqa: E731 (else a parameter)
        return walls, {k: jnp.asarray(draws[site(k)], dtype=jnp.float64) for k in keys}

    def record(self) -> dict:
        """Provenance: the registry entries this problem uses (for output attributes)."""
        entries = {self.entry.name: self.entry.provenance()}
        for c in self.constraints:
            if c.entry is not None:
                entries[c.entry] = experiments.get(c.entry).provenance()
            elif c.family != "model":
                entries[f"{c.family}:{c.name}"] = {"limit": c.limit, "source": c.source, "year": c.year,
                                                   "note": c.note}
            else:
                entries[f"theory:{c.name}"] = {"limit": c.limit, "note": c.note}
        return {"registry_version": experiments.registry_version(), "entries": entries}
