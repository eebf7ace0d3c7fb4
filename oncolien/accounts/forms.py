from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm

DISABLED_ACCOUNT_MESSAGE = (
    "Ce compte est désactivé. Contactez la coordination de votre CPTS pour le réactiver."
)


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "Identifiant ou mot de passe incorrect. Vérifiez votre saisie.",
        "inactive": DISABLED_ACCOUNT_MESSAGE,
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = "Identifiant"
        self.fields["password"].label = "Mot de passe"

    def clean(self):
        try:
            return super().clean()
        except forms.ValidationError:
            # Django's backend does not authenticate a disabled account at all; tell its
            # owner why (only when the password is right, so nothing leaks to others).
            username = self.cleaned_data.get("username")
            password = self.cleaned_data.get("password")
            user = get_user_model().objects.filter(username=username, is_active=False).first()
            if user is not None and password and user.check_password(password):
                raise forms.ValidationError(DISABLED_ACCOUNT_MESSAGE, code="inactive") from None
            raise


class TokenForm(forms.Form):
    token = forms.CharField(
        label="Code à 6 chiffres",
        max_length=6,
        min_length=6,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9]{6}"}
        ),
        error_messages={
            "required": "Saisissez le code affiché par votre application.",
            "min_length": "Le code compte 6 chiffres.",
            "max_length": "Le code compte 6 chiffres.",
        },
    )

    def clean_token(self):
        token = self.cleaned_data["token"].strip()
        if not token.isdigit():
            raise forms.ValidationError("Le code ne contient que des chiffres.")
        return token
