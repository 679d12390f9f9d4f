from django.contrib.auth import views as auth_views
from django.urls import path

from okoa.accounts import views
from okoa.accounts.forms import LoginForm

app_name = "accounts"
urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="accounts/login.html",
            authentication_form=LoginForm,
            redirect_authenticated_user=True,
        ),
        name="login",
    ),
    # Django's LogoutView accepts POST only: a link cannot sign anybody out.
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("organisation/", views.choose_organisation, name="organisation"),
    path("tokens/", views.api_tokens, name="api_tokens"),
    path("tokens/revoke/", views.revoke_token, name="revoke_api_token"),
]
