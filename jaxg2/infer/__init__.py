"""Inference engines: NUTS fits, gradient benchmark-point search, vectorised scans.

Public API (mirrors the ``jaxg2`` command)::

    jaxg2.fit(config, *, output=None, resume=False, fast=None, progress=True) -> FitResult
    jaxg2.search(config, *, fast=None) -> SearchResult
    jaxg2.scan(config, *, fast=None) -> ScanResult
    jaxg2.evidence(config, *, output=None, fast=None) -> EvidenceResult
    jaxg2.compare(configs, reference=None, *, fast=None) -> ComparisonResult

``config`` is a TOML path or a dict in the format of :mod:`jaxg2.config`.
Modules: ``problem`` (the NumPyro model and its pure functions), ``nuts``
(checkpointed, resumable, multi-device NUTS), ``fit`` (outputs, diagnostics),
``search`` (optax multi-start), ``scan`` (chunked, sharded grids), ``devices``,
``evidence`` (nested sampling with jaxns), ``compare`` (Bayes factors).
"""

from .compare import ComparisonResult, compare
from .evidence import EvidenceResult, evidence
from .fit import FitResult, SamplingWarning, fit
from .nuts import ResumeError
from .problem import Problem
from .scan import ScanResult, load_scan, scan
from .search import SearchResult, search

__all__ = ["fit", "search", "scan", "FitResult", "SearchResult", "ScanResult", "Problem",
           "ResumeError", "SamplingWarning", "load_scan", "evidence", "compare", "EvidenceResult",
           "ComparisonResult"]
