"""``jaxg2.scan``: vectorised maps of every observable over one or two parameters.

The grid (``[scan] x`` and optionally ``y``; linear or log spacing) is flattened and
evaluated in chunks of ``chunk`` points — one compiled ``vmap`` of
:meth:`Problem.evaluate` per chunk shape, the last chunk padded — so memory stays
bounded whatever the grid size; with several local devices each chunk is split
over them (``shard_map``).  Parameters off the axes are fixed (``scan.fixed`` >
``scan.point`` benchmark > a ``fixed`` prior > the model's default point) or, with
``profile = true``, every remaining free parameter is optimised at each grid point
(Adam on the smooth posterior, ``profile_steps`` steps, from a prior draw).

Result: every observable on the grid, per-constraint allowed masks (hard form),
the Δa_μ pull (Δa − Δa_exp)/σ, the parameter values (profiled ones included);
saved as ``<output>/scan/scan.npz`` with ``scan.png`` (:func:`jaxg2.plots.scan_map`).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

import jax
import jax.numpy as jnp
import numpy as np

from .. import config as config_mod
from . import devices
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


def _chunks(n: int, chunk: int):
    for a in range(0, n, chunk):
        yield a, min(a + chunk, n)


def scan(config, *, fast: bool | None = None, output=None, write: bool = True) -> ScanResult:
    """Evaluate the ``[scan]`` grid of a config (see module docstring)."""
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
    grid = np.meshgrid(*[a.values() for a in axes], indexing="ij")
    shape = grid[0].shape
    flat = {n: g.reshape(-1) for n, g in zip(names, grid)}
    npts = flat[names[0]].size

    n_dev = jax.local_device_count()
    chunk = -(-min(sc["chunk"], npts) // n_dev) * n_dev  # every device gets an equal slice

    def point_eval(values):
        theta = hard.theta({**{k: jnp.asarray(v) for k, v in base.items()}, **values})
        return {**hard.evaluate(theta), "parameters": theta}

    evaluate = devices.sharded(jax.vmap(point_eval), n_dev, in_specs=(0,), out_specs=0)
    if profiled:
        smooth = Problem(cfg, smooth=True)
        keys = jax.random.split(jax.random.PRNGKey(cfg.seed), max(npts // chunk + 1, 1))

    pieces = []
    for i, (a, b) in enumerate(_chunks(npts, chunk)):
        idx = np.minimum(np.arange(a, a + chunk), npts - 1)  # pad with the last point
        values = {n: jnp.asarray(v[idx]) for n, v in flat.items()}
        if profiled:
            pinned = {**values, **{n: jnp.full(chunk, v) for n, v in base.items() if n in cfg.free}}
            u0 = smooth.prior_draws(keys[i], chunk, names=profiled)
            u, _ = optimise(smooth, u0, sc["profile_steps"], cfg.search["learning_rate"], overrides=pinned)
            site_vals = jax.jit(jax.vmap(smooth.constrain))(u, pinned)
            values.update({n: site_vals[n] for n in profiled})
        out = evaluate(devices.put(values, n_dev))
        pieces.append(jax.tree.map(lambda x: np.asarray(x)[: b - a], out))
    res = jax.tree.map(lambda *xs: np.concatenate(xs).reshape(shape + xs[0].shape[1:]), *pieces)

    units = {n: cfg.model.parameter(n).unit for n in cfg.model.parameter_names}
    units.update(dict(cfg.model.units))
    result = ScanResult(model=cfg.model.name, scenario=cfg.scenario, x=sc["x"], y=sc["y"],
                        x_values=sc["x"].values(), y_values=None if sc["y"] is None else sc["y"].values(),
                        observables=res["observables"], allowed={k: v.astype(bool) for k, v in res["allowed"].items()},
                        pull=res["pull"], parameters=res["parameters"], signal=cfg.model.signal,
                        signal_value=hard.entry.value, signal_sigma=hard.entry.sigma, units=units)
    if write:
        outdir = Path(cfg.output) / "scan"
        outdir.mkdir(parents=True, exist_ok=True)
        result.path = outdir / "scan.npz"
        meta = {"model": cfg.model.name, "scenario": cfg.scenario, "x": vars(sc["x"]),
                "y": None if sc["y"] is None else vars(sc["y"]), "base": base, "profiled": profiled,
                "units": units, "signal": cfg.model.signal, "signal_value": hard.entry.value,
                "signal_sigma": hard.entry.sigma, "registry": hard.record(), "config": cfg.raw}
        arrays = {"x": result.x_values, "pull": result.pull, "meta": np.asarray(json.dumps(meta, default=str))}
        if result.y_values is not None:
            arrays["y"] = result.y_values
        arrays.update({f"obs__{k}": v for k, v in result.observables.items()})
        arrays.update({f"allowed__{k}": v for k, v in result.allowed.items()})
        arrays.update({f"param__{k}": v for k, v in result.parameters.items()})
        tmp = outdir / "scan.npz.tmp"
        with open(tmp, "wb") as fh:
            np.savez(fh, **arrays)
        os.replace(tmp, result.path)
        import matplotlib

        matplotlib.use("Agg", force=False)
        import matplotlib.pyplot as plt

        fig = result.plot()
        result.png_path = outdir / "scan.png"
        tmp = outdir / "scan.tmp.png"
        fig.savefig(tmp, dpi=120, bbox_inches="tight")
        os.replace(tmp, result.png_path)
        plt.close(fig)
    return result


def load_scan(path) -> ScanResult:
    """Read back a ``scan.npz``."""
    with np.load(path) as f:
        meta = json.loads(str(f["meta"]))
        obs = {k[5:]: f[k] for k in f.files if k.startswith("obs__")}
        allowed = {k[9:]: f[k] for k in f.files if k.startswith("allowed__")}
        params = {k[7:]: f[k] for k in f.files if k.startswith("param__")}
        x = config_mod.Axis(**meta["x"])
        y = None if meta["y"] is None else config_mod.Axis(**meta["y"])
        return ScanResult(model=meta["model"], scenario=meta["scenario"], x=x, y=y, x_values=f["x"],
                          y_values=f["y"] if "y" in f.files else None, observables=obs, allowed=allowed,
                          pull=f["pull"], parameters=params, signal=meta["signal"],
                          signal_value=meta["signal_value"], signal_sigma=meta["signal_sigma"],
                          units=meta["units"], path=Path(path))
