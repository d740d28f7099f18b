"""Data registry: every entry loads with provenance; curves interpolate their tables."""

import math

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from scipy.interpolate import PchipInterpolator

from jaxg2 import experiments
from jaxg2.experiments import RegistryError


def test_every_entry_has_source_year_and_kind_fields():
    names = experiments.available()
    assert len(names) >= 25
    for name in names:
        e = experiments.get(name)
        assert e.source.strip(), name
        assert 1950 < e.year <= 2026, name
        if e.kind == "measurement":
            assert e.sigma > 0, name
        if e.kind in ("upper_limit", "lower_limit"):
            assert 0 < e.cl < 1, name
        if e.kind == "interval":
            assert e.low < e.high, name


def test_delta_a_mu_scenarios():
    # the three scenarios named in DESIGN.md, in units of 1e-11
    e21, e23, e25 = (experiments.get(f"delta_a_mu_{y}") for y in (2021, 2023, 2025))
    assert (round(e21.value * 1e11), round(e21.sigma * 1e11)) == (251, 59)
    assert e23.value / e23.sigma > 5  # the 5.1σ of 2023
    assert (int(e25.value * 1e11), int(e25.sigma * 1e11)) == (38, 63)


def test_unknown_entry_suggests_close_names():
    with pytest.raises(RegistryError, match="did you mean.*delta_a_mu_2021"):
        experiments.get("delta_a_mu_2012")


def test_malformed_entry_is_rejected():
    with pytest.raises(RegistryError, match="lacks field 'sigma'"):
        experiments._parse("x", {"kind": "measurement", "value": 1.0, "year": 2020, "source": "s"}, "f.yaml")
    with pytest.raises(RegistryError, match="kind"):
        experiments._parse("x", {"kind": "bogus", "year": 2020, "source": "s"}, "f.yaml")


CURVES = experiments.available("curve")


def test_all_shipped_curves_are_registered():
    csvs = {p.stem for p in (experiments.DATA_DIR / "limits").glob("*.csv")}
    files = {experiments.get(n).extra["file"].split("/")[-1][:-4] for n in CURVES}
    assert csvs == files


@pytest.mark.parametrize("name", CURVES)
def test_curve_reproduces_tabulated_points_and_keeps_header(name):
    c = experiments.curve(name)
    assert "Source" in c.header or "source" in c.header.lower()
    # independent read of the CSV with numpy
    path = experiments.DATA_DIR / experiments.get(name).extra["file"]
    lines = [ln for ln in path.read_text().splitlines() if ln.strip() and not ln.startswith("#")]
    rows = sorted((float(a), float(b)) for a, b in (ln.split(",")[:2] for ln in lines[1:]))
    excluded = experiments.get(name).extra.get("exclude_x", ())  # documented artefacts
    rows = [r for r in rows if r[0] not in excluded]
    x, y = np.array(rows).T
    # points at unique masses are reproduced exactly (duplicated masses: a vertical step)
    uniq = np.array([np.sum(x == xi) == 1 for xi in x])
    np.testing.assert_allclose(np.asarray(c(jnp.asarray(x[uniq]))), y[uniq], rtol=1e-10)
    # between two points: scipy's monotone cubic (PCHIP) in log–log, on the four nodes around
    # the interval (its slopes are local); within the two points' values
    i = len(x) // 2
    if x[i] != x[i + 1]:
        xm = math.sqrt(x[i] * x[i + 1])
        if i >= 1 and i + 2 < len(x) and np.all(np.diff(x[i - 1:i + 3]) > 0):
            ref = math.exp(PchipInterpolator(np.log(x[i - 1:i + 3]), np.log(y[i - 1:i + 3]))(math.log(xm)))
            assert math.isclose(float(c(xm)), ref, rel_tol=1e-10)
        assert min(y[i], y[i + 1]) * (1 - 1e-12) <= float(c(xm)) <= max(y[i], y[i + 1]) * (1 + 1e-12)
    # outside the range: no constraint, zero gradient
    assert float(c(x[0] / 2)) == math.inf and float(c(x[-1] * 2)) == math.inf
    assert float(jax.grad(lambda m: jnp.minimum(c(m), 1.0))(x[0] / 2)) == 0.0
    g = jax.grad(c)(xm if x[i] != x[i + 1] else float(np.sqrt(x[0] * x[-1])))
    assert np.isfinite(float(g))


def test_curve_vmaps_and_jits():
    c = experiments.curve("na64_2023_invisible_dark_photon")
    m = jnp.geomspace(2e-3, 1.0, 7)
    np.testing.assert_allclose(jax.jit(jax.vmap(c))(m), [float(c(v)) for v in m], rtol=1e-14)
    assert c(m).dtype == jnp.float64


def test_registry_version_is_stable_hash():
    v = experiments.registry_version()
    assert len(v) == 12 and v == experiments.registry_version()
    prov = experiments.get("meg2_2024_mu_e_gamma").provenance()
    assert prov["limit"] == 3.1e-13 and prov["version"] == v


def test_kloe_closing_artefact_is_dropped_but_csv_kept():
    c = experiments.curve("kloe2018_visible_dark_photon")
    path = experiments.DATA_DIR / experiments.get("kloe2018_visible_dark_photon").extra["file"]
    assert "9.8581e-01,1.0000e-02" in path.read_text()  # verbatim file keeps the row
    assert c.x_max < 0.9858 and max(c.y) < 2e-3  # the 1e-2 end point is not interpolated
    assert math.isinf(float(c(0.98581)))


def test_unverified_flag():
    e = experiments.get("lep2_ee_tautau_lambda_lr_minus")
    assert e.unverified and e.provenance()["unverified"] is True
    assert not experiments.get("delta_a_mu_2021").unverified
    assert "unverified" not in experiments.get("delta_a_mu_2021").provenance()
