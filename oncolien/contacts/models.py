"""The contacts to call after the announcement of the illness, per CPTS.

CPTS Sud Tarn hands out an « annuaire des personnes à joindre à l'issue de
l'annonce »: the day hospital, the nurse of the announcement consultation, the 3C,
the social worker, the emergency line of the hospital and clinic of its territory.
The coordinators of a CPTS keep that list (curation pages); its professionals read
it, and it is printed in every patient's booklet. It holds no patient data.
"""

from django.conf import settings
from django.db import models


class AnnouncementContact(models.Model):
    cpts = models.ForeignKey(
        "territories.Cpts",
        on_delete=models.CASCADE,
        related_name="announcement_contacts",
        verbose_name="CPTS",
    )
    # One of the codes of data/contact-kinds.json (checked by services.contact_save).
    kind = models.CharField("rôle", max_length=40)
    name = models.CharField(
        "intitulé",
        max_length=150,
        help_text="Ce que le patient lit, par exemple « Infirmière d'annonce, Mme Durand ».",
    )
    establishment = models.CharField(
        "établissement", max_length=150, help_text="Par exemple « Clinique du Sidobre, Castres »."
    )
    phone = models.CharField("téléphone", max_length=25)
    email = models.EmailField("courriel", blank=True)
    hours = models.CharField(
        "horaires",
        max_length=200,
        blank=True,
        help_text="En clair, par exemple « du lundi au vendredi, 9 h – 17 h » ou « 24 h/24 ».",
    )
    position = models.PositiveSmallIntegerField(
        "ordre", default=10, help_text="Les contacts sont présentés du plus petit au plus grand."
    )
    updated_at = models.DateTimeField("modifié le", auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = "contact après l'annonce"
        verbose_name_plural = "contacts après l'annonce"
        indexes = [models.Index(fields=["cpts", "position"])]

    def __str__(self) -> str:
        return f"{self.name} — {self.establishment}"

    @property
    def kind_label(self) -> str:
        from oncolien.contacts.kinds import contact_kinds

        return contact_kinds().label(self.kind)
