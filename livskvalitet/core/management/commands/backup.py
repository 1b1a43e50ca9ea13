import datetime
import hashlib
import hmac
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from livskvalitet.core.storage import PASSING_THROUGH, stored_names

FORMAT = "livskvalitet-backup-2"
MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
# What a signed manifest may weigh: read whole before anything else is trusted.
MANIFEST_MAX_BYTES = 16 * 1024 * 1024


def backup_key() -> bytes:
    """The installation's key for signing backups (BACKUP_KEY; without it, one derived
    from SECRET_KEY, so that a new SECRET_KEY also makes older backups foreign)."""
    if settings.BACKUP_KEY:
        return settings.BACKUP_KEY.encode()
    return salted_hmac("livskvalitet.backup", "key", algorithm="sha256").digest()


def signature(manifest: bytes) -> str:
    """HMAC-SHA256 of the manifest's exact bytes with the installation's key."""
    return hmac.new(backup_key(), manifest, hashlib.sha256).hexdigest()


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


def run_postgresql_tool(command: list[str]) -> None:
    """pg_dump or pg_restore (from PATH) on the app's database; a missing or failing tool
    is a message, not a traceback."""
    try:
        subprocess.run(  # noqa: S603 - PostgreSQL's own tool (from PATH), our arguments
            command, env=pg_environment(), check=True
        )
    except FileNotFoundError:
        raise CommandError(
            _(
                "%(tool)s was not found: install PostgreSQL's client tools, of the database "
                "server's version."
            )
            % {"tool": command[0]}
        ) from None
    except subprocess.CalledProcessError as error:
        raise CommandError(
            _("%(tool)s failed (exit status %(status)d); its message is above.")
            % {"tool": command[0], "status": error.returncode}
        ) from None


def safe_name(name: str) -> bool:
    """A stored file's name that stays inside the backup's folder when unpacked."""
    path = PurePosixPath(name)
    return bool(name) and not path.is_absolute() and ".." not in path.parts


def copy_stored_files(folder: Path) -> list[str]:
    """Every stored file (compiled reports, attachments), copied into the folder through
    the storage API: from MEDIA_ROOT or from the shared bucket alike. Files only passing
    through are not the app's data (PASSING_THROUGH)."""
    names = sorted(
        name for name in stored_names(default_storage) if not name.startswith(PASSING_THROUGH)
    )
    for name in names:
        if not safe_name(name):
            raise CommandError(
                _("A stored file has a name a backup cannot hold: %(name)s") % {"name": name}
            )
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        with default_storage.open(name, "rb") as source, target.open("wb") as copy:
            shutil.copyfileobj(source, copy, 1 << 20)
    return names


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class Command(BaseCommand):
    help = (
        "Back up the database and the stored files (compiled reports, attachments; from "
        "MEDIA_ROOT or the S3 bucket) into one file, signed with the installation's key "
        "(BACKUP_KEY); `restore` puts them back exactly. PostgreSQL is dumped with pg_dump, "
        "SQLite copied with its backup API."
    )

    def add_arguments(self, parser):
        parser.add_argument("output", help="The backup file to write (.tar.gz).")

    def handle(self, *args, output, **options):
        kind = database_kind()
        path = Path(output)
        if path.is_dir() or not path.parent.is_dir():
            raise CommandError(_("Cannot write %(path)s: no such folder.") % {"path": path})
        with tempfile.TemporaryDirectory() as work:
            dump = Path(work) / ("database.dump" if kind == "postgresql" else "database.sqlite3")
            if kind == "postgresql":
                run_postgresql_tool(
                    ["pg_dump", "--format=custom", "--no-owner", "--file", str(dump)]
                )
            else:
                source = sqlite3.connect(settings.DATABASES["default"]["NAME"])
                target = sqlite3.connect(dump)
                with target:
                    source.backup(target)
                source.close()
                target.close()
            media = Path(work) / "media"
            files = copy_stored_files(media)
            # Every member the archive holds after the manifest and its signature, with
            # its size and checksum: restore takes nothing else, and no more of anything.
            members = {dump.name: dump, **{f"media/{name}": media / name for name in files}}
            manifest = {
                "format": FORMAT,
                "database": kind,
                "created": datetime.datetime.now(datetime.UTC).isoformat(),
                "members": {
                    name: {"size": source.stat().st_size, "sha256": sha256(source)}
                    for name, source in members.items()
                },
            }
            data = json.dumps(manifest, indent=1).encode()
            partial = path.with_name(path.name + ".part")
            # Every user's data: readable by the owner only, whatever the umask.
            descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            os.fchmod(descriptor, 0o600)
            with (
                os.fdopen(descriptor, "wb") as handle,
                tarfile.open(fileobj=handle, mode="w:gz") as archive,
            ):
                for name, content in ((MANIFEST, data), (SIGNATURE, signature(data).encode())):
                    info = tarfile.TarInfo(name)
                    info.size = len(content)
                    archive.addfile(info, io.BytesIO(content))
                for name, source in members.items():
                    archive.add(source, arcname=name)
            shutil.move(partial, path)  # no half backup if writing fails
        self.stdout.write(
            ngettext(
                "Backed up the database and %(count)d file to %(path)s.",
                "Backed up the database and %(count)d files to %(path)s.",
                len(files),
            )
            % {"count": len(files), "path": path}
        )
