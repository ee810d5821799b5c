"""The review area's pages, mounted under the `events` namespace (names `events:review*`)."""

from django.urls import path

from constellation.events.review import views

urlpatterns = [
    path("<slug:slug>/review/", views.my_assignments, name="review"),
    path("<slug:slug>/review/<str:code>/", views.review_proposal, name="review_proposal"),
    path("<slug:slug>/review/<str:code>/conflict/", views.declare_conflict, name="review_conflict"),
    path("<slug:slug>/manage/review/", views.manage, name="review_manage"),
    path("<slug:slug>/manage/review/committee/", views.member_save, name="review_member_save"),
    path(
        "<slug:slug>/manage/review/committee/<int:pk>/remove/",
        views.member_remove,
        name="review_member_remove",
    ),
    path("<slug:slug>/manage/review/criteria/", views.criterion_add, name="review_criterion_add"),
    path(
        "<slug:slug>/manage/review/criteria/<int:pk>/",
        views.criterion_save,
        name="review_criterion_save",
    ),
    path("<slug:slug>/manage/review/assign/", views.assign_auto, name="review_assign_auto"),
    path(
        "<slug:slug>/manage/review/proposals/<str:code>/assign/",
        views.assignment_add,
        name="review_assignment_add",
    ),
    path(
        "<slug:slug>/manage/review/assignments/<int:pk>/remove/",
        views.assignment_remove,
        name="review_assignment_remove",
    ),
    path(
        "<slug:slug>/manage/review/proposals/<str:code>/",
        views.review_scores,
        name="review_scores",
    ),
    path("<slug:slug>/manage/decisions/", views.decisions, name="review_decisions"),
    path("<slug:slug>/manage/decisions/bulk/", views.decide_bulk, name="review_decide_bulk"),
    path("<slug:slug>/manage/decisions/mails/", views.send_mails, name="review_send_mails"),
    path(
        "<slug:slug>/manage/decisions/mails/status/", views.mail_status, name="review_mail_status"
    ),
    path(
        "<slug:slug>/manage/decisions/wording/<str:decision>/",
        views.template_save,
        name="review_template",
    ),
    path("<slug:slug>/manage/decisions/<str:code>/", views.decide, name="review_decide"),
]
