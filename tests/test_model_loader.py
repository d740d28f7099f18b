"""Models from files and entry points: loading, validation, and one-line errors (exit 2)
from the command line for each way a model file can be broken."""

import importlib.metadata
import math
import textwrap
from pathlib import Path

import jax
import pytest

from jaxg2 import cli, config
from jaxg2.config import ConfigError
from jaxg2.models import loader
from jaxg2.models.base import Model

ROOT = Path(__file__).resolve().parents[1]

HEADER = """
import jax.numpy as jnp
from jaxg2.models.base import Constraint, Model, Parameter, Prior
"""

GOOD_BODY = """
MODEL = Model(
    name="tiny", description="tiny", reference="none",
    parameters=(Parameter("g", "1", "g", Prior.log_uniform(1e-4, 1.0)),
                Parameter("m", "GeV", "m", Prior.uniform(0.1, 1.0))),
    observables=lambda t: {"delta_a_mu": t["g"] ** 2 / (8 * jnp.pi ** 2) * jnp.ones_like(t["m"]), "m_out": t["m"]},
    units={"delta_a_mu": "1", "m_out": "GeV"},
)
"""

BROKEN = {   # name -> (file body, expected fragment of the one-line error)
    "missing_model": ("OTHER = 1\n", "defines no MODEL"),
    "not_a_model": ("MODEL = {'name': 'tiny'}\n", "is a dict, not a jaxg2.models.base.Model"),
    "wrong_parameter_type": (GOOD_BODY.replace('Parameter("m", "GeV", "m", Prior.uniform(0.1, 1.0))', '("m", 0.1)'),
                             "cannot run the file (AttributeError: 'tuple' object has no attribute 'name')"),
    "units_not_dict": (GOOD_BODY.replace('units={"delta_a_mu": "1", "m_out": "GeV"}', 'units=["1", "GeV"]'),
                       "units must be a dict observable -> unit, got a list"),
    "observables_not_callable": ("\n".join("    observables=3," if line.strip().startswith("observables=") else line
                                           for line in GOOD_BODY.split("\n")),
                                 "observables must be a function theta -> dict, got a int"),
    "observable_not_array": (GOOD_BODY.replace('"m_out": t["m"]', '"m_out": [t["m"], 1.0]'),
                             "observable 'm_out' is a list, not an array"),
    "observables_not_dict": (GOOD_BODY.replace('lambda t: {"delta_a_mu"', 'lambda t: ({"delta_a_mu"')
                             .replace('"m_out": t["m"]}', '"m_out": t["m"]},)'),
                             "observables must return a dict of arrays, got a tuple"),
    "observable_string": (GOOD_BODY.replace('"m_out": t["m"]', '"m_out": "heavy"'),
                          "observable 'm_out' is a str, not an array"),
    "no_signal": (GOOD_BODY.replace('{"delta_a_mu":', '{"amu":').replace('units={"delta_a_mu"', 'units={"amu"'),
                  "observables lack the signal 'delta_a_mu'"),
    "parameter_without_prior": (GOOD_BODY.replace("Prior.uniform(0.1, 1.0)", "None"),
                                "parameter 'm' has no prior"),
    "observables_raise": (GOOD_BODY.replace('t["m"]}', 't["mass"]}'), "observables fail at the default point (KeyError"),
    "no_unit": (GOOD_BODY.replace(', "m_out": "GeV"', ""), "no unit for observable(s) m_out"),
    "syntax_error": ("MODEL = Model(\n", "cannot run the file (SyntaxError"),
    "constraint_unknown_observable": (GOOD_BODY.replace(
        'units={"delta_a_mu": "1", "m_out": "GeV"},',
        'units={"delta_a_mu": "1", "m_out": "GeV"}, constraints=(Constraint("c", "nope", "upper", limit=1.0),),'),
        "constraint 'c' reads observable 'nope'"),
}


def _config(tmp_path, body, ref="models/user.py:MODEL"):
    (tmp_path / "models").mkdir(exist_ok=True)
    (tmp_path / "models" / "user.py").write_text(HEADER + textwrap.dedent(body))
    cfg = tmp_path / "user.toml"
    cfg.write_text(f'[fit]\nmodel = "{ref}"\nscenario = "2021"\noutput = "{tmp_path / "run"}"\n')
    return cfg


def test_good_model_file_relative_to_config(tmp_path, monkeypatch):
    cfg_path = _config(tmp_path, GOOD_BODY)
    monkeypatch.chdir(ROOT)                          # the path is relative to the config, not the cwd
    cfg = config.load(cfg_path, fast=True)
    assert isinstance(cfg.model, Model) and cfg.model.name == "tiny" and cfg.free == ("g", "m")
    assert config.load(cfg_path, fast=True).model is cfg.model     # same unchanged file: same object
    assert cfg.model_ref == "models/user.py:MODEL"


def test_shipped_model_file_config():
    cfg = config.load(ROOT / "fits" / "leptophilic_scalar_2021.toml", fast=True)
    assert cfg.model.name == "leptophilic_scalar" and cfg.free == ("m_phi", "a_loop")
    assert config.load(ROOT / "fits" / "leptophilic_scalar_2025.toml", fast=True).free == ("y", "m_phi")
    obs = cfg.model.observables({"y": 1e-3, "m_phi": 1e-6})
    # light-scalar limit m_φ ≪ m_μ: Δa = 3 y²/(16 π²)
    assert float(obs["delta_a_mu"]) == pytest.approx(3e-6 / (16 * math.pi ** 2), rel=1e-4)
    # sampling along Δa_μ: the derived y reproduces Δa_μ = a_loop, light and heavy φ
    rule = cfg.model.derived["y:from_a_loop"]
    for m_phi in (1e-3, 0.1056, 10.0):
        t = {"m_phi": m_phi, "a_loop": 2.5e-9}
        y = float(rule(t))
        assert float(cfg.model.observables({"y": y, "m_phi": m_phi})["delta_a_mu"]) == pytest.approx(2.5e-9, rel=1e-12)
    # gradients finite at the corners of the sampled box (a_loop 1e-13 … 1e-5, m_φ 1e-3 … 10 GeV)
    grad = jax.grad(lambda a, m: rule({"a_loop": a, "m_phi": m}), argnums=(0, 1))
    for a in (1e-13, 1e-5):
        for m_phi in (1e-3, 10.0):
            assert all(math.isfinite(float(g)) for g in grad(a, m_phi))
    # and in the light limit it is √(16π² a/3)
    assert float(rule({"m_phi": 1e-7, "a_loop": 2.5e-9})) == pytest.approx(math.sqrt(16 * math.pi**2 * 2.5e-9 / 3), rel=1e-5)


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_broken_model_file_one_line_exit_2(case, tmp_path, capsys):
    body, fragment = BROKEN[case]
    cfg = _config(tmp_path, body)
    assert cli.main(["evidence", str(cfg), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("jaxg2: error: fit.model: "), err
    assert fragment in err, err
    with pytest.raises(ConfigError, match="fit.model"):
        config.load(cfg)


def test_missing_file_and_show(tmp_path, capsys):
    cfg = _config(tmp_path, GOOD_BODY, ref="models/absent.py:MODEL")
    assert cli.main(["fit", str(cfg), "--quiet"]) == 2
    assert "model file not found" in capsys.readouterr().err
    _config(tmp_path, GOOD_BODY)
    assert cli.main(["show", str(tmp_path / "models" / "user.py") + ":MODEL"]) == 0
    assert "delta_a_mu" in capsys.readouterr().out
    assert cli.main(["show", "no_such_model"]) == 2
    assert "unknown model 'no_such_model'" in capsys.readouterr().err


def test_entry_point_models(monkeypatch, tmp_path, capsys):
    """A package that installs a model through the entry-point group jaxg2.models."""
    (tmp_path / "ep_pkg_model.py").write_text(HEADER + GOOD_BODY + "\nBAD = 3\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    eps = importlib.metadata.EntryPoints([
        importlib.metadata.EntryPoint("tiny_ep", "ep_pkg_model:MODEL", "jaxg2.models"),
        importlib.metadata.EntryPoint("bad_ep", "ep_pkg_model:BAD", "jaxg2.models")])
    monkeypatch.setattr(loader.metadata, "entry_points",
                        lambda group=None: eps.select(group=group) if group else eps)
    cfg = config.load({"fit": {"model": "tiny_ep", "scenario": "2025"}}, fast=True)
    assert cfg.model.name == "tiny"
    with pytest.raises(ConfigError, match="bad_ep .*is a int, not a jaxg2"):
        config.load({"fit": {"model": "bad_ep", "scenario": "2025"}})
    assert cli.main(["models"]) == 0
    out = capsys.readouterr().out
    assert "tiny_ep" in out and "lmu_ltau" in out
    with pytest.raises(ConfigError, match="available: .*tiny_ep"):
        config.load({"fit": {"model": "nothing_here", "scenario": "2025"}})
