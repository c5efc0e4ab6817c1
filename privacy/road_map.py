"""What the personal-data app adds to the road map's registries."""

from django.utils.translation import gettext_lazy as _

from initiatives.road_map import tab

# --- personal data: erasure ---
tab("personal_data", _("Personal data"), "privacy:initiative", order=7)
