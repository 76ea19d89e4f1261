from django.contrib.auth import views as auth_views
from django.urls import path

from .views import api_docs

urlpatterns = [
    path("connexion/", auth_views.LoginView.as_view(template_name="web/accounts/login.html"), name="login"),
    path("deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
    path("api-et-donnees/", api_docs.api_docs, name="api_docs"),
]
