"""The README's first command runs the demo on SQLite, without PostgreSQL or Redis: every
query the demo makes must work there too."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def manage(*arguments, var_dir):
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE")
    }
    environment.update(PEERLEARN_VAR_DIR=str(var_dir), DEBUG="1")
    return subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_the_demo_loads_twice_on_the_embedded_database(tmp_path):
    migrated = manage("migrate", "--noinput", var_dir=tmp_path)
    first = manage("load_demo", var_dir=tmp_path)
    again = manage("load_demo", var_dir=tmp_path)

    assert migrated.returncode == 0, migrated.stderr[-2000:]
    assert first.returncode == 0, first.stderr[-2000:]
    assert again.returncode == 0, again.stderr[-2000:]
    assert "Sign in at" in again.stdout
    assert (tmp_path / "peerlearn.sqlite3").exists()
