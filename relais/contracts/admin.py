from django.contrib import admin

from .models import Contract, ContractHolder, ContractModification, ImportRun, QuarantinedRecord


class HolderInline(admin.TabularInline[ContractHolder, Contract]):
    model = ContractHolder
    extra = 0
    raw_id_fields = ("organisation",)


class ModificationInline(admin.TabularInline[ContractModification, Contract]):
    model = ContractModification
    extra = 0


@admin.register(Contract)
class ContractAdmin(admin.ModelAdmin[Contract]):
    list_display = ("identifier", "buyer_identifier", "object", "notified_on", "amount", "social_status")
    list_filter = ("kind", "source_format", "social_status", "environmental_status", "contract_type")
    search_fields = ("identifier", "buyer_identifier", "uid")
    raw_id_fields = ("buyer", "first_run", "last_run")
    inlines = [HolderInline, ModificationInline]


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin[ImportRun]):
    list_display = ("source_name", "source_format", "status", "read", "created", "updated", "quarantined")
    list_filter = ("status", "source_format")
    readonly_fields = ("flag_counts", "quarantine_counts")


@admin.register(QuarantinedRecord)
class QuarantinedRecordAdmin(admin.ModelAdmin[QuarantinedRecord]):
    list_display = ("run", "position", "reason")
    list_filter = ("reason",)
