from django.urls import path

from pharmacy import views

app_name = "pharmacy"
urlpatterns = [
    path("", views.home, name="home"),
    path("gudang/<int:pk>/", views.stock, name="stock"),
    path("gudang/<int:pk>/terima/", views.receive, name="receive"),
    path("gudang/<int:pk>/kartu/<int:medicine_pk>/", views.card, name="card"),
    path("gudang/<int:pk>/opname/", views.opname, name="opname"),
    path("gudang/<int:pk>/mutasi/", views.transfer, name="transfer"),
    path("gudang/<int:pk>/retur/", views.stock_return, name="return"),
    path("gudang/<int:pk>/rusak/", views.write_off, name="write_off"),
    path("gudang/<int:pk>/lplpo/", views.lplpo, name="lplpo"),
    path("gudang/<int:pk>/perencanaan/", views.planning_view, name="planning"),
    path(
        "gudang/<int:pk>/perencanaan/<int:medicine_pk>/",
        views.planning_medicine,
        name="planning_medicine",
    ),
    path("gudang/<int:pk>/abc-ven/", views.abc_ven, name="abc_ven"),
    path("kartu/<int:pk>/koreksi/", views.reverse_line, name="reverse_line"),
    path("resep/<int:pk>/", views.dispense, name="dispense"),
    path("pemusnahan/", views.destruction_list, name="destruction_list"),
    path("pemusnahan/baru/", views.destruction_create, name="destruction_create"),
    path("pemusnahan/<int:pk>/", views.destruction_detail, name="destruction_detail"),
    path("klaim/", views.claims, name="claims"),
    path("ven/", views.ven, name="ven"),
]
