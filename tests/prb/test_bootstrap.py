"""scripts/bootstrap heals a .venv built with the wrong Python (issue 15 item 3)."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WRONG_PYTHON = """#!/bin/sh
if [ "$1" = "--version" ]; then echo "Python 3.9.2"; exit 0; fi
exit 1
"""


def _checkout(tmp_path: Path, lock: str = "") -> Path:
    (tmp_path / "scripts").mkdir(parents=True)
    shutil.copy(ROOT / "scripts" / "bootstrap", tmp_path / "scripts" / "bootstrap")
    (tmp_path / "requirements-dev.lock").write_text(lock)
    venv_bin = tmp_path / ".venv" / "bin"
    venv_bin.mkdir(parents=True)
    (venv_bin / "python").write_text(WRONG_PYTHON)
    (venv_bin / "python").chmod(0o755)
    return tmp_path


def _run(checkout: Path, path: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHON"}
    return subprocess.run(
        ["/bin/bash", "scripts/bootstrap"],
        cwd=checkout,
        env={**env, "PATH": path},
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_a_wrong_python_without_python_311_names_the_python_needed(tmp_path) -> None:
    checkout = _checkout(tmp_path / "checkout")
    tools = tmp_path / "bin"
    tools.mkdir()
    for tool in ("rm", "dirname"):
        os.symlink(shutil.which(tool), tools / tool)
    (tools / "python3").write_text(WRONG_PYTHON)
    (tools / "python3").chmod(0o755)
    result = _run(checkout, str(tools))
    assert result.returncode == 1
    assert ".venv was built with Python 3.9.2; PRB needs Python 3.11: rebuilding .venv" in (
        result.stderr
    )
    assert "PRB needs Python 3.11 and none was found" in result.stderr
    assert "PYTHON=/path/to/python3.11" in result.stderr
    assert not (checkout / ".venv").exists()


def _uv_only_lock() -> str:
    real_lock = (ROOT / "requirements-dev.lock").read_text()
    uv_block = re.search(r"^uv==.*?(?=^\S)", real_lock, re.M | re.S)
    assert uv_block is not None
    return uv_block.group(0)


def test_a_venv_whose_creation_was_cut_short_gets_its_pip_back(tmp_path) -> None:
    checkout = tmp_path / "checkout"
    (checkout / "scripts").mkdir(parents=True)
    shutil.copy(ROOT / "scripts" / "bootstrap", checkout / "scripts" / "bootstrap")
    (checkout / "requirements-dev.lock").write_text(_uv_only_lock())
    python = str(Path(sys.executable).resolve())
    subprocess.run([python, "-m", "venv", "--without-pip", checkout / ".venv"], check=True)
    result = _run(checkout, f"{Path(python).parent}:{os.environ['PATH']}")
    assert result.returncode == 0, result.stderr
    assert ".venv has no pip (its creation was interrupted?): restoring pip" in result.stderr
    assert (checkout / ".venv" / "bin" / "uv").exists()


def test_a_wrong_python_is_rebuilt_with_python_311(tmp_path) -> None:
    checkout = _checkout(tmp_path / "checkout", lock=_uv_only_lock())
    python_dir = str(Path(sys.executable).resolve().parent)
    result = _run(checkout, f"{python_dir}:{os.environ['PATH']}")
    assert result.returncode == 0, result.stderr
    assert "rebuilding .venv" in result.stderr
    assert "creating .venv with" in result.stderr
    version = subprocess.run(
        [checkout / ".venv" / "bin" / "python", "--version"], capture_output=True, text=True
    )
    assert version.stdout.startswith("Python 3.11.")
    assert (checkout / ".venv" / "bin" / "uv").exists()
    again = _run(checkout, f"{python_dir}:{os.environ['PATH']}")
    assert again.returncode == 0 and again.stderr == ""
