"""Light-vector searches recast to generic couplings (jaxg2.constraints.light_vector)."""

import math

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from scipy.interpolate import PchipInterpolator
from scipy.optimize import brentq

from jaxg2 import experiments
from jaxg2.constants import ALPHA_EM, E_EM, M_E, M_MU, M_TAU
from jaxg2.constraints import base
from jaxg2.constraints import light_vector as lv
from jaxg2.constraints import vector_decays as vd

DP = vd.DARK_PHOTON
LMU_LTAU = {"mu": 1.0, "tau": -1.0, "nu_mu": 1.0, "nu_tau": -1.0}


def scaled(c, k):
    return {key: k * v for key, v in c.items()}


def table(name):
    return lv._read_table(experiments.DATA_DIR / lv.CATALOGUE[name].values["file"])


def rows_to_check(name):
    """Rows at unique masses (duplicates are vertical steps) above the e+e- threshold
    (a dark photon below 2 m_e cannot decay visibly: such rows are unphysical)."""
    t = table(name)
    m = t[:, 0]
    keep = np.array([np.sum(m == x) == 1 for x in m])
    if lv.CATALOGUE[name].values["final_state"] != "invisible":
        keep &= m > 2.0 * M_E * (1 + 1e-9)
    if lv.CATALOGUE[name].values["bound"] == "one_sided":
        keep &= t[:, 1] < 1e5  # DarkCast sentinel: no constraint
    return t[keep]


# ------------------------------------------------------------------------- widths


def _dirac():
    s = [np.array([[0, 1], [1, 0]]), np.array([[0, -1j], [1j, 0]]), np.array([[1, 0], [0, -1]])]
    z, i2 = np.zeros((2, 2)), np.eye(2)
    g0 = np.block([[i2, z], [z, -i2]]).astype(complex)
    gs = [np.block([[z, si], [-si, z]]).astype(complex) for si in s]
    g5 = np.block([[z, i2], [i2, z]]).astype(complex)
    return [g0] + gs, g5


def width_from_traces(g, m, mf, left_handed=False):
    """Two-body width from the spin-summed |M|^2 computed with explicit Dirac matrices
    (independent of the closed formulas): Gamma = p/(8 pi m^2) <|M|^2>."""
    gam, g5 = _dirac()
    metric = np.diag([1.0, -1.0, -1.0, -1.0])
    p = 0.5 * m * math.sqrt(1 - 4 * mf**2 / m**2)
    e = 0.5 * m
    p1, p2 = np.array([e, 0, 0, p]), np.array([e, 0, 0, -p])
    slash = lambda q: sum(metric[mu, mu] * q[mu] * gam[mu] for mu in range(4))  # noqa: E731
    proj = 0.5 * (np.eye(4) - g5) if left_handed else np.eye(4)
    vert = [g * gam[mu] @ proj for mu in range(4)]
    vbar = [gam[0] @ v.conj().T @ gam[0] for v in vert]
    k = p1 + p2
    pol = -metric + np.outer(metric @ k, metric @ k) / m**2  # sum over X polarisations (lower indices)
    msq = 0.0
    for mu in range(4):
        for nu in range(4):
            t = np.trace((slash(p1) + mf * np.eye(4)) @ vert[mu] @ (slash(p2) - mf * np.eye(4)) @ vbar[nu])
            msq += pol[mu, nu] * t
    return p / (8 * math.pi * m**2) * msq.real / 3.0


@pytest.mark.parametrize("m", [0.05, 0.3, 2.0])
def test_lepton_and_neutrino_widths_match_trace_computation(m):
    g = 3e-4
    for ml in (M_E, M_MU):
        if m > 2 * ml:
            assert math.isclose(float(vd.lepton_width(g, m, ml)), width_from_traces(g, m, ml), rel_tol=1e-10)
    assert math.isclose(float(vd.neutrino_width(g, m)), width_from_traces(g, m, 0.0, left_handed=True),
                        rel_tol=1e-10)


def test_dark_photon_electron_width_closed_form():
    eps, m = 1e-3, 0.02
    r = M_E**2 / m**2
    expected = ALPHA_EM * eps**2 * m / 3 * (1 + 2 * r) * math.sqrt(1 - 4 * r)
    w = vd.partial_widths(scaled(DP, eps), m)
    assert math.isclose(float(w["ee"]), expected, rel_tol=1e-12)
    assert float(w["mumu"]) == 0.0 and float(w["pipi"]) == 0.0  # below thresholds


def test_branching_fractions_sum_to_one_and_thresholds():
    rng = np.random.default_rng(1)
    m = jnp.array([0.005, 0.15, 0.5, 1.0, 3.0, 8.0])
    for _ in range(5):
        c = {k: float(rng.normal()) * 1e-3 for k in vd.COUPLING_KEYS}
        c["invisible_width"] = 1e-9
        br = vd.branching_fractions(c, m)
        np.testing.assert_allclose(sum(np.asarray(v) for v in br.values()), 1.0, rtol=1e-12)
    # a pure electron coupling below the muon threshold decays only to e+e-
    br = vd.branching_fractions({"e": 1e-4}, 0.1)
    assert math.isclose(float(br["e_e"]), 1.0, rel_tol=1e-14)
    # L_mu - L_tau between 2 m_mu and 2 m_tau: Gamma_mumu / Gamma_nunu = 2 (1+2r) beta (Dirac vs one helicity, 2 flavours)
    m = 1.0
    r = M_MU**2 / m**2
    br = vd.branching_fractions(LMU_LTAU, m)
    assert math.isclose(float(br["mu_mu"] / br["invisible"]), (1 + 2 * r) * math.sqrt(1 - 4 * r), rel_tol=1e-12)
    assert m < 2 * M_TAU


# ----------------------------------------------------------------- identity recast


def identity_couplings(name):
    """The reference model of the table at unit coupling, with BR(invisible) ~ 1 for invisible searches."""
    ref = lv.REFERENCES[lv.CATALOGUE[name].values["reference"]]
    return dict(ref)


@pytest.mark.parametrize("name", lv.LIMITS)
def test_reference_model_recast_onto_itself_reproduces_the_published_curve(name):
    rows = rows_to_check(name)
    eps = 1e-3
    c = scaled(identity_couplings(name), eps)
    m = rows[:, 0]
    invisible = lv.CATALOGUE[name].values["final_state"] == "invisible"
    if invisible:
        # BR(invisible) -> 1: a dark width 1e12 times the visible width (scales with the couplings)
        vis = sum(vd.channel_widths(vd.partial_widths(c, m)).values())
        c["invisible_width"] = 1e12 * np.asarray(vis) + 1e-30
    if lv.CATALOGUE[name].values["bound"] == "one_sided":
        k = np.asarray(lv.coupling_limit(name, m, c))
        np.testing.assert_allclose(k * eps, rows[:, 1], rtol=1e-9)
    else:
        k_lo, k_up = map(np.asarray, lv.band_edges(name, m, c))
        np.testing.assert_allclose(k_lo * eps, rows[:, 1], rtol=1e-9)
        np.testing.assert_allclose(k_up * eps, rows[:, 2], rtol=1e-9)
        np.testing.assert_allclose(np.asarray(lv.coupling_limit(name, m, c)), k_lo, rtol=1e-14)


def test_every_recastable_table_is_covered_and_reference_only_tables_are_not_limits():
    names = set(lv.LIMITS)
    assert not any(n.startswith(("AMM", "ATLAS_")) or "tgd" in n or "rdr" in n for n in names)
    assert {"NA64_2023_invisible", "NA62_2023_mumu_dump", "FASER_2023", "E137_Andreas2012mt",
            "NA64_NA642019imj", "BelleII_Adachi2019otg", "LEP_Fox2011fx", "NA62_CortinaGil2019nuo",
            "BaBar_Lees2017lec"} <= names
    assert len(names) == 42
    # every DarkCast table in the pack has a registry entry with a status
    stems = {e["name"] for e in __import__("yaml").safe_load(
        (experiments.DATA_DIR / "darkcast" / "limits.yaml").read_text())["limits"]}
    for s in stems:
        assert experiments.get(s).values["status"] in ("recast", "reference_only", "not_a_limit", "gap")
    for gap in ("NA64mu_2024_invisible_gap", "BelleII_2023_invisible_gap", "NA64e_2023_visible_gap"):
        assert "gap" in experiments.get(gap).note


def test_between_tabulated_masses_the_identity_holds_approximately():
    name = "E137_Andreas2012mt"
    rows = rows_to_check(name)
    i = len(rows) // 3
    m = math.sqrt(rows[i, 0] * rows[i + 1, 0])
    up = math.sqrt(rows[i, 2] * rows[i + 1, 2])
    full = table(name)                      # the lower edge is interpolated directly: scipy's PCHIP
    j = int(np.flatnonzero(full[:, 0] == rows[i, 0])[0])  # in log-log on the 4 nodes around m
    window = full[j - 1:j + 3]
    assert np.all(np.diff(window[:, 0]) > 0)
    lo = math.exp(float(PchipInterpolator(np.log(window[:, 0]), np.log(window[:, 1]))(math.log(m))))
    k_lo, k_up = lv.band_edges(name, m, DP)
    assert math.isclose(float(k_lo), lo, rel_tol=1e-12)
    assert min(rows[i, 1], rows[i + 1, 1]) <= float(k_lo) <= max(rows[i, 1], rows[i + 1, 1])
    assert math.isclose(float(k_up), up, rel_tol=0.05)  # the upper edge follows from the window model


# --------------------------------------------------------------------- scaling


@pytest.mark.parametrize("name", ["A1_Merkel2014avp", "E137_Andreas2012mt", "NA64_2023_invisible",
                                  "KLOE_Anastasi2018azp_mumu", "BaBar_Lees2014xha", "LEP_Fox2011fx"])
def test_pure_muon_coupling_is_invisible_to_electron_production(name):
    m = float(rows_to_check(name)[len(rows_to_check(name)) // 2, 0])
    c = {"mu": 1e-2, "nu_mu": 1e-2, "invisible_width": 1e-6}
    assert float(lv.coupling_limit(name, m, c)) == math.inf
    assert not bool(lv.excluded(name, m, c))
    assert float(lv.statistic(name, m, c)) == 0.0


def test_protophobic_couplings_escape_pi0_searches():
    c = {"e": -1e-3, "u": -1e-3 / 3, "d": 2e-3 / 3}  # 2 g_u + g_d = 0
    assert float(lv.coupling_limit("NA48_Batley2015lha", 0.05, c)) == math.inf


def test_babar_2016_muonic_search_reproduces_g_prime_for_lmu_ltau():
    """DATAPACK doubt: the table is the L_mu-L_tau g' (not epsilon); recast with muon-radiation
    production and the L_mu-L_tau reference it must give the tabulated g' back."""
    rows = rows_to_check("BaBar_TheBABAR2016rlg")
    g = 1e-3
    k = np.asarray(lv.coupling_limit("BaBar_TheBABAR2016rlg", rows[:, 0], scaled(LMU_LTAU, g)))
    np.testing.assert_allclose(k * g, rows[:, 1], rtol=1e-9)
    # a dark photon is constrained only through its muon coupling: k = g'_lim / (e eps) / sqrt(BR ratio)
    m = 1.0
    eps = 1e-3
    br_dp = vd.branching_fractions(DP, m)["mu_mu"]
    br_l = vd.branching_fractions(LMU_LTAU, m)["mu_mu"]
    lim = float(PchipInterpolator(np.log(rows[:, 0]), np.log(rows[:, 1]))(np.log(m)))  # the tables' interpolant
    expected = math.exp(lim) / (E_EM * eps) / math.sqrt(float(br_dp / br_l))
    assert math.isclose(float(lv.coupling_limit("BaBar_TheBABAR2016rlg", m, scaled(DP, eps))), expected, rel_tol=1e-6)


def test_belle2_2020_gives_g_prime_equal_e_times_table():
    rows = rows_to_check("BelleII_Adachi2019otg")
    g = 1e-2
    c = scaled(LMU_LTAU, g)
    c["invisible_width"] = 1e6  # BR(invisible) = 1, the search's assumption
    k = np.asarray(lv.coupling_limit("BelleII_Adachi2019otg", rows[:, 0], c))
    np.testing.assert_allclose(k * g, 0.302822 * rows[:, 1], rtol=1e-4)  # DATAPACK: x 0.302822 gives g'


def test_invisible_limits_are_weighted_by_the_invisible_branching_fraction():
    rows = table("NA64_2023_invisible")
    m = rows[10:200:37, 0]
    eps = 1e-5
    c = scaled(DP, eps)
    vis = np.asarray(sum(vd.channel_widths(vd.partial_widths(c, m)).values()))
    for br_inv in (1.0 - 1e-12, 0.5, 0.1):
        c["invisible_width"] = vis * br_inv / (1 - br_inv)
        k = np.asarray(lv.coupling_limit("NA64_2023_invisible", m, c))
        np.testing.assert_allclose(k * eps, rows[10:200:37, 1] / math.sqrt(br_inv), rtol=1e-9)
    # the 2023 curve here is the package's registry curve
    curve = experiments.curve("na64_2023_invisible_dark_photon")
    np.testing.assert_allclose(rows[10:200:37, 1], np.asarray(curve(m)), rtol=1e-12)


def test_visible_limits_are_weighted_by_the_visible_branching_fraction():
    name, m, eps = "A1_Merkel2014avp", 0.1, 1e-3
    c = scaled(DP, eps)
    k1 = float(lv.coupling_limit(name, m, c))
    c["invisible_width"] = float(sum(vd.channel_widths(vd.partial_widths(c, m)).values()))  # BR_ee halves
    assert math.isclose(float(lv.coupling_limit(name, m, c)), k1 * math.sqrt(2.0), rel_tol=1e-12)


def test_beam_dump_window_against_scipy_root_finding():
    """Independent solve of the documented window model at a tabulated mass: a dark
    photon with half its decays invisible (rate x 1/2, width x 2)."""
    name = "E137_Andreas2012mt"
    rows = rows_to_check(name)
    m, lo, up = rows[len(rows) // 2]
    a_over_b = lv.CATALOGUE[name].values["decay_over_shield"]
    rho = 1 + a_over_b[0] / a_over_b[1]
    phi = lambda z: z * (math.exp(-z) - math.exp(-rho * z))  # noqa: E731
    q = (up / lo) ** 2
    dphi = lambda z: (math.exp(-z) - math.exp(-rho * z)) - z * (math.exp(-z) - rho * math.exp(-rho * z))  # noqa: E731
    zs = brentq(dphi, 1e-6, 50)  # maximum of phi
    z_lo = brentq(lambda z: phi(z) - phi(q * z), 1e-12, zs)
    c_ = z_lo / lo**2
    # model: couplings eps*DP and an invisible width equal to the visible one
    eps = 1e-5
    cpl = scaled(DP, eps)
    cpl["invisible_width"] = float(sum(vd.channel_widths(vd.partial_widths(cpl, m)).values()))
    a, rho_g = 0.5 * eps**2, 2.0 * eps**2  # rate and width per k^2 in units of the unit-epsilon dark photon
    target = phi(z_lo) * rho_g / a
    z1 = brentq(lambda z: phi(z) - target, 1e-15, zs)
    z2 = brentq(lambda z: phi(z) - target, zs, 1e4)
    k_lo, k_up = lv.band_edges(name, m, cpl)
    assert math.isclose(float(k_lo), math.sqrt(z1 / (c_ * rho_g)), rel_tol=1e-8)
    assert math.isclose(float(k_up), math.sqrt(z2 / (c_ * rho_g)), rel_tol=1e-8)


def test_two_sided_statistic_and_excluded_agree():
    name = "NuCAL_Tsai2019mtm"
    rows = rows_to_check(name)
    m = rows[len(rows) // 2, 0]
    lo, up = rows[len(rows) // 2, 1:]
    eps = jnp.geomspace(lo / 30, up * 30, 41)
    c = {k: eps * v for k, v in DP.items()}
    s = np.asarray(lv.statistic(name, m, c))
    ex = np.asarray(lv.excluded(name, m, c))
    inside = (np.asarray(eps) > lo) & (np.asarray(eps) < up)
    assert np.array_equal(ex, inside)
    assert np.array_equal(s > 1.0, inside)
    # s = min(1/k_low, k_up): at the geometric centre of the band both equal sqrt(up/lo)
    centre = math.sqrt(lo * up)
    sc = float(lv.statistic(name, m, scaled(DP, centre)))
    assert math.isclose(sc, math.sqrt(up / lo), rel_tol=1e-6)


def test_one_sided_statistic_is_inverse_k():
    m = jnp.geomspace(0.02, 8.0, 9)
    c = scaled(DP, 1e-3)
    r = np.asarray(lv.statistic("BaBar_Lees2014xha", m, c))
    k = np.asarray(lv.coupling_limit("BaBar_Lees2014xha", m, c))
    np.testing.assert_allclose(np.where(r > 0, 1 / np.where(r > 0, r, 1), np.inf), k, rtol=1e-12)
    np.testing.assert_array_equal(np.asarray(lv.excluded("BaBar_Lees2014xha", m, c)), r > 1)


# -------------------------------------------------------------------- families, JAX


def test_families_attach_and_constraints_are_documented():
    fams = {f.name: f for f in base.all_families()}
    vis, inv = fams["light_vector_visible"], fams["light_vector_invisible"]
    assert vis.applies(("light_vector",)) and inv.applies(("light_vector",))
    cons = {c.name: c for c in vis.constraints + inv.constraints}
    assert set(cons) == set(lv.LIMITS)
    for n, c in cons.items():
        assert c.observable == "r_" + n and c.kind == "upper" and c.limit == 1.0
        assert c.source and c.year
        if not c.default:
            assert c.note
    assert cons["NA64_2023_invisible"].default and not cons["NA64_NA642019imj"].default
    assert not cons["KLOE_Anastasi2016ktq"].default and not cons["FASER_2023"].default
    obs = vis.observables({"light_vector": {"mass": jnp.array([0.01, 0.3]), **scaled(DP, 1e-4)}})
    assert set(obs) == {"r_" + n for n in lv.VISIBLE} and all(v.shape == (2,) for v in obs.values())


def _lmu_ltau_point(theta):
    m, g = jnp.exp(theta[0]), jnp.exp(theta[1])
    eps = g / 70.0
    c = {"mass": m, "mu": g, "tau": -g, "nu_mu": g, "nu_tau": -g,
         "e": -eps * E_EM, "u": 2 * eps * E_EM / 3, "d": -eps * E_EM / 3, "s": -eps * E_EM / 3}
    return c


def _total(theta, families):
    c = _lmu_ltau_point(theta)
    obs = base.library_observables({"light_vector": c}, families)
    return sum(jnp.sum(jnp.log1p(v)) for v in obs.values())


def test_jit_vmap_grad_finite_across_the_prior_box():
    fams = tuple(f for f in base.all_families() if f.name.startswith("light_vector"))
    f = jax.jit(jax.vmap(jax.value_and_grad(lambda t: _total(t, fams))))
    lm = np.log(np.geomspace(1e-3, 10.0, 23))
    lg = np.log(np.geomspace(1e-6, 1.0, 7))
    grid = jnp.array([[a, b] for a in lm for b in lg])
    val, grad = f(grid)
    assert np.all(np.isfinite(np.asarray(val))) and np.all(np.isfinite(np.asarray(grad)))


@pytest.mark.parametrize("name", ["E137_Andreas2012mt", "NA64_2023_invisible", "CHARM_Tsai2019mtm", "A1_Merkel2014avp"])
def test_finite_gradients_at_curve_and_band_edges(name):
    rows = rows_to_check(name)
    extra = {"invisible_width": 1.0} if lv.CATALOGUE[name].values["final_state"] == "invisible" else {}

    def cpl(le):  # BR(invisible) ~ 1 for the invisible searches
        return {**scaled(DP, jnp.exp(le)), **extra}

    masses = [rows[0, 0], rows[-1, 0], rows[len(rows) // 2, 0]]
    eps_list = [rows[len(rows) // 2, 1]] + ([rows[len(rows) // 2, 2]] if rows.shape[1] == 3 else [])
    for m in masses:
        for eps in eps_list:
            g = jax.grad(lambda lm, le: lv.statistic(name, jnp.exp(lm), cpl(le)),
                         argnums=(0, 1))(math.log(m), math.log(eps))
            assert all(np.isfinite(float(x)) for x in g)
    # just below the lower edge s = 1/k_low = eps/eps_lo: d ln s / d ln eps = 1
    m, lo = rows[len(rows) // 2, :2]
    d = jax.grad(lambda le: jnp.log(lv.statistic(name, m, cpl(le))))(math.log(lo) - 1e-3)
    assert math.isclose(float(d), 1.0, rel_tol=1e-6)


# --------------------------------------------------------------------- beam-dump band edges


def _ln_phi(t, rho):  # φ(z) = z (e^{-z} − e^{-ρ z}), t = ln z: written out here, not the module's
    return t - math.exp(t) + math.log(-math.expm1(-(rho - 1.0) * math.exp(t)))


def _peak(rho):
    def slope(t):  # 1 − z + x/(eˣ − 1), x = (ρ − 1) z
        x = (rho - 1.0) * math.exp(t)
        return 1.0 - math.exp(t) + x * math.exp(-x) / -math.expm1(-x)
    return brentq(slope, -50.0, 5.0, xtol=1e-15, rtol=1e-15)


@pytest.mark.parametrize("increasing", [True, False])
def test_band_edge_root_matches_brentq_for_every_table(increasing):
    """The Newton root of ln φ(t) = lt on each side of the maximum against scipy's brentq on
    the written-out φ, for every two-sided table's ρ (and 1.0001, 1e4), targets 1e-10 … 700
    below the maximum; its gradient is the implicit-function dt/dlt = 1/(d ln φ/dt)."""
    rhos = sorted(set(lv._group(lv.LIMITS)["two_rho"].tolist()) | {1.0001, 1e4})
    depth = np.geomspace(1e-10, 700.0, 41)
    root = jax.jit(jax.vmap(jax.value_and_grad(
        lambda lt, rho, ts, lm, c: lv._branch_root(lt, rho, ts, lm, c, increasing)),
        in_axes=(0, None, None, None, None)))
    for rho in rhos:
        ts = _peak(rho)
        lm = _ln_phi(ts, rho)
        curv = float(lv._curvature(np.float64(ts), rho))
        t, dt = map(np.asarray, root(jnp.asarray(lm - depth), rho, ts, lm, curv))
        lo, hi = (ts - 400.0, ts) if increasing else (ts, ts + 60.0)
        ref = np.array([brentq(lambda u: _ln_phi(u, rho) - (lm - d), lo, hi, xtol=1e-14, rtol=1e-15) for d in depth])
        near = depth < 1e-8  # √(rounding of ln φ) limits both roots there
        np.testing.assert_allclose(t[~near], ref[~near], rtol=0, atol=1e-10)
        np.testing.assert_allclose(t[near], ref[near], rtol=0, atol=1e-6)
        slope = np.array([(_ln_phi(u + 1e-6, rho) - _ln_phi(u - 1e-6, rho)) / 2e-6 for u in ref])
        far = depth > 1e-4
        np.testing.assert_allclose(dt[far], 1.0 / slope[far], rtol=1e-5)
        assert np.all(np.isfinite(dt))


def test_band_edge_root_beyond_its_bracket_stays_finite():
    rho = 1.0208333333333333
    ts = _peak(rho)
    lm = _ln_phi(ts, rho)
    curv = float(lv._curvature(np.float64(ts), rho))
    for inc in (True, False):
        f = jax.value_and_grad(lambda lt: lv._branch_root(lt, rho, ts, lm, curv, inc))
        for lt in (lm - 1e4, lm - 1e30, lm):
            v, g = f(lt)
            assert np.isfinite(float(v)) and np.isfinite(float(g))
