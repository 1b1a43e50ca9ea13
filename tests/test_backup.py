"""Backup and restore, with the real commands in their own processes on a SQLite file.

(CI does the same on PostgreSQL in tests/production_smoke.py: back up, wipe, restore, and
compare a cycle's export and a report PDF's checksum.)
"""

import io
import os
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def site(tmp_path):
    """A separate installation: its own SQLite file and stored files."""
    env = os.environ | {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'site.sqlite3'}",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "DEBUG": "true",
    }

    def manage(*args, check=True):
        return subprocess.run(
            [sys.executable, str(ROOT / "manage.py"), *args],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=check,
        )

    manage("migrate", "--no-input", "-v", "0")
    manage("load_programme")
    media = tmp_path / "media" / "reports"
    media.mkdir(parents=True)
    (media / "report-1.pdf").write_bytes(b"%PDF-1.7 the compiled report")
    return manage, tmp_path


def state(manage, tmp_path) -> tuple[str, dict]:
    data = manage("dumpdata", "programme", "reporting", "--indent", "0").stdout
    files = {
        str(p.relative_to(tmp_path / "media")): p.read_bytes()
        for p in sorted((tmp_path / "media").rglob("*"))
        if p.is_file()
    }
    return data, files


def test_a_backup_restores_database_and_files_exactly(site):
    manage, tmp_path = site
    before = state(manage, tmp_path)
    made = manage("backup", str(tmp_path / "backup.tar.gz"))
    assert "och 1 fil till" in made.stdout
    # Wipe: the programme deleted, a file changed, another added.
    manage(
        "shell", "-c", "from programme.models import Indicator; Indicator.objects.all().delete()"
    )
    (tmp_path / "media" / "reports" / "report-1.pdf").write_bytes(b"changed")
    (tmp_path / "media" / "stray.txt").write_text("written after the backup")
    assert state(manage, tmp_path) != before
    manage("restore", str(tmp_path / "backup.tar.gz"), "--yes")
    assert state(manage, tmp_path) == before


def test_restore_asks_first_and_refuses_what_is_not_a_sound_backup(site):
    manage, tmp_path = site
    manage("backup", str(tmp_path / "backup.tar.gz"))
    before = state(manage, tmp_path)

    asked = manage("restore", str(tmp_path / "backup.tar.gz"), check=False)
    assert asked.returncode != 0 and "Kör igen med --yes" in asked.stderr

    damaged = tmp_path / "damaged.tar.gz"
    with tarfile.open(tmp_path / "backup.tar.gz") as source, tarfile.open(damaged, "w:gz") as out:
        for member in source.getmembers():
            content = source.extractfile(member).read()
            if member.name == "media/reports/report-1.pdf":
                content = b"tampered"
                member.size = len(content)
            out.addfile(member, io.BytesIO(content))
    refused = manage("restore", str(damaged), "--yes", check=False)
    assert refused.returncode != 0 and "reports/report-1.pdf" in refused.stderr

    escaping = tmp_path / "escaping.tar.gz"
    with tarfile.open(escaping, "w:gz") as out:
        info = tarfile.TarInfo("../outside.txt")
        info.size = 1
        out.addfile(info, io.BytesIO(b"x"))
    refused = manage("restore", str(escaping), "--yes", check=False)
    assert refused.returncode != 0 and "../outside.txt" in refused.stderr
    assert not (tmp_path.parent / "outside.txt").exists()

    garbage = tmp_path / "garbage.tar.gz"
    garbage.write_bytes(b"not a backup")
    refused = manage("restore", str(garbage), "--yes", check=False)
    assert refused.returncode != 0
    assert state(manage, tmp_path) == before  # nothing changed by any of them
