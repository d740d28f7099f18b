r"""A muonphilic CP-even scalar φ: L ⊃ −y φ μ̄μ, mass m_φ (an example of a model file).

Δa_μ is the one-loop neutral-scalar diagram with the muon itself in the loop,
:func:`jaxg2.loops.g2_neutral_scalar` with C_S = y, C_P = 0 (Jegerlehner–Nyffeler 2009,
sec. 7).  Limits: 3y²/(16π²) for m_φ ≪ m_μ, y² m_μ²/(4π² m_φ²)[ln(m_φ/m_μ) − 7/12] for
m_φ ≫ m_μ.  The only constraint is perturbativity, y² < 4π (theory); experimental
searches for muonphilic scalars are not in the registry (gap: no source at hand).

Use it from a config with ``model = "models/leptophilic_scalar.py:MODEL"``
(``fits/leptophilic_scalar_2021.toml``).

Sampling along Δa_μ.  The posterior in (ln y, ln m_φ) is a bent band (y ≈ const below
m_μ, y ∝ m_φ above), which NUTS crosses slowly.  Δa_μ is exactly ∝ y² at one loop,
Δa_μ = y² A(m_φ) with A = Δa_μ at y = 1, so the parameter ``a_loop`` (the φ loop's
Δa_μ) with ``y = { prior = "derived", rule = "from_a_loop" }`` gives y = √(a_loop/A(m_φ)):
the band becomes a straight strip.  ln y = (ln a_loop − ln A)/2, so a log-uniform prior on
a_loop over 2k decades is a log-uniform prior on y over k decades (constant density in
(ln y, ln m_φ)); only the box's edges differ.  ``a_loop`` is fixed (and unused) when y is
sampled.
"""

import math

import jax.numpy as jnp

from jaxg2 import loops
from jaxg2.constants import M_MU
from jaxg2.models.base import Constraint, Model, Parameter, Prior


def observables(t):
    y, m = jnp.asarray(t["y"]), jnp.asarray(t["m_phi"])
    return {"delta_a_mu": loops.g2_neutral_scalar(M_MU, M_MU, m, y, 0.0),
            "y_sq": y * y}


def _y_from_a_loop(t):
    """y with Δa_μ(y, m_φ) = a_loop: √(a_loop / Δa_μ(1, m_φ)) (Δa_μ ∝ y² exactly)."""
    unit = loops.g2_neutral_scalar(M_MU, M_MU, jnp.asarray(t["m_phi"]), 1.0, 0.0)
    return jnp.sqrt(jnp.asarray(t["a_loop"]) / unit)


MODEL = Model(
    name="leptophilic_scalar",
    description="CP-even scalar coupled to muons only",
    reference="Jegerlehner & Nyffeler, Phys. Rept. 477 (2009) 1, sec. 7",
    parameters=(Parameter("y", "1", "y_\\mu", Prior.log_uniform(1e-4, 1.0), physical_range=(0.0, math.inf)),
                Parameter("m_phi", "GeV", "m_\\phi", Prior.log_uniform(1e-3, 10.0), physical_range=(0.0, math.inf)),
                Parameter("a_loop", "1", "a_\\mathrm{loop}", Prior.fixed(2.51e-9), physical_range=(0.0, math.inf),
                          description="the φ loop's Δa_μ; sets y with rule from_a_loop (module docstring)")),
    observables=observables,
    units={"delta_a_mu": "1", "y_sq": "1"},
    constraints=(Constraint("perturbativity", "y_sq", "upper", limit=4 * math.pi, note="y^2 < 4 pi"),),
    benchmarks={"BP1": {"y": 5e-4, "m_phi": 0.1, "a_loop": 2.51e-9}},
    derived={"y:from_a_loop": _y_from_a_loop},
)
