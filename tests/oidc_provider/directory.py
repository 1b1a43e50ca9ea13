"""The test provider's directory, changed as an administrator of Entra ID would:

python -m tests.oidc_provider.directory client ID SECRET REDIRECT_URI POST_LOGOUT_URI
python -m tests.oidc_provider.directory user NAME PASSWORD EMAIL GROUP...
python -m tests.oidc_provider.directory groups NAME GROUP...   (replaces the groups)
"""

import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.oidc_provider.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import Group, User  # noqa: E402
from oauth2_provider.models import Application  # noqa: E402


def set_groups(user, names):
    user.groups.set([Group.objects.get_or_create(name=name)[0] for name in names])


def main(command, *args):
    if command == "client":
        client_id, secret, redirect_uri, post_logout_uri = args
        Application.objects.update_or_create(
            client_id=client_id,
            defaults={
                "name": "Livskvalitet",
                "client_secret": secret,
                "client_type": Application.CLIENT_CONFIDENTIAL,
                "authorization_grant_type": Application.GRANT_AUTHORIZATION_CODE,
                "redirect_uris": redirect_uri,
                "post_logout_redirect_uris": post_logout_uri,
                "algorithm": Application.RS256_ALGORITHM,
                "skip_authorization": True,
            },
        )
    elif command == "user":
        name, password, email, *groups = args
        user, _ = User.objects.get_or_create(username=name)
        user.set_password(password)
        user.email = email
        user.first_name, user.last_name = name.split(".")[0].title(), "Testsson"
        user.save()
        set_groups(user, groups)
    elif command == "groups":
        name, *groups = args
        set_groups(User.objects.get(username=name), groups)
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main(*sys.argv[1:])
