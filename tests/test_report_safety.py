"""WeasyPrint loads only the app's own static files; anything else is refused."""

import http.server
import io
import threading
from pathlib import Path

import pytest
from pypdf import PdfReader

from reporting.report import pdf


@pytest.fixture
def counting_server():
    """A local HTTP server that counts every request it gets."""
    hits = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.end_headers()
            self.wfile.write(b"\x89PNG\r\n\x1a\n")

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", hits
    server.shutdown()


def hostile_html(base: str) -> str:
    return f"""<!doctype html><html lang="sv"><head><title>t</title>
    <link rel="stylesheet" href="{base}/evil.css">
    <link rel="attachment" href="file:///etc/passwd">
    <link rel="attachment" href="{base}/attachment.txt">
    <style>body {{ background: url("{base}/background.png"); }}
      @font-face {{ font-family: x; src: url("{base}/font.ttf"); }}</style></head>
    <body><p>Text</p>
    <img src="{base}/pixel.png" alt="x">
    <img src="file:///etc/passwd" alt="y">
    <img src="https://livskvalitet.invalid/static/../../../../etc/passwd" alt="z">
    <img src="https://livskvalitet.invalid/static/%2e%2e/%2e%2e/etc/passwd" alt="w">
    <svg width="10" height="10"><image href="{base}/svg.png" width="10" height="10"/></svg>
    <iframe src="{base}/frame"></iframe>
    <object data="{base}/object.pdf"></object>
    </body></html>"""


def test_no_request_leaves_the_machine_and_no_file_is_read(counting_server):
    base, hits = counting_server
    content = pdf.write_pdf(hostile_html(base)).content
    assert content.startswith(b"%PDF")
    assert hits == []
    reader = PdfReader(io.BytesIO(content))
    assert reader.attachments == {}
    assert b"root:x:0:0" not in content
    assert b"/EmbeddedFile" not in content


def test_the_apps_own_static_files_do_load(monkeypatch):
    fetcher = pdf.StaticFilesFetcher()
    response = fetcher.fetch(pdf.BASE_URL + "static/css/report.css")
    assert response.headers["Content-Type"] == "text/css"
    for url in [
        "file:///etc/passwd",
        "http://127.0.0.1:9/x.png",
        "https://livskvalitet.invalid/etc/passwd",
        "https://livskvalitet.invalid/static/../settings.py",
        "https://livskvalitet.invalid/static/%2e%2e/livskvalitet/settings.py",
        "https://livskvalitet.invalid/static/css/report.css?x=1",
        "https://other.invalid/static/css/report.css",
        "data:text/plain,hello",
    ]:
        with pytest.raises(pdf.ResourceRefused):
            fetcher.fetch(url)


def test_a_symlink_out_of_the_static_folder_is_refused(settings, tmp_path):
    static = tmp_path / "static"
    static.mkdir()
    (static / "ok.css").write_text("p { color: black }")
    (static / "leak.css").symlink_to("/etc/passwd")
    settings.STATICFILES_DIRS = [static]
    fetcher = pdf.StaticFilesFetcher()
    assert fetcher.fetch(pdf.BASE_URL + "static/ok.css").status == 200
    with pytest.raises(pdf.ResourceRefused):
        fetcher.fetch(pdf.BASE_URL + "static/leak.css")
    assert Path("/etc/passwd").exists()
