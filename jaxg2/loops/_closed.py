r"""Closed-form Feynman-parameter moments of the one-loop dipole integrals.

Every one-loop dipole integral of :mod:`jaxg2.loops` is a combination of

    M_{p,q} = ∫₀¹ du u^p (1 − u)^q / Δ(u),
    Δ(u) = u A + (1 − u) B − u (1 − u) m²  = m² u² + (A − B − m²) u + B,

for (p, q) ∈ {(2,1), (2,0), (1,1), (1,2)} (A, B the squared internal masses, m
the external mass; Jegerlehner–Nyffeler, Phys. Rept. 477 (2009) 1, sec. 7;
Lavoura, Eur. Phys. J. C29 (2003) 191).  With the roots r₁, r₂ of Δ,
1/Δ = [1/(u − r₁) − 1/(u − r₂)] / (m² (r₁ − r₂)) and

    ∫₀¹ v^j/(v − r) dv = φ_j(r) = Σ_{i<j} r^{j−1−i}/(i+1) + r^j ln((r − 1)/r),       (1)

so every moment is a sum of logarithms (for complex roots, D = λ(m², A, B) < 0,
the imaginary parts of the logs are the arctangents of √−D; for real roots the
logs combine to atanh(√D/…)); the discriminant is the Källén function
λ = (m − m_a − m_b)(m + m_a + m_b)(m − m_a + m_b)(m + m_a − m_b), taken in this
factored form so that it is accurate at both the threshold and the
pseudo-threshold.

**Stability.**  [0, 1] is split at ½ and each half is mapped to v ∈ [0, 1]
(u = v/2 on the left, 1 − u = v/2 on the right), so every end-point distance
(u or 1 − u) is exact and a root next to u = 1 is a root next to v = 0 of the
right half.  On a half, K_j = ∫₀¹ v^j / Q(v) dv for Q = a v² + b v + c is
evaluated by one of three formulas, chosen with a double ``where`` (the
unselected ones are evaluated at harmless inputs, so neither values nor
gradients can be NaN):

* *far roots*, min|r| > ``R_FAR`` = 6: 1/Q = (1/c) Σ g_n v^n with g₀ = 1,
  g₁ = −b/c, g_n = −(b/c) g_{n−1} − (a/c) g_{n−2}, so K_j = (1/c) Σ g_n/(n+j+1)
  (``N_FAR`` = 22 terms for K_2, K_3, the rest by the three-term
  recurrence a K_{j+2} + b K_{j+1} + c K_j = 1/(j+1) run downwards).  This is the heavy-loop /
  degenerate-mass regime where (1) cancels to all digits.
* *near-double root*, real r̄ = −b/(2a) outside [0, 1] with
  |δ| < ``TAU`` · dist(r̄, [0, 1]) (δ² = D/(4a²), the pseudo-threshold
  m ≈ |m_a − m_b|): 1/Q = Σ_n δ^{2n}/(a (v − r̄)^{2n+2}) integrated term by term
  (``N_NEAR`` = 11 terms, ``TAU`` = 0.15, truncation < 10⁻¹⁷); all real.
* otherwise the divided difference of (1) in complex arithmetic, each φ_j by
  (1) for |r| ≤ ``R_PHI`` = 6 (as φ_j = 1/j + r φ_{j−1}) and beyond by the
  Laurent series φ_J(r) = −Σ_n r^{−n−1}/(n + J + 1) (``N_FAR`` terms) with
  φ_{j−1} = (φ_j − 1/j)/r downwards.  When both roots lie within R_PHI the
  polynomial part of (1) is divided-differenced analytically (in r₁ + r₂ =
  −b/a), so only the logarithms are subtracted: otherwise two complex roots
  close to each other next to an end point cost the gradient ~1/|r₁ − r₂|².

The mass combinations entering (A − B, A − B − m², λ) are formed without
cancellation and carry custom JVPs (∂(x² − y² − z²) = 2x dx − 2y dy − 2z dz,
∂λ/∂x = 4x(x² − y² − z²)): the product rule applied to their factored forms
would cancel terms of size m_b⁴ when m_a ≪ m_b (a 10⁻⁵ gradient error at
m_a/m_b = 10⁻¹²).

The value at the end point c = Q(0) (a massless internal line) is floored at
10⁻⁴⁰ (a + |b|), which changes the moments by ≲ 10⁻³⁸ and keeps every gradient
finite; a genuine log-divergent moment (M_{2,0} with A = 0, which multiplies
m_F = 0) then stays finite.  Accuracy ≤ 1e-12 relative to mpmath over mass
ratios 10⁻⁶ … 10⁶ (``tests/test_loops_closed.py``).
"""

from __future__ import annotations

import math

import jax
import jax.numpy as jnp

from ..numerics.batching import elementwise_with_partials

R_FAR = 6.0  # both roots beyond this modulus: real power series of 1/Q
R_PHI = 6.0  # one root beyond this modulus: Laurent series of φ_j
TAU = 0.15  # |δ| / dist(r̄, [0, 1]) below which the near-double-root series is used
N_FAR = 22  # (n + 1) R^{−n} < 2e-16
N_NEAR = 11  # TAU^{2n} < 1e-17
J_MAX = 3  # highest power of v needed (u^p (1−u)^q with p + q ≤ 3)
C_FLOOR = 1e-40
MOMENTS = ((2, 1), (2, 0), (1, 1), (1, 2))  # (p, q) of M_{p,q}


def _far(a, b, c):
    """K_j, j = 0…J_MAX, from the power series of 1/Q about v = 0 (both roots far).

    K_{J−1}, K_J from the series; the lower ones from a K_{j+2} + b K_{j+1} + c K_j
    = 1/(j+1), run downwards (stable: |b|/c ≤ 2/R_FAR, a/c ≤ R_FAR⁻²).
    """
    bc, ac = b / c, a / c
    g_prev, g = jnp.zeros_like(bc), jnp.ones_like(bc)
    hi = [g / J_MAX, g / (J_MAX + 1.0)]
    for n in range(1, N_FAR):
        g_prev, g = g, -bc * g - ac * g_prev
        hi = [hi[0] + g / (n + J_MAX), hi[1] + g / (n + J_MAX + 1.0)]
    out = [hi[0] / c, hi[1] / c]  # K_{J−1}, K_J
    for j in range(J_MAX - 2, -1, -1):
        out.insert(0, (1.0 / (j + 1.0) - a * out[1] - b * out[0]) / c)
    return out


def _near(a, rbar, delta2):
    """K_j from Σ_n δ^{2n} ∫ v^j (v − r̄)^{−2n−2} dv / a (real r̄ outside [0, 1])."""
    alpha, beta = 1.0 - rbar, -rbar  # v − r̄ at v = 1 and v = 0 (same sign)
    rho_a, rho_b = delta2 / alpha**2, delta2 / beta**2
    log_ab = jnp.log(alpha / beta)
    pow_a = [alpha ** (i - 1) for i in range(J_MAX + 1)]
    pow_b = [beta ** (i - 1) for i in range(J_MAX + 1)]
    # T_i = Σ_n δ^{2n} ∫ (v − r̄)^{i − 2n − 2} dv
    t = [jnp.zeros_like(rbar) for _ in range(J_MAX + 1)]
    ra_n, rb_n, d_n = jnp.ones_like(rbar), jnp.ones_like(rbar), jnp.ones_like(rbar)
    for n in range(N_NEAR):
        for i in range(J_MAX + 1):
            k = i - 2 * n - 1
            if k == 0:
                t[i] = t[i] + d_n * log_ab
            else:
                t[i] = t[i] + (pow_a[i] * ra_n - pow_b[i] * rb_n) / k
        ra_n, rb_n, d_n = ra_n * rho_a, rb_n * rho_b, d_n * delta2
    out = []
    for j in range(J_MAX + 1):  # v^j = Σ_i C(j,i) r̄^{j−i} (v − r̄)^i
        out.append(sum(math.comb(j, i) * rbar ** (j - i) * t[i] for i in range(j + 1)) / a)
    return out


def _phi(r, r_m1):
    """φ_j(r) = ∫₀¹ v^j/(v − r) dv, j = 0…J_MAX, complex r off [0, 1]; r_m1 = r − 1."""
    big = jnp.abs(r) > R_PHI
    r_c = jnp.where(big, 2.0 + 0.0j, r)
    r_s = jnp.where(big, r, 8.0 + 0.0j)
    log_c = jnp.log(jnp.where(big, 1.0 + 0.0j, r_m1) / r_c)
    log_part = [log_c]  # r^j ln((r − 1)/r) for |r| ≤ R_PHI
    for j in range(1, J_MAX + 1):
        log_part.append(r_c * log_part[-1])
    closed = [log_c]  # φ_j = 1/j + r φ_{j−1} upwards (|r| ≤ R_PHI)
    for j in range(1, J_MAX + 1):
        closed.append(1.0 / j + r_c * closed[-1])
    inv = 1.0 / r_s  # Laurent series for φ_J, then φ_{j−1} = (φ_j − 1/j)/r downwards
    series = jnp.zeros_like(inv)
    for n in range(N_FAR - 1, -1, -1):
        series = series * inv + 1.0 / (n + J_MAX + 1.0)
    far = [-series * inv]
    for j in range(J_MAX, 0, -1):
        far.insert(0, (far[0] - 1.0 / j) * inv)
    return [jnp.where(big, f, c) for f, c in zip(far, closed)], log_part


def half_moments(a, b, c, disc, b2a):
    """[K_0 … K_J_MAX], K_j = ∫₀¹ v^j/(a v² + b v + c) dv; disc = b² − 4ac and b2a = b + 2a given accurately.

    Q must be positive on [0, 2] (the full Feynman interval in this half's
    variable), a > 0; see the module docstring for the three regimes.
    """
    c = jnp.maximum(c, C_FLOOR * (a + jnp.abs(b)))
    sgn = jnp.where(b >= 0.0, 1.0, -1.0)
    # -- root geometry (decisions only: no gradient needed) --
    sq0 = jnp.sqrt(jax.lax.stop_gradient(disc) + 0.0j)
    q0 = -0.5 * (jax.lax.stop_gradient(b) + sgn * sq0)
    a0, c0 = jax.lax.stop_gradient(a), jax.lax.stop_gradient(c)
    rmin = jnp.minimum(jnp.abs(q0 / a0), jnp.abs(c0 / q0))
    far = rmin > R_FAR
    rbar0 = -jax.lax.stop_gradient(b) / (2.0 * a0)
    dist = jnp.where(rbar0 < 0.0, -rbar0, rbar0 - 1.0)
    near = (~far) & (dist > 0.0) & (jnp.abs(jax.lax.stop_gradient(disc)) < (2.0 * a0 * TAU * dist) ** 2)
    gen = (~far) & (~near)
    # -- far: power series (safe inputs elsewhere) --
    k_far = _far(jnp.where(far, a, 0.0), jnp.where(far, b, 0.0), jnp.where(far, c, 1.0))
    # -- near-double root --
    rbar = jnp.where(near, -b / (2.0 * a), -1.0)
    delta2 = jnp.where(near, disc / (4.0 * a * a), 0.0)
    k_near = _near(jnp.where(near, a, 1.0), rbar, delta2)
    # -- general: divided difference of φ_j in complex arithmetic --
    # real roots (outside [0, 2], so r − 1 has no cancellation): r₁ = q/a, r₂ = c/q;
    # complex roots: r = r̄ ± iη with r̄ − 1 = −(b + 2a)/(2a) exact (pinch next to v = 1).
    real = disc >= 0.0
    d_r = jnp.where(gen & real, disc, 1.0)
    d_c = jnp.where(gen & ~real, -disc, 1.0)
    a_g, b_g, c_g = jnp.where(gen, a, 1.0), jnp.where(gen, b, 3.0), jnp.where(gen, c, 1.0)
    sq_r = jnp.sqrt(d_r)
    q = -0.5 * (b_g + sgn * sq_r)
    eta = jnp.sqrt(d_c) / (2.0 * a_g)
    re1 = -b_g / (2.0 * a_g)
    re1_m1 = -jnp.where(gen, b2a, 1.0) / (2.0 * a_g)
    r1 = jnp.where(real, q / a_g + 0.0j, re1 + 1j * eta)
    r2 = jnp.where(real, c_g / q + 0.0j, re1 - 1j * eta)
    r1_m1 = jnp.where(real, r1 - 1.0, re1_m1 + 1j * eta)
    r2_m1 = jnp.where(real, r2 - 1.0, re1_m1 - 1j * eta)
    denom = jnp.where(real, -sgn * sq_r + 0.0j, 2j * a_g * eta)  # = a (r₁ − r₂)
    phis, logs = _phi(jnp.stack([r1, r2], -1), jnp.stack([r1_m1, r2_m1], -1))  # both roots in one pass
    # Both roots inside |r| ≤ R_PHI: the divided difference of the polynomial part of (1),
    # Σ_i (r₁^k − r₂^k)/(r₁ − r₂)/(i+1) (k = j−1−i), in the symmetric functions (0, 1, r₁ + r₂ = −b/a
    # for k = 0, 1, 2), so that only the logarithms are differenced (roots close to each other
    # near an end point would otherwise cost the gradient up to 1/|r₁ − r₂|² in cancellation).
    small = jnp.maximum(jnp.abs(jax.lax.stop_gradient(r1)), jnp.abs(jax.lax.stop_gradient(r2))) <= R_PHI
    e1 = -b_g / a_g
    poly = [0.0, 0.0, 1.0 / a_g, (e1 + 0.5) / a_g]
    k_gen = [jnp.where(small, jnp.real((lg[..., 0] - lg[..., 1]) / denom) + pj, jnp.real((p[..., 0] - p[..., 1]) / denom))
             for p, lg, pj in zip(phis, logs, poly)]
    return [jnp.where(far, kf, jnp.where(near, kn, kg)) for kf, kn, kg in zip(k_far, k_near, k_gen)]


def _sum3(x, y, z):
    """x + y + z with the rounding error of x + y restored (Knuth's TwoSum)."""
    s = x + y
    yy = s - x
    err = (x - (s - yy)) + (y - yy)
    return (s + z) + err


@jax.custom_jvp
def _sq_minus_two(x, y, z):
    """x² − y² − z² with the larger of y², z² subtracted first as (x − ·)(x + ·).

    Its JVP is 2x dx − 2y dy − 2z dz (the product rule on the factors would cancel).
    """
    y_first = y >= z
    big = jnp.where(y_first, y, z)
    small = jnp.where(y_first, z, y)
    return (x - big) * (x + big) - small * small


@_sq_minus_two.defjvp
def _sq_minus_two_jvp(primals, tangents):
    (x, y, z), (dx, dy, dz) = primals, tangents
    return _sq_minus_two(x, y, z), 2.0 * (x * dx - y * dy - z * dz)


@jax.custom_jvp
def kallen(m, m_a, m_b):
    """λ(m², m_a², m_b²) = (m − m_a − m_b)(m + m_a + m_b)(m − m_a + m_b)(m + m_a − m_b).

    Each factor is summed with TwoSum, so the (pseudo-)threshold factor keeps
    its relative accuracy when it cancels (m ≈ |m_a ± m_b|).  The derivative is
    the symmetric ∂λ/∂x = 4x (x² − y² − z²) (custom JVP): differentiating the
    product instead cancels two terms of size m_b⁴ when m_a ≪ m_b.
    """
    return (_sum3(m, -m_a, -m_b) * (m + m_a + m_b) * _sum3(m, -m_a, m_b) * _sum3(m, m_a, -m_b))


@kallen.defjvp
def _kallen_jvp(primals, tangents):
    m, m_a, m_b = primals
    dm, dm_a, dm_b = tangents
    d = (4.0 * m * _sq_minus_two(m, m_a, m_b) * dm + 4.0 * m_a * _sq_minus_two(m_a, m, m_b) * dm_a
         + 4.0 * m_b * _sq_minus_two(m_b, m_a, m) * dm_b)
    return kallen(m, m_a, m_b), d


def _moments(m, m_a, m_b):
    """The moments by the formulas of the module docstring (elementwise, broadcasting)."""
    m2 = m * m
    a_sq, b_sq = m_a * m_a, m_b * m_b
    diff = _sq_minus_two(m_a, m_b, jnp.zeros_like(m_b))  # A − B without cancellation
    disc = 0.25 * kallen(m, m_a, m_b)  # h² λ, h = ½
    # both halves in one pass: trailing axis (left, right)
    st = lambda x, y: jnp.stack(jnp.broadcast_arrays(x, y), -1)  # noqa: E731
    k = half_moments(0.25 * st(m2, m2), 0.5 * st(_sq_minus_two(m_a, m_b, m), _sq_minus_two(m_b, m_a, m)),
                     st(b_sq, a_sq), st(disc, disc), 0.5 * st(diff, -diff))
    k_left = [kj[..., 0] for kj in k]
    k_right = [kj[..., 1] for kj in k]
    out = []
    for p, q in MOMENTS:
        # ∫₀^½ u^p (1−u)^q / Δ du = Σ_i C(q,i)(−1)^i h^{p+i+1} K^L_{p+i}, and u ↔ 1 − u on the right
        left = sum(math.comb(q, i) * (-1) ** i * 0.5 ** (p + i + 1) * k_left[p + i] for i in range(q + 1))
        right = sum(math.comb(p, i) * (-1) ** i * 0.5 ** (q + i + 1) * k_right[q + i] for i in range(p + 1))
        out.append(left + right)
    return tuple(out)


_moments_with_partials = elementwise_with_partials(_moments)


def moments(m, m_a, m_b):
    r"""(M_{2,1}, M_{2,0}, M_{1,1}, M_{1,2}) for Δ(u) = u m_a² + (1 − u) m_b² − u(1 − u) m².

    Requires m > 0 and m < m_a + m_b (below threshold).  Broadcasts; float64 inputs.

    Memory: the moments and their derivatives are evaluated at most
    :func:`jaxg2.numerics.batching.default_chunk` elements at a time, also under ``vmap``,
    and the derivative is a custom JVP from the elementwise partials ∂M/∂m, ∂M/∂m_a,
    ∂M/∂m_b (forward mode through :func:`_moments`, only for inputs whose tangent is
    not a symbolic zero; :func:`jaxg2.numerics.elementwise_with_partials`).  A gradient
    therefore keeps a few partials per element instead of every intermediate of the
    three regimes: ``vmap(value_and_grad(g2_*))`` over 10⁶ points needs ~0.15 GiB,
    not 2.5 GiB (``benchmarks/bench_loops.py``).
    """
    return _moments_with_partials(m, m_a, m_b)


__all__ = ["moments", "half_moments", "kallen", "MOMENTS"]
