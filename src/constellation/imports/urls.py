from django.urls import path

from constellation.imports import views

app_name = "imports"

urlpatterns = [
    path("", views.job_list, name="job-list"),
    path("new/", views.job_new, name="job-new"),
    path("<int:pk>/", views.job_detail, name="job-detail"),
    path("<int:pk>/columns/", views.job_map, name="job-map"),
    path("<int:pk>/preview/", views.job_preview, name="job-preview"),
]
