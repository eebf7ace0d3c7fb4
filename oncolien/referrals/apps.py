from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "oncolien.referrals"
    label = "referrals"
