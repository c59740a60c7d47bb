from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import AuditRecord, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "get_full_name", "role", "province", "agency", "bank", "is_active"]
    list_filter = ["role", "province", "bank", "is_active"]
    fieldsets = BaseUserAdmin.fieldsets + (
        (_("نقش و حوزه"), {"fields": ("role", "province", "agency", "bank", "bank_provinces", "mobile")}),
    )
    add_fieldsets = BaseUserAdmin.add_fieldsets + (
        (_("نقش و حوزه"), {"fields": ("role", "province", "agency", "bank")}),
    )
    filter_horizontal = BaseUserAdmin.filter_horizontal + ("bank_provinces",)


@admin.register(AuditRecord)
class AuditRecordAdmin(admin.ModelAdmin):
    """The audit trail is append-only: readable, never edited."""

    list_display = ["at", "actor", "actor_role", "action", "content_type", "object_id", "from_state", "to_state"]
    list_filter = ["action", "actor_role", "content_type"]
    readonly_fields = [f.name for f in AuditRecord._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
