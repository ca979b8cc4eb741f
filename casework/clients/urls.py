from django.urls import path

from casework.clients import views

urlpatterns = [
    path("clients/", views.client_list, name="client_list"),
    path("clients/new/", views.client_create, name="client_create"),
    path("clients/<uuid:public_id>/", views.client_detail, name="client_detail"),
    path("clients/<uuid:public_id>/edit/", views.client_edit, name="client_edit"),
    path("clients/<uuid:public_id>/history/", views.client_history, name="client_history"),
]
