"""`agora serve` caps the size of a request's headers (uvicorn's h11 parser, as in production)."""

from __future__ import annotations

import contextlib
import socket

from tests.servers import agora_env, agora_serve, free_port, run_agora


def _status_line(port: int, header_bytes: int) -> bytes:
    request = (b"GET /embed.js HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
               + b"X-Padding: " + b"a" * header_bytes + b"\r\n\r\n")
    with socket.create_connection(("127.0.0.1", port), timeout=30) as connection:
        # The server may close before reading everything: that is a refusal too.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            connection.sendall(request)
        answer = b""
        with contextlib.suppress(ConnectionResetError):
            while b"\r\n" not in answer:
                chunk = connection.recv(4096)
                if not chunk:
                    break
                answer += chunk
    return answer.split(b"\r\n", 1)[0]


def test_oversized_request_headers_are_refused(tmp_path):
    port = free_port()
    env = agora_env(tmp_path, port, "k" * 50)
    env["AGORA_MAX_HEADER_BYTES"] = "8192"
    run_agora(env, "migrate", "--verbosity", "0")
    with agora_serve(env, port):
        assert _status_line(port, 1_000) == b"HTTP/1.1 200 OK"
        # Over the cap in one read (refused by Agora) or over many reads (refused by h11).
        assert _status_line(port, 12 * 1024) == b"HTTP/1.1 431 Request Header Fields Too Large"
        assert _status_line(port, 512 * 1024) in (b"", b"HTTP/1.1 400 Bad Request")
