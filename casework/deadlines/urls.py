from django.urls import path

from casework.deadlines import views

urlpatterns = [
    path("cases/<str:reference>/deadlines/", views.case_deadlines, name="case_deadlines"),
    path("cases/<str:reference>/deadlines/new/", views.deadline_create, name="deadline_create"),
    path("cases/<str:reference>/deadlines/<int:deadline_id>/", views.deadline_detail, name="deadline_detail"),
    path("cases/<str:reference>/deadlines/<int:deadline_id>/edit/", views.deadline_edit, name="deadline_edit"),
    path("cases/<str:reference>/deadlines/<int:deadline_id>/close/", views.deadline_complete, name="deadline_complete"),
    path("cases/<str:reference>/events/<int:event_id>/deadlines/", views.deadline_proposals, name="deadline_proposals"),
    path("deadlines/", views.my_deadlines, name="my_deadlines"),
    path("deadlines/dashboard/", views.deadline_dashboard, name="deadline_dashboard"),
    path("deadlines/calendar/", views.calendar_settings, name="calendar_settings"),
    path("deadlines/calendar/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
    path("notifications/", views.notification_list, name="notification_list"),
]
