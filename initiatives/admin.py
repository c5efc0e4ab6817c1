from django.contrib import admin

from .models import Initiative, Invitation, Membership, Risk, Scoping, StageChange


@admin.register(Initiative)
class InitiativeAdmin(admin.ModelAdmin):
    list_display = ["title", "organisation", "stage", "starts_on"]
    list_filter = ["stage", "organisation"]
    search_fields = ["title"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "initiative", "role", "status", "home_organisation"]
    list_filter = ["role", "status", "initiative"]
    search_fields = ["user__email", "user__name"]
    list_select_related = ["user", "initiative", "home_organisation"]
    autocomplete_fields = ["user"]
    filter_horizontal = ["authorised_organisations"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["membership", "created_at", "accepted_at"]
    list_select_related = ["membership__user", "membership__initiative"]


@admin.register(StageChange)
class StageChangeAdmin(admin.ModelAdmin):
    list_display = ["initiative", "from_stage", "to_stage", "changed_by", "changed_at"]


@admin.register(Scoping)
class ScopingAdmin(admin.ModelAdmin):
    list_display = ["initiative", "updated_at"]
    list_select_related = ["initiative"]


@admin.register(Risk)
class RiskAdmin(admin.ModelAdmin):
    list_display = ["description", "initiative", "stage", "status", "owner"]
    list_filter = ["stage", "status"]
    list_select_related = ["initiative", "owner"]
