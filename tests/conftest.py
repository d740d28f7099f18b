"""Shared test set-up: float64 on, CPU only, fast mode for notebooks and fits."""

import os

os.environ.setdefault("JAX_PLATFORMS", "cpu")
os.environ.setdefault("JAXG2_FAST", "1")

import jaxg2  # noqa: E402,F401  (switches on float64)
