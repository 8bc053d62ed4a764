from django.http import Http404


def _missing(request, *args, **kwargs):
    raise Http404("Not built yet.")


partnership_list = _missing
partnership_create = _missing
invitation_accept = _missing
partnership_detail = _missing
membership_update = _missing
invitation_create = _missing
invitation_revoke = _missing
