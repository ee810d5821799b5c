from django import forms
from django.utils.translation import gettext_lazy as _

from constellation.accounts.models import User


class AccountForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["display_name", "language"]


class ApiTokenForm(forms.Form):
    name = forms.CharField(label=_("Token name"), max_length=100, help_text=_("What will use it, e.g. “CRM sync”."))


class DeleteAccountForm(forms.Form):
    confirm = forms.CharField(
        label=_("Type DELETE to confirm"), max_length=10,
        help_text=_("Your profile is erased and you are signed out. This cannot be undone."),
    )

    def clean_confirm(self):
        value = self.cleaned_data["confirm"].strip()
        if value != "DELETE":
            raise forms.ValidationError(_("Type the word DELETE in capital letters to confirm."))
        return value
