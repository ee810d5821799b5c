from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GlobalDayConfig(AppConfig):
    name = "constellation.globalday"
    verbose_name = _("Global science-centre day")
