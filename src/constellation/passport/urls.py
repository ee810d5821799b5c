from django.urls import path

from constellation.passport import views

app_name = "passport"

urlpatterns = [
    path("", views.programme_list, name="programme-list"),
    path("places/", views.place_suggestions, name="place-suggestions"),
    path("<slug:network>/", views.finder, name="finder"),
    path("<slug:network>/venues/", views.participants, name="participants"),
    path("<slug:network>/venues.csv", views.participants_csv, name="participants-csv"),
    path("<slug:network>/venues.pdf", views.participants_pdf, name="participants-pdf"),
    path("<slug:network>/check/", views.front_desk, name="front-desk"),
    path("<slug:network>/my-venues/", views.my_venues, name="my-venues"),
    path("<slug:network>/manage/", views.manage, name="manage"),
    path("<slug:network>/venues/<slug:organisation>/", views.venue_settings, name="venue-settings"),
    path(
        "<slug:network>/venues/<slug:organisation>/<str:action>/", views.venue_status, name="venue-status"
    ),
]
