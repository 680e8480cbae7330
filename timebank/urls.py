from allauth.account.decorators import secure_admin_login
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from timebank import staff, views
from timebank.admin_actions import checks_selected_ids

# Staff log in through the same rate-limited login as everyone else.
admin.site.login = secure_admin_login(admin.site.login)
admin.site.admin_view = checks_selected_ids(admin.site.admin_view)
admin.site.site_header = _("Time Bank staff")
admin.site.site_title = _("Time Bank staff")
admin.site.index_title = _("Today's work")
admin.site.add_action(staff.export_selected_csv)

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("favicon.ico", views.favicon, name="favicon"),
]

urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    path("accounts/", include("allauth.urls")),
    path("orders/", include("orders.urls")),
    path("me/", include("accounts.urls")),
    path("credits/", include("credits.urls")),
    path("rewards/", include("rewards.urls")),
    path("admin/dashboard/", admin.site.admin_view(staff.dashboard), name="staff_dashboard"),
    path("admin/reports/", admin.site.admin_view(staff.report), name="staff_report"),
    path("admin/", admin.site.urls),
    prefix_default_language=True,
)
