from django.urls import path

from series import views

app_name = "series"
urlpatterns = [
    path("elder/<int:elder_id>/", views.elder_series, name="elder"),
    path("elder/<int:elder_id>/new/", views.new_series, name="new"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/skip/", views.skip, name="skip"),
    path("<int:pk>/pause/", views.pause, name="pause"),
    path("<int:pk>/resume/", views.resume, name="resume"),
    path("<int:pk>/end/", views.end, name="end"),
    path("<int:pk>/take/", views.take, name="take"),
    path("<int:pk>/change/", views.change_time, name="change"),
]
