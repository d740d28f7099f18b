r"""N₁ self-scattering: σ_T/M₁ and ⟨σ_T v⟩/M₁ through the φ Yukawa potential (eqs. 22–25).

The exact partial-wave machinery (identical Majorana fermions, eq. 24; transfer
cross section eq. 25) is :mod:`jaxg2.sidm`; this module maps the model's y onto
the potential strength α of V(r) = −α e^{−m_φ r}/r (attractive).

**Coupling normalisation (an open paper inconsistency).**  Eq. (19) gives
L ⊃ +(y/2√2) φ N̄₁N₁, i.e. M₁(φ) = M₁ − (y/√2) φ (equivalently: eq. 16 with
v_Φ → v_Φ + φ); a fermion whose mass depends on φ as M + κφ sources a Yukawa
potential −κ² e^{−m_φ r}/(4πr), so with y normalised as in eqs. (16)/(19) the
potential strength would be α = y²/(8π) (``convention="eq19"``).  Eq. (22) instead
writes α = y²/(4π) (``convention="paper"``, the default).  The relic formula
eq. (20), ⟨σv⟩₁₁ = 9y⁴/(64π m_N² x), is exactly the textbook p-wave result
σv = 3λ⁴v²/(128π m²) (⟨v²⟩ = 6/x; verified by explicit spinor traces in the tests —
the Majorana N₁N₁ → φφ amplitude has the same t + u form) for a φN₁N₁ vertex
λ = y — i.e. eqs. (20) and
(22) consistently treat y as the *vertex* coupling, and since the relic density
fixes that vertex, σ_T at the relic-fixed coupling is the same with either reading
of y once eqs. (20) and (22) use the same one.  The default therefore keeps the
paper's pair (20)+(22); ``"eq19"`` combines eq. (20) as printed with the eq. (19)
vertex y/√2, which would only be consistent if eq. (20) had been written for
the eq. (19) vertex (its N₁N₁ term shows it was not; the N₁N₂ → φZ′ term was not
re-derived).  What the eq. (19) normalisation *does* change is the mass splitting: for a vertex y, ΔM = 2 y v_Φ rather than the
paper's √2 y v_Φ (:mod:`.dark_sector` now uses 2 y v_Φ by default, ``convention="paper"``
keeps the printed one; the relic y comes from the re-derived freeze-out of :mod:`.relic`).  Numbers at the Fig. 3
benchmarks (σ_T/M₁ at 30 km/s): paper convention 3.0, 11.5, 2.2 cm²/g (the paper's
"≳ 1"), eq19 convention 0.29, 0.29, 0.007 cm²/g (tested).

Velocities are relative velocities in km/s; the three galaxy scales (30, 200,
1000 km/s) come from the registry entry ``sidm_velocities_km_s``.

**Accuracy.**  Every function takes ``accuracy="fit" | "exact"`` (None: the module
default :data:`ACCURACY`, ``"fit"``, which the model's ``observables`` and hence all
fits use).  "fit" is the partial-wave solver at 0.3% accuracy (measured against
"exact" over the shipped fits' prior boxes in tests/test_lmu_ltau_sidm.py; ~30×
faster, benchmarks/bench_sidm.py); "exact" (~1e−8) is for reference numbers and
plots.  The default is read when a function is traced: set it before jit-compiling.
"""

from __future__ import annotations

import jax.numpy as jnp

from ... import experiments, sidm

_V = experiments.get("sidm_velocities_km_s").values
VELOCITIES_KM_S = {"dwarf": float(_V["dwarf"]), "milky_way": float(_V["milky_way"]),
                   "cluster": float(_V["cluster"])}
CONVENTIONS = {"paper": 4.0, "eq19": 8.0}
ACCURACY = "fit"  # default of the σ_T solver here (fits); "exact" for references


def _accuracy(accuracy):
    return ACCURACY if accuracy is None else accuracy


def alpha_dm(y, convention="paper"):
    """Potential strength α = y²/(4π) (paper eqs. 20/22, default) or y²/(8π) (eq. 19 vertex)."""
    return jnp.asarray(y, dtype=jnp.float64) ** 2 / (CONVENTIONS[convention] * jnp.pi)


def sigma_t_over_m(m_dm, m_phi, y, v_km_s, *, convention="paper", accuracy=None):
    """σ_T/M₁ [cm²/g] for identical Majorana N₁ at relative velocity v [km/s]."""
    return sidm.sigma_over_m(alpha_dm(y, convention), m_dm, m_phi, v_km_s, kind="transfer",
                             attractive=True, particles="majorana",
                             accuracy=_accuracy(accuracy))


def averaged_sigma_v_over_m(m_dm, m_phi, y, v_mean_km_s, *, convention="paper", n_quad=16,
                            accuracy=None):
    """⟨σ_T v⟩/M₁ [cm²/g · km/s], Maxwell–Boltzmann averaged at mean relative speed v_mean (Fig. 3)."""
    return sidm.averaged_sigma_v_over_m(alpha_dm(y, convention), m_dm, m_phi, v_mean_km_s,
                                        kind="transfer", attractive=True, particles="majorana",
                                        n_quad=n_quad, accuracy=_accuracy(accuracy))


def benchmark_cross_sections(m_dm, m_phi, y, *, convention="paper", accuracy=None):
    """σ_T/M₁ [cm²/g] at the dwarf, Milky-Way and cluster velocities (keys ``sigma_t_over_m_*``).

    One solve per velocity, not one vectorised over the three: a likelihood that reads
    only some of them (the shipped SIDM constraints read the dwarf and the cluster) then
    drops the others from its program (:meth:`jaxg2.infer.Problem.observables` prunes
    unused outputs; one lane of a vectorised solve cannot be pruned)."""
    m_dm, m_phi, y = (jnp.asarray(a, dtype=jnp.float64) for a in (m_dm, m_phi, y))
    return {f"sigma_t_over_m_{k}": sigma_t_over_m(m_dm, m_phi, y, v, convention=convention, accuracy=accuracy)
            for k, v in VELOCITIES_KM_S.items()}


__all__ = ["alpha_dm", "sigma_t_over_m", "averaged_sigma_v_over_m", "benchmark_cross_sections",
           "VELOCITIES_KM_S", "CONVENTIONS", "ACCURACY"]
