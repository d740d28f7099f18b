r"""Gauged U(1)_{Lμ−Lτ} with self-interacting pseudo-Dirac dark matter (paper 002).

Kamada, Kaneta, Yanagi, Yu, "Self-interacting dark matter and muon (g−2) in a
gauged U(1)_{Lμ−Lτ} model", JHEP 06 (2018) 117, arXiv:1805.00651.

Parameters: ``g_prime`` (g′), ``m_zprime`` [GeV], ``m_phi`` [GeV] (U(1) Higgs, the
SIDM mediator), ``m_dm`` [GeV] (M₁, the lighter Majorana state), ``y`` (DM Yukawa;
``MODEL.derived["y"]`` gives the relic-density value, :func:`relic_yukawa`, and
``MODEL.derived["y:paper_eq20"]`` the paper's eq. 20 matching — a config selects it with
``y = { prior = "derived", rule = "paper_eq20" }``).  Observable ``omega_h2``: Ωh² of N₁ (+N₂)
at the given y (p-wave freeze-out, :func:`.relic.omega_h2`).

One concept per submodule:

* :mod:`.zprime` — ε_AZ′, ε_ZZ′, the Z′ electron coupling, Δa_ℓ (eq. 8 via
  :func:`jaxg2.loops.g2_neutral_vector`), Z′ partial widths and lifetime;
* :mod:`.scalar` — φ → Z′Z′ and φ → Z′νν̄ (eqs. C1–C5), φ lifetime;
* :mod:`.borexino` — ⁷Be ν–e rate shift (app. A, with corrections documented there);
* :mod:`.white_dwarf` — plasmon-cooling ratio |G_Z′|/(C_V G_F);
* :mod:`.trident` — CCFR trident ratio (contact limit; validity documented);
* :mod:`.dark_sector` — mass matrix (eq. 16), spectrum, relic Yukawa (eqs. 20–21);
* :mod:`.self_interaction` — σ_T/M₁ and ⟨σ_T v⟩/M₁ (eqs. 22–25) via :mod:`jaxg2.sidm`;
* ``n_eff`` from :mod:`jaxg2.cosmo` (eqs. 11–15).

Every observable is produced by the single pure function :func:`observables`.
Under ``jax.jit`` only the observables a likelihood actually uses are *evaluated*
(XLA removes dead outputs), so the expensive ones (N_eff, σ_T) cost no run time in
fits that do not constrain them — but they are still traced and add compile time;
``observables(theta, keys=...)`` skips tracing them when they are not requested.

Where this model differs from the printed paper (each documented in its module and
listed in ``notebooks/lmu_ltau_sidm.ipynb``): Borexino app. A (ν_τ interference sign,
flux counting, garbled A2), the φN₁N₁ normalisation of y between eqs. (19) and
(20)/(22), white-dwarf number (7.2e-4 vs 7.7e-4), CCFR only in the contact limit
(off by default), BaBar as a flat 7e-4 limit.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp

from ... import constants as C
from ... import experiments
from ..base import Constraint, Model, Parameter, Prior, Validity
from . import (borexino, cosmology, dark_sector, neff_table, relic, scalar, self_interaction, trident, white_dwarf,
               zprime)
from .dark_sector import relic_yukawa

_BABAR = experiments.get("babar_2016_muonic_zprime_gprime")
_BABAR_EDGE = 0.02  # relative width of the BaBar window's edges (see observables)
_BABAR_RANGE = (float(_BABAR.extra["m_min_gev"]), float(_BABAR.extra["m_max_gev"]))


def _f64(theta, name):
    return jnp.asarray(theta[name], dtype=jnp.float64)


_SIDM_KEYS = ("sigma_t_over_m_dwarf", "sigma_t_over_m_milky_way", "sigma_t_over_m_cluster")


def observables(theta, keys=None):
    """All observables of the model at ``theta`` (dict of float64 arrays; see ``UNITS``).

    ``keys`` (static, optional): if given, the expensive groups (``n_eff``: the N_eff ODE;
    ``sigma_t_over_m_*``: exact partial waves) are only traced when one of their keys is
    requested, which keeps compile times short for callers that need a few cheap
    observables (XLA would drop the unused outputs anyway, but only after tracing them).
    The cheap observables are always returned.
    """
    g, mz = _f64(theta, "g_prime"), _f64(theta, "m_zprime")
    mphi, mdm, y = _f64(theta, "m_phi"), _f64(theta, "m_dm"), _f64(theta, "y")

    w = zprime.widths(g, mz)
    gphi_zz = scalar.width_zz(g, mz, mphi)
    gphi_znn = scalar.width_znunu(g, mz, mphi, w["total"])
    gphi = gphi_zz + gphi_znn
    sp = dark_sector.spectrum(mdm, y, g, mz)
    # BaBar's window [0.212, 10] GeV, switched on continuously over ±2% in ln m_Z′ (a sharp
    # edge makes the log-posterior jump and NUTS diverge; the search's sensitivity at the
    # dimuon threshold is weak anyway): weight = σ((ln m − ln m_lo)/w) σ((ln m_hi − ln m)/w)
    lnm = jnp.log(mz)
    in_babar = jax.nn.sigmoid((lnm - jnp.log(_BABAR_RANGE[0])) / _BABAR_EDGE) \
        * jax.nn.sigmoid((jnp.log(_BABAR_RANGE[1]) - lnm) / _BABAR_EDGE)

    out = {
        "delta_a_mu": zprime.delta_a_mu(g, mz),
        "delta_a_tau": zprime.delta_a_tau(g, mz),
        "delta_a_e": zprime.delta_a_e(g, mz),
        "eps_AZ": zprime.eps_az(g),
        "eps_ZZ": zprime.eps_zz(g),
        "zprime_electron_coupling": zprime.electron_coupling(g),
        "gamma_zprime_nunu": w["nunu"],
        "gamma_zprime_mumu": w["mumu"],
        "gamma_zprime_tautau": w["tautau"],
        "gamma_zprime_ee": w["ee"],
        "gamma_zprime": w["total"],
        "br_zprime_mumu": w["mumu"] / w["total"],
        "tau_zprime_s": C.HBAR_GEV_S / w["total"],
        "gamma_phi_zz": gphi_zz,
        "gamma_phi_znunu": gphi_znn,
        "gamma_phi": gphi,
        "tau_phi_s": scalar.lifetime_s(gphi),
        "borexino_rate_shift": borexino.rate_shift(g, mz),
        "white_dwarf_ratio": white_dwarf.cooling_ratio(g, mz),
        "trident_ratio": trident.trident_ratio_contact(g, mz),
        "babar_g_prime": g * in_babar,
        "m_phi_over_m_zprime": mphi / mz,
        "v_phi": sp["v_phi"],
        "m_n": sp["m_n"],
        "m_dm2": sp["m_dm2"],
        "delta_m_dm": sp["delta_m"],
        "relic_sigma_v": dark_sector.sigma_v_eff(y, mdm, g, mz) / dark_sector.CM3_S_TO_GEV_M2,
        "y_relic": relic_yukawa(mdm, g, mz),
        "omega_h2": relic.omega_h2(y, mdm, g, mz),
    }
    if keys is None or "n_eff" in keys:
        out["n_eff"] = cosmology.n_eff(g, mz, mphi)
    if keys is None or any(k in keys for k in _SIDM_KEYS):
        out.update(self_interaction.benchmark_cross_sections(mdm, mphi, y))
    return out


UNITS = {
    "delta_a_mu": "1", "delta_a_tau": "1", "delta_a_e": "1", "eps_AZ": "1", "eps_ZZ": "1",
    "zprime_electron_coupling": "1", "gamma_zprime_nunu": "GeV", "gamma_zprime_mumu": "GeV",
    "gamma_zprime_tautau": "GeV", "gamma_zprime_ee": "GeV", "gamma_zprime": "GeV",
    "br_zprime_mumu": "1", "tau_zprime_s": "s", "gamma_phi_zz": "GeV", "gamma_phi_znunu": "GeV",
    "gamma_phi": "GeV", "tau_phi_s": "s", "borexino_rate_shift": "1", "white_dwarf_ratio": "1",
    "trident_ratio": "1", "babar_g_prime": "1", "m_phi_over_m_zprime": "1", "v_phi": "GeV",
    "m_n": "GeV", "m_dm2": "GeV", "delta_m_dm": "GeV", "relic_sigma_v": "cm^3/s", "y_relic": "1",
    "omega_h2": "1",
    "n_eff": "1", "sigma_t_over_m_dwarf": "cm^2/g", "sigma_t_over_m_milky_way": "cm^2/g",
    "sigma_t_over_m_cluster": "cm^2/g",
}

PARAMETERS = (
    Parameter("g_prime", "1", r"g'", Prior.log_uniform(1e-5, 1e-2), (0.0, 4.0 * 3.141592653589793),
              "U(1)_{Lμ−Lτ} gauge coupling"),
    Parameter("m_zprime", "GeV", r"m_{Z'}", Prior.log_uniform(1e-3, 10.0), (0.0, float("inf")),
              "Z′ mass"),
    Parameter("m_phi", "GeV", r"m_\phi", Prior.log_uniform(1e-3, 1.0), (0.0, float("inf")),
              "U(1)_{Lμ−Lτ} Higgs (SIDM mediator) mass"),
    Parameter("m_dm", "GeV", r"M_1", Prior.log_uniform(1.0, 100.0), (0.0, float("inf")),
              "lighter pseudo-Dirac DM mass M₁"),
    Parameter("y", "1", r"y", Prior.log_uniform(1e-3, 1.0), (0.0, 4.0 * 3.141592653589793),
              "DM Yukawa y_N = y_N̄"),
)

CONSTRAINTS = (
    Constraint("borexino", "borexino_rate_shift", "upper", entry="borexino_be7_rate_shift",
               absolute=True, note="[paper set, superseded by the constraints library] ⁷Be ν–e rate within 8% of the SM (app. A)", default=False),
    Constraint("white_dwarf", "white_dwarf_ratio", "upper", entry="white_dwarf_cooling_ratio",
               note="[paper set, superseded by the constraints library] plasmon cooling |G_Z′| ≤ C_V G_F", default=False),
    Constraint("babar_2016", "babar_g_prime", "upper", entry="babar_2016_muonic_zprime_gprime",
               note="[paper set, superseded by the constraints library] flat g′ < 7e-4 for 0.212 < m_Z′ < 10 GeV (abstract value; see registry note), edges smoothed over 2% in m_Z′", default=False),
    Constraint("ccfr_trident_contact", "trident_ratio", "gaussian", entry="ccfr_trident_ratio", default=False,
               note="contact limit, valid for m_Z′ ≳ 10 GeV only; off by default (see trident.py)"),
    Constraint("n_eff", "n_eff", "upper", entry="neff_upper_3p5", note="[paper set, superseded by the constraints library] N_eff < 3.5 (Fig. 1 right)", default=False),
    Constraint("mphi_above_mzprime", "m_phi_over_m_zprime", "lower", entry="mphi_over_mzprime_bbn",
               default=False, note="φ decays before BBN (SIDM fits)"),
    Constraint("sidm_dwarf", "sigma_t_over_m_dwarf", "interval", entry="sidm_dwarf_sigma_over_m",
               default=False, note="σ_T/M₁ = 1–10 cm²/g at 30 km/s (SIDM fits)"),
    Constraint("sidm_cluster", "sigma_t_over_m_cluster", "upper", entry="sidm_cluster_sigma_over_m",
               default=False, note="σ_T/M₁ < 0.1 cm²/g at 1000 km/s (SIDM fits)"),
)

BENCHMARKS = {
    # Fig. 3 benchmarks (M₁, m_φ) at the Fig. 1 star (m_Z′, g′) = (10 MeV, 5e-4), and the second
    # star (50 MeV, 7e-4) with a point of Fig. 2 right; y = relic_yukawa(...) to 4 digits.
    "fig3_solid": {"g_prime": 5e-4, "m_zprime": 0.010, "m_phi": 0.010, "m_dm": 10.0, "y": 0.1111},
    "fig3_dashed": {"g_prime": 5e-4, "m_zprime": 0.010, "m_phi": 0.020, "m_dm": 20.0, "y": 0.1527},
    "fig3_dotted": {"g_prime": 5e-4, "m_zprime": 0.010, "m_phi": 0.080, "m_dm": 40.0, "y": 0.2090},
    "fig2_right_star": {"g_prime": 7e-4, "m_zprime": 0.050, "m_phi": 0.060, "m_dm": 20.0, "y": 0.1759},
}


def couplings(theta, obs):
    r"""The model's couplings in the generic sections of :mod:`jaxg2.constraints`.

    ``light_vector``: Z′ of mass m_Z′ with +g′ (−g′) to μ (τ) and to the left-handed
    ν_μ (ν_τ) current (eq. 1), and −ε_AZ′ e Q_f to every charged fermion through the
    loop-induced kinetic mixing of eq. (4) (``zprime.electron_coupling`` = ε_AZ′ e for
    Q_e = −1; u: −⅔ε_AZ′e, d, s: +⅓ε_AZ′e), evaluated at q² = 0 as in the paper;
    no dark decay is open (M₁ ≫ m_Z′).  ``lepton_g2``: Δa_e, Δa_μ, Δa_τ.
    ``radiation``: ΔN_eff of the entropy-transfer solution, from the table of
    :mod:`.neff_table` (the same solver, interpolated: ≲ 0.02 where N_eff < 3.6, tested)
    relative to the solver's own no-Z′ baseline, so that its instantaneous-decoupling
    approximation (3.032 instead of 3.044, the decoupling-temperature systematic of
    the paper's Fig. 1) cancels; the constraints library adds ΔN_eff to the SM 3.044.
    """
    g, mz = _f64(theta, "g_prime"), _f64(theta, "m_zprime")
    ce = obs["zprime_electron_coupling"]
    lv = {"mass": mz, "mu": g, "tau": -g, "nu_mu": g, "nu_tau": -g,
          "e": ce, "u": -2.0 * ce / 3.0, "d": ce / 3.0, "s": ce / 3.0}
    return {"light_vector": lv,
            "lepton_g2": {"delta_a_e": obs["delta_a_e"], "delta_a_mu": obs["delta_a_mu"],
                          "delta_a_tau": obs["delta_a_tau"]},
            "radiation": {"delta_n_eff": neff_table.delta_n_eff(mz, zprime.eps_az(g), _f64(theta, "m_phi"))}}


def _derived_y(theta):
    """y fixed by the relic density at the other parameters: Ωh² = Planck from the p-wave
    freeze-out of :mod:`.relic` (``y = { prior = "derived" }``)."""
    return relic_yukawa(_f64(theta, "m_dm"), _f64(theta, "g_prime"), _f64(theta, "m_zprime"))


def _derived_y_paper_eq20(theta):
    """y from the paper's own matching, eqs. (20)–(21) as printed (``relic="paper_eq20"`` of
    :func:`.dark_sector.relic_yukawa`; reproduces its Fig. 3): ``y = { prior = "derived",
    rule = "paper_eq20" }``."""
    return relic_yukawa(_f64(theta, "m_dm"), _f64(theta, "g_prime"), _f64(theta, "m_zprime"), relic="paper_eq20")


MODEL = Model(
    name="lmu_ltau",
    description="Gauged U(1)_{Lμ−Lτ} Z′ for (g−2)_μ with pseudo-Dirac SIDM mediated by the U(1) Higgs",
    reference="Kamada, Kaneta, Yanagi, Yu, JHEP 06 (2018) 117, arXiv:1805.00651",
    parameters=PARAMETERS,
    observables=observables,
    units=UNITS,
    constraints=CONSTRAINTS,
    benchmarks=BENCHMARKS,
    signal="delta_a_mu",
    derived={"y": _derived_y, "y:paper_eq20": _derived_y_paper_eq20},
    couplings=couplings,
    coupling_sections=("light_vector", "lepton_g2", "radiation"),
    validity=(Validity(("trident_ratio",), lambda obs, th: th["m_zprime"] >= trident.CONTACT_VALID_MIN_MASS,
                       "contact-limit trident formula: valid for m_Z′ ≳ 10 GeV only"),),
)

__all__ = ["MODEL", "observables", "relic_yukawa", "UNITS", "PARAMETERS", "CONSTRAINTS",
           "BENCHMARKS", "zprime", "scalar", "borexino", "white_dwarf", "trident", "dark_sector",
           "self_interaction", "cosmology"]
