"""The constraints-library interface: families attach to models that declare couplings."""

import jax
import jax.numpy as jnp
import pytest

from jaxg2.constraints import base as cbase
from jaxg2.models.base import Constraint, Model, Parameter, Prior


def _toy_family():
    # r = g_mu / 1e-3: a made-up flat limit, only to test the wiring
    return cbase.Family(
        name="toy_flat", requires=("light_vector",),
        observables=lambda c: {"r_toy": c["light_vector"]["mu"] / 1e-3},
        units={"r_toy": "1"},
        constraints=(Constraint("toy", "r_toy", "upper", limit=1.0, family="toy_flat",
                                source="test", year=2026),),
    )


def _toy_model(sections=("light_vector",)):
    return Model(
        name="toy", description="toy", reference="none",
        parameters=(Parameter("g", "1", "g", Prior.log_uniform(1e-5, 1e-1)),),
        observables=lambda th: {"delta_a_mu": th["g"] ** 2},
        units={"delta_a_mu": "1"},
        constraints=(Constraint("own", "delta_a_mu", "upper", limit=1.0, note="toy"),),
        couplings=lambda th, obs: {"light_vector": {"mass": jnp.asarray(0.01), "mu": th["g"]}},
        coupling_sections=sections,
    )


def test_family_attaches_observables_and_constraints(monkeypatch):
    monkeypatch.setattr(cbase, "all_families", lambda: (_toy_family(),))
    m = _toy_model()
    assert [c.name for c in m.constraints] == ["own", "toy"]
    assert m.constraint("toy").family == "toy_flat" and m.constraint("own").family == "model"
    assert m.constraint("toy").provenance() == ("test", 2026)
    obs = m.observables({"g": jnp.asarray(2e-3)})
    assert float(obs["r_toy"]) == pytest.approx(2.0)
    assert float(obs["delta_a_mu"]) == pytest.approx(4e-6)
    assert m.units["r_toy"] == "1"
    # excluded at g = 2e-3 (r = 2), allowed at g = 5e-4
    assert not bool(m.constraint("toy").satisfied(obs))
    assert bool(m.constraint("toy").satisfied(m.observables({"g": jnp.asarray(5e-4)})))
    # jit / vmap / grad through the composed observables
    f = jax.jit(lambda g: m.observables({"g": g})["r_toy"])
    assert jnp.allclose(jax.vmap(f)(jnp.array([1e-3, 2e-3])), jnp.array([1.0, 2.0]))
    assert float(jax.grad(f)(1e-3)) == pytest.approx(1e3)


def test_model_without_sections_gets_nothing(monkeypatch):
    monkeypatch.setattr(cbase, "all_families", lambda: (_toy_family(),))
    m = _toy_model(sections=())
    assert [c.name for c in m.constraints] == ["own"] and m.families == ()


def test_unknown_section_is_refused():
    with pytest.raises(ValueError, match="unknown coupling section"):
        _toy_model(sections=("light_vectr",))


def test_missing_couplings_function_is_refused(monkeypatch):
    monkeypatch.setattr(cbase, "all_families", lambda: ())
    with pytest.raises(ValueError, match="no couplings function"):
        Model(name="x", description="x", reference="x",
              parameters=(Parameter("g", "1", "g", Prior.fixed(1.0)),),
              observables=lambda th: {"delta_a_mu": th["g"]}, units={"delta_a_mu": "1"},
              coupling_sections=("light_vector",))
