"""Likelihood primitives: pure, jit/vmap/grad-safe log-likelihood pieces.

All functions return a log-likelihood (natural log, additive constants dropped
unless stated) as a float64 array broadcast over their inputs.

Upper limits come in two forms:

* **hard** — ``0`` where the observable is allowed, ``-inf`` beyond the limit.
  Exact: the posterior is the prior truncated to the allowed region.  Use it for
  sampling (NUTS rejects proposals that leave the allowed region) and reporting.
* **smooth** — a differentiable penalty for optimisers and for samplers that need
  gradients across the boundary:

      log L = −½ · softplus(z)² · (1/ln 2)²,   z = (log x − log x_lim) / w

  with ``w`` the *relative* width (default 0.05, i.e. the penalty turns on over
  ~5% of the limit).  Deep inside the allowed region log L → 0 exponentially; at
  the limit it is −½ (one "sigma" of penalty); far beyond it grows like
  −½ (z/ln 2)², a Gaussian in log x of width w·ln 2.  Non-positive observables
  are always allowed (the log is evaluated on a safe value, double-where).

Curve limits compare an observable (e.g. ε) with a limit curve evaluated at the
model's mass; outside the curve's tabulated range there is no constraint
(:class:`jaxg2.experiments.LimitCurve` returns +inf there).
"""

from __future__ import annotations

import math

import jax
import jax.numpy as jnp

__all__ = [
    "gaussian", "asymmetric_gaussian", "upper_limit_hard", "upper_limit_smooth",
    "lower_limit_hard", "lower_limit_smooth", "interval_hard", "interval_smooth",
    "upper_limit", "lower_limit", "interval", "DEFAULT_SMOOTH_WIDTH",
]

DEFAULT_SMOOTH_WIDTH = 0.05  # relative width of the smooth penalty (5% of the limit)
_LN2 = math.log(2.0)


def gaussian(x, mean, sigma):
    """Gaussian log-likelihood −½((x − mean)/σ)² − ln(σ√(2π)) (normalised)."""
    x, mean, sigma = (jnp.asarray(v, dtype=jnp.float64) for v in (x, mean, sigma))
    return -0.5 * ((x - mean) / sigma) ** 2 - jnp.log(sigma * jnp.sqrt(2.0 * jnp.pi))


def asymmetric_gaussian(x, mean, sigma_low, sigma_high):
    """Two-piece Gaussian: width σ_low below the mean, σ_high above (normalised)."""
    x, mean = jnp.asarray(x, dtype=jnp.float64), jnp.asarray(mean, dtype=jnp.float64)
    sigma = jnp.where(x < mean, sigma_low, sigma_high)
    norm = jnp.log(0.5 * (sigma_low + sigma_high) * jnp.sqrt(2.0 * jnp.pi))
    return -0.5 * ((x - mean) / sigma) ** 2 - norm


def upper_limit_hard(x, limit):
    """0 if x ≤ limit, −inf otherwise (exact truncation)."""
    x = jnp.asarray(x, dtype=jnp.float64)
    return jnp.where(x <= limit, 0.0, -jnp.inf)


def lower_limit_hard(x, limit):
    """0 if x ≥ limit, −inf otherwise."""
    x = jnp.asarray(x, dtype=jnp.float64)
    return jnp.where(x >= limit, 0.0, -jnp.inf)


def _log_excess(x, limit, width):
    """z = (ln x − ln limit)/w with a safe log for x ≤ 0 (→ −inf-like, allowed)."""
    x = jnp.asarray(x, dtype=jnp.float64)
    limit = jnp.asarray(limit, dtype=jnp.float64)
    positive = x > 0
    x_safe = jnp.where(positive, x, limit)
    z = (jnp.log(x_safe) - jnp.log(limit)) / width
    return jnp.where(positive, z, -1e3)


def _smooth_penalty(z):
    return -0.5 * (jax.nn.softplus(z) / _LN2) ** 2


def upper_limit_smooth(x, limit, width=DEFAULT_SMOOTH_WIDTH):
    """Smooth upper limit (see module docstring); ``width`` is relative (log-space)."""
    return _smooth_penalty(_log_excess(x, limit, width))


def lower_limit_smooth(x, limit, width=DEFAULT_SMOOTH_WIDTH):
    """Smooth lower limit: the mirror image of :func:`upper_limit_smooth` in log x."""
    x = jnp.asarray(x, dtype=jnp.float64)
    positive = x > 0
    z = jnp.where(positive, -_log_excess(x, limit, width), 1e3)
    return _smooth_penalty(z)


def interval_hard(x, low, high):
    """0 inside [low, high], −inf outside."""
    return upper_limit_hard(x, high) + lower_limit_hard(x, low)


def interval_smooth(x, low, high, width=DEFAULT_SMOOTH_WIDTH):
    """Smooth band: the sum of the smooth lower and upper penalties."""
    return upper_limit_smooth(x, high, width) + lower_limit_smooth(x, low, width)


def upper_limit(x, limit, *, smooth=False, width=DEFAULT_SMOOTH_WIDTH):
    """Hard or smooth upper limit (``smooth`` is a static Python flag)."""
    return upper_limit_smooth(x, limit, width) if smooth else upper_limit_hard(x, limit)


def lower_limit(x, limit, *, smooth=False, width=DEFAULT_SMOOTH_WIDTH):
    """Hard or smooth lower limit (``smooth`` is a static Python flag)."""
    return lower_limit_smooth(x, limit, width) if smooth else lower_limit_hard(x, limit)


def interval(x, low, high, *, smooth=False, width=DEFAULT_SMOOTH_WIDTH):
    """Hard or smooth interval (``smooth`` is a static Python flag)."""
    return interval_smooth(x, low, high, width) if smooth else interval_hard(x, low, high)
