from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from .models import AccessLog, District, ExternalIdentity, OutboxMessage, Region, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "email", "first_name", "last_name", "is_active"]
    list_filter = ["groups", "is_active", "preferred_language"]
    fieldsets = DjangoUserAdmin.fieldsets + (
        ("FIEP", {"fields": ("preferred_language", "district", "confidentiality_training_on")}),
    )


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "region", "active"]
    list_filter = ["region", "active"]
    search_fields = ["code", "name"]


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin):
    """Read-only: the access log is append-only."""

    list_display = ["created_at", "user", "role", "action", "case_reference", "purpose"]
    list_filter = ["action", "role"]
    search_fields = ["case_reference", "user__username", "request_id"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = ["created_at", "event", "recipient_email", "language", "status", "attempts"]
    list_filter = ["status", "event", "language"]
    search_fields = ["recipient_email", "case_reference", "subject"]
    readonly_fields = [f.name for f in OutboxMessage._meta.fields]


@admin.register(ExternalIdentity)
class ExternalIdentityAdmin(admin.ModelAdmin):
    """Single sign-on links: an administrator may remove one (the next sign-in then matches
    by verified e-mail again) but never edit or invent one."""

    list_display = ["user", "issuer", "subject", "email_at_link", "linked_at", "last_sign_in_at"]
    list_filter = ["issuer"]
    search_fields = ["user__username", "user__email", "subject", "email_at_link"]
    readonly_fields = ["user", "issuer", "subject", "email_at_link", "linked_at", "last_sign_in_at"]

    def has_add_permission(self, request):
        return False
