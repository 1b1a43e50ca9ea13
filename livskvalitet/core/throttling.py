"""So many requests from one address in a while, counted where every process sees it."""

from django.conf import settings
from django.core.cache import caches
from rest_framework.throttling import SimpleRateThrottle


class AddressRate(SimpleRateThrottle):
    """DRF's rate counting by the visitor's address (behind TRUSTED_PROXY_COUNT proxies:
    REST_FRAMEWORK["NUM_PROXIES"]), in the cache every process shares, at the rate the
    setting named by ``rate_setting`` gives when asked ("60/min"; "off" lifts it). Usable
    by any view: ``allow_request(request)`` and ``wait()``."""

    rate_setting = ""

    @property
    def cache(self):
        return caches["shared"]

    def get_rate(self):
        rate = getattr(settings, self.rate_setting)
        return None if rate in (None, "", "off") else rate

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
