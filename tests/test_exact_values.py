"""Issue 24, point 5: values are stored as given or refused (on SQLite as on PostgreSQL),
an unchanged value is never "updated", and a file that is one page of several says which
pages are missing."""

from decimal import Context, Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from programme.indicators import values_import
from programme.kolada import KoladaValue, missing_pages
from programme.models import IndicatorValue
from programme.resources import MissingOrNumberWidget
from programme.transfer import ImportRejected

DATA = Path(__file__).parent / "data" / "kolada"
PAGES = [DATA / f"page{n}.json" for n in (1, 2, 3)]


def value(text):
    return [KoladaValue("N00401", "1283", 2024, "T", Decimal(text), "", 1)]


@pytest.mark.parametrize("text", ["12345678901234567890", "1234567890.123456789"])
def test_a_value_the_database_cannot_keep_is_refused_and_one_it_can_is_kept_exactly(
    programme_data, client, text
):
    if connection.vendor == "sqlite":
        with pytest.raises(ImportRejected) as refused:
            values_import(value(text))
        (message,) = refused.value.messages
        assert text in message and "15" in message and "SQLite" in message
        assert not IndicatorValue.objects.exists()
    else:
        values_import(value(text))
        assert IndicatorValue.objects.get().value == Decimal(text)
        assert values_import(value(text)).unchanged == 1  # never "updated" again
    assert client.get(reverse("programme:statistics")).status_code == 200
    assert client.get("/api/v1/values/").status_code == 200


def test_fifteen_digits_are_kept_exactly_and_the_same_value_again_changes_nothing(
    programme_data,
):
    for text in ["123456789012345", "0.000000000000000001", "-98765.4321098765"]:
        IndicatorValue.objects.all().delete()
        values_import(value(text))
        assert IndicatorValue.objects.get().value == Decimal(text)
        summary = values_import(value(text))
        assert (summary.updated, summary.unchanged) == (0, 1)


def test_a_page_read_alone_says_which_pages_are_missing():
    assert missing_pages(PAGES) == []
    (alone,) = missing_pages([PAGES[1]])
    assert "page2.json" in alone and "sidorna 1, 3" in alone
    (first,) = missing_pages([PAGES[0]])
    assert "sidorna 2" in first and "och kanske senare" in first
    (last,) = missing_pages([PAGES[0], PAGES[2]])
    assert "sidorna 2 " in last and "kanske" not in last


def test_the_import_warns_of_missing_pages_and_still_imports_what_it_has(programme_data):
    out, errors = StringIO(), StringIO()
    call_command("import_kolada", str(PAGES[0]), stdout=out, stderr=errors)
    assert "Varning:" in errors.getvalue() and "sidorna 2" in errors.getvalue()
    assert IndicatorValue.objects.exists()
    errors = StringIO()
    call_command("import_kolada", *map(str, PAGES), stdout=StringIO(), stderr=errors)
    assert errors.getvalue() == ""


@pytest.mark.parametrize(
    "text",
    [
        "12345678901234567890.123456789012345678",  # 38 digits: more than Decimal's 28
        "0.000000000000000001",
        "425",
        "-98765.4321098765",
    ],
)
def test_an_exported_value_is_written_as_stored(text):
    stored = Decimal(text).quantize(Decimal("1e-18"), context=Context(prec=38))  # as stored
    assert MissingOrNumberWidget().render(stored) == text
