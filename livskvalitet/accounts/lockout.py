"""django-axes, counting by address too: a pair of user name and address is locked after
LOGIN_FAILURE_LIMIT failures, and an address after LOGIN_ADDRESS_FAILURE_LIMIT failures
across user names (password spraying: a few guesses at every user name from one address)."""

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum


class PairAndAddressHandler(AxesDatabaseHandler):
    def get_failures(self, request, credentials=None) -> int:
        pair = super().get_failures(request, credentials)
        address = getattr(request, "axes_ip_address", None)
        if not address:
            return pair
        recent = AccessAttempt.objects.filter(ip_address=address)
        if settings.AXES_COOLOFF_TIME is not None:
            recent = recent.filter(attempt_time__gte=get_cool_off_threshold(request))
        failures = recent.aggregate(n=Sum("failures_since_start"))["n"] or 0
        if failures >= settings.LOGIN_ADDRESS_FAILURE_LIMIT:
            # Locked as a pair at its limit would be: axes compares with that one limit.
            return max(pair, get_failure_limit(request, credentials))
        return pair
