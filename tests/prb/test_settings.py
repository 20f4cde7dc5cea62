import os
import subprocess

import pytest

from tests.support.processes import run_python

PRODUCTION_KEY = "k3y-" + "x9Qz!r7Lp#2w" * 5


def _environment(**overrides: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DJANGO_ALLOW_ASYNC_UNSAFE", "SECRET_KEY", "DEBUG"}
    }
    return {**env, "DJANGO_SETTINGS_MODULE": "prb.settings", **overrides}


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return run_python("manage.py", *args, env=_environment(**env))


def test_check_deploy_is_clean_with_production_values() -> None:
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="false",
        SECRET_KEY=PRODUCTION_KEY,
        ALLOWED_HOSTS="prb.example.id",
        PRB_CREDENTIALS_KEY="ZmRlZmF1bHQtdGVzdC1rZXktMzItYnl0ZXMtbG9uZyE=",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNINGS" not in result.stdout + result.stderr


def test_production_cookies_are_secure() -> None:
    code = (
        "import django;django.setup();from django.conf import settings as s;"
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT,"
        " s.SECURE_HSTS_SECONDS > 0, s.LANGUAGE_CODE, s.TIME_ZONE, s.USE_TZ)"
    )
    result = run_python("-c", code, env=_environment(DEBUG="false", SECRET_KEY=PRODUCTION_KEY))
    assert result.stdout.split() == ["True", "True", "True", "True", "id", "Asia/Jakarta", "True"]


@pytest.mark.parametrize("debug", ["false", ""])
def test_production_refuses_to_start_without_a_secret_key(debug: str) -> None:
    result = _manage("check", DEBUG=debug)
    assert result.returncode == 1
    assert "PRB cannot start: SECRET_KEY is not set and DEBUG is off" in result.stderr
    assert "Traceback" not in result.stderr


def test_production_refuses_the_development_key() -> None:
    from django.conf import settings

    result = _manage("check", DEBUG="false", SECRET_KEY=settings.DEVELOPMENT_SECRET_KEY)
    assert result.returncode == 1
    assert "SECRET_KEY is not set" in result.stderr


def test_the_web_server_entry_point_refuses_too() -> None:
    result = run_python("-c", "import prb.wsgi", env=_environment(DEBUG="false"))
    assert result.returncode != 0
    assert "SECRET_KEY is not set and DEBUG is off" in result.stderr


@pytest.mark.parametrize(
    ("name", "value"), [("DEBUG", "flase"), ("BEHIND_PROXY", "2"), ("SECURE_SSL_REDIRECT", "ja")]
)
def test_an_unreadable_boolean_setting_stops_the_start(name: str, value: str) -> None:
    result = _manage("check", **{"SECRET_KEY": PRODUCTION_KEY, name: value})
    assert result.returncode == 1
    assert f"PRB cannot start: {name}={value!r} is not a boolean" in result.stderr


def test_development_runs_without_a_key() -> None:
    result = _manage("check", DEBUG="true")
    assert result.returncode == 0, result.stderr
