from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from prb import views

api_v1 = [
    path("", include("patients.api.urls")),
    path("", include("eligibility.api.urls")),
    path("", include("referrals.api.urls")),
    path("", include("pharmacy.api.urls")),
    path("", include("satusehat.api.urls")),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path(
        "akun/masuk/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"
    ),
    path("akun/", include("django.contrib.auth.urls")),
    path("pasien/", include("patients.urls")),
    path("rujukan/", include("referrals.urls")),
    path("farmasi/", include("pharmacy.urls")),
    path("notifikasi/", include("alerts.urls")),
    path("dasbor/", include("dashboards.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]
