from django.urls import path

from constellation.imports import views

app_name = "imports"

urlpatterns = [
    path("", views.job_list, name="job-list"),
]
