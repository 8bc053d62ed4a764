import logging

from django.conf import settings
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from assessments.pending_answers import ANSWERS_KEPT_MESSAGE, has_pending_answers

from .forms import LoginForm, SignupForm

logger = logging.getLogger(__name__)

# login() needs a backend name when several are configured, and django-axes' backend cannot load users.
SIGNUP_BACKEND = "django.contrib.auth.backends.ModelBackend"


def get_safe_next(request):
    """Return the ``next`` URL of the request if it stays on this site, else an empty string."""
    url = request.POST.get("next") or request.GET.get("next") or ""
    is_safe = url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return url if is_safe else ""


@require_http_methods(["GET", "HEAD", "POST"])
def signup(request):
    next_url = get_safe_next(request)
    if request.user.is_authenticated:
        return redirect(next_url or settings.LOGIN_REDIRECT_URL)

    form = SignupForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend=SIGNUP_BACKEND)
        logger.info("event=user_signed_up user_id=%s", user.pk)
        return redirect(next_url or settings.LOGIN_REDIRECT_URL)

    return render(request, "registration/signup.html", {"form": form, "next": next_url})


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Checked on every render rather than sent as a one-time message, so the notice stays after a
        # reload or a mistyped password.
        if has_pending_answers(self.request.session, context[self.redirect_field_name]):
            context["answers_kept_message"] = ANSWERS_KEPT_MESSAGE
        return context
