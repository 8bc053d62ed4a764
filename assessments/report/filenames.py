"""The download name of a report, safe for every browser and file system."""

import re
import unicodedata
from urllib.parse import quote

# Keeps the name well under the 255-byte limit of common file systems, even in UTF-8.
MAX_STEM_CHARS = 120


def slugify_words(text, *, ascii_only):
    """Join the words of ``text`` with hyphens, dropping punctuation and path separators.

    With ``ascii_only``, accents are transliterated first (NFKD, then the combining marks are
    dropped), so "Ñandú" becomes "Nandu". Letters with no ASCII form are dropped.
    """
    text = unicodedata.normalize("NFKC", text)
    if ascii_only:
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    words = re.findall(r"[^\W_]+", text)
    return "-".join(words)


def report_filename(round_, *, ascii_only):
    partnership = round_.partnership
    parts = [partnership.district_name, partnership.program_name, round_.label]
    stem = "-".join(slug for part in parts if (slug := slugify_words(part, ascii_only=ascii_only)))
    stem = stem[:MAX_STEM_CHARS].rstrip("-") or "report"
    return f"{stem}.pdf"


def content_disposition(round_):
    """Return a ``Content-Disposition`` attachment header with both filename forms (RFC 6266).

    Old clients read the ASCII ``filename``, and current browsers prefer the UTF-8 ``filename*``.
    """
    ascii_name = report_filename(round_, ascii_only=True)
    unicode_name = report_filename(round_, ascii_only=False)
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(unicode_name, safe='')}"
