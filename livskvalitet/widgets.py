"""The form renderer: Django's, with its plainest widget templates written in Python.

Django renders every widget, and every option of a select and every box of a set of
checkboxes, through templates of its own: input.html, textarea.html, select.html and
their options, each including attrs.html. At ~50 µs a render that is most of what a form
costs: an action of a contribution has 26 boxes, the cycle page's select lists every
organisation. QuickRenderer writes exactly what those templates write (the same bytes:
tests/test_widgets.py renders every kind with both) and leaves every other template, a
project's own included, to Django.
"""

import datetime

from django.forms.renderers import DjangoTemplates
from django.utils.formats import localize
from django.utils.html import conditional_escape, escape


class _Unknown(Exception):
    """A template this renderer does not write: Django renders it."""


def attributes(attrs: dict) -> str:
    """attrs.html: ` name="value"`, ` name` for True, nothing for False."""
    return "".join(
        f" {escape(name)}" if value is True else f' {escape(name)}="{escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _text(value) -> str:
    """``{{ value }}``: localized unless text, escaped unless safe."""
    if isinstance(value, datetime.datetime):
        raise _Unknown  # the template also converts it to local time
    return conditional_escape(value if isinstance(value, str) else localize(value))


def _input(widget: dict) -> str:
    value = "" if widget["value"] is None else f' value="{escape(widget["value"])}"'
    return (
        f'<input type="{escape(widget["type"])}" name="{escape(widget["name"])}"{value}'
        f"{attributes(widget['attrs'])}>\n"
    )


def _input_option(widget: dict) -> str:
    if not widget["wrap_label"]:
        return _input(widget) + "\n"
    label_for = widget["attrs"].get("id")
    label_for = f' for="{escape(label_for)}"' if label_for else ""
    return f"<label{label_for}>{_input(widget)} {_text(widget['label'])}</label>\n"


def _textarea(widget: dict) -> str:
    value = _text(widget["value"]) if widget["value"] else ""
    return (
        f'<textarea name="{escape(widget["name"])}"{attributes(widget["attrs"])}>\n'
        f"{value}</textarea>\n"
    )


def _option(widget: dict) -> str:
    return (
        f'<option value="{escape(widget["value"])}"{attributes(widget["attrs"])}>'
        f"{_text(widget['label'])}</option>\n"
    )


def _select(widget: dict) -> str:
    html = [f'<select name="{escape(widget["name"])}"{attributes(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            html.append(f'\n  <optgroup label="{_text(group_name)}">')
        for option in options:
            if option["template_name"] != "django/forms/widgets/select_option.html":
                raise _Unknown
            html.append("\n  " + _option(option))
        if group_name:
            html.append("\n  </optgroup>")
    html.append("\n</select>\n")
    return "".join(html)


WIDGETS = "django/forms/widgets/"
WRITERS = {
    WIDGETS + "input.html": _input,
    WIDGETS + "input_option.html": _input_option,
    WIDGETS + "textarea.html": _textarea,
    WIDGETS + "select.html": _select,
    WIDGETS + "select_option.html": _option,
    # Templates that are one include of the above, and the file's own line end.
    **{
        f"{WIDGETS}{name}.html": lambda widget: _input(widget) + "\n"
        for name in (
            "checkbox",
            "color",
            "date",
            "datetime",
            "email",
            "file",
            "hidden",
            "number",
            "password",
            "search",
            "tel",
            "text",
            "time",
            "url",
        )
    },  # fmt: skip
    **{
        f"{WIDGETS}{name}_option.html": lambda widget: _input_option(widget) + "\n"
        for name in ("checkbox", "radio")
    },
}


class QuickRenderer(DjangoTemplates):
    """settings.FORM_RENDERER: the templates in WRITERS written in Python, the rest as
    Django renders them."""

    def render(self, template_name, context, request=None):
        write = WRITERS.get(template_name)
        if write is not None and set(context) == {"widget"}:
            try:
                return write(context["widget"]).strip()  # as BaseRenderer.render does
            except _Unknown:
                pass
        return super().render(template_name, context, request)
