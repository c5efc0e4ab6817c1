from crispy_forms.helper import FormHelper
from django import forms
from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from .content_languages import current_language
from .models import Organisation, TeamMembership, User


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


# --- content languages: the language chosen at sign-up and in the profile ---


def _language_field():
    return forms.ChoiceField(
        label=_("Language"),
        choices=settings.LANGUAGES,
        help_text=_("Pages and emails to you are written in it."),
    )


class SignupLanguageForm(forms.Form):
    """What allauth's sign-up form adds (ACCOUNT_SIGNUP_FORM_CLASS): the person's language,
    the one they are reading in unless they choose another."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"] = _language_field()
        self.fields["language"].initial = current_language()
        self.fields["language"].required = False  # a sign-up sent without it keeps the page's

    def signup(self, request, user):
        user.language = self.cleaned_data["language"] or current_language()
        user.save(update_fields=["language"])


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["name", "language"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"] = _language_field()
        # Facilitators, partners and reports know a person by this name.
        self.fields["name"].required = True
        self.helper = PlainFormHelper()
