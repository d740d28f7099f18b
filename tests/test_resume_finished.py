"""`--resume` of a finished run: "already complete", outputs rewritten from the saved
draws, the sampler never compiled or run."""

import numpy as np
import pytest

from jaxg2.infer import ResumeError
import importlib

fit_mod = importlib.import_module("jaxg2.infer.fit")   # the module (jaxg2.infer.fit is also the function)

from test_infer_problem import toy_config

pytestmark = pytest.mark.filterwarnings("ignore::jaxg2.infer.fit.SamplingWarning")

CFG = toy_config(sampler={"num_warmup": 30, "num_samples": 30, "num_chains": 2, "checkpoint_every": 30,
                          "init_steps": 10})


def test_resume_of_a_complete_run_rewrites_outputs_without_sampling(tmp_path, monkeypatch, capsys):
    out = tmp_path / "run"
    first = fit_mod.fit(CFG, output=out, progress=False, fast=False)
    capsys.readouterr()

    def no_sampler(*a, **k):
        raise AssertionError("the sampler ran for a finished run")

    monkeypatch.setattr(fit_mod, "sample", no_sampler)
    (out / "summary.txt").unlink()
    (out / "corner.png").unlink()
    again = fit_mod.fit(CFG, output=out, resume=True, progress=False, fast=False)   # from posterior.nc
    assert "already complete" in capsys.readouterr().err
    assert (out / "summary.txt").exists() and (out / "corner.png").exists()
    np.testing.assert_array_equal(again.idata.posterior["a"], first.idata.posterior["a"])
    assert again.summary.loc["a", "mean"] == first.summary.loc["a", "mean"]

    (out / "posterior.nc").unlink()                      # rebuilt from the checkpoint's draws
    rebuilt = fit_mod.fit(CFG, output=out, resume=True, progress=False, fast=False)
    assert (out / "posterior.nc").exists()
    np.testing.assert_allclose(rebuilt.idata.posterior["a"], first.idata.posterior["a"], rtol=1e-13)
    np.testing.assert_array_equal(rebuilt.idata.sample_stats["lp"], first.idata.sample_stats["lp"])


def test_resume_of_a_finished_run_with_another_config_is_refused(tmp_path):
    out = tmp_path / "run"
    fit_mod.fit(CFG, output=out, progress=False, fast=False)
    other = toy_config(sampler={**CFG["sampler"], "num_samples": 31})
    with pytest.raises(ResumeError, match="different configuration"):
        fit_mod.fit(other, output=out, resume=True, progress=False, fast=False)
