from django.apps import AppConfig


class ContactsConfig(AppConfig):
    name = "oncolien.contacts"
    label = "contacts"
    verbose_name = "Contacts après l'annonce"

    def ready(self):
        from oncolien.booklets.extensions import register_booklet_section
        from oncolien.contacts import access, booklet_parts

        access.register()
        # The contacts are the booklet's second section, after the care team.
        register_booklet_section(booklet_parts.contacts_section, order=20)
