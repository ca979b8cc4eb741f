from django.urls import path

from casework.cases import views

urlpatterns = [
    path("cases/", views.case_list, name="case_list"),
    path("cases/<str:reference>/", views.case_detail, name="case_detail"),
    path("cases/<str:reference>/edit/", views.case_edit, name="case_edit"),
    path("cases/<str:reference>/history/", views.case_history, name="case_history"),
    path("cases/<str:reference>/reassign/", views.case_reassign, name="case_reassign"),
    path("cases/<str:reference>/sharing/", views.case_sharing, name="case_sharing"),
    path("cases/<str:reference>/sharing/revoke/", views.case_revoke, name="case_revoke"),
    path("cases/<str:reference>/details/", views.case_details_edit, name="case_details_edit"),
    path("cases/<str:reference>/whereabouts/", views.case_reveal, name="case_reveal"),
    path("cases/<str:reference>/status/", views.case_status, name="case_status"),
    path("cases/<str:reference>/events/new/", views.event_add, name="event_add"),
    path("cases/<str:reference>/events/<int:event_id>/correct/", views.event_correct, name="event_correct"),
    path("cases/<str:reference>/notes/new/", views.note_add, name="note_add"),
    path("cases/<str:reference>/documents/new/", views.document_upload, name="document_upload"),
    path("cases/<str:reference>/documents/<uuid:document_id>/", views.document_download, name="document_download"),
    path("cases/<str:reference>/records/<slug:kind>/new/", views.record_add, name="record_add"),
    path("cases/<str:reference>/records/<slug:kind>/<int:record_id>/", views.record_edit, name="record_edit"),
    path("clients/<uuid:public_id>/open-case/", views.case_open, name="case_open"),
    path("org/sharing/", views.sharing_overview, name="sharing_overview"),
]
