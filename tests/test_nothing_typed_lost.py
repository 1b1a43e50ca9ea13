"""Nothing typed or chosen is lost (issue 20): a refused attachment leaves the text and the
acceptable files saved, and says which file was refused and why."""

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from reporting.models import Contribution

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_a_refused_file_leaves_the_text_and_the_good_file_saved(client, reporter_a, contribution_a):
    client.force_login(reporter_a)
    url = reverse("reporting:contribution-edit", args=[contribution_a.pk])
    response = client.post(
        url,
        {
            "version": contribution_a.version,
            "actions-TOTAL_FORMS": "0",
            "actions-INITIAL_FORMS": "0",
            "actions-MIN_NUM_FORMS": "0",
            "actions-MAX_NUM_FORMS": "1000",
            "done": "Vi har bytt till elbilar.",
            "attachments": [
                SimpleUploadedFile("diagram.png", PNG),
                SimpleUploadedFile("program.exe", b"MZ\x90\x00"),
            ],
            "submit": "1",
        },
    )
    assert response.status_code == 302 and response["Location"] == url
    contribution = Contribution.objects.get(pk=contribution_a.pk)
    assert contribution.done == "Vi har bytt till elbilar."
    assert [a.name for a in contribution.attachments.all()] == ["diagram.png"]
    assert contribution.state == Contribution.State.DRAFT  # not handed on with a file missing
    (message,) = [str(m) for m in get_messages(response.wsgi_request)]
    assert "Utkastet är sparat, men de här filerna bifogades inte" in message
    assert "program.exe" in message and "diagram.png" not in message
