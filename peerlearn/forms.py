from django import forms
from django.db import transaction

from .models import Organisation


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
