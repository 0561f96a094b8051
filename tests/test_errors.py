"""Errors read like the project's: one ValidationError format, every DGPT_* variable checked where it is read
(the message names it, the value and what is allowed), wrapped load errors keep their cause, `dgpt --debug`."""

from __future__ import annotations

import pytest
import yaml
from pydantic import BaseModel, ValidationError

from agent.cli import main
from tests.conftest import card, write_catalog
from tools.errors import all_errors, describe, field_path, first_error
from tools.settings import SettingError, chroma_url, data_home, env_choice, env_float, env_url


class _Inner(BaseModel):
    repo: str


class _Item(BaseModel):
    id: str
    count: int
    inner: _Inner


def _error(**data) -> ValidationError:
    with pytest.raises(ValidationError) as info:
        _Item.model_validate(data)
    return info.value


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(autouse=True)
def clean_env(monkeypatch, tmp_path):
    monkeypatch.setenv("DGPT_HOME", str(tmp_path / "dgpt-home"))
    for var in (
        "DGPT_DEVICE",
        "DGPT_DTYPE",
        "DGPT_CACHE_GB",
        "DGPT_EMBED_MODEL",
        "DGPT_CHROMA_URL",
        "DGPT_CATALOG",
        "DGPT_LLM",
        "DGPT_DEBUG",
    ):
        monkeypatch.delenv(var, raising=False)


# --- one ValidationError format -------------------------------------------------------------------------------


def test_first_error_joins_the_path_and_counts_the_rest():
    e = _error(id="a", count="many", inner={"repo": 3})
    assert first_error(e) == ("count", e.errors()[0]["msg"], 1)
    assert all_errors(e) == [("count", e.errors()[0]["msg"]), ("inner.repo", e.errors()[1]["msg"])]
    assert (
        describe(e, "cat.yaml: entry 0, ") == f"cat.yaml: entry 0, field 'count': {e.errors()[0]['msg']} (and 1 more)"
    )
    assert describe(e, "f.csv: line 2, ", count_more=False) == f"f.csv: line 2, field 'count': {e.errors()[0]['msg']}"
    assert describe(_error(id="a", count=1, inner={})) == "field 'inner.repo': Field required"


def test_an_empty_location_reads_as_the_whole_entry():
    assert field_path(()) == "(entry)" and field_path((), empty="(row)") == "(row)"
    assert field_path(("source", "hub", 0)) == "source.hub.0"
    with pytest.raises(ValidationError) as info:
        _Item.model_validate("not a mapping")
    assert describe(info.value, empty="(item)").startswith("field '(item)': ")


def test_catalog_and_feedback_messages_are_unchanged(tmp_path):
    from tools.catalog import CatalogError, load_catalog
    from tools.feedback import FeedbackError, read_records

    bad = card("bad", ["photorealistic", "person"], "x" * 20, ["only one"], family="sd9")
    path = write_catalog(tmp_path / "c.yaml", [bad])
    with pytest.raises(CatalogError) as info:
        load_catalog(path)
    assert str(info.value).startswith(f"{path}: entry 0 ('bad'), field 'family': Input should be ")
    assert str(info.value).endswith(" (and 1 more)")
    assert isinstance(info.value.__cause__, ValidationError)

    fb = tmp_path / "fb.csv"
    fb.write_text("prompt,model,rating\na cat,anime,7\n")
    with pytest.raises(FeedbackError) as info:
        read_records(fb)
    assert str(info.value).startswith(f"{fb}: line 2, field 'rating': ") and "more)" not in str(info.value)
    assert isinstance(info.value.__cause__, ValidationError)


# --- the generic env helpers ----------------------------------------------------------------------------------


def test_env_helpers_default_when_unset_or_empty(monkeypatch):
    assert env_choice("DGPT_X_TEST", ("a", "b"), default="a") == "a"
    monkeypatch.setenv("DGPT_X_TEST", "")
    assert env_choice("DGPT_X_TEST", ("a", "b"), default="b") == "b"
    assert env_float("DGPT_X_TEST", 1.5) == 1.5 and env_url("DGPT_X_TEST") is None
    monkeypatch.setenv("DGPT_X_TEST", " B ")
    assert env_choice("DGPT_X_TEST", ("a", "b")) == "b"


def test_env_float_bounds(monkeypatch):
    monkeypatch.setenv("DGPT_X_TEST", "0")
    assert env_float("DGPT_X_TEST", minimum=0) == 0
    with pytest.raises(SettingError, match=r"DGPT_X_TEST='0' is out of range; use a number above 0"):
        env_float("DGPT_X_TEST", above=0)
    monkeypatch.setenv("DGPT_X_TEST", "inf")
    with pytest.raises(SettingError, match="not a finite number"):
        env_float("DGPT_X_TEST")


def test_a_setting_error_is_a_value_error():
    assert issubclass(SettingError, ValueError)


# --- every DGPT_* variable, checked where it is read ------------------------------------------------------------


@pytest.mark.parametrize("value", ["float16x", "half", "int8"])
def test_bad_dtype_names_the_variable_and_the_dtypes(monkeypatch, value):
    from tools.pipelines import pick_dtype

    monkeypatch.setenv("DGPT_DTYPE", value)
    with pytest.raises(SettingError) as info:
        pick_dtype("cpu")
    assert str(info.value) == (
        f"DGPT_DTYPE='{value}' is not a dtype; use one of fp32, fp16, bf16, float32, float16, "
        "bfloat16 (or unset it for the device's default)"
    )


@pytest.mark.parametrize(
    "value, expected", [("fp16", "float16"), ("bf16", "bfloat16"), ("float32", "float32"), ("FP16", "float16")]
)
def test_good_dtypes_still_work(monkeypatch, value, expected):
    import torch

    from tools.pipelines import pick_dtype

    monkeypatch.setenv("DGPT_DTYPE", value)
    assert pick_dtype("cpu") is getattr(torch, expected)
    monkeypatch.delenv("DGPT_DTYPE")
    assert pick_dtype("cpu") is torch.float32 and pick_dtype("cpu", "fp16") is torch.float16
    with pytest.raises(ValueError, match="dtype 'fp8' is not one of fp32, fp16, bf16"):
        pick_dtype("cpu", "fp8")


def test_bad_device_names_the_variable_and_the_devices(monkeypatch):
    import torch

    from tools.pipelines import pick_device

    monkeypatch.setenv("DGPT_DEVICE", "gpu")
    with pytest.raises(SettingError) as info:
        pick_device()
    msg = str(info.value)
    assert msg.startswith("DGPT_DEVICE='gpu' is not a torch device; use cpu, cuda, cuda:N, mps")
    assert msg.endswith("(or unset it to pick cuda, then mps, then cpu)")
    assert isinstance(info.value.__cause__, RuntimeError)  # torch's own parse error, for --debug

    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    monkeypatch.setattr(torch.backends.mps, "is_available", lambda: False)
    monkeypatch.setenv("DGPT_DEVICE", "cuda")
    with pytest.raises(
        SettingError, match=r"DGPT_DEVICE='cuda' names a CUDA device but torch sees none; use cpu \(or unset"
    ):
        pick_device()
    monkeypatch.setenv("DGPT_DEVICE", "mps")
    with pytest.raises(SettingError, match=r"DGPT_DEVICE='mps' names the mps device but torch sees none; use cpu"):
        pick_device()

    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(torch.cuda, "device_count", lambda: 2)
    monkeypatch.setenv("DGPT_DEVICE", "cuda:5")
    with pytest.raises(
        SettingError,
        match=r"DGPT_DEVICE='cuda:5' names CUDA device 5 but torch sees 2; use one of cuda, cuda:0, cuda:1, cpu",
    ):
        pick_device()
    monkeypatch.setenv("DGPT_DEVICE", "cuda:1")
    assert pick_device() == "cuda:1"


def test_good_devices_still_work(monkeypatch):
    from tools.pipelines import pick_device

    monkeypatch.setenv("DGPT_DEVICE", "cpu")
    assert pick_device() == "cpu"
    monkeypatch.setenv("DGPT_DEVICE", "meta")  # any device type torch knows and need not see
    assert pick_device() == "meta"
    monkeypatch.setenv("DGPT_DEVICE", "not-a-device")
    assert pick_device("cpu") == "cpu"  # the argument wins, as before


@pytest.mark.parametrize(
    "value, problem",
    [
        ("lots", "is not a number of GiB"),
        ("0", "is out of range"),
        ("-2", "is out of range"),
        ("nan", "is not a finite number"),
    ],
)
def test_bad_cache_size_names_the_variable_and_the_range(monkeypatch, value, problem):
    from tools.pipelines import default_budget_bytes

    monkeypatch.setenv("DGPT_CACHE_GB", value)
    with pytest.raises(SettingError) as info:
        default_budget_bytes("cpu")
    assert str(info.value).startswith(
        f"DGPT_CACHE_GB='{value}' {problem}; use a number above 0, e.g. 12 or 0.5 (or unset it"
    )
    monkeypatch.setenv("DGPT_CACHE_GB", "0.5")
    assert default_budget_bytes("cpu") == 2**29


def test_bad_embed_model_names_the_variable(monkeypatch, tmp_path):
    from tools.embeddings import model_path

    monkeypatch.setenv("DGPT_EMBED_MODEL", str(tmp_path / "nope"))
    with pytest.raises(
        SettingError, match=r"DGPT_EMBED_MODEL='.*nope' does not exist; set it to a local sentence-transformers"
    ):
        model_path()
    (tmp_path / "file").write_text("x")
    monkeypatch.setenv("DGPT_EMBED_MODEL", str(tmp_path / "file"))
    with pytest.raises(SettingError, match="is a file, not a directory.*unset it to use the packaged all-MiniLM-L6-v2"):
        model_path()
    monkeypatch.setenv("DGPT_EMBED_MODEL", str(tmp_path))
    assert model_path() == str(tmp_path)


def test_bad_home_names_the_variable(monkeypatch, tmp_path):
    (tmp_path / "file").write_text("x")
    monkeypatch.setenv("DGPT_HOME", str(tmp_path / "file"))
    with pytest.raises(SettingError) as info:
        data_home()
    assert str(info.value) == (
        f"DGPT_HOME='{tmp_path / 'file'}' is a file, not a directory; point it at a directory, "
        "which is created when missing (or unset it for ~/.dgpt)"
    )
    monkeypatch.setenv("DGPT_HOME", str(tmp_path / "not-yet"))
    assert data_home() == tmp_path / "not-yet"  # created when first written, as before


@pytest.mark.parametrize(
    "value, problem",
    [
        ("localhost:8000", "does not start with http(s)://"),
        ("127.0.0.1", "does not start with http(s)://"),
        ("ftp://host:21", "has the scheme 'ftp'"),
        ("http://:8000", "has no host"),
        ("http://host:port", "has a port that is not a number from 0 to 65535"),
        ("http://host:8000/api/v2", "has a path or query, which would be ignored"),
    ],
)
def test_bad_chroma_url_names_the_variable_and_the_form(monkeypatch, value, problem):
    monkeypatch.setenv("DGPT_CHROMA_URL", value)
    with pytest.raises(SettingError) as info:
        chroma_url()
    assert str(info.value) == (
        f"DGPT_CHROMA_URL='{value}' {problem}; write it as http(s)://HOST:PORT, e.g. http://127.0.0.1:8000"
        " (or unset it to keep the index on disk under DGPT_HOME/chroma)"
    )


@pytest.mark.parametrize("value", ["http://127.0.0.1:8000", "https://chroma.example.org", "http://[::1]:8000/"])
def test_good_chroma_urls_still_work(monkeypatch, value):
    monkeypatch.setenv("DGPT_CHROMA_URL", value)
    assert chroma_url() == value


def test_bad_catalog_variable_is_named(capsys, monkeypatch):
    monkeypatch.setenv("DGPT_CATALOG", "hubb")
    code, _, err = run(capsys, "models", "list")
    assert code == 2
    assert err.startswith("dgpt: error: DGPT_CATALOG='hubb': unknown catalog 'hubb'; use one of ") and "hub" in err
    assert err.rstrip().endswith("(or unset it for hub)")
    code, out, _ = run(capsys, "models", "list", "--catalog", "hub")  # an explicit --catalog is used, not the variable
    assert code == 0 and out


def test_bad_llm_variable_is_named(capsys, monkeypatch, tiny_catalog):
    monkeypatch.setenv("DGPT_LLM", "gpt5")
    code, _, err = run(capsys, "select", "a fox", "--catalog", tiny_catalog)
    assert code == 2
    assert err.startswith("dgpt: error: DGPT_LLM='gpt5' is not an LLM mode; use one of ")
    assert all(mode in err for mode in ("auto", "none", "openai", "local")) and err.rstrip().endswith(
        "(or unset it for auto)"
    )


def test_bad_debug_variable_is_named(capsys, monkeypatch):
    monkeypatch.setenv("DGPT_DEBUG", "verbose")
    code, _, err = run(capsys, "models", "list")
    assert code == 2 and err.startswith("dgpt: error: DGPT_DEBUG='verbose' is not a switch; use one of 1, 0, true")


# --- wrapped load errors keep their cause ------------------------------------------------------------------------


def test_invalid_yaml_catalog_keeps_the_yaml_error(tmp_path):
    from tools.catalog import CatalogError, load_catalog

    path = tmp_path / "broken.yaml"
    path.write_text("models: [unclosed\n")
    with pytest.raises(CatalogError) as info:
        load_catalog(path)
    assert "not valid YAML" in str(info.value)
    assert isinstance(info.value.__cause__, yaml.YAMLError)


def test_non_json_feedback_line_keeps_the_json_error(tmp_path):
    import json

    from tools.feedback import FeedbackError, read_records

    path = tmp_path / "fb.jsonl"
    path.write_text('{"prompt": "a cat", "model": "anime", "rating": 1}\n{oops\n')
    with pytest.raises(FeedbackError, match="line 2: not JSON") as info:
        read_records(path)
    assert isinstance(info.value.__cause__, json.JSONDecodeError)


def test_unreadable_start_image_keeps_the_pil_error(tmp_path):
    from tools.generate import open_start_image

    path = tmp_path / "not-an-image.png"
    path.write_text("hello")
    with pytest.raises(ValueError, match="could not be read as an image") as info:
        open_start_image(str(path))
    assert isinstance(info.value.__cause__, OSError)  # PIL's UnidentifiedImageError is an OSError


def test_broken_model_directory_keeps_the_loader_error(tmp_path):
    from tools.catalog import load_catalog
    from tools.pipelines import ModelLoadError, load_base

    (tmp_path / "broken").mkdir()
    (tmp_path / "broken" / "model_index.json").write_text("{not json")
    entry = card(
        "broken",
        ["photorealistic", "person"],
        "A model whose directory is broken.",
        ["a b c d", "e f g h"],
        source={"kind": "local", "path": "broken"},
    )
    cat = load_catalog(write_catalog(tmp_path / "c.yaml", [entry]))
    with pytest.raises(ModelLoadError, match="model 'broken': could not read its weights") as info:
        load_base(cat.get("broken"), cat, "cpu", None)
    assert info.value.__cause__ is not None


# --- dgpt --debug ---------------------------------------------------------------------------------------------------


@pytest.fixture
def broken_catalog(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("models: [unclosed\n")
    return path


def test_debug_prints_the_traceback_with_its_cause(capsys, broken_catalog):
    code, out, err = run(capsys, "--debug", "models", "list", "--catalog", broken_catalog)
    assert code == 2 and out == ""
    assert err.startswith("Traceback (most recent call last):")
    assert "yaml.parser.ParserError" in err or "yaml.scanner.ScannerError" in err  # the cause
    assert "The above exception was the direct cause of the following exception" in err
    assert "tools.catalog.CatalogError" in err
    line = f"dgpt: error: {broken_catalog}: not valid YAML"  # the usual message comes last (YAML's own spans lines)
    assert err.count(line) == 1 and err.index(line) > err.index("tools.catalog.CatalogError")


def test_without_debug_there_is_no_traceback(capsys, broken_catalog):
    code, _, err = run(capsys, "models", "list", "--catalog", broken_catalog)
    assert code == 2 and "Traceback" not in err
    assert err.startswith(f"dgpt: error: {broken_catalog}: not valid YAML") and err.count("dgpt: error:") == 1


def test_debug_from_the_environment_and_after_the_command(capsys, monkeypatch, tiny_catalog):
    code, _, err = run(capsys, "models", "show", "nope", "--catalog", tiny_catalog, "--debug")
    assert code == 2 and "Traceback" in err and "KeyError" in err
    assert err.rstrip().splitlines()[-1] == (
        "dgpt: error: model 'nope' is not in catalog 'tiny'; `dgpt models list --catalog tiny` shows its ids"
    )
    monkeypatch.setenv("DGPT_DEBUG", "1")
    code, _, err = run(capsys, "models", "list", "--catalog", tiny_catalog.parent / "missing.yaml")
    assert code == 2 and "Traceback" in err and "does not exist" in err
    monkeypatch.setenv("DGPT_DEBUG", "0")
    code, _, err = run(capsys, "models", "list", "--catalog", tiny_catalog.parent / "missing.yaml")
    assert code == 2 and "Traceback" not in err


def test_debug_changes_nothing_on_success(capsys, tiny_catalog):
    assert (
        run(capsys, "--debug", "models", "list", "--catalog", tiny_catalog)[:2]
        == run(capsys, "models", "list", "--catalog", tiny_catalog)[:2]
    )
