from django.urls import path

from constellation.networks import views

app_name = "networks"

urlpatterns = [
    path("organisations/", views.organisation_list, name="organisation-list"),
    path("organisations/map/", views.organisation_map, name="organisation-map"),
    path("organisations/<slug:slug>/", views.organisation_detail, name="organisation-detail"),
    path("organisations/<slug:slug>/edit/", views.organisation_edit, name="organisation-edit"),
    path("organisations/<slug:slug>/staff/", views.organisation_staff, name="organisation-staff"),
    path("organisations/<slug:slug>/staff/<int:pk>/", views.affiliation_update, name="affiliation-update"),
    path("organisations/<slug:slug>/history/", views.organisation_history, name="organisation-history"),
    path("networks/", views.network_list, name="network-list"),
    path("networks/<slug:slug>/", views.network_detail, name="network-detail"),
    path("people/", views.person_list, name="person-list"),
    path("people/<int:pk>/", views.person_detail, name="person-detail"),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation-accept"),
]
