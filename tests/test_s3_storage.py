"""Stored files in a shared S3-compatible bucket: moto's server mode, started as its own
process on a free loopback port, with a private bucket the app is pointed at.

Attachments and compiled reports (a real PDF from the compile service) land in the
bucket; they are read only through the app's views, by those allowed; the bucket's
objects cannot be read without credentials; /healthz/ checks the bucket (and fails if it
is public); backup and restore, run as their own processes from the environment, round
trip through the bucket.
"""

import hashlib
import io
import json
import os
import socket
import subprocess
import sys
import tarfile
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path

import boto3
import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader

from livskvalitet.core.storage import PrivateS3Storage, stored_names
from livskvalitet.settings import default_storage_settings
from reporting import services
from reporting.models import Report
from reporting.report.compile import report_publish
from tests.factories import compile_report, fill, form_data

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
REGION = "eu-north-1"
KEYS = {"AWS_ACCESS_KEY_ID": "livskvalitet-test", "AWS_SECRET_ACCESS_KEY": "not-a-secret"}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def s3_server():
    """moto in server mode: a real S3-compatible HTTP server in its own process."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 30
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            assert process.poll() is None, process.stderr.read()
            assert time.monotonic() < deadline, "moto_server did not start"
            time.sleep(0.1)
    yield f"http://127.0.0.1:{port}"
    process.terminate()
    process.wait(timeout=10)


@dataclass
class Bucket:
    name: str
    endpoint: str
    client: object
    env: dict

    def objects(self) -> list[str]:
        listed = self.client.list_objects_v2(Bucket=self.name)
        return sorted(entry["Key"] for entry in listed.get("Contents", []))

    def read(self, key: str) -> bytes:
        return self.client.get_object(Bucket=self.name, Key=key)["Body"].read()

    def anonymous_get(self, key: str) -> int:
        """What anybody on the network gets asking the S3 server for the object."""
        try:
            with urllib.request.urlopen(f"{self.endpoint}/{self.name}/{key}") as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code


@pytest.fixture
def bucket(s3_server, settings):
    """A new private bucket, and the app's storage set to it as the environment would."""
    name = f"livskvalitet-{uuid.uuid4().hex[:12]}"
    client = boto3.client(
        "s3",
        endpoint_url=s3_server,
        region_name=REGION,
        aws_access_key_id=KEYS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=KEYS["AWS_SECRET_ACCESS_KEY"],
    )
    client.create_bucket(
        Bucket=name, ACL="private", CreateBucketConfiguration={"LocationConstraint": REGION}
    )
    env = {
        "STORAGE_BACKEND": "s3",
        "AWS_STORAGE_BUCKET_NAME": name,
        "AWS_S3_ENDPOINT_URL": s3_server,
        "AWS_S3_REGION_NAME": REGION,
        **KEYS,
    }
    settings.STORAGES = {**settings.STORAGES, "default": default_storage_settings(env)}
    assert default_storage.bucket_name == name  # the lazy storage rebuilt from the setting
    return Bucket(name, s3_server, client, env)


@pytest.fixture(autouse=True)
def storage_checked_anew():
    from livskvalitet import views

    views._storage_checked["at"] = 0.0


def test_settings_choose_the_storage_from_the_environment():
    assert default_storage_settings({}) == {
        "BACKEND": "django.core.files.storage.FileSystemStorage"
    }
    s3 = default_storage_settings(
        {"AWS_STORAGE_BUCKET_NAME": "rapporter", "AWS_S3_REGION_NAME": REGION, **KEYS}
    )  # a bucket named is enough
    assert s3["BACKEND"] == "livskvalitet.core.storage.PrivateS3Storage"
    assert s3["OPTIONS"] == {
        "bucket_name": "rapporter",
        "region_name": REGION,
        "access_key": KEYS["AWS_ACCESS_KEY_ID"],
        "secret_key": KEYS["AWS_SECRET_ACCESS_KEY"],
    }
    storage = PrivateS3Storage(**s3["OPTIONS"])
    assert storage.default_acl is None and storage.querystring_auth is True
    assert storage.file_overwrite is False and storage.custom_domain is None
    with pytest.raises(ImproperlyConfigured, match="AWS_STORAGE_BUCKET_NAME"):
        default_storage_settings({"STORAGE_BACKEND": "s3"})
    with pytest.raises(ImproperlyConfigured, match="filesystem or s3"):
        default_storage_settings({"STORAGE_BACKEND": "ftp"})
    assert default_storage_settings(
        {"STORAGE_BACKEND": "filesystem", "AWS_STORAGE_BUCKET_NAME": "x"}
    )["BACKEND"].endswith("FileSystemStorage")


def test_an_attachment_is_stored_in_the_bucket_and_read_only_through_the_app(
    bucket, client, approver_a, reporter_b, strategist, contribution_a
):
    data = b"%PDF-1.7\n% the plan\n" + os.urandom(64)
    client.force_login(approver_a)
    edit = reverse("reporting:contribution-edit", args=[contribution_a.pk])
    client.post(
        edit, {**form_data(contribution_a), "attachments": SimpleUploadedFile("plan.pdf", data)}
    )
    attachment = contribution_a.attachments.get()
    key = attachment.file.name
    assert key.startswith(f"attachments/contribution-{contribution_a.pk}/")
    assert bucket.objects() == [key] and bucket.read(key) == data  # in the bucket, whole
    assert bucket.anonymous_get(key) == 403  # not readable from the bucket without keys
    with pytest.raises(NotImplementedError):
        attachment.file.url  # noqa: B018 - never a link to the bucket

    url = reverse("reporting:attachment-download", args=[contribution_a.pk, attachment.pk])
    response = client.get(url)  # the approver, from the bucket through the app
    assert response.status_code == 200 and "Location" not in response
    assert b"".join(response.streaming_content) == data
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    for outsider in (reporter_b, strategist):  # another organisation; a draft not handed over
        client.force_login(outsider)
        assert client.get(url).status_code == 404
    client.logout()
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and reverse("login") in anonymous["Location"]

    contribution_a.refresh_from_db()
    fill(contribution_a, approver_a)
    services.contribution_submit(contribution=contribution_a, by=approver_a)
    client.force_login(strategist)  # handed over: now the strategist reads it
    assert b"".join(client.get(url).streaming_content) == data
    client.force_login(reporter_b)
    assert client.get(url).status_code == 404


def test_a_compiled_report_is_stored_in_the_bucket_and_read_only_by_its_readers(
    bucket,
    client,
    approved,
    strategist,
    reporter_a,
    django_capture_on_commit_callbacks,  # noqa: F811
):
    report = compile_report(approved.cycle, strategist, django_capture_on_commit_callbacks)
    assert report.status == Report.Status.DONE, report.error
    base = f"reports/cycle-{report.cycle_id}/report-{report.number}"
    assert bucket.objects() == [f"{base}.docx", f"{base}.html", f"{base}.pdf"]
    stored_pdf = bucket.read(f"{base}.pdf")
    assert stored_pdf.startswith(b"%PDF-")
    assert hashlib.sha256(stored_pdf).hexdigest() == report.checksum
    assert len(PdfReader(io.BytesIO(stored_pdf)).pages) == report.page_count
    assert all(bucket.anonymous_get(key) == 403 for key in bucket.objects())

    download = reverse("reporting:report-download", args=[report.cycle_id, report.number])
    html = reverse("reporting:report-edition", args=[report.cycle_id, report.number, "html"])
    docx = reverse("reporting:report-edition", args=[report.cycle_id, report.number, "docx"])
    client.force_login(strategist)
    response = client.get(download)
    assert response.status_code == 200 and "Location" not in response
    assert b"".join(response.streaming_content) == stored_pdf
    assert client.get(html).content == bucket.read(f"{base}.html")
    assert b"".join(client.get(docx).streaming_content) == bucket.read(f"{base}.docx")

    # Not published: only strategists read it; a reporter and the public are refused.
    for reader in (reporter_a, None):
        if reader is None:
            client.logout()
        else:
            client.force_login(reader)
        assert [client.get(u).status_code for u in (download, html, docx)] == [404] * 3

    report_publish(
        report=report, by=strategist, accept_gaps=True
    )  # a public document: still through the app
    client.logout()
    response = client.get(download)
    assert response.status_code == 200 and "Location" not in response
    assert b"".join(response.streaming_content) == stored_pdf
    assert bucket.anonymous_get(f"{base}.pdf") == 403  # the bucket stays private


def test_healthz_checks_the_bucket_and_fails_when_it_is_public(bucket, client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200, response.content
    assert response.json()["checks"]["storage"] == {"ok": True}
    assert bucket.objects() == []  # its probe written, read back and deleted

    bucket.client.put_bucket_policy(
        Bucket=bucket.name,
        Policy=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": "*",
                        "Action": "s3:GetObject",
                        "Resource": f"arn:aws:s3:::{bucket.name}/*",
                    }
                ],
            }
        ),
    )
    bucket.client.put_object(Bucket=bucket.name, Key="control.txt", Body=b"public now")
    assert bucket.anonymous_get("control.txt") == 200  # what the 403s above would have been
    bucket.client.delete_object(Bucket=bucket.name, Key="control.txt")
    from livskvalitet import views

    views._storage_checked["at"] = 0.0
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["checks"]["storage"] == {"ok": False, "error": "StorageIsPublic"}
    assert bucket.objects() == []


def test_healthz_without_the_s3_server_is_503(client, settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": default_storage_settings(
            {
                "AWS_STORAGE_BUCKET_NAME": "nowhere",
                "AWS_S3_ENDPOINT_URL": f"http://127.0.0.1:{free_port()}",
                "AWS_S3_REGION_NAME": REGION,
                **KEYS,
            }
        ),
    }
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["checks"]["storage"]["ok"] is False


def test_backup_and_restore_round_trip_through_the_bucket(bucket, tmp_path):
    """The real commands, in their own processes, configured from the environment only."""
    env = (
        os.environ
        | bucket.env
        | {
            "DATABASE_URL": f"sqlite:///{tmp_path / 'site.sqlite3'}",
            "MEDIA_ROOT": str(tmp_path / "no-media-here"),  # must not be used
            "DEBUG": "true",
        }
    )

    def manage(*args):
        return subprocess.run(
            [sys.executable, str(ROOT / "manage.py"), *args],
            env=env, cwd=ROOT, capture_output=True, text=True, check=True,
        )  # fmt: skip

    def state():
        data = manage("dumpdata", "programme", "reporting", "--indent", "0").stdout
        return data, {key: bucket.read(key) for key in bucket.objects()}

    manage("migrate", "--no-input", "-v", "0")
    manage("load_programme")
    files = {
        "reports/cycle-1/report-1.pdf": b"%PDF-1.7 the compiled report",
        "attachments/contribution-1/plan.docx": os.urandom(3 * 1024 * 1024),  # multipart
    }
    for key, data in files.items():
        bucket.client.put_object(Bucket=bucket.name, Key=key, Body=data)
    before = state()
    bucket.client.put_object(Bucket=bucket.name, Key="healthz/probe.txt", Body=b"ok")
    made = manage("backup", str(tmp_path / "backup.tar.gz"))
    assert "och 2 filer till" in made.stdout
    with tarfile.open(tmp_path / "backup.tar.gz") as archive:
        manifest = json.loads(archive.extractfile("manifest.json").read())
        assert (
            archive.extractfile("media/reports/cycle-1/report-1.pdf").read()
            == files["reports/cycle-1/report-1.pdf"]
        )
    stored = [
        name.removeprefix("media/") for name in manifest["members"] if name != "database.sqlite3"
    ]
    assert sorted(stored) == sorted(files)  # not /healthz/'s probe
    assert not (tmp_path / "no-media-here").exists()

    manage(
        "shell", "-c", "from programme.models import Indicator; Indicator.objects.all().delete()"
    )
    bucket.client.put_object(Bucket=bucket.name, Key="reports/cycle-1/report-1.pdf", Body=b"x")
    bucket.client.put_object(Bucket=bucket.name, Key="stray.txt", Body=b"after the backup")
    bucket.client.delete_object(Bucket=bucket.name, Key="attachments/contribution-1/plan.docx")
    assert state() != before
    restored = manage("restore", str(tmp_path / "backup.tar.gz"), "--yes")
    assert "och 2 filer från" in restored.stdout
    assert state() == before  # the database and the bucket exactly as backed up
    assert all(bucket.anonymous_get(key) == 403 for key in files)
    assert not (tmp_path / "no-media-here").exists()


def test_stored_names_lists_a_folder_and_a_bucket_alike(bucket, settings, tmp_path):
    from django.core.files.base import ContentFile
    from django.core.files.storage import FileSystemStorage

    folder = FileSystemStorage(location=tmp_path / "media")
    assert list(stored_names(folder)) == []  # the folder is not made yet
    for storage in (folder, default_storage):
        for name in ("b/c/d.txt", "a.txt", "b/e.txt"):
            storage.save(name, ContentFile(b"x"))
        assert sorted(stored_names(storage)) == ["a.txt", "b/c/d.txt", "b/e.txt"]
    assert bucket.objects() == ["a.txt", "b/c/d.txt", "b/e.txt"]
