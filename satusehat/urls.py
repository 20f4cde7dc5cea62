from django.urls import path

from satusehat import views

app_name = "satusehat"
urlpatterns = [
    path("", views.outbox, name="outbox"),
    path("<int:pk>/kirim-ulang/", views.outbox_resend, name="resend"),
]
