from django.contrib import admin

from .models import DigestDelivery, DigestSubscription


@admin.register(DigestSubscription)
class DigestSubscriptionAdmin(admin.ModelAdmin):
    list_display = ("user", "network", "opted_in", "updated_at")
    list_filter = ("opted_in", "network")
    search_fields = ("user__email", "user__full_name")
    raw_id_fields = ("user",)


@admin.register(DigestDelivery)
class DigestDeliveryAdmin(admin.ModelAdmin):
    list_display = ("user", "network", "week", "item_count", "sent_at")
    list_filter = ("week", "network")
    search_fields = ("user__email",)
    raw_id_fields = ("user",)
    readonly_fields = ("user", "network", "week", "item_count", "sent_at")
