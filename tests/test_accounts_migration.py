"""The sign-in's models moved from programme to livskvalitet.accounts with their rows: a
database with city accounts, sign-in mappings and their history is migrated forward (and
back) and every row is found where the models now are, the content types renamed with
them (so that permissions and the admin's history follow)."""

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from tests.factories import migrate

CONTENTTYPES = [("contenttypes", "0002_remove_content_type_name")]
BEFORE = [("programme", "0010_programme_published"), ("accounts", None)]
MOVED = ["cityaccount", "signinmapping", "historicalsigninmapping"]


def tables() -> set[str]:
    with connection.cursor() as cursor:
        return set(connection.introspection.table_names(cursor))


def content_types(apps) -> dict[str, tuple[str, int]]:
    ContentType = apps.get_model("contenttypes", "ContentType")
    return {
        model: (app_label, pk)
        for app_label, model, pk in ContentType.objects.filter(model__in=MOVED).values_list(
            "app_label", "model", "pk"
        )
    }


def rows(apps, app_label: str) -> dict:
    CityAccount = apps.get_model(app_label, "CityAccount")
    SignInMapping = apps.get_model(app_label, "SignInMapping")
    History = apps.get_model(app_label, "HistoricalSignInMapping")
    return {
        "accounts": sorted(
            CityAccount.objects.values_list(
                "user__username", "issuer", "subject", "strategist_from_sign_in"
            )
        ),
        "mappings": sorted(
            SignInMapping.objects.values_list(
                "claim_value", "description", "strategist", "organisation__name", "role"
            )
        ),
        "history": sorted(History.objects.values_list("claim_value", "history_type")),
    }


@pytest.mark.django_db(transaction=True)
def test_the_sign_in_rows_move_to_accounts_and_back():
    try:
        apps = migrate(BEFORE, also=CONTENTTYPES)
        assert {"programme_cityaccount", "programme_signinmapping"} <= tables()
        User = apps.get_model("auth", "User")
        Organisation = apps.get_model("programme", "Organisation")
        ContentType = apps.get_model("contenttypes", "ContentType")
        for model in MOVED:
            ContentType.objects.get_or_create(app_label="programme", model=model)
        types_before = content_types(apps)
        miljo = Organisation.objects.create(name="Nämnden som flyttas med", kind="nämnd")
        anna = User.objects.create(username="anna.strateg")
        apps.get_model("programme", "CityAccount").objects.create(
            user=anna,
            issuer="https://login.example.org/tenant/v2.0",
            subject="subject-anna",
            strategist_from_sign_in=True,
            last_signed_in=timezone.now() - datetime.timedelta(days=1),
        )
        mapping = apps.get_model("programme", "SignInMapping").objects.create(
            claim_value="lk-miljo-godkannare",
            description="Miljö, godkännare",
            organisation=miljo,
            role="approver",
        )
        apps.get_model("programme", "SignInMapping").objects.create(
            claim_value="lk-strateger", strategist=True
        )
        apps.get_model("programme", "HistoricalSignInMapping").objects.create(
            id=mapping.pk,
            claim_value=mapping.claim_value,
            description=mapping.description,
            strategist=False,
            organisation=miljo,
            role="approver",
            history_date=timezone.now(),
            history_type="+",
        )
        before = rows(apps, "programme")
        assert len(before["accounts"]) == 1 and len(before["mappings"]) == 2

        apps = migrate(None, also=CONTENTTYPES)  # forward, to the latest migrations
        assert rows(apps, "accounts") == before
        assert {"accounts_cityaccount", "accounts_signinmapping"} <= tables()
        assert not {"programme_cityaccount", "programme_signinmapping"} & tables()
        # The same content types (their ids kept), now accounts'.
        assert content_types(apps) == {
            model: ("accounts", pk) for model, (_label, pk) in types_before.items()
        }

        apps = migrate(BEFORE, also=CONTENTTYPES)  # and back
        assert rows(apps, "programme") == before
        assert {"programme_cityaccount", "programme_historicalsigninmapping"} <= tables()
        assert content_types(apps) == types_before
    finally:
        migrate(None)


@pytest.mark.django_db
def test_the_moved_models_are_accounts():
    from livskvalitet.accounts.models import CityAccount, SignInMapping

    assert CityAccount._meta.db_table == "accounts_cityaccount"
    assert SignInMapping._meta.app_label == "accounts"
    assert SignInMapping.history.model._meta.db_table == "accounts_historicalsigninmapping"
