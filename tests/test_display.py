"""Display units: one helper serves `show`, fit summaries and plots."""

import numpy as np
import pandas as pd

from jaxg2.display import display_scale, display_table, display_value


def test_display_scale_of_each_kind():
    assert display_scale("delta_a_mu", "1") == (1e11, "1e-11")
    assert display_scale("obs_delta_a_e", "1") == (1e11, "1e-11")       # site renamed on a name clash
    assert display_scale("mu_nu_ee", "mu_B") == (1e11, "1e-11 mu_B")
    assert display_scale("sigma_over_m", "cm^2/g") == (1.0, "cm^2/g")  # already in the quoted unit
    assert display_scale("m_zprime", "GeV") == (1.0, "GeV")
    assert display_value("delta_a_mu", "1", 2.51e-9) == (2.51e-9 * 1e11, "1e-11")


def test_summary_table_in_display_units():
    table = pd.DataFrame(
        {"unit": ["1", "mu_B", "GeV", "cm^2/g"], "mean": [2.51e-9, 3e-12, 0.02, 1.5], "sd": [5.9e-10, 1e-12, 0.01, 0.2],
         "hdi_3%": [1.4e-9, 1e-12, 0.01, 1.1], "mcse_mean": [1e-11, 1e-14, 1e-4, 0.01],
         "ess_bulk": [400.0, 410.0, 420.0, 430.0], "r_hat": [1.001, 1.002, 1.003, 1.004]},
        index=["delta_a_mu", "mu_nu", "m_zprime", "sigma_over_m"])
    shown = display_table(table)
    assert list(shown["unit"]) == ["1e-11", "1e-11 mu_B", "GeV", "cm^2/g"]
    np.testing.assert_allclose(shown.loc["delta_a_mu", ["mean", "sd", "hdi_3%", "mcse_mean"]].astype(float),
                               [251.0, 59.0, 140.0, 1.0], rtol=1e-12)
    np.testing.assert_allclose(shown.loc["mu_nu", ["mean", "sd"]].astype(float), [0.3, 0.1], rtol=1e-12)
    np.testing.assert_array_equal(shown[["ess_bulk", "r_hat"]].to_numpy(), table[["ess_bulk", "r_hat"]].to_numpy())
    assert shown.loc["m_zprime", "mean"] == 0.02 and shown.loc["sigma_over_m", "mean"] == 1.5
    assert table.loc["delta_a_mu", "mean"] == 2.51e-9            # the input is left as it is
