"""Pages of the API's lists (its own module: DRF's settings import it while loading)."""

from rest_framework.pagination import PageNumberPagination

PAGE_SIZE = 100
MAX_PAGE_SIZE = 1000


class Paging(PageNumberPagination):
    """Pages of 100 items; ?page_size= up to 1000. The links to the next and previous
    pages are in the body and, for CSV too, in the Link header."""

    page_size = PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE

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
