"""The model contract: priors validate, constraints read the registry correctly."""

import math

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from jaxg2 import experiments, models
from jaxg2.models.base import Constraint, Model, Parameter, Prior


@pytest.mark.parametrize("bad, msg", [
    (lambda: Prior.uniform(2, 1), "low < high"),
    (lambda: Prior.log_uniform(0, 1), "low > 0"),
    (lambda: Prior("cauchy"), "unknown prior kind"),
    (lambda: Prior.normal(0, -1), "scale > 0"),
    (lambda: Constraint("c", "x", "upper"), "registry entry or a theoretical limit"),
    (lambda: Constraint("c", "x", "curve", entry="na64_2023_invisible_dark_photon"), "mass observable"),
    (lambda: Constraint("c", "x", "box", entry="e"), "unknown kind"),
])
def test_invalid_contract_pieces_are_rejected(bad, msg):
    with pytest.raises(ValueError, match=msg):
        bad()


def _toy():
    def observables(t):
        return {"delta_a_mu": t["a"] * 1e-9, "br": t["a"] * 1e-13, "eps": t["a"] * 1e-5,
                "m": t["m"], "nu": t["a"] * 1e-11}

    cons = (
        Constraint("meg", "br", "upper", entry="meg2_2024_mu_e_gamma"),
        Constraint("na64", "eps", "curve", entry="na64_2023_invisible_dark_photon", mass="m"),
        Constraint("band", "nu", "interval", entry="xenon1t_2020_mu_nu_band", default=False),
        Constraint("pert", "eps", "upper", limit=1e-4, absolute=True, note="toy theory bound"),
    )
    params = (Parameter("a", "1", "a", Prior.uniform(0, 5)),
              Parameter("m", "GeV", "m", Prior.log_uniform(1e-3, 1)))
    return Model("toy", "toy", "none", params, observables, {"delta_a_mu": "1"}, cons,
                 benchmarks={"BP": {"a": 2.0, "m": 0.01}})


def test_constraints_against_registry_values():
    model = _toy()
    meg = experiments.get("meg2_2024_mu_e_gamma").limit
    na64 = float(experiments.curve("na64_2023_invisible_dark_photon")(0.01))
    # a = 3: BR = 3e-13 < 3.1e-13 allowed; ε = 3e-5 vs the NA64 limit at 10 MeV
    obs = model.observables({"a": 3.0, "m": 0.01})
    assert float(model.constraint("meg").log_likelihood(obs)) == 0.0
    assert (float(model.constraint("na64").log_likelihood(obs)) == 0.0) == (3e-5 <= na64)
    obs = model.observables({"a": 4.0, "m": 0.01})
    assert (4e-13 > meg) and float(model.constraint("meg").log_likelihood(obs)) == -math.inf
    assert float(model.constraint("meg").log_likelihood(obs, smooth=True)) < -0.5
    band = model.constraint("band")
    assert bool(band.satisfied(model.observables({"a": 2.0, "m": 0.01})))
    assert not bool(band.satisfied(model.observables({"a": 4.0, "m": 0.01})))
    # default constraints exclude the non-default band
    total = model.log_constraints(model.observables({"a": 0.5, "m": 0.01}))
    assert float(total) == 0.0


def test_constraint_sum_is_differentiable_in_smooth_form():
    model = _toy()
    f = lambda a: model.log_constraints(model.observables({"a": a, "m": 0.01}), smooth=True)  # noqa: E731
    g = jax.vmap(jax.grad(f))(jnp.linspace(0.1, 10.0, 9))
    assert bool(jnp.all(jnp.isfinite(g)))


def test_benchmarks_and_lookup_errors():
    model = _toy()
    assert float(model.benchmark("BP")["a"]) == 2.0
    with pytest.raises(KeyError, match="no benchmark"):
        model.benchmark("BP9")
    with pytest.raises(KeyError, match="no parameter 'b'"):
        model.parameter("b")
    with pytest.raises(ValueError, match="lacks"):
        Model("bad", "", "", model.parameters, model.observables, {}, benchmarks={"X": {"a": 1.0}})


def test_registry_lists_only_installed_models():
    names = models.available()
    for name in names:
        assert name in models._REGISTRY
    with pytest.raises(KeyError, match="unknown model"):
        models.get("no_such_model")
    np.testing.assert_equal(sorted(names), names)


def test_invalid_observables_flags_rules_and_branching_ratios_above_one():
    import jax.numpy as jnp

    from jaxg2.models.base import Validity, invalid_observables

    m = Model(name="v", description="v", reference="v",
              parameters=(Parameter("y", "1", "y", Prior.uniform(0.0, 10.0)),),
              observables=lambda th: {"delta_a_mu": th["y"] ** 2, "br_x": th["y"] / 2},
              units={"delta_a_mu": "1", "br_x": "1"},
              validity=(Validity(("delta_a_mu",), lambda obs, th: th["y"] <= 3.0, "y above 3"),))
    ok = {"y": jnp.asarray(1.0)}
    assert invalid_observables(m, m.observables(ok), ok) == {}
    bad = {"y": jnp.asarray(4.0)}
    flags = invalid_observables(m, m.observables(bad), bad)
    assert flags["delta_a_mu"] == "y above 3" and "branching ratio above 1" in flags["br_x"]


def test_gaussian_with_null_value_compares_with_the_sm_agreement():
    import jax.numpy as jnp

    from jaxg2 import experiments

    e = experiments.get("delta_a_e_rb")                    # a measurement that deviates from 0 by ~2σ
    c = Constraint("ae", "x", "gaussian", entry="delta_a_e_rb", null_value=0.0)
    plain = Constraint("ae_plain", "x", "gaussian", entry="delta_a_e_rb")
    at = lambda v: {"x": jnp.asarray(v)}                    # noqa: E731
    assert bool(c.satisfied(at(0.0)))                       # the SM itself is never excluded
    assert bool(plain.satisfied(at(0.0))) == (abs(e.value) <= 2 * e.sigma)
    # Δχ² = pull² − pull_SM² ≤ 4: the edge solves (x − μ)² − μ² = 4σ², x = μ − √(μ² + 4σ²) < 0
    edge = e.value - (e.value**2 + 4 * e.sigma**2) ** 0.5
    assert bool(c.satisfied(at(edge * 0.99))) and not bool(c.satisfied(at(edge * 1.01)))


def test_every_library_measurement_states_its_sm_value():
    from jaxg2.constraints import all_families

    for f in all_families():
        for c in f.constraints:
            if c.kind == "gaussian":
                assert c.null_value is not None, (f.name, c.name)
