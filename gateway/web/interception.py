"""HTTPS interception: the interception CA, leaf certificates minted per host, and the TLS contexts.

The proxy terminates a client's TLS with a leaf certificate for the name the client asked
for (SNI, or the CONNECT host), signed by the organisation's interception CA, and opens
its own verified TLS connection to the origin. Everything cryptographic is Python's
``ssl`` (OpenSSL) and the ``cryptography`` package; nothing here parses ASN.1 or TLS by
hand beyond the five-byte record header that tells a ClientHello from other traffic.

Leaf certificates follow what browsers accept for a publicly trusted one: ECDSA P-256,
SubjectAlternativeName (DNS name or IP address), extended key usage serverAuth, a short
validity, and one leaf key shared by every host (mitmproxy does the same: minting a key
per host would cost more than the signature). Minted certificates are kept in a bounded
LRU of ready ``SSLContext`` objects, so a host seen again costs neither a signature nor a
certificate load; ``signed`` counts signatures (also exported as a metric).
"""

from __future__ import annotations

import datetime
import ipaddress
import os
import ssl
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from filters.errors import ConfigError

CA_CERT_NAME = "interception-ca.crt"
CA_KEY_NAME = "interception-ca.key"
# Leaves live two weeks: well inside any browser's limit for a server certificate, and a
# process restart (or the LRU) renews them long before. Back-dated an hour for clock skew.
LEAF_DAYS = 14
LEAF_BACKDATE = datetime.timedelta(hours=1)
# The leaf is re-minted when less than this much validity is left.
LEAF_RENEW_BEFORE = datetime.timedelta(days=2)
CA_DAYS = 3650
LEAF_CACHE_SIZE = 2048
# TLS record header: content type 22 (handshake), legacy version 3.x; the first handshake
# message of a connection is a ClientHello (type 1), RFC 8446 5.1 and 4.
TLS_HANDSHAKE = 0x16
CLIENT_HELLO = 0x01


class CaError(ConfigError):
    """The interception CA is missing, unreadable or unusable (the message says what to do)."""


def default_ca_paths(data_dir: Path | str) -> tuple[Path, Path]:
    """Where ``redline tls ca init`` puts the CA certificate and key (DATA_DIR/tls/)."""
    base = Path(data_dir) / "tls"
    return base / CA_CERT_NAME, base / CA_KEY_NAME


def create_ca(cert_path: Path, key_path: Path, *, common_name: str = "Redline interception CA",
              organisation: str = "", days: int = CA_DAYS,
              now: datetime.datetime | None = None) -> x509.Certificate:
    """Write a new interception CA: certificate (0644) and private key (0600, never overwritten)."""
    for path in (cert_path, key_path):
        if path.exists():
            raise FileExistsError(f"{path} exists; an interception CA is never overwritten "
                                  "(remove both files first to make a new one)")
    now = now or datetime.datetime.now(datetime.UTC)
    key = ec.generate_private_key(ec.SECP256R1())
    attributes = [x509.NameAttribute(NameOID.COMMON_NAME, common_name)]
    if organisation:
        attributes.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation))
    name = x509.Name(attributes)
    public = key.public_key()
    cert = (
        x509.CertificateBuilder()
        .subject_name(name).issuer_name(name).public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - LEAF_BACKDATE)
        .not_valid_after(now + datetime.timedelta(days=days))
        # pathlen 0: this CA signs leaves only, never another CA.
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True,
                                     content_commitment=False, key_encipherment=False,
                                     data_encipherment=False, key_agreement=False,
                                     encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
        .sign(key, hashes.SHA256())
    )
    key_path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(key_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                  serialization.NoEncryption()))
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    cert_path.chmod(0o644)
    return cert


def fingerprint(cert: x509.Certificate) -> str:
    """The SHA-256 fingerprint as colon-separated hex (what trust-store dialogs show)."""
    return cert.fingerprint(hashes.SHA256()).hex(":").upper()


def load_ca(cert_path: Path, key_path: Path, *, now: datetime.datetime | None = None
            ) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey]:
    """Read and check a CA certificate and its key; CaError says what is wrong with them."""
    try:
        cert = x509.load_pem_x509_certificate(Path(cert_path).read_bytes())
    except OSError as exc:
        raise CaError(f"config key http.ca_cert: cannot read {cert_path}: {exc.strerror or exc}"
                      " (run `redline tls ca init`, or name the organisation's CA)") from None
    except ValueError as exc:
        raise CaError(f"config key http.ca_cert: {cert_path} is not a PEM certificate: {exc}"
                      ) from None
    try:
        mode = _exposed_mode(Path(key_path).stat())
        key = serialization.load_pem_private_key(Path(key_path).read_bytes(), password=None)
    except OSError as exc:
        raise CaError(f"config key http.ca_key: cannot read {key_path}: {exc.strerror or exc}"
                      ) from None
    except (ValueError, TypeError) as exc:
        # The message never carries key material, only what kind of problem it was.
        raise CaError(f"config key http.ca_key: {key_path} is not an unencrypted PEM private "
                      f"key ({type(exc).__name__})") from None
    if mode:
        raise CaError(f"config key http.ca_key: {key_path} is readable by other users "
                      f"(mode {oct(mode)} of group/other bits); chmod 600 it")
    if not isinstance(key, ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey):
        raise CaError(f"config key http.ca_key: {key_path} must be an EC or RSA key")
    if key.public_key().public_numbers() != cert.public_key().public_numbers():
        raise CaError(f"config key http.ca_key: {key_path} is not the key of {cert_path}")
    try:
        constraints = cert.extensions.get_extension_for_class(x509.BasicConstraints).value
    except x509.ExtensionNotFound:
        constraints = None
    if constraints is None or not constraints.ca:
        raise CaError(f"config key http.ca_cert: {cert_path} is not a CA certificate "
                      "(basicConstraints CA:TRUE missing)")
    now = now or datetime.datetime.now(datetime.UTC)
    if cert.not_valid_after_utc <= now:
        raise CaError(f"config key http.ca_cert: {cert_path} expired on "
                      f"{cert.not_valid_after_utc:%Y-%m-%d}; make or name a new CA")
    return cert, key


def _exposed_mode(status: os.stat_result) -> int:
    """The permission bits that let someone but Redline read or change a key file (0: none).

    Group read is Redline's own only when another account (root) owns the file and its
    group is Redline's: how Kubernetes mounts a Secret for a pod with fsGroup (0440).
    """
    exposed = status.st_mode & 0o077
    if (exposed == 0o040 and status.st_uid != os.geteuid()
            and status.st_gid == os.getegid()):
        return 0
    return exposed


def looks_like_client_hello(first: bytes) -> bool:
    """True when ``first`` (at least 6 bytes) starts a TLS handshake record with a ClientHello."""
    return (len(first) >= 6 and first[0] == TLS_HANDSHAKE and first[1] == 3
            and first[5] == CLIENT_HELLO)


def _san_for(host: str) -> x509.GeneralName:
    try:
        return x509.IPAddress(ipaddress.ip_address(host))
    except ValueError:
        pass
    # A DNS name in a certificate is ASCII (an IDN as its A-label, RFC 5280 7.2).
    name = host.encode("idna").decode("ascii") if not host.isascii() else host
    if not name or len(name) > 253 or not all(c.isalnum() or c in "-._*" for c in name):
        raise ValueError(f"not a host name a certificate can carry: {host[:80]!r}")
    return x509.DNSName(name)


@dataclass
class _Leaf:
    context: ssl.SSLContext
    not_after: datetime.datetime


class Interceptor:
    """Mints leaf certificates for hosts and hands out the TLS contexts of both sides."""

    def __init__(self, ca_cert: Path, ca_key: Path, *, upstream_ca_file: str = "",
                 cache_size: int = LEAF_CACHE_SIZE,
                 clock: Callable[[], datetime.datetime] | None = None,
                 on_sign: Callable[[], None] | None = None) -> None:
        self.clock = clock or (lambda: datetime.datetime.now(datetime.UTC))
        self.ca_cert, self.ca_key = load_ca(ca_cert, ca_key, now=self.clock())
        self.ca_cert_path = Path(ca_cert)
        self.cache_size = cache_size
        self.signed = 0
        self.on_sign = on_sign
        self._leaves: OrderedDict[str, _Leaf] = OrderedDict()
        self._lock = threading.Lock()
        self._leaf_key = ec.generate_private_key(ec.SECP256R1())
        self._ski = x509.SubjectKeyIdentifier.from_public_key(self._leaf_key.public_key())
        self._aki = x509.AuthorityKeyIdentifier.from_issuer_public_key(self.ca_key.public_key())
        # load_cert_chain reads files only: the shared key goes in a private directory
        # (0700, key 0600) that lives as long as this object; each minted certificate is
        # written there, loaded and removed.
        self._dir = tempfile.TemporaryDirectory(prefix="redline-leaves-")
        self._key_file = Path(self._dir.name) / "leaf.key"
        fd = os.open(self._key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(self._leaf_key.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption()))
        self.upstream_context = upstream_context(upstream_ca_file)

    def close(self) -> None:
        """Remove the private directory holding the shared leaf key."""
        self._dir.cleanup()

    @property
    def subject(self) -> str:
        """The CA's subject, for the start-up log line."""
        return self.ca_cert.subject.rfc4514_string()

    def _mint(self, host: str) -> _Leaf:
        now = self.clock()
        not_after = min(now + datetime.timedelta(days=LEAF_DAYS), self.ca_cert.not_valid_after_utc)
        san = _san_for(host)
        subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, str(san.value)[:64])])
        cert = (
            x509.CertificateBuilder()
            .subject_name(subject).issuer_name(self.ca_cert.subject)
            .public_key(self._leaf_key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - LEAF_BACKDATE).not_valid_after(not_after)
            .add_extension(x509.SubjectAlternativeName([san]), critical=False)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, key_encipherment=False,
                                         content_commitment=False, data_encipherment=False,
                                         key_agreement=False, key_cert_sign=False, crl_sign=False,
                                         encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .add_extension(self._ski, critical=False)
            .add_extension(self._aki, critical=False)
            .sign(self.ca_key, hashes.SHA256())
        )
        self.signed += 1
        if self.on_sign is not None:
            self.on_sign()
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        # HTTP/1.1 only: the proxy's request parser speaks HTTP/1.x (RFC 7301 ALPN).
        context.set_alpn_protocols(["http/1.1"])
        with tempfile.NamedTemporaryFile(dir=self._dir.name, suffix=".crt") as chain:
            chain.write(cert.public_bytes(serialization.Encoding.PEM))
            chain.write(self.ca_cert.public_bytes(serialization.Encoding.PEM))
            chain.flush()
            context.load_cert_chain(chain.name, self._key_file)
        return _Leaf(context, not_after)

    def leaf_context(self, host: str) -> ssl.SSLContext:
        """The server-side context presenting a leaf for ``host`` (cached; thread-safe)."""
        host = host.strip().rstrip(".").lower()
        with self._lock:
            leaf = self._leaves.get(host)
            if leaf is not None and leaf.not_after - self.clock() > LEAF_RENEW_BEFORE:
                self._leaves.move_to_end(host)
                return leaf.context
            leaf = self._mint(host)
            self._leaves[host] = leaf
            self._leaves.move_to_end(host)
            while len(self._leaves) > self.cache_size:
                self._leaves.popitem(last=False)
            return leaf.context

    def client_context(self, default_host: str, on_name: Callable[[str | None], None]
                       ) -> ssl.SSLContext:
        """The context to accept one intercepted connection with.

        It holds no certificate itself: its SNI callback (OpenSSL calls it for every
        ClientHello, with or without a server name) swaps in the cached leaf context for
        the name the client asked for, or for ``default_host`` (the CONNECT host) when it
        sent none. ``on_name`` learns the SNI name (or None).
        """
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        context.set_alpn_protocols(["http/1.1"])

        def choose(ssl_object, server_name: str | None, _context) -> int | None:
            on_name(server_name)
            try:
                ssl_object.context = self.leaf_context(server_name or default_host)
            except ValueError:  # a name no certificate can carry
                return ssl.ALERT_DESCRIPTION_UNRECOGNIZED_NAME
            return None

        context.sni_callback = choose
        return context


def upstream_context(upstream_ca_file: str = "") -> ssl.SSLContext:
    """TLS towards origins: the system trust store plus ``upstream_ca_file``, hostnames checked."""
    context = ssl.create_default_context()
    if upstream_ca_file:
        try:
            context.load_verify_locations(cafile=upstream_ca_file)
        except (OSError, ssl.SSLError) as exc:
            raise ConfigError(f"config key http.upstream_ca_file: cannot load {upstream_ca_file}: "
                              f"{getattr(exc, 'strerror', None) or exc}") from None
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.set_alpn_protocols(["http/1.1"])
    return context


def describe_certificate_error(exc: BaseException) -> str:
    """A sentence for the block page on why an origin's certificate was refused."""
    reason = getattr(exc, "verify_message", "") or getattr(exc, "reason", "") or str(exc)
    code = getattr(exc, "verify_code", None)
    if code == 10:
        return "its certificate has expired"
    if code == 62 or "hostname mismatch" in str(reason).lower() or "doesn't match" in str(reason):
        return "its certificate was issued for a different name"
    if code in (18, 19, 20, 21):
        return "its certificate is not signed by an authority Redline trusts"
    return f"its certificate could not be verified ({reason})"


def ca_paths(http_config, data_dir: Path | str) -> tuple[Path, Path]:
    """The CA files in force: [http] ca_cert/ca_key when set, else DATA_DIR/tls/'s."""
    if http_config.ca_cert:
        return Path(http_config.ca_cert), Path(http_config.ca_key)
    return default_ca_paths(data_dir)


def build_interceptor(http_config, data_dir: Path | str, *,
                      on_sign: Callable[[], None] | None = None) -> Interceptor | None:
    """The Interceptor from [http], or None when no CA is set up.

    A CA named in the config must load (CaError names the key); the default files under
    the data dir are optional: without them the proxy does not intercept, and
    http.uninspected_connect decides what a CONNECT gets.
    """
    cert, key = ca_paths(http_config, data_dir)
    if not http_config.ca_cert and not cert.exists() and not key.exists():
        # Still check upstream_ca_file, so a typo fails the start either way.
        upstream_context(http_config.upstream_ca_file)
        return None
    return Interceptor(cert, key, upstream_ca_file=http_config.upstream_ca_file,
                       on_sign=on_sign)
