from django.urls import path

from constellation.atlas import views

app_name = "atlas"

urlpatterns = [
    path("", views.index, name="index"),
    path("analyses/<int:pk>/", views.analysis_detail, name="analysis-detail"),
    path("analyses/<int:pk>/map.json", views.analysis_map, name="analysis-map"),
    path("analyses/<int:pk>/regions.csv", views.regions_csv, name="analysis-regions-csv"),
    path("analyses/<int:pk>/places.csv", views.places_csv, name="analysis-places-csv"),
    path("analyses/<int:pk>/atlas.geojson", views.analysis_geojson, name="analysis-geojson"),
]
