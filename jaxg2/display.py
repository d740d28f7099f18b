"""Display units: small numbers in the units physicists quote.

Internally every observable is a plain float64 in its natural unit (Δa dimensionless,
moments in μ_B).  For people, Δa_ℓ is quoted in units of 10⁻¹¹ and neutrino magnetic
moments in 10⁻¹¹ μ_B (the units of the g-2 White Paper and of the ν-moment limits);
:func:`display_scale` returns the factor and label that ``jaxg2 show``, fit summaries and
plots use.  Everything else is shown as it is (σ/m is already in cm²/g).
"""

from __future__ import annotations

__all__ = ["display_scale", "display_value", "display_table"]


def display_scale(name: str, unit: str) -> tuple[float, str]:
    """(factor, unit label): multiply the value by ``factor`` to show it in ``label``.
    ``name`` may carry the ``obs_`` prefix a posterior site gets when an observable
    shares a parameter's name."""
    name = name[len("obs_"):] if name.startswith("obs_") else name
    if name.startswith("delta_a_") and unit == "1":
        return 1e11, "1e-11"
    if unit == "mu_B":
        return 1e11, "1e-11 mu_B"
    return 1.0, unit


def display_value(name: str, unit: str, value) -> tuple[float, str]:
    """``value`` scaled to its display unit, and that unit's label."""
    factor, label = display_scale(name, unit)
    return value * factor, label


# summary columns that are not in the variable's unit (counts and ratios)
_UNITLESS_COLUMNS = ("ess_bulk", "ess_tail", "r_hat", "unit")


def display_table(table):
    """A copy of a summary table (a DataFrame indexed by variable name with a ``unit``
    column, as :func:`jaxg2.infer.fit.fit` writes) with every value column (mean, sd, HDI,
    MCSE) in the display unit of its row and the ``unit`` column relabelled."""
    out = table.copy()
    cols = [c for c in out.columns if c not in _UNITLESS_COLUMNS]
    for name in out.index:
        factor, label = display_scale(str(name), str(out.at[name, "unit"]))
        if factor != 1.0:
            out.loc[name, cols] = out.loc[name, cols].astype(float) * factor
        out.at[name, "unit"] = label
    return out
