"""Registry of measurements and experimental limits.

Every number that comes from an experiment (or from a theory prediction that is
subtracted from one, such as Δa_μ) lives in a YAML file under
``jaxg2/experiments/data/`` with its year and source; physics code never writes
such a number as a literal.  Code refers to an entry by name::

    >>> from jaxg2 import experiments
    >>> e = experiments.get("delta_a_mu_2021")
    >>> e.value, e.sigma, e.source
    (2.51e-09, 5.9e-10, 'arXiv:2104.03281')
    >>> na64 = experiments.curve("na64_2023_invisible_dark_photon")
    >>> na64(0.01)            # ε upper limit (90% CL) at m_A′ = 10 MeV

Entry kinds (``kind`` field):

``measurement``   value ± sigma (Gaussian; optional asymmetric ``sigma_low/high``)
``upper_limit``   observable ≤ ``limit`` at confidence level ``cl``
``lower_limit``   observable ≥ ``limit`` at confidence level ``cl``
``interval``      ``low`` ≤ observable ≤ ``high`` (a preferred band, at ``cl``)
``parameters``    a named table of values (``values``), e.g. a global fit
``curve``         a limit curve y_max(x) shipped as CSV (``file``), see :class:`LimitCurve`;
                  optional ``exclude_x``: x values of CSV rows documented as artefacts

Optional on any entry: ``unverified: true`` (exposed as :attr:`Entry.unverified`) marks a
number transcribed without access to its source; fit outputs should flag it.

Each YAML file is a mapping ``name -> entry``; names are unique across files.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

import jax.numpy as jnp
import yaml

from jaxg2.numerics import monotone_cubic

DATA_DIR = Path(__file__).parent / "data"

KINDS = ("measurement", "upper_limit", "lower_limit", "interval", "parameters", "curve")
_REQUIRED = {
    "measurement": ("value", "sigma"),
    "upper_limit": ("limit", "cl"),
    "lower_limit": ("limit", "cl"),
    "interval": ("low", "high"),
    "parameters": ("values",),
    "curve": ("file", "cl"),
}


class RegistryError(KeyError):
    """An entry is missing or malformed."""

    def __str__(self) -> str:  # KeyError quotes its message; we want plain text
        return str(self.args[0]) if self.args else ""


@dataclass(frozen=True)
class Entry:
    """One registry entry.  Fields not used by ``kind`` are ``None``."""

    name: str
    kind: str
    year: int
    source: str
    note: str
    unit: str
    file: str
    value: float | None = None
    sigma: float | None = None
    sigma_low: float | None = None
    sigma_high: float | None = None
    limit: float | None = None
    cl: float | None = None
    low: float | None = None
    high: float | None = None
    values: Mapping[str, Any] = field(default_factory=dict)
    extra: Mapping[str, Any] = field(default_factory=dict)

    @property
    def unverified(self) -> bool:
        """True where the YAML marks the number ``unverified: true`` (transcribed without
        access to the source; outputs should flag it)."""
        return bool(self.extra.get("unverified", False))

    def provenance(self) -> dict[str, Any]:
        """Compact record of this entry for fit metadata."""
        out = {"name": self.name, "kind": self.kind, "year": self.year,
               "source": self.source, "file": self.file, "version": registry_version()}
        if self.unverified:
            out["unverified"] = True
        for k in ("value", "sigma", "limit", "cl", "low", "high"):
            v = getattr(self, k)
            if v is not None:
                out[k] = v
        return out


def _parse(name: str, raw: Mapping[str, Any], fname: str) -> Entry:
    if not isinstance(raw, Mapping):
        raise RegistryError(f"{fname}: entry {name!r} is not a mapping")
    kind = raw.get("kind")
    if kind not in KINDS:
        raise RegistryError(f"{fname}: entry {name!r} has kind {kind!r}; expected one of {KINDS}")
    for key in ("year", "source") + _REQUIRED[kind]:
        if key not in raw:
            raise RegistryError(f"{fname}: entry {name!r} ({kind}) lacks field {key!r}")
    known = {"kind", "year", "source", "note", "unit", "value", "sigma", "sigma_low",
             "sigma_high", "limit", "cl", "low", "high", "values"}
    num = lambda k: None if raw.get(k) is None else float(raw[k])  # noqa: E731
    return Entry(
        name=name, kind=kind, year=int(raw["year"]), source=str(raw["source"]),
        note=str(raw.get("note", "")).strip(), unit=str(raw.get("unit", "1")), file=fname,
        value=num("value"), sigma=num("sigma"), sigma_low=num("sigma_low"),
        sigma_high=num("sigma_high"), limit=num("limit"), cl=num("cl"),
        low=num("low"), high=num("high"), values=dict(raw.get("values") or {}),
        extra={k: v for k, v in raw.items() if k not in known},
    )


@functools.lru_cache(maxsize=1)
def _load() -> dict[str, Entry]:
    entries: dict[str, Entry] = {}
    for path in sorted(DATA_DIR.glob("*.yaml")):
        content = yaml.safe_load(path.read_text()) or {}
        for name, raw in content.items():
            if name in entries:
                raise RegistryError(f"duplicate registry entry {name!r} in {path.name} and {entries[name].file}")
            entries[name] = _parse(name, raw, path.name)
    return entries


@functools.lru_cache(maxsize=1)
def registry_version() -> str:
    """Short hash of all registry files (YAML and CSV): changes whenever any number does."""
    h = hashlib.sha256()
    for path in sorted(DATA_DIR.rglob("*")):
        if path.suffix in (".yaml", ".csv"):
            h.update(path.name.encode())
            h.update(path.read_bytes())
    return h.hexdigest()[:12]


def available(kind: str | None = None) -> list[str]:
    """Names of all entries (optionally of one kind)."""
    return sorted(n for n, e in _load().items() if kind is None or e.kind == kind)


def get(name: str) -> Entry:
    """The entry called ``name``; a clear error names close matches when it is absent."""
    entries = _load()
    if name not in entries:
        import difflib

        close = difflib.get_close_matches(name, entries, n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise RegistryError(f"no registry entry {name!r}{hint}")
    return entries[name]


@dataclass(frozen=True)
class LimitCurve:
    """An upper-limit curve y_max(x) (e.g. ε(m_A′)) interpolated in log–log by the
    monotone cubic (:func:`jaxg2.numerics.monotone_cubic`).

    Calling the curve with ``x`` (same units as the CSV's first column, GeV for
    masses) returns the limit.  Outside the tabulated range ``[x_min, x_max]`` the
    experiment says nothing, so the curve returns ``+inf`` (no exclusion); the
    gradient there is zero.  Inside, the interpolant passes through the tabulated
    points, never goes beyond two neighbouring points' values, and is C¹ except at a
    repeated x (a vertical step of the digitised curve, kept as a step); jit/vmap-safe.
    """

    name: str
    x: tuple[float, ...]
    y: tuple[float, ...]
    x_label: str
    y_label: str
    header: str
    entry: Entry

    @property
    def x_min(self) -> float:
        return self.x[0]

    @property
    def x_max(self) -> float:
        return self.x[-1]

    def __call__(self, x):
        lx_tab = jnp.log(jnp.asarray(self.x))
        ly_tab = jnp.log(jnp.asarray(self.y))
        x = jnp.asarray(x, dtype=jnp.float64)
        inside = (x >= self.x_min) & (x <= self.x_max)
        x_safe = jnp.where(inside, x, self.x_min)  # double-where: log of a safe value
        y = jnp.exp(monotone_cubic(jnp.log(x_safe), lx_tab, ly_tab))
        return jnp.where(inside, y, jnp.inf)


def _read_curve_csv(path: Path) -> tuple[str, list[str], list[tuple[float, float]]]:
    header_lines, rows, columns = [], [], None
    with path.open() as fh:
        for line in fh:
            if line.startswith("#"):
                header_lines.append(line[1:].strip())
                continue
            if not line.strip():
                continue
            if columns is None:
                columns = next(csv.reader([line]))
                continue
            a, b = next(csv.reader([line]))[:2]
            rows.append((float(a), float(b)))
    if columns is None or not rows:
        raise RegistryError(f"curve file {path.name} has no header row or no data")
    return "\n".join(header_lines), columns, rows


@functools.lru_cache(maxsize=None)
def curve(name: str) -> LimitCurve:
    """Load the limit curve registered under ``name`` (kind ``curve``)."""
    entry = get(name)
    if entry.kind != "curve":
        raise RegistryError(f"registry entry {name!r} is a {entry.kind}, not a curve")
    header, columns, rows = _read_curve_csv(DATA_DIR / str(entry.extra["file"]))
    # ``exclude_x``: rows of the verbatim CSV that the entry's note documents as
    # digitisation artefacts (e.g. a contour's closing point); dropped here, not in the file.
    excluded = [float(v) for v in entry.extra.get("exclude_x", ())]
    rows = [r for r in rows if not any(math.isclose(r[0], v, rel_tol=1e-9) for v in excluded)]
    rows.sort()
    xs, ys = zip(*rows)
    if any(v <= 0 for v in xs + ys) or any(not math.isfinite(v) for v in xs + ys):
        raise RegistryError(f"curve {name!r}: log–log interpolation needs positive finite values")
    return LimitCurve(name=name, x=tuple(xs), y=tuple(ys), x_label=columns[0],
                      y_label=columns[1], header=header, entry=entry)


__all__ = ["Entry", "LimitCurve", "RegistryError", "available", "get", "curve",
           "registry_version", "DATA_DIR"]
