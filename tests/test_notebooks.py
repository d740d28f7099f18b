"""Every notebook in notebooks/ executes end to end in fast mode and draws figures."""

import os
import re
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")

NOTEBOOKS = sorted((Path(__file__).parents[1] / "notebooks").glob("*.ipynb"))

# stderr lines that are warnings a notebook reader should never see: any warning raised
# in jaxg2's code, and tqdm's "IProgress not found" (tqdm.auto without ipywidgets).
# SamplingWarning is exempt: fast mode's few draws give low-ESS notices by design.
_BAD_WARNING = re.compile(r"jaxg2/\S+\.py:\d+: (?!SamplingWarning)\w*Warning|IProgress not found|TqdmWarning")


def warning_lines(nb) -> list[str]:
    """The offending warning lines in the stderr outputs of an executed notebook."""
    return [line for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
            if o.get("output_type") == "stream" and o.get("name") == "stderr"
            for line in o.get("text", "").splitlines() if _BAD_WARNING.search(line)]


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_executes_and_makes_figures(path, tmp_path, monkeypatch):
    monkeypatch.setenv("JAXG2_FAST", "1")
    monkeypatch.setenv("JAX_PLATFORMS", "cpu")
    monkeypatch.setenv("JAXG2_RUNS_DIR", str(tmp_path))
    nb = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(nb, timeout=600, kernel_name="python3",
                                     resources={"metadata": {"path": str(path.parent)}})
    client.execute()
    images = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
              if "image/png" in o.get("data", {})]
    assert images, f"{path.name} produced no figure"
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert not [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
    assert not warning_lines(nb), f"{path.name} warns: {warning_lines(nb)}"


def test_warning_lines_catch_jaxg2_and_tqdm_warnings_only():
    def nb(*texts):
        cells = [nbformat.v4.new_code_cell(outputs=[nbformat.v4.new_output("stream", name="stderr", text=t)])
                 for t in texts]
        return nbformat.v4.new_notebook(cells=cells)

    bad = ["/x/jaxg2/infer/scan.py:12: UserWarning: grid too coarse\n",
           "/x/site-packages/tqdm/auto.py:21: TqdmWarning: IProgress not found. Please update jupyter\n"]
    ok = ["/x/jaxg2/infer/fit.py:300: SamplingWarning: low ess bulk (< 200)\n",
          "/x/site-packages/arviz/stats.py:5: UserWarning: few draws\n", "NUTS: 100%|####| 40/40\n"]
    assert len(warning_lines(nb(*bad, *ok))) == 2
    assert warning_lines(nb(*ok)) == []


def test_committed_notebooks_have_no_outputs():
    for path in NOTEBOOKS:
        nb = nbformat.read(path, as_version=4)
        assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code"), path.name


_KERNEL = """
import sys, types, warnings
sys.modules["ipykernel.zmqshell"] = types.ModuleType("ipykernel.zmqshell")  # what tqdm checks for a notebook
ipython = types.ModuleType("IPython")
ipython.get_ipython = lambda: types.SimpleNamespace()
sys.modules["IPython"] = ipython
sys.modules["ipywidgets"] = None                                           # not installed
if sys.argv[1] == "1":
    import jaxg2
with warnings.catch_warnings(record=True) as caught:
    import tqdm.auto                                                       # as numpyro and blackjax do
print(sum("IProgress" in str(w.message) for w in caught))
"""


def test_no_iprogress_notice_in_a_notebook_without_ipywidgets(tmp_path):
    """NumPyro imports tqdm.auto: in a kernel without ipywidgets that warns "IProgress not
    found" unless jaxg2 was imported first (the control run without jaxg2 warns)."""
    import subprocess
    import sys

    script = tmp_path / "kernel.py"
    script.write_text(_KERNEL)
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).parents[1]))
    counts = [subprocess.run([sys.executable, str(script), flag], capture_output=True, text=True, env=env,
                             timeout=300).stdout.strip() for flag in ("0", "1")]
    assert counts == ["1", "0"]
