"""The OpenAPI description, and the documentation page read from it."""

import functools
import json
import re

from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from drf_spectacular.generators import SchemaGenerator

from programme.models import Indicator
from programme.selectors import current_programme

from .selectors import published_reports


def without_csv_copies(endpoints, **kwargs):
    """drf-spectacular hook: the .csv addresses are the lists again, described once (with
    their format parameter)."""
    return [endpoint for endpoint in endpoints if not endpoint[0].endswith(".csv")]


def schema() -> dict:
    """The description in the active language. Read only: it is shared.

    It follows from the code alone, so each process builds it once a language (building
    it walks every view and serializer) instead of on every visit of the docs page."""
    return _schema(get_language())


@functools.cache
def _schema(language: str) -> dict:
    return SchemaGenerator().get_schema(request=None, public=True)


def examples() -> dict:
    """Real ids to try the detail addresses with, by the start of their path."""
    root = reverse("api:root")
    programme = current_programme()
    found = {}
    if programme is not None:
        area = programme.focus_areas.order_by("sort_key").values_list("code", flat=True).first()
        indicator = (
            Indicator.objects.filter(active=True, focus_area__programme=programme)
            .order_by("focus_area__sort_key", "title", "pk")
            .values_list("pk", flat=True)
            .first()
        )
        found[f"{root}focus-areas/{{code}}/"] = {"code": area}
        found[f"{root}indicators/{{id}}/"] = {"id": indicator}
    report = published_reports().values_list("pk", flat=True).first()
    found[f"{root}reports/{{id}}/"] = {"id": report}
    return found


def try_url(path: str, found: dict) -> str | None:
    """The path with real ids filled in, or None where there is nothing to try it with."""
    if "{" not in path:
        return path
    for start, values in found.items():
        if path.startswith(start.split("{")[0]) and all(v is not None for v in values.values()):
            filled = path
            for name, value in values.items():
                filled = filled.replace("{" + name + "}", str(value))
            if "{" not in filled:
                return filled
    return None


def resolved(node: dict, components: dict) -> dict:
    """A schema with its reference (or its one allOf reference) looked up, keeping what
    the field itself says (its description, nullable)."""
    if "$ref" in node:
        return resolved(components[node["$ref"].rsplit("/", 1)[-1]], components)
    if len(node.get("allOf", [])) == 1:
        inner = resolved(node["allOf"][0], components)
        return {**inner, **{k: v for k, v in node.items() if k != "allOf"}}
    # A choice that may also be empty: its choices and BlankEnum (the description says
    # what empty means).
    kinds = [
        part for part in node.get("oneOf", []) if resolved(part, components).get("enum") != [""]
    ]
    if "oneOf" in node and len(kinds) == 1:
        inner = resolved(kinds[0], components)
        return {**inner, **{k: v for k, v in node.items() if k != "oneOf"}}
    return node


# How drf-spectacular lists what an enum's choices mean: "* `T` - totalt".
CHOICE = re.compile(r"^\* `([^`]*)` - (.+)$", re.MULTILINE)


def kind(node: dict, components: dict) -> str:
    """A field's type as the documentation names it: "integer", "string: T, K, M",
    "array of integer", "Comparison", with "or null" where it may be null."""
    reference = node.get("$ref") or next(
        (part["$ref"] for part in node.get("allOf", []) if "$ref" in part), None
    )
    field = resolved(node, components)
    if field.get("type") == "array":
        text = _("array of %(type)s") % {"type": kind(field.get("items", {}), components)}
    elif "enum" in field:
        meanings = dict(CHOICE.findall(field.get("description", "")))
        choices = [str(choice) for choice in field["enum"] if choice not in ("", None)]
        text = f"{field.get('type', 'string')}: " + ", ".join(
            f"{choice} ({meanings[choice]})" if meanings.get(choice) else choice
            for choice in choices
        )
    elif reference and "properties" in field:
        text = reference.rsplit("/", 1)[-1]
    else:
        text = field.get("type", "")
        if field.get("format") in ("date", "date-time", "uri"):
            text += f" ({field['format']})"
    return _("%(type)s or null") % {"type": text} if node.get("nullable") else text


def fields(operation: dict, components: dict) -> list[dict]:
    """The fields of the answer, of each item for a list: the JSON's keys, and the CSV's
    columns in the same order."""
    content = operation.get("responses", {}).get("200", {}).get("content", {})
    answer = resolved(content.get("application/json", {}).get("schema", {}), components)
    if "results" in answer.get("properties", {}):
        answer = resolved(answer["properties"]["results"].get("items", {}), components)
    return properties(answer, components)


def objects(description: dict) -> list[dict]:
    """The objects a field holds (its type names them: "array of Target"), each with its
    fields; not the lists' pages (Paginated…), which the paging note tells."""
    components = description.get("components", {}).get("schemas", {})
    held = {
        reference.rsplit("/", 1)[-1]
        for name, schema in components.items()
        if not name.startswith("Paginated")
        for reference in REFERENCE.findall(json.dumps(schema.get("properties", {})))
    }
    return [
        {"name": name, "fields": properties(components[name], components)}
        for name in sorted(held)
        if "properties" in components[name]
    ]


REFERENCE = re.compile(r'"\$ref": "([^"]+)"')


def properties(schema: dict, components: dict) -> list[dict]:
    """An object's fields, each described by its own help, else its name in the model."""
    described = []
    for name, node in schema.get("properties", {}).items():
        help_text = node.get("description") or node.get("title") or ""
        described.append(
            {
                "name": name,
                "type": kind(node, components),  # with what each choice means
                "description": help_text.split("\n\n* `")[0].strip(),
            }
        )
    return described


def endpoints(description: dict) -> list[dict]:
    """Each operation of the description, as the documentation page lists it."""
    found = examples()
    components = description.get("components", {}).get("schemas", {})
    listed = []
    for path, operations in description.get("paths", {}).items():
        for method, operation in operations.items():
            if method not in ("get", "head"):
                continue
            parameters = []
            for parameter in operation.get("parameters", []):
                kind = parameter.get("schema", {})
                parameters.append(
                    {
                        "name": parameter["name"],
                        "where": parameter.get("in", ""),
                        "required": parameter.get("required", False),
                        "type": kind.get("type", ""),
                        "choices": kind.get("enum", []),
                        "description": parameter.get("description", ""),
                    }
                )
            media = sorted(
                {
                    media_type
                    for response in operation.get("responses", {}).values()
                    for media_type in response.get("content", {})
                }
            )
            link = try_url(path, found)
            listed.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "id": operation.get("operationId", ""),
                    "summary": operation.get("summary", ""),
                    "description": operation.get("description", ""),
                    "parameters": parameters,
                    "media_types": media,
                    "try": link,
                    "csv": f"{link}?format=csv" if link and "text/csv" in media else None,
                    "fields": fields(operation, components),
                }
            )
    return listed
