from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AtlasConfig(AppConfig):
    name = "constellation.atlas"
    verbose_name = _("Access atlas")
