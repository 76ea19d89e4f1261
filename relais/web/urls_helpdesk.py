"""The helpdesk ("guichet") and the FAQ built from answered questions."""

from django.urls import path

from .views import helpdesk

urlpatterns = [
    path("guichet/", helpdesk.my_questions, name="helpdesk_my_questions"),
    path("guichet/poser-une-question/", helpdesk.ask, name="helpdesk_ask"),
    path("guichet/a-traiter/", helpdesk.inbox, name="helpdesk_inbox"),
    path("guichet/reglages/<slug:slug>/", helpdesk.settings_edit, name="helpdesk_settings"),
    path("guichet/questions/<uuid:public_id>/", helpdesk.question_detail, name="helpdesk_question"),
    path("guichet/questions/<uuid:public_id>/repondre/", helpdesk.answer, name="helpdesk_answer"),
    path("guichet/questions/<uuid:public_id>/message/", helpdesk.reply, name="helpdesk_reply"),
    path("guichet/questions/<uuid:public_id>/note/", helpdesk.note, name="helpdesk_note"),
    path("guichet/questions/<uuid:public_id>/attribuer/", helpdesk.assign, name="helpdesk_assign"),
    path("guichet/questions/<uuid:public_id>/clore/", helpdesk.close, name="helpdesk_close"),
    path("guichet/questions/<uuid:public_id>/rouvrir/", helpdesk.reopen, name="helpdesk_reopen"),
    path("guichet/questions/<uuid:public_id>/accord-faq/", helpdesk.consent, name="helpdesk_consent"),
    path(
        "guichet/questions/<uuid:public_id>/pieces-jointes/<uuid:attachment_id>/",
        helpdesk.attachment,
        name="helpdesk_attachment",
    ),
    path("guichet/questions/<uuid:public_id>/publier-en-faq/", helpdesk.faq_create, name="faq_create"),
    path("faq/", helpdesk.faq_list, name="faq_list"),
    path("faq/<uuid:public_id>/", helpdesk.faq_detail, name="faq_detail"),
    path("faq/<uuid:public_id>/modifier/", helpdesk.faq_edit, name="faq_edit"),
]
