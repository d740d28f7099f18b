"""Exact partial-wave phase shifts for the Yukawa potential.

Dimensionless problem.  With x = m_φ r, reduced mass μ = m_X/2, a = v/(2α),
b = α m_X/m_φ and κ = ab = k/m_φ (k = μ v), the radial equation for
V(r) = ∓α e^{−m_φ r}/r (upper sign attractive) reads

    u''(x) + [κ² − ℓ(ℓ+1)/x² ± b e^{−x}/x] u(x) = 0,      u(0) = 0.

Method (all ℓ = 0 … ℓ_max at once, fixed number of steps, jit/vmap safe):

1. **Liouville map.**  x = g(t) is the inverse of the monotone phase-like map
   T(x) = ln x + κ x + 2√b √(x/(1+x)); T'(x) bounds the local WKB wavenumber
   √(κ² + b/x) and the logarithmic scale 1/x near the origin, so a uniform step
   in t is a bounded phase step everywhere.  With u = √g' w,
   w''(t) + P(t) w = 0,  P = g'² [Q(x) − ½ S(T; x)],  S the Schwarzian
   T'''/T' − 3/2 (T''/T')².  Near the origin P → −(ℓ+½)² (Langer form).
2. **Renormalised Numerov** (B. R. Johnson, J. Chem. Phys. 69 (1978) 4678):
   the ratio R_n = F_{n+1}/F_n, F = (1 + h²P/12) w, obeys R_n = U_n − 1/R_{n−1},
   U = 2(1 − 5h²P/12)/(1 + h²P/12); no overflow for any ℓ.  Where the step is
   too coarse for the centrifugal barrier (h²P/12 < −1/4, deep classically
   forbidden region) h²P/12 is clipped at −1/4 (U = 6), so the recurrence
   follows a growing solution there; the error this leaves is damped
   exponentially before the turning point.
3. **Matching** at the last two nodes x_a < x_b (beyond the potential range,
   e^{−x} b ≲ 1e−13 b/max(1, κ)) to the Riccati–Hankel functions
   H_ℓ = −n̂_ℓ + i ĵ_ℓ, built from the ratios q_ℓ = H_ℓ/H_{ℓ−1} by the stable
   upward recurrence q_ℓ = (2ℓ−1)/z − 1/q_{ℓ−1}, q_0 = −i.  With
   u ∝ H̄ − S H and ρ = u_b/u_a,
   S_ℓ = e^{2iδ_ℓ} = (H̄_a/H_a) (r̄ − ρ)/(r − ρ),  r = H_ℓ(κx_b)/H_ℓ(κx_a).
   The imaginary parts of q are propagated with full relative precision, so
   tiny phase shifts of high partial waves are exact to absolute 1e−16.
4. **Free-wave error cancellation.**  The same recurrence is run for V = 0 on
   the same grid and S_ℓ is divided by its numerical S_ℓ^free (exactly 1
   without discretisation error); the Numerov phase drift of the free wave,
   which dominates at large κ, cancels.

5. **Born tail** (optional, `SolverSettings.l_tail`): waves l_max < ℓ ≤ l_tail
   get first-Born phase shifts (b/2κ) Q_ℓ(1 + 1/(2κ²)) (`regimes.born_phase_shifts`).
   Their turning point (ℓ+½)/κ lies where the potential is weak, so this replaces
   a sharp ℓ-cutoff (whose truncated forward peak rings into the Majorana
   half-range integral) at no solver cost.

Accuracy modes (`solver_settings`): "exact" — ℓ_max ∝ 5.5κ, 1000 + 80κ steps,
matching where e^{−x} b ≲ 1e−13, no Born tail (~1e−8); "fit" — ℓ_max = 20 + 1.5κ
with a Born tail to 30 + 5κ, 300 + 12κ steps, matching at e^{−x} ≲ 1e−8, 0.3% on σ
(measured, tests/test_sidm.py), ~30× faster.

Gradients: the solver is wrapped in a `jax.custom_jvp` whose rule computes the
two columns ∂S/∂κ, ∂S/∂b in forward mode; reverse mode (NUTS) then needs memory
O(ℓ_max), not O(steps × ℓ_max).

References: S. Tulin, H.-B. Yu, K. Zurek, PRD 87 (2013) 115007 [1302.3898]
(dimensionless variables); B. R. Johnson, J. Chem. Phys. 69 (1978) 4678.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

import jax
import jax.numpy as jnp

from .regimes import born_phase_shifts

__all__ = ["phase_shift_s_matrix", "phase_shifts", "default_l_max", "default_n_steps",
           "SolverSettings", "solver_settings", "s_matrix", "ACCURACIES"]

_X0 = 1e-5  # start of the radial grid, x0 = _X0 / (1 + b + κ): u ∝ x^{ℓ+1} there
_EPS_TAIL = 1e-13  # matching radius: e^{−x_max} = _EPS_TAIL · max(1, κ)³ / max(1, b)
_BISECT = 60  # bisection steps for inverting T(x) (then one Newton step for gradients)


def default_l_max(kappa_max: float) -> int:
    """Static ℓ_max that converges σ for κ ≤ kappa_max and b ≤ 1e3.

    ℓ_max = 40 + 5.5 κ_max.  At κ ≫ 1 the Born estimate δ_ℓ ≈ (b/2κ) K₀(ℓ/κ) is
    ≲ 1e−2 at ℓ = 5.5κ for b ≤ 1e3, and the σ sums weight the remaining waves by
    (δ_{ℓ+1} − δ_ℓ)² ~ (δ/κ)²; at κ → 0 about √(b/e) + 20 ≈ 40 waves can be
    resonant.  The convergence is checked, not assumed: `truncation_estimate`
    reports the top waves' share (4e−6 at κ = κ_max, b = 1e3, Majorana).
    """
    return int(40 + 5.5 * float(kappa_max))


def default_n_steps(kappa_max: float) -> int:
    """Static number of Numerov steps (free-wave error cancelled, see module doc).

    1000 + 80 κ_max.  Measured: σ changes by ≤ 4e−5 (κ = 50, b = 1e3) and ≤ 1e−5
    (κ = 5, b ∈ [2, 1e3]) with 4× more steps; agreement with the scipy solver
    is 1e−7–1e−9 (tests/test_sidm.py) and 3e−7 at κ = 25 (benchmarks/bench_sidm.py)."""
    return int(1000 + 80 * float(kappa_max))


ACCURACIES = ("exact", "fit")
# accuracy="fit" sizes (see `solver_settings`)
_FIT_L = (20.0, 1.5)  # ℓ_max = 20 + 1.5 κ
_FIT_N = (300.0, 12.0)  # steps = 300 + 12 κ
_FIT_TAIL = (1e-8, 6.0)  # eps_tail, x_floor
_FIT_BORN = (30.0, 5.0)  # Born waves up to ℓ = 30 + 5 κ


@dataclass(frozen=True)
class SolverSettings:
    """Static knobs of the solver (hashable: a jit static argument).

    l_max: highest partial wave; n_steps: Numerov steps; eps_tail, x_floor: matching
    radius e^{−x_max} = eps_tail max(1, κ)³/max(1, b), x_max ≥ x_floor (`_x_max`);
    n_bisect: bisection steps inverting the Liouville map before the Newton steps;
    l_tail: if > l_max, the waves l_max < ℓ ≤ l_tail get first-Born phase shifts
    (`regimes.born_phase_shifts`; they feel the potential only far outside their
    turning point (ℓ+½)/κ, where it is weak).
    """

    l_max: int
    n_steps: int
    eps_tail: float = _EPS_TAIL
    x_floor: float = 12.0
    n_bisect: int = _BISECT
    l_tail: int = 0


def solver_settings(kappa_max: float, accuracy: str = "exact") -> SolverSettings:
    """Solver sizes for momenta κ ≤ kappa_max at the given accuracy.

    "exact": `default_l_max`, `default_n_steps`, e^{−x_max} = 1e−13 (x_max ≥ 12), 60
      bisections — σ converged to ~1e−8 (scipy agreement 1e−7–1e−9, tests/test_sidm.py).
    "fit": ℓ_max = 20 + 1.5κ_max and Born phase shifts up to ℓ = 30 + 5κ_max, 300 + 12κ_max
      steps, e^{−x_max} = 1e−8 max(1, κ)³/max(1, b) (x_max ≥ 6),
      8 bisections (+ four Newton steps: the nodes stay exact to ~1e−15).  Budget 0.3%,
      measured through `cross_sections.sigma_transfer_ab` / `sigma_viscosity_ab` (which
      size the solver for 1.4 kappa_max and blend it out above kappa_max) against
      "exact" over a ∈ [5e−4, 25], b ∈ [5e−4, 1e3], κ ≤ 70 (tests/test_sidm.py): max
      6.9e−4 (σ_T, Majorana), 8.1e−4 (σ_T, distinguishable), 1.9e−3 (σ_V).
    """
    if accuracy == "exact":
        return SolverSettings(default_l_max(kappa_max), default_n_steps(kappa_max))
    if accuracy == "fit":
        return SolverSettings(int(_FIT_L[0] + _FIT_L[1] * kappa_max),
                              int(_FIT_N[0] + _FIT_N[1] * kappa_max),
                              eps_tail=_FIT_TAIL[0], x_floor=_FIT_TAIL[1], n_bisect=8,
                              l_tail=int(_FIT_BORN[0] + _FIT_BORN[1] * kappa_max))
    raise ValueError(f"accuracy must be one of {ACCURACIES}, got {accuracy!r}")


def _t_of_x(x, kappa, sb):
    return jnp.log(x) + kappa * x + 2.0 * sb * jnp.sqrt(x / (1.0 + x))


def _t_of_s(s, kappa, sb):
    """T and dT/ds at x = e^s (for the inversion; no logarithm, one exponential)."""
    x, r = jnp.exp(s), 1.0 / (1.0 + jnp.exp(-s))  # r = x/(1+x)
    sr = jnp.sqrt(r)
    return s + kappa * x + 2.0 * sb * sr, 1.0 + kappa * x + sb * sr * (1.0 - r)


def _map_derivs(x, kappa, sb):
    """T'(x) and the Schwarzian S(T; x) = T'''/T' − 3/2 (T''/T')²."""
    f = sb / (jnp.sqrt(x) * (1.0 + x) * jnp.sqrt(1.0 + x))
    c1 = -0.5 / x - 1.5 / (1.0 + x)
    fp = f * c1
    fpp = fp * c1 + f * (0.5 / x**2 + 1.5 / (1.0 + x) ** 2)
    t1 = 1.0 / x + kappa + f
    t2 = -1.0 / x**2 + fp
    t3 = 2.0 / x**3 + fpp
    return t1, t3 / t1 - 1.5 * (t2 / t1) ** 2


def _x_max(kappa, b, eps_tail=_EPS_TAIL, x_floor=12.0):
    """Matching radius: e^{−x_max} = eps_tail max(1, κ)³ / max(1, b), x_max ≥ x_floor.

    Near a zero-energy resonance the scattering length amplifies the neglected
    tail, hence the tiny tolerance at κ ≲ 1; at κ ≫ 1 the tail's phase is
    ≈ b e^{−x}/(2κx) and the radius can shrink (fewer free oscillations)."""
    lb = jnp.log(jnp.maximum(b, 1.0))
    return jnp.maximum(jnp.log(1.0 / eps_tail) + lb - 3.0 * jnp.log(jnp.maximum(kappa, 1.0)), x_floor)


def _grid(kappa, b, n_steps, eps_tail=_EPS_TAIL, x_floor=12.0, n_bisect=_BISECT):
    """Nodes x_n of the uniform t-grid, the step h, g'(t_n) = 1/T'(x_n) and S(T; x_n)."""
    sb = jnp.sqrt(b)
    x0 = _X0 / (1.0 + b + kappa)
    x_max = _x_max(kappa, b, eps_tail, x_floor)
    t0 = _t_of_x(x0, kappa, sb)
    t1 = _t_of_x(x_max, kappa, sb)
    h = (t1 - t0) / n_steps
    t = t0 + h * jnp.arange(n_steps + 1)
    # invert T by bisection and three Newton steps in s = ln x (no gradient), then one
    # Newton step in x that carries the implicit-function gradient dx/dθ = −∂T/∂θ / T'.
    lo = jnp.full_like(t, jnp.log(x0) - 1.0)
    hi = jnp.full_like(t, jnp.log(x_max) + 1.0)
    ks, sbs = jax.lax.stop_gradient(kappa), jax.lax.stop_gradient(sb)
    ts = jax.lax.stop_gradient(t)

    def body(_, lohi):
        lo_, hi_ = lohi
        mid = 0.5 * (lo_ + hi_)
        above = _t_of_s(mid, ks, sbs)[0] > ts
        return jnp.where(above, lo_, mid), jnp.where(above, mid, hi_)

    lo, hi = jax.lax.fori_loop(0, n_bisect, body, (lo, hi))
    sm = 0.5 * (lo + hi)
    for _ in range(3):  # Newton in ln x: the bracket's 2^{−n_bisect} error squares per step
        tv, dt = _t_of_s(sm, ks, sbs)
        sm = sm - (tv - ts) / dt
    xs = jax.lax.stop_gradient(jnp.exp(sm))
    t1s, _ = _map_derivs(xs, kappa, sb)
    x = xs - (_t_of_x(xs, kappa, sb) - t) / t1s
    tp, schw = _map_derivs(x, kappa, sb)
    gp = 1.0 / tp
    return x, h, gp, schw


def _s_matrix_raw(kappa, b, sign, cfg):
    """S_ℓ = e^{2iδ_ℓ}, ℓ = 0 … cfg.l_max, for one point (κ, b); sign = +1 attractive."""
    l_max = cfg.l_max
    x, h, gp, schw = _grid(kappa, b, cfg.n_steps, cfg.eps_tail, cfg.x_floor, cfg.n_bisect)
    ell = jnp.arange(l_max + 1, dtype=x.dtype)
    lam = ell * (ell + 1.0)
    # row 0: the Yukawa problem; row 1: the free problem on the same grid, whose
    # numerical phase shift (pure discretisation error, mostly the Numerov phase
    # drift of the free wave ∝ κ⁵h⁴ × length) is divided out of S at the end.
    pot = jnp.stack([sign * b * jnp.exp(-x) / x, jnp.zeros_like(x)])
    a_n = gp**2 * (kappa**2 + pot - 0.5 * schw)  # (2, N+1)
    b_n = gp**2 / x**2
    h12 = h * h / 12.0

    def clipped_t(hn, hbn):
        # T = h²P/12 (hn = h²/12 · P without the centrifugal term), clipped at −1/4
        # (U = 6): where the step is too coarse for the barrier the recurrence then
        # follows a growing solution, whose error is damped exponentially before the
        # turning point
        return jnp.maximum(hn[:, None] - hbn * lam, -0.25)

    # near the origin P ≈ −(ℓ+½)² < 0, so U_0 > 2: start on the growing root of the
    # local constant-P recurrence R = U − 1/R
    t0 = clipped_t(h12 * a_n[:, 0], h12 * b_n[0])
    uc0 = 2.0 * (1.0 - 5.0 * t0) / (1.0 + t0)
    r0 = 0.5 * (uc0 + jnp.sqrt(jnp.maximum(uc0 * uc0 - 4.0, 0.0)))

    def step(r, hn_hbn):
        # R_n = U_n − 1/R_{n−1} with U = 2(1 − 5T)/(1 + T), as one division
        t = clipped_t(*hn_hbn)
        return (2.0 * (1.0 - 5.0 * t) * r - (1.0 + t)) / ((1.0 + t) * r), None

    # R_{N−1} = F_N/F_{N−1}
    r_last, _ = jax.lax.scan(step, r0, (h12 * a_n[:, 1:-1].T, h12 * b_n[1:-1]))
    t_a = h12 * (a_n[:, -2, None] - b_n[-2] * lam)
    t_b = h12 * (a_n[:, -1, None] - b_n[-1] * lam)
    rho = r_last * (1.0 + t_a) / (1.0 + t_b) * jnp.sqrt(gp[-1] / gp[-2])  # u_b/u_a

    # Riccati–Hankel ratios at z_a, z_b
    za, zb = kappa * x[-2], kappa * x[-1]

    def hankel_logs(z):
        def rec(q, k):
            qn = (2.0 * k - 1.0) / z - 1.0 / q
            return qn, jnp.log(qn)

        q0 = jnp.asarray(-1j, dtype=jnp.complex128)
        _, logs = jax.lax.scan(rec, q0, jnp.arange(1, l_max + 1, dtype=x.dtype))
        cum = jnp.concatenate([jnp.zeros((1,), logs.dtype), jnp.cumsum(logs)])
        return cum + 1j * z  # log H_ℓ(z) (mod 2πi)

    la, lb = hankel_logs(za), hankel_logs(zb)
    r = jnp.exp(lb - la)
    s_num = (jnp.conj(r) - rho) / (r - rho)  # × e^{−2i arg H_a}, common to both rows
    return s_num[0] / s_num[1]


@partial(jax.custom_jvp, nondiff_argnums=(2, 3))
def _s_matrix_pair(kappa, b, sign, cfg):
    s = _s_matrix_raw(kappa, b, sign, cfg)
    return jnp.stack([jnp.real(s), jnp.imag(s)])


@_s_matrix_pair.defjvp
def _s_matrix_pair_jvp(sign, cfg, primals, tangents):
    kappa, b = primals
    dk, db = tangents

    def f(k, bb):
        s = _s_matrix_raw(k, bb, sign, cfg)
        return jnp.stack([jnp.real(s), jnp.imag(s)])

    def jvp1(tk, tb):
        return jax.jvp(f, (kappa, b), (tk, tb))

    out, cols = jax.vmap(jvp1, out_axes=(None, 0))(
        jnp.array([1.0, 0.0], dtype=kappa.dtype), jnp.array([0.0, 1.0], dtype=kappa.dtype)
    )
    return out, cols[0] * dk + cols[1] * db


def phase_shift_s_matrix(kappa, b, *, attractive=True, l_max=None, n_steps=None,
                         accuracy="exact"):
    """Partial-wave S-matrix elements S_ℓ = e^{2iδ_ℓ}, ℓ = 0 … l_max (… l_tail).

    Args:
      kappa: κ = k/m_φ = ab (scalar or array; vectorised by vmap).
      b: α m_X/m_φ.
      attractive: static; V = −α e^{−m_φ r}/r if True, +α e^{−m_φ r}/r if False.
      l_max, n_steps: static truncation and step count (defaults: `solver_settings`
        for κ ≤ 50 at this accuracy).
      accuracy: static, "exact" or "fit" (`solver_settings`); also sets the matching
        radius, the bisection count and the Born tail ("fit": waves up to l_tail).

    Returns complex array of shape (*batch, max(l_max, l_tail) + 1).
    """
    cfg = solver_settings(50.0, accuracy)
    return s_matrix(kappa, b, attractive=attractive, settings=SolverSettings(
        cfg.l_max if l_max is None else int(l_max), cfg.n_steps if n_steps is None else int(n_steps),
        cfg.eps_tail, cfg.x_floor, cfg.n_bisect, cfg.l_tail))


def s_matrix(kappa, b, *, attractive=True, settings):
    """S_ℓ for explicit `SolverSettings` (see `phase_shift_s_matrix`)."""
    cfg = settings
    sign = 1.0 if attractive else -1.0
    kappa, b = jnp.broadcast_arrays(jnp.asarray(kappa, jnp.float64), jnp.asarray(b, jnp.float64))
    fn = lambda k, bb: _s_matrix_pair(k, bb, sign, cfg)  # noqa: E731
    flat = jax.vmap(fn)(kappa.reshape(-1), b.reshape(-1))
    s = flat[:, 0] + 1j * flat[:, 1]
    if cfg.l_tail > cfg.l_max:
        born = jax.vmap(lambda k, bb: born_phase_shifts(k, bb, cfg.l_tail, attractive=attractive))
        d = born(kappa.reshape(-1), b.reshape(-1))[:, cfg.l_max + 1:]
        s = jnp.concatenate([s, jnp.exp(2j * d)], axis=-1)
    return s.reshape(kappa.shape + (s.shape[-1],))


def phase_shifts(kappa, b, *, attractive=True, l_max=None, n_steps=None, accuracy="exact"):
    """Phase shifts δ_ℓ ∈ (−π/2, π/2] (mod π), ℓ = 0 … l_max; see `phase_shift_s_matrix`."""
    s = phase_shift_s_matrix(kappa, b, attractive=attractive, l_max=l_max, n_steps=n_steps,
                             accuracy=accuracy)
    return 0.5 * jnp.angle(s)
