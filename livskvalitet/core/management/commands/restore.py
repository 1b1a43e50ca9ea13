import hashlib
import hmac
import json
import sqlite3
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from livskvalitet.core.storage import stored_names

from .backup import (
    FORMAT,
    MANIFEST,
    MANIFEST_MAX_BYTES,
    SIGNATURE,
    database_kind,
    pg_environment,
    run_postgresql_tool,
    safe_name,
    signature,
)


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
            dump_name = "database.dump" if kind == "postgresql" else "database.sqlite3"
            if (
                manifest.get("format") != FORMAT
                or manifest.get("database") != kind
                or dump_name not in manifest["members"]
            ):
                raise CommandError(
                    _("%(path)s is not a backup of a %(kind)s database of this app.")
                    % {"path": backup, "kind": kind}
                )
            dump = work / dump_name
            files = [
                name.removeprefix("media/") for name in manifest["members"] if name != dump_name
            ]
            connections.close_all()
            if kind == "postgresql":
                command = ["pg_restore", "--clean", "--if-exists", "--no-owner",
                           "--single-transaction", "--dbname", pg_environment()["PGDATABASE"],
                           str(dump)]  # fmt: skip
                run_postgresql_tool(command)
            else:
                source = sqlite3.connect(dump)
                target = sqlite3.connect(settings.DATABASES["default"]["NAME"])
                with target:
                    source.backup(target)
                source.close()
                target.close()
            self.replace_stored_files(files, work / "media")
        count = len(files)
        self.stdout.write(
            ngettext(
                "Restored the database and %(count)d file from %(path)s.",
                "Restored the database and %(count)d files from %(path)s.",
                count,
            )
            % {"count": count, "path": backup}
        )

    def unpack(self, path: Path, work: Path) -> dict:
        """The backup's members, checked as they are read, in the archive's order: first
        the manifest, signed with this installation's key (BACKUP_KEY), then only the
        members it names, each of the size and checksum it gives. Nothing else is written
        anywhere: a member it does not name, or a larger one, ends the restore there."""
        try:
            with tarfile.open(path, "r|gz") as archive:  # a stream: one member after another
                members = iter(archive)
                data = self.small_member(archive, members, MANIFEST, path)
                signed = self.small_member(archive, members, SIGNATURE, path).decode("ascii")
                if not hmac.compare_digest(signed, signature(data)):
                    raise CommandError(
                        _(
                            "%(path)s is not signed by this installation (made elsewhere, "
                            "with another BACKUP_KEY, or changed since); nothing was changed."
                        )
                        % {"path": path}
                    )
                manifest = json.loads(data)
                expected = self.expected_members(manifest, path)
                written = set()
                for member in members:
                    declared = expected.get(member.name)
                    if declared is None or member.name in written or not member.isfile():
                        raise self.foreign(path, member.name)
                    if member.size != declared["size"] or not self.copy(
                        archive.extractfile(member), work / member.name, declared["sha256"]
                    ):
                        raise self.damaged([member.name])
                    written.add(member.name)
                missing = sorted(set(expected) - written)
                if missing:
                    raise self.damaged(missing)
            return manifest
        except (OSError, tarfile.TarError, ValueError, KeyError, TypeError, AttributeError):
            raise CommandError(
                _("%(path)s cannot be read as a backup; nothing was changed.") % {"path": path}
            ) from None

    def small_member(self, archive, members, name: str, path: Path) -> bytes:
        member = next(members, None)
        if member is None or member.name != name or not member.isfile():
            raise self.foreign(path, member.name if member else "–")
        if member.size > MANIFEST_MAX_BYTES:
            raise self.foreign(path, name)
        return archive.extractfile(member).read()

    def expected_members(self, manifest: dict, path: Path) -> dict:
        members = manifest["members"]
        for name, declared in members.items():
            inside = name in ("database.dump", "database.sqlite3") or (
                name.startswith("media/") and safe_name(name.removeprefix("media/"))
            )
            if not inside or not isinstance(declared["size"], int) or declared["size"] < 0:
                raise self.foreign(path, name)
        return members

    @staticmethod
    def copy(source, target: Path, digest: str) -> bool:
        """Write the member's bytes and say whether they are the ones backed up."""
        target.parent.mkdir(parents=True, exist_ok=True)
        checksum = hashlib.sha256()
        with target.open("wb") as copy:
            for block in iter(lambda: source.read(1 << 20), b""):
                checksum.update(block)
                copy.write(block)
        return hmac.compare_digest(checksum.hexdigest(), digest)

    @staticmethod
    def foreign(path, name) -> CommandError:
        return CommandError(
            _("%(path)s holds something a backup never does: %(name)s")
            % {"path": path, "name": name}
        )

    @staticmethod
    def damaged(names) -> CommandError:
        return CommandError(
            _("The backup is damaged; nothing was changed. Not as backed up: %(names)s")
            % {"names": ", ".join(names[:10])}
        )

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
