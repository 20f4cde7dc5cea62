"""The embedded PostgreSQL has a lifecycle (issue 15 item 2): whoever starts it stops it."""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[2]


def _servers_for(data_dir: Path) -> list[psutil.Process]:
    found = []
    for process in psutil.process_iter(["name", "cmdline"]):
        cmdline = " ".join(process.info["cmdline"] or [])
        if process.info["name"] == "postgres" and str(data_dir) in cmdline:
            found.append(process)
    return found


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _environment(data_dir: Path) -> dict[str, str]:
    env = {
        k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
    }
    return {**env, "PRB_DATA_DIR": str(data_dir), "PRB_ADDRESS": f"127.0.0.1:{_free_port()}"}


def _embedded(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "prb.embedded_db", *args],
        cwd=ROOT,
        env=_environment(data_dir),
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_sigterm_on_the_demo_runner_stops_the_server_it_started(tmp_path) -> None:
    data = tmp_path / "data"
    runner = subprocess.Popen(
        ["scripts/run-demo"],
        cwd=ROOT,
        env=_environment(data),
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
    )
    assert runner.stderr is not None
    phases = []
    try:
        for line in runner.stderr:
            phases.append(line.strip())
            if "3/4 migrating the database" in line:
                break
        assert _servers_for(data / "postgres"), phases
        time.sleep(2)  # migrate is running: the stop reaches it as well
        runner.send_signal(signal.SIGTERM)
        rest = runner.stderr.read()
        assert runner.wait(timeout=120) == 143
    finally:
        if runner.poll() is None:
            runner.kill()
    assert any("1/4 installing dependencies" in phase for phase in phases)
    assert any("2/4 starting the embedded PostgreSQL" in phase for phase in phases)
    assert "stopping the embedded PostgreSQL this run started" in rest
    assert _servers_for(data / "postgres") == []


def test_a_server_used_by_another_prb_process_is_left_running(tmp_path) -> None:
    data = tmp_path / "data"
    assert _embedded(data, "start").returncode == 0
    try:
        # Another PRB process (here: this test) is listed as a user of the server.
        (data / "postgres" / ".handle_pids.json").write_text(f"[{os.getpid()}]")
        kept = _embedded(data, "stop", "--if-unused")
        assert kept.returncode == 0
        assert f"still used by PRB process(es) {os.getpid()}: left running" in kept.stderr
        assert _servers_for(data / "postgres")
    finally:
        stopped = _embedded(data, "stop")
    assert stopped.returncode == 0, stopped.stderr
    assert "stopped" in stopped.stderr
    assert _servers_for(data / "postgres") == []
    assert _embedded(data, "status").returncode == 1


def test_a_crashed_server_and_its_stale_lock_are_recovered(tmp_path) -> None:
    data = tmp_path / "data"
    assert _embedded(data, "start").returncode == 0
    postmaster = psutil.Process(int((data / "postgres" / "postmaster.pid").read_text().split()[0]))
    postmaster.send_signal(signal.SIGKILL)
    postmaster.wait(timeout=30)
    for child in _servers_for(data / "postgres"):
        child.wait(timeout=30)
    # The lock now names a process that is not PostgreSQL (as after a reboot reuses the pid).
    lock = data / "postgres" / "postmaster.pid"
    lines = lock.read_text().split("\n")
    lock.write_text("\n".join([str(os.getpid()), *lines[1:]]))
    try:
        restarted = _embedded(data, "start")
        assert restarted.returncode == 0, restarted.stderr
        assert "was not shut down cleanly" in restarted.stderr
        assert "removed the stale lock" in restarted.stderr
        assert _embedded(data, "status").returncode == 0
    finally:
        _embedded(data, "stop")
    assert _servers_for(data / "postgres") == []
