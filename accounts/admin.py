from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from common.admin import PersianModelAdmin, ReadOnlyModelAdmin

from .models import AuditRecord, Notification, User
from .services import user_role_group_sync


@admin.register(User)
class UserAdmin(PersianModelAdmin, BaseUserAdmin):
    list_display = ["username", "full_name", "role", "province", "agency", "bank", "is_active"]
    list_filter = ["role", "province", "bank", "is_active"]
    fieldsets = BaseUserAdmin.fieldsets + (
        (_("نقش و حوزه"), {"fields": ("role", "province", "agency", "bank", "bank_provinces", "mobile")}),
    )
    add_fieldsets = BaseUserAdmin.add_fieldsets + (
        (_("نقش و حوزه"), {"fields": ("role", "province", "agency", "bank")}),
    )
    filter_horizontal = BaseUserAdmin.filter_horizontal + ("bank_provinces",)

    @admin.display(description=_("نام"), ordering="first_name")
    def full_name(self, user):
        return user.get_full_name()

    def get_readonly_fields(self, request, obj=None):
        # Only a superuser grants superuser status or raw permissions.
        if request.user.is_superuser:
            return ()
        return ("is_superuser", "is_staff", "groups", "user_permissions", "last_login", "date_joined")

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # A superuser's form sets the groups after the account is saved: the role's group stays.
        user_role_group_sync(user=form.instance)


@admin.register(AuditRecord)
class AuditRecordAdmin(ReadOnlyModelAdmin):
    """The audit trail is append-only: readable, never edited."""

    list_display = ["at", "actor", "actor_role", "action_fa", "content_type", "object_id", "from_state_fa",
                    "to_state_fa"]
    list_filter = ["actor_role", "content_type", "action"]
    readonly_fields = [f.name for f in AuditRecord._meta.fields]

    @admin.display(description=_("اقدام"), ordering="action")
    def action_fa(self, record):
        return record.get_action_display()

    @admin.display(description=_("از وضعیت"), ordering="from_state")
    def from_state_fa(self, record):
        return record.get_from_state_display()

    @admin.display(description=_("به وضعیت"), ordering="to_state")
    def to_state_fa(self, record):
        return record.get_to_state_display()


@admin.register(Notification)
class NotificationAdmin(ReadOnlyModelAdmin):
    """Messages sent to users: readable, never edited (the task records each try)."""

    list_display = ["created_at", "user", "channel", "event_fa", "status", "attempts", "sent_at"]
    list_filter = ["channel", "status", "event"]
    search_fields = ["user__username", "recipient"]
    list_select_related = ["user"]
    readonly_fields = [f.name for f in Notification._meta.fields]

    @admin.display(description=_("رویداد"), ordering="event")
    def event_fa(self, notification):
        return notification.get_event_display()
