from django.urls import path

from orders import views

app_name = "orders"
urlpatterns = [
    path("", views.start, name="start"),
    path("elder/<int:elder_id>/", views.elder_home, name="elder_home"),
    path("elder/<int:elder_id>/new/<slug:service_code>/", views.new_order, name="new"),
    path("mine/", views.my_orders, name="mine"),
    path("market/", views.market, name="market"),
    path("claims/", views.my_claims, name="claims"),
    path("organisations/<int:pk>/", views.organisation_detail, name="organisation"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/again/", views.order_again, name="again"),
    path("<int:pk>/claim/", views.claim, name="claim"),
    path("<int:pk>/release/", views.release, name="release"),
    path("<int:pk>/check-in/", views.check_in, name="check_in"),
    path("<int:pk>/check-out/", views.check_out, name="check_out"),
    path("<int:pk>/card-code/", views.card_code, name="card_code"),
    path("<int:pk>/confirm/", views.confirm, name="confirm"),
    path("<int:pk>/dispute/", views.dispute, name="dispute"),
    path("<int:pk>/rate/", views.rate, name="rate"),
    path("<int:pk>/cancel/", views.cancel, name="cancel"),
    path("<int:pk>/not-again/", views.not_again, name="not_again"),
    path("<int:pk>/welcome-again/", views.welcome_again, name="welcome_again"),
    path("<int:pk>/pass/", views.pass_offer, name="pass"),
]
