from django.contrib import admin

from .models import FaqEntry, HelpdeskSettings, InternalNote, Message, Question, QuestionAttachment


@admin.register(HelpdeskSettings)
class HelpdeskSettingsAdmin(admin.ModelAdmin[HelpdeskSettings]):
    list_display = ["network", "first_answer_days"]
    filter_horizontal = ["experts"]


class MessageInline(admin.StackedInline[Message, Question]):
    model = Message
    extra = 0


class InternalNoteInline(admin.StackedInline[InternalNote, Question]):
    model = InternalNote
    extra = 0


class AttachmentInline(admin.TabularInline[QuestionAttachment, Question]):
    model = QuestionAttachment
    extra = 0


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin[Question]):
    list_display = ["title", "network", "organisation", "category", "status", "assignee", "due_on"]
    list_filter = ["network", "status", "category"]
    search_fields = ["title"]
    raw_id_fields = ["asker", "assignee", "organisation", "cpv"]
    inlines = [MessageInline, InternalNoteInline, AttachmentInline]


@admin.register(FaqEntry)
class FaqEntryAdmin(admin.ModelAdmin[FaqEntry]):
    list_display = ["title", "network", "visibility", "published_at", "withdrawn_at"]
    list_filter = ["network", "visibility", "category", ("withdrawn_at", admin.EmptyFieldListFilter)]
    search_fields = ["title"]
    raw_id_fields = ["source_question", "published_by", "related_sheets"]
    # Withdrawal follows the asker's consent (services.question_set_consent), never an edit here: clearing the
    # date would publish the entry again without consent and without its index rows.
    readonly_fields = ["withdrawn_at"]
