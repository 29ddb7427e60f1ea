"""The layer's hashed CA directory (SSL_CERT_DIR in Lambda): built from a bundle, it is what httpx clients trust."""

import datetime
import re
import ssl
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import certifi
import httpx
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from tests.lambda_handlers import ROOT

sys.path.insert(0, str(ROOT / "layers/twin"))
from ca_directory import CERTIFICATE, write_hashed_directory  # a build script, not a package

BUNDLE = Path(certifi.where()).read_text(encoding="ascii")


@pytest.fixture
def ssl_cert_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """httpx reads SSL_CERT_FILE before SSL_CERT_DIR; Lambda sets neither, this machine may set both."""
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    monkeypatch.setenv("SSL_CERT_DIR", str(tmp_path / "ca-certificates"))
    return tmp_path / "ca-certificates"


def issue(
    subject: str, issuer: tuple[x509.Name, ec.EllipticCurvePrivateKey] | None = None
) -> tuple[x509.Name, ec.EllipticCurvePrivateKey, str]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)])
    issuer_name, issuer_key = issuer or (name, key)
    now = datetime.datetime.now(datetime.UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(issuer_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(hours=1))
    )
    if issuer is None:
        builder = builder.add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
    else:
        builder = builder.add_extension(x509.SubjectAlternativeName([x509.DNSName(subject)]), critical=False)
    certificate = builder.sign(issuer_key, hashes.SHA256())
    return name, key, certificate.public_bytes(serialization.Encoding.PEM).decode()


@contextmanager
def https_server(tmp_path: Path, certificate: str, key: ec.EllipticCurvePrivateKey) -> Iterator[str]:
    chain = tmp_path / "server.pem"
    private = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    chain.write_bytes(certificate.encode() + private)

    class Hello(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Hello)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(chain)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"https://localhost:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()


def test_every_certificate_of_the_bundle_is_written_under_an_openssl_hash_name(tmp_path: Path) -> None:
    written = write_hashed_directory(Path(certifi.where()), tmp_path)

    names = sorted(path.name for path in tmp_path.iterdir())
    assert written == len(CERTIFICATE.findall(BUNDLE)) == len(names) > 100
    assert all(re.fullmatch(r"[0-9a-f]{8}\.\d", name) for name in names)


def test_an_httpx_client_trusts_a_server_whose_ca_is_in_the_directory(tmp_path: Path, ssl_cert_dir: Path) -> None:
    ca_name, ca_key, ca_certificate = issue("Twin Test CA")
    _, server_key, server_certificate = issue("localhost", (ca_name, ca_key))
    bundle = tmp_path / "bundle.pem"
    bundle.write_text(BUNDLE + ca_certificate, encoding="ascii")
    write_hashed_directory(bundle, ssl_cert_dir)

    with https_server(tmp_path, server_certificate, server_key) as url, httpx.Client() as client:
        assert client.get(url).status_code == 200


def test_an_httpx_client_refuses_a_server_whose_ca_is_not_in_the_directory(tmp_path: Path, ssl_cert_dir: Path) -> None:
    ca_name, ca_key, _ = issue("Twin Test CA")
    _, server_key, server_certificate = issue("localhost", (ca_name, ca_key))
    write_hashed_directory(Path(certifi.where()), ssl_cert_dir)

    with (
        https_server(tmp_path, server_certificate, server_key) as url,
        httpx.Client() as client,
        pytest.raises(httpx.ConnectError, match="CERTIFICATE_VERIFY_FAILED"),
    ):
        client.get(url)
