"""What the city's sign-in needs to be safe, checked when the app starts (manage.py check,
migrate, runserver)."""

from django.conf import settings
from django.core.checks import Error, register


@register("security")
def sign_in_issuer(app_configs, **kwargs):
    """Without an issuer nothing says which provider an ID token must come from."""
    if settings.OIDC_RP_CLIENT_ID and not (
        settings.OIDC_OP_ISSUER or settings.OIDC_OP_DISCOVERY_URL
    ):
        return [
            Error(
                "The city's sign-in is on (OIDC_RP_CLIENT_ID) but no issuer is known.",
                hint="Set OIDC_OP_ISSUER to the provider's issuer, or OIDC_OP_DISCOVERY_URL.",
                id="accounts.E001",
            )
        ]
    return []
