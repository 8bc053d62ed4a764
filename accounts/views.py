from django.contrib.auth import views as auth_views
from django.http import Http404


def signup(request):
    raise Http404("Not built yet.")


LoginView = auth_views.LoginView
