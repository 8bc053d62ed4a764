from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .forms import AdminUserAddForm, AdminUserChangeForm
from .models import User


@admin.register(User)
class EmailUserAdmin(UserAdmin):
    """Django's user admin, reshaped for accounts that sign in by email and have no username."""

    form = AdminUserChangeForm
    add_form = AdminUserAddForm
    list_display = ("email", "display_name", "is_staff", "is_active", "date_joined", "last_login")
    search_fields = ("email", "display_name")
    ordering = ("email",)
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Profile", {"fields": ("display_name",)}),
        ("Permissions", {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "display_name", "usable_password", "password1", "password2"),
            },
        ),
    )
