"""A real OpenID Connect provider for the tests: django-oauth-toolkit's, in a Django
project of its own, run by gunicorn as a separate process (tests/test_oidc.py starts it).

It stands in for Microsoft Entra ID: users log in on its own login page, it signs ID
tokens with RS256, publishes a discovery document, keys, a user info endpoint and an
end-session endpoint (RP-initiated logout), and sends each user's groups in a "groups"
claim. ``python -m tests.oidc_provider.directory`` changes its users and groups.
"""
