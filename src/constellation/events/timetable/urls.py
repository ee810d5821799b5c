"""The conference's timetable area: the draft programme for attendees, and for event staff
the grid editor, optimiser runs and publication (names `events:<name>`)."""

from django.urls import path

from constellation.events.timetable import views

urlpatterns = [
    path("<slug:slug>/draft-programme/", views.draft_programme, name="draft_programme"),
    path("<slug:slug>/manage/timetable/", views.timetable, name="timetable"),
    path("<slug:slug>/manage/timetable/optimise/", views.optimise, name="optimise"),
    path("<slug:slug>/manage/timetable/runs/<int:pk>/", views.schedule_run, name="schedule_run"),
    path(
        "<slug:slug>/manage/timetable/publish/", views.timetable_publish, name="timetable_publish"
    ),
]
