r"""Thermal freeze-out of a dark-matter species: Boltzmann equation and its semi-analytic solution.

Conventions (Gondolo & Gelmini, Nucl. Phys. B360 (1991) 145; Kolb & Turner, *The Early
Universe*, ch. 5).  Y = n/s is the comoving number density of the dark sector (all
co-annihilating states summed, Griest & Seckel, PRD 43 (1991) 3191), x = M/T with M the
mass of the lightest state, and

.. math::

    \frac{dY}{dx} = -\lambda(x)\,[Y^2 - Y_{\rm eq}^2],\qquad
    \lambda(x) = \sqrt{\frac{\pi}{45}}\, M_{\rm Pl}\, g_*^{1/2}(T)\,\frac{M}{x^2}\,
                 \langle\sigma v\rangle_{\rm eff}(x),

    g_*^{1/2} = \frac{h_{\rm eff}}{\sqrt{g_{\rm eff}}}
                \Bigl(1 + \frac{1}{3}\frac{d\ln h_{\rm eff}}{d\ln T}\Bigr),

with M_Pl = √(8π) × the reduced Planck mass, ρ = (π²/30) g_eff T⁴, s = (2π²/45) h_eff T³,
and Y_eq = Σ_i n_i^eq(M_i, T)/s (full Fermi–Dirac integrals, :mod:`jaxg2.cosmo.thermo`).
⟨σv⟩ is in GeV⁻² (v the Møller/relative velocity; for σv = a + b v², ⟨σv⟩ = a + 6b/x).
Today Ωh² = M Y₀ s₀/(ρ_c/h²), s₀ = (2π²/45)(43/11)T₀³ (T₀ from the registry entry
``cmb_temperature_today``) and ρ_c/h² = 3 (100 km/s/Mpc)² M̄_Pl² (exact units, IAU parsec).

g_eff(T), h_eff(T): the lattice-QCD + electroweak table of Borsanyi et al. 2016 (registry
entry ``sm_dof_borsanyi_2016``, 1 MeV ≤ T ≤ 282 GeV), interpolated by a not-a-knot cubic
spline in log₁₀T (C², so g_*^{1/2} and its gradients are continuous); outside the table
the end values are held (below 1 MeV the table is not valid, but freeze-out and the
annihilation tail that matters happen well above it for M ≳ 0.1 GeV).

Two solvers of the same equation:

* :func:`y_today_boltzmann` — the stiff ODE in W = ln Y against t = ln x, from
  x₀ = ``X_START`` (Y = Y_eq) to x₁ = ``X_END`` = 10⁴, with diffrax's Kvaerno5 (implicit,
  L-stable ESDIRK) and a PID step-size controller (rtol = atol = 1e-8 on ln Y).  The
  implicit stages' chord iteration is given a loose tolerance (1e-2): with the default
  (the controller's 1e-8) it fails to converge in the stiff equilibrium phase
  (k h ~ 1e10), the step is rejected and the solve takes ~5e4 steps; with 1e-2 it takes
  ~300 steps and the result moves by < 2e-5 (checked against rtol 1e-6/1e-8 runs and scipy).  The annihilation left after
  x₁ is ≲ x_f/x₁ ≈ 0.2% for s-wave, (x_f/x₁)² for p-wave.  Reference solver.
* :func:`y_today_expansion` — the standard semi-analytic solution: x_f from the fixed-point
  iteration of  δ(δ+2) λ(x_f) Y_eq(x_f) = −d ln Y_eq/dx  (Y − Y_eq = δ Y_eq at x_f, with
  Kolb & Turner's δ(δ+2) = n + 1 for ⟨σv⟩ ∝ x⁻ⁿ, n = −d ln⟨σv⟩/d ln x taken at x_f), then
  1/Y₀ = 1/((1+δ)Y_eq(x_f)) + ∫_{x_f}^∞ λ(x) dx,
  the integral by Gauss–Legendre quadrature in u = x_f/x ∈ (0, 1] (for σv = a + b v² and
  constant g_* it is the Kolb–Turner result 1/Y₀ ∝ a/x_f + 3b/x_f², hence Ωh² ∝ x_f²/(3b)
  for a p-wave).  Lies 2.4–3.3% below the ODE for s- and p-wave from 1 to 100 GeV
  (tests/test_lmu_ltau_relic.py); the default in fits: a closed expression, cheaper to
  compile than the ODE (benchmarks/bench_relic.py) and no adaptive stepping to differentiate.

Both are pure, jit/vmap/grad-safe in every argument (the ODE through diffrax's
RecursiveCheckpointAdjoint).  ``sigma_v(x, args)`` and ``y_eq(x, args)`` are callables of
x and a pytree of (possibly traced) parameters.
"""

from __future__ import annotations

import math

import jax
import jax.numpy as jnp
import numpy as np
from scipy.interpolate import CubicSpline

from .. import constants as C
from .. import experiments
from . import thermo

M_PLANCK = math.sqrt(8.0 * math.pi) * C.M_PLANCK_REDUCED  # GeV, non-reduced
X_START = 2.0
X_END = 1.0e4
N_QUAD = 48

# ---- today's entropy and critical density ----------------------------------------
_T0_GEV = experiments.get("cmb_temperature_today").value / C.GEV_TO_KELVIN
H_EFF_TODAY = 43.0 / 11.0  # photons + three neutrinos at T_ν = (4/11)^{1/3} T (instantaneous decoupling)
S0 = 2.0 * math.pi**2 / 45.0 * H_EFF_TODAY * _T0_GEV**3  # GeV³
_AU_KM = 1.495978707e8  # IAU 2012 (exact)
_MPC_KM = _AU_KM * 648000.0 / math.pi * 1.0e6
_H100_GEV = 100.0 / _MPC_KM * C.HBAR_GEV_S  # 100 km/s/Mpc in GeV
RHO_CRIT_OVER_H2 = 3.0 * _H100_GEV**2 * C.M_PLANCK_REDUCED**2  # GeV⁴
OMEGA_H2_PLANCK = experiments.get("planck_2018_omega_c_h2").value

# ---- SM degrees of freedom (Borsanyi et al. 2016) --------------------------------
_DOF = experiments.get("sm_dof_borsanyi_2016").values
_LOGT = np.asarray(_DOF["log10_t_mev"], dtype=float) - 3.0  # log10(T/GeV)
_G_RHO = np.asarray(_DOF["g_rho"], dtype=float)
_G_S = _G_RHO / np.asarray(_DOF["g_rho_over_g_s"], dtype=float)
_SPL = {k: jnp.asarray(CubicSpline(_LOGT, v, bc_type="not-a-knot").c) for k, v in (("g", _G_RHO), ("h", _G_S))}
_KNOTS = jnp.asarray(_LOGT)


def _spline(z, coef):
    """Cubic spline (value, d/dz) at z = log10(T/GeV), held constant outside the table."""
    zc = jnp.clip(z, _KNOTS[0], _KNOTS[-1])
    i = jnp.clip(jnp.searchsorted(_KNOTS, zc, side="right") - 1, 0, _KNOTS.shape[0] - 2)
    d = zc - _KNOTS[i]
    c3, c2, c1, c0 = coef[0, i], coef[1, i], coef[2, i], coef[3, i]
    val = ((c3 * d + c2) * d + c1) * d + c0
    der = (3.0 * c3 * d + 2.0 * c2) * d + c1
    inside = (z > _KNOTS[0]) & (z < _KNOTS[-1])
    return val, jnp.where(inside, der, 0.0)


def dof(T):
    """(g_eff, h_eff, g_*^{1/2}) of the SM plasma at temperature T [GeV] (see module docstring)."""
    z = jnp.log10(jnp.asarray(T, dtype=jnp.float64))
    g, _ = _spline(z, _SPL["g"])
    h, dh = _spline(z, _SPL["h"])
    dlnh_dlnt = dh / (h * math.log(10.0))
    return g, h, h / jnp.sqrt(g) * (1.0 + dlnh_dlnt / 3.0)


def entropy_density(T):
    """SM entropy density s = (2π²/45) h_eff T³ [GeV³]."""
    return 2.0 * math.pi**2 / 45.0 * dof(T)[1] * jnp.asarray(T, dtype=jnp.float64) ** 3


def y_eq_species(x, mass, masses, dofs):
    """Y_eq = Σ_i n_i^eq(M_i, T)/s(T) at T = mass/x for Fermi–Dirac states of masses ``masses``
    (a tuple) with internal degrees of freedom ``dofs``."""
    T = mass / x
    n = sum(thermo.number_density(m, T, g, True) for m, g in zip(masses, dofs))
    return n / entropy_density(T)


def annihilation_rate(x, mass, sigma_v, args):
    """λ(x) of the module docstring (dimensionless, times Y)."""
    return math.sqrt(math.pi / 45.0) * M_PLANCK * dof(mass / x)[2] * mass / x**2 * sigma_v(x, args)


def omega_h2(mass, y_today):
    """Ωh² = M Y₀ s₀/(ρ_c/h²)."""
    return mass * y_today * S0 / RHO_CRIT_OVER_H2


# ---- semi-analytic solution ------------------------------------------------------
_U, _WU = (jnp.asarray(a) for a in np.polynomial.legendre.leggauss(N_QUAD))
_U = 0.5 * (_U + 1.0)
_WU = 0.5 * _WU


def _delta(x, sigma_v, args):
    """δ = √(n+2) − 1, n = −d ln⟨σv⟩/d ln x (so δ(δ+2) = n + 1, Kolb & Turner eq. 5.46)."""
    lnsv = lambda lx: jnp.log(sigma_v(jnp.exp(lx), args))  # noqa: E731
    n = -jax.jvp(lnsv, (jnp.log(x),), (jnp.ones_like(x),))[1]
    return jnp.sqrt(jnp.clip(n, 0.0, 3.0) + 2.0) - 1.0


def freeze_out_x(mass, sigma_v, y_eq, args, *, iterations=20, x_init=20.0):
    """x_f solving G(x) ≡ ln[δ(δ+2) λ(x) Y_eq(x) / (−d ln Y_eq/dx)] = 0.

    The fixed-point iteration x ← x + G(x) (G′ ≈ −1: it is nearly Newton's method) runs
    without gradients; a final Newton step x_f = x − G(x)/G′(x) with ∂G/∂x held fixed gives
    the exact implicit derivative dx_f/dθ = −(∂G/∂θ)/(∂G/∂x) and keeps reverse-mode
    differentiation out of the loop (a much smaller program to compile)."""
    def g_fun(x, a):
        slope = -jax.jvp(lambda xx: jnp.log(y_eq(xx, a)), (x,), (jnp.ones_like(x),))[1]
        d = _delta(x, sigma_v, a)
        return jnp.log(d * (d + 2.0) * annihilation_rate(x, mass, sigma_v, a) * y_eq(x, a) / slope)

    frozen = jax.lax.stop_gradient(args)
    m0 = jax.lax.stop_gradient(mass)
    g0 = lambda x: g_fun(x, frozen)  # noqa: E731

    def step(_, x):
        return x + jnp.clip(g0(x), -5.0, 5.0)

    x = jax.lax.stop_gradient(jax.lax.fori_loop(
        0, iterations, step, jnp.full(jnp.shape(m0), x_init, dtype=jnp.float64)))
    dg = jax.lax.stop_gradient(jax.jvp(g0, (x,), (jnp.ones_like(x),))[1])
    return x - g_fun(x, args) / dg


def y_today_expansion(mass, sigma_v, y_eq, args):
    """Y₀ from the semi-analytic solution (module docstring); returns (Y₀, x_f)."""
    mass = jnp.asarray(mass, dtype=jnp.float64)
    xf = freeze_out_x(mass, sigma_v, y_eq, args)
    # ∫_{x_f}^∞ λ dx = ∫_0^1 λ(x_f/u) x_f/u² du
    xs = xf[..., None] / _U
    lam = annihilation_rate(xs, mass[..., None], sigma_v, _expand(args))
    integral = jnp.sum(_WU * lam * xs**2 / xf[..., None], axis=-1)
    inv_y = 1.0 / ((1.0 + _delta(xf, sigma_v, args)) * y_eq(xf, args)) + integral
    return 1.0 / inv_y, xf


def _expand(args):
    """Add a trailing axis to every array leaf (quadrature nodes broadcast against it)."""
    return jax.tree_util.tree_map(lambda a: jnp.asarray(a)[..., None], args)


# ---- Boltzmann ODE ---------------------------------------------------------------
def y_today_boltzmann(mass, sigma_v, y_eq, args, *, x_start=X_START, x_end=X_END, rtol=1e-8,
                      max_steps=4096):
    """Y(x_end) from the Boltzmann equation (Kvaerno5 + PID controller), scalar ``mass``."""
    import diffrax  # lazily: with equinox it adds ~1 s to importing the lmu_ltau model

    mass = jnp.asarray(mass, dtype=jnp.float64)

    def rhs(t, w, a):
        x = jnp.exp(t)
        yeq = y_eq(x, a)
        return -x * annihilation_rate(x, mass, sigma_v, a) * (jnp.exp(w) - yeq * yeq * jnp.exp(-w))

    t0, t1 = math.log(x_start), math.log(x_end)
    sol = diffrax.diffeqsolve(
        diffrax.ODETerm(rhs), diffrax.Kvaerno5(root_finder=diffrax.VeryChord(rtol=1e-2, atol=1e-2)),
        t0, t1, dt0=1e-3, y0=jnp.log(y_eq(jnp.asarray(x_start), args)), args=args,
        stepsize_controller=diffrax.PIDController(rtol=rtol, atol=rtol),
        max_steps=max_steps, saveat=diffrax.SaveAt(t1=True))
    return jnp.exp(sol.ys[-1])


__all__ = ["dof", "entropy_density", "y_eq_species", "annihilation_rate", "omega_h2", "freeze_out_x",
           "y_today_expansion", "y_today_boltzmann", "S0", "RHO_CRIT_OVER_H2", "OMEGA_H2_PLANCK",
           "M_PLANCK", "X_START", "X_END"]
