from django import forms

from oncolien.table_reading import EXTENSIONS, MAX_BYTES


class RegisterImportForm(forms.Form):
    title = forms.CharField(
        label="Intitulé du registre",
        max_length=200,
        initial="Registre des CPTS d'Occitanie",
        help_text="Par exemple : « Registre des CPTS d'Occitanie, juin 2026 ».",
    )
    region = forms.CharField(label="Région", max_length=100, initial="Occitanie")
    fichier = forms.FileField(
        label="Fichier du registre (.csv ou .xlsx)",
        help_text="CSV en UTF-8 séparé par « ; » ou « , », ou classeur .xlsx (première feuille).",
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(EXTENSIONS)}),
    )

    def clean_fichier(self):
        upload = self.cleaned_data["fichier"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                f"Le fichier dépasse {MAX_BYTES // (1024 * 1024)} Mo : "
                "découpez-le en plusieurs fichiers."
            )
        return upload
