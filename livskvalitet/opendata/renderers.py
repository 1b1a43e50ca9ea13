"""CSV for the open data API: one row per item, one column per field, safe in spreadsheets.

The columns come from the view's serializer, so that a list has the same header whatever
it holds (also when it is empty). A nested object becomes columns of its own
("cycle.title"); a list of numbers or codes is one cell joined with ";"; a list of
objects (a contribution's actions) is one cell of JSON. A cell that a spreadsheet would
run as a formula gets a leading apostrophe; numbers, also negative ones, stay numbers.
"""

import csv
import io
import json
import re
from decimal import Decimal

from rest_framework import serializers
from rest_framework.renderers import BaseRenderer

from programme.resources import FORMULA_TRIGGERS

NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


def neutralised(text: str) -> str:
    """The text, prefixed with ' if a spreadsheet would read it as a formula."""
    if text.startswith(FORMULA_TRIGGERS) and not NUMBER.match(text):
        return "'" + text
    return text


def cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        if all(not isinstance(item, dict | list | tuple) for item in value):
            return ";".join(neutralised("" if item is None else str(item)) for item in value)
        return neutralised(json.dumps(value, ensure_ascii=False, default=str))
    if isinstance(value, dict):
        return neutralised(json.dumps(value, ensure_ascii=False, default=str))
    if isinstance(value, Decimal):
        return format(value, "f")
    return neutralised(str(value))


def columns(serializer, prefix: str = "") -> list[str]:
    """The dotted names of a serializer's fields; a nested object's fields are expanded."""
    names = []
    for name, field in serializer.fields.items():
        if isinstance(field, serializers.Serializer):
            names.extend(columns(field, f"{prefix}{name}."))
        else:
            names.append(prefix + name)
    return names


def value_at(item, path: str):
    for part in path.split("."):
        if not isinstance(item, dict):
            return None
        item = item.get(part)
    return item


class CSVRenderer(BaseRenderer):
    """A list (paged or not) as CSV in UTF-8 with a byte-order mark, which spreadsheet
    programmes need to read å, ä and ö; anything else (an error) as one row."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        renderer_context = renderer_context or {}
        if isinstance(data, dict) and isinstance(data.get("results"), list):
            rows = data["results"]
        elif isinstance(data, list):
            rows = data
        else:
            rows = [data or {}]
        header = self.header(rows, renderer_context)
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(header)
        for row in rows:
            writer.writerow([cell(value_at(row, name)) for name in header])
        return ("\ufeff" + out.getvalue()).encode(self.charset)

    @staticmethod
    def header(rows, renderer_context) -> list[str]:
        view = renderer_context.get("view")
        response = renderer_context.get("response")
        ok = response is None or response.status_code < 400
        if ok and view is not None and hasattr(view, "get_serializer"):
            return columns(view.get_serializer())
        names = []
        for row in rows:
            for name in row if isinstance(row, dict) else ():
                if name not in names:
                    names.append(name)
        return names
