from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from constellation.api import api
from constellation.networks import views as network_views

admin.site.site_header = _("Constellation staff")
admin.site.site_title = _("Constellation staff")

urlpatterns = [
    path("", network_views.home, name="home"),
    path("", include("constellation.networks.urls")),
    path("me/", include("constellation.accounts.urls")),
    path("imports/", include("constellation.imports.urls")),
    path("insights/", include("constellation.insights.urls")),
    path("passport/", include("constellation.passport.urls")),
    path("science-day/", include("constellation.globalday.urls")),
    path("atlas/", include("constellation.atlas.urls")),
    path("events/", include("constellation.events.urls")),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("staff/", admin.site.urls),
    path("api/v1/", api.urls),
]
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
