from crispy_forms.helper import FormHelper
from django import forms
from django.db import transaction

from .models import Organisation, TeamMembership


class PlainFormHelper(FormHelper):
    """Fields only: the page's template writes the <form> tag and its CSRF token."""

    form_tag = False
    disable_csrf = True


class FacilitatingOrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["name", "country"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.kind = Organisation.Kind.FACILITATING

    def save_for(self, user):
        with transaction.atomic():
            organisation = self.save()
            TeamMembership.objects.create(user=user, organisation=organisation, granted_by=user)
        return organisation
