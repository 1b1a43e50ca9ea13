"""Pages of the API's lists (its own module: DRF's settings import it while loading)."""

from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import PageNumberPagination

PAGE_SIZE = 100
MAX_PAGE_SIZE = 1000

# Larger than any id, year, page or page size: a number of more digits is this one.
BEYOND_ANY = 10**20


def number_of(digits: str) -> int:
    """The value of a string of ASCII digits, however many: Python's int() refuses one of
    over 4,300 digits (ValueError), which would be a 500, where a number that long is only
    larger than anything there is, and is answered so. Leading zeros count for nothing."""
    significant = digits.lstrip("0") or "0"
    return int(significant) if len(significant) <= len(str(BEYOND_ANY)) else BEYOND_ANY


def _whole(text: str) -> bool:
    return text.isascii() and text.isdigit()


class Paging(PageNumberPagination):
    """Pages of 100 items; ?page_size= up to 1000. The links to the next and previous
    pages are in the body and, for CSV too, in the Link header.

    A CSV download holds the whole list unless it asks for a page: a spreadsheet never
    sees a Link header, and a file cut at 100 rows would look complete.
    """

    page_size = PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    page_query_description = _("The page: 1 for the first (the default).")
    page_size_query_description = _("Items per page: 100 unless given, at most 1000.")

    def paginate_queryset(self, queryset, request, view=None):
        renderer = getattr(request, "accepted_renderer", None)
        wants_page = {self.page_query_param, self.page_size_query_param} & set(request.GET)
        if renderer is not None and renderer.format == "csv" and not wants_page:
            return None
        try:
            return super().paginate_queryset(queryset, request, view)
        except NotFound:
            raise self.no_such_page(queryset, request) from None

    def get_page_size(self, request):
        """The size asked for; a size that is not a whole number from 1 to the most is
        refused rather than silently replaced by the default or cut to the most."""
        asked = request.query_params.get(self.page_size_query_param, "").strip()
        if asked and not (_whole(asked) and 0 < number_of(asked) <= MAX_PAGE_SIZE):
            message = _("Give a whole number from 1 to %(most)d.") % {"most": MAX_PAGE_SIZE}
            raise ValidationError({self.page_size_query_param: [message]})
        return super().get_page_size(request) if not asked else number_of(asked)

    def get_page_number(self, request, paginator):
        """The page asked for, a number of any length read as number_of does (Django's
        paginator calls int() on it)."""
        asked = super().get_page_number(request, paginator)
        return str(number_of(asked)) if isinstance(asked, str) and _whole(asked) else asked

    def no_such_page(self, queryset, request):
        """400 for a page that is not a number from 1, 404 for one beyond the last: both
        say which pages there are (counting them only here, when a page is refused)."""
        last = self.django_paginator_class(queryset, self.get_page_size(request)).num_pages
        message = {
            self.page_query_param: [_("Give a page number from 1 to %(last)d.") % {"last": last}]
        }
        asked = request.query_params.get(self.page_query_param, "").strip()
        if _whole(asked) and number_of(asked) > 0:
            return NotFound(message)
        return ValidationError(message)

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        links = [
            f'<{url}>; rel="{rel}"'
            for url, rel in ((self.get_next_link(), "next"), (self.get_previous_link(), "prev"))
            if url
        ]
        if links:
            response["Link"] = ", ".join(links)
        return response
