from django import forms

from oncolien.table_reading import MAX_BYTES


class ResponseImportForm(forms.Form):
    file = forms.FileField(
        label="Fichier des réponses (CSV ou XLSX)",
        error_messages={"required": "Choisissez le fichier à importer."},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(f"Le fichier dépasse {MAX_BYTES // (1024 * 1024)} Mo.")
        return upload
