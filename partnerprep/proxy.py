def client_ip_address(request):
    """Return the client address that the trusted reverse proxy appended to X-Forwarded-For.

    Only the last entry is trusted, because the client itself may have sent any entries before it.
    Without the header (a request that bypassed the proxy, such as a health check), REMOTE_ADDR is used.
    """
    forwarded_for = request.META.get("HTTP_X_FORWARDED_FOR", "")
    last_hop = forwarded_for.rsplit(",", 1)[-1].strip()
    return last_hop or request.META.get("REMOTE_ADDR")
