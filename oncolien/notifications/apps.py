from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "oncolien.notifications"
    label = "notifications"
    verbose_name = "Notifications"
