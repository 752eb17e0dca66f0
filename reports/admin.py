from django.contrib import admin

from .models import SpotlightWording


@admin.register(SpotlightWording)
class SpotlightWordingAdmin(admin.ModelAdmin):
    """Administrators reword the spotlight's sentences per language."""

    list_display = ["sentence", "language", "text"]
    list_filter = ["sentence", "language"]
