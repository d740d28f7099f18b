"""Loop functions of paper 004 (jaxg2.models.dark_tmm_loops) against independent references.

References: (i) closed forms via divided differences evaluated in 130-digit mpmath —
∫dF 1/Δ = (t ln t)[M², a², b²] and ∫dF z/Δ = (t² ln t/2)[M², M², a², b²]
(Hermite–Genocchi), so J = ∫dF (x+y)/Δ is their difference; (ii) scipy dblquad of
the defining 2-D integral; (iii) the classic charged-scalar g−2 formula (Leveille).
"""

import math

import jax
import jax.numpy as jnp
import mpmath as mp
import numpy as np
import pytest
from scipy import integrate

import jaxg2  # noqa: F401
from jaxg2 import loops
from jaxg2.models.dark_tmm_loops import delta_J, delta_K, fermion_radiated, loop_J, loop_K

DPS = 130


def _dd(f, nodes):
    """Divided difference in high precision; repeated nodes split by 1e-28 (error ~1e-28)."""
    with mp.workdps(DPS):
        ns = []
        for t in nodes:
            t = mp.mpf(t)
            while any(abs(t - u) < mp.mpf("1e-60") * abs(t) for u in ns):
                t = t * (1 + mp.mpf("1e-28"))
            ns.append(t)
        tot = mp.mpf(0)
        for i, t in enumerate(ns):
            p = mp.mpf(1)
            for j, u in enumerate(ns):
                if j != i:
                    p *= t - u
            tot += f(t) / p
        return tot


def ref_K(M, a, b):
    with mp.workdps(DPS):
        M, a, b = (mp.mpf(v) for v in (M, a, b))
        return _dd(lambda t: t * t * mp.log(t) / 2, [M**2, M**2, a**2, b**2])


def ref_J(M, a, b):
    with mp.workdps(DPS):
        M, a, b = (mp.mpf(v) for v in (M, a, b))
        return _dd(lambda t: t * mp.log(t), [M**2, a**2, b**2]) - ref_K(M, a, b)


def ref_delta(fn, M, h1, h2, a1, a2):
    with mp.workdps(DPS):
        return fn(M, h1, a1) + fn(M, h2, a2) - fn(M, h1, a2) - fn(M, h2, a1)


POINTS = [(1.0, 1.0, 1.0), (0.1, 0.3, 0.3), (1e-6, 1.0, 2.0), (1e6, 1.0, 1.5), (1.0, 1e-6, 1e6),
          (3.0, 1e-6, 1e-6), (1e-3, 2.0, 2.0), (1.0, 1e3, 1e3 + 1e-9), (0.1, 0.25, 0.41), (1e-9, 0.2, 0.3)]


@pytest.mark.parametrize("M,a,b", POINTS)
def test_loop_J_K_vs_mpmath(M, a, b):
    assert float(loop_J(M, a, b)) == pytest.approx(float(ref_J(M, a, b)), rel=1e-10)
    assert float(loop_K(M, a, b)) == pytest.approx(float(ref_K(M, a, b)), rel=1e-10)


def test_loop_J_K_vs_scipy_dblquad():
    M, a, b = 0.1, 0.3, 0.45
    den = lambda y, x: x * b**2 + y * a**2 + (1 - x - y) * M**2  # noqa: E731
    j = integrate.dblquad(lambda y, x: (x + y) / den(y, x), 0, 1, 0, lambda x: 1 - x, epsabs=0, epsrel=1e-12)[0]
    k = integrate.dblquad(lambda y, x: (1 - x - y) / den(y, x), 0, 1, 0, lambda x: 1 - x, epsabs=0, epsrel=1e-12)[0]
    assert float(loop_J(M, a, b)) == pytest.approx(j, rel=1e-9)
    assert float(loop_K(M, a, b)) == pytest.approx(k, rel=1e-9)


def test_equal_masses_and_symmetry():
    M = 0.37
    assert float(loop_J(M, M, M)) == pytest.approx(1 / (3 * M * M), rel=1e-13)
    assert float(loop_K(M, M, M)) == pytest.approx(1 / (6 * M * M), rel=1e-13)
    assert float(loop_K(0.1, 0.2, 0.5)) == pytest.approx(float(loop_K(0.1, 0.5, 0.2)), rel=1e-14)


def test_K_is_the_chirality_flip_function_of_the_charged_scalar_loop():
    """Photon on the scalar, flip on the fermion: the ε-term of g2_charged_scalar is
    −m_l M K(M; m, m)/(4π²) (C_S² − C_P² projects it out); eq. 21's J is not."""
    m_l, M, m = 1e-5, 0.1, 0.3
    d = float(loops.g2_charged_scalar(m_l, M, m, 1.0, 0.0) - loops.g2_charged_scalar(m_l, M, m, 0.0, 1.0))
    assert d == pytest.approx(-m_l * M * float(loop_K(M, m, m)) / (4 * math.pi**2), rel=1e-6)
    assert abs(d / (-m_l * M * float(loop_J(M, m, m)) / (4 * math.pi**2)) - 1) > 0.1


DELTA_POINTS = [(0.1, 0.3, 0.4, 0.25, 0.35), (0.1, 0.3, 0.3 + 1e-7, 0.3, 0.3 + 2e-7),
                (0.1, 0.3, 0.3 + 1e-9, 0.31, 0.31 + 1e-9), (1.0, 0.05, 3.0, 0.08, 5.0),
                (0.001, 1.0, 2.0, 1.5, 3.0), (0.1, 0.2, 0.4, 0.2, 0.4)]


@pytest.mark.parametrize("args", DELTA_POINTS)
def test_delta_loops_vs_mpmath(args):
    rk = float(ref_delta(ref_K, *args))
    assert float(delta_K(*args)) == pytest.approx(rk, rel=1e-10)
    if max(args) / min(args) <= 5:  # the compact rule is for mass boxes within a factor ~3–5
        assert float(delta_K(*args, rule="compact")) == pytest.approx(rk, rel=1e-10)
    assert float(delta_J(*args)) == pytest.approx(float(ref_delta(ref_J, *args)), rel=1e-8)


def test_delta_small_splitting_scaling_and_zero():
    """δM_S ≪ M_S: ΔK/(δu δv) → ∂²K/∂u∂v, finite; degenerate scalars give exactly 0."""
    base = (0.1, 0.3, 0.3, 0.35, 0.35)
    assert float(delta_K(*base)) == 0.0
    vals = []
    for d in (1e-4, 1e-6, 1e-8):
        h2, a2 = 0.3 + d, 0.35 + d
        dk = float(delta_K(0.1, 0.3, h2, 0.35, a2))
        vals.append(dk / ((h2 - 0.3) * (h2 + 0.3) * (a2 - 0.35) * (a2 + 0.35)))
    assert vals[1] == pytest.approx(vals[2], rel=1e-5)  # O(d/M) drift only: no lost digits
    assert vals[0] == pytest.approx(vals[2], rel=1e-3)


def test_fermion_radiated_diagrams_cancel():
    """Eqs. 15–17: N1→N2 and N2→N1 cancel, for the printed and the derived numerator."""
    for form in ("paper", "derived"):
        a = float(fermion_radiated(0.1, 0.3, 0.25, form=form))
        b = float(fermion_radiated(0.3, 0.1, 0.25, form=form))
        assert abs(a) > 1e-2
        assert a + b == pytest.approx(0.0, abs=1e-13 * abs(a))
    # derived numerator M2 x − M1 y against scipy
    M1, M2, m = 0.1, 0.3, 0.25
    den = lambda y, x: x * M2**2 + y * M1**2 + (1 - x - y) * m**2  # noqa: E731
    ref = integrate.dblquad(lambda y, x: (M2 * x - M1 * y) / den(y, x), 0, 1, 0, lambda x: 1 - x,
                            epsabs=0, epsrel=1e-12)[0]
    assert float(fermion_radiated(M1, M2, m)) == pytest.approx(ref, rel=1e-7)


def test_transforms_and_gradients():
    f = lambda h1: delta_K(0.1, h1, 0.4, 0.25, 0.35)  # noqa: E731
    xs = jnp.array([0.2, 0.3, 0.37])
    assert jnp.allclose(jax.jit(jax.vmap(f))(xs), jnp.array([f(x) for x in xs]), rtol=1e-13)
    assert jax.vmap(f)(xs).dtype == jnp.float64
    for x in (0.3, 0.4):  # 0.4: degenerate H's (ΔK = 0), gradient still finite
        g = float(jax.grad(f)(x))
        h = 1e-6
        fd = (float(f(x + h)) - float(f(x - h))) / (2 * h)
        assert np.isfinite(g) and g == pytest.approx(fd, rel=1e-6)
    gj = jax.grad(lambda a: loop_J(0.1, a, 0.3) + loop_K(0.1, a, 0.3))(0.3)  # degenerate point
    assert np.isfinite(float(gj))
