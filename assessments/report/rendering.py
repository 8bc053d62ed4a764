"""Turn the report template into a tagged PDF with WeasyPrint."""

import logging
import signal
import threading
import time
from contextlib import contextmanager

from django.conf import settings
from django.template.loader import render_to_string
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from .context import build_report_context
from .fetcher import StaticFileFetcher

logger = logging.getLogger(__name__)

# CSS page sizes by the value of REPORT_PAGE_SIZE or the ?size= query parameter.
PAGE_SIZES = {"letter": "letter", "a4": "A4"}
DEFAULT_PAGE_SIZE = "letter"

# The cache fingerprint includes this number. Raise it whenever the template, the CSS or the
# context change what a report looks like, so that cached PDFs of the old layout are rendered again.
TEMPLATE_VERSION = 1


# One FontConfiguration per thread, reused by every render on it. A new one per render kept
# about 2 MiB more resident after each render (measured with bench/report_pdf.py on WeasyPrint
# 70), and Pango font maps must not be shared between threads. Reuse is safe because the report
# CSS has no @font-face rule, so no render adds fonts to it.
_thread_state = threading.local()


class ReportRenderError(Exception):
    """WeasyPrint failed to produce the PDF."""


class ReportTimeoutError(ReportRenderError):
    """Rendering the PDF took longer than ``REPORT_RENDER_TIMEOUT_SECONDS``."""


@contextmanager
def time_limit(seconds):
    """Raise ``ReportTimeoutError`` inside the block once ``seconds`` of wall-clock time have passed.

    The limit uses SIGALRM, which Python delivers only to the main thread, where gunicorn's sync
    workers and the test client run requests. In a threaded server such as ``runserver`` the block
    runs without a limit, and gunicorn's own ``--timeout`` remains the backstop in production.
    """
    if not seconds or threading.current_thread() is not threading.main_thread():
        yield
        return

    def on_alarm(signum, frame):
        raise ReportTimeoutError(f"Rendering took longer than {seconds} s.")

    previous_handler = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous_handler)


def clean_page_size(value):
    """Return ``value`` if it names a known page size, else the configured default.

    An unknown ``REPORT_PAGE_SIZE`` falls back to US Letter rather than failing every download.
    """
    value = (value or "").strip().lower()
    if value in PAGE_SIZES:
        return value
    configured = str(settings.REPORT_PAGE_SIZE).strip().lower()
    return configured if configured in PAGE_SIZES else DEFAULT_PAGE_SIZE


def font_configuration():
    """Return this thread's WeasyPrint ``FontConfiguration``, creating it on first use."""
    if not hasattr(_thread_state, "font_config"):
        _thread_state.font_config = FontConfiguration()
    return _thread_state.font_config


def html_to_pdf(html, *, page_size, url_fetcher=None):
    """Render report HTML to PDF/UA-1 bytes, loading resources only through ``url_fetcher``.

    The page size comes from a separate stylesheet so that ``report.css`` stays the same for
    every size.
    """
    url_fetcher = url_fetcher or StaticFileFetcher()
    font_config = font_configuration()
    page_css = CSS(
        string=f"@page {{ size: {PAGE_SIZES[page_size]}; }}",
        url_fetcher=url_fetcher,
        font_config=font_config,
    )
    # Root-relative URLs such as /static/css/report.css become file:///static/..., which the
    # fetcher maps to the static folders.
    document = HTML(string=html, base_url=settings.BASE_DIR.as_uri() + "/", url_fetcher=url_fetcher)
    return document.write_pdf(stylesheets=[page_css], font_config=font_config, pdf_variant="pdf/ua-1")


def render_report_html(round_, *, page_size):
    return render_to_string("assessments/report_pdf.html", build_report_context(round_, page_size=page_size))


def render_report(round_, *, page_size, url_fetcher=None):
    """Render the PDF report of a round and return its bytes.

    Raises ``ReportRenderError`` when WeasyPrint fails, and its subclass ``ReportTimeoutError``
    when rendering runs past ``REPORT_RENDER_TIMEOUT_SECONDS``. Both are logged here, so callers
    only show the user an error page.
    """
    started = time.perf_counter()
    html = render_report_html(round_, page_size=page_size)

    try:
        with time_limit(settings.REPORT_RENDER_TIMEOUT_SECONDS):
            pdf = html_to_pdf(html, page_size=page_size, url_fetcher=url_fetcher)
    except ReportTimeoutError:
        logger.warning(
            "event=report_timed_out round_id=%s page_size=%s limit_s=%s",
            round_.pk,
            page_size,
            settings.REPORT_RENDER_TIMEOUT_SECONDS,
        )
        raise
    # WeasyPrint has no common base exception, and a broken report must never become a 500.
    except Exception as error:
        logger.exception("event=report_failed round_id=%s page_size=%s", round_.pk, page_size)
        raise ReportRenderError(f"Rendering the report of round {round_.pk} failed.") from error
    duration_ms = round((time.perf_counter() - started) * 1000)

    logger.info(
        "event=report_generated round_id=%s page_size=%s duration_ms=%s bytes=%s",
        round_.pk,
        page_size,
        duration_ms,
        len(pdf),
    )
    return pdf
