"""Registration pages, mounted under the `events` namespace (see events/urls.py)."""

from django.urls import path

from constellation.events.registration import views

urlpatterns = [
    path("<slug:slug>/register/", views.register, name="register"),
    path("<slug:slug>/registration/", views.my_registration, name="my_registration"),
    path("<slug:slug>/registration/cancel/", views.cancel, name="registration_cancel"),
    path("<slug:slug>/registration/badge.pdf", views.badge_pdf, name="badge_pdf"),
    path(
        "<slug:slug>/registration/workshops/<str:code>/book/",
        views.workshop_book,
        name="workshop_book",
    ),
    path(
        "<slug:slug>/registration/workshops/<str:code>/cancel/",
        views.workshop_cancel,
        name="workshop_cancel",
    ),
    path("<slug:slug>/invoices/<str:number>.pdf", views.invoice_pdf, name="invoice_pdf"),
    path("<slug:slug>/manage/registrations/", views.registrations, name="registrations"),
    path(
        "<slug:slug>/manage/registrations/export.csv",
        views.registrations_csv,
        name="registrations_csv",
    ),
    path("<slug:slug>/manage/registrations/badges.pdf", views.badges_sheet_pdf, name="badges_pdf"),
    path("<slug:slug>/manage/registrations/promote/", views.promote, name="registrations_promote"),
    path(
        "<slug:slug>/manage/registrations/<int:pk>/payment/",
        views.record_payment,
        name="registration_payment",
    ),
    path(
        "<slug:slug>/manage/registrations/<int:pk>/cancel/",
        views.staff_cancel,
        name="registration_staff_cancel",
    ),
    path("<slug:slug>/manage/check-in/", views.checkin, name="checkin"),
]
