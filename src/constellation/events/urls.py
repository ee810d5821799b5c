"""/events/: each area of the conference mounts its own URL module under the one `events`
namespace (names stay `events:<name>`)."""

from django.urls import include, path

from constellation.events import views

app_name = "events"

urlpatterns = [
    path("<slug:slug>/manage/", views.manage, name="manage"),
    path("", include("constellation.events.programme.urls")),
    path("", include("constellation.events.cfp.urls")),
    path("", include("constellation.events.review.urls")),
    path("", include("constellation.events.timetable.urls")),
    path("", include("constellation.events.registration.urls")),
]
