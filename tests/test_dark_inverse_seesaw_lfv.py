"""Dark inverse seesaw (paper 001): ℓ_i → ℓ_j γ and Δa_ℓ from the lepton dipole matrices.

Independent checks:

* W loop with non-unitary mixing: the standard seesaw result
  BR(μ → eγ) = 3α/(2π) |Σ_n U_en U*_μn G_γ(x_n)|² (Ilakovac–Pilaftsis; Alonso et al.,
  arXiv:1209.2679), with G_γ in its published closed form, itself checked against mpmath
  quadrature of its Feynman-parameter integral (the unitary-gauge charged-vector integral of
  Jegerlehner–Nyffeler, Phys. Rept. 477 (2009) 1, eq. 262, at m_ℓ → 0).
* H_D^± loop: mpmath quadrature of the neutral-fermion / charged-scalar dipole in an
  explicit convention (below), exact in all masses, and the heavy-scalar analytic limit.
* The diagonal of the same matrices is the model's Δa_μ (identity with the g-2 library).
"""

import math

import jax
import jax.numpy as jnp
import mpmath as mp
import numpy as np
import pytest
from conftest import pruned_model_size

from jaxg2 import constants as C
from jaxg2 import models
from jaxg2.loops import g2_charged_scalar
from jaxg2.loops import lfv as loops_lfv
from jaxg2.models import invalid_observables
from jaxg2.models import dark_inverse_seesaw as dis
from jaxg2.models.dark_inverse_seesaw import dipoles, scalars, wloop

MODEL = models.get("dark_inverse_seesaw")
ML = C.LEPTON_MASSES


@pytest.fixture(scope="module")
def bp():
    return MODEL.benchmark("MiniBooNE")


@pytest.fixture(scope="module")
def sector(bp):
    """Ingredients of the loops at the benchmark: masses, U, c_{an}, M_{H_D^±}."""
    y_nu, masses, U = jax.jit(dis.neutral_sector)(bp)
    spec = scalars.spectrum(dis._scalar_params(bp))
    phi = jnp.abs(spec.charged_rotation[1, 1])
    c = dipoles.charged_scalar_couplings(y_nu, U, phi)
    return dict(y_nu=y_nu, masses=masses, U=U, c=c, phi=float(phi), m_h=float(spec.charged_masses[1]))


@pytest.fixture(scope="module")
def obs(bp):
    return {k: np.asarray(v) for k, v in jax.jit(MODEL.observables)(bp).items()}


# ---------------------------------------------------------------- W loop


def g_gamma(x):
    """G_γ(x) as published: −(2x³ + 5x² − x)/(4(1 − x)³) − 3x³ ln x/(2(1 − x)⁴)."""
    x = mp.mpf(x)
    return -(2 * x**3 + 5 * x**2 - x) / (4 * (1 - x) ** 3) - 3 * x**3 * mp.log(x) / (2 * (1 - x) ** 4)


def g_gamma_feynman(x):
    """G_γ = (10/3 − F_W)/4 with F_W(x) = ∫₀¹ dt [4t²(1+t) + 2x t(1−t)(2−t)]/(t + x(1−t)).

    F_W is the Jegerlehner–Nyffeler unitary-gauge integrand of the W loop (C_V = C_A,
    neutral fermion, photon on W) in the limit m_ℓ → 0 at fixed x = M_n²/m_W²; F_W(0) = 10/3
    is the SM part.
    """
    x = mp.mpf(x)
    fw = mp.quad(lambda t: (4 * t**2 * (1 + t) + 2 * x * t * (1 - t) * (2 - t)) / (t + x * (1 - t)), [0, 1])
    return (mp.mpf(10) / 3 - fw) / 4


@pytest.mark.parametrize("x", ["1e-7", "3.5e-6", "0.01", "0.5", "0.999", "1.2", "30", "1e4"])
def test_g_gamma_closed_form_is_its_feynman_integral(x):
    mp.mp.dps = 40
    assert abs(g_gamma(x) / g_gamma_feynman(x) - 1) < 1e-20
    # and the model's F_W is the same function: F_W − 10/3 = −4 G_γ
    assert math.isclose(float(wloop.f_w(float(x))) - 10 / 3, float(-4 * g_gamma(x)), rel_tol=1e-9, abs_tol=1e-15)


def test_w_loop_is_the_standard_non_unitary_seesaw_result():
    """Random 9×9 unitary mixing, masses from 0 to 1 TeV: BR(μ→eγ), BR(τ→μγ) from σ_W
    against 3α/(2π)|Σ U_jn U*_in G_γ(x_n)|² Γ_SM-normalised (m_j kept in the kinematics)."""
    mp.mp.dps = 30
    rng = np.random.default_rng(3)
    U, _ = np.linalg.qr(rng.normal(size=(9, 9)) + 1j * rng.normal(size=(9, 9)))
    masses = np.array([0.0, 1e-11, 5e-11, 0.15, 0.16, 3.0, 40.0, 120.0, 1000.0])
    sl, sr = (np.asarray(a) for a in dipoles.w_dipoles(jnp.asarray(masses), jnp.asarray(U)))
    gam = [mp.mpf(0) if m == 0 else g_gamma_feynman((mp.mpf(m) / mp.mpf(C.M_W)) ** 2) for m in masses]
    for (j, i), br_fn, width in (((0, 1), loops_lfv.br_mu_e_gamma, loops_lfv.muon_width()),
                                 ((1, 2), loops_lfv.br_tau_mu_gamma, loops_lfv.tau_width())):
        s = sum(mp.mpc(complex(U[j, n] * np.conj(U[i, n]))) * gam[n] for n in range(9))
        r2 = (ML[j] / ML[i]) ** 2
        # 3α/(2π)|S|² is BR for Γ_i = G_F² m_i⁵/(192π³); kinematics: (1 − r²)³ (1 + r²)
        ref = 3 * C.ALPHA_EM / (2 * math.pi) * float(abs(s) ** 2) * (1 - r2) ** 3 * (1 + r2)
        ref *= C.G_FERMI**2 * ML[i] ** 5 / (192 * math.pi**3) / width
        ours = float(br_fn(sl[j, i], sr[j, i]))
        assert math.isclose(ours, ref, rel_tol=1e-8), (j, i, ours, ref)


def test_w_dipole_diagonal_is_the_w_g2(sector):
    sl, sr = dipoles.w_dipoles(sector["masses"], sector["U"])
    da = np.asarray(dipoles.g2_diagonal(sl, sr))
    for a in range(3):
        ref = float(wloop.delta_a_w(ML[a], sector["masses"], sector["U"][a, :]))
        assert math.isclose(da[a], ref, rel_tol=1e-12), a


# ---------------------------------------------------------------- H_D^± loop


def _h_integrals(m_i, m_j, m_f, m_s):
    r"""I₁ = ∫dF x₁x₃/Δ, I₂ = ∫dF x₂x₃/Δ over the simplex (mpmath).

    Convention: L = ℓ̄_a c_{an} P_R n_n S⁻ + h.c. (S⁻ with the lepton's charge, n neutral),
    photon on S.  Feynman parameters x₁ (S propagator next to the incoming ℓ_i), x₂ (next to
    the outgoing ℓ_j), x₃ (fermion):
        Δ = x₃ m_F² + (x₁ + x₂) M² − x₃ (x₁ m_i² + x₂ m_j²)       (q² = 0),
        σ_R^{ji} = −(m_i/16π²) Σ_n c_{jn} c*_{in} I₁,  σ_L^{ji} = −(m_j/16π²) Σ_n c_{jn} c*_{in} I₂.
    With x₁ = u t, x₂ = u (1 − t), x₃ = 1 − u (dF = u du dt) Δ is linear in t and the
    t-integral is done analytically: ∫₀¹ t dt/(a − b t) = −1/b − (a/b²) ln(1 − b/a).
    """
    m_i, m_j, m_f, m_s = (mp.mpf(v) for v in (m_i, m_j, m_f, m_s))

    def t_ints(u):
        a = (1 - u) * m_f**2 + u * m_s**2 - u * (1 - u) * m_j**2
        b = u * (1 - u) * (m_i**2 - m_j**2)  # Δ = a − b t
        if b == 0:
            return 1 / (2 * a), 1 / (2 * a)
        i0 = -mp.log(1 - b / a) / b  # ∫ dt/Δ
        i1 = -1 / b - a / b**2 * mp.log(1 - b / a)  # ∫ t dt/Δ
        return i1, i0 - i1

    w = lambda u: u**2 * (1 - u)  # noqa: E731  (u from dF, u t → x₁, (1 − u) = x₃)
    return (mp.quad(lambda u: w(u) * t_ints(u)[0], [0, 1]), mp.quad(lambda u: w(u) * t_ints(u)[1], [0, 1]))


def test_charged_scalar_dipole_matrix_against_mpmath(sector):
    mp.mp.dps = 40
    masses, c, m_h = np.asarray(sector["masses"]), np.asarray(sector["c"]), sector["m_h"]
    sl, sr = (np.asarray(a) for a in dipoles.charged_scalar_dipoles(sector["masses"], sector["c"], m_h))
    k = 1 / (16 * mp.pi**2)
    for j in range(3):
        for i in range(3):
            ref_l = ref_r = mp.mpc(0)
            for n in range(9):
                i1, i2 = _h_integrals(ML[i], ML[j], masses[n], m_h)
                cc = mp.mpc(complex(c[j, n] * np.conj(c[i, n])))
                ref_r += -k * ML[i] * cc * i1
                ref_l += -k * ML[j] * cc * i2
            for ours, ref in ((sr[j, i], ref_r), (sl[j, i], ref_l)):
                assert abs(ours - complex(ref)) <= 1e-8 * abs(complex(ref)), (j, i, ours, complex(ref))


def test_charged_scalar_convention_heavy_limit():
    """The reference convention itself: i = j, M ≫ m_F, m_ℓ gives Δa = −m²|c|²/(96π²M²) (Leveille)."""
    mp.mp.dps = 30
    m, M = C.M_MU, 100.0
    i1, i2 = _h_integrals(m, m, 1e-6, M)
    da = -m * m * (i1 + i2) / (16 * mp.pi**2)
    assert abs(da / (-(m**2) / (96 * mp.pi**2 * M**2)) - 1) < 1e-6


def test_charged_scalar_unitary_heavy_limit(sector):
    """M_N ≪ M_{H_D^±}: σ_R^{ji} → −m_i O_φ² (y_ν y_ν†)_{ji}/(192π² M²) (unitarity of U)."""
    sl, sr = dipoles.charged_scalar_dipoles(sector["masses"], sector["c"], sector["m_h"])
    yy = np.asarray(sector["y_nu"] @ jnp.conj(sector["y_nu"]).T)
    for j, i in dipoles.PAIRS.values():
        ref = -ML[i] * sector["phi"] ** 2 * yy[j, i] / (192 * math.pi**2 * sector["m_h"] ** 2)
        assert abs(complex(sr[j, i]) / ref - 1) < 1e-3


def test_dipole_operator_is_hermitian(sector):
    sl, sr = (np.asarray(a) for a in dipoles.charged_scalar_dipoles(sector["masses"], sector["c"], sector["m_h"]))
    wl, wr = (np.asarray(a) for a in dipoles.w_dipoles(sector["masses"], sector["U"]))
    for a_l, a_r in ((sl, sr), (wl, wr)):
        np.testing.assert_allclose(a_l, np.conj(a_r.T), rtol=1e-9, atol=0)
    # full_matrix rebuilds the same 3×3 from the decay entries and the diagonal Δa
    up_l = {n: sl[j, i] + wl[j, i] for n, (j, i) in dipoles.PAIRS.items()}
    up_r = {n: sr[j, i] + wr[j, i] for n, (j, i) in dipoles.PAIRS.items()}
    tl, tr = sl + wl, sr + wr
    fl, fr = dipoles.full_matrix(up_l, up_r, dipoles.g2_diagonal(tl, tr))
    np.testing.assert_allclose(np.asarray(fl), tl, rtol=1e-9, atol=0)
    np.testing.assert_allclose(np.asarray(fr), tr, rtol=1e-9, atol=0)


def test_g2_likelihood_carries_no_decay_dipoles():
    """A likelihood reading Δa_μ but no ℓ_i → ℓ_j γ (the paper-era config) holds the H_D^±
    diagonal call only: asking for BR(μ → eγ) too adds at least one more dipole call's
    equations (with one full-matrix call it added a handful: Δa_μ carried all nine entries,
    each on the 12-node t-rule)."""
    from jaxg2.infer.problem import _equations

    prob, size = pruned_model_size("fits/dark_inverse_seesaw_2021_paper.toml")
    assert "br_mu_e_gamma" not in prob.likelihood_keys and "delta_a_mu" in prob.likelihood_keys
    if size is None:
        pytest.skip("no dead-code elimination in this JAX")
    m = jnp.asarray(ML)
    one_call = _equations(jax.make_jaxpr(
        lambda ms, c: loops_lfv.dipole_charged_scalar(m[1:, None], m[:2, None], ms, 100.0, c, c, c, c))(
        jnp.ones(9), jnp.ones((2, 9), jnp.complex128)).jaxpr)
    lik = size(prob.likelihood_keys)
    with_meg = size([*prob.likelihood_keys, "br_mu_e_gamma"])
    assert with_meg - lik >= one_call, (one_call, lik, with_meg)


# ---------------------------------------------------------------- the model


def test_diagonal_is_the_models_g2(sector, obs):
    """The Δa_μ parts the model reports are the diagonal of the LFV matrices, and equal the
    g-2 library's own functions (g2_charged_scalar, the W-loop formula)."""
    c_mu = sector["c"][1]
    ref_h = float(jnp.sum(g2_charged_scalar(C.M_MU, sector["masses"], sector["m_h"], c_mu / 2, c_mu / 2)))
    ref_w = float(wloop.delta_a_w(C.M_MU, sector["masses"], sector["U"][1, :]))
    assert math.isclose(float(obs["delta_a_mu_hd_charged"]), ref_h, rel_tol=1e-12)
    assert math.isclose(float(obs["delta_a_mu_w"]), ref_w, rel_tol=1e-12)
    parts = ("delta_a_mu_zd", "delta_a_mu_hd_charged", "delta_a_mu_w", "delta_a_mu_scalars")
    assert math.isclose(float(obs["delta_a_mu"]), sum(float(obs[p]) for p in parts), rel_tol=1e-14)


def test_benchmark_lfv_numbers_and_library(obs, bp):
    # the numbers: |(y y†)_μe| ≈ 6 and BR(μ → eγ) ~ 1e-2
    assert 5.0 < obs["yy_mu_e"] < 7.0
    assert 3e-3 < obs["br_mu_e_gamma"] < 3e-2
    # the model's own BR and the library family are the same numbers
    for n in ("mu_e_gamma", "tau_mu_gamma", "tau_e_gamma"):
        assert math.isclose(float(obs[f"br_{n}"]), float(obs[f"lfv_br_{n}"]), rel_tol=1e-12)
    assert float(obs["eg2_delta_a_e"]) == float(obs["delta_a_e"])
    # library constraints on by default, no model twin; MEG II excludes the benchmark
    names = [c.name for c in MODEL.constraints if c.default]
    assert "meg2_mu_e_gamma" in names and "electron_g2_rb" in names and "sindrum_mu_3e" in names
    assert not any(c.family == "model" and "gamma" in c.observable for c in MODEL.constraints)
    meg = MODEL.constraint("meg2_mu_e_gamma")
    assert not bool(meg.satisfied({k: jnp.asarray(v) for k, v in obs.items()}))
    # |y_ν| ≈ 9 > √(4π): every LFV number is flagged as outside perturbative validity
    bad = invalid_observables(MODEL, obs, bp)
    assert {"br_mu_e_gamma", "lfv_br_mu_e_gamma", "delta_a_e"} <= set(bad)


def test_jit_vmap_grad_finite_at_benchmark_and_prior_points(bp, obs):
    rng = np.random.default_rng(11)
    pts = [dict(bp)]
    for _ in range(2):
        p = {}
        for par in MODEL.parameters:
            pr = par.prior
            if pr.kind == "log_uniform":
                p[par.name] = float(np.exp(rng.uniform(np.log(pr.low), np.log(pr.high))))
            else:
                p[par.name] = float(rng.uniform(pr.low, pr.high))
        pts.append(p)
    batch = {k: jnp.asarray([p[k] for p in pts]) for k in MODEL.parameter_names}

    def combine(o):
        return jnp.log(o["br_mu_e_gamma"]) + jnp.log(o["br_tau_mu_gamma"]) + o["delta_a_e"] * 1e12

    def f(theta):
        return combine(MODEL.observables(theta))

    # one compiled program (value and gradient, vmapped): compiling the model is the cost
    vals, grads = jax.jit(jax.vmap(jax.value_and_grad(f)))(batch)
    assert np.all(np.isfinite(np.asarray(vals)))
    for k, g in grads.items():
        assert np.all(np.isfinite(np.asarray(g))), k
    # the benchmark row of the batch is the unbatched value (the module's jit(observables)
    # at the benchmark: no further compilation)
    assert math.isclose(float(vals[0]), float(combine(obs)), rel_tol=1e-10)


def test_light_or_tachyonic_charged_scalar_is_floored_with_finite_gradients(sector):
    """Below M = 1.05 m_τ the decay τ → n H_D^± opens (the exact dipole's gradient is NaN
    there); the loop is evaluated at the floor, so values and gradients stay finite."""
    masses, c = sector["masses"], sector["c"]

    def f(m_s):
        sl, sr = dipoles.charged_scalar_dipoles(masses, c, m_s)
        return jnp.sum(jnp.abs(sl) ** 2 + jnp.abs(sr) ** 2)

    floor = float(f(dipoles.M_S_FLOOR))
    for m_s in (0.5, -0.5, 0.0, 1.7):
        assert float(f(m_s)) == floor
        assert np.isfinite(float(jax.grad(f)(m_s)))
    assert np.isfinite(float(jax.grad(f)(dipoles.M_S_FLOOR * 1.001))) and float(f(2.5)) < floor
