from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from . import services
from .models import ErasureConfirmation, ErasureRequest


class ErasureConfirmationInline(admin.TabularInline):
    model = ErasureConfirmation
    readonly_fields = ["initiative", "confirmed_by", "confirmed_at", "keep_files"]
    can_delete = False
    extra = 0


@admin.register(ErasureRequest)
class ErasureRequestAdmin(admin.ModelAdmin):
    """The site admin confirms for every initiative at once (see services.confirm_as_admin)."""

    list_display = ["__str__", "person", "asked_at", "confirm_by", "status"]
    list_filter = ["status"]
    readonly_fields = [
        "person",
        "asked_at",
        "confirm_by",
        "status",
        "keep_files",
        "confirmed_at",
        "erased_at",
    ]
    inlines = [ErasureConfirmationInline]
    actions = ["erase_deleting_files", "erase_keeping_files"]

    def has_add_permission(self, request):
        return False

    def _confirm(self, request, queryset, keep_files):
        started = sum(
            services.confirm_as_admin(request=erasure, by=request.user, keep_files=keep_files)
            for erasure in queryset
        )
        self.message_user(
            request, _("%(count)d erasure(s) started.") % {"count": started}, messages.SUCCESS
        )

    @admin.action(description=_("Confirm and erase (delete their files)"))
    def erase_deleting_files(self, request, queryset):
        self._confirm(request, queryset, keep_files=False)

    @admin.action(description=_("Confirm and erase (keep their files, anonymised)"))
    def erase_keeping_files(self, request, queryset):
        self._confirm(request, queryset, keep_files=True)
