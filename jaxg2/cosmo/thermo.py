r"""Equilibrium thermodynamics of one Bose or Fermi species (zero chemical potential).

For a species of mass :math:`m`, temperature :math:`T` and :math:`g` internal degrees
of freedom, with :math:`f(p) = 1/(e^{E/T} \mp 1)` (upper sign Bose, lower Fermi) and
:math:`E = \sqrt{p^2 + m^2}` — paper 002 (Kamada, Kaneta, Yanagi, Yu,
arXiv:1805.00651), appendix B, eqs. (B1)–(B3):

.. math::

    n    = g \int \frac{d^3p}{(2\pi)^3} f,\qquad
    \rho = g \int \frac{d^3p}{(2\pi)^3} E f,\qquad
    P    = g \int \frac{d^3p}{(2\pi)^3} \frac{p^2}{3E} f,\qquad
    s    = \frac{\rho + P}{T},

and the heat capacity :math:`\partial\rho/\partial T|_m = g\int \frac{d^3p}{(2\pi)^3}
\frac{E^2}{T^2} f(1 \pm f)` that the entropy-transfer equations need.  Eq. (B2) of the
paper is :math:`s = (\rho + P)/T` written out.  Everything is in GeV units
(densities GeV³, energy densities and pressures GeV⁴).

Numerics
--------
With :math:`x = m/T` and the kinetic energy written as :math:`E/T - x = \sigma^2`
(so :math:`p/T = \sigma\sqrt{\sigma^2 + 2x}`, :math:`dE/T = 2\sigma\,d\sigma`), every
integrand becomes :math:`e^{-x}\, e^{-\sigma^2}\times` (a polynomial-like function of σ
that is smooth for every :math:`x \ge 0`, including the massless Bose case where the
:math:`1/\sigma^2` of the Bose factor cancels against the measure).  The integrals are
done with a fixed :data:`N_NODES`-point Gauss–Legendre rule on
:math:`\sigma\in[0, \sigma_{\max}]`, :math:`\sigma_{\max} = 8`
(:math:`e^{-64}` truncation).  The Boltzmann factor :math:`e^{-x}` is factored out
analytically, so very heavy species underflow cleanly to 0 with zero gradient, and
:math:`1 \mp e^{-(x+\sigma^2)}` is evaluated with ``expm1``.  Relative accuracy is
~1e-14 against mpmath for :math:`0 \le x \lesssim 10^3` (see ``tests/test_cosmo_thermo.py``);
the functions are jit/vmap/grad-safe and broadcast over ``m`` and ``T`` (``g`` too).
For m/T ≳ 650 the results are subnormal (< 1e-280 of the massless values) and lose
relative precision; beyond ~745 they are exactly 0 with zero gradient.
``fermion`` is a static Python bool.

Limits (used as checks): for :math:`m \ll T`, :math:`\rho = g\,(7/8)\,\pi^2 T^4/30`,
:math:`s = g\,(7/8)\,2\pi^2T^3/45` (eqs. B4–B5; the 7/8 for fermions) and
:math:`n = g\,(3/4)\,\zeta(3) T^3/\pi^2`; for :math:`m \gg T`,
:math:`n \to g (mT/2\pi)^{3/2} e^{-m/T}(1 + 15T/8m + \dots)`, :math:`\rho \to n(m + 3T/2)`,
:math:`P \to nT`.
"""

from __future__ import annotations

from typing import NamedTuple

import jax.numpy as jnp
import numpy as np

__all__ = [
    "Thermo", "thermodynamics", "energy_density", "pressure", "entropy_density",
    "number_density", "heat_capacity", "SIGMA_MAX", "N_NODES",
]

SIGMA_MAX = 8.0  # upper end of σ = √(E/T − m/T); the integrands carry e^{-σ²} ≤ e^{-64}
N_NODES = 48  # Gauss–Legendre nodes on [0, SIGMA_MAX]

_x, _w = np.polynomial.legendre.leggauss(N_NODES)
_SIGMA = 0.5 * SIGMA_MAX * (_x + 1.0)  # nodes in σ (all > 0)
_WEIGHT = 0.5 * SIGMA_MAX * _w
_TWO_PI2 = 2.0 * np.pi**2


class Thermo(NamedTuple):
    """Thermodynamic functions of one species at (m, T), GeV units."""

    n: jnp.ndarray  # number density [GeV³]
    rho: jnp.ndarray  # energy density [GeV⁴]
    p: jnp.ndarray  # pressure [GeV⁴]
    s: jnp.ndarray  # entropy density (ρ + P)/T [GeV³]
    drho_dT: jnp.ndarray  # ∂ρ/∂T at fixed m [GeV³]


def _dimensionless(x, fermion: bool):
    """(n, ρ, P, ∂ρ/∂T) / (T³, T⁴, T⁴, T³) per internal degree of freedom at x = m/T ≥ 0."""
    x = jnp.asarray(x, dtype=jnp.float64)[..., None]
    sig = jnp.asarray(_SIGMA)
    sig2 = sig * sig
    eps = x + sig2  # E/T
    # 1 ∓ e^{-E/T} (Bose: −, Fermi: +), stable for E/T → 0.
    denom = 1.0 + jnp.exp(-eps) if fermion else -jnp.expm1(-eps)
    boltz = jnp.exp(-x) * jnp.exp(-sig2)  # e^{-E/T}
    f = boltz / denom  # occupation number
    f1f = boltz / (denom * denom)  # f (1 ± f) = e^{-E/T}/(1 ∓ e^{-E/T})²
    root = jnp.sqrt(sig2 + 2.0 * x)  # (p/T)/σ
    w = jnp.asarray(_WEIGHT)
    # measure d³p/(2π)³ → (1/2π²) u² du with u = p/T = σ·root; u² du = u ε dε = u ε 2σ dσ
    meas = 2.0 * sig2 * root / _TWO_PI2  # u · 2σ / (2π²)
    n = jnp.sum(w * meas * eps * f, axis=-1)
    rho = jnp.sum(w * meas * eps * eps * f, axis=-1)
    # P: (1/6π²) ∫ u⁴/ε du f = (1/6π²) ∫ u³ dε f
    p = jnp.sum(w * meas * (sig2 * root * root) * f, axis=-1) / 3.0
    drho = jnp.sum(w * meas * eps**3 * f1f, axis=-1)
    return n, rho, p, drho


def thermodynamics(m, T, g, fermion: bool) -> Thermo:
    """All thermodynamic functions of one species (shared quadrature).

    Parameters
    ----------
    m : mass [GeV], ≥ 0 (0 allowed).
    T : temperature [GeV], > 0.
    g : internal degrees of freedom (e.g. 2 for the photon, 2 for e⁻, 3 for a massive vector).
    fermion : static bool, Fermi–Dirac if True, Bose–Einstein otherwise.

    Returns
    -------
    :class:`Thermo` with ``n`` [GeV³], ``rho`` [GeV⁴], ``p`` [GeV⁴], ``s`` [GeV³],
    ``drho_dT`` [GeV³], each broadcast over (m, T, g).
    """
    m = jnp.asarray(m, dtype=jnp.float64)
    T = jnp.asarray(T, dtype=jnp.float64)
    n, rho, p, drho = _dimensionless(m / T, fermion)
    T3 = T**3
    T4 = T3 * T
    n, rho, p, drho = g * n * T3, g * rho * T4, g * p * T4, g * drho * T3
    return Thermo(n=n, rho=rho, p=p, s=(rho + p) / T, drho_dT=drho)


def energy_density(m, T, g, fermion: bool):
    """Energy density ρ [GeV⁴], paper 002 eq. (B3)."""
    return thermodynamics(m, T, g, fermion).rho


def pressure(m, T, g, fermion: bool):
    """Pressure P [GeV⁴]."""
    return thermodynamics(m, T, g, fermion).p


def entropy_density(m, T, g, fermion: bool):
    """Entropy density s = (ρ + P)/T [GeV³], paper 002 eq. (B2)."""
    return thermodynamics(m, T, g, fermion).s


def number_density(m, T, g, fermion: bool):
    """Number density n [GeV³] (particles only; an antiparticle counts as extra g)."""
    return thermodynamics(m, T, g, fermion).n


def heat_capacity(m, T, g, fermion: bool):
    """∂ρ/∂T at fixed mass [GeV³] (= T ∂s/∂T for zero chemical potential)."""
    return thermodynamics(m, T, g, fermion).drho_dT
