"""HTTPS on a pinned address: SNI and certificate checks use the URL's host name, not the address."""

from __future__ import annotations

import datetime
import ssl
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from pytest_httpserver import HTTPServer

from tests.http.conftest import LOOPBACK, StubResolver
from worker.errors import BlockedURLError, FetchError
from worker.http import HttpClient

CERT_HOST = "feeds.example"


def self_signed(directory: Path, host: str) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, host)])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(host)]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "cert.pem", directory / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return cert_path, key_path


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return self_signed(tmp_path_factory.mktemp("tls"), CERT_HOST)


@pytest.fixture(scope="module")
def tls_server(certificate: tuple[Path, Path]) -> Iterator[HTTPServer]:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*certificate)
    with HTTPServer(host=LOOPBACK, port=0, ssl_context=context) as httpserver:
        yield httpserver


@pytest.fixture
def https(tls_server: HTTPServer) -> Iterator[HTTPServer]:
    tls_server.clear()
    yield tls_server
    tls_server.clear()


def tls_client(server: HTTPServer, certificate: tuple[Path, Path], names: dict[str, list[str]]) -> HttpClient:
    return HttpClient(
        allow_hosts=[f"{LOOPBACK}:{server.port}"],
        resolver=StubResolver(table=names),
        ca_bundle=str(certificate[0]),
    )


def test_https_connects_to_the_checked_address_with_the_url_host_for_sni_and_certificate(
    https: HTTPServer, certificate: tuple[Path, Path]
) -> None:
    https.expect_request("/feed").respond_with_data("<rss/>")
    client = tls_client(https, certificate, {CERT_HOST: [LOOPBACK]})
    response = client.get(f"https://{CERT_HOST}:{https.port}/feed")
    assert response.body == b"<rss/>"
    assert https.log[0][0].headers["Host"] == f"{CERT_HOST}:{https.port}"


def test_https_refuses_a_certificate_for_another_name(https: HTTPServer, certificate: tuple[Path, Path]) -> None:
    client = tls_client(https, certificate, {"other.example": [LOOPBACK]})
    with pytest.raises(FetchError, match="TLS"):
        client.get(f"https://other.example:{https.port}/feed")
    assert https.log == []


def test_https_refuses_an_untrusted_certificate(https: HTTPServer) -> None:
    client = HttpClient(allow_hosts=[f"{LOOPBACK}:{https.port}"], resolver=StubResolver(table={CERT_HOST: [LOOPBACK]}))
    with pytest.raises(FetchError, match="TLS"):
        client.get(f"https://{CERT_HOST}:{https.port}/feed")


def test_https_to_http_downgrade_is_refused(
    https: HTTPServer, server: HTTPServer, certificate: tuple[Path, Path]
) -> None:
    https.expect_request("/feed").respond_with_data("", status=301, headers={"Location": server.url_for("/feed")})
    client = HttpClient(
        allow_hosts=[f"{LOOPBACK}:{https.port}", f"{LOOPBACK}:{server.port}"],
        resolver=StubResolver(table={CERT_HOST: [LOOPBACK]}),
        ca_bundle=str(certificate[0]),
    )
    with pytest.raises(BlockedURLError, match="downgrade"):
        client.get(f"https://{CERT_HOST}:{https.port}/feed")
    assert server.log == []
