"""The CLI's shapes, run in-process (main(argv)) and, for start-up, as a real subprocess."""

import json
import subprocess
import sys

import pytest

from agent.cli import main


@pytest.fixture(autouse=True)
def own_home(tmp_path, monkeypatch):
    monkeypatch.setenv("DGPT_HOME", str(tmp_path / "dgpt-home"))


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_help_imports_nothing_heavy():
    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, agent.cli; agent.cli.build_parser(); print(sorted(m for m in ('torch','chromadb','sentence_transformers','langgraph') if m in sys.modules))",
        ],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0 and proc.stdout.strip() == "[]"


def test_select_json_has_the_relied_on_fields(capsys, tiny_catalog):
    code, out, _ = run(
        capsys, "select", "I want to see a watercolor fox", "--catalog", tiny_catalog, "--json", "--llm", "none"
    )
    assert code == 0
    r = json.loads(out)
    for key in (
        "model",
        "tags",
        "kind",
        "core_prompt",
        "extended_prompt",
        "negative_prompt",
        "llm_mode",
        "candidates",
        "trace",
        "timings_ms",
    ):
        assert key in r, key
    assert r["model"] == "watercolor" and r["kind"] == "inspiration" and r["llm_mode"] == "none"
    assert {"id", "relevance", "advantage", "score"} <= set(r["candidates"][0])
    assert {"parse", "tot", "select", "extend"} <= set(r["timings_ms"])


def test_select_explain_is_readable(capsys, tiny_catalog):
    code, out, _ = run(
        capsys, "select", "pixel art of a red sports car", "--catalog", tiny_catalog, "--explain", "--llm", "none"
    )
    assert code == 0
    assert "Chosen: pixel" in out and "Tree-of-Thought" in out and "LLM mode: none" in out and "  Why: " in out


def test_batch_prints_one_object_per_line(capsys, tiny_catalog, tmp_path):
    batch = tmp_path / "prompts.txt"
    batch.write_text("a watercolor fox\n\npixel art of a car\na neon sign that says 'OPEN'\n")
    code, out, _ = run(capsys, "select", "--batch", batch, "--json", "--catalog", tiny_catalog, "--llm", "none")
    rows = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and [r["model"] for r in rows] == ["watercolor", "pixel", "letters"]


def test_models_tree_index_feedback_commands(capsys, tiny_catalog, tmp_path):
    code, out, _ = run(capsys, "models", "list", "--catalog", tiny_catalog)
    assert code == 0 and out.splitlines()[0].startswith("photo")
    code, out, _ = run(capsys, "models", "show", "pixel", "--catalog", tiny_catalog, "--json")
    assert json.loads(out)["source"]["base"] == "photo"
    assert run(capsys, "tree", "build", "--catalog", tiny_catalog)[0] == 0
    code, out, _ = run(capsys, "tree", "show", "--catalog", tiny_catalog)
    assert "subject: animal" in out and "- watercolor" in out
    assert "written" in run(capsys, "index", "build", "--catalog", tiny_catalog)[1]
    assert "already up to date" in run(capsys, "index", "build", "--catalog", tiny_catalog)[1]
    code, out, _ = run(
        capsys, "feedback", "add", "a fox", "--model", "photo", "--stars", "5", "--catalog", tiny_catalog
    )
    assert code == 0 and "rated 1.00" in out
    f = tmp_path / "r.csv"
    f.write_text("prompt,model,rating\na cat,anime,0.5\n")
    code, out, _ = run(capsys, "feedback", "import", f, "--catalog", tiny_catalog)
    assert code == 0 and "imported 1 records" in out


@pytest.mark.parametrize(
    "argv, message",
    [
        (["models", "show", "nope"], "model 'nope' is not in catalog 'tiny'"),
        (["select", "   ", "--llm", "none"], "the request is empty"),
        (["feedback", "add", "x", "--model", "nope", "--rating", "1"], "not in catalog"),
        (["feedback", "add", "x", "--model", "photo", "--rating", "3"], "rating"),
        (["select", "a fox", "--llm", "openai"], "DGPT_LLM_BASE_URL"),
    ],
)
def test_errors_exit_2_with_a_message(capsys, tiny_catalog, argv, message):
    code, _, err = run(capsys, *argv, "--catalog", tiny_catalog)
    assert code == 2 and message in err and "Traceback" not in err


def test_bad_catalog_path(capsys, tmp_path):
    code, _, err = run(capsys, "models", "list", "--catalog", tmp_path / "missing.yaml")
    assert code == 2 and "does not exist" in err


def test_zoo_train_passes_options_and_defaults_out_to_the_data_home(capsys, tmp_path):
    code = main(["zoo", "train", "--domain", "shapes", "--steps", "1", "--batch-size", "4", "--save-dtype", "fp32"])
    out = capsys.readouterr().out
    pipeline = tmp_path / "dgpt-home" / "zoo" / "shapes" / "pipeline"
    assert code == 0 and (pipeline / "model_index.json").is_file(), out
    assert list((pipeline / "unet").glob("*.safetensors"))
