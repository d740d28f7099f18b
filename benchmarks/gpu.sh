#!/usr/bin/env bash
# GPU figures: loop and σ_T points/s, the default fit's ESS/s (NUTS; ChEES at 1024 chains),
# scan points/s — printed and written as JSON (see benchmarks/gpu_bench.py).
#
#   benchmarks/gpu.sh [--small] [--json FILE] [--only loop sigma_t fit_nuts fit_chees scan] [--config FILE]
#
# --small (or JAXG2_BENCH_SMALL=1): tiny sizes, a CPU smoke test (the test suite runs it, with a
# light model's --config so that it compiles in seconds).
# PYTHON selects the interpreter (default: python3).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export PYTHONPATH="$root${PYTHONPATH:+:$PYTHONPATH}"
exec "${PYTHON:-python3}" "$root/benchmarks/gpu_bench.py" "$@"
