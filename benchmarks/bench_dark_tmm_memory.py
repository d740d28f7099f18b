"""Memory per point of the vmapped log-likelihood gradient of dark_tmm (issue 17).

XLA's compiled ``memory_analysis()`` (arguments + outputs + temporaries) of
``jit(vmap(grad(loglik)))`` over N prior draws, loglik = the default constraints
(smooth) of every observable.  Prints bytes/point; compare runs of two commits.

    PYTHONPATH=. python benchmarks/bench_dark_tmm_memory.py [N]

(``PYTHONPATH=.`` measures this checkout rather than the installed package.)  Also
printed, as a ratio in the same process: the part due to the transition moment alone
(the 2-D graded ΔK rule), ``grad(log μ_max)``.
"""

import sys

import jax
import jax.numpy as jnp

import jaxg2  # noqa: F401
from jaxg2 import models


def main(n: int = 1000):
    model = models.get("dark_tmm")
    p0 = model.default_point()
    names = [c.name for c in model.constraints if c.default and c.kind != "gaussian"]

    def loglik(theta):
        return model.log_constraints(model.observables(theta), names=names, smooth=True)

    def log_moment(theta):
        return jnp.log(model.own_observables(theta)["mu_max"])

    batch = {k: jax.ShapeDtypeStruct((n,) + jnp.shape(v), jnp.float64) for k, v in p0.items()}

    def nbytes(f):
        ma = jax.jit(jax.vmap(jax.grad(f))).lower(batch).compile().memory_analysis()
        return ma.argument_size_in_bytes + ma.output_size_in_bytes + ma.temp_size_in_bytes

    total, moment = nbytes(loglik), nbytes(log_moment)
    print(f"dark_tmm: jit(vmap(grad(loglik))) at {n} points: {total / 2**20:.1f} MiB, "
          f"{total / n / 2**20:.3f} MiB/point; constraints {names}")
    print(f"transition moment alone (grad log mu_max): {moment / n / 2**20:.3f} MiB/point, "
          f"ratio to the full likelihood {moment / total:.2f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
