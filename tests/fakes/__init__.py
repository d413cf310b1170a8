"""Fakes of the outside services on 127.0.0.1, answering as their documentation does; the app reaches them
through its own clients over HTTP. Each is a FakeServer: a threaded werkzeug server whose `_answer(request)`
is the service."""

from __future__ import annotations

import threading

from werkzeug.serving import make_server
from werkzeug.wrappers import Request


class FakeServer:
    """Serves `_answer(request) -> Response` on a free port of 127.0.0.1 while used as a context manager."""

    def _serve(self) -> None:
        self.lock = threading.Lock()
        self._server = make_server("127.0.0.1", 0, self._wsgi, threaded=True)
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._server.shutdown()
        self._thread.join(timeout=5)

    def _answer(self, request: Request):
        raise NotImplementedError

    def _wsgi(self, environ, start_response):
        return self._answer(Request(environ))(environ, start_response)
