"""What the browser tests of the web page share: the page served on a free local port."""

from __future__ import annotations

import threading

import pytest
from werkzeug.serving import make_server

from slutrapport.web import create_app


@pytest.fixture
def server(request, tmp_path):
    """The web page with the test module's ``TOKEN``, on a free local port: (its address, the folder it starts in)."""
    app = create_app(None, token=request.module.TOKEN, start_dir=tmp_path)
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_port}", tmp_path
    finally:
        httpd.shutdown()
        httpd.server_close()
