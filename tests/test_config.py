"""Config parsing and validation: each mistake gives one message naming its field
and exit status 2 from the command line, never a traceback."""

import copy
from pathlib import Path

import pytest

from jaxg2 import cli, config
from jaxg2.config import ConfigError

from test_infer_problem import TOY, toy_config

ROOT = Path(__file__).resolve().parents[1]

GOOD_TOML = """
[fit]
model = "test_infer_problem:TOY"
scenario = "2021"
seed = 3
[sampler]
num_warmup = 20
num_samples = 30
num_chains = 2
[parameters]
a = { prior = "uniform", low = -5, high = 5 }
m = { prior = "log_uniform", low = 1e-3, high = 1.0 }
[constraints]
use = ["meg"]
[scan]
x = { name = "m", low = 1e-3, high = 1.0, num = 10, log = true }
y = { name = "a", low = -5, high = 5, num = 8 }
[fast]
num_samples = 7
search = { num_starts = 4 }
scan = { num = 3 }
"""


def test_good_toml_and_fast_overrides(tmp_path, monkeypatch):
    path = tmp_path / "good.toml"
    path.write_text(GOOD_TOML)
    cfg = config.load(path, fast=False)
    assert cfg.model is TOY and cfg.seed == 3 and cfg.scenario_entry == "delta_a_mu_2021"
    assert cfg.free == ("a", "m") and cfg.priors["k"].kind == "fixed"
    assert cfg.priors["m"].kind == "log_uniform" and cfg.priors["m"].low == 1e-3
    assert cfg.sampler["num_samples"] == 30 and cfg.sampler["target_accept"] == 0.8
    assert cfg.constraints == ("meg",) and cfg.smooth is False
    assert cfg.output == Path("runs/good")
    assert cfg.scan["x"].num == 10 and cfg.scan["y"].values()[0] == -5
    fast = config.load(path, fast=True)
    assert fast.sampler["num_samples"] == 7 and fast.sampler["num_warmup"] == 20
    assert fast.search["num_starts"] == 4 and fast.scan["x"].num == 3 and fast.scan["y"].num == 3
    monkeypatch.setenv("JAXG2_FAST", "1")
    assert config.load(path).sampler["num_samples"] == 7          # fast=None reads the environment
    monkeypatch.setenv("JAXG2_FAST", "0")
    assert config.load(path).sampler["num_samples"] == 30
    assert config.load(path, output="elsewhere").output == Path("elsewhere")


def test_default_constraints_and_priors():
    cfg = config.load(toy_config(), fast=False)
    assert cfg.constraints == ("meg",)                   # "pert" has default=False
    assert cfg.priors["a"] == TOY.parameter("a").prior


def _set(d, dotted, value):
    keys = dotted.split(".")
    for k in keys[:-1]:
        d = d.setdefault(k, {})
    if value is _DELETE:
        d.pop(keys[-1])
    else:
        d[keys[-1]] = value


class _Delete:
    """Sentinel: remove the key (a stable repr keeps pytest-xdist test ids identical)."""

    def __repr__(self):
        return "<delete>"


_DELETE = _Delete()

BAD = [
    ("fit.model", "nonexistent_model", "fit.model", "unknown model 'nonexistent_model'"),
    ("fit.model", _DELETE, "fit.model", "missing"),
    ("fit.scenario", "2099", "fit.scenario", "unknown scenario '2099'"),
    ("fit.seed", "zero", "fit.seed", "expected a non-negative integer"),
    ("fit.outptu", "x", "fit.outptu", "unknown key"),
    ("parameters.b", {"prior": "uniform", "low": 0, "high": 1}, "parameters.b", "has no parameter 'b'"),
    ("parameters.a", {"prior": "cauchy", "low": 0, "high": 1}, "parameters.a.prior", "unknown prior 'cauchy'"),
    ("parameters.a", {"prior": "uniform", "low": 2, "high": 1}, "parameters.a", "low (2) must be < high (1)"),
    ("parameters.a", {"prior": "uniform", "low": 1, "high": 1}, "parameters.a", "must be < high"),
    ("parameters.a", {"prior": "uniform", "low": "0", "high": 1}, "parameters.a.low", "expected a number, got str"),
    ("parameters.a", {"prior": "uniform", "low": 0}, "parameters.a.high", "missing"),
    ("parameters.a", {"prior": "normal", "loc": 0, "scale": -1}, "parameters.a.scale", "must be > 0"),
    ("parameters.a", {"prior": "derived"}, "parameters.a.prior", "'derived' needs model.derived['a']"),
    ("parameters.m", {"prior": "uniform", "low": -1, "high": 1}, "parameters.m", "physical range"),
    ("parameters.m", {"prior": "log_uniform", "low": 0, "high": 1}, "parameters.m.low", "needs low > 0"),
    ("parameters.m", {"prior": "normal", "loc": 0.1, "scale": 0.01}, "parameters.m",
     "normal prior puts probability outside the physical range"),
    ("parameters.a", 3.0, "parameters.a", "expected a table"),
    ("sampler.num_samples", "100", "sampler.num_samples", "expected a positive integer, got str '100'"),
    ("sampler.num_chains", 0, "sampler.num_chains", "expected a positive integer"),
    ("sampler.num_samples", 1.5, "sampler.num_samples", "expected a positive integer, got float"),
    ("sampler.num_sample", 10, "sampler.num_sample", "unknown key"),
    ("sampler.chain_method", "pmap", "sampler.chain_method", "expected auto, vectorized or parallel"),
    ("sampler.dense_mass", 1, "sampler.dense_mass", "expected true or false"),
    ("constraints.use", ["meg", "nope"], "constraints.use", "has no constraint 'nope'"),
    ("constraints.use", "meg", "constraints.use", "expected a list"),
    ("constraints.add", ["nope"], "constraints.add", "has no constraint 'nope'; it has model: meg, pert"),
    ("constraints.drop", "meg", "constraints.drop", "expected a list"),
    ("constraints.smooth", "yes", "constraints.smooth", "expected true or false"),
    ("scan.x", {"name": "zz", "low": 0, "high": 1, "num": 5}, "scan.x.name", "has no parameter 'zz'"),
    ("scan.x", {"name": "a", "low": 1, "high": 0, "num": 5}, "scan.x", "low (1) must be < high (0)"),
    ("scan.x", {"name": "a", "low": 0, "high": 1, "num": 1}, "scan.x.num", "integer >= 2"),
    ("scan.x", {"name": "a", "low": 0, "high": 1, "num": 5, "log": True}, "scan.x.low", "log axis needs low > 0"),
    ("scan.point", "BP9", "scan.point", "has no benchmark 'BP9'"),
    ("search.num_starts", -3, "search.num_starts", "expected a positive integer"),
    ("bogus", {}, "bogus", "unknown section"),
]


def _toml_value(v):
    if isinstance(v, str):
        return f'"{v}"'
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{k} = {_toml_value(x)}" for k, x in v.items()) + " }"
    if isinstance(v, list):
        return "[" + ", ".join(_toml_value(x) for x in v) + "]"
    return repr(v)


def _to_toml(d) -> str:
    lines = []
    for section, table in d.items():
        lines.append(f"[{section}]")
        for k, v in table.items():
            lines.append(f"{k} = {_toml_value(v)}")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("key, value, field, message", BAD, ids=[f"{b[0]}={b[1]!r}" for b in BAD])
def test_bad_config_names_the_field(key, value, field, message, tmp_path, capsys):
    raw = {"fit": {"model": "test_infer_problem:TOY", "scenario": "2021", "seed": 0},
           "sampler": {"num_warmup": 10, "num_samples": 10, "num_chains": 1}}
    raw = copy.deepcopy(raw)
    _set(raw, key, value)
    with pytest.raises(ConfigError) as info:
        config.load(raw, fast=False)
    assert info.value.field == field
    assert message in str(info.value)
    # the command line: one line on stderr, status 2, no traceback
    path = tmp_path / "bad.toml"
    path.write_text(_to_toml(raw))
    status = cli.main(["fit", str(path), "--quiet"])
    err = capsys.readouterr().err
    assert status == 2
    assert err.startswith("jaxg2: error: ") and field in err and message in err
    assert "Traceback" not in err


def test_missing_file_and_bad_toml(tmp_path, capsys):
    assert cli.main(["fit", str(tmp_path / "absent.toml")]) == 2
    assert "config file not found" in capsys.readouterr().err
    bad = tmp_path / "broken.toml"
    bad.write_text("[fit\nmodel = 1\n")
    assert cli.main(["search", str(bad)]) == 2
    assert "invalid TOML" in capsys.readouterr().err
    with pytest.raises(ConfigError, match="config file not found"):
        config.load(tmp_path / "absent.toml")
    binary = tmp_path / "binary.toml"
    binary.write_bytes(bytes(range(256)))
    assert cli.main(["fit", str(binary)]) == 2
    err = capsys.readouterr().err
    assert "not a text (UTF-8) file" in err and len(err.strip().splitlines()) == 1
    assert cli.main(["scan", str(tmp_path)]) == 2
    assert "is a directory" in capsys.readouterr().err


def test_shipped_fit_configs_are_valid():
    paths = sorted((ROOT / "fits").glob("*.toml"))
    assert {p.name for p in paths} >= {"lmu_ltau_2021.toml", "lmu_ltau_2025.toml"}
    for p in paths:
        for fast in (False, True):
            cfg = config.load(p, fast=fast)
            assert cfg.free, p


def test_constraints_add_and_drop_change_the_defaults():
    # TOY: meg is a default constraint, pert is not
    assert config.load(toy_config(), fast=False).constraints == ("meg",)
    assert config.load(toy_config(constraints={"add": ["pert"]}), fast=False).constraints == ("meg", "pert")
    assert config.load(toy_config(constraints={"drop": ["meg"]}), fast=False).constraints == ()
    assert config.load(toy_config(constraints={"add": ["pert"], "drop": ["meg"]}), fast=False).constraints == ("pert",)
    with pytest.raises(config.ConfigError, match="either use"):
        config.load(toy_config(constraints={"use": ["meg"], "add": ["pert"]}), fast=False)


@pytest.mark.parametrize("path", sorted((ROOT / "fits").glob("*.toml")), ids=lambda p: p.name)
def test_every_shipped_config_has_a_fast_mode_that_is_fast(path):
    """Each fits/*.toml has a [fast] table, and with fast on its sampler, search and scan
    sizes are small even where the table leaves a key out (dark_tmm_joint gives none)."""
    raw = path.read_text()
    assert "\n[fast]" in raw
    cfg = config.load(path, fast=True)
    s = cfg.sampler
    assert s["num_warmup"] <= 100 and s["num_samples"] <= 100
    assert s["num_chains"] <= (2 if s["kernel"] == "nuts" else 2 * config.MEADS_FOLDS)
    assert cfg.search["num_starts"] * cfg.search["num_steps"] <= 32 * 100
    for ax in ("x", "y"):
        assert cfg.scan[ax] is None or cfg.scan[ax].num <= 20
    full = config.load(path, fast=False).sampler   # the full run is untouched
    assert full["num_samples"] >= s["num_samples"]


def test_fast_caps_fill_only_what_the_fast_table_leaves_out():
    base = {"fit": {"model": "test_infer_problem:TOY", "scenario": "2021"},
            "sampler": {"num_warmup": 400, "num_samples": 800, "num_chains": 4},
            "search": {"num_starts": 256, "num_steps": 300}}
    cfg = config.load({**base, "fast": {"num_samples": 77}}, fast=True)
    assert cfg.sampler["num_samples"] == 77                       # given: kept
    assert cfg.sampler["num_warmup"] == config.FAST_SAMPLER_CAPS["num_warmup"]
    assert cfg.sampler["num_chains"] == config.FAST_SAMPLER_CAPS["num_chains"]
    assert cfg.search["num_starts"] == config.FAST_SEARCH_CAPS["num_starts"]
    assert config.load(base, fast=True).sampler["num_samples"] == 800   # no [fast] table: unchanged
    assert config.load({**base, "fast": {}}, fast=False).sampler["num_samples"] == 800


def test_read_makes_a_model_file_absolute_and_keeps_other_references(tmp_path):
    sub = tmp_path / "fits"
    sub.mkdir()
    (sub / "a.toml").write_text('[fit]\nmodel = "models/m.py:MODEL"\nscenario = "2021"\n')
    (sub / "b.toml").write_text('[fit]\nmodel = "lmu_ltau"\nscenario = "2021"\n')
    (sub / "c.toml").write_text('[fit]\nmodel = "/abs/m.py:MODEL"\nscenario = "2021"\n')
    assert config.read(sub / "a.toml")["fit"]["model"] == str(sub.resolve() / "models" / "m.py:MODEL")
    assert config.read(sub / "b.toml")["fit"]["model"] == "lmu_ltau"
    assert config.read(sub / "c.toml")["fit"]["model"] == "/abs/m.py:MODEL"
    with pytest.raises(config.ConfigError, match="not found"):
        config.read(sub / "missing.toml")
