from django.contrib import admin

from .models import CalendarFeed, Meeting, MeetingChange, PaymentClaim, TimeEntry


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class MeetingChangeInline(ReadOnlyInline):
    model = MeetingChange
    fields = ["at", "kind", "by", "sequence", "starts_at", "reason"]
    readonly_fields = fields


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    """Read-mostly: every change goes through the services (messages, history)."""

    list_display = ["request", "status", "starts_at", "held_on", "facilitator", "consensus"]
    list_filter = ["status", "consensus", "held_result"]
    search_fields = ["request__reference"]
    raw_id_fields = ["request", "facilitator", "outcome_recorded_by"]
    # The shared summary changes only through the service, which e-mails a correction.
    readonly_fields = ["uid", "sequence", "scheduled_at", "outcome_recorded_at", "shared_summary"]
    inlines = [MeetingChangeInline]


@admin.register(TimeEntry)
class TimeEntryAdmin(admin.ModelAdmin):
    list_display = ["meeting", "facilitator", "worked_on", "kind", "hours", "miles", "claim"]
    list_filter = ["kind"]
    raw_id_fields = ["meeting", "facilitator", "claim"]


@admin.register(PaymentClaim)
class PaymentClaimAdmin(admin.ModelAdmin):
    """Claims are approved on the claims page; the admin only shows them."""

    list_display = ["facilitator", "month", "status", "hours", "miles", "amount"]
    list_filter = ["status", "month"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    list_display = ["facilitator", "created_at"]
    exclude = ["token"]
