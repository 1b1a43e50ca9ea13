import json
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from livskvalitet.core.storage import stored_names

from .backup import FORMAT, database_kind, pg_environment, safe_name, sha256


class Command(BaseCommand):
    help = (
        "Restore a backup made by `backup`: the database and the stored files are replaced by "
        "the backup's, exactly. Everything written since is lost, so it asks for --yes."
    )

    def add_arguments(self, parser):
        parser.add_argument("backup", help="The backup file (.tar.gz) to restore.")
        parser.add_argument(
            "--yes", action="store_true", help="Replace the database and the files."
        )

    def handle(self, *args, backup, yes=False, **options):
        kind = database_kind()
        if not yes:
            raise CommandError(
                _(
                    "Restoring replaces the database and every stored file with the backup's; "
                    "what was written since is lost. Run again with --yes to do it."
                )
            )
        with tempfile.TemporaryDirectory() as work:
            work = Path(work)
            manifest = self.unpack(Path(backup), work)
            if manifest.get("format") != FORMAT or manifest.get("database") != kind:
                raise CommandError(
                    _("%(path)s is not a backup of a %(kind)s database of this app.")
                    % {"path": backup, "kind": kind}
                )
            dump = work / ("database.dump" if kind == "postgresql" else "database.sqlite3")
            checked = {"database": (dump, manifest["database_sha256"])}
            for name, digest in manifest["files"].items():
                if not safe_name(name):
                    raise CommandError(
                        _("%(path)s holds something a backup never does: %(name)s")
                        % {"path": backup, "name": name}
                    )
                checked[name] = (work / "media" / name, digest)
            damaged = [name for name, (path, digest) in checked.items()
                       if not path.is_file() or sha256(path) != digest]  # fmt: skip
            if damaged:
                raise CommandError(
                    _("The backup is damaged; nothing was changed. Not as backed up: %(names)s")
                    % {"names": ", ".join(damaged[:10])}
                )
            connections.close_all()
            if kind == "postgresql":
                command = ["pg_restore", "--clean", "--if-exists", "--no-owner",
                           "--single-transaction", "--dbname", pg_environment()["PGDATABASE"],
                           str(dump)]  # fmt: skip
                subprocess.run(  # noqa: S603 - PostgreSQL's own tool (from PATH), our arguments
                    command, env=pg_environment(), check=True
                )
            else:
                source = sqlite3.connect(dump)
                target = sqlite3.connect(settings.DATABASES["default"]["NAME"])
                with target:
                    source.backup(target)
                source.close()
                target.close()
            self.replace_stored_files(manifest["files"], work / "media")
        count = len(manifest["files"])
        self.stdout.write(
            ngettext(
                "Restored the database and %(count)d file from %(path)s.",
                "Restored the database and %(count)d files from %(path)s.",
                count,
            )
            % {"count": count, "path": backup}
        )

    def unpack(self, path: Path, work: Path) -> dict:
        """The backup's members, unpacked where nothing can escape the folder."""
        try:
            with tarfile.open(path, "r:gz") as archive:
                for member in archive.getmembers():
                    name = PurePosixPath(member.name)
                    escapes = name.is_absolute() or ".." in name.parts
                    if escapes or not (member.isfile() or member.isdir()):
                        raise CommandError(
                            _("%(path)s holds something a backup never does: %(name)s")
                            % {"path": path, "name": member.name}
                        )
                archive.extractall(work, filter="data")
            return json.loads((work / "manifest.json").read_text("utf-8"))
        except (OSError, tarfile.TarError, json.JSONDecodeError, KeyError):
            raise CommandError(
                _("%(path)s cannot be read as a backup; nothing was changed.") % {"path": path}
            ) from None

    def replace_stored_files(self, names, folder: Path) -> None:
        """The stored files become exactly the backup's, through the storage API (in
        MEDIA_ROOT or the S3 bucket alike): every file there now is deleted, then the
        backup's are written under their own names."""
        for name in list(stored_names(default_storage)):
            default_storage.delete(name)
        for name in names:
            with (folder / name).open("rb") as handle:
                saved = default_storage.save(name, File(handle))
            if saved != name:  # the storage chose another name: the rows would not find it
                raise CommandError(
                    _("%(name)s could not be restored under its own name.") % {"name": name}
                )
