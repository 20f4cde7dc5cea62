from django.urls import path

from alerts import views

app_name = "alerts"
urlpatterns = [
    path("", views.alert_list, name="list"),
    path("lencana/", views.alert_badge, name="badge"),
    path("<int:pk>/buka/", views.alert_open, name="open"),
    path("baca-semua/", views.alert_mark_all_read, name="mark_all_read"),
    path("daftar-kerja/", views.worklist, name="worklist"),
    path("daftar-kerja/unduh.csv", views.worklist_export, name="worklist_export"),
    path("daftar-kerja/<int:pk>/kontak/", views.worklist_contact, name="worklist_contact"),
    path("jadwal/", views.schedule, name="schedule"),
]
