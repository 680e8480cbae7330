from django.urls import path

from rewards import views

app_name = "rewards"
urlpatterns = [
    path("", views.shelf, name="shelf"),
    path("goods/<int:pk>/", views.goods_detail, name="goods"),
    path("goods/<int:pk>/image/", views.goods_image, name="goods_image"),
    path("redemptions/<int:pk>/", views.redemption_detail, name="redemption"),
    path("redemptions/<int:pk>/cancel/", views.redemption_cancel, name="redemption_cancel"),
    path("pickup/", views.pickup, name="pickup"),
    path("mine/", views.mine, name="mine"),
    path("mine/honours/", views.honour_preference, name="honour_preference"),
    path("gift/", views.gift, name="gift"),
    path("donate/", views.donate, name="donate"),
    path("projects/", views.projects, name="projects"),
    path("projects/<slug:code>/", views.project_detail, name="project"),
    path("notices/", views.notices, name="notices"),
    path("notices/<int:pk>/", views.notice_detail, name="notice"),
    path("honours/", views.honours, name="honours"),
    path("certificates/new/", views.certificate_new, name="certificate_new"),
    path("certificates/<slug:serial>/print/", views.certificate_print, name="certificate_print"),
    path("verify/<slug:serial>/", views.certificate_verify, name="certificate"),
]
