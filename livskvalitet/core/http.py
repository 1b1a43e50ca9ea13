"""Responses that anybody may keep: the public side's cache headers."""

from django.utils.cache import (
    get_conditional_response,
    patch_cache_control,
    patch_vary_headers,
    set_response_etag,
)
from django.utils.http import http_date

PUBLIC_SECONDS = 5 * 60


def public(response, request=None, *, seconds: int = PUBLIC_SECONDS):
    """Mark a response as public, cacheable for a while by browsers and proxies.

    A page shows its visitor's name and menu when they are logged in; only what an
    anonymous visitor sees may be shared, so a logged-in user's copy stays private.
    """
    if request is not None and request.user.is_authenticated:
        patch_cache_control(response, private=True, no_store=True)
    else:
        patch_cache_control(response, public=True, max_age=seconds)
    patch_vary_headers(response, ["Cookie"])
    return response


def revalidated(response, request, *, last_modified=None):
    """Public, but every cache asks again before it uses its copy (no-cache): for what is
    built from a published report, which a withdrawal takes away at once.

    A successful answer is ``conditional``; a withdrawn one is answered by its view (404,
    410), never 304. A logged-in user's copy stays private, as with ``public``.
    """
    patch_vary_headers(response, ["Cookie"])
    if request.user.is_authenticated:
        patch_cache_control(response, private=True, no_store=True)
        return response
    patch_cache_control(response, public=True, no_cache=True)
    return conditional(response, request, last_modified=last_modified)


def conditional(response, request, *, last_modified=None):
    """A successful answer with an ETag, the hash of its body (Django's own, unless the view
    gave one), and Last-Modified when the data can tell; a request whose copy is this one
    (If-None-Match, If-Modified-Since) gets 304 Not Modified."""
    if response.status_code != 200:
        return response
    if not response.has_header("ETag"):
        set_response_etag(response)
    timestamp = None
    if last_modified is not None:
        timestamp = int(last_modified.timestamp())
        response["Last-Modified"] = http_date(timestamp)
    return get_conditional_response(
        request, etag=response["ETag"], last_modified=timestamp, response=response
    )
