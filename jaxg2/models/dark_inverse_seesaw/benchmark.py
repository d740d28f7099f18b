r"""Recovering the paper's MiniBooNE benchmark (Table 1 is lost) from Table 2.

The extracted text of paper 001 keeps only Table 2 (physical masses and mixings).
:func:`recover_table2_inputs` finds Lagrangian inputs that reproduce it with a
gradient-based multi-start search (optax Adam, vmapped over starts, in the log of
every positive input): it minimises

    χ² = Σ_k [ln(O_k(θ)/T_k) / ln(1 + δ_k)]²

over the Table-2 targets T_k with δ_k the relative precision of the printed number
(half a unit of its last digit; "O(1e-6)" for |U_αN|² as a factor of 3).  The
result is shipped as the model's ``"MiniBooNE"`` benchmark and tested against
Table 2.

Two Table-2 entries cannot both be targets, and are documented instead:

* m_{a_D} = 272 MeV contradicts eq. 2.6 (m_{a_D} ≃ m_{S′_D} = 320 MeV) and the exact
  spectrum; it is not a target.
* With ε′ = 3.6e-14 the tadpoles force v_φ ≃ θ_{φS₁} ω₁ and ω₁ ≈ 19 MeV, so
  m_{S_D} = 272 MeV needs λ_{S₁} ≈ 1e2, beyond perturbativity, and |U_αN|² ~ 1e-6 needs
  |y_ν| ~ 10.  The search is run without bounds on these couplings, so it shows
  what Table 2 implies.
"""

from __future__ import annotations

import math

import jax
import jax.numpy as jnp
import optax

# Table 2 of paper 001 (GeV for masses) with the relative precision of each printed value.
TABLE2 = {
    "m_h_SM": (125.0, 0.004), "m_H_D": (100.0, 0.005), "m_S_D": (0.272, 0.002),
    "m_S_D_prime": (0.320, 0.002), "m_H_D_charged": (100.0, 0.005), "m_A_D": (100.0, 0.005),
    "m_zd": (0.030, 0.02), "m_heavy1": (0.150, 0.005),
    "theta_Hphi": (1.3e-6, 0.04), "theta_HS1": (2.1e-6, 0.025), "theta_HS2": (1e-8, 0.5),
    "theta_phiS1": (1.2e-3, 0.04), "theta_phiS2": (8.3e-7, 0.006), "theta_S1S2": (3.4e-2, 0.015),
    "e_eps": (2e-4, 0.25), "eps_prime": (3.6e-14, 0.014), "U2_muN": (1e-6, 2.0),
}

# inputs varied by the search (log of the absolute value); the rest are held fixed
FREE = ("g_d", "eps", "v_phi", "omega1", "omega2", "lam_H", "lam_phi", "lam_S1", "lam_Hphi",
        "lam_Hphi_p", "lam_HS1", "lam_HS2", "mu", "mu_p", "alpha", "m_n1", "m_n2", "m_n3",
        "y_np1", "y_np2", "y_np3")

START = dict(
    g_d=1.583, eps=6.605e-4, v_phi=2.260e-5, omega1=0.01893, omega2=8.92e-5,
    lam_H=0.1288, lam_phi=0.458, lam_S1=103.3, lam_S2=0.5, lam_Hphi=-1.15, lam_Hphi_p=1.0e-3,
    lam_HS1=7.04e-3, lam_HS2=-7.11e-3, lam_phiS1=1e-3, lam_phiS2=1e-3, lam_S1S2=1e-2,
    mu=0.1373, mu_p=0.07063, alpha=7.13e-3,
    m_n1=0.1708, m_n2=0.1571, m_n3=0.1500, y_n1=0.1, y_n2=0.1, y_n3=0.1,
    y_np1=0.430, y_np2=0.428, y_np3=0.498, m_nu_lightest=0.0,
    r12_re=0.0, r12_im=0.0, r13_re=0.0, r13_im=0.0, r23_re=0.0, r23_im=0.0, alpha21=0.0, alpha31=0.0,
)
"""Start of the search.  First the leading-order solution of eqs. 2.2–2.9 and 2.18–2.19
for the Table-2 targets (μ from θ_{φS₁}, μ′ω₁ from θ_{S₁S₂}, αω₁ from θ_{φS₂}, λ_{HS₁}ω₁
from θ_{HS₁}, ω₁ from ε′ and m_{Z_D}, λ_{S₁} from m_{S_D}, ω₂ from its tadpole); one
search from there reached χ² = 0.09.  The signs of λ_{Hφ} and λ_{HS₂} are free in
Table 2 (it quotes |θ|); the negative ones are chosen because they give the paper's
assumed signs of the bare masses (−m_H², +m_φ², −m₁², +m₂² with all m² > 0), whereas
the positive ones need m_φ² < 0 and m₂² < 0.  The values here are that search's
result with those two signs flipped, rounded; the test re-runs the search from it."""


def chi2(observables: dict) -> jnp.ndarray:
    """χ² of Table 2 (see module docstring)."""
    total = jnp.zeros(())
    for key, (target, rel) in TABLE2.items():
        total = total + (jnp.log(jnp.abs(observables[key]) / target) / math.log1p(rel)) ** 2
    return total


def recover_table2_inputs(observables_fn, *, n_starts: int = 4, steps: int = 400,
                          learning_rate: float = 0.02, spread: float = 0.05, seed: int = 0):
    """Multi-start Adam on :func:`chi2`; returns (best parameter dict, its χ², all χ²).

    Starts are ``START`` with the free inputs scaled by exp(spread · N(0,1)).  The sign of
    each free input is that of ``START``.
    """
    base = {k: jnp.asarray(v, dtype=jnp.float64) for k, v in START.items()}
    signs = {k: jnp.sign(base[k]) for k in FREE}

    def to_theta(z):
        theta = dict(base)
        theta.update({k: signs[k] * jnp.exp(z[i]) for i, k in enumerate(FREE)})
        return theta

    def loss(z):
        return chi2(observables_fn(to_theta(z)))

    z0 = jnp.log(jnp.abs(jnp.stack([base[k] for k in FREE])))
    key = jax.random.PRNGKey(seed)
    starts = z0 + spread * jax.random.normal(key, (n_starts, len(FREE)))
    starts = starts.at[0].set(z0)
    opt = optax.adam(learning_rate)
    grad = jax.value_and_grad(loss)

    def run(z):
        def step(carry, _):
            z, state = carry
            val, g = grad(z)
            g = jnp.where(jnp.isfinite(g), g, 0.0)
            upd, state = opt.update(g, state)
            return (z + upd, state), val

        (z, _), _ = jax.lax.scan(step, (z, opt.init(z)), None, length=steps)
        return z, loss(z)

    zs, vals = jax.jit(jax.vmap(run))(starts)
    best = int(jnp.argmin(vals))
    theta = {k: float(v) for k, v in to_theta(zs[best]).items()}
    return theta, float(vals[best]), [float(v) for v in vals]


__all__ = ["TABLE2", "FREE", "START", "chi2", "recover_table2_inputs"]
