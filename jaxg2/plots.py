"""Figures: corner and trace plots of a fit, Δa_μ maps of a scan.

Matplotlib only; the physics and inference code never imports this module (the
fit and scan writers import it lazily when they save PNGs).

* :func:`corner` — 1-D histograms on the diagonal, 2-D histograms (with the 68% and
  95% highest-density contours) below it, for the posterior variables of an
  InferenceData.
* :func:`trace` — per variable: per-chain histogram and the chain traces, divergent
  transitions marked.
* :func:`scan_map` — the form of the papers' figures: the Δa_μ 1σ (dark) and 2σ
  (light) bands of a 2-D scan, each constraint's excluded region shaded and
  outlined (1-D scans: Δa_μ against the axis with the band and the excluded
  intervals).
"""

from __future__ import annotations

import numpy as np

__all__ = ["corner", "trace", "scan_map"]


def _plt():
    import matplotlib

    if matplotlib.get_backend().lower() not in ("agg", "module://matplotlib_inline.backend_inline"):
        try:
            import matplotlib.pyplot  # noqa: F401
        except ImportError:  # no display
            matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _label(da) -> str:
    latex, unit = da.attrs.get("latex"), da.attrs.get("unit", "")
    text = f"${latex}$" if latex else da.name
    return f"{text} [{unit}]" if unit and unit != "1" else text


def _default_vars(idata) -> list[str]:
    """The sampled sites plus the signal Δa_μ (when recorded): what a reader of a paper
    wants in a corner plot; every other observable is available through ``var_names``."""
    import json

    try:
        sites = json.loads(idata.posterior.attrs.get("sampled_sites", "null"))
    except ValueError:
        sites = None
    if not sites:
        sites = [v for v in idata.posterior.data_vars if idata.posterior[v].ndim == 2][:6]
    extra = [v for v in ("delta_a_mu",) if v in idata.posterior.data_vars and v not in sites]
    return list(sites) + extra


def _display(da) -> tuple[np.ndarray, str]:
    """Values and axis label of a posterior variable in display units (Δa in 10⁻¹¹)."""
    from .display import display_scale

    factor, unit = display_scale(str(da.name), da.attrs.get("unit", ""))
    latex = da.attrs.get("latex")
    lepton = {"delta_a_mu": r"\mu", "delta_a_e": "e", "delta_a_tau": r"\tau"}.get(str(da.name))
    if lepton:  # the signal reads as in the papers, not as an escaped variable name
        latex = rf"\Delta a_{{{lepton}}}"
    text = f"${latex}$" if latex else str(da.name)
    label = f"{text} [{unit}]" if unit and unit != "1" else text
    return np.asarray(da).reshape(-1) * factor, label


def _hdi_levels(h: np.ndarray, probs=(0.95, 0.68)) -> list[float]:
    """Density thresholds enclosing ``probs`` of the mass of histogram ``h``."""
    flat = np.sort(h.ravel())[::-1]
    cum = np.cumsum(flat) / max(flat.sum(), 1e-300)
    return sorted({float(flat[min(np.searchsorted(cum, p), flat.size - 1)]) for p in probs})


def _smooth2d(h: np.ndarray, passes: int = 2) -> np.ndarray:
    """Binomial [1, 2, 1]/4 smoothing along both axes (for readable density contours)."""
    for _ in range(passes):
        for axis in (0, 1):
            p = np.pad(h, [(1, 1) if a == axis else (0, 0) for a in (0, 1)], mode="edge")
            sl = lambda a, b: tuple(slice(a, p.shape[axis] - b) if ax == axis else slice(None) for ax in (0, 1))  # noqa: E731
            h = 0.25 * p[sl(0, 2)] + 0.5 * p[sl(1, 1)] + 0.25 * p[sl(2, 0)]
    return h


def corner(idata, var_names=None, bins: int | None = None, title: str | None = None):
    """Corner plot of ``var_names`` (default: the sampled sites and Δa_μ) of ``idata.posterior``.

    Diagonal: marginal histograms with the median and the 16/84% quantiles; below it:
    2-D histograms with the 68% (solid) and 95% (dashed) highest-density contours,
    named in a legend.  ``bins`` defaults to √(draws)/2 between 8 and 40 so that short
    (fast-mode) runs stay readable; Δa is shown in 10⁻¹¹.  The title names the model and
    the Δa_μ scenario (from the fit's attributes) unless ``title`` is given.
    """
    plt = _plt()
    from matplotlib.lines import Line2D

    post = idata.posterior
    names = list(var_names) if var_names is not None else _default_vars(idata)
    cols = [_display(post[n]) for n in names]
    data, labels = [c[0] for c in cols], [c[1] for c in cols]
    n_draws = data[0].size if data else 0
    if bins is None:
        bins = int(np.clip(np.sqrt(n_draws) / 2, 8, 40))
    k = len(names)
    size = 2.2 * k + 0.8 if k <= 6 else 1.6 * k + 0.8
    fig, axes = plt.subplots(k, k, figsize=(size, size), squeeze=False)
    for i in range(k):
        for j in range(k):
            ax = axes[i, j]
            if j > i:
                ax.set_visible(False)
                continue
            if i == j:
                ax.hist(data[i], bins=bins, histtype="step", color="C0", density=True)
                lo, mid, hi = np.percentile(data[i], [16, 50, 84])
                for v in (lo, mid, hi):
                    ax.axvline(v, color="C0", ls="--" if v != mid else "-", lw=0.8)
                ax.set_yticks([])
            else:
                h, xe, ye = np.histogram2d(data[j], data[i], bins=bins)
                ax.hist2d(data[j], data[i], bins=[xe, ye], cmap="Blues")
                h = _smooth2d(h)
                levels = _hdi_levels(h)
                if len(levels) > 1 and levels[0] < levels[-1]:
                    xc, yc = 0.5 * (xe[1:] + xe[:-1]), 0.5 * (ye[1:] + ye[:-1])
                    ax.contour(xc, yc, h.T, levels=levels, colors="k", linewidths=0.9,
                               linestyles=["--", "-"])
            if i == k - 1:
                ax.set_xlabel(labels[j])
            else:
                ax.set_xticklabels([])
            if j == 0 and i != j:
                ax.set_ylabel(labels[i])
            elif j != 0:
                ax.set_yticklabels([])
    if title is None:
        model, scenario = post.attrs.get("model"), post.attrs.get("scenario")
        title = f"{model} — Δa_μ scenario {scenario}" if model else ""
        if post.attrs.get("fast_mode"):
            title += f" (fast mode: {n_draws} draws)"
    if title:
        fig.suptitle(title, fontsize=10)
    if k > 1:
        fig.legend(handles=[Line2D([], [], color="k", ls="-", lw=0.9, label="68% HPD"),
                            Line2D([], [], color="k", ls="--", lw=0.9, label="95% HPD"),
                            Line2D([], [], color="C0", ls="-", lw=0.8, label="median, 16/84%")],
                   loc="upper right", fontsize=8, frameon=False)
    fig.tight_layout(rect=(0, 0, 1, 0.96) if title else None)
    return fig


def trace(idata, var_names=None, bins: int = 30):
    """Trace plot: per-chain histograms (left) and traces (right); divergences as ticks."""
    plt = _plt()
    post = idata.posterior
    names = list(var_names) if var_names is not None else _default_vars(idata)
    div = None
    if hasattr(idata, "sample_stats") and "diverging" in idata.sample_stats:
        div = np.asarray(idata.sample_stats["diverging"]).astype(bool)
    fig, axes = plt.subplots(len(names), 2, figsize=(10, 2.2 * len(names) + 0.4), squeeze=False,
                             gridspec_kw={"width_ratios": [1, 2.5]})
    for row, n in enumerate(names):
        x = np.asarray(post[n])
        x = x.reshape(x.shape[0], x.shape[1], -1)[..., 0]
        for c in range(x.shape[0]):
            axes[row, 0].hist(x[c], bins=bins, histtype="step", density=True, color=f"C{c % 10}")
            axes[row, 1].plot(x[c], lw=0.5, color=f"C{c % 10}", alpha=0.8)
            if div is not None and div[c].any():
                d = np.nonzero(div[c])[0]
                axes[row, 1].plot(d, np.full(d.size, np.min(x)), "|", color="red", ms=8)
        axes[row, 0].set_xlabel(_label(post[n]))
        axes[row, 0].set_yticks([])
        axes[row, 1].set_ylabel(_label(post[n]))
    axes[-1, 1].set_xlabel("draw")
    fig.tight_layout()
    return fig


_HATCHES = ["//", "\\\\", "||", "--", "xx", "..", "++", "oo", "**", "OO"]
_BAND_1S, _BAND_2S = "#e6550d", "#fdae6b"


def _constraint_groups(r) -> dict[str, list[str]]:
    """Constraint names of a scan grouped for display: a model's own constraints one by
    one, the constraints library's by family (one shaded region per family)."""
    fam = {}
    try:
        from . import models

        model = models.get(r.model)
        fam = {c.name: c.family for c in model.constraints}
    except Exception:  # a file-defined model: no grouping information, show one by one
        pass
    groups: dict[str, list[str]] = {}
    for name in r.allowed:
        key = name if fam.get(name, "model") == "model" else fam[name]
        groups.setdefault(key, []).append(name)
    return groups


def _axis_label(r, axis) -> str:
    """LaTeX label of a scan axis with its unit (as in the corner plot)."""
    try:
        from . import models

        par = models.get(r.model).parameter(axis.name)
        return f"${par.latex}$" + (f" [{par.unit}]" if par.unit not in ("1", "") else "")
    except Exception:
        return r.x_label if axis is r.x else r.y_label


def scan_map(scan_result, ax=None, *, constraints=None, overlay=None, overlay_constraints=None,
             overlay_label="paper's constraints: allowed"):
    """The Δa_μ 1σ/2σ bands and every constraint's excluded region of a scan.

    Each of the model's own constraints and each constraints-library *family* gets one
    region in its own colour and hatch, named in a legend outside the data.  ``overlay``
    (another :class:`~jaxg2.infer.scan.ScanResult` on the same grid, e.g. with the paper's
    constraint set) is drawn as a dashed outline of its region allowed by every
    constraint *and* inside the Δa_μ 2σ band — the paper's allowed region next to today's.
    ``constraints`` restricts the shaded regions to those names; ``overlay_constraints``
    (names) draws the same outline from this scan's own masks of those constraints
    (one scan of the union of two constraint sets, see
    :func:`jaxg2.infer.scan_constraint_sets`).
    """
    plt = _plt()
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    r = scan_result
    if ax is None:
        fig, ax = plt.subplots(figsize=(8.2, 5.0))
    else:
        fig = ax.figure
    pull = np.abs(np.asarray(r.pull))
    groups = _constraint_groups(r)
    if constraints is not None:
        keep = set(constraints)
        groups = {g: [m for m in ms if m in keep] for g, ms in groups.items()}
        groups = {g: ms for g, ms in groups.items() if ms}
    handles = []
    if r.y is None:
        x = np.asarray(r.x_values)
        sig = np.asarray(r.observables[r.signal]) * 1e11
        ax.plot(x, sig, color="k", label="model")
        v, s_ = r.signal_value * 1e11, r.signal_sigma * 1e11
        ax.axhspan(v - 2 * s_, v + 2 * s_, color=_BAND_2S, alpha=0.5, label=r"$\Delta a_\mu$ 2$\sigma$")
        ax.axhspan(v - s_, v + s_, color=_BAND_1S, alpha=0.5, label=r"$\Delta a_\mu$ 1$\sigma$")
        for i, (name, members) in enumerate(groups.items()):
            bad = ~np.logical_and.reduce([np.asarray(r.allowed[m], dtype=bool) for m in members])
            if bad.any():
                ax.fill_between(x, 0, 1, where=bad, transform=ax.get_xaxis_transform(), alpha=0.25,
                                color=f"C{(i + 2) % 10}", hatch=_HATCHES[i % len(_HATCHES)], label=name)
        ax.set_xscale("log" if r.x_log else "linear")
        ax.set_xlabel(_axis_label(r, r.x))
        ax.set_ylabel(r"$\Delta a_\mu \times 10^{11}$")
        ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.02, 1.0), borderaxespad=0.0)
    else:
        X, Y = np.meshgrid(np.asarray(r.x_values), np.asarray(r.y_values), indexing="ij")
        if np.isfinite(pull).any() and pull.min() <= 2:
            ax.contourf(X, Y, pull, levels=[0, 1, 2], colors=[_BAND_1S, _BAND_2S], alpha=0.8)
        handles += [Patch(color=_BAND_1S, label=r"$\Delta a_\mu$ 1$\sigma$"),
                    Patch(color=_BAND_2S, label=r"$\Delta a_\mu$ 2$\sigma$")]
        for i, (name, members) in enumerate(groups.items()):
            bad = (~np.logical_and.reduce([np.asarray(r.allowed[m], dtype=bool) for m in members])).astype(float)
            if not bad.any():
                continue
            color, hatch = f"C{(i + 2) % 10}", _HATCHES[i % len(_HATCHES)]
            ax.contourf(X, Y, bad, levels=[0.5, 1.5], colors=[color], alpha=0.25, hatches=[hatch])
            if bad.min() < 0.5:
                ax.contour(X, Y, bad, levels=[0.5], colors=[color], linewidths=1.2)
            handles.append(Patch(facecolor=color, alpha=0.4, hatch=hatch, label=name))
        if overlay is not None or overlay_constraints is not None:
            if overlay is not None:
                ok = (np.abs(np.asarray(overlay.pull)) <= 2) & overlay.allowed_all
            else:
                ok = (pull <= 2) & np.logical_and.reduce(
                    [np.asarray(r.allowed[n], dtype=bool) for n in overlay_constraints] or [np.ones_like(pull, bool)])
            if ok.any() and not ok.all():
                ax.contour(X, Y, ok.astype(float), levels=[0.5], colors=["k"], linewidths=1.6, linestyles="--")
            handles.append(Line2D([], [], color="k", ls="--", lw=1.6, label=overlay_label))
        ax.set_xscale("log" if r.x_log else "linear")
        ax.set_yscale("log" if r.y_log else "linear")
        ax.set_xlabel(_axis_label(r, r.x))
        ax.set_ylabel(_axis_label(r, r.y))
        ax.legend(handles=handles, fontsize=7, loc="upper left", bbox_to_anchor=(1.02, 1.0), borderaxespad=0.0)
    ax.set_title(f"{r.model} — excluded regions, Δa_μ scenario {r.scenario}", fontsize=9)
    fig.tight_layout()
    return fig
