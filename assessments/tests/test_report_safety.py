"""The report loads only our static files, and user text never becomes markup."""

import http.server
import threading
from pathlib import Path

import pytest
from django.conf import settings

from assessments.models import Side
from assessments.report.fetcher import MAX_DATA_URL_CHARS, ForbiddenURLError, StaticFileFetcher
from assessments.report.rendering import render_report
from assessments.tests.report_helpers import answer_round, first_indicator_code, make_round, pdf_text

STATIC_DIR = Path(settings.STATICFILES_DIRS[0]).resolve()


class RecordingFetcher(StaticFileFetcher):
    """The report's fetcher, recording every URL WeasyPrint requests from it."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.requested_urls = []

    def fetch(self, url, headers=None):
        self.requested_urls.append(url)
        return super().fetch(url, headers)


class CountingHandler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.server.request_paths.append(self.path)
        self.send_response(302)
        self.send_header("Location", f"http://127.0.0.1:{self.server.server_port}/redirected")
        self.end_headers()

    def log_message(self, format, *args):
        pass


@pytest.fixture
def local_server():
    """An HTTP server on a free loopback port that records each request and redirects it."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), CountingHandler)
    server.request_paths = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join()


def injection_payloads(port):
    return [
        '<img src="file:///etc/passwd">',
        f"<link rel=stylesheet href=http://127.0.0.1:{port}/x.css>",
        f"<iframe src=http://127.0.0.1:{port}/frame></iframe>",
        f"<style>body{{background:url(http://127.0.0.1:{port}/bg)}}</style>",
        '<a href="javascript:alert(1)">click me</a>',
        f'<svg><image href="http://127.0.0.1:{port}/svg-image"/></svg>',
        f'<object data="http://127.0.0.1:{port}/object"></object>',
    ]


def without_whitespace(text):
    """Drop all whitespace, because the PDF wraps long payloads at spaces and after slashes."""
    return "".join(text.split())


def test_fetcher_serves_project_static_file():
    response = StaticFileFetcher().fetch((STATIC_DIR / "css" / "report.css").as_uri())

    assert response.content_type == "text/css"
    assert b"string-set: partnership" in response.read()


def test_fetcher_maps_static_url_to_disk():
    response = StaticFileFetcher().fetch("file:///static/css/report.css")

    assert response.url == (STATIC_DIR / "css" / "report.css").as_uri()
    assert response.content_type == "text/css"


def test_fetcher_serves_app_static_file():
    response = StaticFileFetcher().fetch("file:///static/bootstrap/css/bootstrap.min.css")

    assert response.content_type == "text/css"
    assert response.read(9) == b"@charset "


def test_fetcher_serves_hashed_file_from_static_root(tmp_path, settings):
    settings.STATIC_ROOT = tmp_path
    (tmp_path / "css").mkdir()
    (tmp_path / "css" / "report.0123abcd.css").write_text("h1 { color: #12355b; }")

    response = StaticFileFetcher().fetch("file:///static/css/report.0123abcd.css")

    assert response.read() == b"h1 { color: #12355b; }"
    assert response.content_type == "text/css"


def test_fetcher_rejects_traversal_out_of_static_root(tmp_path, settings):
    settings.STATIC_ROOT = tmp_path / "staticfiles"
    settings.STATIC_ROOT.mkdir()
    (tmp_path / "secret.css").write_text("not for the report")

    with pytest.raises(ForbiddenURLError):
        StaticFileFetcher().fetch("file:///static/%2e%2e/secret.css")


def test_fetcher_serves_small_data_url():
    response = StaticFileFetcher().fetch("data:text/plain;base64,aGVsbG8=")

    assert response.read() == b"hello"


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "file:///static/../../../../etc/passwd",
        "file:///static/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "file:///static/css/../../../../../../etc/passwd",
        (STATIC_DIR / "css" / ".." / ".." / "manage.py").as_uri(),
        "file:///static/css/",
        "file:///static/css/report.css%00.png",
        "file://attacker.example/etc/passwd",
        "https://example.org/logo.png",
        "http://localhost/static/css/report.css",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/",
        "ftp://127.0.0.1/file",
        "javascript:alert(1)",
        "gopher://127.0.0.1:70/",
        "data:text/plain;base64," + "A" * MAX_DATA_URL_CHARS,
    ],
)
def test_fetcher_rejects_forbidden_url(url):
    with pytest.raises(ForbiddenURLError):
        StaticFileFetcher().fetch(url)


def test_fetcher_rejects_symlink_out_of_static_folder(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("not for the report")
    root = tmp_path / "static"
    root.mkdir()
    (root / "link.css").symlink_to(secret)

    with pytest.raises(ForbiddenURLError):
        StaticFileFetcher(roots=[root]).fetch((root / "link.css").as_uri())


def test_fetcher_sends_no_request_to_local_server(local_server):
    port = local_server.server_port

    for path in ("/x.css", "/redirect"):
        with pytest.raises(ForbiddenURLError):
            StaticFileFetcher().fetch(f"http://127.0.0.1:{port}{path}")

    assert local_server.request_paths == []


@pytest.fixture
def injected_round(partnership, alice, bob, local_server):
    """A round whose partnership name, round label and notes all carry HTML payloads."""
    payloads = injection_payloads(local_server.server_port)
    partnership.district_name = f"District {payloads[0]}"
    partnership.program_name = f"Program {payloads[1]}"
    partnership.save()
    round_ = make_round(partnership, label=f"Fall {payloads[3]}")
    code = first_indicator_code(round_)
    answer_round(round_, alice, Side.DISTRICT, rating="2", notes={code: " ".join(payloads)})
    answer_round(round_, bob, Side.PROGRAM, rating="4", notes={code: payloads[4]})
    return round_


def test_injected_markup_fetches_only_static_files(injected_round, local_server):
    fetcher = RecordingFetcher()

    render_report(injected_round, page_size="letter", url_fetcher=fetcher)

    assert fetcher.requested_urls
    assert all(url.startswith("file:///static/") for url in fetcher.requested_urls), fetcher.requested_urls
    assert local_server.request_paths == []


def test_injected_markup_prints_as_text(injected_round, local_server):
    text = without_whitespace(pdf_text(render_report(injected_round, page_size="letter")))

    for payload in injection_payloads(local_server.server_port):
        assert without_whitespace(payload) in text
    assert local_server.request_paths == []
