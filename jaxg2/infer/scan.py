"""``jaxg2.scan``: vectorised maps of every observable over one or two parameters.

The grid (``[scan] x`` and optionally ``y``; linear or log spacing) is flattened and
evaluated in chunks of ``chunk`` points — one compiled ``vmap`` of
:meth:`Problem.evaluate`, the last chunk padded — and with several local devices
each chunk is split over them (``shard_map``).  Memory stays bounded whatever the
grid size: the grid is never materialised (chunk points come from their flat
indices), each finished chunk goes to ``<output>/scan/chunks/chunk_NNNNNNN.npz``
(atomically, with a fingerprint of the configuration), and ``scan.npz`` is then
assembled from those files a few arrays at a time (``_MERGE_BYTES``) and the chunk
files removed; the returned result reads its arrays from ``scan.npz`` on access.
``resume=True`` (``jaxg2 scan --resume``) keeps the chunks of an interrupted run
with the same fingerprint.  Several processes (:mod:`jaxg2.infer.distributed`)
take the chunks round robin; process 0 merges after a barrier.  Chunk boundaries
and the profiling starts depend on the config only, so every device/process layout
gives the same numbers.  Parameters off the axes are fixed (``scan.fixed`` >
``scan.point`` benchmark > a ``fixed`` prior > the model's default point) or, with
``profile = true``, every remaining free parameter is optimised at each grid point
(Adam on the smooth posterior, ``profile_steps`` steps, from a prior draw).

Result: every observable on the grid, per-constraint allowed masks (hard form),
the Δa_μ pull (Δa − Δa_exp)/σ, the parameter values (profiled ones included);
saved as ``<output>/scan/scan.npz`` with ``scan.png`` (:func:`jaxg2.plots.scan_map`; at
most ``_PLOT_MAX`` points per axis are drawn, a strided view of a larger grid).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import jax
import jax.numpy as jnp
import numpy as np

from .. import config as config_mod
from . import devices, distributed
from .problem import Problem
from .search import optimise

__all__ = ["scan", "ScanResult", "load_scan"]


@dataclass
class ScanResult:
    """A parameter scan: arrays have shape (nx,) or (nx, ny) (``indexing="ij"``)."""

    model: str
    scenario: str
    x: config_mod.Axis
    y: config_mod.Axis | None
    x_values: np.ndarray
    y_values: np.ndarray | None
    observables: dict
    allowed: dict
    pull: np.ndarray
    parameters: dict
    signal: str
    signal_value: float
    signal_sigma: float
    units: dict = field(default_factory=dict)
    path: Path | None = None
    png_path: Path | None = None

    @property
    def x_log(self):
        return self.x.log

    @property
    def y_log(self):
        return bool(self.y and self.y.log)

    def _axis_label(self, ax):
        unit = self.units.get(ax.name, "")
        return f"{ax.name} [{unit}]" if unit and unit != "1" else ax.name

    @property
    def x_label(self):
        return self._axis_label(self.x)

    @property
    def y_label(self):
        return None if self.y is None else self._axis_label(self.y)

    @property
    def allowed_all(self) -> np.ndarray:
        """Every constraint satisfied."""
        out = np.ones(self.pull.shape, dtype=bool)
        for m in self.allowed.values():
            out &= np.asarray(m, dtype=bool)
        return out

    def plot(self, ax=None):
        """The scan map (:func:`jaxg2.plots.scan_map`)."""
        from .. import plots

        return plots.scan_map(self, ax=ax)


def _base_point(cfg, axes, profiled) -> dict[str, float]:
    model, sc = cfg.model, cfg.scan
    default = {k: float(v) for k, v in model.default_point().items()}
    bench = {k: float(v) for k, v in model.benchmarks.get(sc["point"], {}).items()} if sc["point"] else {}
    out = {}
    for n in model.parameter_names:
        if n in axes or n in profiled or n in cfg.derived:
            continue
        p = cfg.priors.get(n)
        if n in sc["fixed"]:
            out[n] = sc["fixed"][n]
        elif n in bench:
            out[n] = bench[n]
        elif p is not None and p.kind == "fixed":
            out[n] = p.value
        else:
            out[n] = default[n]
    return out


def _fingerprint(cfg, base, profiled, nominal, hard) -> str:
    """Hash of everything that determines a chunk's numbers (a resumed scan checks it)."""
    sc = cfg.scan
    record = {"config": cfg.raw, "fast": cfg.fast, "seed": cfg.seed, "x": vars(sc["x"]),
              "y": None if sc["y"] is None else vars(sc["y"]), "base": base, "profiled": profiled,
              "profile_steps": sc["profile_steps"], "chunk": nominal, "constraints": list(cfg.constraints),
              "registry": hard.record()["registry_version"]}
    return hashlib.sha256(json.dumps(record, sort_keys=True, default=str).encode()).hexdigest()[:16]


def _save_npz_atomic(path: Path, arrays: dict):
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "wb") as fh:
        np.savez(fh, **arrays)
    os.replace(tmp, path)


def _chunk_done(path: Path, fp: str) -> bool:
    try:
        with np.load(path) as f:
            return str(f["fingerprint"]) == fp
    except (OSError, KeyError, ValueError, EOFError):
        return False


def scan(config, *, fast: bool | None = None, output=None, write: bool = True, resume: bool = False,
         progress: bool = True, _max_chunks: int | None = None) -> ScanResult | None:
    """Evaluate the ``[scan]`` grid of a config (see module docstring).

    ``resume=True`` keeps the chunks an interrupted run finished (same configuration)
    and evaluates only the others; ``progress`` shows a bar with points/s.
    ``_max_chunks`` stops after that many chunks (returns None) — to test resuming.
    """
    cfg = config_mod.load(config, fast=fast, output=output)
    sc = cfg.scan
    if sc["x"] is None:
        raise config_mod.ConfigError("scan.x", "missing: a scan needs at least x = { name = ..., low = ..., "
                                               "high = ..., num = ... }")
    axes = [a for a in (sc["x"], sc["y"]) if a is not None]
    names = [a.name for a in axes]
    profiled = [n for n in cfg.free if n not in names and n not in sc["fixed"]] if sc["profile"] else []
    base = _base_point(cfg, names, profiled)
    hard = Problem(cfg, smooth=False)
    values_1d = [a.values() for a in axes]
    shape = tuple(v.size for v in values_1d)
    npts = int(np.prod(shape))
    # chunk boundaries depend on the config only (not on devices or processes), so
    # every layout evaluates — and, profiling, draws starts for — the same chunks
    nominal = min(sc["chunk"], npts)
    n_chunks = -(-npts // nominal)
    n_dev = jax.local_device_count()
    padded = -(-nominal // n_dev) * n_dev  # every device gets an equal slice

    def point_eval(values):
        theta = hard.theta({**{k: jnp.asarray(v) for k, v in base.items()}, **values})
        return {**hard.evaluate(theta), "parameters": theta}

    evaluate = devices.sharded(jax.vmap(point_eval), n_dev, in_specs=(0,), out_specs=0)
    if profiled:
        smooth = Problem(cfg, smooth=True)
        keys = jax.random.split(jax.random.PRNGKey(cfg.seed), n_chunks)

    def run_chunk(i):
        a, b = i * nominal, min((i + 1) * nominal, npts)
        idx = np.unravel_index(np.minimum(np.arange(a, a + padded), b - 1), shape)  # pad with the last point
        values = {n: jnp.asarray(v[j]) for n, v, j in zip(names, values_1d, idx)}
        if profiled:
            pinned = {**values, **{n: jnp.full(padded, v) for n, v in base.items() if n in cfg.free}}
            u0 = smooth.prior_draws(keys[i], nominal, names=profiled)
            u0 = {k: v[np.minimum(np.arange(padded), nominal - 1)] for k, v in u0.items()}
            u, _ = optimise(smooth, u0, sc["profile_steps"], cfg.search["learning_rate"], overrides=pinned)
            site_vals = jax.jit(jax.vmap(smooth.constrain))(u, pinned)
            values.update({n: site_vals[n] for n in profiled})
        out = evaluate(devices.put(values, n_dev))
        return jax.tree.map(lambda x: np.asarray(x)[: b - a], out)

    fp = _fingerprint(cfg, base, profiled, nominal, hard)
    outdir = Path(cfg.output) / "scan"
    parts = outdir / "chunks"
    part = lambda i: parts / f"chunk_{i:07d}.npz"  # noqa: E731
    if write:
        if not resume and distributed.is_main():
            shutil.rmtree(parts, ignore_errors=True)
        distributed.barrier("jaxg2-scan-start")
        parts.mkdir(parents=True, exist_ok=True)
    mine = [i for i in range(n_chunks) if distributed.owner(i) == distributed.process_index()]
    size = lambda i: min((i + 1) * nominal, npts) - i * nominal  # noqa: E731
    todo = [i for i in mine if not (write and resume and _chunk_done(part(i), fp))]
    bar = None
    if progress:
        from .blocks import tqdm_class

        tqdm = tqdm_class()
        tag = f" [process {distributed.process_index()}/{distributed.process_count()}]" if distributed.process_count() > 1 else ""
        bar = tqdm(total=sum(size(i) for i in mine), initial=sum(size(i) for i in mine if i not in todo),
                   desc="scan" + tag, unit="pt", unit_scale=True, dynamic_ncols=True)
    pieces = {}
    try:
        for n_run, i in enumerate(todo):
            if _max_chunks is not None and n_run >= _max_chunks:
                return None
            out = run_chunk(i)
            if write:
                flat = {f"{grp}__{k}": v for grp, d in out.items() if isinstance(d, dict) for k, v in d.items()}
                _save_npz_atomic(part(i), {**flat, "pull": out["pull"], "fingerprint": np.asarray(fp)})
            else:
                pieces[i] = out
            if bar is not None:
                bar.update(size(i))
    finally:
        if bar is not None:
            bar.close()

    units = {n: cfg.model.parameter(n).unit for n in cfg.model.parameter_names}
    units.update(dict(cfg.model.units))
    common = dict(model=cfg.model.name, scenario=cfg.scenario, x=sc["x"], y=sc["y"], x_values=values_1d[0],
                  y_values=values_1d[1] if len(values_1d) > 1 else None, signal=cfg.model.signal,
                  signal_value=hard.entry.value, signal_sigma=hard.entry.sigma, units=units)
    if not write:
        if distributed.process_count() > 1:
            empty = None if mine else jax.tree.map(lambda x: x[:0], run_chunk(0))
            pieces = _gather_pieces(pieces, [size(i) for i in range(n_chunks)], empty)
        res = jax.tree.map(lambda *xs: np.concatenate(xs).reshape(shape + xs[0].shape[1:]),
                           *[pieces[i] for i in range(n_chunks)])
        return ScanResult(observables=res["observables"], allowed={k: v.astype(bool) for k, v in res["allowed"].items()},
                          pull=res["pull"], parameters=res["parameters"], **common)

    path = outdir / "scan.npz"
    distributed.barrier("jaxg2-scan-chunks")
    if distributed.is_main():
        meta = {"model": cfg.model.name, "scenario": cfg.scenario, "x": vars(sc["x"]),
                "y": None if sc["y"] is None else vars(sc["y"]), "base": base, "profiled": profiled,
                "units": units, "signal": cfg.model.signal, "signal_value": hard.entry.value,
                "signal_sigma": hard.entry.sigma, "registry": hard.record(), "config": cfg.raw}
        _merge_chunks(path, [part(i) for i in range(n_chunks)], [min(i * nominal, npts) for i in range(n_chunks + 1)],
                      shape, {"x": values_1d[0], **({"y": values_1d[1]} if len(values_1d) > 1 else {}),
                              "meta": np.asarray(json.dumps(meta, default=str))})
        shutil.rmtree(parts, ignore_errors=True)
        result = load_scan(path)
        result.png_path = _write_png(result, outdir)
    distributed.barrier("jaxg2-scan-written")
    if not distributed.is_main():
        result = load_scan(path)
        result.png_path = outdir / "scan.png"
    return result


def _gather_pieces(pieces: dict, sizes: list, empty) -> dict:
    """write=False on several processes: every chunk's arrays on every process
    (``empty``: the arrays of a process that owns no chunk, with zero rows)."""
    owners = [[i for i in range(len(sizes)) if distributed.owner(i) == p] for p in range(distributed.process_count())]
    mine = owners[distributed.process_index()]
    rows = jax.tree.map(lambda *xs: np.concatenate(xs), *[pieces[i] for i in mine]) if mine else empty
    rows = distributed.allgather_concat(rows, [sum(sizes[i] for i in own) for own in owners])
    out, start = {}, 0
    for i in (i for own in owners for i in own):
        out[i] = jax.tree.map(lambda x, a=start, n=sizes[i]: x[a:a + n], rows)
        start += sizes[i]
    return out


_MERGE_BYTES = 256 * 2**20  # full-grid arrays held at once while merging chunks


def _merge_chunks(path: Path, parts: list, starts: list, shape: tuple, extra: dict):
    """Write ``scan.npz`` from the chunk files, a few full arrays at a time.

    An ``.npz`` is a zip of ``.npy`` members (what ``np.savez`` writes); the members are
    streamed in one by one, so memory holds ~``_MERGE_BYTES`` of the grid, not all of it.
    """
    with np.load(parts[0]) as f:
        layout = {k: (f[k].dtype, f[k].shape[1:]) for k in f.files if k != "fingerprint"}
    npts = starts[-1]
    names = {"observables": "obs__", "allowed": "allowed__", "parameters": "param__"}
    tmp = path.with_name(path.name + ".tmp")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_STORED, allowZip64=True) as zf:
        def put(name, arr):
            with zf.open(name + ".npy", "w", force_zip64=True) as fh:
                np.lib.format.write_array(fh, np.asanyarray(arr), allow_pickle=False)

        for k, v in extra.items():
            put(k, v)
        keys = list(layout)
        while keys:
            group, nbytes = [], 0
            while keys and (not group or nbytes < _MERGE_BYTES):
                dt, tail = layout[keys[0]]
                nbytes += npts * np.dtype(dt).itemsize * int(np.prod(tail))
                group.append(keys.pop(0))
            full = {k: np.empty((npts,) + layout[k][1], layout[k][0]) for k in group}
            for p, a, b in zip(parts, starts[:-1], starts[1:]):
                with np.load(p) as f:
                    for k in group:
                        full[k][a:b] = f[k]
            for k in group:
                grp, _, name = k.partition("__")
                arr = full.pop(k).reshape(shape + layout[k][1])
                put(names[grp] + name if name else k, arr.astype(bool) if grp == "allowed" else arr)
    os.replace(tmp, path)


_PLOT_MAX = 1000  # points per axis drawn in scan.png (the npz keeps every point)


def _write_png(result: ScanResult, outdir: Path) -> Path:
    import dataclasses

    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    steps = [max(1, -(-n // _PLOT_MAX)) for n in result.pull.shape]
    cut = tuple(slice(None, None, st) for st in steps)
    view = dataclasses.replace(result, x_values=result.x_values[::steps[0]],
                               y_values=None if result.y_values is None else result.y_values[::steps[1]],
                               pull=result.pull[cut], allowed={k: v[cut] for k, v in result.allowed.items()},
                               observables={result.signal: result.observables[result.signal][cut]}, parameters={})
    fig = view.plot()
    png = outdir / "scan.png"
    tmp = outdir / "scan.tmp.png"
    fig.savefig(tmp, dpi=120, bbox_inches="tight")
    os.replace(tmp, png)
    plt.close(fig)
    return png


class _NpzColumns(Mapping):
    """Arrays ``prefix<name>`` of a ``.npz``, read from the file on access (a big scan
    is never held in memory whole)."""

    def __init__(self, path, prefix, names):
        self.path, self.prefix, self.names = Path(path), prefix, list(names)

    def __getitem__(self, name):
        if name not in self.names:
            raise KeyError(name)
        with np.load(self.path) as f:
            return f[self.prefix + name]

    def __iter__(self):
        return iter(self.names)

    def __len__(self):
        return len(self.names)


def load_scan(path) -> ScanResult:
    """Read back a ``scan.npz``."""
    with np.load(path) as f:
        meta = json.loads(str(f["meta"]))
        cols = {pre: _NpzColumns(path, pre, [k[len(pre):] for k in f.files if k.startswith(pre)])
                for pre in ("obs__", "allowed__", "param__")}
        x = config_mod.Axis(**meta["x"])
        y = None if meta["y"] is None else config_mod.Axis(**meta["y"])
        return ScanResult(model=meta["model"], scenario=meta["scenario"], x=x, y=y, x_values=f["x"],
                          y_values=f["y"] if "y" in f.files else None, observables=cols["obs__"],
                          allowed=cols["allowed__"], pull=f["pull"], parameters=cols["param__"],
                          signal=meta["signal"], signal_value=meta["signal_value"],
                          signal_sigma=meta["signal_sigma"], units=meta["units"], path=Path(path))
