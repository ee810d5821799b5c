from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    name = "constellation.imports"
    verbose_name = _("Imports")

    def ready(self) -> None:
        # Kinds whose rows other apps check and write; registered once every app is loaded.
        from constellation.imports.models import ImportKind
        from constellation.imports.rows import ROW_FORMS
        from constellation.insights.survey_import import SurveyAnswerRowForm

        ROW_FORMS[ImportKind.SURVEY_ANSWERS] = SurveyAnswerRowForm
