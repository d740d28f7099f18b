"""Display units: small numbers in the units physicists quote.

Internally every observable is a plain float64 in its natural unit (Δa dimensionless,
moments in μ_B).  For people, Δa_ℓ is quoted in units of 10⁻¹¹ and neutrino magnetic
moments in 10⁻¹¹ μ_B (the units of the g-2 White Paper and of the ν-moment limits);
:func:`display_scale` returns the factor and label that ``jaxg2 show``, fit summaries and
plots use.  Everything else is shown as it is (σ/m is already in cm²/g).
"""

from __future__ import annotations

__all__ = ["display_scale", "display_value"]


def display_scale(name: str, unit: str) -> tuple[float, str]:
    """(factor, unit label): multiply the value by ``factor`` to show it in ``label``."""
    if name.startswith("delta_a_") and unit == "1":
        return 1e11, "1e-11"
    if unit == "mu_B":
        return 1e11, "1e-11 mu_B"
    return 1.0, unit


def display_value(name: str, unit: str, value) -> tuple[float, str]:
    """``value`` scaled to its display unit, and that unit's label."""
    factor, label = display_scale(name, unit)
    return value * factor, label
