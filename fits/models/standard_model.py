"""The Standard-Model reference for Bayes factors: no new physics, Δa_μ^NP = 0.

A config must sample something, so the model has one parameter ``xi`` that enters
nothing (uniform on [0, 1]).  Its evidence is therefore exactly the Δa_μ likelihood at
zero new physics, Z_SM = N(0 | Δa_μ^exp, σ) of the config's scenario (the prior
integrates to one), and it has no constraints: the SM satisfies every limit on new
particles.  ``jaxg2 compare fits/sm_2021.toml fits/<model>_2021.toml`` grades each
model against it (see :mod:`jaxg2.infer.compare`).
"""

import jax.numpy as jnp

from jaxg2.models.base import Model, Parameter, Prior

MODEL = Model(
    name="standard_model",
    description="SM reference: no new-physics contribution to a_mu",
    reference="-",
    parameters=(Parameter("xi", "1", r"\xi", Prior.uniform(0.0, 1.0),
                          description="placeholder; enters no observable"),),
    observables=lambda t: {"delta_a_mu": jnp.zeros_like(jnp.asarray(t["xi"], dtype=jnp.float64))},
    units={"delta_a_mu": "1"},
)
