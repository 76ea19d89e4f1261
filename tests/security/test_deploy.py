"""Production settings fail closed and pass Django's deployment checks."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GOOD_SECRET = "k3Q9v-Zr7pX2mW8tB5nL1cY6hJ4dF0sG9aE3uR7iO2wT5yU8pA1zM6xN4bV0cQ"  # 62 characters, test only


def _run(code_or_args: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"}}
    environment.update({"DJANGO_SETTINGS_MODULE": "config.settings.prod", **env})
    return subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, *code_or_args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_is_clean() -> None:
    result = _run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        SECRET_KEY=GOOD_SECRET,
        ALLOWED_HOSTS="relais.example.org",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"ALLOWED_HOSTS": "relais.example.org"}, "SECRET_KEY"),
        ({"SECRET_KEY": "trop-court", "ALLOWED_HOSTS": "relais.example.org"}, "SECRET_KEY"),
        ({"SECRET_KEY": GOOD_SECRET, "ALLOWED_HOSTS": "*"}, "ALLOWED_HOSTS"),
        ({"SECRET_KEY": GOOD_SECRET, "ALLOWED_HOSTS": "relais.example.org,*"}, "ALLOWED_HOSTS"),
        ({"SECRET_KEY": GOOD_SECRET}, "ALLOWED_HOSTS"),
    ],
)
def test_prod_settings_refuse_to_import_unsafely(env: dict[str, str], message: str) -> None:
    result = _run(["-c", "import config.settings.prod"], **env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


def test_prod_settings_import_with_safe_values() -> None:
    result = _run(
        ["-c", "import config.settings.prod as s; assert not s.DEBUG and s.SESSION_COOKIE_SECURE; print('ok')"],
        SECRET_KEY=GOOD_SECRET,
        ALLOWED_HOSTS="relais.example.org",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


def test_env_example_documents_every_variable_read_by_settings() -> None:
    import re

    read: set[str] = set()
    for path in (ROOT / "config" / "settings").glob("*.py"):
        read.update(re.findall(r"env_(?:str|bool|int|list)\(\s*\"([A-Z0-9_]+)\"", path.read_text()))
    documented = set(re.findall(r"^#?\s*([A-Z0-9_]+)=", (ROOT / ".env.example").read_text(), flags=re.MULTILINE))
    assert read, "no variable found: the pattern is out of date"
    assert read <= documented, f"undocumented: {sorted(read - documented)}"
