from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .admin_access import AccountsAdmin, MinistryReadOnlyAdmin
from .models import AuditRecord, Notification, User


@admin.register(User)
class UserAdmin(AccountsAdmin, BaseUserAdmin):
    list_display = ["username", "get_full_name", "role", "province", "agency", "bank", "is_active"]
    list_filter = ["role", "province", "bank", "is_active"]
    fieldsets = BaseUserAdmin.fieldsets + (
        (_("نقش و حوزه"), {"fields": ("role", "province", "agency", "bank", "bank_provinces", "mobile")}),
    )
    add_fieldsets = BaseUserAdmin.add_fieldsets + (
        (_("نقش و حوزه"), {"fields": ("role", "province", "agency", "bank")}),
    )
    filter_horizontal = BaseUserAdmin.filter_horizontal + ("bank_provinces",)

    def get_readonly_fields(self, request, obj=None):
        # Only a superuser grants superuser status or raw permissions.
        if request.user.is_superuser:
            return ()
        return ("is_superuser", "is_staff", "groups", "user_permissions", "last_login", "date_joined")


@admin.register(AuditRecord)
class AuditRecordAdmin(MinistryReadOnlyAdmin):
    """The audit trail is append-only: readable, never edited."""

    list_display = ["at", "actor", "actor_role", "action", "content_type", "object_id", "from_state", "to_state"]
    list_filter = ["action", "actor_role", "content_type"]
    readonly_fields = [f.name for f in AuditRecord._meta.fields]


@admin.register(Notification)
class NotificationAdmin(MinistryReadOnlyAdmin):
    """Messages sent to users: readable, never edited (the task records each try)."""

    list_display = ["created_at", "user", "channel", "event", "status", "attempts", "sent_at"]
    list_filter = ["channel", "status", "event"]
    search_fields = ["user__username", "recipient"]
    list_select_related = ["user"]
    readonly_fields = [f.name for f in Notification._meta.fields]
