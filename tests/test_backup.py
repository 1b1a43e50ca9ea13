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


def test_a_backup_leaves_out_files_only_passing_through(site):
    """A health check's probe and the admin's imports waiting for their confirmation (a
    whole programme's workbook, one table's file) are not the installation's data."""
    manage, tmp_path = site
    passing = ("healthz/", "programme-imports/", "django-import-export/")
    for folder in passing:
        (tmp_path / "media" / folder).mkdir(parents=True)
        (tmp_path / "media" / folder / "0123abcd.xlsx").write_bytes(b"passing through")
    manage("backup", str(tmp_path / "backup.tar.gz"))
    with tarfile.open(tmp_path / "backup.tar.gz") as archive:
        names = archive.getnames()
    assert any(name.endswith("reports/report-1.pdf") for name in names)
    assert not [name for name in names if any(folder in name for folder in passing)]


def test_a_backup_is_readable_by_its_owner_only(site):
    """It holds every user's data and password hash: not readable by the server's other
    accounts, whatever the umask says."""
    manage, tmp_path = site
    old = os.umask(0o022)
    try:
        manage("backup", str(tmp_path / "backup.tar.gz"))
    finally:
        os.umask(old)
    assert (tmp_path / "backup.tar.gz").stat().st_mode & 0o777 == 0o600


def test_without_pg_dump_a_backup_says_so(tmp_path):
    """pg_dump comes from PATH (PostgreSQL's client tools): without it a message that
    names it, not a traceback, and no backup file."""
    env = os.environ | {
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/livskvalitet_no_such_database",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "DEBUG": "true",
        "PATH": str(tmp_path / "nothing-here"),
    }
    done = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "backup", str(tmp_path / "backup.tar.gz")],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr, done.stderr
    assert "pg_dump" in done.stderr
    assert not (tmp_path / "backup.tar.gz").exists()


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


def repack(source: Path, target: Path, *, change=None, extra=()) -> None:
    """The archive again, its members changed by ``change(name, bytes)`` and more added."""
    with tarfile.open(source) as archive, tarfile.open(target, "w:gz") as out:
        for member in archive.getmembers():
            content = archive.extractfile(member).read()
            if change:
                content = change(member.name, content)
            member.size = len(content)
            out.addfile(member, io.BytesIO(content))
        for name, content in extra:
            info = tarfile.TarInfo(name)
            info.size = len(content)
            out.addfile(info, io.BytesIO(content))


def test_restore_trusts_only_a_backup_this_installation_signed(site):
    """Issue 19: an archive whose database was edited (a reporter made superuser) and whose
    manifest's checksums were recomputed, one made by another installation, and members
    the manifest does not name are all refused, and nothing changes."""
    import hashlib
    import json
    import sqlite3

    manage, tmp_path = site
    backup = tmp_path / "backup.tar.gz"
    manage("backup", str(backup))
    before = state(manage, tmp_path)

    # The database edited, the checksums made to fit: the signature no longer does.
    with tarfile.open(backup) as archive:
        database = archive.extractfile("database.sqlite3").read()
    edited_db = tmp_path / "edited.sqlite3"
    edited_db.write_bytes(database)
    with sqlite3.connect(edited_db) as db:
        db.execute(
            "INSERT INTO auth_user (username, password, is_superuser, is_staff, is_active, "
            "first_name, last_name, email, date_joined) VALUES "
            "('inkräktare', '', 1, 1, 1, '', '', '', '2026-01-01')"
        )
    forged = edited_db.read_bytes()

    def forge(name, content):
        if name == "database.sqlite3":
            return forged
        if name == "manifest.json":
            manifest = json.loads(content)
            manifest["members"]["database.sqlite3"] = {
                "size": len(forged),
                "sha256": hashlib.sha256(forged).hexdigest(),
            }
            return json.dumps(manifest, indent=1).encode()
        return content

    edited = tmp_path / "edited.tar.gz"
    repack(backup, edited, change=forge)
    refused = manage("restore", str(edited), "--yes", check=False)
    assert refused.returncode != 0 and "inte signerad av den här installationen" in refused.stderr

    # Made by another installation (another BACKUP_KEY): refused the same way.
    foreign = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "restore", str(backup), "--yes"],
        env=os.environ
        | {
            "DATABASE_URL": f"sqlite:///{tmp_path / 'site.sqlite3'}",
            "MEDIA_ROOT": str(tmp_path / "media"),
            "DEBUG": "true",
            "BACKUP_KEY": "another installation's key",
        },
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert foreign.returncode != 0 and "inte signerad" in foreign.stderr

    # A member the signed manifest does not name (300 MB of zeros, a few hundred kB
    # packed) ends the restore at its header.
    bulky = tmp_path / "bulky.tar.gz"
    repack(backup, bulky, extra=[("media/extra.bin", bytes(300 * 1024 * 1024))])
    refused = manage("restore", str(bulky), "--yes", check=False)
    assert refused.returncode != 0 and "media/extra.bin" in refused.stderr

    # The first backup format, without a signature, is refused too.
    unsigned = tmp_path / "unsigned.tar.gz"
    with tarfile.open(unsigned, "w:gz") as out:
        content = json.dumps({"format": "livskvalitet-backup-1", "database": "sqlite"}).encode()
        info = tarfile.TarInfo("manifest.json")
        info.size = len(content)
        out.addfile(info, io.BytesIO(content))
        info = tarfile.TarInfo("database.sqlite3")
        info.size = len(forged)
        out.addfile(info, io.BytesIO(forged))
    refused = manage("restore", str(unsigned), "--yes", check=False)
    assert refused.returncode != 0 and "database.sqlite3" in refused.stderr

    assert state(manage, tmp_path) == before
    assert "inkräktare" not in manage("shell", "-c", USERS).stdout
    assert manage("restore", str(backup), "--yes").returncode == 0  # the real one still works


USERS = (
    "from django.contrib.auth.models import User; "
    "print(list(User.objects.values_list('username', flat=True)))"
)
