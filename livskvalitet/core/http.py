"""Responses that anybody may keep: the public side's cache headers."""

from django.utils.cache import patch_cache_control, patch_vary_headers

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
