from django.urls import path

from eligibility.api import views

urlpatterns = [
    path(
        "eligibility/evaluate",
        views.EligibilityEvaluateApi.as_view(),
        name="api-eligibility-evaluate",
    ),
]
