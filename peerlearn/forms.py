from crispy_forms.helper import FormHelper
from django import forms
from django.db import transaction

from .models import Organisation


class PlainFormHelper(FormHelper):
    """Fields only: the page's template writes the <form> tag and its CSRF token."""

    form_tag = False
    disable_csrf = True


class FacilitatingOrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["name", "country"]

    def save_for(self, user):
        with transaction.atomic():
            organisation = self.save(commit=False)
            organisation.kind = Organisation.Kind.FACILITATING
            organisation.save()
            user.organisation = organisation
            user.save(update_fields=["organisation"])
        return organisation
