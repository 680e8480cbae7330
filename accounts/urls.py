from django.urls import path

from accounts import views

app_name = "people"

urlpatterns = [
    path("", views.me, name="me"),
    path("start/", views.start, name="start"),
    path("volunteer/", views.volunteer_form, name="volunteer"),
    path("volunteer/availability/", views.availability, name="availability"),
    path("elder/", views.elder_form, name="elder_self"),
    path("elders/new/", views.register_elder, name="register_elder"),
    path("elders/<int:pk>/", views.elder_detail, name="elder"),
    path("elders/<int:pk>/card/", views.elder_card, name="card"),
    path("elders/<int:pk>/categories/new/", views.category_new, name="category_new"),
    path("elders/<int:pk>/act-for/", views.act_for, name="act_for"),
    path("proxies/ask/", views.proxy_request, name="proxy_request"),
    path("proxies/<int:pk>/confirm/", views.proxy_confirm, name="proxy_confirm"),
    path("proxies/<int:pk>/revoke/", views.proxy_revoke, name="proxy_revoke"),
    path("qualifications/new/", views.qualification_new, name="qualification_new"),
    path("organisations/new/", views.organisation_new, name="organisation_new"),
    path("relatives/new/", views.relative_new, name="relative_new"),
    path("files/<slug:kind>/<int:pk>/", views.evidence, name="evidence"),
    path("my-data.json", views.my_data, name="my_data"),
]
