"""Fair use of the open data: so many requests a minute from one address."""

from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import Throttled

from livskvalitet.core.throttling import AddressRate


class FairUse(AddressRate):
    scope = "opendata"
    rate_setting = "OPEN_DATA_RATE"


class TooManyRequests(Throttled):
    default_detail = _("Too many requests from your address.")
    extra_detail_singular = _("Try again in {wait} second.")
    extra_detail_plural = _("Try again in {wait} seconds.")
