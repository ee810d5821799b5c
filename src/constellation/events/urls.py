"""/events/: each area of the conference mounts its own URL module under the one `events`
namespace (names stay `events:<name>`)."""

from django.urls import include, path

app_name = "events"

urlpatterns = [
    path("", include("constellation.events.programme.urls")),
    path("", include("constellation.events.cfp.urls")),
    path("", include("constellation.events.review.urls")),
    path("", include("constellation.events.timetable.urls")),
    path("", include("constellation.events.registration.urls")),
]
