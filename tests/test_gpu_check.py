"""benchmarks/gpu_check.sh --dry-run on a CPU: it lists its steps, checks its files and installs nothing."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "benchmarks" / "gpu_check.sh"


def dry(carry: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "GPU_CARRY": str(carry), "PYTHON": sys.executable}
    return subprocess.run(
        ["bash", str(SCRIPT), "--dry-run", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )


def test_dry_run_names_what_is_missing(tmp_path):
    proc = dry(tmp_path / "carry")
    assert proc.returncode == 1
    assert "MISSING the wheels" in proc.stdout and "MISSING the precomputed starter text conditioning" in proc.stdout
    assert "--prepare on the CPU machine first" in proc.stdout
    assert not (tmp_path / "carry").exists()


def test_dry_run_with_the_files_in_place_lists_its_steps(tmp_path):
    carry = tmp_path / "carry"
    (carry / "wheels").mkdir(parents=True)
    (carry / "requirements.txt").write_text("diffusers==0.42.1\n")
    (carry / "starter_text.npz").write_bytes(b"")
    proc = dry(carry)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "every file is in place" in proc.stdout
    assert "would run:" in proc.stdout and "pip install --quiet --no-index --find-links" in proc.stdout
    assert "-m pytest -m gpu tests/test_gpu.py" in proc.stdout
    assert sorted(p.name for p in carry.iterdir()) == ["requirements.txt", "starter_text.npz", "wheels"]


def test_prepare_dry_run_lists_the_wheels_without_torch(tmp_path):
    proc = dry(tmp_path / "carry", "--prepare")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    line = next(x for x in proc.stdout.splitlines() if "no dependencies resolved:" in x)
    pins = line.split("resolved:", 1)[1].split()
    names = {p.split("==")[0] for p in pins}
    assert {"diffusers", "transformers", "accelerate", "langchain-core", "pytest"} <= names
    assert "torch" not in names and not any(n.startswith("nvidia-") for n in names)
    assert "would run:" in proc.stdout and "benchmarks/gpu_text.py" in proc.stdout
    assert not (tmp_path / "carry").exists()
