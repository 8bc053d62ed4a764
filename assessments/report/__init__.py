"""The PDF report of an assessment round: rendering, caching and the download name."""

from .cache import get_report_pdf
from .filenames import content_disposition
from .rendering import ReportRenderError, ReportTimeoutError, clean_page_size

__all__ = ["ReportRenderError", "ReportTimeoutError", "clean_page_size", "content_disposition", "get_report_pdf"]
