r"""Scalar sector of the dynamical inverse seesaw (paper 001, eq. 2.1), exactly.

Fields and charges under SU(2)_L × U(1)_Y × U(1)_D: H (doublet, Y = ½, D = 0),
φ (doublet, Y = ½, D = +1), S₁ (singlet, D = +1), S₂ (singlet, D = +2).  The potential

    V = −m_H² H†H + m_φ² φ†φ − m₁² |S₁|² + m₂² |S₂|²
        − [ μ/2 S₁ (φ†H) + μ′/2 S₁² S₂* + α/2 (H†φ) S₁ S₂* + h.c. ]
        + λ′_Hφ (φ†H)(H†φ) + Σ_φ λ_φ (φ†φ)² + Σ_{φ<φ′} λ_φφ′ (φ†φ)(φ′†φ′)

is written in twelve real components,
``H = ((x₀ + i x₁), (x₂ + i x₃))/√2``, ``φ = ((x₄ + i x₅), (x₆ + i x₇))/√2``,
``S₁ = (x₈ + i x₉)/√2``, ``S₂ = (x₁₀ + i x₁₁)/√2``, so the kinetic terms are canonical
and the Hessian ∂²V/∂x_i∂x_j at the minimum *is* the mass-squared matrix.  With real
couplings CP is conserved and the vacuum is ⟨x₂, x₆, x₈, x₁₀⟩ = (v, v_φ, ω₁, ω₂).

Minimum conditions: each bare mass appears in exactly one tadpole equation
(∂V/∂x₂ ∋ −m_H² v, ∂V/∂x₆ ∋ m_φ² v_φ, ...), so for given vevs the conditions are
*linear* in (m_H², m_φ², m₁², m₂²) and are solved exactly (:func:`bare_masses`).  The
forward problem — vevs from Lagrangian masses — is :func:`solve_vevs` (Newton on the
four tadpoles, differentiable), and the tests check it inverts :func:`bare_masses`.

Mass matrices come from :func:`jax.hessian` of the potential (no hand-derived
entries), split into the CP-even (x₂, x₆, x₈, x₁₀), CP-odd (x₃, x₇, x₉, x₁₁) and
charged (x₀, x₄) blocks, and diagonalised.  Mixing angles follow the paper's eq. 2.8,
φ_phys = φ − Σ θ_φφ′ φ′, i.e. θ_φφ′ = −O[phys(φ), φ′] with O the rotation to mass
eigenstates, and φ_phys the eigenstate with the largest φ admixture.  Sign conventions
of the angles depend on field phases; the paper quotes magnitudes.
"""

from __future__ import annotations

from typing import Mapping, NamedTuple

import jax
import jax.numpy as jnp

from ...numerics import after, newton_root

SQRT2 = jnp.sqrt(2.0)

QUARTICS = ("lam_H", "lam_phi", "lam_S1", "lam_S2", "lam_Hphi", "lam_Hphi_p",
            "lam_HS1", "lam_HS2", "lam_phiS1", "lam_phiS2", "lam_S1S2")
TRILINEARS = ("mu", "mu_p", "alpha")  # μ, μ′ [GeV] and α (dimensionless)
VEVS = ("v", "v_phi", "omega1", "omega2")  # GeV
BARE = ("mH2", "mphi2", "m12", "m22")  # GeV², signs as in eq. 2.1 (−m_H², +m_φ², −m₁², +m₂²)

EVEN = (2, 6, 8, 10)   # Re H⁰, Re φ⁰, Re S₁, Re S₂
ODD = (3, 7, 9, 11)    # Im H⁰, Im φ⁰, Im S₁, Im S₂
CHARGED = (0, 4)       # Re H⁺, Re φ⁺ (the Im parts give an identical block)
EVEN_NAMES = ("h_SM", "H_D", "S_D", "S_D_prime")  # states with the largest H, φ, S₁, S₂ admixture


def _fields(x):
    c = lambda a, b: (a + 1j * b) / SQRT2  # noqa: E731
    H = jnp.stack([c(x[0], x[1]), c(x[2], x[3])])
    phi = jnp.stack([c(x[4], x[5]), c(x[6], x[7])])
    return H, phi, c(x[8], x[9]), c(x[10], x[11])


def potential(x, p: Mapping[str, jnp.ndarray]):
    """V(x) of eq. 2.1 for the 12 real field components ``x`` [GeV⁴]."""
    H, phi, S1, S2 = _fields(x)
    hh = jnp.real(jnp.vdot(H, H))
    pp = jnp.real(jnp.vdot(phi, phi))
    s1 = jnp.abs(S1) ** 2
    s2 = jnp.abs(S2) ** 2
    phiH = jnp.vdot(phi, H)  # φ†H
    Hphi = jnp.conj(phiH)    # H†φ
    mixing = p["mu"] / 2 * S1 * phiH + p["mu_p"] / 2 * S1**2 * jnp.conj(S2) \
        + p["alpha"] / 2 * Hphi * S1 * jnp.conj(S2)
    quad = -p["mH2"] * hh + p["mphi2"] * pp - p["m12"] * s1 + p["m22"] * s2
    norms = {"H": hh, "phi": pp, "S1": s1, "S2": s2}
    quartic = p["lam_Hphi_p"] * jnp.abs(phiH) ** 2
    for a in ("H", "phi", "S1", "S2"):
        quartic = quartic + p[f"lam_{a}"] * norms[a] ** 2
    for a, b in (("H", "phi"), ("H", "S1"), ("H", "S2"), ("phi", "S1"), ("phi", "S2"), ("S1", "S2")):
        quartic = quartic + p[f"lam_{a}{b}"] * norms[a] * norms[b]
    return quad - 2.0 * jnp.real(mixing) + quartic


def vacuum(vevs) -> jnp.ndarray:
    """The 12-vector of the vacuum for vevs (v, v_φ, ω₁, ω₂)."""
    x = jnp.zeros(12, dtype=jnp.float64)
    return x.at[jnp.array(EVEN)].set(jnp.asarray(vevs, dtype=jnp.float64))


def _tadpoles(vevs, p):
    return jax.grad(potential)(vacuum(vevs), p)[jnp.array(EVEN)]


def bare_masses(p: Mapping[str, jnp.ndarray]) -> dict[str, jnp.ndarray]:
    """Solve the minimum conditions for (m_H², m_φ², m₁², m₂²) given the vevs in ``p``.

    ∂V/∂x_k = c_k · m_k² · vev_k + (everything else) = 0 with c = (−1, +1, −1, +1), so
    m_k² = −(rest)/(c_k vev_k).  Exact; vevs must be non-zero.
    """
    vevs = jnp.stack([p[k] for k in VEVS])
    zero = {k: jnp.zeros(()) for k in BARE}
    rest = _tadpoles(vevs, {**p, **zero})
    sign = jnp.array([-1.0, 1.0, -1.0, 1.0])
    m2 = -rest / (sign * vevs)
    return dict(zip(BARE, m2))


def solve_vevs(p: Mapping[str, jnp.ndarray], guess, iterations: int = 30):
    """Vevs (v, v_φ, ω₁, ω₂) from the Lagrangian parameters (bare masses included).

    Newton's method on the four tadpole equations from ``guess``
    (:func:`jaxg2.numerics.newton_root`: optimistix, at most ``iterations`` steps,
    implicit-function gradients; converges quadratically from a guess within the
    basin, e.g. the leading-order solution).  Returns the vevs; check the residual with
    :func:`tadpole_residual`.
    """
    guess = jax.lax.stop_gradient(jnp.asarray(guess, dtype=jnp.float64))
    scale = jnp.max(jnp.abs(guess)) ** 3  # tadpoles [GeV³] in units of the largest vev³ (tolerances)
    return newton_root(lambda vv, pp: _tadpoles(vv, pp) / scale, guess, p, max_steps=iterations)


def tadpole_residual(vevs, p):
    """Max |∂V/∂x| at the vacuum with these vevs [GeV³]."""
    return jnp.max(jnp.abs(_tadpoles(jnp.asarray(vevs), p)))


class ScalarSpectrum(NamedTuple):
    even_masses: jnp.ndarray    # GeV, ordered as (h_SM, H_D, S_D, S'_D)
    even_rotation: jnp.ndarray  # O[i_phys, j_gauge], rows in the same order
    odd_masses: jnp.ndarray     # GeV, all four CP-odd eigenvalues ascending (2 Goldstones first)
    odd_rotation: jnp.ndarray
    charged_masses: jnp.ndarray  # GeV, (G±, H_D±)
    charged_rotation: jnp.ndarray
    min_eigenvalue: jnp.ndarray  # smallest physical mass² / largest (stability diagnostic)


def _signed_sqrt(m2):
    """sign(m²)·√|m²|, with a finite (zero) derivative at m² = 0 (double-where): the
    Goldstone eigenvalues are zero up to rounding, and 0·∞ in their unused cotangent
    would otherwise make every gradient NaN."""
    nz = m2 != 0
    safe = jnp.where(nz, jnp.abs(m2), 1.0)
    return jnp.where(nz, jnp.sign(m2) * jnp.sqrt(safe), 0.0)


def _assign_by_admixture(vals, vecs):
    """Order eigenpairs so that state i has the largest admixture of gauge field i.

    Greedy assignment on |O|² (exact for the small mixings of this model); rows of the
    returned rotation are mass eigenstates, columns gauge fields.
    """
    w = jnp.abs(vecs.T) ** 2  # [state, field]
    n = w.shape[0]
    order = []
    taken = jnp.zeros(n, dtype=bool)
    for field in range(n):  # static loop over fields (n = 4)
        score = jnp.where(taken, -1.0, w[:, field])
        idx = jnp.argmax(score)
        order.append(idx)
        taken = taken.at[idx].set(True)
    order = jnp.stack(order)
    rot = vecs.T[order]
    # fix the sign: diagonal entries positive
    rot = rot * jnp.sign(jnp.diagonal(rot))[:, None]
    return vals[order], rot


def _eigh_values_only(A):
    """eigh of a real symmetric A whose eigenvalues alone are differentiated.

    Values and vectors are jnp.linalg.eigh's; the eigenvalues' derivative is the
    Hellmann–Feynman one, dλ_i = v_iᵀ dA v_i, and the vectors carry none.  The CP-odd
    block has two Goldstone eigenvalues that are zero up to rounding and can coincide
    exactly, where eigh's own JVP (1/(λ_i − λ_j) for the vectors) gives 0·∞ = NaN even
    though only eigenvalues (and a discrete label from the vectors) are used."""
    w, v = jnp.linalg.eigh(A)
    v = jax.lax.stop_gradient(v)
    hf = jnp.einsum("ji,jk,ki->i", v, A, v)
    return jax.lax.stop_gradient(w) + (hf - jax.lax.stop_gradient(hf)), v


def mass_matrices(p: Mapping[str, jnp.ndarray]):
    """The CP-even, CP-odd and charged mass² matrices [GeV²] at the vacuum of ``p``."""
    vevs = jnp.stack([p[k] for k in VEVS])
    full = {**p, **bare_masses(p)}
    hess = jax.hessian(potential)(vacuum(vevs), full)
    sub = lambda idx: hess[jnp.ix_(jnp.array(idx), jnp.array(idx))]  # noqa: E731
    return sub(EVEN), sub(ODD), sub(CHARGED)


def spectrum(p: Mapping[str, jnp.ndarray]) -> ScalarSpectrum:
    """Masses and rotations of all scalars (exact diagonalisation of the Hessian)."""
    even, odd, charged = mass_matrices(p)
    ev, evec = jnp.linalg.eigh(even)
    ev, erot = _assign_by_admixture(ev, evec)
    # one LAPACK call at a time: independent batched calls can deadlock jaxlib 0.10 on the
    # CPU (jaxg2.numerics.lapack); the chain changes no value or derivative
    ov, ovec = _eigh_values_only(after(odd, ev))
    cv, cvec = jnp.linalg.eigh(after(charged, ov))
    physical = jnp.concatenate([ev, ov[2:], cv[1:]])
    return ScalarSpectrum(
        even_masses=_signed_sqrt(ev), even_rotation=erot,
        odd_masses=_signed_sqrt(ov), odd_rotation=ovec.T,
        charged_masses=_signed_sqrt(cv), charged_rotation=cvec.T,
        min_eigenvalue=jnp.min(physical) / jnp.max(physical),
    )


def even_mixing_angles(spec: ScalarSpectrum) -> dict[str, jnp.ndarray]:
    """θ_φφ′ of eq. 2.9 (magnitudes): |O[phys(φ), φ′]| for the pairs the paper lists."""
    O = spec.even_rotation
    idx = {"H": 0, "phi": 1, "S1": 2, "S2": 3}
    pairs = (("H", "phi"), ("H", "S1"), ("H", "S2"), ("phi", "S1"), ("phi", "S2"), ("S1", "S2"))
    return {f"theta_{a}{b}": jnp.abs(O[idx[a], idx[b]]) for a, b in pairs}


def leading_order_vevs(p: Mapping[str, jnp.ndarray], m_HD2, m_SDp2):
    """Paper eqs. 2.2–2.3: v_φ and ω₂ at leading order in μ, μ′, α.

    ``m_HD2`` and ``m_SDp2`` are M²_{H_D} and M²_{S′_D} [GeV²].  From the tadpoles,
    ∂V/∂v_φ = 0 gives v_φ M²_H = μ ω₁ v/(2√2) + α v ω₁ ω₂/4 and ∂V/∂ω₂ = 0 gives
    ω₂ M²_S′ = μ′ ω₁²/(2√2) + α v v_φ ω₁/4; substituting the leading term of each into
    the other reproduces the paper's printed form exactly:
        v_φ ≃ 1/(8√2) (α μ′ v ω₁³/(M²_S′ M²_H) + 4 μ ω₁ v / M²_H),
        ω₂ ≃ 1/(8√2) (α μ v² ω₁²/(M²_S′ M²_H) + 4 μ′ ω₁² / M²_S′).
    """
    v, w1 = p["v"], p["omega1"]
    vphi = (p["alpha"] * p["mu_p"] * v * w1**3 / (m_SDp2 * m_HD2) + 4 * p["mu"] * w1 * v / m_HD2) / (8 * SQRT2)
    w2 = (p["alpha"] * p["mu"] * v**2 * w1**2 / (m_SDp2 * m_HD2) + 4 * p["mu_p"] * w1**2 / m_SDp2) / (8 * SQRT2)
    return vphi, w2
