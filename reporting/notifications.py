"""E-mail to those who must act next, queued with the change that causes it (tasks.queue_email)."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from livskvalitet.core.i18n import in_site_language
from programme.models import Membership
from programme.permissions import STRATEGISTS_GROUP

from .tasks import queue_email
from .workflow import WRITABLE_STATES


def _site_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def deliverable(address: str) -> bool:
    # ".invalid" is reserved (RFC 2606) and never delivered: the demo users have it.
    return bool(address) and not address.lower().endswith(".invalid")


def _addresses(recipients) -> list[str]:
    return sorted({user.email for user in recipients if deliverable(user.email) and user.is_active})


def reachable(recipients) -> bool:
    """Whether any of them gets an e-mail sent to them: a page says so only then."""
    return bool(_addresses(recipients))


def _send(recipients, subject: str, body: str) -> None:
    for address in _addresses(recipients):
        queue_email(subject, body, address)


def _members(organisation_id):
    return get_user_model().objects.filter(memberships__organisation_id=organisation_id)


def _strategists():
    return get_user_model().objects.filter(groups__name=STRATEGISTS_GROUP)


@in_site_language
def cycle_opened(*, cycle) -> None:
    users = (
        get_user_model()
        .objects.filter(memberships__organisation__contributions__cycle=cycle)
        .distinct()
    )
    body = _(
        "Your organisation is asked to report in %(cycle)s. Due date: %(due)s.\n\n"
        "See what is asked of you: %(url)s"
    ) % {
        "cycle": cycle,
        "due": date_format(cycle.due_on),
        "url": _site_url(reverse("reporting:my-tasks")),
    }
    if cycle.instructions.strip():
        sender = _("From %(owner)s:") % {"owner": cycle.programme.follow_up_owner}
        body += "\n\n" + sender + "\n\n" + cycle.instructions
    _send(users, _("Livskvalitet: %(cycle)s has opened") % {"cycle": cycle}, body)


@in_site_language
def cycle_reopened(*, cycle) -> None:
    """Reporting is open again: the members of every organisation with something still to
    hand over are told the new due date."""
    users = (
        get_user_model()
        .objects.filter(
            memberships__organisation__contributions__cycle=cycle,
            memberships__organisation__contributions__withdrawn=False,
            memberships__organisation__contributions__state__in=WRITABLE_STATES,
        )
        .distinct()
    )
    _send(
        users,
        _("Livskvalitet: reporting in %(cycle)s is open again") % {"cycle": cycle},
        _(
            "%(owner)s has reopened reporting in %(cycle)s. New due date: "
            "%(due)s.\n\nSee what is asked of you: %(url)s"
        )
        % {
            "owner": capfirst(cycle.programme.follow_up_owner),
            "cycle": cycle,
            "due": date_format(cycle.due_on),
            "url": _site_url(reverse("reporting:my-tasks")),
        },
    )


@in_site_language
def contribution_submitted(*, contribution) -> None:
    _send(
        _strategists(),
        _("Livskvalitet: %(organisation)s submitted %(code)s")
        % {"organisation": contribution.organisation, "code": contribution.focus_area.code},
        _("%(organisation)s has submitted its contribution on %(area)s for review:\n%(url)s")
        % {
            "organisation": contribution.organisation,
            "area": contribution.focus_area,
            "url": _site_url(reverse("reporting:contribution-review", args=[contribution.pk])),
        },
    )


@in_site_language
def contribution_returned(*, contribution, comment: str) -> None:
    _send(
        _members(contribution.organisation_id),
        _("Livskvalitet: your contribution on %(code)s was returned")
        % {"code": contribution.focus_area.code},
        _("%(owner)s returned the contribution on %(area)s:\n\n%(comment)s\n\n%(url)s")
        % {
            "owner": capfirst(contribution.cycle.programme.follow_up_owner),
            "area": contribution.focus_area,
            "comment": comment,
            "url": _site_url(reverse("reporting:contribution-edit", args=[contribution.pk])),
        },
    )


@in_site_language
def contribution_approved(*, contribution) -> None:
    _send(
        _members(contribution.organisation_id).filter(
            memberships__role__in=[Membership.Role.REPORTER, Membership.Role.APPROVER]
        ),
        _("Livskvalitet: your contribution on %(code)s was approved")
        % {"code": contribution.focus_area.code},
        _("%(owner)s approved the contribution on %(area)s. Thank you!\n%(url)s")
        % {
            "owner": capfirst(contribution.cycle.programme.follow_up_owner),
            "area": contribution.focus_area,
            "url": _site_url(reverse("reporting:contribution-detail", args=[contribution.pk])),
        },
    )


@in_site_language
def withdrawn_recipients(contribution):
    """Who hears that the request for the contribution was withdrawn: its organisation."""
    return _members(contribution.organisation_id)


def request_withdrawn(*, contribution) -> None:
    _send(
        withdrawn_recipients(contribution),
        _("Livskvalitet: %(code)s is no longer asked of you")
        % {"code": contribution.focus_area.code},
        _("%(owner)s has withdrawn the request for %(area)s in %(cycle)s. What you wrote is kept.")
        % {
            "owner": capfirst(contribution.cycle.programme.follow_up_owner),
            "area": contribution.focus_area,
            "cycle": contribution.cycle,
        },
    )


def _approvers(organisation_id):
    return _members(organisation_id).filter(memberships__role=Membership.Role.APPROVER)


def ready_recipients(contribution, *, by):
    """Who hears that ``by`` marked the contribution ready: its organisation's approvers."""
    return _approvers(contribution.organisation_id).exclude(pk=by.pk)


def sent_back_recipients(contribution, *, by):
    """Who hears that ``by`` sent the contribution back: the organisation's other members."""
    return _members(contribution.organisation_id).exclude(pk=by.pk)


def _name(user) -> str:
    return user.get_full_name() or user.get_username()


@in_site_language
def contribution_ready(*, contribution, by, note: str) -> None:
    body = _("%(name)s has marked the contribution on %(area)s ready for your approval.") % {
        "name": _name(by),
        "area": contribution.focus_area,
    }
    if note.strip():
        body += "\n\n" + note
    _send(
        ready_recipients(contribution, by=by),
        _("Livskvalitet: %(code)s is ready for your approval")
        % {"code": contribution.focus_area.code},
        body + "\n\n" + _site_url(reverse("reporting:contribution-edit", args=[contribution.pk])),
    )


@in_site_language
def contribution_sent_back(*, contribution, by, comment: str) -> None:
    _send(
        sent_back_recipients(contribution, by=by),
        _("Livskvalitet: %(code)s was sent back by the approver")
        % {"code": contribution.focus_area.code},
        _("%(name)s sent the contribution on %(area)s back:\n\n%(comment)s\n\n%(url)s")
        % {
            "name": _name(by),
            "area": contribution.focus_area,
            "comment": comment,
            "url": _site_url(reverse("reporting:contribution-edit", args=[contribution.pk])),
        },
    )


@in_site_language
def thread_entry(*, entry) -> None:
    """Tell the other side: strategists of an organisation's answer, and vice versa."""
    contribution = entry.contribution
    if entry.kind == entry.Kind.ANSWER:
        recipients = _strategists()
    else:
        recipients = _members(contribution.organisation_id)
    url = reverse("reporting:contribution-detail", args=[contribution.pk])
    _send(
        recipients.exclude(pk=entry.author_id),
        _("Livskvalitet: a message on %(organisation)s, %(code)s")
        % {"organisation": contribution.organisation, "code": contribution.focus_area.code},
        _(
            "%(name)s wrote on the contribution of %(organisation)s on %(area)s:"
            "\n\n%(text)s\n\n%(url)s"
        )
        % {
            "name": _name(entry.author),
            "organisation": contribution.organisation,
            "area": contribution.focus_area,
            "text": entry.text,
            "url": _site_url(url),
        },
    )
