"""Where compiled reports and attachments are stored: a folder on this server (the
default) or a private S3-compatible bucket that several servers share.

Either way files are read and written only through Django's storage API, and readers get
them only through the app's views, after the permission check: a stored file is never
linked to directly. With S3 that is enforced here: the bucket's objects are written
without an ACL (private, as S3 makes them), ``url()`` refuses, and /healthz/ fails if the
bucket lets anybody read them without credentials.
"""

import posixpath
from collections.abc import Iterator
from datetime import timedelta

from botocore.exceptions import ClientError
from django.conf import settings
from django.core.files.storage import default_storage
from django.utils import timezone
from storages.backends.s3 import S3Storage


class PrivateS3Storage(S3Storage):
    """S3Storage that keeps its files private and never hands out a link to them."""

    def get_default_settings(self):
        return {
            **super().get_default_settings(),
            "default_acl": None,  # the bucket's own: private unless someone made it public
            "querystring_auth": True,  # no unsigned URL, should one ever be made
            "querystring_expire": 60,
            "custom_domain": None,
            "file_overwrite": False,  # a name taken gets a new one, as on the file system
            # Files read (downloads, backups) are held in memory up to this, then on disk.
            "max_memory_size": 2 * 1024 * 1024,
        }

    def url(self, name, *args, **kwargs):
        raise NotImplementedError(
            "Stored files are private: serve them through the app's views, which check "
            "who may read them."
        )

    def readable_without_credentials(self, name: str) -> bool:
        """Whether an anonymous GET of a stored file succeeds (it must not)."""
        key = self._normalize_name(name)
        try:
            self.unsigned_connection.meta.client.get_object(Bucket=self.bucket_name, Key=key)
        except ClientError:
            return False
        return True


def stored_names(storage, folder: str = "") -> Iterator[str]:
    """Every file in the storage, by name, through the storage API (a folder or a bucket)."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:  # a storage folder not made yet holds nothing
        return
    for name in sorted(files):
        yield posixpath.join(folder, name) if folder else name
    for name in sorted(folders):
        yield from stored_names(storage, posixpath.join(folder, name) if folder else name)


# Stored files that only pass through: /healthz/'s probes (deleted moments after they are
# written) and the admin's imports waiting between their preview and their confirmation:
# a whole programme's workbook (programme/admin_import.py) and one table's file
# (django-import-export's MediaStorage, IMPORT_EXPORT_TMP_STORAGE_CLASS). Backups leave
# them out; the daily jobs remove those left behind.
PASSING_THROUGH = ("healthz/", "programme-imports/", "django-import-export/")


def remove_left_behind(folder: str) -> int:
    """Remove the files of a passing-through folder written before the oldest session that
    may still confirm them (SESSION_COOKIE_AGE); returns how many."""
    expired = timezone.now() - timedelta(seconds=settings.SESSION_COOKIE_AGE)
    removed = 0
    for name in stored_names(default_storage, folder):
        try:
            if default_storage.get_modified_time(name) < expired:
                default_storage.delete(name)
                removed += 1
        except (OSError, NotImplementedError):
            continue
    return removed
