from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    """Sign-ups land on the profile page, where the person fills in who they are."""

    def get_signup_redirect_url(self, request):
        from django.urls import reverse

        return reverse("accounts:profile")
