"""Network staff must use two-factor authentication before they can do anything else."""

from __future__ import annotations

from django.shortcuts import redirect
from django.urls import reverse


class RequireStaffTwoFactorMiddleware:
    """Send signed-in network staff without TOTP to the TOTP setup page.

    Staff can reach their account pages (to set up TOTP, sign out) and static files; every
    other page redirects. Staff status is looked up once per request through the session
    user; the TOTP check is a single indexed query, only for staff.
    """

    ALLOWED_PREFIXES = ("/accounts/", "/static/", "/i18n/", "/media/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(self.ALLOWED_PREFIXES)
            and not request.path.startswith("/api/")
        ):
            from constellation.accounts.services import needs_two_factor_setup

            if needs_two_factor_setup(user):
                return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)
