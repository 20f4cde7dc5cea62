from django.urls import path

from patients import views

app_name = "patients"
urlpatterns = [
    path("", views.patient_list, name="list"),
    path("baru/", views.patient_create, name="create"),
    path("<int:pk>/", views.patient_detail, name="detail"),
    path("<int:pk>/ubah/", views.patient_edit, name="edit"),
    path("<int:pk>/audit/", views.patient_audit, name="audit"),
]
