"""Cold start: a `dgpt select` process (and the Python Selector) runs without torch, transformers, diffusers or
sentence-transformers; generation imports them when it first draws. Each case is a fresh subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

HEAVY = ("torch", "transformers", "diffusers", "sentence_transformers", "sklearn", "scipy", "langchain_openai")

# Runs the CLI's main() and, at exit, writes which heavy modules the process imported to the file in DGPT_TEST_MODULES.
WRAPPER = """
import atexit, json, os, sys
heavy = {heavy!r}
atexit.register(lambda: open(os.environ["DGPT_TEST_MODULES"], "w").write(json.dumps(sorted(m for m in heavy if m in sys.modules))))
from agent.cli import main
sys.exit(main(sys.argv[1:]))
"""


@pytest.fixture(scope="module")
def prepared_home(tmp_path_factory):
    """A data home in which the embedding model is exported and the starter catalog indexed (what a first run does)."""
    home = tmp_path_factory.mktemp("coldstart-home")
    env = {**os.environ, "DGPT_HOME": str(home)}
    subprocess.run(
        [sys.executable, "-m", "agent.cli", "index", "build", "--catalog", "starter"],
        env=env,
        check=True,
        capture_output=True,
        timeout=300,
    )
    return home


def run_cli(home, tmp_path, *argv) -> tuple[dict | None, list[str]]:
    modules = tmp_path / "modules.json"
    env = {**os.environ, "DGPT_HOME": str(home), "DGPT_TEST_MODULES": str(modules)}
    env.pop("DGPT_EMBED_BACKEND", None)
    proc = subprocess.run(
        [sys.executable, "-c", WRAPPER.format(heavy=HEAVY), *argv],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    out = json.loads(proc.stdout) if proc.stdout.strip().startswith("{") else None
    return out, json.loads(modules.read_text())


def test_cli_select_imports_nothing_heavy(prepared_home, tmp_path):
    result, imported = run_cli(
        prepared_home,
        tmp_path,
        "select",
        "a yellow star on a purple background",
        "--catalog",
        "starter",
        "--llm",
        "none",
        "--json",
    )
    assert result["model"] == "starter-shapes"
    assert imported == []


def test_python_selector_imports_nothing_heavy(prepared_home):
    code = (
        "import sys, json; from agent.selector import Selector; "
        "r = Selector(catalog='starter', llm='none').select('a blue letter A on white'); "
        f"print(json.dumps([r['model'], sorted(m for m in {HEAVY!r} if m in sys.modules)]))"
    )
    env = {**os.environ, "DGPT_HOME": str(prepared_home)}
    env.pop("DGPT_EMBED_BACKEND", None)
    proc = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    model, imported = json.loads(proc.stdout.strip().splitlines()[-1])
    assert model.startswith("starter-") and imported == []


def test_generate_imports_the_stack_when_it_draws(prepared_home, tmp_path):
    result, imported = run_cli(
        prepared_home,
        tmp_path,
        "generate",
        "a yellow star on a purple background",
        "--catalog",
        "starter",
        "--llm",
        "none",
        "--steps",
        "2",
        "--out",
        str(tmp_path / "images"),
        "--json",
    )
    assert result["images"] and {"torch", "diffusers"} <= set(imported)
