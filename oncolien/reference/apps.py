from django.apps import AppConfig


class ReferenceConfig(AppConfig):
    name = "oncolien.reference"
    label = "reference"

    def ready(self):
        from oncolien.reference.models import ReferenceDataVersion
        from oncolien.web.public_cache import register_changes, register_public_paths

        # Reference data change only by a new load of the versioned file.
        register_public_paths("/api/v1/reference/")
        register_changes(ReferenceDataVersion)
