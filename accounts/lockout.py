def get_lockout_username(request, credentials):
    """Return the email that django-axes counts failed logins against, in lower case.

    Logins match emails case-insensitively, so counting "Alice@" and "alice@" apart would give an
    attacker a fresh set of guesses for every change of case.
    """
    source = credentials if credentials else getattr(request, "data", request.POST)
    return (source.get("username") or "").strip().lower()
