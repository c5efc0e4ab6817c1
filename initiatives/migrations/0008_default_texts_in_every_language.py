"""Standard risks and peer contracts made before texts were kept in several languages get
every site language's version, where they still read as shipped in English."""

from django.db import migrations


def fill_versions(apps, schema_editor):
    # The shipped defaults as they read today: rows that no longer match are left alone.
    from initiatives.defaults import STANDARD_RISKS
    from initiatives.models.foundation import DEFAULT_TEXT
    from peerlearn.content_languages import versions_of_untouched_defaults

    Risk = apps.get_model("initiatives", "Risk")
    ContractTemplate = apps.get_model("initiatives", "ContractTemplate")
    standard = {key: (description, mitigation) for key, _s, description, mitigation in STANDARD_RISKS}
    risks = []
    for risk in Risk.objects.filter(translations={}).exclude(seed_key="").iterator():
        description, mitigation = standard.get(risk.seed_key, (None, None))
        risk.translations = versions_of_untouched_defaults(
            risk, description=description, mitigation=mitigation
        )
        if risk.translations:
            risks.append(risk)
    Risk.objects.bulk_update(risks, ["translations"], batch_size=500)
    templates = []
    for template in ContractTemplate.objects.filter(translations={}).iterator():
        template.translations = versions_of_untouched_defaults(template, commitments=DEFAULT_TEXT)
        if template.translations:
            templates.append(template)
    ContractTemplate.objects.bulk_update(templates, ["translations"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("initiatives", "0007_content_in_several_languages")]

    operations = [migrations.RunPython(fill_versions, migrations.RunPython.noop)]
