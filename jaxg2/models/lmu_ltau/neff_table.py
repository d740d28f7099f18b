r"""Tabulated N_eff of the Lμ−Lτ model, for likelihoods.

:func:`jaxg2.cosmo.n_eff` solves the entropy-transfer equations (paper 002 eqs. 11–15)
with a stiff Rosenbrock method: exact, but ~20 ms per value and gradient on a CPU
core, which is too slow inside a sampler's likelihood (thousands of gradient calls).
Under the paper's assumptions N_eff depends on the Z′ only through (m_Z′, ε_AZ′) and
on the U(1) Higgs mass m_φ, so this module tabulates it once *with that same solver*
on a grid in (ln m_Z′, ln ε, ln m_φ) and interpolates it by tricubic Catmull–Rom
convolution (:func:`jaxg2.numerics.interpolation.cubic_grid`: through the nodes, with a
continuous gradient).  Trilinear interpolation (``map_coordinates``, ``order=1``), used
before, has a gradient that jumps at every node; the lmu_ltau_sidm posterior, pressed
against the N_eff limit, had its optimum on a node of the m_Z′ axis (46.6 MeV), where
the slope of N_eff in m_Z′ changed 17-fold (measured 2026-11-30).  The table ships as package data
(``data/neff_table.npz``) with the grid it was made on; :func:`generate` remakes it
and the tests compare the interpolant with the solver at random points.

Outside the grid the nearest edge value is used: below ε_min the heat transfer is
negligible (N_eff is flat in ε there), above m_φ,max φ has left the bath before
neutrino decoupling, and m_Z′ beyond the grid lies outside every shipped prior.
"""

from __future__ import annotations

import functools
from pathlib import Path

import jax.numpy as jnp
import numpy as np

from ...numerics.interpolation import cubic_grid

TABLE = Path(__file__).parent / "data" / "neff_table.npz"
GRID = {  # (low, high, number of points), log-spaced
    "m_zprime": (1e-3, 0.3, 50),
    "eps": (1e-8, 3e-4, 12),
    "m_phi": (1e-3, 1.0, 28),
}


def _axes():
    return [np.geomspace(*GRID[k][:2], GRID[k][2]) for k in ("m_zprime", "eps", "m_phi")]


def generate(path: Path = TABLE, chunk: int = 512) -> Path:
    """Solve N_eff on the whole grid (jit/vmap of :func:`jaxg2.cosmo.n_eff`) and save it."""
    import jax

    from ... import cosmo

    mz, eps, mphi = _axes()
    M, E, P = np.meshgrid(mz, eps, mphi, indexing="ij")
    flat = [x.reshape(-1) for x in (M, E, P)]
    f = jax.jit(lambda m, e, p: cosmo.n_eff(m, 0.0, e, m_phi=p))
    out = np.concatenate([np.asarray(f(*(x[a:a + chunk] for x in flat)))
                          for a in range(0, flat[0].size, chunk)])
    baseline = float(cosmo.n_eff(1.0e3, 0.0, 0.0))  # no Z′ effect, no φ: the solver's SM value
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(path, n_eff=out.reshape(M.shape), m_zprime=mz, eps=eps, m_phi=mphi,
                        baseline=np.asarray(baseline))
    return path


@functools.lru_cache(maxsize=1)
def _load():
    with np.load(TABLE) as f:
        return {k: np.asarray(f[k]) for k in f.files}


def baseline() -> float:
    """N_eff of the same equations without a Z′ effect and without φ (3.032: instantaneous
    decoupling at 1.5 MeV), stored with the table."""
    return float(_load()["baseline"])


def delta_n_eff(m_zprime, eps_AZ, m_phi):
    """ΔN_eff = N_eff − :func:`baseline`: the extra radiation, with the solver's
    decoupling approximation (3.032 instead of the SM 3.044) cancelling."""
    return n_eff(m_zprime, eps_AZ, m_phi) - baseline()


def n_eff(m_zprime, eps_AZ, m_phi):
    """N_eff from the table (dimensionless); broadcasts; jit/vmap/grad-safe, C¹."""
    t = _load()
    coords = []
    for x, axis in ((m_zprime, t["m_zprime"]), (jnp.abs(eps_AZ), t["eps"]), (m_phi, t["m_phi"])):
        lx = jnp.log(jnp.clip(jnp.asarray(x, dtype=jnp.float64), axis[0], axis[-1]))
        la = np.log(axis)
        coords.append((lx - la[0]) / (la[1] - la[0]))
    return cubic_grid(t["n_eff"], coords)


__all__ = ["n_eff", "delta_n_eff", "baseline", "generate", "GRID", "TABLE"]
