import datetime
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

FORMAT = "livskvalitet-backup-1"


def database_kind() -> str:
    vendor = connection.vendor
    if vendor not in {"postgresql", "sqlite"}:
        raise CommandError(
            _("Backups know PostgreSQL and SQLite, not %(vendor)s.") % {"vendor": vendor}
        )
    return vendor


def pg_environment() -> dict:
    database = settings.DATABASES["default"]
    env = {**os.environ}
    for key, variable in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"),
                          ("PASSWORD", "PGPASSWORD"), ("NAME", "PGDATABASE")):  # fmt: skip
        if database.get(key):
            env[variable] = str(database[key])
    return env


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class Command(BaseCommand):
    help = (
        "Back up the database and the stored files (compiled reports, attachments) into one "
        "file; `restore` puts them back exactly. PostgreSQL is dumped with pg_dump, SQLite "
        "copied with its backup API."
    )

    def add_arguments(self, parser):
        parser.add_argument("output", help="The backup file to write (.tar.gz).")

    def handle(self, *args, output, **options):
        kind = database_kind()
        path = Path(output)
        if path.is_dir() or not path.parent.is_dir():
            raise CommandError(_("Cannot write %(path)s: no such folder.") % {"path": path})
        media = Path(settings.MEDIA_ROOT)
        with tempfile.TemporaryDirectory() as work:
            dump = Path(work) / ("database.dump" if kind == "postgresql" else "database.sqlite3")
            if kind == "postgresql":
                command = ["pg_dump", "--format=custom", "--no-owner", "--file", str(dump)]
                subprocess.run(  # noqa: S603 - PostgreSQL's own tool (from PATH), our arguments
                    command,
                    env=pg_environment(),
                    check=True,
                )
            else:
                source = sqlite3.connect(settings.DATABASES["default"]["NAME"])
                target = sqlite3.connect(dump)
                with target:
                    source.backup(target)
                source.close()
                target.close()
            files = sorted(p for p in media.rglob("*") if p.is_file()) if media.is_dir() else []
            manifest = {
                "format": FORMAT,
                "database": kind,
                "created": datetime.datetime.now(datetime.UTC).isoformat(),
                "database_sha256": sha256(dump),
                "files": {str(p.relative_to(media)): sha256(p) for p in files},
            }
            partial = path.with_name(path.name + ".part")
            with tarfile.open(partial, "w:gz") as archive:
                data = json.dumps(manifest, indent=1).encode()
                info = tarfile.TarInfo("manifest.json")
                info.size = len(data)
                archive.addfile(info, io.BytesIO(data))
                archive.add(dump, arcname=dump.name)
                for file in files:
                    archive.add(file, arcname=f"media/{file.relative_to(media)}")
            shutil.move(partial, path)  # no half backup if writing fails
        self.stdout.write(
            ngettext(
                "Backed up the database and %(count)d file to %(path)s.",
                "Backed up the database and %(count)d files to %(path)s.",
                len(files),
            )
            % {"count": len(files), "path": path}
        )
