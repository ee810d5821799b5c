"""System checks that catch contradictory configuration before it bites."""

from django.conf import settings
from django.core.checks import Error, Warning, register


@register()
def check_configuration(app_configs, **kwargs):
    problems = []
    backend = settings.TASKS["default"]["BACKEND"]
    if backend == "django_tasks_rq.RQBackend" and not settings.REDIS_URL:
        problems.append(Error("The RQ task backend needs REDIS_URL.", id="constellation.E001"))
    engine = settings.DATABASES["default"]["ENGINE"]
    if settings.PRODUCTION and engine.endswith("sqlite3"):
        problems.append(
            Warning(
                "Production is running on SQLite; set DATABASE_URL to PostgreSQL for several app processes.",
                id="constellation.W001",
            )
        )
    if settings.PRODUCTION and settings.EMAIL_BACKEND.endswith("console.EmailBackend"):
        problems.append(
            Warning("Production sends mail to the console; set EMAIL_BACKEND and EMAIL_HOST.", id="constellation.W002")
        )
    return problems
