from django.urls import path

from pharmacy.api import views

urlpatterns = [
    path("pharmacy/receipts/", views.StockReceiveApi.as_view(), name="api-pharmacy-receipt"),
    path(
        "pharmacy/prescriptions/<int:pk>/dispense/",
        views.StockDispenseApi.as_view(),
        name="api-pharmacy-dispense",
    ),
    path(
        "pharmacy/stores/<int:pk>/stock/",
        views.StockLevelListApi.as_view(),
        name="api-pharmacy-stock",
    ),
    path(
        "pharmacy/stores/<int:pk>/card/",
        views.StockCardLineListApi.as_view(),
        name="api-pharmacy-card",
    ),
]
