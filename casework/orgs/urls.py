from django.urls import path

from casework.orgs import views

urlpatterns = [
    path("org/members/", views.member_list, name="member_list"),
    path("org/members/new/", views.member_create, name="member_create"),
    path("org/members/<int:membership_id>/", views.member_detail, name="member_detail"),
    path("org/members/<int:membership_id>/invitation/", views.member_invite_again, name="member_invite_again"),
    path("org/members/<int:membership_id>/end-sessions/", views.member_end_sessions, name="member_end_sessions"),
    path("org/members/<int:membership_id>/active/", views.member_set_active, name="member_set_active"),
    path("org/members/<int:membership_id>/withdraw/", views.member_role_withdraw, name="member_role_withdraw"),
    path("org/access/", views.role_requests, name="role_requests"),
    path("org/access/<int:request_id>/", views.role_request_decide, name="role_request_decide"),
    path("org/settings/", views.organisation_settings, name="organisation_settings"),
]
