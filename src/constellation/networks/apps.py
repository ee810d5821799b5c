from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworksConfig(AppConfig):
    name = "constellation.networks"
    verbose_name = _("Networks and members")

    def ready(self) -> None:
        from constellation.networks import signals  # noqa: F401  (connects the receivers)
