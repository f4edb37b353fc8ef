"""Sign-up engine: a work address submitted to an external service's sign-up form is a hit.

Protocol-independent: a listener describes the request (host, path, the fields of its
query string and body with their origin paths) and ``SignupDetector.scan`` answers with
``signup`` hits. A hit needs all three: a host outside the organisation and outside the
sanctioned services, an address in one of the organisation's domains (or subdomains; any
case, plus-tags, percent-encoded ``@``, quoted or commented local parts, or user and
domain sent in two fields), and a sign-up context: the URL path, the form's page, field
names such as password + confirm, JSON keys (a flag such as ``create_user``: true), an
operation name, a field naming the sign-up page the form was sent from, a GraphQL mutation that
creates an account, or what the request does whatever its URL says (a password with
profile fields, a password posted to a /users collection).
"""

from __future__ import annotations

import itertools
import re
import unicodedata
import urllib.parse
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from filters.types import Hit

RULE = "signup.work_address"
DESCRIPTION = (
    "A work address was submitted to an external service's sign-up, registration or subscription form."
)
VERIFICATION_RULE = "signup.verification_mail"
VERIFICATION_DESCRIPTION = (
    "An external service asks a work address to confirm a new account "
    "or subscription: a sign-up with a work address got through."
)
# Phrases of account-verification mails (matched case-insensitively after NFKC folding).
VERIFICATION_PHRASES = (
    "confirm your account",
    "confirm your email",
    "confirm your e-mail",
    "verify your email",
    "verify your e-mail",
    "verify your account",
    "verify your email address",
    "activate your account",
    "confirm your subscription",
    "confirm your registration",
    "complete your registration",
    "complete your sign-up",
    "complete your signup",
    "finish signing up",
    "welcome aboard",
    "your verification code",
    "confirm your sign-up",
    "验证您的邮箱",
    "验证你的邮箱",
    "激活您的账户",
    "激活你的账户",
    "激活您的帐户",
    "确认注册",
    "完成注册",
    "邮箱验证",
    "confirma tu cuenta",
    "confirme su cuenta",
    "verifica tu correo",
    "verifique su correo",
    "activa tu cuenta",
    "active su cuenta",
    "confirma tu suscripción",
    "confirma tu registro",
    "completa tu registro",
)
MAX_MAIL_TEXT = 256 * 1024  # verification mails are short; only their start is read

# Words that make a request a sign-up. Tokens are matched whole, and adjacent tokens are
# also tried joined ("sign" + "up", "create" + "account"), so signUp, sign-up, sign_up,
# /create/account and createAccount all count.
CONTEXT_WORDS = frozenset(
    {
        "signup",
        "register",
        "registration",
        "registrations",
        "registering",
        "enroll",
        "enrol",
        "enrollment",
        "enrolment",
        "join",
        "subscribe",
        "subscription",
        "subscriptions",
        "newsletter",
        "createaccount",
        "newaccount",
        "createuser",
        "newuser",
        "accountcreate",
        "onboarding",
        "onboard",
        "starttrial",
        "freetrial",
        "getstarted",
        # Chinese and Spanish pinyin/words common in URL paths and field names
        "zhuce",
        "registro",
        "registrarse",
        "suscribir",
        "suscripcion",
        "suscribirse",
        "alta",
    }
)
# A field whose name says it confirms a password (a second password field is a sign-up).
CONFIRM_WORDS = frozenset({"confirm", "confirmation", "repeat", "retype", "verify", "again", "2"})
PASSWORD_WORDS = frozenset({"password", "passwd", "pwd", "pass", "passphrase", "contrasena"})
# Field values that name an operation (GraphQL operationName, "action": "signup" …).
OPERATION_KEYS = frozenset(
    {
        "operationname",
        "action",
        "intent",
        "flow",
        "mode",
        "step",
        "type",
        "event",
        "operation",
        "form",
        "formtype",
        "formname",
    }
)

# Fields that say which page or form a request was sent from ("source": "subscribe_page",
# Substack's subscription): like the browser's Referer, a value naming a sign-up page or
# form there is context. The value must name a page or form, so a "how did you hear of
# us" answer ("source": "newsletter") on a contact form is not.
FORM_PAGE_KEYS = frozenset(
    {
        "source",
        "from",
        "page",
        "origin",
        "placement",
        "location",
        "context",
        "trigger",
        "surface",
        "entrypoint",
        "referrer",
    }
)
PAGE_WORDS = frozenset(
    {"page", "form", "modal", "popup", "dialog", "widget", "embed", "screen", "view", "landing"}
)
# An address as RFC 5322 allows it: a dot-atom or quoted local part ("alice"@…), with
# comments around the parts (alice(work)@example.org) that mail systems ignore.
_COMMENT = r"(?:\([^()\r\n]{0,64}\)\s*)?"
# The domain may be internationalised (RFC 6531): Unicode letters, compared in its ASCII
# (punycode) form, as are the organisation's domains.
_ADDRESS = re.compile(
    r"(?:\"[^\"\r\n]{1,64}\"|[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64})\s*"
    + _COMMENT
    + "@\\s*"
    + _COMMENT
    + r"((?:[^\W_]|-)(?:(?:[^\W_]|[.-]){0,251}[^\W_])?)"
)
_ASCII_HEAD = re.compile(r"[A-Za-z0-9.-]*")
_LOCAL_PART = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}")
# Field names that hold the two halves of an address sent apart.
LOCAL_WORDS = frozenset(
    {
        "user",
        "username",
        "local",
        "localpart",
        "login",
        "mailbox",
        "email",
        "mail",
        "account",
        "prefix",
        "name",
        "handle",
    }
)
DOMAIN_WORDS = frozenset({"domain", "host", "suffix", "maildomain", "emaildomain", "server"})
# Resources whose creation (POST to the collection) is an account: /api/v2/users.
ACCOUNT_COLLECTIONS = frozenset(
    {
        "users",
        "accounts",
        "members",
        "customers",
        "profiles",
        "people",
        "subscribers",
        "registrations",
        "signups",
        "identities",
        "memberships",
        "tenants",
        "usuarios",
        "cuentas",
    }
)
# Fields an account form asks for beside the address and password (a login form does not),
# or the acceptance of terms that only a new account gives.
PROFILE_WORDS = frozenset(
    {
        "firstname",
        "lastname",
        "fullname",
        "displayname",
        "givenname",
        "familyname",
        "surname",
        "nickname",
        "birthday",
        "birthdate",
        "dob",
        "company",
        "organization",
        "organisation",
        "jobtitle",
        "country",
        "terms",
        "tos",
        "acceptterms",
        "agree",
        "agreetoterms",
        "consent",
        "gdpr",
        "marketingoptin",
        "newpassword",
    }
)
# GraphQL: the operation is in the query text ("mutation { createUser(…) }").
_GRAPHQL_MUTATION = re.compile(r"^\s*mutation\b", re.IGNORECASE)
_GRAPHQL_NAMES = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Za-z])(?=[0-9])")
_SPLIT = re.compile(r"[^a-z0-9]+")
MAX_FIELDS = 5000
MAX_VALUE_CHARS = 64 * 1024


@dataclass(frozen=True, slots=True)
class Field:
    """One submitted value: its name (a JSON path for JSON), the value and its origin path."""

    name: str
    value: str
    origin: str
    # A JSON true ("create_user": true): only its name can say what the request does.
    flag: bool = False


@dataclass(frozen=True, slots=True)
class SignupRequest:
    """What the detector needs to know about one request."""

    host: str
    path: str
    fields: Sequence[Field]
    referer_path: str = ""  # the page holding the form, when the browser said
    method: str = "POST"
    # The operation a request names outside its URL and fields: AWS JSON APIs' X-Amz-Target
    # ("AWSCognitoIdentityProviderService.SignUp"), SOAPAction, an Action header.
    operation: str = ""


def tokens(text: str) -> set[str]:
    """Lower-case words of a path or field name, plus adjacent pairs joined, each also
    without a plural ``s`` (a REST collection: /sign_ups, /registers)."""
    words = [w for w in _SPLIT.split(_CAMEL.sub(" ", text).lower()) if w]
    out = set(words)
    out.update(a + b for a, b in itertools.pairwise(words))
    out.update([w[:-1] for w in out if len(w) > 3 and w.endswith("s") and not w.endswith("ss")])
    return out


def ascii_domain(domain: str) -> str:
    """``domain`` lower-cased in its ASCII form (punycode for an internationalised name,
    as IDNA maps it: case and compatibility forms folded); unchanged if IDNA refuses it."""
    domain = domain.strip().rstrip(".")
    if domain.isascii():
        return domain.lower()
    try:
        return domain.encode("idna").decode("ascii").lower()
    except UnicodeError:
        return domain.lower()


def _unquote(value: str) -> str:
    # Percent-encoding may be applied twice (a form field carrying an encoded address).
    for _ in range(2):
        if "%" not in value:
            break
        value = urllib.parse.unquote(value)
    # Full-width ＠ and letters fold to ASCII under NFKC.
    return unicodedata.normalize("NFKC", value)


class SignupDetector:
    """Finds work addresses in sign-up requests to external services."""

    def __init__(
        self,
        org_domains: Iterable[str],
        *,
        allowed_services: Iterable[str] = (),
        context_words: Iterable[str] = (),
    ) -> None:
        self.org_domains = tuple(ascii_domain(d) for d in org_domains if d.strip())
        self.allowed_services = tuple(
            ascii_domain(d).removeprefix("*.") for d in allowed_services if d.strip()
        )
        self.context_words = CONTEXT_WORDS | {w.lower() for w in context_words}

    @staticmethod
    def _in(host: str, domains: Sequence[str]) -> bool:
        host = ascii_domain(host)
        return any(host == d or host.endswith("." + d) for d in domains)

    def is_work_domain(self, domain: str) -> bool:
        """True when ``domain`` is an organisation domain or a subdomain of one."""
        return self._in(domain, self.org_domains)

    def work_addresses(self, value: str) -> list[str]:
        """The organisation addresses in ``value`` (decoded, lower-cased)."""
        value = _unquote(value[:MAX_VALUE_CHARS])
        found = []
        for match in _ADDRESS.finditer(value):
            domain = match.group(1)
            # Text may follow an ASCII domain without a space ("…@example.org请回复").
            head = _ASCII_HEAD.match(domain).group(0).rstrip(".-")
            if self.is_work_domain(domain):
                found.append(match.group(0).lower())
            elif head != domain and self.is_work_domain(head):
                found.append(value[match.start() : match.start(1)].lower() + head.lower())
        return found

    def split_addresses(self, fields: Sequence[Field]) -> list[tuple[Field, str]]:
        """Addresses sent in two fields, a user name and an organisation domain."""
        domains = [
            f
            for f in fields
            if len(f.value) < 256
            and tokens(f.name.rsplit(".", 1)[-1]) & DOMAIN_WORDS
            and self.is_work_domain(_unquote(f.value).strip().lstrip("@"))
        ]
        if not domains:
            return []
        domain = _unquote(domains[0].value).strip().lstrip("@").lower()
        out = []
        for field in fields:
            value = _unquote(field.value).strip()
            if field is domains[0] or not _LOCAL_PART.fullmatch(value):
                continue
            if tokens(field.name.rsplit(".", 1)[-1]) & LOCAL_WORDS:
                out.append((field, f"{value.lower()}@{domain}"))
        return out

    def context(self, request: SignupRequest) -> str:
        """Why ``request`` is a sign-up ("" when it is not): by its URL, its form page, or
        by what it does (creates an account), whatever the URL says."""
        for label, text in (
            ("URL path", request.path),
            ("form page", request.referer_path),
            ("operation", request.operation),
        ):
            found = tokens(_unquote(text)) & self.context_words
            if found:
                return f"{label} says {sorted(found)[0]}"
        passwords = 0
        confirm = False
        profile = ""
        for field in request.fields[:MAX_FIELDS]:
            words = tokens(field.name)
            found = words & self.context_words
            if found:
                return f"field {field.name!r} says {sorted(found)[0]}"
            if field.flag:
                continue  # warnBeforePasswordExpired: true is no password
            if words & PASSWORD_WORDS and field.value:
                passwords += 1
                confirm = confirm or bool(words & CONFIRM_WORDS)
            leaf = field.name.rsplit(".", 1)[-1].lower().replace("_", "").replace("-", "")
            if leaf in PROFILE_WORDS and field.value:
                profile = profile or field.name
            if leaf in OPERATION_KEYS and len(field.value) <= 100:
                found = tokens(field.value) & self.context_words
                if found:
                    return f"{field.name} = {field.value!r}"
            if leaf in FORM_PAGE_KEYS and len(field.value) <= 100:
                words = tokens(field.value)
                found = words & self.context_words
                if found and words & PAGE_WORDS:
                    return f"{field.name} = {field.value!r} (the form's page)"
            if _GRAPHQL_MUTATION.match(field.value):
                found = self._mutation_words(field.value)
                if found:
                    return f"GraphQL mutation {found}"
        if passwords >= 2 or confirm:
            return "a password and its confirmation"
        if passwords and profile:
            return f"a password with profile field {profile!r} (an account being created)"
        collection = request.path.rstrip("/").rsplit("/", 1)[-1].lower()
        if passwords and request.method in ("POST", "PUT") and collection in ACCOUNT_COLLECTIONS:
            return f"a password posted to the {collection!r} collection (an account being created)"
        return ""

    def _mutation_words(self, query: str) -> str:
        """The sign-up operation a GraphQL mutation names (createUser, signUp …), or ""."""
        for name in _GRAPHQL_NAMES.findall(query[:MAX_VALUE_CHARS])[:500]:
            found = tokens(name) & self.context_words
            if found:
                return name
        return ""

    def scan(self, request: SignupRequest) -> list[Hit]:
        """``signup`` hits for ``request``: empty unless it is an external sign-up with a work address."""
        if not self.org_domains or not request.host:
            return []
        if self._in(request.host, self.org_domains) or self._in(request.host, self.allowed_services):
            return []  # the organisation's own services and sanctioned ones
        found = [
            (field, address)
            for field in request.fields[:MAX_FIELDS]
            for address in self.work_addresses(field.value)
        ]
        found += self.split_addresses(request.fields[:MAX_FIELDS])
        if not found:
            return []
        why = self.context(request)
        if not why:
            return []
        hits = []
        seen: set[tuple[str, str]] = set()
        for field, address in found:
            if (field.origin, address) in seen:
                continue
            seen.add((field.origin, address))
            excerpt = f"{address} sent to {request.host.lower()} ({why})"
            start = 0
            hits.append(
                Hit(
                    rule=RULE,
                    category="signup",
                    severity="high",
                    where=field.origin,
                    excerpt=excerpt,
                    span=(start, len(address)),
                    description=DESCRIPTION,
                )
            )
        return hits

    def scan_verification_mail(
        self, sender: str, recipients: Sequence[str], subject: str, text: str, *, where: str = "mail"
    ) -> list[Hit]:
        """``signup`` hits for an inbound mail asking a work address to confirm an account.

        The second net behind the upload check (for gateways that also see inbound mail):
        a sender outside the organisation and the sanctioned services, a work address
        among the recipients, and a verification phrase in the subject or text.
        """
        domain = sender.rpartition("@")[2].strip().strip(">").lower()
        if (
            not self.org_domains
            or not domain
            or self.is_work_domain(domain)
            or self._in(domain, self.allowed_services)
        ):
            return []
        addresses = [a for r in recipients for a in self.work_addresses(r)]
        if not addresses:
            return []
        haystack = unicodedata.normalize("NFKC", f"{subject}\n{text[:MAX_MAIL_TEXT]}").lower()
        haystack = " ".join(haystack.split())
        phrase = next((p for p in VERIFICATION_PHRASES if p in haystack), None)
        if phrase is None:
            return []
        return [
            Hit(
                rule=VERIFICATION_RULE,
                category="signup",
                severity="high",
                where=where,
                excerpt=f"{domain} asks {address} to {phrase!r}",
                span=(0, len(address)),
                description=VERIFICATION_DESCRIPTION,
            )
            for address in dict.fromkeys(addresses)
        ]
