"""Inference engines: MCMC fits (NUTS, ChEES-HMC, MEADS), gradient benchmark-point search, vectorised scans.

Public API (mirrors the ``jaxg2`` command)::

    jaxg2.fit(config, *, output=None, resume=False, fast=None, progress=True) -> FitResult
    jaxg2.search(config, *, fast=None) -> SearchResult
    jaxg2.scan(config, *, fast=None, resume=False, progress=True) -> ScanResult
    jaxg2.evidence(config, *, output=None, fast=None) -> EvidenceResult
    jaxg2.compare(configs, reference=None, *, fast=None) -> ComparisonResult

``config`` is a TOML path or a dict in the format of :mod:`jaxg2.config`.
Modules: ``problem`` (the NumPyro model and its pure functions), ``nuts``
(resumable, multi-device NUTS), ``many_chain`` (blackjax ChEES-HMC and MEADS),
``blocks`` (the checkpointed loop they share), ``fit`` (outputs, diagnostics),
``search`` (optax multi-start), ``scan`` (chunked, sharded, resumable grids), ``devices``,
``distributed`` (several processes with ``jax.distributed``), ``evidence`` (nested
sampling with jaxns), ``compare`` (Bayes factors), ``constraint_sets`` (two constraint sets
on one grid).
"""

from .compare import ComparisonResult, compare
from .constraint_sets import scan_constraint_sets
from .evidence import EvidenceResult, evidence
from .fit import FitResult, SamplingWarning, fit
from .nuts import ResumeError
from .problem import Problem
from .scan import ScanResult, load_scan, scan
from .search import SearchResult, search

__all__ = ["fit", "search", "scan", "scan_constraint_sets", "FitResult", "SearchResult", "ScanResult", "Problem",
           "ResumeError", "SamplingWarning", "load_scan", "evidence", "compare", "EvidenceResult",
           "ComparisonResult"]
