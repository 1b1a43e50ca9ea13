"""Who signs in with the city's account, and what its group claims give in the app."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from livskvalitet.core.text import one_line
from programme.models import Membership, Organisation


class CityAccount(models.Model):
    """A user who signs in with the city's account: the provider's issuer and subject,
    which stay the same when the person's name, address or user name change."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="city_account",
    )
    issuer = models.CharField(_("issuer"), max_length=500, editable=False)
    subject = models.CharField(_("subject"), max_length=255, editable=False)
    strategist_from_sign_in = models.BooleanField(
        _("strategist from the city's sign-in"), default=False, editable=False
    )
    first_signed_in = models.DateTimeField(_("first signed in"), auto_now_add=True)
    last_signed_in = models.DateTimeField(_("last signed in"), null=True, editable=False)

    class Meta:
        verbose_name = _("city account")
        verbose_name_plural = _("city accounts")
        constraints = [
            models.UniqueConstraint(fields=["issuer", "subject"], name="city_account_unique"),
        ]

    def __str__(self):
        return str(self.user)


class SignInMapping(models.Model):
    """What a value of the city's group claims gives in the app: the strategists' group,
    membership of an organisation with a role, or both. Applied at every sign-in."""

    claim_value = models.CharField(
        _("group or role in the city's sign-in"),
        max_length=200,
        unique=True,
        validators=[one_line],
    )
    description = models.CharField(
        _("description"),
        max_length=200,
        blank=True,
        help_text=_("For example the group's name."),
        validators=[one_line],
    )
    strategist = models.BooleanField(_("strategist"), default=False)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="sign_in_mappings",
        null=True,
        blank=True,
    )
    role = models.CharField(
        _("role"),
        max_length=20,
        choices=Membership.Role.choices,
        default=Membership.Role.REPORTER,
        help_text=_("The role in the organisation."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("sign-in mapping")
        verbose_name_plural = _("sign-in mappings")
        ordering = ["claim_value"]

    def __str__(self):
        return self.description or self.claim_value

    def clean(self):
        self.claim_value = self.claim_value.strip()
        if not self.strategist and self.organisation_id is None:
            raise ValidationError(
                _("Choose what the group gives: strategist, an organisation, or both.")
            )
