from django import forms

from oncolien.table_reading import EXTENSIONS, MAX_BYTES


class UploadForm(forms.Form):
    fichier = forms.FileField(
        label="Fichier à importer (.csv ou .xlsx)",
        help_text="CSV en UTF-8 séparé par « ; » ou « , », ou classeur .xlsx (première feuille).",
        widget=forms.ClearableFileInput(
            attrs={"accept": ",".join(EXTENSIONS), "aria-describedby": "fichier-aide"}
        ),
    )
    # The signed token of the import, chosen when the page was shown so that the
    # page can follow the progress of its own upload (see importing.storage).
    jeton = forms.CharField(widget=forms.HiddenInput)

    def clean_fichier(self):
        upload = self.cleaned_data["fichier"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                f"Le fichier dépasse {MAX_BYTES // (1024 * 1024)} Mo : découpez-le en plusieurs fichiers."
            )
        return upload
