from django.urls import path

from casework.cases import views

urlpatterns = [
    path("cases/", views.case_list, name="case_list"),
    path("cases/<str:reference>/", views.case_detail, name="case_detail"),
    path("cases/<str:reference>/edit/", views.case_edit, name="case_edit"),
    path("cases/<str:reference>/reassign/", views.case_reassign, name="case_reassign"),
    path("cases/<str:reference>/sharing/", views.case_sharing, name="case_sharing"),
    path("cases/<str:reference>/sharing/revoke/", views.case_revoke, name="case_revoke"),
    path("clients/<uuid:public_id>/open-case/", views.case_open, name="case_open"),
    path("org/sharing/", views.sharing_overview, name="sharing_overview"),
]
