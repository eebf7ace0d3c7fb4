from django.urls import path

from oncolien.notifications import views_inbox

app_name = "notifications"

urlpatterns = [
    path("", views_inbox.inbox_page, name="inbox"),
    path("<int:pk>/", views_inbox.notification_open, name="open"),
    path("tout-lire/", views_inbox.mark_all_read, name="mark_all_read"),
]
