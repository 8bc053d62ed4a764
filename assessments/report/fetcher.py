"""The URL fetcher WeasyPrint uses for the report: our own static files and nothing else.

The report template only refers to static files, and user text is escaped, so any other URL
that reaches the fetcher is a template mistake or an injection attempt. Rejected URLs raise
``ForbiddenURLError``. WeasyPrint catches it, leaves the resource out and keeps rendering.
"""

import logging
import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from weasyprint.urls import URLFetcher, URLFetcherResponse

logger = logging.getLogger(__name__)

# The report template uses no data: URLs. The limit keeps anything else from making the
# renderer decode megabytes of base64.
MAX_DATA_URL_CHARS = 32 * 1024


class ForbiddenURLError(ValueError):
    """A URL the report renderer must not load."""


def static_roots():
    """List the resolved folders whose files the report may load.

    These are the ``STATICFILES_DIRS``, the ``static/`` folder of every installed app, and
    ``STATIC_ROOT`` when ``collectstatic`` has created it.
    """
    roots = []
    for finder in finders.get_finders():
        roots.extend(Path(root) for _prefix, root in getattr(finder, "locations", ()))
        roots.extend(Path(storage.location) for storage in getattr(finder, "storages", {}).values())
    if settings.STATIC_ROOT and Path(settings.STATIC_ROOT).is_dir():
        roots.append(Path(settings.STATIC_ROOT))
    return [root.resolve() for root in roots if root.is_dir()]


def static_url_path():
    """Return the path part of ``STATIC_URL`` with slashes on both sides, such as ``/static/``."""
    path = urlsplit(settings.STATIC_URL).path
    return "/" + path.strip("/") + "/"


class StaticFileFetcher(URLFetcher):
    """Serve files under the static folders from disk, and reject every other URL.

    Accepted: ``file://`` URLs of files inside ``static_roots()``, ``file:///static/...`` URLs
    (what ``{% static %}`` becomes against the report's ``file://`` base URL), mapped to disk
    through the staticfiles finders or ``STATIC_ROOT``, and ``data:`` URLs up to
    ``MAX_DATA_URL_CHARS``.
    Rejected: every other scheme, ``http`` and ``https`` to any host, files outside the static
    folders once ``..`` and symlinks are resolved, and directories. Nothing is fetched over the
    network, so no redirect is ever followed.
    """

    def __init__(self, *, roots=None):
        super().__init__(allowed_protocols=("file", "data"), allow_redirects=False)
        self.roots = static_roots() if roots is None else [Path(root).resolve() for root in roots]
        self.static_prefix = static_url_path()

    def fetch(self, url, headers=None):
        scheme = urlsplit(url).scheme.lower()
        if scheme == "file":
            return self.fetch_file(url)
        if scheme == "data":
            return self.fetch_data(url)
        raise self.reject(url, "only file: and data: URLs are served")

    def fetch_file(self, url):
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost"):
            raise self.reject(url, "file URLs must not name a host")

        path = self.resolve_path(url2pathname(unquote(parts.path)))
        if path is None:
            raise self.reject(url, "the file is not inside a static folder")

        content_type, _encoding = mimetypes.guess_type(path.name)
        headers = {"Content-Type": content_type or "application/octet-stream"}
        return URLFetcherResponse(path.as_uri(), path.read_bytes(), headers)

    def fetch_data(self, url):
        if len(url) > MAX_DATA_URL_CHARS:
            raise self.reject(url, f"data: URLs longer than {MAX_DATA_URL_CHARS} characters are not loaded")
        # urllib's data: handler decodes in memory and never touches the network.
        return super().fetch(url)

    def resolve_path(self, raw_path):
        """Return the real path of an allowed file, or None.

        ``Path.resolve()`` removes ``..`` and follows symlinks first, so a link inside a static
        folder that points elsewhere is judged by where it points.
        """
        if "\x00" in raw_path:
            return None

        candidates = [Path(raw_path)]
        if raw_path.startswith(self.static_prefix):
            relative = raw_path.removeprefix(self.static_prefix)
            # With ManifestStaticFilesStorage, {% static %} names the hashed copy that only
            # exists in STATIC_ROOT, while the finders only know the source files.
            if settings.STATIC_ROOT:
                candidates.insert(0, Path(settings.STATIC_ROOT) / relative)
            try:
                found = finders.find(relative)
            except SuspiciousFileOperation:
                found = None
            if found:
                candidates.insert(0, Path(found))

        for candidate in candidates:
            path = candidate.resolve()
            if path.is_file() and any(path.is_relative_to(root) for root in self.roots):
                return path
        return None

    def reject(self, url, reason):
        # Long data: URLs are cut so the log line stays readable.
        logger.warning("event=report_url_rejected url=%s reason=%s", url[:200], reason)
        return ForbiddenURLError(f"Not loaded: {url[:200]} ({reason}).")
