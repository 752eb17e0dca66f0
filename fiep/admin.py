from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from .lockout import unlock
from .mfa import enrolment_link_send
from .models import (
    AccessLog,
    District,
    ExternalIdentity,
    MFAEnrolmentLink,
    OutboxMessage,
    Region,
    User,
)


@admin.action(description=_("Unlock log-in (clear failed attempts)"))
def unlock_login(modeladmin, request, queryset):
    removed = sum(unlock(user.get_username()) for user in queryset)
    modeladmin.message_user(
        request, _("Log-in unlocked; %(n)s failed-attempt records removed.") % {"n": removed}
    )


@admin.action(description=_("Send a two-step set-up link (valid 72 hours)"))
def send_mfa_enrolment_link(modeladmin, request, queryset):
    sent = 0
    for user in queryset:
        if not user.email:
            modeladmin.message_user(
                request, _("%(user)s has no e-mail address.") % {"user": user}, messages.WARNING
            )
            continue
        enrolment_link_send(user=user, by=request.user)
        sent += 1
    modeladmin.message_user(request, _("Set-up links sent: %(n)s.") % {"n": sent})


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    actions = [send_mfa_enrolment_link, unlock_login, *DjangoUserAdmin.actions]
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


@admin.register(MFAEnrolmentLink)
class MFAEnrolmentLinkAdmin(admin.ModelAdmin):
    """Read-only: links are sent with the user list's action; the token is never stored."""

    list_display = ["user", "created_by", "created_at", "expires_at", "used_at"]
    search_fields = ["user__username"]
    readonly_fields = ["user", "created_by", "created_at", "expires_at", "used_at"]
    exclude = ["token_hash"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
