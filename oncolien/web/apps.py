from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "oncolien.web"
    label = "web"

    def ready(self):
        from oncolien.web.public_cache import register_public_paths

        # The CPTS and communes (the territories app, which sits below this one): changed
        # by an administrator or a territory load, which no history records, so kept at
        # most ONCOLIEN_PUBLIC_CACHE_SECONDS.
        register_public_paths("/api/v1/territories/")
