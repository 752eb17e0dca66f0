from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from .lockout import unlock
from .models import AccessLog, District, OutboxMessage, Region, User


@admin.action(description=_("Unlock log-in (clear failed attempts)"))
def unlock_login(modeladmin, request, queryset):
    removed = sum(unlock(user.get_username()) for user in queryset)
    modeladmin.message_user(
        request, _("Log-in unlocked; %(n)s failed-attempt records removed.") % {"n": removed}
    )


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    actions = [unlock_login, *DjangoUserAdmin.actions]
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
