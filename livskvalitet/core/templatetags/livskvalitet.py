"""The project's generic filters: user text, people, lookups; programme_tags and
reporting_tags hold what those apps know."""

from django import template
from django.forms import BaseForm, BaseFormSet
from django.template.defaultfilters import floatformat
from django.utils import formats
from django.utils.crypto import salted_hmac
from django.utils.functional import LazyObject, Promise
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from livskvalitet.core.text import changed_words, isolated, render_text

register = template.Library()


@register.filter
def richtext(text):
    """User text as blocks: escaped, with its paragraphs, lists and links (text.py)."""
    return render_text(text)


@register.filter
def typed_owner(user):
    """Whose is the text the browser keeps (static/js/keep-typed.js): an opaque value, the
    same for a user in every session and different for each user, that names nobody (no
    user name or id in clear, and none can be worked out without the site's secret key);
    empty for a visitor who is not logged in."""
    if not getattr(user, "is_authenticated", False):
        return ""
    return salted_hmac("livskvalitet.keep-typed", str(user.pk), algorithm="sha256").hexdigest()


@register.filter
def decimal(value, decimals):
    """A number as floatformat writes it in the page's language, with the minus sign
    (U+2212) that print and screen readers expect in place of a hyphen: "−3,0"."""
    return floatformat(value, decimals).replace("-", "\u2212")


@register.simple_tag
def word_changes(old, new, deleted=None, inserted=None):
    """The two sides of a changed text with the words that changed marked (text.py):
    ``{% word_changes change.old change.new as sides %}``, then ``sides.0`` and ``sides.1``;
    what screen readers hear before each mark may be given (``deleted``, ``inserted``)."""
    return changed_words(
        old, new, deleted=deleted or _("deleted:"), inserted=inserted or _("added:")
    )


@register.filter(expects_localtime=True)
def date_and_time(value):
    """A moment as DATETIME_FORMAT writes it, where a narrow column breaks the line only
    between the date and the time: "30 september 2026 / 23:59", never "30 / september 2026"."""
    if not value:
        return ""
    whole = formats.date_format(value, "DATETIME_FORMAT")
    day = formats.date_format(value, "DATE_FORMAT")
    if not whole.startswith(day):
        return whole
    time = whole[len(day) :].lstrip(" ,")
    between = whole[len(day) : len(whole) - len(time)]

    def kept(part):
        return format_html('<span class="text-nowrap">{}</span>', part.replace(" ", "\u00a0"))

    return format_html("{}{}{}", kept(day), between, kept(time))


@register.filter
def bdi(text):
    """User text inline among the app's words: escaped and bidi-isolated."""
    return isolated(text)


@register.filter
def person(user):
    """Who did something: full name or user name, isolated; a dash for nobody."""
    if user is None:
        return "–"
    return isolated(user.get_full_name() or user.get_username())


@register.filter
def lookup(mapping, key):
    """mapping[key], or the key itself where the mapping has none."""
    if not mapping:
        return key
    return mapping.get(key, key)


@register.filter
def spreadsheet_row(number):
    """The row number a user sees in a spreadsheet, with the header as row 1."""
    try:
        return int(number) + 1
    except (TypeError, ValueError):
        return number


@register.simple_tag(takes_context=True)
def menu_current(context, url):
    """A main-menu link's mark for the page shown (templates/base.html): aria-current="page"
    on the link to the page itself, aria-current="true" on the link to the section a page
    is in ("Uppföljningar" on a cycle's matrix); nothing elsewhere. The start page is a
    section of its own only."""
    request = context.get("request")
    path = getattr(request, "path", "")
    if path == url:
        return format_html(' aria-current="{}"', "page")
    if url != "/" and path.startswith(url):
        return format_html(' aria-current="{}"', "true")
    return ""


def _checked_forms(context):
    """The forms and formsets of the page that hold errors, each once, in the order the view
    gave them; a form the view did not check (a step it refused) is left alone. Only a form
    that was sent to change something: not a search or filter read from the address (GET),
    nor one that says nothing is saved by it (``error_summary = False``: the sign-in)."""
    request = context.get("request")
    if getattr(request, "method", "") != "POST":
        return
    seen = set()
    for value in context.flatten().values():
        # A lazy value (the CSRF token) is left unevaluated: asking its class makes it.
        if isinstance(value, LazyObject) or not getattr(value, "error_summary", True):
            continue
        if id(value) in seen:
            continue
        seen.add(id(value))
        if isinstance(value, BaseForm):
            if value.is_bound and value._errors is not None and value.errors:
                yield value
        # A formset is checked here where the view did not (a form beside it refused first).
        elif isinstance(value, BaseFormSet) and value.is_bound and value.total_error_count():
            yield value


def _address(field) -> str:
    """Where the summary's link leads: the field, or a group of boxes' first box (a group
    has no one element its label is for)."""
    if field.id_for_label:
        return f"#{field.id_for_label}"
    return f"#{field.auto_id}_0" if field.auto_id else ""


def _without_stop(label):
    """A label that is a sentence, without its full stop: "Jag godtar det: Kryssa i …",
    not "det.: Kryssa". Markup stays markup (dropping a final "." keeps it safe)."""
    label = str(label) if isinstance(label, Promise) else label  # a lazy label is text
    if not isinstance(label, str) or not label.endswith("."):
        return label
    # mark_safe stays: a slice of a SafeString is a plain str (SafeString has no __getitem__
    # and Django no safe way to cut markup), and a final "." of markup is text, never part of
    # a tag (which ends with ">") or an entity (";"), so what is left is as safe as the label.
    return mark_safe(label[:-1]) if isinstance(label, SafeString) else label[:-1]  # noqa: S308


def _form_entries(form, prefix=""):
    """What the summary says of one form: (address of the field or "", text) per error."""
    entries = []
    for field in form:
        for error in field.errors:
            # A label may be markup (a question's text marked as Swedish): kept, not escaped.
            text = format_html("{}: {}", _without_stop(field.label), error)
            if prefix:
                text = format_html("{}, {}", prefix, text)
            entries.append(("" if field.is_hidden else _address(field), text))
    for error in form.non_field_errors():
        entries.append(("", format_html("{}: {}", prefix, error) if prefix else str(error)))
    return entries


@register.simple_tag(takes_context=True)
def error_summary(context):
    """The errors of a form that came back refused, for the summary every page shows above
    its content (templates/_error_summary.html, base.html, whose <title> then starts with
    "Fel:"): each error with a link to its field. None where no form on the page was
    refused.

    The keyboard's focus goes to the summary; a form of one text (a message, a comment:
    ``focus_field_on_error``) refused for that text alone gives the focus to the field
    instead, which a screen reader reads with its error (aria-describedby)."""
    forms = list(_checked_forms(context))
    if not forms:
        return None
    entries = []
    for form in forms:
        if isinstance(form, BaseFormSet):
            entries += [("", str(error)) for error in form.non_form_errors()]
            item = getattr(form, "error_item", None)
            for number, each in enumerate(form.forms, start=1):
                prefix = item % {"number": number} if item else str(number)
                entries += _form_entries(each, prefix)
        else:
            entries += _form_entries(form)
    focus_field = None
    if len(forms) == 1 and getattr(forms[0], "focus_field_on_error", False):
        fields = list(forms[0].errors)
        if len(fields) == 1 and fields[0] in forms[0].fields:
            focus_field = forms[0][fields[0]]
            focus_field.field.widget.attrs["autofocus"] = True
    return {
        "entries": [{"address": address, "text": text} for address, text in entries],
        "focus_summary": focus_field is None,
        "heading": context.get("error_heading") or _("Nothing was saved. Correct these:"),
    }
