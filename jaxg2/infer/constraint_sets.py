"""Two constraint sets on one grid: today's constraints next to a paper's.

:func:`scan_constraint_sets` loads a config and its paper-reproduction twin (same model
and scan grid, e.g. ``fits/lmu_ltau_2021.toml`` and ``fits/lmu_ltau_2021_paper.toml``),
runs ONE scan with the union of their constraints (every observable is computed once)
and returns it with the two name lists, for
``jaxg2.plots.scan_map(result, constraints=today, overlay_constraints=paper)``.
"""

from __future__ import annotations

from .. import config as config_mod

__all__ = ["scan_constraint_sets"]


def scan_constraint_sets(config, paper_config, *, fast: bool | None = None, output=None):
    """(scan result, today's constraint names, the paper config's constraint names)."""
    from .scan import scan

    today = config_mod.load(config, fast=fast)
    paper = config_mod.load(paper_config, fast=fast)
    if today.model.name != paper.model.name:
        raise config_mod.ConfigError("fit.model", f"{today.model.name!r} vs {paper.model.name!r}: "
                                                  "the two configs must describe the same model")
    raw = dict(today.raw)
    raw["fit"] = {**raw["fit"], "model": today.model}
    raw["constraints"] = {**raw.get("constraints", {}),
                          "use": list(dict.fromkeys(today.constraints + paper.constraints))}
    for k in ("add", "drop"):
        raw["constraints"].pop(k, None)
    result = scan(raw, fast=fast, output=output, write=False)
    return result, list(today.constraints), list(paper.constraints)
