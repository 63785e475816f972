"""Microsoft Entra ID's token service for one app, as MSAL (under azure-identity) uses it.

A client-credentials sign-in is two requests: the tenant's OpenID configuration,
then a POST of the app's id and secret to its token endpoint, which answers a
bearer token for the requested `.default` scope. A wrong secret gets Entra's
`invalid_client` answer with its AADSTS code. Served over https, because
azure-identity accepts no other authority.

An app with a registered `certificate` signs in without a secret: it posts a
client assertion, a JWT signed with the certificate's key, as "Microsoft
identity platform application authentication certificate credentials"
(https://learn.microsoft.com/entra/identity-platform/certificate-credentials)
describes it: header `alg` RS256 with `x5t` (the SHA-1 thumbprint of the
certificate's DER) or PS256 with `x5t#S256` (SHA-256); claims `aud` = the
tenant's token endpoint, `iss` = `sub` = the client id, `exp`, `jti`. The fake
checks them and the signature; a failed check is `invalid_client`
AADSTS700027. (The page says base64url and lists `nbf`; MSAL, which Entra
accepts, sends the thumbprint in padded base64 and `iat` instead of `nbf`, so
the fake reads either encoding and does not ask for `nbf`.)

Fault mode `echo_requests`: every token request is refused with HTTP 400
`invalid_request` whose `error_description` quotes the posted form back, as
it arrived (form-encoded, client secret included). Entra's documented error
answers do not quote the request; this mode stands for a sign-in service that
does (a proxy or gateway in front of the token endpoint, a private
authority). azure-identity copies the description into the message of its
`ClientAuthenticationError` and into its own log line, so rte must mask the
secret wherever that text goes.
"""

from __future__ import annotations

import base64
import hashlib
import ssl
from typing import Any
from urllib.parse import parse_qs

import jwt
from cryptography import x509
from cryptography.hazmat.primitives import serialization

from tests.fakes.server import FakeServer, Request, Response


class FakeEntra(FakeServer):
    def __init__(
        self,
        *,
        tenant_id: str,
        client_id: str,
        client_secret: str,
        scope: str,
        token: str,
        tls: ssl.SSLContext,
        certificate: bytes | None = None,
    ) -> None:
        super().__init__(tls=tls)
        self.certificate = certificate  # the app's registered certificate (PEM), if it has one
        self.tenant_id = tenant_id
        self.client_id = client_id
        self.client_secret = client_secret
        self.scope = scope
        self.token = token
        self.sign_ins: list[dict[str, str]] = []  # the form of every token request
        self.echo_requests = False  # the fault mode: refuse, quoting the posted form back
        self.route("GET", "/{tenant}/v2.0/.well-known/openid-configuration", self._discovery)
        self.route("POST", "/{tenant}/oauth2/v2.0/token", self._token)

    def _discovery(self, request: Request, tenant: str) -> Response:
        if tenant != self.tenant_id:
            return _error(400, "invalid_tenant", f"AADSTS90002: Tenant '{tenant}' not found.")
        base = f"{self.url}/{tenant}"
        return Response(
            200,
            {
                "issuer": f"{base}/v2.0",
                "authorization_endpoint": f"{base}/oauth2/v2.0/authorize",
                "token_endpoint": f"{base}/oauth2/v2.0/token",
                "device_authorization_endpoint": f"{base}/oauth2/v2.0/devicecode",
                "token_endpoint_auth_methods_supported": ["client_secret_post"],
                "response_types_supported": ["code", "id_token", "token"],
                "tenant_region_scope": "EU",
            },
        )

    def _token(self, request: Request, tenant: str) -> Response:
        form = {name: values[0] for name, values in parse_qs(request.body.decode()).items()}
        with self.lock:
            self.sign_ins.append(form)
            echo = self.echo_requests
        if echo:
            posted = request.body.decode()
            return _error(400, "invalid_request", f"AADSTS900144: Unreadable request: {posted}")
        if tenant != self.tenant_id:
            return _error(400, "invalid_tenant", f"AADSTS90002: Tenant '{tenant}' not found.")
        if form.get("grant_type") != "client_credentials":
            return _error(400, "unsupported_grant_type", "AADSTS70003: unsupported grant type")
        if form.get("client_id") != self.client_id:
            return _error(400, "unauthorized_client", "AADSTS700016: Application not found.")
        if "client_assertion" in form:
            refused = self._assertion_refused(form, tenant)
            if refused:
                return _error(401, "invalid_client", f"AADSTS700027: {refused}")
        elif form.get("client_secret") != self.client_secret:
            return _error(401, "invalid_client", "AADSTS7000215: Invalid client secret provided.")
        if self.scope not in (form.get("scope") or "").split():
            return _error(400, "invalid_scope", f"AADSTS70011: scope {form.get('scope')!r}")
        return Response(
            200,
            {
                "token_type": "Bearer",
                "expires_in": 3599,
                "ext_expires_in": 3599,
                "access_token": self.token,
            },
        )

    def _assertion_refused(self, form: dict[str, str], tenant: str) -> str:
        """Why the client assertion does not sign the app in ("" when it does)."""
        if form.get("client_assertion_type") != JWT_BEARER:
            return "client_assertion_type must be " + JWT_BEARER
        if self.certificate is None:
            return "The application has no certificate credential."
        certificate = x509.load_pem_x509_certificate(self.certificate)
        der = certificate.public_bytes(serialization.Encoding.DER)
        thumbprints = {
            "x5t": hashlib.sha1(der).digest(),
            "x5t#S256": hashlib.sha256(der).digest(),
        }
        assertion = form["client_assertion"]
        try:
            header = jwt.get_unverified_header(assertion)
            if header.get("alg") not in ("RS256", "PS256"):
                return f"Client assertion is signed with {header.get('alg')}, not RS256 or PS256."
            if not any(_b64(header.get(name)) == value for name, value in thumbprints.items()):
                return "Client assertion contains an invalid signature. Key was not found."
            claims = jwt.decode(
                assertion,
                certificate.public_key(),  # type: ignore[arg-type]
                algorithms=[header["alg"]],
                audience=f"{self.url}/{tenant}/oauth2/v2.0/token",
                options={"require": ["exp", "iss", "sub", "jti", "aud"]},
            )
        except jwt.PyJWTError as exc:
            return f"Client assertion failed signature validation: {type(exc).__name__}."
        if claims["iss"] != self.client_id or claims["sub"] != self.client_id:
            return "Client assertion iss and sub must be the application's client id."
        return ""


JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"


def _b64(value: Any) -> bytes | None:
    """A thumbprint as sent: base64url or plain base64, padded or not."""
    if not isinstance(value, str):
        return None
    try:
        return base64.urlsafe_b64decode(
            value.replace("+", "-").replace("/", "_").rstrip("=") + "=="
        )
    except ValueError:
        return None


def _error(status: int, code: str, description: str) -> Response:
    body: dict[str, Any] = {"error": code, "error_description": description, "error_codes": []}
    return Response(status, body)
