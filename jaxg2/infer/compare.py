"""Model comparison: Bayes factors of several configs against a reference config.

    ln B_i = log Z_i − log Z_ref,   σ(ln B_i) = √(σ_i² + σ_ref²)

(the nested-sampling errors of the two runs are independent).  The wording is
Jeffreys' scale (H. Jeffreys, *Theory of Probability*, 3rd ed. 1961, App. B), in
half-units of log10 B: 0–½ "barely worth mentioning", ½–1 "substantial", 1–1½
"strong", 1½–2 "very strong", > 2 "decisive"; negative values grade the evidence
for the reference in the same steps.

The Standard-Model reference (Δa_μ^NP = 0) is a config like ``fits/sm_2021.toml``:
``model = "models/standard_model.py:MODEL"``, a model whose only parameter does not
enter its observables and whose Δa_μ^NP is 0.  Its evidence is then exactly
log N(0 | Δa_μ^exp, σ) of the scenario (no constraints: the SM satisfies every limit on
new physics), and every Bayes factor against it (on the same data: below) is the odds that the new physics,
with its priors and constraints, explains the anomaly better than no new physics.
Compare configs of the *same* scenario only: the Δa_μ likelihoods of different
scenarios are different data.

**Same data on both sides.**  A config's constraints include measurements (Δa_e, N_eff,
trident and CEvNS cross-section ratios, Borexino rates: ``gaussian`` constraints), whose
normalised likelihoods enter its evidence; the SM reference config has none of them.
Each evidence is therefore put on the SM's footing before the difference is taken:

    ln B_i = (log Z_i − s_i) − (log Z_ref − s_ref),

s the Σ ln L of the config's own measurements at their SM values
(:func:`~jaxg2.infer.evidence.sm_measurement_log_likelihood`, ``evidence.json``'s
``sm_measurement_log_likelihood``).  With the SM as reference this is exactly
Z_i / Z_SM on config i's data (the SM scores s_i on the measurements); between two
configs with the same measurement list s cancels.  Between models with different lists
it assumes each model predicts the SM value for the measurements it does not include.
A measurement without an SM value makes the comparison an error.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..config import ConfigError
from .evidence import EvidenceResult, evidences

__all__ = ["compare", "jeffreys", "ComparisonResult", "format_table"]

_GRADES = ((0.5, "barely worth mentioning"), (1.0, "substantial"), (1.5, "strong"), (2.0, "very strong"))


def jeffreys(ln_b: float, reference: str = "reference") -> str:
    """Jeffreys' grade of a Bayes factor given as ln B (for the model if ln B > 0,
    for ``reference`` if ln B < 0)."""
    if not math.isfinite(ln_b):
        return "decisive" + ("" if ln_b > 0 else f", for {reference}")
    lg = abs(ln_b) / math.log(10.0)
    grade = next((text for edge, text in _GRADES if lg < edge), "decisive")
    return grade if ln_b >= 0 else f"{grade}, for {reference}"


@dataclass
class ComparisonResult:
    """Rows of the comparison (reference first) and the printed table."""

    results: list[EvidenceResult]
    reference: EvidenceResult
    rows: list[dict]
    table: str

    def __repr__(self):
        return self.table


def _label(r: EvidenceResult) -> str:
    src = r.config.source
    return src.rsplit("/", 1)[-1].removesuffix(".toml") if src != "<dict>" else f"{r.config.model.name}_{r.config.scenario}"


def format_table(rows: list[dict]) -> str:
    head = f"{'config':30s} {'model':20s} {'scen.':6s} {'log Z':>9s} {'±':>6s} {'ln B':>9s} {'±':>6s}  Jeffreys"
    lines = [head, "-" * len(head)]
    for r in rows:
        ln_b = "   (ref)" if r["reference"] else f"{r['ln_b']:9.2f}"
        err = "" if r["reference"] else f"{r['ln_b_err']:6.2f}"
        lines.append(f"{r['label']:30s} {r['model']:20s} {r['scenario']:6s} {r['log_z']:9.2f} {r['log_z_err']:6.2f} "
                     f"{ln_b:>9s} {err:>6s}  {r['jeffreys']}")
    return "\n".join(lines)


def _sm_score(r: EvidenceResult) -> float:
    """The SM's Σ ln L on the config's measurements (module docstring)."""
    score = r.record.get("sm_measurement_log_likelihood", 0.0)
    if score is None:
        raise ConfigError("constraints", f"{_label(r)}: a measurement constraint has no Standard-Model value "
                          "(null_value), so its Bayes factor against the SM is undefined")
    return score


def compare(configs, reference=None, *, output=None, fast: bool | None = None, progress: bool = True,
            num_live_points: int | None = None, num_slices: int | None = None) -> ComparisonResult:
    """Evidences of ``configs`` and their Bayes factors against a reference.

    ``reference``: a config (default: the first of ``configs``) or a list of configs of
    different scenarios — each config is then compared with the reference of its own
    scenario (e.g. ``[sm_2021, sm_2025]``).  Everything is computed in one
    :func:`~jaxg2.infer.evidence.evidences` call (one compiled program per number of free
    parameters).  Returns the rows (references first) and the table."""
    configs = list(configs)
    if not configs:
        raise ValueError("compare needs at least one config")
    refs = [] if reference is None else (list(reference) if isinstance(reference, (list, tuple)) else [reference])
    results = evidences(refs + configs, output=output, fast=fast, progress=progress,
                        num_live_points=num_live_points, num_slices=num_slices)
    n_ref = max(len(refs), 1)
    by_scenario = {}
    for r in results[:n_ref]:
        if r.config.scenario in by_scenario:
            raise ConfigError("reference", f"two references for scenario {r.config.scenario!r}")
        by_scenario[r.config.scenario] = r
    rows, mixed = [], set()
    for i, r in enumerate(results):
        is_ref = i < n_ref
        ref = by_scenario.get(r.config.scenario) or results[0]
        if ref.config.scenario != r.config.scenario:
            mixed.add(r.config.scenario)
        ln_b = (r.log_z - _sm_score(r)) - (ref.log_z - _sm_score(ref))
        rows.append({"label": _label(r), "model": r.config.model.name, "scenario": r.config.scenario,
                     "log_z": r.log_z, "log_z_err": r.log_z_err, "ln_b": 0.0 if is_ref else ln_b,
                     "ln_b_err": 0.0 if is_ref else math.hypot(r.log_z_err, ref.log_z_err),
                     "reference": is_ref, "jeffreys": "" if is_ref else jeffreys(ln_b, _label(ref)),
                     "sm_measurement_log_likelihood": _sm_score(r)})
    table = format_table(rows)
    scored = [f"{row['label']} {row['sm_measurement_log_likelihood']:.2f}" for row in rows
              if row["sm_measurement_log_likelihood"]]
    if scored:
        table += ("\nln B = (log Z − s) − (log Z_ref − s_ref), s = the SM's Σ ln L on the config's measurements "
                  "(Δa_e, N_eff, ...): " + ", ".join(scored))
    if mixed:
        table += ("\nnote: configs of scenario(s) " + ", ".join(sorted(mixed)) + " are compared with a reference of "
                  "another scenario; Bayes factors are meaningful within one scenario (give one reference each)")
    return ComparisonResult(results=results, reference=results[0], rows=rows, table=table)
