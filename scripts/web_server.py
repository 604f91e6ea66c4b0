"""A small static web server for the website chat widget and its demo page.

    python -m scripts.web_server --port 8000 --rasa-url http://localhost:5005

It serves exactly four things and answers 404 to everything else (no directory listing):

    /                         web/demo/index.html, with __RASA_SERVER_URL__ replaced
    /widget/lupus-chat.js     web/widget/lupus-chat.js
    /widget/lupus-chat.css    web/widget/lupus-chat.css
    /widget/socket.io.min.js  web/node_modules/socket.io-client/dist/socket.io.min.js

The Rasa server must accept the page's origin: start it with `--cors http://localhost:8000`
(Rasa's socket.io server does no CORS handling of its own).
"""

from __future__ import annotations

import argparse
import contextlib
import html
import sys
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Dict, Iterator, List, Optional, Tuple
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
WEB = ROOT / "web"
DEMO_PAGE = WEB / "demo" / "index.html"
SOCKET_IO = WEB / "node_modules" / "socket.io-client" / "dist" / "socket.io.min.js"
PLACEHOLDER = "__RASA_SERVER_URL__"

# URL path -> (file, content type). Only these are served; nothing is resolved from the
# request path, so no path can reach another file.
ASSETS: Dict[str, Tuple[Path, str]] = {
    "/widget/lupus-chat.js": (WEB / "widget" / "lupus-chat.js", "text/javascript; charset=utf-8"),
    "/widget/lupus-chat.css": (WEB / "widget" / "lupus-chat.css", "text/css; charset=utf-8"),
    "/widget/socket.io.min.js": (SOCKET_IO, "text/javascript; charset=utf-8"),
}


class MissingAssetError(RuntimeError):
    """A file the server must serve is not there (usually: `npm install` was not run)."""


def rasa_origin(rasa_url: str) -> str:
    """The origin (scheme://host[:port]) of the Rasa server's URL.

    The widget gives this URL to socket.io-client, which reads any path as a socket.io
    namespace, so a URL with a path is refused here rather than failing in the browser.
    """
    parts = urlsplit(rasa_url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"the Rasa server URL must be http(s)://host[:port], not {rasa_url!r}")
    if parts.path not in ("", "/") or parts.query or parts.fragment or parts.username:
        raise ValueError(f"the Rasa server URL must be an origin without a path, not {rasa_url!r}")
    return f"{parts.scheme}://{parts.netloc}"


def content_security_policy(rasa_url: str) -> str:
    """The demo page's CSP: own assets only, and connections to the Rasa server only."""
    origin = rasa_origin(rasa_url)
    ws_origin = "ws" + origin[len("http") :]  # http -> ws, https -> wss
    return "; ".join(
        [
            "default-src 'self'",
            f"connect-src 'self' {origin} {ws_origin}",
            "img-src 'self'",
            "style-src 'self'",
            "script-src 'self'",
            # Beyond the defaults: nothing can re-base relative URLs, embed plugins or frame us.
            "base-uri 'self'",
            "object-src 'none'",
            "frame-ancestors 'none'",
        ]
    )


def check_assets() -> None:
    """Fail at start-up, with the fix, rather than serving 404s for the widget."""
    if not SOCKET_IO.is_file():
        raise MissingAssetError(
            f"{SOCKET_IO.relative_to(ROOT)} is missing: run `make setup-web` "
            "(npm ci in web/) to install the pinned socket.io-client"
        )
    for path in [DEMO_PAGE] + [file for file, _ in ASSETS.values()]:
        if not path.is_file():
            raise MissingAssetError(f"{path.relative_to(ROOT)} is missing")


class _QuietServer(ThreadingHTTPServer):
    """ThreadingHTTPServer without tracebacks for visitors who close the tab mid-response."""

    daemon_threads = True  # a stuck keep-alive connection never blocks shutdown

    def handle_error(self, request: object, client_address: Tuple[str, int]) -> None:
        error = sys.exc_info()[1]
        if isinstance(error, (ConnectionError, TimeoutError)):
            return  # the browser went away: nothing to fix, nothing to log
        super().handle_error(request, client_address)


def _make_handler(rasa_url: str) -> type:
    """A request handler class bound to this Rasa server URL."""
    origin = rasa_origin(rasa_url)
    csp = content_security_policy(rasa_url)

    class Handler(BaseHTTPRequestHandler):
        server_version = "lupus-widget"
        sys_version = ""

        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            self._respond(send_body=True)

        def do_HEAD(self) -> None:  # noqa: N802
            self._respond(send_body=False)

        def _respond(self, send_body: bool) -> None:
            path = urlsplit(self.path).path
            headers: Dict[str, str] = {}
            if path == "/":
                # Read on every request (Cache-Control: no-cache) so edits show on reload.
                page = DEMO_PAGE.read_text(encoding="utf-8")
                body = page.replace(PLACEHOLDER, html.escape(origin, quote=True)).encode("utf-8")
                content_type = "text/html; charset=utf-8"
                headers["Content-Security-Policy"] = csp
            elif path in ASSETS:
                file, content_type = ASSETS[path]
                body = file.read_bytes()
            else:
                body, content_type = b"Not found\n", "text/plain; charset=utf-8"
                self._send(HTTPStatus.NOT_FOUND, body, content_type, headers, send_body)
                return
            self._send(HTTPStatus.OK, body, content_type, headers, send_body)

        def _send(
            self,
            status: HTTPStatus,
            body: bytes,
            content_type: str,
            headers: Dict[str, str],
            send_body: bool,
        ) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-cache")
            self.send_header("X-Content-Type-Options", "nosniff")
            # The page's address never travels to the Rasa server or anywhere else.
            self.send_header("Referrer-Policy", "no-referrer")
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            if send_body:
                self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            # Quiet: no per-request lines on stderr (errors surface as exceptions or 4xx/5xx).
            pass

    return Handler


@contextlib.contextmanager
def serve(port: int, rasa_url: str, host: str = "127.0.0.1") -> Iterator[ThreadingHTTPServer]:
    """The web server on ``host:port`` in a background thread, ready, stopped on exit.

    ``rasa_url`` is the Rasa server's origin (e.g. http://localhost:5005); it goes into the
    demo page and its Content-Security-Policy. Raises MissingAssetError if socket.io-client
    is not installed, ValueError if ``rasa_url`` is not an origin.
    """
    check_assets()
    server = _QuietServer((host, port), _make_handler(rasa_url))
    thread = threading.Thread(target=server.serve_forever, name=f"web-server-{port}", daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def main(argv: Optional[List[str]] = None) -> int:
    """Command-line entry point: serve until Ctrl-C."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000)")
    parser.add_argument(
        "--host",
        default="127.0.0.1",
        help="interface to listen on (default 127.0.0.1, this machine only)",
    )
    parser.add_argument(
        "--rasa-url",
        default="http://localhost:5005",
        help="the Rasa server's origin, as the browser reaches it",
    )
    args = parser.parse_args(argv)
    try:
        with serve(args.port, args.rasa_url, host=args.host):
            print(
                f"==> Demo page on http://localhost:{args.port}/ talking to {rasa_origin(args.rasa_url)}. "
                f"Start Rasa with `--cors http://localhost:{args.port}`. Ctrl-C to stop."
            )
            threading.Event().wait()
    except (MissingAssetError, ValueError, OSError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\n==> Web server stopped.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
