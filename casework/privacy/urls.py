from django.urls import path

from casework.privacy import views

urlpatterns = [
    path("clients/<uuid:public_id>/export/", views.client_export, name="client_export"),
    path("clients/<uuid:public_id>/erase/", views.client_erase, name="client_erase"),
    path("cases/<str:reference>/legal-holds/", views.legal_hold_add, name="legal_hold_add"),
    path("cases/<str:reference>/legal-holds/<int:hold_id>/release/", views.legal_hold_release, name="legal_hold_release"),
]
