"""A self-signed certificate for 127.0.0.1, so a fake can speak https to clients that
accept nothing else (azure-identity signs in only over TLS)."""

from __future__ import annotations

import datetime
import ipaddress
import ssl
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID


@dataclass(frozen=True)
class LocalCertificate:
    """The certificate (also the CA file clients trust) and the server's TLS context."""

    ca_file: Path
    context: ssl.SSLContext


def local_certificate(folder: Path) -> LocalCertificate:
    """A fresh key and a certificate for 127.0.0.1 that is its own trust anchor."""
    key = ec.generate_private_key(ec.SECP256R1())
    certificate = (
        _self_signed(key, "rte test fake")
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    folder.mkdir(parents=True, exist_ok=True)
    cert_file, key_file = folder / "fake-cert.pem", folder / "fake-key.pem"
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_file, key_file)
    return LocalCertificate(cert_file, context)


def app_certificate() -> tuple[bytes, bytes]:
    """An Entra app's certificate credential: a fresh RSA key (azure-identity signs client
    assertions with RSA only) and its self-signed certificate, as (PEM of both, PEM of the
    certificate alone, which is what the app registration holds)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    certificate = _self_signed(key, "rte calendar app").sign(key, hashes.SHA256())
    cert_pem = certificate.public_bytes(serialization.Encoding.PEM)
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return key_pem + cert_pem, cert_pem


def _self_signed(
    key: ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey, common_name: str
) -> x509.CertificateBuilder:
    """A certificate of `key` signed by itself, valid from five minutes ago for a day."""
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = datetime.datetime.now(datetime.UTC)
    return (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
    )
