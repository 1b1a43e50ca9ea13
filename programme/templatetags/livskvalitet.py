from django import template

register = template.Library()


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
