"""Who may use which part of the Django admin, by role (roles.md).

- Ministry staff manage reference data, budgets and accounts and read the workflow records.
- System administrators manage accounts only: no business data without a ministry role.
Superusers keep Django's defaults. Every account with one of these roles is ``is_staff``.
"""

from django.contrib import admin

from .models import Role

ADMIN_ROLES = (Role.MINISTRY_STAFF, Role.SYSTEM_ADMIN)


def _is_ministry(request):
    return request.user.is_active and request.user.role == Role.MINISTRY_STAFF


class MinistryAdmin(admin.ModelAdmin):
    """Reference data and budgets: ministry staff may view, add and change; nobody deletes but superusers."""

    def has_module_permission(self, request):
        return request.user.is_superuser or _is_ministry(request)

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser or _is_ministry(request)

    def has_add_permission(self, request):
        return request.user.is_superuser or _is_ministry(request)

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser or _is_ministry(request)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


class MinistryReadOnlyAdmin(MinistryAdmin):
    """Workflow records: states change only through the services, so the admin only shows them."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AccountsAdmin(MinistryAdmin):
    """Accounts: ministry staff and system administrators."""

    def _allowed(self, request):
        user = request.user
        return user.is_superuser or (user.is_active and user.role in ADMIN_ROLES)

    def has_module_permission(self, request):
        return self._allowed(request)

    def has_view_permission(self, request, obj=None):
        return self._allowed(request)

    def has_add_permission(self, request):
        return self._allowed(request)

    def has_change_permission(self, request, obj=None):
        return self._allowed(request)
