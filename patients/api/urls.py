from django.urls import path

from patients.api import views

urlpatterns = [
    path("patients/", views.PatientListApi.as_view(), name="api-patient-list"),
    path("patients/<int:pk>/", views.PatientDetailApi.as_view(), name="api-patient-detail"),
]
