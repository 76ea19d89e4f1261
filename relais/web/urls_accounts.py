from django.contrib.auth import views as auth_views
from django.urls import URLPattern, path, reverse_lazy

from .views import accounts, api_docs

urlpatterns: list[URLPattern] = [
    path("connexion/", accounts.login_view, name="login"),
    path("deconnexion/", accounts.logout_view, name="logout"),
    path("reseaux/<slug:slug>/inviter/", accounts.invitation_create_view, name="invitation_create"),
    path("invitation/<str:token>/", accounts.invitation_accept_view, name="invitation_accept"),
    path(
        "mot-de-passe/oublie/",
        auth_views.PasswordResetView.as_view(
            template_name="web/accounts/password_reset_form.html",
            email_template_name="web/accounts/password_reset_email.txt",
            subject_template_name="web/accounts/password_reset_subject.txt",
            success_url=reverse_lazy("web:password_reset_done"),
        ),
        name="password_reset",
    ),
    path(
        "mot-de-passe/oublie/envoye/",
        auth_views.PasswordResetDoneView.as_view(template_name="web/accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "mot-de-passe/nouveau/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="web/accounts/password_reset_confirm.html",
            success_url=reverse_lazy("web:password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "mot-de-passe/modifie/",
        auth_views.PasswordResetCompleteView.as_view(template_name="web/accounts/password_reset_complete.html"),
        name="password_reset_complete",
    ),
    path("api-et-donnees/", api_docs.api_docs, name="api_docs"),
]
