r"""Differentiable Takagi factorisation of a complex symmetric matrix.

For a complex symmetric n×n matrix M (Mᵀ = M, e.g. a Majorana mass matrix in the
convention L = −½ ψᵀ M ψ + h.c.) the Takagi factorisation is

    M = U diag(m) Uᵀ,        U unitary,   m_1 ≤ m_2 ≤ … ≤ m_n,   m_i ≥ 0.

The m_i are the singular values of M (the physical masses); the columns of U are
the mass eigenstates.  :func:`takagi` returns ``(m, U)`` with m sorted ascending.

Method (forward pass)
---------------------
Cyclic two-sided Jacobi (the approach of T. Hahn's ``TakagiFactor``,
arXiv:physics/0607103): sweep over the pairs (p, q) and apply to rows and columns
p, q the unitary congruence D → Rᵀ D R that makes the 2×2 block

    S = [[a, b], [b, d]]

diagonal.  R = P Q with P = diag(e^{−i arg a/2}, e^{−i arg d/2}) (makes the block's
diagonal real, α_a = |a|, α_d = |d|, and b → b′ = x + i y), and Q the unitary that
diagonalises the Hermitian S′ᴴS′ (whose eigenvectors are the conjugated Takagi
vectors of S′):

    Q = [[c, −s e^{iψ}], [s e^{−iψ}, c]],   t = tan θ = sgn(δ)|g| / (|δ| + √(δ² + |g|²)),
    δ = (α_a − α_d)/2,   g = x + i (α_a − α_d)/(α_a + α_d) · y,   ψ = arg g.

This is (S′ᴴS′)₁₂ = (α_a + α_d) g and ((S′ᴴS′)₁₁ − (S′ᴴS′)₂₂)/2 = (α_a + α_d) δ
divided by α_a + α_d > 0: written this way there is no cancellation for nearly
degenerate blocks (pseudo-Dirac pairs).  For an exactly degenerate block (δ = 0)
S′ = α𝟙 + b′σ₁ and the 45° rotation (t = 1, ψ = arg x) diagonalises it.  Each
rotation zeroes D_pq up to rounding (the residual is kept and removed by the next
sweep, see :func:`_apply_rotation`) and conserves the Frobenius norm, so the
off-diagonal norm decreases monotonically (quadratically near the end).  A fixed number of sweeps
(default 2 for n = 2, where one rotation is exact, and 12 otherwise) makes the
loop jit/vmap-friendly; tests check convergence to machine precision for n ≤ 9,
including exactly degenerate, pseudo-Dirac and rank-deficient matrices.  Finally
the diagonal d_p = m_p e^{iφ_p} is made real by U_{:p} → U_{:p} e^{iφ_p/2}, and
the pairs (m, U_{:p}) are sorted by m.  The method is backward stable: the
reconstruction error is ~ε‖M‖ for every mass, including m = 0.

Method (derivatives)
--------------------
A custom JVP.  Writing dU = U A (A anti-Hermitian) and P = Uᴴ dM U* (complex
symmetric), M = U Σ Uᵀ gives P = AΣ + dΣ + ΣAᵀ, hence

    dm_i = Re P_ii,     A_ij = Re P_ij /(m_j − m_i) + i Im P_ij /(m_j + m_i)

(the diagonal A_ii = i Im P_ii/(2 m_i) is the same formula).  Inside a
degenerate cluster U is not unique (a real orthogonal rotation, or any unitary
one among massless states), and the inverses are broadened,
1/Δ → Δ/(Δ² + η²) with η = ``degeneracy_rtol`` · max(m) (default 1e-15), so that
every gradient is finite.  Derivatives are exact whenever |m_i − m_j| ≫ η (and
m_i + m_j ≫ η): tested against the exact derivative of M M† for a pair split by
1e-9 relative.  For an *exactly* degenerate cluster the intra-cluster rotation is
set to zero (the usual gauge choice); the mass gradients stay exact, but a smooth
function of M that needs the divided difference (f(m_i) − f(m_j))/(m_i − m_j) → f′(m)
inside the cluster misses that term (1e-3 relative in the test's example).  Such
functions should be written in terms of M, or the degeneracy lifted.  Reverse mode
is the transpose of this linear map (JAX transposes it automatically).

Conventions: input is symmetrised, (M + Mᵀ)/2; output U is complex128 and m is
float64, both of the input's batch shape (leading axes are batched).

References: T. Takagi, Japan. J. Math. 1 (1925) 83; T. Hahn, "Routines for the
diagonalization of complex matrices", arXiv:physics/0607103; for the JVP, the
singular-value perturbation theory of e.g. Giles, "An extended collection of
matrix derivative results" (2008).
"""

from __future__ import annotations

import functools

import jax
import jax.numpy as jnp
from jax import lax

__all__ = ["takagi", "takagi_reconstruct", "DEFAULT_DEGENERACY_RTOL"]

DEFAULT_DEGENERACY_RTOL = 1e-15


def _default_sweeps(n: int) -> int:
    return 2 if n <= 2 else 12


def _rotation_parameters(D, p, q):
    """(θ, ψ, P_p, P_q) of the Takagi–Jacobi rotation of the pair (p, q) (module docstring):
    Q's angle θ = arctan t and phase ψ = arg g, and the phases P = e^{−i arg(D_pp)/2},
    e^{−i arg(D_qq)/2}.  ``p``, ``q`` may be traced indices."""
    a, d, b = D[p, p], D[q, q], D[p, q]
    alpha_a, alpha_d = jnp.abs(a), jnp.abs(d)
    pa = jnp.exp(-0.5j * jnp.angle(a))
    pd = jnp.exp(-0.5j * jnp.angle(d))
    bp = b * pa * pd
    x, y = jnp.real(bp), jnp.imag(bp)
    ssum = alpha_a + alpha_d
    pos = ssum > 0
    ratio = jnp.where(pos, (alpha_a - alpha_d) / jnp.where(pos, ssum, 1.0), 0.0)
    g = x + 1j * ratio * y
    absg = jnp.abs(g)
    delta = 0.5 * (alpha_a - alpha_d)
    den = jnp.abs(delta) + jnp.sqrt(delta * delta + absg * absg)
    t = jnp.where(delta == 0, 1.0, jnp.sign(delta) * absg / jnp.where(den > 0, den, 1.0))
    t = jnp.where(b == 0, 0.0, t)
    psi = jnp.where(absg > 0, jnp.angle(g), 0.0)
    return jnp.arctan(t), psi, pa, pd


def _apply_rotation(D, U, p, q, params):
    """D → Rᵀ D R, U → U R*, with R = diag(P_p, P_q) [[c, −s e^{iψ}], [s e^{−iψ}, c]]
    (unitary for any θ, ψ).  The new D_pq is kept, not set to 0: for a nearly degenerate
    block ψ carries a relative error ~ε/split (it is the phase of g ~ split × |b|), so one
    rotation leaves a residual ~1e-6 |b| at a 1e-12 split that the next sweep removes
    (zeroing it would drop it from the reconstruction)."""
    theta, psi, pa, pd = params
    c, s = jnp.cos(theta), jnp.sin(theta)
    ph = jnp.exp(1j * psi)
    R = jnp.stack([jnp.stack([pa * c, -pa * s * ph]), jnp.stack([pd * s * jnp.conj(ph), pd * c])])
    idx = jnp.stack([p, q])
    D = D.at[idx, :].set(R.T @ D[idx, :])
    D = D.at[:, idx].set(D[:, idx] @ R)
    U = U.at[:, idx].set(U[:, idx] @ jnp.conj(R))
    return D, U


def _takagi_forward(M, sweeps: int):
    """Cyclic Jacobi sweeps, one rotation per loop step, in two phases: step k applies the
    rotation whose (θ, ψ, P_p, P_q) step k − 1 computed and stored in the loop carry, then
    computes the next pair's.  For a nearly degenerate pair θ and ψ depend on differences
    ~1e-13 of O(1) numbers; computed inside the kernels that apply R, XLA may evaluate them
    once per consumer with different rounding (FMA contraction), which made R non-unitary by
    ~5e-6 at a 1e-12 split (seen with XLA's CPU fusion emitters off).  The carry is one
    stored value, so every entry of R, D and U sees the same θ and ψ."""
    n = M.shape[-1]
    D = 0.5 * (M + M.T)
    U = jnp.eye(n, dtype=D.dtype)
    pairs = [(p, q) for p in range(n - 1) for q in range(p + 1, n)]
    if pairs:
        # step k applies pq[k]'s rotation and computes pq[k + 1]'s: step 0 applies the
        # identity to pairs[0]; the last entry is padding (its rotation is never applied)
        pq = jnp.asarray([pairs[0]] + pairs * sweeps + [pairs[0]], dtype=jnp.int32)

        def step(k, carry):
            D, U, params = carry
            D, U = _apply_rotation(D, U, pq[k, 0], pq[k, 1], params)
            return D, U, _rotation_parameters(D, pq[k + 1, 0], pq[k + 1, 1])

        identity = (jnp.zeros(()), jnp.zeros(()), jnp.ones((), D.dtype), jnp.ones((), D.dtype))
        D, U, _ = lax.fori_loop(0, len(pairs) * sweeps + 1, step, (D, U, identity))
    dvals = jnp.diagonal(D)
    m = jnp.abs(dvals)
    U = U * jnp.exp(0.5j * jnp.angle(dvals))[None, :]
    order = jnp.argsort(m)
    return m[order], U[:, order]


@functools.partial(jax.custom_jvp, nondiff_argnums=(1, 2))
def _takagi_single(M, sweeps, rtol):
    return _takagi_forward(M, sweeps)


@_takagi_single.defjvp
def _takagi_single_jvp(sweeps, rtol, primals, tangents):
    (M,), (dM,) = primals, tangents
    m, U = _takagi_single(M, sweeps, rtol)
    dM = 0.5 * (dM + dM.T).astype(U.dtype)
    P = jnp.conj(U).T @ dM @ jnp.conj(U)
    eta = rtol * jnp.max(m) + jnp.finfo(jnp.float64).tiny
    diff = m[None, :] - m[:, None]  # m_j − m_i at [i, j]
    summ = m[None, :] + m[:, None]
    inv_diff = diff / (diff * diff + eta * eta)
    inv_sum = summ / (summ * summ + eta * eta)
    A = jnp.real(P) * inv_diff + 1j * jnp.imag(P) * inv_sum
    dm = jnp.real(jnp.diagonal(P))
    dU = U @ A
    return (m, U), (dm, dU)


@functools.partial(jax.jit, static_argnames=("sweeps", "degeneracy_rtol"))
def takagi(M, *, sweeps: int | None = None, degeneracy_rtol: float = DEFAULT_DEGENERACY_RTOL):
    """Takagi factorisation M = U diag(m) Uᵀ of a complex symmetric matrix.

    Parameters
    ----------
    M : array (..., n, n), real or complex, symmetric (it is symmetrised).
    sweeps : number of Jacobi sweeps (static); default 2 for n ≤ 2, else 12.
    degeneracy_rtol : relative broadening η/max(m) of 1/(m_i ∓ m_j) in the JVP.

    Returns
    -------
    m : (..., n) float64, the Takagi values (masses) sorted ascending, ≥ 0.
    U : (..., n, n) complex128 unitary with M = U diag(m) Uᵀ.
    """
    M = jnp.asarray(M)
    M = M.astype(jnp.result_type(M.dtype, jnp.complex128))
    n = M.shape[-1]
    if M.shape[-2] != n:
        raise ValueError(f"takagi needs square matrices, got shape {M.shape}")
    sw = _default_sweeps(n) if sweeps is None else int(sweeps)
    f = lambda A: _takagi_single(A, sw, float(degeneracy_rtol))  # noqa: E731
    for _ in range(M.ndim - 2):
        f = jax.vmap(f)
    return f(M)


def takagi_reconstruct(m, U):
    """U diag(m) Uᵀ (batched), the inverse of :func:`takagi`."""
    return jnp.einsum("...ik,...k,...jk->...ij", U, m, U)
