from django.urls import path

from satusehat.api import views

urlpatterns = [
    path("cases/<int:pk>/fhir", views.CaseFhirBundleApi.as_view(), name="api-case-fhir"),
]
