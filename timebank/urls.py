from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from credits.views import statement_key
from timebank import views

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("favicon.ico", views.favicon, name="favicon"),
    path(".well-known/timebank-statement-key", statement_key, name="statement_key"),
    # Programs ask in the language they send (Accept-Language), not by the path.
    path("api/v1/", include("api.urls")),
]

urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    path("start/", views.landing, name="landing"),
    path("start/role/", views.choose_role, name="choose_role"),
    path("elder-mode/", views.elder_mode, name="elder_mode"),
    path("accounts/", include("allauth.urls")),
    path("orders/", include("orders.urls")),
    path("me/", include("accounts.urls")),
    path("credits/", include("credits.urls")),
    path("rewards/", include("rewards.urls")),
    path("series/", include("series.urls")),
    path("notifications/", include("notifications.urls")),
    path("admin/", admin.site.urls),
    prefix_default_language=True,
)
