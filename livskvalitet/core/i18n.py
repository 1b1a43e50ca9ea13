"""The language of what the app writes for no one request: e-mail and the compiled report."""

import functools

from django.conf import settings
from django.utils import translation


def in_site_language(function):
    """Runs in the site's language, whatever language the user who caused it uses."""

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        with translation.override(settings.LANGUAGE_CODE):
            return function(*args, **kwargs)

    return wrapper
