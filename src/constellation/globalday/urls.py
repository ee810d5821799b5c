from django.urls import path

from constellation.globalday.views import organisations, public, staff

app_name = "globalday"

urlpatterns = [
    path("", public.current_campaign, name="current"),
    path("<int:year>/", public.campaign_page, name="campaign"),
    path("<int:year>/calendar.ics", public.campaign_calendar, name="campaign-calendar"),
    path("<int:year>/statistics/", public.statistics, name="statistics"),
    path("<int:year>/embed/", public.embed, name="embed"),
    path("<int:year>/embed/how/", public.embed_help, name="embed-help"),
    path("<int:year>/activities/<int:pk>/", public.activity_detail, name="activity-detail"),
    path("<int:year>/activities/<int:pk>/calendar.ics", public.activity_calendar, name="activity-calendar"),
    path("<int:year>/activities/<int:pk>/edit/", organisations.activity_edit, name="activity-edit"),
    path("<int:year>/activities/<int:pk>/withdraw/", organisations.activity_withdraw, name="activity-withdraw"),
    path("<int:year>/activities/<int:pk>/report/", organisations.activity_report, name="activity-report"),
    path("<int:year>/register/", organisations.register_start, name="register-start"),
    path("<int:year>/register/<slug:slug>/", organisations.register, name="register"),
    path("<int:year>/mine/", organisations.my_activities, name="my-activities"),
    path("<int:year>/moderation/", staff.moderation_queue, name="moderation"),
    path("<int:year>/moderation/bulk/", staff.moderate_bulk, name="moderate-bulk"),
    path("<int:year>/moderation/<int:pk>/", staff.moderate, name="moderate"),
    path("<int:year>/report.csv", staff.report_csv, name="report-csv"),
    path("<int:year>/report.pdf", staff.report_pdf, name="report-pdf"),
]
