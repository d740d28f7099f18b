"""Throughput figures for a GPU (or any JAX backend): what ``benchmarks/gpu.sh`` runs.

Figures (each printed and written to a JSON file):

``loop``    Δa_μ of a neutral vector loop (:func:`jaxg2.loops.g2.g2_neutral_vector`,
            the L_μ−L_τ Z′ loop) on N masses: points/s.
``sigma_t`` SIDM transfer cross-section (:func:`jaxg2.sidm.sigma_transfer_ab`) on an
            N-point random (v, m_φ, m_X) grid as in ``bench_sidm.py``: points/s.
``fit_nuts``  the default fit (``fits/lmu_ltau_2021.toml``) with NUTS: min bulk ESS of the
            sampled sites per second of wall time (compilation included).
``fit_chees`` the same with ``[sampler] kernel = "chees"`` and 1024 chains; "n/a" with
            the reason when the configuration rejects the kernel.
``scan``    the default fit's 2-D ``[scan]`` grid (``jaxg2.scan``): points/s.

``--config FILE`` replaces the default fit (for ``fit_*`` and ``scan``; it needs a
``[scan]`` table with ``x`` and ``y``): the test suite's smoke test uses a light model,
whose compilations take seconds instead of minutes.

Throughputs are steady-state (a first call compiles; its time is reported as
``compile_s``); ESS/s counts everything.  ``--small`` (or env
``JAXG2_BENCH_SMALL=1``) shrinks every size so that the script runs on a CPU in the
test suite; its numbers are then only a smoke test.

    benchmarks/gpu.sh                       # full sizes (GPU)
    benchmarks/gpu.sh --small --json out.json
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import warnings
from pathlib import Path

import jax
import jax.numpy as jnp
import numpy as np

import jaxg2
from jaxg2 import config as config_mod

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_FIT = ROOT / "fits" / "lmu_ltau_2021.toml"

FULL = {"loop": 1_000_000, "sigma_t": 100_000, "sigma_t_chunk": 10_000, "chees_chains": 1024, "scan_num": 1000,
        "sampler": {}}
SMALL = {"loop": 1000, "sigma_t": 32, "sigma_t_chunk": 16, "chees_chains": 4, "scan_num": 4,
         "sampler": {"num_warmup": 20, "num_samples": 20, "num_chains": 2, "checkpoint_every": 20, "init_steps": 10}}


def _throughput(fn, batches):
    """(compile+first call seconds, steady points/s) of ``fn`` over a list of batches."""
    t0 = time.perf_counter()
    jax.block_until_ready(fn(*batches[0]))
    compile_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    n = 0
    for b in batches:
        jax.block_until_ready(fn(*b))
        n += np.shape(b[0])[0]
    return compile_s, n / (time.perf_counter() - t0)


def bench_loop(n):
    from jaxg2.constants import M_MU
    from jaxg2.loops.g2 import g2_neutral_vector

    m_v = jnp.asarray(np.logspace(-3, 1, n))
    fn = jax.jit(jax.vmap(lambda m: g2_neutral_vector(M_MU, M_MU, m, 1e-3, 0.0)))
    compile_s, rate = _throughput(fn, [(m_v,), (m_v,)])
    return {"points": n, "compile_s": compile_s, "points_per_s": rate}


def bench_sigma_t(n, chunk):
    from jaxg2 import constants as C
    from jaxg2 import sidm

    rng = np.random.default_rng(0)
    alpha = 1e-2
    v = 10 ** rng.uniform(1, np.log10(2000), n)
    m_phi = 10 ** rng.uniform(np.log10(5e-3), -1, n)
    m_x = 10 ** rng.uniform(0, np.log10(50), n)
    a, b = v * C.KM_S_TO_C / (2 * alpha), alpha * m_x / m_phi
    fn = jax.jit(lambda a, b: sidm.sigma_transfer_ab(a, b, particles="majorana"))
    batches = [(jnp.asarray(a[i:i + chunk]), jnp.asarray(b[i:i + chunk])) for i in range(0, n - chunk + 1, chunk)]
    compile_s, rate = _throughput(fn, batches)
    return {"points": len(batches) * chunk, "chunk": chunk, "compile_s": compile_s, "points_per_s": rate}


def _fit_config(path: Path, sampler: dict, out: Path) -> dict:
    """The config at ``path`` as a dict: no fast table, ``sampler`` applied, output to
    ``out``, a model file (``"file.py:ATTR"``) made absolute as the file is relative to it."""
    raw = config_mod.read(path)
    raw.pop("fast", None)
    raw["sampler"].update(sampler)
    raw["fit"]["output"] = str(out)
    return raw


def bench_fit(path: Path, sampler: dict, out: Path):
    """min bulk ESS over the sampled sites / wall seconds; 'n/a' when the config is refused."""
    raw = _fit_config(path, sampler, out)
    try:
        config_mod.load(raw, fast=False)
    except config_mod.ConfigError as exc:
        return {"ess_per_s": "n/a (kernel not available)", "reason": str(exc)}
    t0 = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = jaxg2.fit(raw, output=False, fast=False, progress=False)
    wall = time.perf_counter() - t0
    sites = json.loads(res.idata.posterior.attrs["sampled_sites"])
    ess = float(res.summary.loc[sites, "ess_bulk"].min())
    return {"chains": raw["sampler"].get("num_chains"), "wall_s": wall, "min_ess_bulk": ess, "ess_per_s": ess / wall}


def bench_scan(path: Path, num, out: Path, repeat: bool = True):
    raw = _fit_config(path, {}, out)
    for ax in ("x", "y"):
        raw["scan"][ax]["num"] = num
    t0 = time.perf_counter()
    jaxg2.scan(raw, fast=False, write=False, progress=False)
    first = time.perf_counter() - t0
    if not repeat:  # small (CPU smoke-test) mode: one call, compile included
        return {"points": num * num, "first_call_s": first, "wall_s": first, "points_per_s": num * num / first}
    t0 = time.perf_counter()
    jaxg2.scan(raw, fast=False, write=False, progress=False)  # new jit per call: compile included
    wall = time.perf_counter() - t0
    return {"points": num * num, "first_call_s": first, "wall_s": wall, "points_per_s": num * num / wall}


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--small", action="store_true", default=os.environ.get("JAXG2_BENCH_SMALL") == "1",
                   help="tiny sizes (CPU smoke test); also env JAXG2_BENCH_SMALL=1")
    p.add_argument("--json", default="runs/gpu_bench.json", help="where to write the figures")
    p.add_argument("--only", nargs="+", choices=["loop", "sigma_t", "fit_nuts", "fit_chees", "scan"],
                   help="run only these figures")
    p.add_argument("--config", type=Path, default=DEFAULT_FIT,
                   help="the fit and scan config (default: fits/lmu_ltau_2021.toml, the default fit)")
    args = p.parse_args(argv)
    size = SMALL if args.small else FULL
    out = Path(args.json).resolve().parent
    dev = jax.devices()[0]
    record = {"backend": jax.default_backend(), "device": getattr(dev, "device_kind", str(dev)),
              "n_devices": jax.device_count(), "small": args.small, "jax": jax.__version__,
              "config": str(args.config),
              "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}
    print(f"device: {record['device']} × {record['n_devices']} ({record['backend']}), small={args.small}")
    jobs = {"loop": lambda: bench_loop(size["loop"]),
            "sigma_t": lambda: bench_sigma_t(size["sigma_t"], size["sigma_t_chunk"]),
            "fit_nuts": lambda: bench_fit(args.config, size["sampler"], out / "gpu_bench_fit"),
            "fit_chees": lambda: bench_fit(args.config, {**size["sampler"], "kernel": "chees",
                                                         "num_chains": size["chees_chains"]}, out / "gpu_bench_fit"),
            "scan": lambda: bench_scan(args.config, size["scan_num"], out / "gpu_bench_scan", repeat=not args.small)}
    for name, job in jobs.items():
        if args.only and name not in args.only:
            continue
        r = job()
        record[name] = r
        fig = r.get("points_per_s", r.get("ess_per_s"))
        unit = "points/s" if "points_per_s" in r else "ESS/s"
        text = fig if isinstance(fig, str) else f"{fig:.4g} {unit}"
        extra = {k: v for k, v in r.items() if k not in ("points_per_s", "ess_per_s")}
        print(f"{name:10s} {text}   {json.dumps(extra, default=str)}", flush=True)
    Path(args.json).parent.mkdir(parents=True, exist_ok=True)
    Path(args.json).write_text(json.dumps(record, indent=1, default=str))
    print(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
