"""The OpenAPI description, and the documentation page read from it."""

from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator

from programme.models import Indicator
from programme.selectors import current_programme

from .selectors import published_reports


def without_csv_copies(endpoints, **kwargs):
    """drf-spectacular hook: the .csv addresses are the lists again, described once (with
    their format parameter)."""
    return [endpoint for endpoint in endpoints if not endpoint[0].endswith(".csv")]


def schema() -> dict:
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


def endpoints(description: dict) -> list[dict]:
    """Each operation of the description, as the documentation page lists it."""
    found = examples()
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
                }
            )
    return listed
