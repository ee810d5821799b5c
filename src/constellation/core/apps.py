from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "constellation.core"
    verbose_name = "Core"

    def ready(self) -> None:
        from constellation.core import checks  # noqa: F401  (registers system checks)
