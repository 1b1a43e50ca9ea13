"""Widgets rendered in Python, with exactly the markup of Django's widget templates.

Django renders each option of a select, and each box of a set of checkboxes, through
templates of their own (~50 µs an option). The pages that list many of them (the cycle
page's select of every organisation, an action's 26 boxes) build them here instead.
"""

from django import forms
from django.utils.html import escape
from django.utils.safestring import mark_safe


def attributes(attrs: dict) -> str:
    """What django/forms/widgets/attrs.html writes: ` name="value"`, ` name` for True,
    nothing for False."""
    return "".join(
        f" {escape(name)}" if value is True else f' {escape(name)}="{escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def choice_input(option: dict) -> str:
    """One checkbox or radio of a choice widget (an option's data), as input.html writes it."""
    value = "" if option["value"] is None else f' value="{escape(option["value"])}"'
    return mark_safe(  # noqa: S308 - every value is escaped
        f'<input type="{escape(option["type"])}" name="{escape(option["name"])}"{value}'
        f"{attributes(option['attrs'])}>"
    )


class QuickSelect(forms.Select):
    """forms.Select, its options written in Python (select.html, select_option.html)."""

    def _render(self, template_name, context, renderer=None):
        if template_name != self.template_name:
            return super()._render(template_name, context, renderer)
        widget = context["widget"]
        html = [f'<select name="{escape(widget["name"])}"{attributes(widget["attrs"])}>']
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                html.append(f'\n  <optgroup label="{escape(group_name)}">')
            html.extend(
                f'\n  <option value="{escape(option["value"])}"{attributes(option["attrs"])}>'
                f"{escape(option['label'])}</option>"
                for option in options
            )
            if group_name:
                html.append("\n  </optgroup>")
        html.append("\n</select>")
        return mark_safe("".join(html))  # noqa: S308 - every value is escaped
