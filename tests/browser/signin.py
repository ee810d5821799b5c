"""Signing in from a browser test: through the form like a person (with the TOTP code when
the account has a second factor), or with a session cookie when the sign-in is not the point."""

from __future__ import annotations

import re
import time

from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from tests import factories
from tests.browser.checks import assert_accessible


def sign_in(page, email: str, totp_secret: str | None = None, *, check_form: bool = False) -> None:
    """Type the email and the demo password (and the current TOTP code for `totp_secret`);
    `check_form` also runs axe on the sign-in page."""
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    page.goto("/accounts/login/")
    if check_form:
        assert_accessible(page)
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    if totp_secret:
        code = format_hotp_value(hotp_value(totp_secret, int(time.time()) // 30))
        page.get_by_label(re.compile("code", re.I)).fill(code)
        page.get_by_role("button", name=re.compile("Sign In", re.I)).click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def sign_in_with_session(page, user, base_url: str) -> None:
    """Give the browser the session cookie of Django's force_login, as if the person (staff
    included, whose second factor would be typed) had signed in."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": base_url}])
