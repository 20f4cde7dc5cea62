from django.contrib import admin
from django.contrib.auth import urls as auth_urls
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from accounts.forms import LoginForm
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
    path(
        "akun/masuk/",
        auth_views.LoginView.as_view(
            redirect_authenticated_user=True, authentication_form=LoginForm
        ),
        name="login",
    ),
    # Django's own login address leads to PRB's login page (one login, LOGIN_URL).
    path(
        "akun/login/",
        RedirectView.as_view(pattern_name="login", query_string=True),
        name="login_redirect",
    ),
    # The rest of django.contrib.auth.urls, without its own login page.
    path(
        "akun/",
        include([p for p in auth_urls.urlpatterns if getattr(p, "name", None) != "login"]),
    ),
    path("pasien/", include("patients.urls")),
    path("rujukan/", include("referrals.urls")),
    path("farmasi/", include("pharmacy.urls")),
    path("notifikasi/", include("alerts.urls")),
    path("dasbor/", include("dashboards.urls")),
    path("bpjs/", include("bpjs.urls")),
    path("satusehat/", include("satusehat.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # Swagger UI's start-up script is served as a file (?script), so the CSP needs no inline code.
    path(
        "api/docs/",
        login_required(SpectacularSwaggerSplitView.as_view(url_name="api-schema")),
        name="api-docs",
    ),
]

# An API URL no route matches answers JSON; pages keep the 404 page.
handler404 = "common.api.not_found"
