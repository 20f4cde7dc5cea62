from django.urls import path

from dashboards import views

app_name = "dashboards"
urlpatterns = [
    path("", views.district, name="district"),
    path("puskesmas/<int:pk>/", views.puskesmas, name="puskesmas"),
    path("puskesmas/<int:pk>/pasien/", views.patients, name="patients"),
    path("obat/", views.medicine_balance, name="medicine_balance"),
]
