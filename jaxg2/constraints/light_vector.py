r"""Dark-photon-type searches recast to a light vector X with arbitrary couplings.

Method (DarkCast: Ilten, Soreq, Williams, Xue, arXiv:1801.04847 sec. 2–3; own code).
A search sees N ∝ σ_P(g) · BR_F(g) · A(τ) events: production by a mechanism P,
decay into the searched final state F, and for displaced searches and beam dumps the
probability A that X decays inside the decay volume.  Each table is a limit for a
*reference model* (the dark photon, g_f = ε e Q_f, unless the registry entry says
otherwise) with unit coupling; recasting compares the generic model with it at the
same mass:

* production: σ_P(g)/σ_P(ref) = (A_P(g)/A_P(ref))², with A_P linear in the couplings
  — e_brem, ee_annihilation: g_e; muon_radiation: g_μ; π⁰ → γX: 2g_u + g_d (the
  anomaly Σ_q N_c Q_q g_q tr[T_π q], ∝ (2/3)g_u + (1/3)g_d); η → γX: 2g_u − g_d + 2g_s
  (octet η, no η–η′ mixing); p_brem: 2g_u + g_d (the proton's vector charge; its
  resonance form factor is taken equal to the dark photon's); φ → ηX: g_s (the M1
  transition through the s quark, quark model); drell_yan / meson_decays: the
  projection Σ_q Q_q g_q (exact only for quark couplings ∝ Q_q: these tables are off
  by default);
* branching fractions from :mod:`jaxg2.constraints.vector_decays`; invisible searches
  assume BR(ref → invisible) = 1 (the published curves), so they are weighted by the
  model's BR(X → invisible) and visible ones by BR(X → F): no switches.
* Scaling all couplings by k (and ``invisible_width`` by k², i.e. the branching
  fractions held fixed) multiplies the rate by k² and the width by k².

Prompt and invisible searches (one-sided): N(k)/N_lim = k² a/ε_lim², with
a = (A_P(g)/A_P(ref))² BR_F(g)/BR_F(ref), so k = ε_lim/√a and the statistic is
r = 1/k = √a/ε_lim.  Prompt searches with a maximum flight distance (KLOE, NA48/2,
LHCb) are treated as lifetime-independent (their notes say so).

Displaced searches / beam dumps (two-sided).  Decays between L_sh and L_sh + L_dec
(shielding and decay-volume lengths from the DarkCast metadata) have probability
A = e^{−z} − e^{−ρz}, ρ = 1 + L_dec/L_sh, z = L_sh Γ/(βγ) with the boost absorbed
into a constant per mass.  For the reference model at coupling w^{1/2} the rate is
∝ φ(z) = z(e^{−z} − e^{−ρz}) with z = c·w (production ∝ w, Γ ∝ w).  The unknown c is
fixed per tabulated mass by requiring that the two published edges ε_lo, ε_up give
equal signal, φ(c ε_lo²) = φ(c ε_up²); the signal at the limit is φ(z_lo), z_lo =
c ε_lo².  A generic model at scale k has z = c k² ρ_Γ and rate (a/ρ_Γ) φ(z) with
ρ_Γ = Γ_X/Γ_ref: the band k₋ < k < k₊ solves φ(z) = φ(z_lo) ρ_Γ/a on either side of
the maximum z* of φ.  Statistic (documented convention):

    s = min(1/k₋, k₊)                              if the band exists,
    s = min(1/k*, k*) · (φ(z*) a/(φ(z_lo) ρ_Γ))^{1/2}   otherwise (k* at z*),

continuous, and s ≤ 1 ⇔ allowed.  A dark photon recast onto itself gives back both
published edges at every tabulated mass (tests).

Outside a table's mass range the search says nothing: r = s = 0, k = +inf.
Between tabulated masses every table is interpolated in (ln m, ln ε) by the monotone
cubic (:func:`jaxg2.numerics.monotone_cubic`; C¹, no overshoot of spiky curves).
Everything is vectorised: one padded table per bound type, the interpolation vmapped
over tables, widths computed once.
"""

from __future__ import annotations

import functools
import math
from typing import Mapping

import jax
import jax.numpy as jnp
import numpy as np

from jaxg2 import experiments
from jaxg2.constants import E_EM
from jaxg2.constraints.base import Family
from jaxg2.constraints.vector_decays import COUPLING_KEYS, DARK_PHOTON, branching_fractions, channel_widths, partial_widths
from jaxg2.numerics import monotone_cubic

SECTION = "light_vector"
CHANNELS = ("e_e", "mu_mu", "pi+_pi-", "invisible", "other")

# Production amplitudes A_P(g) = Σ_f coeff_f g_f (module docstring).
PRODUCTION = {
    "e_brem": {"e": 1.0},
    "ee_annihilation": {"e": 1.0},
    "muon_radiation": {"mu": 1.0},
    "pi0_decay": {"u": 2.0, "d": 1.0},
    "eta_decay": {"u": 2.0, "d": -1.0, "s": 2.0},
    "p_brem": {"u": 2.0, "d": 1.0},
    "phi_decay": {"s": 1.0},
    "drell_yan": {"u": 2.0, "d": -1.0, "s": -1.0},
    "meson_decays": {"u": 2.0, "d": -1.0, "s": -1.0},
}
_LMU_LTAU = {"mu": 1.0, "tau": -1.0, "nu_mu": 1.0, "nu_tau": -1.0}
# Reference models per unit of the tabulated coupling.
REFERENCES = {
    "dark_photon": DARK_PHOTON,
    "lmu_ltau": _LMU_LTAU,
    "lmu_ltau_over_e": {k: E_EM * v for k, v in _LMU_LTAU.items()},
}
_MECHS = tuple(PRODUCTION)
_REFS = tuple(REFERENCES)
_PROD_MATRIX = np.array([[PRODUCTION[p].get(k, 0.0) for k in COUPLING_KEYS] for p in _MECHS])
_SENTINEL = 1e5  # DarkCast "no constraint" placeholder (kept: it interpolates to a very weak limit)


def _catalogue() -> dict:
    """Registry entries of light_vector.yaml that are recast here (name -> values)."""
    out = {}
    for name in experiments.available("parameters"):
        e = experiments.get(name)
        if e.file == "light_vector.yaml" and e.values.get("status") == "recast":
            out[name] = e
    return out


CATALOGUE = _catalogue()
LIMITS = tuple(CATALOGUE)


def _read_table(path) -> np.ndarray:
    rows = []
    header_seen = False
    for line in path.read_text().splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        if not header_seen:
            header_seen = True
            continue
        rows.append([float(v) for v in line.split(",")])
    a = np.array(rows)
    a = a[a[:, 0] > 0.0]  # log-mass interpolation (Belle II 2020 starts at m = 0)
    return a[np.argsort(a[:, 0], kind="stable")]


# ----------------------------------------------------------------------------------------
# φ(z) = z (e^{-z} − e^{-ρ z}) in t = ln z: ln φ = t − z + ln(1 − e^{−(ρ−1) z})


def _lphi(t, rho, xp=jnp):
    z = xp.exp(t)
    return t - z + xp.log(-xp.expm1(-(rho - 1.0) * z))


def _dlphi(t, rho, xp=jnp):
    z = xp.exp(t)
    x = (rho - 1.0) * z
    return 1.0 - z + x / xp.expm1(x)


def _lphi_and_slope(t, z, rho):
    """(ln φ, d ln φ/dt) at t = ln z from one expm1 and one log: with e = 1 − e⁻ˣ,
    x/(eˣ − 1) = x (1 − e)/e."""
    x = (rho - 1.0) * z
    e = -jnp.expm1(-x)
    return t - z + jnp.log(e), 1.0 - z + x * (1.0 - e) / e


def _curvature(t, rho, xp=np):
    """−d² ln φ/dt² = z − x h'(x), x = (ρ−1) z, h(x) = x/(eˣ−1), with
    h'(x) = e⁻ˣ (1 − e⁻ˣ − x)/(1 − e⁻ˣ)² (no overflow at large x)."""
    z = xp.exp(t)
    x = (rho - 1.0) * z
    em = -xp.expm1(-x)
    return z - x * xp.exp(-x) * (em - x) / em**2


def _bisect_np(f, lo, hi, n=200):
    """Root of an increasing f on [lo, hi] (numpy, elementwise)."""
    lo, hi = np.array(lo, dtype=float), np.array(hi, dtype=float)
    for _ in range(n):
        mid = 0.5 * (lo + hi)
        up = f(mid) > 0.0
        hi, lo = np.where(up, mid, hi), np.where(up, lo, mid)
    return 0.5 * (lo + hi)


def _t_star(rho):
    with np.errstate(over="ignore"):
        return _bisect_np(lambda t: -_dlphi(t, rho, np), -50.0 + 0 * rho, 20.0 + 0 * rho)


def _t_low(rho, log_q, t_star):
    """ln z_lo solving φ(z) = φ(Q z) below the maximum (Q = (ε_up/ε_lo)², Q ≤ 1 → z*)."""
    lq = np.maximum(log_q, 0.0)
    f = lambda t: _lphi(t, rho, np) - _lphi(t + lq, rho, np)  # noqa: E731
    t = _bisect_np(f, t_star - 400.0, t_star)
    return np.where(log_q > 1e-12, t, t_star)


# ----------------------------------------------------------------------------------------
# Static tables: one padded array per bound type.


def _pad(rows, width, fill_x):
    """Pad 1-d arrays to ``width``; x beyond the end grows by 1 (strictly increasing)."""
    out = np.empty((len(rows), width))
    for i, r in enumerate(rows):
        out[i, : len(r)] = r
        if fill_x:
            out[i, len(r):] = r[-1] + 1.0 + np.arange(width - len(r))
        else:
            out[i, len(r):] = r[-1]
    return out


def _static_meta(names):
    cat = [CATALOGUE[n].values for n in names]
    mech = np.array([_MECHS.index(v["production"]) for v in cat])
    ref = np.array([_REFS.index(v["reference"]) for v in cat])
    fs = np.array([[1.0 if c in v["final_state"] else 0.0 for c in CHANNELS] for v in cat])  # e.g. "mu_mu+pi+_pi-"
    invisible = np.array([v["final_state"] == "invisible" for v in cat])
    return mech, ref, fs, invisible


@functools.lru_cache(maxsize=None)
def _group(names: tuple[str, ...]) -> dict:
    """Padded arrays for the one-sided and the two-sided tables among ``names``."""
    one = tuple(n for n in names if CATALOGUE[n].values["bound"] == "one_sided")
    two = tuple(n for n in names if CATALOGUE[n].values["bound"] == "two_sided")
    g = {"one": one, "two": two}
    if one:
        tabs = [_read_table(experiments.DATA_DIR / CATALOGUE[n].values["file"]) for n in one]
        lnm = [np.log(t[:, 0]) for t in tabs]
        width = max(len(x) for x in lnm)
        g["one_lnm"] = _pad(lnm, width, True)
        g["one_lneps"] = _pad([np.log(np.minimum(t[:, 1], _SENTINEL)) for t in tabs], width, False)
        g["one_range"] = np.array([[x[0], x[-1]] for x in lnm])
        g["one_meta"] = _static_meta(one)
    if two:
        tabs = [_read_table(experiments.DATA_DIR / CATALOGUE[n].values["file"]) for n in two]
        rho = np.array([1.0 + a / b for a, b in (CATALOGUE[n].values["decay_over_shield"] for n in two)])
        tstar = _t_star(rho)
        lnm, lneps, lnz = [], [], []
        for t, r, ts in zip(tabs, rho, tstar):
            lo, up = np.log(t[:, 1]), np.log(t[:, 2])
            lnm.append(np.log(t[:, 0]))
            lneps.append(lo)
            lnz.append(_t_low(r, 2.0 * (up - lo), ts))
        width = max(len(x) for x in lnm)
        g["two_lnm"] = _pad(lnm, width, True)
        g["two_lneps"] = _pad(lneps, width, False)
        g["two_lnz"] = _pad(lnz, width, False)
        g["two_range"] = np.array([[x[0], x[-1]] for x in lnm])
        g["two_rho"], g["two_tstar"] = rho, tstar
        g["two_lphimax"] = _lphi(tstar, rho, np)
        g["two_curv"] = _curvature(tstar, rho)
        g["two_meta"] = _static_meta(two)
    return g


def _interp_tables(lnm_query, xp, fp):
    """fp_j(x) for every table j: (n_tab, *shape), by the monotone cubic in ln m
    (:func:`jaxg2.numerics.monotone_cubic`): through the digitised nodes, never beyond
    two neighbouring nodes' values, with a continuous gradient (linear interpolation put a
    kink into the likelihood at every node, where optimisers stopped and leapfrog steps
    made O(step) energy errors).  The constant padding gives the last node slope 0."""
    flat = lnm_query.reshape(-1)
    out = jax.vmap(lambda x, f: monotone_cubic(flat, x, f))(jnp.asarray(xp), jnp.asarray(fp))
    return out.reshape((xp.shape[0],) + lnm_query.shape)


def _safe_log(x):
    pos = x > 0.0
    return jnp.where(pos, jnp.log(jnp.where(pos, x, 1.0)), -jnp.inf), pos


# ----------------------------------------------------------------------------------------
# Rate ratios shared by both bound types


def _broadcast(mass, couplings):
    vals = [jnp.asarray(mass, dtype=jnp.float64)] + [jnp.asarray(couplings.get(k, 0.0), dtype=jnp.float64)
                                                     for k in COUPLING_KEYS + ("invisible_width",)]
    shape = jnp.broadcast_shapes(*(v.shape for v in vals))
    m = jnp.broadcast_to(vals[0], shape)
    c = {k: jnp.broadcast_to(v, shape) for k, v in zip(COUPLING_KEYS + ("invisible_width",), vals[1:])}
    return m, c


def _rates(meta, m, couplings):
    """Per table: a = (A_P(g)/A_P(ref))² BR_F(g)/BR_F(ref) and ρ_Γ = Γ_X/Γ_ref: (n_tab, *shape)."""
    mech, ref, fs, invisible = meta
    g = jnp.stack([couplings[k] for k in COUPLING_KEYS])  # (9, *shape)
    amp = jnp.tensordot(jnp.asarray(_PROD_MATRIX), g, axes=1)  # (n_mech, *shape)
    br = branching_fractions(couplings, m)
    br_x = jnp.stack([br[c] for c in CHANNELS])  # (5, *shape)
    width_x = sum(channel_widths(partial_widths(couplings, m)).values())
    ref_amp = np.array([[sum(PRODUCTION[p].get(k, 0.0) * REFERENCES[r].get(k, 0.0) for k in COUPLING_KEYS)
                         for p in _MECHS] for r in _REFS])  # (n_ref, n_mech)
    br_ref, width_ref = [], []
    for r in _REFS:
        b = branching_fractions(REFERENCES[r], m)
        br_ref.append(jnp.stack([b[c] for c in CHANNELS]))
        width_ref.append(sum(channel_widths(partial_widths(REFERENCES[r], m)).values()))
    br_ref, width_ref = jnp.stack(br_ref), jnp.stack(width_ref)  # (n_ref, 5, *shape), (n_ref, *shape)
    extra = (1,) * m.ndim
    fsj = jnp.asarray(fs).reshape(fs.shape + extra)
    brf_x = jnp.sum(fsj * br_x[None], axis=1)
    brf_ref = jnp.where(jnp.asarray(invisible).reshape((-1,) + extra), 1.0, jnp.sum(fsj * br_ref[ref], axis=1))
    prod_ratio = amp[mech] / jnp.asarray(ref_amp[ref, mech]).reshape((-1,) + extra)
    a = prod_ratio**2 * brf_x / jnp.where(brf_ref > 0.0, brf_ref, 1.0)
    a = jnp.where(brf_ref > 0.0, a, 0.0)
    w_ref = width_ref[ref]
    has_ref = w_ref > 0.0  # below 2 m_e a dark photon has no width (such table rows say nothing)
    rho_gamma = jnp.where(has_ref, width_x[None] / jnp.where(has_ref, w_ref, 1.0), 0.0)
    return a, rho_gamma


# ----------------------------------------------------------------------------------------
# Bound types


def _one_sided(grp, m, couplings):
    """r = √a/ε_lim (0 outside the mass range)."""
    lnm = jnp.log(m)
    a, _ = _rates(grp["one_meta"], m, couplings)
    lneps = _interp_tables(lnm, grp["one_lnm"], grp["one_lneps"])
    rng = grp["one_range"].reshape((-1, 2) + (1,) * m.ndim)
    inside = (lnm[None] >= rng[:, 0] - 1e-12) & (lnm[None] <= rng[:, 1] + 1e-12)  # ulp-safe
    la, pos = _safe_log(a)
    ok = inside & pos
    return jnp.where(ok, jnp.exp(0.5 * jnp.where(ok, la, 0.0) - lneps), 0.0)


# Bounds that start the Newton iterations from above (each side's φ lies below them):
# ln φ ≤ 2t + ln(ρ−1) (1 − e⁻ˣ ≤ x) below the maximum, ln φ ≤ ln 2 − 1 − z/2 above it.
_NEWTON_STEPS = 4


def _branch_root(lt, rho, tstar, lphimax, curv, increasing):
    """t with ln φ(t) = lt on one side of the maximum t* (below it if ``increasing``,
    within 400 below or e⁶⁰ z* above, the brackets the tables are built with).

    Newton on G(x) = √(ln φ_max − ln φ) = S = √(ln φ_max − lt), with x = t* − t below the
    maximum and x = eᵗ − z* above it: G is linear in x near the maximum (slope √(c/2), c the
    curvature there, scaled by 1/z* above) and grows like √x far from it, so the iterations
    neither stall where the two edges merge nor overshoot far away.  They start from the
    larger of the peak's linear estimate and one Newton step from the bound above, then take
    ``_NEWTON_STEPS`` steps on stopped values, and one last Newton step on ln φ − lt carries
    the implicit-function gradient.  Tested against scipy's brentq for every table's ρ:
    ≤ 1e-10 in t for ln φ_max − lt from 1e-8 to 700, ≤ 1e-6 closer to the maximum, where the
    rounding of ln φ limits any root.  It replaced two 48-step bisections per table and point
    (83% of the light-vector families' cost; value + gradient 23 → 5.3 µs per point,
    ``benchmarks/bench_light_vector.py``, 2026-12-01)."""
    lt_s = jax.lax.stop_gradient(lt)
    zstar = jnp.exp(tstar)
    if increasing:  # (t, z, dt/dx) at x
        at, x_max, slope0 = (lambda x: (tstar - x, jnp.exp(tstar - x), -1.0)), 400.0, jnp.sqrt(0.5 * curv)
    else:
        at = lambda x: (jnp.log(zstar + x), zstar + x, 1.0 / (zstar + x))  # noqa: E731
        x_max, slope0 = zstar * (math.exp(60.0) - 1.0), jnp.sqrt(0.5 * curv) / zstar
    s = jnp.sqrt(jnp.maximum(lphimax - lt_s, 0.0))

    def newton(x):
        t, z, dt_dx = at(x)
        lphi, slope = _lphi_and_slope(t, z, rho)
        g = jnp.sqrt(jnp.maximum(lphimax - lphi, 0.0))
        at_peak = g < 1e-7
        dg = jnp.where(at_peak, slope0, -slope * dt_dx / (2.0 * jnp.where(at_peak, 1.0, g)))
        return jnp.clip(x + (s - g) / dg, 0.0, x_max)

    x_peak = jnp.minimum(s / slope0, x_max)
    if increasing:
        x_bound = 0.5 * (s**2 - lphimax + 2.0 * tstar + jnp.log(rho - 1.0))
    else:
        x_bound = 2.0 * (s**2 - lphimax - 1.0 + math.log(2.0)) - zstar
    x_bound = jnp.clip(x_bound, x_peak, x_max)
    x = jnp.where(x_bound > x_peak, jnp.maximum(newton(x_bound), x_peak), x_peak)
    for _ in range(_NEWTON_STEPS):
        x = newton(x)
    t0, z0, _ = jax.tree_util.tree_map(jax.lax.stop_gradient, at(x))
    lphi, d = _lphi_and_slope(t0, z0, rho)
    d = jnp.where(jnp.abs(d) > 1e-12, d, 1e-12 if increasing else -1e-12)
    return t0 - (lphi - lt) / d


def _two_sided_edges(grp, m, couplings):
    """ln k₋², ln k₊², ln k*², band flag, log of the peak-to-limit ratio, and validity."""
    lnm = jnp.log(m)
    a, rho_gamma = _rates(grp["two_meta"], m, couplings)
    lneps = _interp_tables(lnm, grp["two_lnm"], grp["two_lneps"])
    lnz = _interp_tables(lnm, grp["two_lnm"], grp["two_lnz"])
    shape = (-1,) + (1,) * m.ndim
    rho = jnp.asarray(grp["two_rho"]).reshape(shape)
    tstar = jnp.asarray(grp["two_tstar"]).reshape(shape) * jnp.ones_like(lnz)
    lphimax = jnp.asarray(grp["two_lphimax"]).reshape(shape)
    rng = grp["two_range"].reshape((-1, 2) + (1,) * m.ndim)
    inside = (lnm[None] >= rng[:, 0] - 1e-12) & (lnm[None] <= rng[:, 1] + 1e-12)  # ulp-safe
    la, pos_a = _safe_log(a)
    lr, pos_r = _safe_log(rho_gamma)
    valid = inside & pos_a & pos_r
    la, lr = jnp.where(valid, la, 0.0), jnp.where(valid, lr, 0.0)
    lt = _lphi(lnz, rho) + lr - la  # ln target
    band = valid & (lt <= lphimax + 1e-12)  # equality: the published band closes at this mass
    lt_b = jnp.where(band, jnp.minimum(lt, lphimax), lphimax - 1.0)
    curv = jnp.asarray(grp["two_curv"]).reshape(shape)
    t_lo = _branch_root(lt_b, rho, tstar, lphimax, curv, True)
    t_up = _branch_root(lt_b, rho, tstar, lphimax, curv, False)
    lnc = lnz - 2.0 * lneps  # z = c · w
    to_k2 = lambda t: t - lnc - lr  # noqa: E731  ln k² = ln z − ln c − ln ρ_Γ
    return to_k2(t_lo), to_k2(t_up), to_k2(tstar), band, lphimax - lt, valid


def _two_sided(grp, m, couplings):
    lk2_lo, lk2_up, lk2_star, band, excess, valid = _two_sided_edges(grp, m, couplings)
    s_band = jnp.exp(jnp.minimum(-0.5 * lk2_lo, 0.5 * lk2_up))
    s_none = jnp.exp(-0.5 * jnp.abs(lk2_star) - 0.5 * jnp.where(valid & ~band, -excess, 0.0))
    s = jnp.where(band, s_band, jnp.where(valid, s_none, 0.0))
    return s, lk2_lo, lk2_up, band


@functools.partial(jax.jit, static_argnums=0)
def _evaluate(names: tuple[str, ...], mass, couplings) -> dict:
    """name -> (statistic, ln k_lo^2, ln k_up^2, band) for every table in ``names``
    (one-sided: k_lo = k_up = 1/r, band = r > 0)."""
    grp = _group(names)
    m, c = _broadcast(mass, couplings)
    out = {}
    if grp["one"]:
        r = _one_sided(grp, m, c)
        pos = r > 0.0
        lk2 = jnp.where(pos, -2.0 * jnp.log(jnp.where(pos, r, 1.0)), jnp.inf)
        out.update({n: (r[i], lk2[i], lk2[i], pos[i]) for i, n in enumerate(grp["one"])})
    if grp["two"]:
        res = _two_sided(grp, m, c)
        out.update({n: tuple(x[i] for x in res) for i, n in enumerate(grp["two"])})
    return out


def _statistics(names: tuple[str, ...], mass, couplings) -> dict:
    return {n: v[0] for n, v in _evaluate(names, mass, dict(couplings)).items()}


# ----------------------------------------------------------------------------------------
# Public API


def _one(limit, mass, couplings):
    if limit not in CATALOGUE:
        import difflib

        close = difflib.get_close_matches(limit, CATALOGUE, n=3)
        raise KeyError(f"unknown light-vector limit {limit!r}" + (f"; did you mean {', '.join(close)}?" if close else ""))
    c = {k: v for k, v in couplings.items() if k != "mass"}
    return _evaluate((limit,), mass, c)[limit]


def _k(lk2, band):
    return jnp.where(band, jnp.exp(0.5 * jnp.where(band, lk2, 0.0)), jnp.inf)


def coupling_limit(limit: str, mass, couplings: Mapping):
    """Largest common factor k on all couplings (``invisible_width`` scaled by k²)
    allowed by ``limit`` at ``mass`` [GeV]; +inf where the search does not reach.  For
    two-sided (beam-dump) bands the lower edge k₋.  Broadcasts; differentiable."""
    _, lk2_lo, _, band = _one(limit, mass, couplings)
    return _k(lk2_lo, band)


def band_edges(limit: str, mass, couplings: Mapping):
    """(k₋, k₊) of a two-sided limit: couplings scaled by k₋ < k < k₊ are excluded
    (+inf, +inf where there is no band)."""
    if CATALOGUE.get(limit) is not None and CATALOGUE[limit].values["bound"] != "two_sided":
        raise ValueError(f"{limit} is a one-sided limit")
    _, lk2_lo, lk2_up, band = _one(limit, mass, couplings)
    return _k(lk2_lo, band), _k(lk2_up, band)


def statistic(limit: str, mass, couplings: Mapping):
    """The family observable ``r_<limit>``: r = 1/k (one-sided) or s (two-sided bands)."""
    return _one(limit, mass, couplings)[0]


def excluded(limit: str, mass, couplings: Mapping):
    """True where ``limit`` excludes the couplings at ``mass`` (inside the band for beam dumps)."""
    s, lk2_lo, lk2_up, band = _one(limit, mass, couplings)
    if CATALOGUE[limit].values["bound"] == "one_sided":
        return s > 1.0
    return band & (lk2_lo < 0.0) & (lk2_up > 0.0)


# ----------------------------------------------------------------------------------------
# Families


def _is_invisible(name):
    return CATALOGUE[name].values["final_state"] == "invisible"


VISIBLE = tuple(n for n in LIMITS if not _is_invisible(n))
INVISIBLE = tuple(n for n in LIMITS if _is_invisible(n))


def _observables(names):
    def obs(couplings: Mapping[str, Mapping]) -> dict:
        lv = dict(couplings[SECTION])
        mass = lv.pop("mass")
        st = _statistics(names, mass, lv)
        return {"r_" + n: st[n] for n in names}

    return obs


def _constraints(names, family):
    from jaxg2.models.base import Constraint

    out = []
    for n in names:
        e = CATALOGUE[n]
        kind = ("two-sided band: s = min(1/k_low, k_up) (see jaxg2.constraints.light_vector)"
                if e.values["bound"] == "two_sided" else "r = 1/k")
        out.append(Constraint(n, "r_" + n, "upper", limit=1.0, family=family, source=e.source, year=e.year,
                              default=bool(e.values["default"]), note=f"{e.values['experiment']}; {kind}; {e.note}"))
    return tuple(out)


def _units(names):
    return {"r_" + n: "1" for n in names}


FAMILIES = (
    Family("light_vector_visible", (SECTION,), _observables(VISIBLE), _units(VISIBLE),
           _constraints(VISIBLE, "light_vector_visible"),
           description="visible dark-photon searches (DarkCast tables) recast by production, branching fraction "
                       "and decay-length window"),
    Family("light_vector_invisible", (SECTION,), _observables(INVISIBLE), _units(INVISIBLE),
           _constraints(INVISIBLE, "light_vector_invisible"),
           description="invisible dark-photon searches recast by production and BR(X -> invisible)"),
)

__all__ = ["coupling_limit", "excluded", "band_edges", "statistic", "LIMITS", "VISIBLE", "INVISIBLE",
           "PRODUCTION", "REFERENCES", "FAMILIES"]
