from django.urls import path

from credits import views

app_name = "credits"
urlpatterns = [
    path("", views.my_credits, name="mine"),
    path("statement/", views.statement, name="statement"),
]
