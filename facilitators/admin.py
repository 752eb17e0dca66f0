"""Admin for the roster. Assignments and objections are read-only here: they change only
through the services (status history, locks, e-mails)."""

from django.contrib import admin

from .models import (
    Assignment,
    Conflict,
    Facilitator,
    Objection,
    SpokenLanguage,
    Training,
    Unavailability,
)


class TrainingInline(admin.TabularInline):
    model = Training
    extra = 0


class UnavailabilityInline(admin.TabularInline):
    model = Unavailability
    extra = 0


class ConflictInline(admin.TabularInline):
    model = Conflict
    extra = 0
    autocomplete_fields = ["district"]


@admin.register(SpokenLanguage)
class SpokenLanguageAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(Facilitator)
class FacilitatorAdmin(admin.ModelAdmin):
    list_display = ["last_name", "first_name", "email", "contract_status", "max_open_cases"]
    list_filter = ["contract_status", "regions", "languages"]
    search_fields = ["last_name", "first_name", "email", "vendor_number"]
    filter_horizontal = ["regions", "languages"]
    raw_id_fields = ["user"]
    inlines = [TrainingInline, UnavailabilityInline, ConflictInline]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Assignment)
class AssignmentAdmin(ReadOnlyAdmin):
    list_display = ["request", "facilitator", "status", "assigned_at", "responded_at"]
    list_filter = ["status"]
    search_fields = ["request__reference", "facilitator__last_name"]


@admin.register(Objection)
class ObjectionAdmin(ReadOnlyAdmin):
    list_display = ["request", "party", "recorded_at"]
    list_filter = ["party"]
