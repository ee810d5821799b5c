"""Each area of insights keeps its routes beside its views (views/<area>.py: urlpatterns)."""

from constellation.insights.views import benchmarks, field, reports, surveys

app_name = "insights"

urlpatterns = [*surveys.urlpatterns, *benchmarks.urlpatterns, *field.urlpatterns, *reports.urlpatterns]
