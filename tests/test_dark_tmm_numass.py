"""Paper 004, issue 13: radiative ν mass of the TMM loop, solar μ_eff, loop_J export, μ → eγ via the library.

Independent references: the Euclidean loop-momentum integral of the self-energy (no
Feynman parameters) and its Feynman-parameter form ∫₀¹ ln Δ dx, both in mpmath, with
the couplings built diagram by diagram from explicit mixing matrices; Ma's scotogenic
closed form in numpy; a hand-written sum for μ_eff; the heavy-E μ → eγ formula.
"""

import math

import jax
import jax.numpy as jnp
import mpmath as mp
import numpy as np
import pytest

import jaxg2  # noqa: F401
from jaxg2 import constants as C
from jaxg2 import experiments, models
from jaxg2.models import dark_tmm as dt

MODEL = models.get("dark_tmm")


def _couplings(y, tr, ti):
    """Y[α, β, Φ] of ν_α χ_β Φ: w_β (y O)*_αΦ, O from explicit R(θ_R), I(θ_I) (no library code)."""
    R = np.array([[math.cos(tr), math.sin(tr)], [-math.sin(tr), math.cos(tr)]])
    Im = np.array([[math.cos(ti), math.sin(ti)], [-math.sin(ti), math.cos(ti)]])
    O = np.concatenate([R, 1j * Im], axis=1) / math.sqrt(2.0)   # S_a = Σ_Φ O_aΦ Φ
    w = np.array([-1.0, 1.0]) / math.sqrt(2.0)                  # N_R^c = (χ₂ − χ₁)/√2
    c = np.conj(np.asarray(y) @ O)
    return w[None, :, None] * c[:, None, :]


def _ref_mass(y, M, ms, tr, ti, form):
    """δm_αγ [GeV] = −(1/16π²) Σ_βΦ Y Y M_β B₀, evaluated in mpmath (30 digits).

    form="momentum": B₀/16π² = ∫d⁴k_E/(2π)⁴ 1/((k²+M²)(k²+m²)) = (1/8π²)∫k³dk/(…), the Φ-sum
    taken under the integral (it converges only because the divergence cancels);
    form="feynman": B₀ = Δ − ∫₀¹ ln(xM² + (1−x)m²) dx, with the Δ coefficient returned too.
    """
    Y = _couplings(y, tr, ti)
    out = np.zeros((2, 2), complex)
    div = np.zeros((2, 2), complex)
    with mp.workdps(30):
        for a in range(2):
            for g in range(2):
                coef = [[complex(Y[a, b, f] * Y[g, b, f]) for f in range(4)] for b in range(2)]
                div[a, g] = sum(coef[b][f] * M[b] for b in range(2) for f in range(4))
                if form == "momentum":
                    def integrand(k, part):
                        tot = mp.mpf(0)
                        for b in range(2):
                            for f in range(4):
                                cf = coef[b][f].real if part == 0 else coef[b][f].imag
                                tot += cf * M[b] * k**3 / ((k * k + M[b] ** 2) * (k * k + ms[f] ** 2))
                        return tot
                    re, im = (mp.quad(lambda k: integrand(k, p), [0, 0.1, 1, 10, mp.inf]) for p in (0, 1))
                    out[a, g] = -complex(re + 1j * im) / (8 * math.pi**2)
                else:
                    tot = 0
                    for b in range(2):
                        for f in range(4):
                            lnint = mp.quad(lambda x: mp.log(x * M[b] ** 2 + (1 - x) * ms[f] ** 2), [0, 1])
                            tot += coef[b][f] * M[b] * complex(lnint)
                    out[a, g] = tot / (16 * math.pi**2)
    return out, div


RNG = np.random.default_rng(7)
CASES = [
    (np.array([[0.3 + 0.1j, -0.2], [0.5j, 0.4]]), (0.1, 0.1), (0.2, 0.4, 0.25, 0.35), 0.9, 0.2),
    (RNG.normal(size=(2, 2)) + 1j * RNG.normal(size=(2, 2)), (0.05, 0.17), (0.3, 0.7, 0.11, 1.3), 2.1, -0.4),
    (RNG.normal(size=(2, 2)) + 1j * RNG.normal(size=(2, 2)), (-0.4, 0.9), (0.9, 0.2, 0.5, 2.0), -0.3, 1.2),
]


@pytest.mark.parametrize("form", ["momentum", "feynman"])
@pytest.mark.parametrize("y,M,ms,tr,ti", CASES)
def test_radiative_mass_vs_mpmath_self_energy(y, M, ms, tr, ti, form):
    ref, div = _ref_mass(y, M, ms, tr, ti, form)
    # the divergent coefficient Σ_βΦ Y Y M_β vanishes (R Rᵀ = I Iᵀ), also β by β
    assert np.max(np.abs(div)) < 1e-15 * np.max(np.abs(y)) ** 2
    Y = _couplings(y, tr, ti)
    assert np.max(np.abs(np.einsum("abf,gbf->agb", Y, Y))) < 1e-15 * np.max(np.abs(y)) ** 2
    got = np.asarray(dt.radiative_neutrino_mass(jnp.asarray(y), *M, *ms, tr, ti))
    np.testing.assert_allclose(got, ref, rtol=1e-10, atol=1e-13 * np.max(np.abs(ref)))


def test_ma_scotogenic_limit_and_symmetry_zeros():
    """Only y_e1 ≠ 0, θ_R = θ_I = 0, m_D = 0: Ma's y²M/(32π²)[f(m_R²/M²) − f(m_I²/M²)] for ν_e ν_e."""
    y0, m, mr, mi = 0.7, 0.1, 0.3, 0.45
    y = jnp.asarray([[y0, 0.0], [0.0, 0.0]], dtype=complex)
    f = lambda r: r * np.log(r) / (r - 1)  # noqa: E731
    ma = y0**2 * m / (32 * math.pi**2) * (f(mr**2 / m**2) - f(mi**2 / m**2))
    dm = np.asarray(dt.radiative_neutrino_mass(y, m, m, mr, 0.9, mi, 0.8, 0.0, 0.0))
    assert abs(dm[0, 0]) == pytest.approx(abs(ma), rel=1e-13)
    assert np.all(np.abs(dm.ravel()[1:]) == 0.0)
    yr = jnp.asarray([[0.3 + 0.1j, -0.2], [0.5j, 0.4]])
    # lepton number conserved (m = 0 → M₁ = −M₂) and Ma's m_R = m_I (H_k = A_k, θ_R = θ_I): no mass
    scale = np.max(np.abs(dt.radiative_neutrino_mass(yr, 0.1, 0.1, 0.2, 0.4, 0.25, 0.35, 0.9, 0.2)))
    M1, M2 = dt.heavy_masses(0.0, 0.2)
    assert np.max(np.abs(dt.radiative_neutrino_mass(yr, M1, M2, 0.2, 0.4, 0.25, 0.35, 0.9, 0.2))) < 1e-14 * scale
    assert np.max(np.abs(dt.radiative_neutrino_mass(yr, 0.1, 0.1, 0.2, 0.4, 0.2, 0.4, 0.7, 0.7))) < 1e-14 * scale


def test_radiative_mass_degenerate_points_and_gradients():
    """m_Φ = M (f's removable singularity) is continuous with finite gradients; jit/vmap agree."""
    yr = jnp.asarray([[0.3 + 0.1j, -0.2], [0.5j, 0.4]])

    def dm(h1):
        return dt.delta_m_nu_loop_ev(yr, 0.1, 0.1, h1, 0.4, 0.25, 0.35, 0.9, 0.2)

    at, near = float(dm(0.1)), float(dm(0.1 * (1 + 1e-7)))
    assert at == pytest.approx(near, rel=1e-6)
    g = jax.grad(dm)
    for h in (0.1, 0.2, 0.1 * (1 + 1e-9)):
        assert np.isfinite(float(g(h)))
    h = 1e-6
    fd = (float(dm(0.3 + h)) - float(dm(0.3 - h))) / (2 * h)
    assert float(jax.jit(g)(0.3)) == pytest.approx(fd, rel=1e-6)
    # zero mass matrix (degenerate spectra): value 0 and finite gradients (double-where)
    z = lambda t: dt.delta_m_nu_loop_ev(yr, 0.1, 0.1, 0.2, 0.4, 0.2, 0.4, t, t)  # noqa: E731
    assert float(z(0.7)) < 1e-14 * float(dm(0.3)) and np.isfinite(float(jax.grad(z)(0.7)))
    hs = jnp.asarray([0.2, 0.25, 0.3])
    vm = jax.vmap(dm)(hs)
    np.testing.assert_allclose(np.asarray(vm), [float(dm(float(v))) for v in hs], rtol=1e-13)


def test_fig7_benchmark_radiative_mass_is_hundreds_of_eV_and_violates_the_oscillation_scale():
    obs = MODEL.observables(MODEL.benchmark("fig7"))
    dm = float(obs["delta_m_nu_loop"])
    assert 5.0e2 < dm < 6.0e2                      # 568.5 eV, the "O(5e2 eV)"
    c = MODEL.constraint("radiative_nu_mass")
    nufit = experiments.get("nufit_6_0_normal").values
    assert c.default and c.limit == pytest.approx(math.sqrt(nufit["dm2_3l_eV2"]), rel=1e-15)
    assert MODEL.log_constraints(obs, names=["radiative_nu_mass"]) == -np.inf


def test_mu_eff_solar_by_hand():
    lam = np.array([[0, 1 + 2j, -0.5], [-(1 + 2j), 0, 3j], [0.5, -3j, 0]]) * 1e-10
    U = np.asarray(jaxg2.neutrino.pmns_from_data("normal"))
    hand = 0.0
    for i in range(3):
        row = sum(abs(lam[i, j]) ** 2 for j in range(3))
        hand += abs(U[0, i]) ** 2 * row
    assert float(dt.mu_eff_solar(jnp.asarray(lam))) == pytest.approx(math.sqrt(hand), rel=1e-13)
    # the model's μ_eff = ε × that, from its own λ; max|λ_ij| would be the old, different number
    p = MODEL.benchmark("fig7")
    obs = MODEL.observables(p)
    y = dt.yukawa_matrix(p)
    M1, M2 = dt.heavy_masses(p["m_maj"], p["m_dirac"])
    lm = np.asarray(dt.transition_moments(p["g_D"], p["Q_S"], y, M1, M2, p["M_H1"], p["M_H2"], p["M_A1"],
                                          p["M_A2"], p["theta_R"], p["theta_I"]))
    h = math.sqrt(sum(abs(U[0, i]) ** 2 * sum(abs(lm[i, j]) ** 2 for j in range(3)) for i in range(3)))
    assert float(obs["mu_eff"]) == pytest.approx(float(p["epsilon"]) * h, rel=1e-12)
    assert float(obs["mu_eff_borexino"]) == pytest.approx(
        float(obs["mu_eff"]) * math.sqrt(float(dt.borexino_recast_factor(p["m_Aprime"]))), rel=1e-12)


def test_loop_J_importable_from_the_model_module():
    from jaxg2.models.dark_tmm import loop_J

    M, a, b = 0.1, 0.3, 0.45
    with mp.workdps(25):
        ref = mp.quad(lambda x: mp.quad(lambda yv: (x + yv) / (x * b * b + yv * a * a + (1 - x - yv) * M * M),
                                        [0, 1 - x]), [0, 1])
    assert float(loop_J(M, a, b)) == pytest.approx(float(ref), rel=1e-10)


def test_mu_e_gamma_through_the_constraints_library():
    """lfv_br_mu_e_gamma (library, from the lepton_dipole section) = heavy-E closed form; no model twin."""
    p = dict(MODEL.benchmark("fig7"))
    p.update(y_e1_re=0.1, y_e2_re=0.05, y_e2_im=0.02, y_mu1_re=0.07, y_mu2_im=0.0, y_mu2_re=0.02,
             M_H1=0.3, M_H2=0.3, M_A1=0.3, M_A2=0.3, theta_R=0.3, theta_I=0.2)
    p = {k: jnp.asarray(v, dtype=jnp.float64) for k, v in p.items()}
    obs = jax.jit(MODEL.observables)(p)
    y = np.asarray(dt.yukawa_matrix(p))
    yy = abs((y @ y.conj().T)[0, 1])
    heavy = C.ALPHA_EM * yy**2 / (768 * math.pi * C.G_FERMI**2 * 2000.0**4) * (1 - C.M_E**2 / C.M_MU**2) ** 3
    assert float(obs["lfv_br_mu_e_gamma"]) == pytest.approx(heavy, rel=1e-5)
    names = {c.name for c in MODEL.constraints}
    assert {"meg2_mu_e_gamma", "meg2_2024_mu_e_gamma", "sindrum_mu_3e"} <= names
    assert not names & {"meg2_2025", "meg2_2024"} and "br_mu_e_gamma" not in MODEL.units
    g = jax.grad(lambda t: jnp.log(MODEL.observables({**p, "theta_R": t})["lfv_br_mu_e_gamma"]))(0.3)
    assert np.isfinite(float(g))


def test_tuned_bound_point_is_feasible_and_far_above_generic_points():
    """The det X = 0 construction: re-evaluated through the model's full observables (library MEG II,
    δm, perturbativity), it passes, and beats every generic random point scaled onto its binding limit."""
    b = dt.tuned_moment_bound(num_spectra=25, seed=2)
    assert b["mu_solar"] > 0 and abs(b["sigma"][np.argmin(np.abs(b["sigma"]))]) < b["tuning"] * np.max(np.abs(b["sigma"]))
    y = b["y"]
    theta = dict(MODEL.benchmark("fig7"))
    theta.update({k: b[k] for k in ("M_H1", "M_H2", "M_A1", "M_A2", "theta_R", "theta_I")})
    for al, row in (("e", 0), ("mu", 1)):
        for a in (1, 2):
            theta[f"y_{al}{a}_re"], theta[f"y_{al}{a}_im"] = y[row, a - 1].real, y[row, a - 1].imag
    obs = MODEL.observables({k: jnp.asarray(v, dtype=jnp.float64) for k, v in theta.items()})
    assert float(obs["mu_eff"]) / float(theta["epsilon"]) == pytest.approx(b["mu_solar"], rel=1e-10)
    assert MODEL.log_constraints(obs, names=["radiative_nu_mass", "meg2_mu_e_gamma", "perturbativity"]) == 0.0
    # generic points: μ/δm is capped (scaled onto δm = limit, no tuning), far below the tuned value
    rng = np.random.default_rng(5)
    M1, M2 = dt.heavy_masses(0.1, 0.0)
    n = 2000
    yr = jnp.asarray(rng.normal(size=(n, 2, 2)) + 1j * rng.normal(size=(n, 2, 2)))
    ms = rng.uniform(0.2, 0.4, (4, n))
    th = rng.uniform(0, math.pi, (2, n))
    lam = dt.transition_moments(0.5, 1.0, yr, M1, M2, *ms, *th, rule="compact")
    ratio = dt.mu_eff_solar(lam) / dt.delta_m_nu_loop_ev(yr, M1, M2, *ms, *th)
    assert b["mu_solar"] > 30.0 * float(jnp.max(ratio)) * dt.M_NU_MAX_EV
