from django.urls import path

from referrals import views

app_name = "referrals"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("baru/", views.letter_create, name="letter_create"),
    path("baru/periksa/", views.letter_evaluate, name="letter_evaluate"),
    path("surat/<int:pk>/", views.letter_detail, name="letter_detail"),
    path("surat/<int:pk>/terima/", views.letter_accept, name="letter_accept"),
    path("surat/<int:pk>/kembalikan/", views.letter_return, name="letter_return"),
    path("surat/<int:pk>/tanda-terima/", views.letter_receipt, name="letter_receipt"),
    path("kasus/", views.case_list, name="case_list"),
    path("kasus/<int:pk>/", views.case_detail, name="case_detail"),
    path("kasus/<int:pk>/status/", views.case_status, name="case_status"),
    path("kasus/<int:pk>/pustu/", views.case_pustu, name="case_pustu"),
    path("kasus/<int:pk>/kartu/", views.case_card, name="case_card"),
    path("kasus/<int:pk>/rencana/", views.care_plan_edit, name="care_plan_edit"),
    path("kasus/<int:pk>/kunjungan/baru/", views.visit_create, name="visit_create"),
    path("kasus/<int:pk>/kunjungan/periksa-resep/", views.visit_check, name="visit_check"),
    path("kasus/<int:pk>/rujuk-ulang/", views.rereferral_create, name="rereferral_create"),
    path("kasus/<int:pk>/kunjungan-rumah/", views.home_visit_create, name="home_visit_create"),
    path(
        "kasus/<int:pk>/pemantauan/<int:item_pk>/",
        views.monitoring_done,
        name="monitoring_done",
    ),
    path(
        "kasus/<int:pk>/mandiri/<int:item_pk>/",
        views.self_management_tick,
        name="self_management_tick",
    ),
    path("kunjungan/<int:pk>/", views.visit_detail, name="visit_detail"),
    path("rujuk-ulang/<int:pk>/", views.rereferral_letter, name="rereferral_letter"),
    path("pasien/<int:patient_pk>/riwayat/", views.patient_timeline, name="timeline"),
    path("kesiapan/", views.readiness, name="readiness"),
    path("kesiapan/<str:program>/", views.readiness_edit, name="readiness_edit"),
]
