"""A local stand-in for Google Translate's TTS endpoint, reached the way gTTS reaches Google.

gTTS always posts to ``https://translate.google.<tld>/_/TranslateWebserverUi/data/batchexecute``
with ``proxies=urllib.request.getproxies()`` and ``verify=False``. So the fake is an HTTP
proxy on 127.0.0.1: tests set ``HTTPS_PROXY`` to it, gTTS sends ``CONNECT
translate.google.com:443``, the fake terminates TLS with a throw-away self-signed
certificate and answers the batchexecute RPC itself. Nothing in ``voice/`` knows about
it, and nothing leaves the machine (any other CONNECT target gets 403).

Modes: ``audio`` (200 with real MP3 in Google's framing), ``429``, ``503``, ``hang``
(accepts, then never answers). ``refusing_proxy_url()`` gives a port that refuses
connections.
"""

from __future__ import annotations

import base64
import datetime
import json
import socket
import socketserver
import ssl
import tempfile
import threading
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

RPC_ID = "jQ1olc"
RPC_PATH = "/_/TranslateWebserverUi/data/batchexecute"


def self_signed_context(host: str, workdir: Path) -> ssl.SSLContext:
    """A server TLS context for ``host`` with a one-day self-signed EC certificate."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, host)])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.DNSName(host), x509.DNSName("*.google.com")]),
            critical=False,
        )
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = workdir / "cert.pem", workdir / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_path, key_path)
    return context


def batchexecute_body(mp3: bytes) -> bytes:
    """Google's framing: an XSSI guard, then length-prefixed JSON chunks."""
    compact = {"separators": (",", ":")}
    inner = json.dumps([base64.b64encode(mp3).decode()], **compact)  # type: ignore[arg-type]
    payload = json.dumps([["wrb.fr", RPC_ID, inner, None, None, None, "generic"]], **compact)  # type: ignore[arg-type]
    tail = json.dumps([["e", 4, None, None, len(payload)]], **compact)  # type: ignore[arg-type]
    return f")]}}'\n\n{len(payload)}\n{payload}\n{len(tail)}\n{tail}\n".encode()


@dataclass
class SeenRequest:
    """One RPC as the fake understood it."""

    host: str
    path: str
    text: str
    lang: str
    speed: object


@dataclass
class FakeGoogle:
    """Run with ``start()``; switch ``mode`` between requests; read ``requests`` to count."""

    mp3: bytes
    mode: str = "audio"
    requests: list[SeenRequest] = field(default_factory=list)
    connects: int = 0

    def start(self) -> FakeGoogle:
        self._tmp = tempfile.TemporaryDirectory(prefix="fake-google-")
        self._tls = self_signed_context("translate.google.com", Path(self._tmp.name))
        self._release = threading.Event()
        fake = self

        class Handler(socketserver.StreamRequestHandler):
            def handle(self) -> None:
                fake._handle(self.connection)

        self._server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True).start()
        return self

    @property
    def proxy_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def stop(self) -> None:
        self._release.set()
        self._server.shutdown()
        self._server.server_close()
        self._tmp.cleanup()

    def _handle(self, conn: socket.socket) -> None:
        reader = conn.makefile("rb")
        request_line = reader.readline().decode("latin-1").split()
        _read_headers(reader)
        if len(request_line) < 2 or request_line[0] != "CONNECT":
            conn.sendall(b"HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n")
            return
        host = request_line[1].rsplit(":", 1)[0]
        if not host.startswith("translate.google."):
            conn.sendall(
                b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n"
            )  # never a real host
            return
        self.connects += 1
        conn.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
        with self._tls.wrap_socket(conn, server_side=True) as tls:
            self._serve_rpc(tls, host)

    def _serve_rpc(self, tls: ssl.SSLSocket, host: str) -> None:
        reader = tls.makefile("rb")
        method, path, _ = reader.readline().decode("latin-1").split(" ", 2)
        headers = _read_headers(reader)
        body = reader.read(int(headers.get("content-length", "0"))).decode()
        form = urllib.parse.parse_qs(body)
        try:
            rpc = json.loads(form["f.req"][0])[0][0]
            text, lang, speed, _ = json.loads(rpc[1])
            valid = method == "POST" and path == RPC_PATH and rpc[0] == RPC_ID
        except (KeyError, IndexError, ValueError):
            valid = False
        if not valid:
            tls.sendall(_response(400, b"bad request"))
            return
        self.requests.append(SeenRequest(host, path, text, lang, speed))
        if self.mode == "hang":
            self._release.wait(timeout=15)
        elif self.mode == "audio":
            tls.sendall(
                _response(200, batchexecute_body(self.mp3), "application/json; charset=utf-8")
            )
        else:
            tls.sendall(
                _response(int(self.mode), b"<html>Our systems have detected unusual traffic</html>")
            )


def _read_headers(reader: object) -> dict[str, str]:
    headers: dict[str, str] = {}
    while True:
        line = reader.readline().decode("latin-1")  # type: ignore[attr-defined]
        if line in ("\r\n", "\n", ""):
            return headers
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()


def _response(status: int, body: bytes, content_type: str = "text/html") -> bytes:
    reason = {
        200: "OK",
        400: "Bad Request",
        429: "Too Many Requests",
        503: "Service Unavailable",
    }.get(status, "Error")
    head = (
        f"HTTP/1.1 {status} {reason}\r\nContent-Type: {content_type}\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    )
    return head.encode() + body


def refusing_proxy_url() -> tuple[str, socket.socket]:
    """A bound but never listening port: connections to it are refused (keep the socket)."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    return f"http://127.0.0.1:{sock.getsockname()[1]}", sock
