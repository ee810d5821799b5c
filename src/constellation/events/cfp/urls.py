"""/events/<slug>/cfp/…: the call for proposals (names agreed in the events brief, plus the
co-presenter and draft actions of this area, prefixed cfp_)."""

from django.urls import path

from constellation.events.cfp import views

urlpatterns = [
    path("<slug:slug>/cfp/", views.call_page, name="cfp"),
    path("<slug:slug>/cfp/new/", views.proposal_new, name="proposal_new"),
    path(
        "<slug:slug>/cfp/invitation/<str:token>/",
        views.copresenter_invitation,
        name="copresenter_invitation",
    ),
    path("<slug:slug>/cfp/<str:code>/", views.proposal_edit, name="proposal_edit"),
    path("<slug:slug>/cfp/<str:code>/submit/", views.proposal_submit, name="proposal_submit"),
    path("<slug:slug>/cfp/<str:code>/withdraw/", views.proposal_withdraw, name="proposal_withdraw"),
    path("<slug:slug>/cfp/<str:code>/delete/", views.proposal_delete, name="cfp_proposal_delete"),
    path("<slug:slug>/cfp/<str:code>/confirm/", views.proposal_confirm, name="proposal_confirm"),
    path("<slug:slug>/cfp/<str:code>/presenters/", views.copresenter_invite, name="cfp_invite"),
    path(
        "<slug:slug>/cfp/<str:code>/presenters/<int:pk>/remove/",
        views.copresenter_remove,
        name="cfp_copresenter_remove",
    ),
    path(
        "<slug:slug>/cfp/<str:code>/presenters/<int:pk>/resend/",
        views.copresenter_resend,
        name="cfp_copresenter_resend",
    ),
    path("<slug:slug>/manage/cfp/", views.cfp_settings, name="cfp_settings"),
]
