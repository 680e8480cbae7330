from django.urls import path

from credits import views

app_name = "credits"
urlpatterns = [
    path("", views.my_credits, name="mine"),
    path("statement/", views.statement, name="statement"),
    path("hours-statement/", views.hours_statement, name="hours_statement"),
    path("carry-in/", views.carry_in, name="carry_in"),
]
