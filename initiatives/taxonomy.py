from django.utils.translation import gettext_lazy as _

REFORM_AREAS = [
    ("pfm", _("Public financial management")),
    ("anti_corruption", _("Anti-corruption")),
    ("procurement", _("Procurement")),
    ("audit", _("Audit")),
    ("internal_audit", _("Internal audit and control")),
    ("tax", _("Tax policy and administration")),
    ("civil_service", _("Civil service reform")),
    ("performance", _("Performance management")),
    ("monitoring_evaluation", _("Monitoring and evaluation")),
    ("municipal", _("Municipal management")),
    ("health", _("Health")),
    ("energy", _("Energy")),
    ("soe", _("State-owned enterprise reform")),
    ("investment", _("Investment promotion")),
    ("growth", _("Economic growth")),
    ("climate", _("Climate policy")),
    ("environment", _("Environmental policy")),
    ("justice", _("Justice")),
    ("financial_regulation", _("Financial regulation")),
    ("risk", _("Risk management")),
    ("democratic", _("Democratic reform")),
    ("civil_society", _("Civil society engagement")),
    ("project_management", _("Project management")),
    ("governance", _("Broad governance")),
]
REFORM_AREA_NAMES = dict(REFORM_AREAS)
