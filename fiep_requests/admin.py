from django.contrib import admin

from .models import CaseNote, DenialReason, FacilitationRequest, StatusChange, TrackingCounter


class StatusChangeInline(admin.TabularInline):
    model = StatusChange
    extra = 0
    can_delete = False
    readonly_fields = ["at", "from_status", "to_status", "by", "reason"]

    def has_add_permission(self, request, obj=None):
        return False


class CaseNoteInline(admin.TabularInline):
    model = CaseNote
    extra = 0
    readonly_fields = ["at", "author"]


@admin.register(FacilitationRequest)
class FacilitationRequestAdmin(admin.ModelAdmin):
    list_display = [
        "reference",
        "received_on",
        "status",
        "requested_by",
        "district",
        "consent_state",
        "imported",
    ]
    list_filter = ["status", "requested_by", "consent_state", "imported", "district__region"]
    search_fields = ["reference", "student_last_name", "student_first_name", "parent_name"]
    date_hierarchy = "received_on"
    list_select_related = ["district"]
    raw_id_fields = ["district"]
    # Status moves go through the service (history, messages): never edited by hand here.
    readonly_fields = [
        "reference",
        "status",
        "status_token",
        "consent_token",
        "submission_token",
        "created_at",
        "updated_at",
    ]
    inlines = [StatusChangeInline, CaseNoteInline]


@admin.register(DenialReason)
class DenialReasonAdmin(admin.ModelAdmin):
    list_display = ["label", "code", "label_es", "active", "order"]
    list_editable = ["active", "order"]
    list_filter = ["active"]
    search_fields = ["label", "code"]


@admin.register(StatusChange)
class StatusChangeAdmin(admin.ModelAdmin):
    list_display = ["request", "from_status", "to_status", "by", "at"]
    list_filter = ["to_status"]
    search_fields = ["request__reference"]
    list_select_related = ["request", "by"]


@admin.register(CaseNote)
class CaseNoteAdmin(admin.ModelAdmin):
    list_display = ["request", "author", "at"]
    search_fields = ["request__reference"]
    list_select_related = ["request", "author"]


@admin.register(TrackingCounter)
class TrackingCounterAdmin(admin.ModelAdmin):
    list_display = ["year", "last"]
