"""Programme pages, mounted under the `events` namespace (see events/urls.py)."""

from django.urls import path

from constellation.events.programme import views

urlpatterns = [
    path("", views.event_list, name="list"),
    path("<slug:slug>/", views.event_home, name="home"),
    path("<slug:slug>/programme/", views.programme, name="programme"),
    path("<slug:slug>/programme.ics", views.programme_ical, name="programme_ical"),
    path("<slug:slug>/programme.pdf", views.programme_pdf, name="programme_pdf"),
    path("<slug:slug>/tracks.css", views.tracks_css, name="tracks_css"),
    path("<slug:slug>/schedule.xml", views.schedule_xml, name="schedule_xml"),
    path("<slug:slug>/schedule.json", views.schedule_json, name="schedule_json"),
    path("<slug:slug>/sessions/<str:code>/", views.session_detail, name="session"),
    path("<slug:slug>/sessions/<str:code>/star/", views.star, name="star"),
    path("<slug:slug>/sessions/<str:code>.ics", views.session_ical, name="session_ical"),
    path("<slug:slug>/agenda/", views.agenda, name="agenda"),
    path("<slug:slug>/agenda/reset-feed/", views.agenda_feed_reset, name="agenda_feed_reset"),
    path("<slug:slug>/agenda/<str:token>.ics", views.agenda_ical, name="agenda_ical"),
]
