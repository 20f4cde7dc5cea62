from django.urls import path

from referrals.api import views

urlpatterns = [
    path("referrals/", views.ReferralCreateApi.as_view(), name="api-referral-create"),
    path("referrals/<int:pk>/", views.ReferralDetailApi.as_view(), name="api-referral-detail"),
    path("cases/", views.CaseListApi.as_view(), name="api-case-list"),
    path("cases/<int:pk>/", views.CaseDetailApi.as_view(), name="api-case-detail"),
    path("cases/<int:pk>/visits/", views.CaseVisitListApi.as_view(), name="api-case-visits"),
    path("visits/<int:pk>/", views.VisitDetailApi.as_view(), name="api-visit-detail"),
]
