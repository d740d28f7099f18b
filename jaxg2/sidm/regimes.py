"""Analytic limits of Yukawa self-scattering: Born and classical regimes.

Dimensionless variables as in `jaxg2.sidm.phase_shifts`: κ = k/m_φ = ab,
b = α m_X/m_φ, β = 2α m_φ/(m_X v²) = 1/(2aκ); results are σ m_φ².

**Born** (valid for b ≪ 1 at any κ, and for b ≪ κ at κ ≫ 1).  The amplitude is
f(θ) m_φ = ± b / (1 + A(1 − cosθ)), A = 2κ² (sign irrelevant below).  The
angular integrals are done by Gauss–Legendre quadrature in s = ln(1 + A u),
u = 1 − cosθ, in which every integrand is smooth for all A (the forward peak
of width 1/A becomes flat), so they are exact to ~1e−15 from A = 0 to 1e12.
Closed forms (used as independent checks in the tests):
distinguishable σ_T m_φ² = (π b²/2κ⁴)[ln(1+4κ²) − 4κ²/(1+4κ²)]
(Feng, Kaplinghat, Yu, PRL 104 (2010) 151301); at κ → 0 the Majorana Born
value π b² is ¼ of the distinguishable 4π b².

Born phase shifts δ_ℓ = ±(b/2κ) Q_ℓ(1 + 1/(2κ²)) (`born_phase_shifts`) serve as
the high-ℓ tail of the partial-wave solver in its accuracy="fit" mode.

**Classical** (κ ≫ 1): the fits of S. Tulin, H.-B. Yu, K. Zurek,
PRD 87 (2013) 115007 [1302.3898] eqs. (30)–(31) (from Khrapak et al., PRL 90
(2003) 225002), valid for κ ≫ 1 and βκ = 1/(2a) ≳ 1:
attractive  4πβ² ln(1+1/β)  (β < 0.1),  8πβ²/(1 + 1.5 β^1.65)  (0.1 ≤ β ≤ 1e3),
            π (ln β + 1 − 1/(2 ln β))²  (β > 1e3);
repulsive   2πβ² ln(1 + β⁻²)  (β < 1),  π (ln 2β − ln ln 2β)²  (β ≥ 1).
Measured against exact partial waves at κ = 40 the fits are off by 15–20% at
a ≈ 1 and by up to ×2 at a ≫ 1 (where Born is the right limit), so the
dispatcher in `cross_sections` uses them only for κ beyond the partial-wave
solver and a = v/(2α) ≲ 1.  For Majorana particles the exchange interference
averages out classically and the paper's σ_T (eq. 25) becomes
2π∫(1−|cosθ|)|f|² dcosθ; `cross_sections` approximates it by the fit times
the Born Majorana/distinguishable ratio at the same κ.
"""

from __future__ import annotations

from functools import lru_cache

import jax

import jax.numpy as jnp
import numpy as np

__all__ = ["born_sigma", "born_phase_shifts", "classical_sigma_transfer", "beta_parameter"]

_N_GL = 96


@lru_cache(maxsize=None)
def _gl01(n):
    x, w = np.polynomial.legendre.leggauss(n)
    return 0.5 * (x + 1.0), 0.5 * w


def beta_parameter(a, b):
    """β = 2α m_φ/(m_X v²) = 1/(2 a² b)."""
    return 0.5 / (a * a * b)


def born_sigma(kappa, b, *, kind="transfer", particles="distinguishable"):
    """Born σ m_φ² for the Yukawa potential (either sign); broadcasts over κ, b.

    kind: "transfer" (weight 1 − cosθ) or "viscosity" (weight sin²θ);
    particles: "distinguishable" (2π∫_{−1}^{1} w |f|² dcosθ) or "majorana"
    (paper 002 eqs. 24–25: 4π∫_0^1 w · ½[¼|f+f̃|² + ¾|f−f̃|²] dcosθ, f̃ = f(π−θ)).
    """
    nodes, weights = (jnp.asarray(t) for t in _gl01(_N_GL))
    u_max = 2.0 if particles == "distinguishable" else 1.0

    def one(kappa, b):
        A = 2.0 * kappa * kappa
        # s = ln(1 + A u): u = (e^s − 1)/A, du = e^s/A ds.  A → 0 (removable):
        # double where, plain u-quadrature there.
        small = A < 1e-8
        A_s = jnp.where(small, 1.0, A)
        s_max = jnp.log1p(A_s * u_max)
        s = nodes * s_max
        u = jnp.where(small, nodes * u_max, jnp.expm1(s) / A_s)
        jac = jnp.where(small, u_max, jnp.exp(s) / A_s * s_max)
        f = 1.0 / (1.0 + A * u)  # f m_φ / b at cosθ = 1 − u
        w = u if kind == "transfer" else u * (2.0 - u)
        if particles == "distinguishable":
            integrand, pref = w * f * f, 2.0 * jnp.pi
        else:
            ft = 1.0 / (1.0 + A * (2.0 - u))  # f(π − θ)
            # ½[¼(f+f̃)² + ¾(f−f̃)²] = ½ (f² + f̃² − f f̃) for real amplitudes
            integrand, pref = w * 0.5 * (f * f + ft * ft - f * ft), 4.0 * jnp.pi
        return pref * b * b * jnp.sum(weights * jac * integrand)

    return jnp.vectorize(one)(jnp.asarray(kappa, jnp.float64), jnp.asarray(b, jnp.float64))


def classical_sigma_transfer(a, b, *, attractive=True):
    """Classical-regime σ_T m_φ² (Tulin–Yu–Zurek fits, see module docstring)."""
    beta = beta_parameter(jnp.asarray(a, jnp.float64), jnp.asarray(b, jnp.float64))
    if attractive:
        lo = 4.0 * jnp.pi * beta**2 * jnp.log1p(1.0 / beta)
        mid = 8.0 * jnp.pi * beta**2 / (1.0 + 1.5 * beta**1.65)
        lb = jnp.log(jnp.maximum(beta, 1e3))
        hi = jnp.pi * (lb + 1.0 - 0.5 / lb) ** 2
        return jnp.where(beta < 0.1, lo, jnp.where(beta <= 1e3, mid, hi))
    lo = 2.0 * jnp.pi * beta**2 * jnp.log1p(beta**-2)
    l2b = jnp.log(2.0 * jnp.maximum(beta, 1.0))
    hi = jnp.pi * (l2b - jnp.log(l2b)) ** 2
    return jnp.where(beta < 1.0, lo, hi)


def born_phase_shifts(kappa, b, l_max, *, attractive=True):
    """First-Born phase shifts δ_ℓ = ±(b/2κ) Q_ℓ(1 + 1/(2κ²)), ℓ = 0 … l_max (static).

    From tan δ_ℓ ≈ −(1/κ)∫ U ĵ_ℓ(κx)² dx with U = ∓b e^{−x}/x and
    ∫₀^∞ e^{−x} ĵ_ℓ(κx)²/x dx = ½ Q_ℓ(1 + 1/(2κ²)) (Q_ℓ the Legendre function of
    the second kind; upper sign attractive, δ > 0).  Accurate where the wave
    barely feels the potential: high ℓ (turning point (ℓ+½)/κ ≫ 1) or b ≪ max(1, κ).
    Q_ℓ(z) from the ratios ρ_ℓ = Q_ℓ/Q_{ℓ−1}, run down the stable direction of
    (ℓ+1)Q_{ℓ+1} = (2ℓ+1)z Q_ℓ − ℓQ_{ℓ−1}:  ρ_ℓ = ℓ/((2ℓ+1)z − (ℓ+1)ρ_{ℓ+1}),
    started at ℓ = 3 l_max + 40 at the asymptotic ratio e^{−ξ}, z = cosh ξ (start
    error damped by e^{−2ξ(2 l_max + 40)}: ≲ 1e−8 for l_max ≥ 4.5κ);
    Q_0 = ½ ln(1 + 4κ²).  Scalar κ, b (vmap for batches).
    """
    kappa = jnp.asarray(kappa, jnp.float64)
    b = jnp.asarray(b, jnp.float64)
    zm1 = 0.5 / (kappa * kappa)  # z − 1, exact
    z = 1.0 + zm1
    xi = jnp.arccosh(z)
    l_top = 3 * int(l_max) + 40  # start error decays ~e^{−2ξ} per order (ξ ≈ 1/κ)
    ells = jnp.arange(l_top, 0, -1, dtype=jnp.float64)

    def down(rho_next, ell):
        rho = ell / ((2.0 * ell + 1.0) * z - (ell + 1.0) * rho_next)
        return rho, jnp.log(rho)

    _, log_rho = jax.lax.scan(down, jnp.exp(-xi), ells)  # ℓ = l_top … 1
    log_rho = log_rho[::-1][:l_max]  # ℓ = 1 … l_max
    log_q = jnp.log(0.5 * jnp.log1p(4.0 * kappa * kappa)) + jnp.concatenate(
        [jnp.zeros((1,)), jnp.cumsum(log_rho)])
    delta = 0.5 * b / kappa * jnp.exp(log_q)
    return delta if attractive else -delta
