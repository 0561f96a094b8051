"""Every notebook under notebooks/ runs top to bottom without an error, in a kernel on this interpreter."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # each notebook starts a kernel and imports the stack

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")

from ipykernel.kernelspec import write_kernel_spec  # noqa: E402
from jupyter_client.kernelspec import KernelSpecManager  # noqa: E402
from jupyter_client.manager import AsyncKernelManager  # noqa: E402

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
CELL_TIMEOUT_S = 600
PROBE = "import sys; print(sys.prefix)"  # a venv's python is often a symlink to the system one: compare prefixes


def kernel_manager(tmp_path: Path) -> AsyncKernelManager:
    """A `python3` kernel that runs this interpreter, whatever kernelspecs the user or system has installed.

    ipykernel writes the spec with argv[0] = sys.executable; the spec manager looks only in our folder, so a
    `python3` kernel in ~/.local/share/jupyter or /usr/share/jupyter cannot take its place.
    """
    kernels = tmp_path / "kernels"
    write_kernel_spec(path=str(kernels / "python3"))
    return AsyncKernelManager(kernel_name="python3", kernel_spec_manager=KernelSpecManager(kernel_dirs=[str(kernels)]))


@pytest.mark.parametrize("path", sorted(NOTEBOOKS.glob("*.ipynb")), ids=lambda p: p.name)
def test_notebook_runs(path: Path, tmp_path: Path):
    nb = nbformat.read(path, as_version=4)
    nb.cells.insert(0, nbformat.v4.new_code_cell(PROBE))  # which Python the kernel really runs

    home = tmp_path / "home"
    home.mkdir()
    env = {
        **os.environ,
        "DGPT_HOME": str(home),
        "OMP_NUM_THREADS": "1",
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
    }
    client = nbclient.NotebookClient(
        nb,
        km=kernel_manager(tmp_path),
        kernel_name="python3",
        timeout=CELL_TIMEOUT_S,
        resources={"metadata": {"path": str(NOTEBOOKS)}},  # cwd of the kernel
        extra_arguments=["--InteractiveShell.colors=nocolor"],  # plain tracebacks in the pytest report
    )
    client.execute(env=env)  # raises CellExecutionError, naming the cell, on the first error

    probe = "".join(o.get("text", "") for o in nb.cells[0].outputs if o.get("output_type") == "stream").strip()
    assert Path(probe) == Path(sys.prefix), f"the kernel ran the Python in {probe}, not this one ({sys.prefix})"
    errors = [
        o for cell in nb.cells if cell.cell_type == "code" for o in cell.outputs if o.get("output_type") == "error"
    ]
    assert not errors, errors
