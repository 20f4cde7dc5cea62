from django.urls import path

from bpjs import views

app_name = "bpjs"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("pengaturan/", views.credentials_edit, name="credentials"),
    path("srb/isi/", views.srb_fill, name="srb_fill"),
    path("peserta/", views.participant_check, name="participant"),
    path("antrean/<str:kind>/<int:pk>/kirim-ulang/", views.queue_resend, name="queue_resend"),
    path("klaim-apotek/", views.apotek_claims, name="apotek_claims"),
    path("referensi/obat/", views.medicine_mapping, name="medicine_mapping"),
]
