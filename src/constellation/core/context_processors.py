from django.conf import settings
from django.utils.translation import get_language_bidi


def site(request):
    user = request.user
    is_staff = False
    if user.is_authenticated:
        from constellation.accounts.services import is_network_staff

        is_staff = is_network_staff(user)
    return {
        "LANGUAGE_BIDI": get_language_bidi(),
        "SITE_LANGUAGES": settings.LANGUAGES,
        "is_network_staff": is_staff,
    }
