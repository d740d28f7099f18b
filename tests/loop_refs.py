"""Independent mpmath references for the one-loop tests (not a test module).

The integrands are the defining Feynman-parameter integrals written out
literally (DESIGN.md / Jegerlehner–Nyffeler for g-2, the lfv module docstring
for the flavour-changing dipoles), integrated with mpmath's tanh-sinh rule on
geometrically graded sub-intervals, so that peaks at 10⁻²⁴ from an end point
and roots pinching the real axis near threshold are resolved.  Each half is
integrated in the distance to its end point, so 1 − x is exact.
"""

from __future__ import annotations

import mpmath as mp

DPS = 20


def _graded(f, length, step=3):
    """∫₀^length f(z) dz with breakpoints at length·10^-k (k = 42, 42 − step, …; 60, 59, … for step 1)."""
    k_max = 60 if step == 1 else 42
    pts = [mp.mpf(0)] + [length * mp.mpf(10) ** (-k) for k in range(k_max, 0, -step)] + [length]
    return mp.quad(f, pts)


def _split(a2, b2, m2):
    """Real part of the roots of Δ = x a2 + (1−x) b2 − x(1−x) m2, clipped to [0, 1]."""
    r = (m2 + b2 - a2) / (2 * m2)
    return min(max(r, mp.mpf(0)), mp.mpf(1))


def _piece(f, a, b, step=3):
    """∫_a^b f(x, 1 − x) dx, each half integrated in the distance z to its end point."""
    half = (b - a) / 2
    left = _graded(lambda z: f(a + z, (1 - a) - z), half, step)
    right = _graded(lambda z: f(b - z, (1 - b) + z), half, step)
    return left + right


def integral(f, a2, b2, m2, step=3, dps=DPS):
    """∫₀¹ f(x, y) dx, y = 1 − x, for a denominator with squared masses (a2, b2, m2).

    Split at the real part of the roots of Δ (clipped to [0, 1]); every piece
    is graded towards both of its ends.
    """
    with mp.workdps(dps):
        c = _split(mp.mpf(a2), mp.mpf(b2), mp.mpf(m2))
        total = mp.mpf(0)
        if c > 0:
            total += _piece(f, mp.mpf(0), c, step)
        if c < 1:
            total += _piece(f, c, mp.mpf(1), step)
        return total


# --- g-2: the Jegerlehner–Nyffeler integrals exactly as in DESIGN.md --------------------


def g2_reference(kind, m_l, m_f, m_b, c1, c2):
    """Δa from the DESIGN.md integral for kind in {'neutral_scalar', 'neutral_vector', 'charged_scalar'}.

    Written with ε = m_f/m_l, λ = m_l/m_b exactly as in DESIGN.md (the charged
    denominator ε²λ²(1−x)(1−ε⁻²x) + x expanded as ε²λ²(1−x) − λ²x(1−x) + x so
    that ε = 0 is allowed).
    """
    with mp.workdps(DPS):
        m_l, m_f, m_b, c1, c2 = (mp.mpf(v) for v in (m_l, m_f, m_b, c1, c2))
        eps, lam = m_f / m_l, m_l / m_b
        if kind == "neutral_scalar":
            def f(x, y):
                num = c1**2 * x**2 * (y + eps) + c2**2 * x**2 * (y - eps)
                return num / (y * (1 - lam**2 * x) + eps**2 * lam**2 * x)
            a2, b2 = m_f**2, m_b**2
        elif kind == "neutral_vector":
            def q(e, x, y):
                return 2 * x * y * (x - 2 * (1 - e)) + lam**2 * (1 - e) ** 2 * x**2 * (y + e)

            def f(x, y):
                return (c1**2 * q(eps, x, y) + c2**2 * q(-eps, x, y)) / (
                    y * (1 - lam**2 * x) + eps**2 * lam**2 * x)
            a2, b2 = m_f**2, m_b**2
        elif kind == "charged_scalar":
            def f(x, y):
                num = -c1**2 * x * y * (x + eps) - c2**2 * x * y * (x - eps)
                return num / (eps**2 * lam**2 * y - lam**2 * x * y + x)
            a2, b2 = m_b**2, m_f**2
        else:
            raise ValueError(kind)
        return float(m_l**2 / (8 * mp.pi**2 * m_b**2) * integral(f, a2, b2, m_l**2))


# --- ℓi → ℓj γ: the two-parameter dipole integrals of the lfv module docstring --------------


def lfv_reference(topology, m_i, m_j, m_f, m_b, ci, cj, q=1.0):
    """(σ_L, σ_R) for one diagram from the lfv docstring formulas, by scipy ``dblquad``.

    ``ci``, ``cj`` are (C_S, C_P) (or (C_V, C_A)) pairs, complex allowed; the
    chiral couplings are c_L = C_S − C_P, c_R = C_S + C_P.  Each coupling
    product multiplies a real kernel ∫₀¹ du u ∫₀¹ dt K(u, t)/Δ(u, t) that is
    integrated separately (adaptive QUADPACK, rel. tol. 1e-12).  Only for
    smooth cases (no extreme mass ratios).
    """
    import numpy as np
    from scipy.integrate import dblquad

    l_i, r_i = ci[0] - ci[1], ci[0] + ci[1]
    l_j, r_j = cj[0] - cj[1], cj[0] + cj[1]

    def delta(u, t):
        mt2 = t * m_i**2 + (1 - t) * m_j**2
        if topology == "charged_scalar":
            return u * m_b**2 + (1 - u) * m_f**2 - u * (1 - u) * mt2
        return u * m_f**2 + (1 - u) * m_b**2 - u * (1 - u) * mt2

    def k(fn):
        val, _ = dblquad(lambda t, u: u * fn(u, t) / delta(u, t), 0, 1, 0, 1, epsabs=0, epsrel=1e-12)
        return val

    x1 = lambda u, t: u * t  # noqa: E731
    x2 = lambda u, t: u * (1 - t)  # noqa: E731
    x3 = lambda u, t: 1 - u  # noqa: E731

    def scalar_f(li, ri, lj, rj):
        k_2 = k(lambda u, t: x3(u, t) * x2(u, t))
        k_1 = k(lambda u, t: x3(u, t) * x1(u, t))
        k_u = k(lambda u, t: u)
        s_r = m_j * k_2 * lj * np.conj(li) + m_i * k_1 * rj * np.conj(ri) + m_f * k_u * rj * np.conj(li)
        s_l = m_j * k_2 * rj * np.conj(ri) + m_i * k_1 * lj * np.conj(li) + m_f * k_u * lj * np.conj(ri)
        return s_l, s_r

    if topology == "neutral_scalar":
        s_l, s_r = scalar_f(l_i, r_i, l_j, r_j)
        pref = q / (16 * np.pi**2)
    elif topology == "charged_scalar":
        k_2 = k(lambda u, t: x3(u, t) * x2(u, t))
        k_1 = k(lambda u, t: x3(u, t) * x1(u, t))
        k_3 = k(lambda u, t: x3(u, t))
        s_r = m_j * k_2 * l_j * np.conj(l_i) + m_i * k_1 * r_j * np.conj(r_i) + m_f * k_3 * r_j * np.conj(l_i)
        s_l = m_j * k_2 * r_j * np.conj(r_i) + m_i * k_1 * l_j * np.conj(l_i) + m_f * k_3 * l_j * np.conj(r_i)
        pref = -q / (16 * np.pi**2)
    elif topology == "neutral_vector":
        k_3 = k(lambda u, t: x3(u, t))
        k_a = k(lambda u, t: x3(u, t) * (1 - x1(u, t)))
        k_b = k(lambda u, t: x3(u, t) * (1 - x2(u, t)))
        s_r = 4 * m_f * k_3 * l_j * np.conj(r_i) - 2 * (m_i * k_a * l_j * np.conj(l_i) + m_j * k_b * r_j * np.conj(r_i))
        s_l = 4 * m_f * k_3 * r_j * np.conj(l_i) - 2 * (m_j * k_b * l_j * np.conj(l_i) + m_i * k_a * r_j * np.conj(r_i))
        hat = (m_i * l_i - m_f * r_i, m_i * r_i - m_f * l_i, m_j * l_j - m_f * r_j, m_j * r_j - m_f * l_j)
        h_l, h_r = scalar_f(*hat)
        s_l, s_r = s_l + h_l / m_b**2, s_r + h_r / m_b**2
        pref = q / (16 * np.pi**2)
    else:
        raise ValueError(topology)
    return pref * s_l, pref * s_r


# --- the moments M_{p,q} = ∫ u^p (1−u)^q / Δ of jaxg2.loops._closed ----------------------


def moment_reference(p, q, m, m_a, m_b, wrt=None):
    """M_{p,q} = ∫₀¹ u^p(1−u)^q/Δ, Δ = u m_a² + (1−u) m_b² − u(1−u) m², or its derivative.

    ``wrt`` ∈ {None, 'm', 'm_a', 'm_b'}: ∂M/∂x = −∫ u^p(1−u)^q ∂Δ/∂x / Δ² with
    ∂Δ/∂m_a = 2 m_a u, ∂Δ/∂m_b = 2 m_b (1−u), ∂Δ/∂m = −2 m u(1−u).  Breakpoints
    every decade and 40 digits (the 1/Δ² peaks are narrower than those of 1/Δ).
    """
    with mp.workdps(40):
        m, m_a, m_b = mp.mpf(m), mp.mpf(m_a), mp.mpf(m_b)
        a2, b2, m2 = m_a**2, m_b**2, m**2

        def delta(x, y):
            return x * a2 + y * b2 - x * y * m2

        ddelta = {None: None, "m_a": lambda x, y: 2 * m_a * x, "m_b": lambda x, y: 2 * m_b * y,
                  "m": lambda x, y: -2 * m * x * y}[wrt]
        if ddelta is None:
            f = lambda x, y: x**p * y**q / delta(x, y)  # noqa: E731
        else:
            f = lambda x, y: -(x**p) * y**q * ddelta(x, y) / delta(x, y) ** 2  # noqa: E731
        return float(integral(f, a2, b2, m2, step=1, dps=40))


def half_moment_reference(j, a, b, c, wrt=None):
    """K_j = ∫₀¹ v^j/(a v² + b v + c) dv, or ∂K_j/∂{a, b, c} = −∫ v^{j+2, j+1, j}/Q² (mpmath)."""
    with mp.workdps(30):
        a, b, c = mp.mpf(a), mp.mpf(b), mp.mpf(c)
        k = {None: 0, "a": 2, "b": 1, "c": 0}[wrt]
        power = 1 if wrt is None else 2
        sign = 1 if wrt is None else -1
        pts = [mp.mpf(0)] + [mp.mpf(10) ** (-e) for e in range(30, 0, -3)] + [mp.mpf(1)]
        return float(sign * mp.quad(lambda v: v ** (j + k) / (a * v * v + b * v + c) ** power, pts))
