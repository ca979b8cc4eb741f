from django.urls import path

from casework.audit import views

urlpatterns = [
    path("org/audit/", views.audit_trail, name="audit_trail"),
]
