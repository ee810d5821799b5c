from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PassportConfig(AppConfig):
    name = "constellation.passport"
    verbose_name = _("Passport")

    def ready(self) -> None:
        from constellation.passport import signals  # noqa: F401  (connects the receivers)
