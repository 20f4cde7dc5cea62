"""Run PRB's Python in a fresh process, as the web server or manage.py would start it."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_python(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """``python *args`` in the project folder with exactly ``env``; output captured as text."""
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
