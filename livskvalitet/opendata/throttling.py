"""Fair use of the open data: so many requests a minute from one address."""

from django.conf import settings
from django.core.cache import caches
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import Throttled
from rest_framework.throttling import AnonRateThrottle


class FairUse(AnonRateThrottle):
    """Counted in the cache every process shares, so that the limit holds across gunicorn's
    workers; the rate is read when asked (OPEN_DATA_RATE), not when the class is made."""

    scope = "opendata"

    @property
    def cache(self):
        return caches["shared"]

    def get_rate(self):
        rate = settings.OPEN_DATA_RATE
        return None if rate in (None, "", "off") else rate


class TooManyRequests(Throttled):
    default_detail = _("Too many requests from your address.")
    extra_detail_singular = _("Try again in {wait} second.")
    extra_detail_plural = _("Try again in {wait} seconds.")
