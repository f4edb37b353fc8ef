"""Held-out web requests: uploads and sign-ups as real services, SDKs and browsers send them.

Written from public API documentation and from what browsers send, before reading
Redline's sign-up and upload rules:

- Uploads: Google Drive API v3 "multipart upload" (multipart/related, JSON metadata then
  the media); Dropbox API v2 ``/2/files/upload`` (arguments in the ``Dropbox-API-Arg``
  header, the file as an octet-stream body); Microsoft Graph ``PUT
  /me/drive/root:/{path}:/content``, ``/me/sendMail`` (``fileAttachment.contentBytes``)
  and ``/chats/{id}/messages`` (HTML body), the Teams web client's chat service; Box
  ``/api/2.0/files/content`` (``attributes`` then ``file``); Amazon S3 ``PutObject``
  (plain and ``aws-chunked`` as the AWS SDKs stream it, ``x-amz-meta-*``) and the
  browser-based POST with a presigned policy; Slack ``files.upload``,
  ``files.getUploadURLExternal`` then the upload URL, ``chat.postMessage``; Gmail API
  ``users.messages.send`` (RFC 822 in base64url ``raw``); GitHub ``POST /gists``;
  Pastebin ``api_post.php``; grpc-web (``application/grpc-web+proto`` frames and the
  base64 ``application/grpc-web-text``); SOAP 1.2 with MTOM/XOP; WebDAV ``PUT`` as
  Nextcloud clients send it; the GraphQL multipart request specification; RFC 7231
  ``Content-Encoding`` (gzip, deflate as zlib, br, zstd) on request bodies;
  ``navigator.sendBeacon`` (JSON as text/plain); RFC 7578 / RFC 5987 ``filename*``;
  RFC 2397 ``data:`` URLs in a form field.
- Sign-ups: Firebase Auth REST (``accounts:signUp``, ``signInWithPassword``,
  ``sendOobCode``); Amazon Cognito (``X-Amz-Target:
  AWSCognitoIdentityProviderService.SignUp`` with ``application/x-amz-json-1.1``);
  Auth0 Authentication API (``/dbconnections/signup``, ``change_password``, Universal
  Login ``/u/signup``); Okta (``/api/v1/registration/{id}/register``, Identity Engine
  ``/idp/idx/enroll/new`` in ``application/ion+json``, ``/api/v1/authn``); Keycloak's
  registration and login forms (``login-actions/registration``); Supabase GoTrue
  (``/auth/v1/signup``, ``/token?grant_type=password``, ``/recover``, ``/otp``); Clerk's
  Frontend API (``/v1/client/sign_ups`` form-encoded); django-allauth
  (``/accounts/signup/``); Devise (``user[email]``); WordPress ``wp-login.php``;
  Discourse ``POST /u``; Mastodon ``POST /api/v1/accounts`` and its web form; Mailchimp
  embedded forms, Substack; Google Identity Services (``credential`` JWT) and OAuth
  ``login_hint``; GitHub organisation invitations.

The organisation's domains for scoring are ``example.org`` and the IDN ``müller-bau.de``
(``xn--mller-bau-q9a.de``). Personal addresses use public mail providers.

Outcomes: ``hold`` (a marked upload is held), ``block`` (a sign-up with a work address is
refused), ``pass`` (must go through).

Decisions taken for the ambiguous cases (see README.md): a newsletter subscription is a
sign-up (the work address enters an outside service's list, as with an account); a
passwordless sign-up (magic link that creates the user) is a sign-up; "sign in with
Google/Microsoft" is not (no account with a password; the organisation's identity
provider decides); an invitation sent to a colleague is not (it is sharing on a service
already in use), accepting one by choosing a password is; a login, a password reset and a
contact form are not.
"""

from __future__ import annotations

import base64
import gzip
import io
import json
import struct
import urllib.parse
import uuid
import zlib
from dataclasses import dataclass, field

import brotli
import zstandard

ORG = ("example.org", "müller-bau.de")


@dataclass(frozen=True)
class Case:
    """One web request and what Redline must do with it."""

    name: str
    expect: str  # hold | block | pass
    method: str
    url: str
    headers: tuple[tuple[str, str], ...]
    body: bytes = b""
    source: str = ""
    tags: tuple[str, ...] = field(default_factory=tuple)


CASES: list[Case] = []

UA = ("User-Agent", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
                    "Chrome/131.0.0.0 Safari/537.36")
FORM = ("Content-Type", "application/x-www-form-urlencoded")
JSON = ("Content-Type", "application/json")
BEARER = ("Authorization", "Bearer ya29.a0AfB_byC1q2w3e4r5t6y7u8i9o0p")

# -- the contents ---------------------------------------------------------------------------

MARKED = {
    "en": "TOP SECRET\n\nOperation plan for the northern sector.\nMovements begin on day 3.\n",
    "zh": "机密\n\n关于北部地区的行动计划。\n第三天开始行动。\n",
    "es": "CONFIDENCIAL\n\nPlan de operaciones para el sector norte.\nEl movimiento empieza el día 3.\n",
    "draft": "DRAFT - NOT FOR DISTRIBUTION\n\nQ3 restructuring proposal, version 0.3.\n",
    "nf": "SECRET//NOFORN\n\nSource reporting from the northern sector.\n",
}
CLEAN = "Lunch menu for Friday\n\nSoup of the day, bread, salad.\nCoffee in the break room.\n"
# Ordinary text with the words in other senses: must pass.
DISCLAIMER = ("Hi Tom,\n\nAttached the minutes from Tuesday.\n\nBest,\nAna\n\n--\n"
              "This e-mail and any attachments may contain confidential information intended "
              "solely for the addressee. If you received it in error, please delete it.\n")
SECRETARY = ("Please send the signed form to the Secretary of the Board by Friday. "
             "The Secret Santa draw is on Monday.\n")


def add(name: str, expect: str, method: str, url: str, headers, body: bytes | str = b"",
        source: str = "", tags: tuple[str, ...] = ()) -> None:
    if isinstance(body, str):
        body = body.encode()
    CASES.append(Case(name, expect, method, url, tuple(headers), body, source, tags))


def form(fields) -> bytes:
    return urllib.parse.urlencode(list(fields.items()) if isinstance(fields, dict)
                                  else fields).encode()


def multipart(parts, boundary: str, subtype: str = "form-data") -> bytes:
    """parts: (headers dict, body bytes)."""
    out = io.BytesIO()
    for headers, body in parts:
        out.write(f"--{boundary}\r\n".encode())
        for k, v in headers.items():
            out.write(f"{k}: {v}\r\n".encode())
        out.write(b"\r\n")
        out.write(body if isinstance(body, bytes) else body.encode())
        out.write(b"\r\n")
    out.write(f"--{boundary}--\r\n".encode())
    return out.getvalue()


def fd(name: str, filename: str | None = None, ctype: str | None = None,
       star: str | None = None) -> dict:
    disp = f'form-data; name="{name}"'
    if filename is not None:
        disp += f'; filename="{filename}"'
    if star is not None:
        disp += f"; filename*=UTF-8''{urllib.parse.quote(star)}"
    headers = {"Content-Disposition": disp}
    if ctype:
        headers["Content-Type"] = ctype
    return headers


def docx_bytes(text: str, header: str = "") -> bytes:
    import docx
    document = docx.Document()
    if header:
        document.sections[0].header.paragraphs[0].text = header
    for line in text.split("\n"):
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def mime_mail(body: str, attachment: tuple[str, bytes] | None = None) -> bytes:
    boundary = "000000000000a1b2c3d4e5f60718"
    head = ("From: Alice <alice@example.org>\r\nTo: bob@partner.net\r\nSubject: notes\r\n"
            "MIME-Version: 1.0\r\n")
    if attachment is None:
        return (head + 'Content-Type: text/plain; charset="UTF-8"\r\n\r\n' + body).encode()
    name, data = attachment
    b64 = base64.encodebytes(data).decode()
    return (head + f'Content-Type: multipart/mixed; boundary="{boundary}"\r\n\r\n'
            f"--{boundary}\r\nContent-Type: text/plain; charset=\"UTF-8\"\r\n\r\n{body}\r\n"
            f"--{boundary}\r\nContent-Type: application/octet-stream; name=\"{name}\"\r\n"
            f"Content-Disposition: attachment; filename=\"{name}\"\r\n"
            f"Content-Transfer-Encoding: base64\r\n\r\n{b64}\r\n--{boundary}--\r\n").encode()


def pb_string(field_no: int, text: str) -> bytes:
    data = text.encode()
    key = (field_no << 3) | 2
    out = bytearray([key])
    n = len(data)
    while True:
        byte = n & 0x7F
        n >>= 7
        out.append(byte | (0x80 if n else 0))
        if not n:
            break
    return bytes(out) + data


def grpc_frame(message: bytes) -> bytes:
    return b"\x00" + struct.pack(">I", len(message)) + message


# -- uploads --------------------------------------------------------------------------------

def uploads() -> None:
    for key, label in (("en", "hold"), ("zh", "hold"), ("clean", "pass")):
        text = CLEAN if key == "clean" else MARKED[key]
        b = "foo_bar_baz"
        add(f"drive-multipart-related-{key}", label, "POST",
            "https://www.googleapis.com/upload/drive/v3/files?uploadType=multipart",
            [BEARER, ("Content-Type", f"multipart/related; boundary={b}")],
            multipart([({"Content-Type": "application/json; charset=UTF-8"},
                        json.dumps({"name": "plan.txt", "mimeType": "text/plain"})),
                       ({"Content-Type": "text/plain"}, text)], b),
            "Google Drive API v3, Perform a multipart upload", ("upload",))
    b = "foo_bar_baz"
    add("drive-multipart-related-docx", "hold", "POST",
        "https://www.googleapis.com/upload/drive/v3/files?uploadType=multipart&supportsAllDrives=true",
        [BEARER, ("Content-Type", f'multipart/related; boundary="{b}"')],
        multipart([({"Content-Type": "application/json; charset=UTF-8"},
                    json.dumps({"name": "plan.docx", "parents": ["root"]})),
                   ({"Content-Type": "application/vnd.openxmlformats-officedocument."
                                     "wordprocessingml.document"},
                    docx_bytes("Operation plan for the northern sector.", header="SECRET"))], b),
        "Google Drive API v3, multipart upload of a docx", ("upload",))
    add("drive-simple-media", "hold", "POST",
        "https://www.googleapis.com/upload/drive/v3/files?uploadType=media",
        [BEARER, ("Content-Type", "text/plain")], MARKED["es"], "Drive simple upload", ("upload",))

    for key, label in (("en", "hold"), ("draft", "hold"), ("clean", "pass")):
        text = CLEAN if key == "clean" else MARKED[key]
        add(f"dropbox-files-upload-{key}", label, "POST",
            "https://content.dropboxapi.com/2/files/upload",
            [BEARER, ("Dropbox-API-Arg", json.dumps({"path": "/Homework/math/plan.txt",
                                                    "mode": "add", "autorename": True,
                                                    "mute": False, "strict_conflict": False})),
             ("Content-Type", "application/octet-stream")], text,
            "Dropbox API v2 /2/files/upload", ("upload",))
    add("dropbox-upload-session-append", "hold", "POST",
        "https://content.dropboxapi.com/2/files/upload_session/start",
        [BEARER, ("Dropbox-API-Arg", '{"close": false}'),
         ("Content-Type", "application/octet-stream")],
        docx_bytes(MARKED["nf"]), "Dropbox upload_session/start (one piece)", ("upload",))

    for key, label in (("en", "hold"), ("clean", "pass")):
        text = CLEAN if key == "clean" else MARKED[key]
        add(f"graph-drive-put-content-{key}", label, "PUT",
            "https://graph.microsoft.com/v1.0/me/drive/root:/Documents/plan.txt:/content",
            [BEARER, ("Content-Type", "text/plain")], text,
            "Microsoft Graph, Upload small files (PUT .../content)", ("upload",))
    add("graph-drive-put-docx", "hold", "PUT",
        "https://graph.microsoft.com/v1.0/me/drive/items/root:/plan.docx:/content",
        [BEARER, ("Content-Type", "application/octet-stream")],
        docx_bytes("Plan de operaciones.", header="CONFIDENCIAL"),
        "Graph driveItem upload, docx as octet-stream", ("upload",))

    b = "------------------------b5f8e3c2a1d4"
    for key, label in (("en", "hold"), ("clean", "pass")):
        text = CLEAN if key == "clean" else MARKED[key]
        add(f"box-files-content-{key}", label, "POST",
            "https://upload.box.com/api/2.0/files/content",
            [BEARER, ("Content-Type", f"multipart/form-data; boundary={b}")],
            multipart([(fd("attributes"), json.dumps({"name": "plan.txt", "parent": {"id": "0"}})),
                       (fd("file", "plan.txt", "application/octet-stream"), text)], b),
            "Box API Upload file (attributes before file)", ("upload",))

    s3auth = ("Authorization", "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20261206/"
                               "us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-content-sha256;"
                               "x-amz-date, Signature=fe5f80f77d5fa3beca038a248ff027d0445342fe2855ddc9"
                               "63176630326f1024")
    for key, label in (("zh", "hold"), ("clean", "pass")):
        text = CLEAN if key == "clean" else MARKED[key]
        add(f"s3-put-object-{key}", label, "PUT", "https://acme-reports.s3.amazonaws.com/q3/plan.txt",
            [s3auth, ("x-amz-date", "20261206T014500Z"),
             ("x-amz-content-sha256", "UNSIGNED-PAYLOAD"), ("Content-Type", "text/plain")], text,
            "Amazon S3 PutObject", ("upload",))
    # The AWS SDKs stream a PutObject body in aws-chunked framing with chunk signatures.
    payload = MARKED["en"].encode()
    chunked = (f"{len(payload):x};chunk-signature=ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade3"
               f"5a65485a288648\r\n").encode() + payload + (
        b"\r\n0;chunk-signature=b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9\r\n\r\n")
    add("s3-put-object-aws-chunked", "hold", "PUT", "https://acme-reports.s3.amazonaws.com/q3/plan.txt",
        [s3auth, ("x-amz-date", "20261206T014500Z"), ("Content-Encoding", "aws-chunked"),
         ("x-amz-content-sha256", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD"),
         ("x-amz-decoded-content-length", str(len(payload))), ("Content-Type", "text/plain")],
        chunked, "S3 SigV4 streaming upload (aws-chunked, chunk signatures)", ("upload",))
    # Added after the first score, from the same documentation: clean twins and the
    # unsigned variant with a trailing checksum (STREAMING-UNSIGNED-PAYLOAD-TRAILER).
    clean = CLEAN.encode()
    add("s3-put-object-aws-chunked-clean", "pass", "PUT",
        "https://acme-reports.s3.amazonaws.com/q3/menu.txt",
        [s3auth, ("x-amz-date", "20261206T014500Z"), ("Content-Encoding", "aws-chunked"),
         ("x-amz-content-sha256", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD"),
         ("x-amz-decoded-content-length", str(len(clean))), ("Content-Type", "text/plain")],
        f"{len(clean):x};chunk-signature=ad80c730a21e5b8d\r\n".encode() + clean
        + b"\r\n0;chunk-signature=b6c6ea8a5354eaf1\r\n\r\n",
        "S3 SigV4 streaming upload, clean", ("upload", "added"))
    add("s3-put-object-aws-chunked-trailer", "hold", "PUT",
        "https://acme-reports.s3.amazonaws.com/q3/plan.txt",
        [s3auth, ("Content-Encoding", "aws-chunked"), ("x-amz-trailer", "x-amz-checksum-crc32"),
         ("x-amz-content-sha256", "STREAMING-UNSIGNED-PAYLOAD-TRAILER"),
         ("x-amz-decoded-content-length", str(len(payload)))],
        f"{len(payload):x}\r\n".encode() + payload + b"\r\n0\r\nx-amz-checksum-crc32:AAAAAA==\r\n\r\n",
        "S3 unsigned streaming upload with a trailing checksum (AWS SDKs' default)",
        ("upload", "added"))
    add("s3-put-object-metadata-marking", "hold", "PUT",
        "https://acme-reports.s3.amazonaws.com/q3/data.bin",
        [s3auth, ("x-amz-date", "20261206T014500Z"), ("x-amz-meta-classification", "TOP SECRET"),
         ("x-amz-content-sha256", "UNSIGNED-PAYLOAD"), ("Content-Type", "application/octet-stream")],
        bytes(range(256)) * 4, "S3 user metadata x-amz-meta-* carrying the marking", ("upload",))
    b = "----WebKitFormBoundary7MA4YWxkTrZu0gW"
    policy = base64.b64encode(json.dumps({"expiration": "2026-12-07T12:00:00.000Z", "conditions": [
        {"bucket": "acme-uploads"}, ["starts-with", "$key", "user/alice/"]]}).encode()).decode()
    fields = [("key", "user/alice/${filename}"), ("acl", "private"),
              ("x-amz-credential", "AKIAIOSFODNN7EXAMPLE/20261206/us-east-1/s3/aws4_request"),
              ("x-amz-algorithm", "AWS4-HMAC-SHA256"), ("x-amz-date", "20261206T000000Z"),
              ("policy", policy), ("x-amz-signature", "4b4f1b2c3d")]
    add("s3-presigned-post-form", "hold", "POST", "https://acme-uploads.s3.amazonaws.com/",
        [UA, ("Content-Type", f"multipart/form-data; boundary={b}")],
        multipart([(fd(k), v) for k, v in fields]
                  + [(fd("file", "plan.docx", "application/vnd.openxmlformats-officedocument."
                                              "wordprocessingml.document"),
                      docx_bytes("Northern sector.", header="TOP SECRET"))], b),
        "S3 browser-based upload with a POST policy", ("upload",))

    b = "------------------------3a1f0b7c9d2e"
    add("slack-files-upload", "hold", "POST", "https://slack.com/api/files.upload",
        [("Authorization", "Bearer xoxb-1-2-abc"), ("Content-Type", f"multipart/form-data; boundary={b}")],
        multipart([(fd("channels"), "C0123456789"), (fd("initial_comment"), "for review"),
                   (fd("file", "plan.txt", "text/plain"), MARKED["en"])], b),
        "Slack files.upload (legacy)", ("upload",))
    add("slack-files-upload-content-field", "hold", "POST", "https://slack.com/api/files.upload",
        [("Authorization", "Bearer xoxb-1-2-abc"), FORM],
        form({"channels": "C0123456789", "content": MARKED["zh"], "filename": "plan.txt",
              "filetype": "text"}), "Slack files.upload with content= (form)", ("upload",))
    add("slack-upload-url-external", "hold", "POST",
        "https://files.slack.com/upload/v1/CwABAAAAXAoAAZnKg1Q",
        [("Content-Type", "application/octet-stream")], docx_bytes(MARKED["en"]),
        "Slack files.getUploadURLExternal then POST to the upload URL", ("upload",))
    add("slack-chat-post-message", "hold", "POST", "https://slack.com/api/chat.postMessage",
        [("Authorization", "Bearer xoxb-1-2-abc"), ("Content-Type", "application/json; charset=utf-8")],
        json.dumps({"channel": "C0123456789", "text": MARKED["nf"], "blocks": [
            {"type": "section", "text": {"type": "mrkdwn", "text": MARKED["nf"]}}]}),
        "Slack chat.postMessage", ("upload",))

    for key, label, body, att in (
            ("body", "hold", MARKED["en"], None),
            ("attachment", "hold", "See attached.", ("plan.docx", docx_bytes("Plan.", header="SECRET"))),
            ("disclaimer", "pass", DISCLAIMER, None)):
        raw = base64.urlsafe_b64encode(mime_mail(body, att)).decode().rstrip("=")
        add(f"gmail-messages-send-{key}", label, "POST",
            "https://gmail.googleapis.com/gmail/v1/users/me/messages/send",
            [BEARER, JSON], json.dumps({"raw": raw}),
            "Gmail API users.messages.send (base64url raw)", ("upload",))
    for key, label, att in (("attachment", "hold", MARKED["es"]), ("clean", "pass", CLEAN)):
        add(f"graph-sendmail-{key}", label, "POST", "https://graph.microsoft.com/v1.0/me/sendMail",
            [BEARER, JSON], json.dumps({"message": {
                "subject": "Notes", "body": {"contentType": "Text", "content": "See attached."},
                "toRecipients": [{"emailAddress": {"address": "bob@partner.net"}}],
                "attachments": [{"@odata.type": "#microsoft.graph.fileAttachment",
                                 "name": "plan.txt", "contentType": "text/plain",
                                 "contentBytes": base64.b64encode(att.encode()).decode()}]},
                "saveToSentItems": "false"}),
            "Microsoft Graph user: sendMail with a fileAttachment", ("upload",))
    add("graph-sendmail-html-body", "hold", "POST", "https://graph.microsoft.com/v1.0/me/sendMail",
        [BEARER, JSON], json.dumps({"message": {
            "subject": "Plan", "body": {"contentType": "HTML", "content":
                                        "<html><body><p><b>TOP&nbsp;SECRET</b></p><p>Operation plan "
                                        "for the northern sector.</p></body></html>"},
            "toRecipients": [{"emailAddress": {"address": "bob@partner.net"}}]}}),
        "Graph sendMail with an HTML body (non-breaking space)", ("upload",))
    add("owa-create-item", "hold", "POST",
        "https://outlook.office.com/owa/service.svc?action=CreateItem&app=Mail",
        [("Action", "CreateItem"), ("Content-Type", "application/json; charset=utf-8"),
         ("X-OWA-CANARY", "X2wX1f8R3kq")],
        json.dumps({"__type": "CreateItemJsonRequest:#Exchange", "Body": {
            "__type": "CreateItemRequest:#Exchange", "MessageDisposition": "SendAndSaveCopy",
            "Items": [{"__type": "Message:#Exchange", "Subject": "plan",
                       "Body": {"BodyType": "HTML", "Value": "<div>SECRET//NOFORN</div>"
                                                             "<div>Source reporting.</div>"},
                       "ToRecipients": [{"EmailAddress": "bob@partner.net"}]}]}}),
        "Outlook on the web CreateItem", ("upload",))

    for key, label, text in (("marked", "hold", MARKED["en"]), ("clean", "pass", SECRETARY)):
        add(f"github-gist-{key}", label, "POST", "https://api.github.com/gists",
            [("Authorization", "Bearer ghp_16C7e42F292c6912E7710c838347Ae178B4a"),
             ("Accept", "application/vnd.github+json"), ("X-GitHub-Api-Version", "2022-11-28"), JSON],
            json.dumps({"description": "notes", "public": False,
                        "files": {"notes.md": {"content": text}}}),
            "GitHub REST Create a gist", ("upload",))
    add("pastebin-api-post", "hold", "POST", "https://pastebin.com/api/api_post.php", [FORM],
        form({"api_dev_key": "d1e2v3k4e5y6", "api_option": "paste", "api_paste_code": MARKED["es"],
              "api_paste_private": "1", "api_paste_name": "plan"}),
        "Pastebin API api_post.php", ("upload",))
    add("teams-graph-chat-message", "hold", "POST",
        "https://graph.microsoft.com/v1.0/chats/19:2da4c29f6d7041eca70b638b43d45437@thread.v2/messages",
        [BEARER, JSON], json.dumps({"body": {"contentType": "html", "content":
                                             "<p><strong>TOP SECRET</strong></p><p>Operation plan "
                                             "for the northern sector.</p>"}}),
        "Graph chatMessage (HTML body)", ("upload",))
    add("teams-web-client-message", "hold", "POST",
        "https://emea.ng.msg.teams.microsoft.com/v1/users/ME/conversations/"
        "19%3Aabc%40thread.v2/messages",
        [("Authentication", "skypetoken=eyJhbGciOi"), JSON],
        json.dumps({"content": "<p>机密</p><p>关于北部地区的行动计划。</p>",
                    "messagetype": "RichText/Html", "contenttype": "text",
                    "clientmessageid": "8127364519283", "imdisplayname": "Alice",
                    "properties": {"importance": "", "subject": ""}}),
        "Teams web client chat service message", ("upload",))

    doc = json.dumps({"title": "plan", "text": MARKED["en"]}).encode()
    for name, coded in (("gzip", gzip.compress(doc)), ("deflate", zlib.compress(doc)),
                        ("br", brotli.compress(doc)),
                        ("zstd", zstandard.ZstdCompressor().compress(doc))):
        add(f"content-encoding-{name}-json", "hold", "POST", "https://api.notes.example.net/v1/notes",
            [JSON, ("Content-Encoding", name)], coded,
            f"RFC 9110 Content-Encoding {name} on a request body", ("upload",))
    add("content-encoding-gzip-clean", "pass", "POST", "https://api.notes.example.net/v1/notes",
        [JSON, ("Content-Encoding", "gzip")],
        gzip.compress(json.dumps({"title": "menu", "text": CLEAN}).encode()),
        "gzip JSON, clean", ("upload",))
    add("content-encoding-zstd-clean", "pass", "POST", "https://api.notes.example.net/v1/notes",
        [JSON, ("Content-Encoding", "zstd")],
        zstandard.ZstdCompressor().compress(json.dumps({"title": "menu", "text": CLEAN}).encode()),
        "zstd JSON, clean (added after the first score)", ("upload", "added"))
    add("content-encoding-gzip-multipart", "hold", "POST", "https://upload.example.net/files",
        [("Content-Type", "multipart/form-data; boundary=zzz"), ("Content-Encoding", "gzip")],
        gzip.compress(multipart([(fd("file", "plan.txt", "text/plain"), MARKED["zh"])], "zzz")),
        "gzip over multipart/form-data", ("upload",))
    add("sendbeacon-text-plain-json", "hold", "POST", "https://collab.example.net/api/autosave",
        [("Content-Type", "text/plain;charset=UTF-8"), UA],
        json.dumps({"docId": "a1b2", "ops": [{"insert": MARKED["en"]}]}),
        "navigator.sendBeacon with a JSON string (text/plain)", ("upload",))
    add("text-plain-json-escaped", "hold", "POST", "https://collab.example.net/api/autosave",
        [("Content-Type", "text/plain;charset=UTF-8")],
        json.dumps({"ops": [{"insert": MARKED["zh"]}]}, ensure_ascii=True),
        "text/plain JSON with \\u escapes (ensure_ascii)", ("upload",))
    add("json-unicode-escapes", "hold", "POST", "https://api.notes.example.net/v1/notes",
        [JSON], json.dumps({"text": MARKED["zh"]}, ensure_ascii=True),
        "JSON with \\uXXXX escapes", ("upload",))

    b = "----WebKitFormBoundaryx8Hq2Lr0T9mNcdEf"
    add("multipart-filename-star", "hold", "POST", "https://upload.example.net/files",
        [("Content-Type", f"multipart/form-data; boundary={b}")],
        multipart([(fd("file", "plan.txt", "text/plain", star="作战计划.txt"), MARKED["zh"])], b),
        "RFC 7578 / RFC 5987 filename*", ("upload",))
    add("multipart-filename-star-only-docx", "hold", "POST", "https://upload.example.net/files",
        [("Content-Type", f"multipart/form-data; boundary={b}")],
        multipart([({"Content-Disposition": "form-data; name=\"file\"; filename*=UTF-8''"
                                            + urllib.parse.quote("plan de operación.docx"),
                     "Content-Type": "application/octet-stream"},
                    docx_bytes("Plan.", header="CONFIDENCIAL"))], b),
        "filename* alone, docx as octet-stream", ("upload",))
    add("multipart-utf8-filename-raw", "hold", "POST", "https://upload.example.net/files",
        [("Content-Type", f"multipart/form-data; boundary={b}")],
        multipart([({"Content-Disposition": 'form-data; name="file"; filename="计划.txt"',
                     "Content-Type": "text/plain"}, MARKED["zh"])], b),
        "browsers send a UTF-8 filename raw (WHATWG)", ("upload",))

    msg = pb_string(1, "C0123") + pb_string(2, MARKED["en"])
    add("grpc-web-proto", "hold", "POST", "https://api.chat.example.net/chat.v1.Chat/SendMessage",
        [("Content-Type", "application/grpc-web+proto"), ("X-Grpc-Web", "1"),
         ("X-User-Agent", "grpc-web-javascript/0.1")], grpc_frame(msg),
        "grpc-web binary frame (PROTOCOL-WEB.md)", ("upload",))
    add("grpc-web-text", "hold", "POST", "https://api.chat.example.net/chat.v1.Chat/SendMessage",
        [("Content-Type", "application/grpc-web-text"), ("X-Grpc-Web", "1"),
         ("Accept", "application/grpc-web-text")],
        base64.b64encode(grpc_frame(pb_string(1, "C0123") + pb_string(2, MARKED["zh"]))),
        "grpc-web-text (base64 frames)", ("upload",))
    add("grpc-web-proto-clean", "pass", "POST",
        "https://api.chat.example.net/chat.v1.Chat/SendMessage",
        [("Content-Type", "application/grpc-web+proto"), ("X-Grpc-Web", "1")],
        grpc_frame(pb_string(1, "C0123") + pb_string(2, CLEAN)), "grpc-web clean", ("upload",))

    b = "uuid:0ca0e16e-feb1-426c-97d8-c4508ada5e82"
    soap = ('<?xml version="1.0" encoding="UTF-8"?><soap:Envelope '
            'xmlns:soap="http://www.w3.org/2003/05/soap-envelope" '
            'xmlns:xop="http://www.w3.org/2004/08/xop/include"><soap:Body><ns:store '
            'xmlns:ns="urn:docstore"><ns:name>plan.docx</ns:name><ns:data><xop:Include '
            'href="cid:doc@example.net"/></ns:data></ns:store></soap:Body></soap:Envelope>')
    add("soap-mtom", "hold", "POST", "https://docs.partner.net/ws/DocumentService",
        [("Content-Type", f'multipart/related; type="application/xop+xml"; boundary="{b}"; '
                          'start="<root.message@cxf.apache.org>"; start-info="application/soap+xml"'),
         ("SOAPAction", '"urn:store"')],
        multipart([({"Content-Type": 'application/xop+xml; charset=UTF-8; type="application/soap+xml"',
                     "Content-Transfer-Encoding": "binary",
                     "Content-ID": "<root.message@cxf.apache.org>"}, soap),
                   ({"Content-Type": "application/octet-stream", "Content-Transfer-Encoding": "binary",
                     "Content-ID": "<doc@example.net>"},
                    docx_bytes("Northern sector.", header="SECRET"))], b, "related"),
        "SOAP 1.2 MTOM/XOP (Apache CXF)", ("upload",))
    add("soap-xml-body", "hold", "POST", "https://docs.partner.net/ws/NoteService",
        [("Content-Type", 'application/soap+xml; charset=utf-8; action="urn:addNote"')],
        '<?xml version="1.0"?><soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope">'
        '<soap:Body><addNote xmlns="urn:notes"><text>CONFIDENCIAL&#10;Plan de operaciones para el '
        'sector norte.</text></addNote></soap:Body></soap:Envelope>',
        "SOAP 1.2 body with a character reference", ("upload",))
    add("xml-base64-element", "hold", "POST", "https://docs.partner.net/api/documents",
        [("Content-Type", "application/xml")],
        "<document><name>plan.txt</name><content encoding=\"base64\">"
        + base64.b64encode(MARKED["en"].encode()).decode() + "</content></document>",
        "XML API with a base64 element", ("upload",))

    add("form-data-url-field", "hold", "POST", "https://forms.example.net/submit", [FORM, UA],
        form({"name": "plan", "attachment": "data:text/plain;base64,"
              + base64.b64encode(MARKED["en"].encode()).decode()}),
        "RFC 2397 data: URL in a form field", ("upload",))
    add("json-data-url-docx", "hold", "POST", "https://forms.example.net/api/attachments", [JSON],
        json.dumps({"file": "data:application/vnd.openxmlformats-officedocument.wordprocessingml."
                            "document;base64,"
                            + base64.b64encode(docx_bytes("Plan.", header="TOP SECRET")).decode()}),
        "data: URL of a docx in JSON (FileReader.readAsDataURL)", ("upload",))

    for key, label, text in (("marked", "hold", MARKED["draft"]), ("clean", "pass", CLEAN)):
        add(f"webdav-put-{key}", label, "PUT",
            "https://cloud.example.net/remote.php/dav/files/alice/Documents/plan.txt",
            [("Authorization", "Basic YWxpY2U6YXBwcGFzc3dvcmQ="), ("Content-Type", "text/plain"),
             ("OC-Checksum", "SHA1:1f2e3d"), ("X-OC-Mtime", "1765000000")], text,
            "WebDAV PUT (Nextcloud desktop client)", ("upload",))

    b = "------------------------cec8e8123c05ba25"
    add("graphql-multipart-upload", "hold", "POST", "https://api.example.net/graphql",
        [("Content-Type", f"multipart/form-data; boundary={b}"), ("apollo-require-preflight", "true")],
        multipart([(fd("operations"), json.dumps({
            "query": "mutation ($file: Upload!) { singleUpload(file: $file) { id } }",
            "variables": {"file": None}})),
                   (fd("map"), json.dumps({"0": ["variables.file"]})),
                   (fd("0", "plan.txt", "text/plain"), MARKED["nf"])], b),
        "GraphQL multipart request spec", ("upload",))

    add("query-string-search", "hold", "GET",
        "https://www.google.com/search?q=" + urllib.parse.quote("TOP SECRET operation plan northern sector"),
        [UA], b"", "marking in a query string", ("upload",))
    add("path-marked-filename", "hold", "PUT",
        "https://graph.microsoft.com/v1.0/me/drive/root:/" + urllib.parse.quote("机密 作战计划.txt")
        + ":/content", [BEARER, ("Content-Type", "text/plain")], MARKED["zh"],
        "Graph PUT, marked content and name", ("upload",))
    add("clean-disclaimer-json", "pass", "POST", "https://api.notes.example.net/v1/notes", [JSON],
        json.dumps({"text": DISCLAIMER}), "mail disclaimer is not a marking", ("upload",))
    add("clean-secretaria-form", "pass", "POST", "https://forms.example.net/submit", [FORM],
        form({"comment": "La Secretaría de Hacienda publicó el calendario. "
                         "Victoria's Secret abre el lunes."}),
        "Secretaría / Victoria's Secret", ("upload",))


# -- sign-ups -------------------------------------------------------------------------------

WORK = "alice@example.org"
PERSONAL = "alice.smith@gmail.com"


def signups() -> None:
    def both(name, method, url, headers, make, source, personal=PERSONAL):
        add(f"{name}-work", "block", method, url, headers, make(WORK), source, ("signup",))
        add(f"{name}-personal", "pass", method, url, headers, make(personal), source, ("signup",))

    key = "?key=AIzaSyDOCAbC123dEf456GhI789jKl012-MnO"
    both("firebase-signup", "POST", "https://identitytoolkit.googleapis.com/v1/accounts:signUp" + key,
         [JSON], lambda e: json.dumps({"email": e, "password": "c0rrect-h0rse",
                                       "returnSecureToken": True}),
         "Firebase Auth REST accounts:signUp")
    add("firebase-login", "pass", "POST",
        "https://identitytoolkit.googleapis.com/v1/accounts:signInWithPassword" + key, [JSON],
        json.dumps({"email": WORK, "password": "c0rrect-h0rse", "returnSecureToken": True}),
        "Firebase signInWithPassword", ("signup", "login"))
    add("firebase-password-reset", "pass", "POST",
        "https://identitytoolkit.googleapis.com/v1/accounts:sendOobCode" + key, [JSON],
        json.dumps({"requestType": "PASSWORD_RESET", "email": WORK}),
        "Firebase sendOobCode PASSWORD_RESET", ("signup", "reset"))

    cognito = [("Content-Type", "application/x-amz-json-1.1"),
               ("X-Amz-Target", "AWSCognitoIdentityProviderService.SignUp"),
               ("X-Amz-User-Agent", "aws-amplify/5.0.4 js")]
    both("cognito-signup", "POST", "https://cognito-idp.us-east-1.amazonaws.com/", cognito,
         lambda e: json.dumps({"ClientId": "4l2k3j4h5g6f7d8s9a0p1o2i3u", "Username": e,
                               "Password": "c0rrect-h0rse!A",
                               "UserAttributes": [{"Name": "email", "Value": e}]}),
         "Amazon Cognito SignUp")
    both("cognito-signup-uuid-username", "POST", "https://cognito-idp.eu-west-1.amazonaws.com/",
         cognito, lambda e: json.dumps({"ClientId": "4l2k3j4h5g6f7d8s9a0p1o2i3u",
                                        "Username": str(uuid.UUID(int=7)),
                                        "Password": "c0rrect-h0rse!A",
                                        "UserAttributes": [{"Name": "given_name", "Value": "Alice"},
                                                           {"Name": "email", "Value": e}]}),
         "Cognito SignUp, address only in UserAttributes")
    add("cognito-login", "pass", "POST", "https://cognito-idp.us-east-1.amazonaws.com/",
        [("Content-Type", "application/x-amz-json-1.1"),
         ("X-Amz-Target", "AWSCognitoIdentityProviderService.InitiateAuth")],
        json.dumps({"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": "4l2k3j4h5g6f7d8s9a0p1o2i3u",
                    "AuthParameters": {"USERNAME": WORK, "PASSWORD": "c0rrect-h0rse!A"}}),
        "Cognito InitiateAuth", ("signup", "login"))
    add("cognito-forgot-password", "pass", "POST", "https://cognito-idp.us-east-1.amazonaws.com/",
        [("Content-Type", "application/x-amz-json-1.1"),
         ("X-Amz-Target", "AWSCognitoIdentityProviderService.ForgotPassword")],
        json.dumps({"ClientId": "4l2k3j4h5g6f7d8s9a0p1o2i3u", "Username": WORK}),
        "Cognito ForgotPassword", ("signup", "reset"))

    both("auth0-dbconnections-signup", "POST", "https://acme.eu.auth0.com/dbconnections/signup",
         [JSON, ("Auth0-Client", "eyJuYW1lIjoiYXV0aDAuanMiLCJ2ZXJzaW9uIjoiOS4yMy4wIn0=")],
         lambda e: json.dumps({"client_id": "ZKx1Yk2m3N4o5P6q", "email": e, "password": "c0rrect-h0rse",
                               "connection": "Username-Password-Authentication",
                               "user_metadata": {"plan": "free"}}),
         "Auth0 Authentication API signup")
    both("auth0-universal-login-signup", "POST",
         "https://acme.eu.auth0.com/u/signup?state=hKFo2SBzY3R1bFh3", [FORM, UA],
         lambda e: form({"state": "hKFo2SBzY3R1bFh3", "email": e, "password": "c0rrect-h0rse",
                         "action": "default"}),
         "Auth0 Universal Login sign-up page")
    add("auth0-change-password", "pass", "POST", "https://acme.eu.auth0.com/dbconnections/change_password",
        [JSON], json.dumps({"client_id": "ZKx1Yk2m3N4o5P6q", "email": WORK,
                            "connection": "Username-Password-Authentication"}),
        "Auth0 change_password", ("signup", "reset"))
    add("auth0-universal-login", "pass", "POST",
        "https://acme.eu.auth0.com/u/login?state=hKFo2SBzY3R1bFh3", [FORM, UA],
        form({"state": "hKFo2SBzY3R1bFh3", "username": WORK, "password": "c0rrect-h0rse",
              "action": "default"}), "Auth0 Universal Login", ("signup", "login"))

    both("okta-registration", "POST",
         "https://acme.okta.com/api/v1/registration/reg405abrRAkn0TRf5d6/register", [JSON],
         lambda e: json.dumps({"userProfile": {"email": e, "firstName": "Alice", "lastName": "Smith",
                                               "password": "c0rrect-h0rse"}}),
         "Okta self-service registration")
    both("okta-idx-enroll", "POST", "https://acme.okta.com/idp/idx/enroll/new",
         [("Content-Type", "application/ion+json; okta-version=1.0.0"),
          ("Accept", "application/ion+json; okta-version=1.0.0")],
         lambda e: json.dumps({"userProfile": {"email": e, "firstName": "Alice", "lastName": "Smith"},
                               "stateHandle": "02abcDEF"}),
         "Okta Identity Engine enroll/new (ion+json)")
    add("okta-authn", "pass", "POST", "https://acme.okta.com/api/v1/authn", [JSON],
        json.dumps({"username": WORK, "password": "c0rrect-h0rse",
                    "options": {"warnBeforePasswordExpired": True}}), "Okta authn", ("signup", "login"))

    kc = ("https://sso.partner.net/realms/partner/login-actions/registration?session_code=Xk2&"
          "execution=8d1c&client_id=portal&tab_id=Qw1")
    both("keycloak-registration", "POST", kc, [FORM, UA],
         lambda e: form({"firstName": "Alice", "lastName": "Smith", "email": e, "username": e,
                         "password": "c0rrect-h0rse", "password-confirm": "c0rrect-h0rse"}),
         "Keycloak registration form")
    add("keycloak-login", "pass", "POST",
        "https://sso.partner.net/realms/partner/login-actions/authenticate?session_code=Xk2&"
        "execution=9e&client_id=portal&tab_id=Qw1", [FORM, UA],
        form({"username": WORK, "password": "c0rrect-h0rse", "credentialId": ""}),
        "Keycloak login form", ("signup", "login"))
    add("keycloak-reset-credentials", "pass", "POST",
        "https://sso.partner.net/realms/partner/login-actions/reset-credentials?session_code=Xk2&"
        "client_id=portal&tab_id=Qw1", [FORM, UA], form({"username": WORK}),
        "Keycloak reset credentials", ("signup", "reset"))

    sb = [JSON, ("apikey", "eyJhbGciOiJIUzI1NiJ9.eyJyb2xlIjoiYW5vbiJ9.x"),
          ("X-Client-Info", "supabase-js-web/2.45.0")]
    both("supabase-signup", "POST", "https://xyzcompany.supabase.co/auth/v1/signup", sb,
         lambda e: json.dumps({"email": e, "password": "c0rrect-h0rse", "data": {},
                               "gotrue_meta_security": {}, "code_challenge": None,
                               "code_challenge_method": None}), "Supabase GoTrue signup")
    add("supabase-otp-create-user", "block", "POST", "https://xyzcompany.supabase.co/auth/v1/otp", sb,
        json.dumps({"email": WORK, "data": {}, "create_user": True, "gotrue_meta_security": {}}),
        "Supabase signInWithOtp with create_user (passwordless sign-up)", ("signup",))
    add("supabase-login", "pass", "POST",
        "https://xyzcompany.supabase.co/auth/v1/token?grant_type=password", sb,
        json.dumps({"email": WORK, "password": "c0rrect-h0rse", "gotrue_meta_security": {}}),
        "Supabase password login", ("signup", "login"))
    add("supabase-recover", "pass", "POST", "https://xyzcompany.supabase.co/auth/v1/recover", sb,
        json.dumps({"email": WORK, "gotrue_meta_security": {}}), "Supabase recover", ("signup", "reset"))

    clerk = "?_clerk_js_version=5.35.0"
    both("clerk-sign-ups", "POST", "https://clerk.partner.net/v1/client/sign_ups" + clerk, [FORM, UA],
         lambda e: form({"email_address": e, "password": "c0rrect-h0rse"}),
         "Clerk Frontend API sign_ups")
    add("clerk-sign-ins", "pass", "POST", "https://clerk.partner.net/v1/client/sign_ins" + clerk,
        [FORM, UA], form({"identifier": WORK}), "Clerk sign_ins", ("signup", "login"))

    csrf = "csrfmiddlewaretoken"
    both("django-allauth-signup", "POST", "https://forum.partner.net/accounts/signup/",
         [FORM, UA, ("Cookie", "csrftoken=Zx81kLm")],
         lambda e: form({csrf: "Zx81kLm", "email": e, "username": "alice",
                         "password1": "c0rrect-h0rse", "password2": "c0rrect-h0rse"}),
         "django-allauth signup")
    add("django-allauth-login", "pass", "POST", "https://forum.partner.net/accounts/login/",
        [FORM, UA], form({csrf: "Zx81kLm", "login": WORK, "password": "c0rrect-h0rse",
                          "remember": "on"}), "django-allauth login", ("signup", "login"))
    add("django-allauth-password-reset", "pass", "POST",
        "https://forum.partner.net/accounts/password/reset/", [FORM, UA],
        form({csrf: "Zx81kLm", "email": WORK}), "django-allauth password reset", ("signup", "reset"))

    both("devise-registration", "POST", "https://app.partner.net/users", [FORM, UA],
         lambda e: form([("authenticity_token", "q1w2e3"), ("user[email]", e),
                         ("user[password]", "c0rrect-h0rse"),
                         ("user[password_confirmation]", "c0rrect-h0rse"), ("commit", "Sign up")]),
         "Devise registrations#create")
    add("devise-sign-in", "pass", "POST", "https://app.partner.net/users/sign_in", [FORM, UA],
        form([("authenticity_token", "q1w2e3"), ("user[email]", WORK),
              ("user[password]", "c0rrect-h0rse"), ("user[remember_me]", "0"),
              ("commit", "Log in")]), "Devise sessions#create", ("signup", "login"))
    add("devise-password", "pass", "POST", "https://app.partner.net/users/password", [FORM, UA],
        form([("authenticity_token", "q1w2e3"), ("user[email]", WORK),
              ("commit", "Send me reset password instructions")]),
        "Devise passwords#create", ("signup", "reset"))

    both("wordpress-register", "POST", "https://blog.partner.net/wp-login.php?action=register",
         [FORM, UA], lambda e: form({"user_login": "alice", "user_email": e, "redirect_to": "",
                                     "wp-submit": "Register"}), "WordPress registration")
    add("wordpress-login", "pass", "POST", "https://blog.partner.net/wp-login.php", [FORM, UA],
        form({"log": WORK, "pwd": "c0rrect-h0rse", "wp-submit": "Log In", "testcookie": "1"}),
        "WordPress login", ("signup", "login"))
    add("wordpress-lostpassword", "pass", "POST",
        "https://blog.partner.net/wp-login.php?action=lostpassword", [FORM, UA],
        form({"user_login": WORK, "redirect_to": "", "wp-submit": "Get New Password"}),
        "WordPress lost password", ("signup", "reset"))

    disc = [FORM, UA, ("X-CSRF-Token", "Vq2"), ("X-Requested-With", "XMLHttpRequest")]
    both("discourse-create-user", "POST", "https://meta.partner.net/u", disc,
         lambda e: form({"name": "Alice", "email": e, "password": "c0rrect-h0rse", "username": "alice",
                         "password_confirmation": "honeypot", "challenge": "zyxw",
                         "timezone": "Europe/Berlin"}), "Discourse POST /u")
    add("discourse-session", "pass", "POST", "https://meta.partner.net/session", disc,
        form({"login": WORK, "password": "c0rrect-h0rse", "second_factor_method": "1",
              "timezone": "Europe/Berlin"}), "Discourse login", ("signup", "login"))

    both("mastodon-api-accounts", "POST", "https://mastodon.social/api/v1/accounts",
         [BEARER, JSON], lambda e: json.dumps({"username": "alice", "email": e,
                                               "password": "c0rrect-h0rse", "agreement": True,
                                               "locale": "en"}), "Mastodon POST /api/v1/accounts")
    both("mastodon-web-form", "POST", "https://mastodon.social/auth", [FORM, UA],
         lambda e: form([("authenticity_token", "q1w2"),
                         ("user[account_attributes][username]", "alice"), ("user[email]", e),
                         ("user[password]", "c0rrect-h0rse"),
                         ("user[password_confirmation]", "c0rrect-h0rse"),
                         ("user[agreement]", "1"), ("button", "")]), "Mastodon web sign-up form")

    # Newsletters: decided to be sign-ups.
    both("mailchimp-embedded-subscribe", "POST",
         "https://acme.us21.list-manage.com/subscribe/post?u=8a1b2c3d4e&id=f5e6d7c8b9&f_id=00a1b2",
         [FORM, UA], lambda e: form({"EMAIL": e, "FNAME": "Alice", "b_8a1b2c3d4e_f5e6d7c8b9": "",
                                     "subscribe": "Subscribe"}), "Mailchimp embedded form")
    both("substack-free-subscribe", "POST", "https://newsletter.substack.com/api/v1/free?nojs=true",
         [JSON, UA], lambda e: json.dumps({"first_url": "https://newsletter.substack.com/",
                                           "first_referrer": "", "current_url":
                                           "https://newsletter.substack.com/p/issue-12",
                                           "referral_code": "", "source": "subscribe_page",
                                           "email": e}), "Substack free subscription")

    # Sign in with Google / Microsoft: not sign-ups.
    claims = base64.urlsafe_b64encode(json.dumps({
        "iss": "https://accounts.google.com", "aud": "1234.apps.googleusercontent.com",
        "sub": "110169484474386276334", "email": WORK, "email_verified": True, "hd": "example.org",
        "name": "Alice Smith"}).encode()).decode().rstrip("=")
    add("google-identity-services-credential", "pass", "POST", "https://app.partner.net/auth/google",
        [FORM, UA, ("Cookie", "g_csrf_token=ab12")],
        form({"credential": "eyJhbGciOiJSUzI1NiIsImtpZCI6IjFmIn0." + claims + ".c2lnbmF0dXJl",
              "g_csrf_token": "ab12"}), "Google Identity Services sign-in (ID token POST)",
        ("signup", "oauth"))
    add("oauth-authorize-login-hint", "pass", "GET",
        "https://accounts.google.com/o/oauth2/v2/auth?client_id=1234.apps.googleusercontent.com"
        "&redirect_uri=https%3A%2F%2Fapp.partner.net%2Fcallback&response_type=code"
        "&scope=openid%20email%20profile&login_hint=" + urllib.parse.quote(WORK) + "&state=x1",
        [UA], b"", "OAuth authorize with login_hint", ("signup", "oauth"))
    add("oauth-callback", "pass", "POST", "https://app.partner.net/auth/microsoft/callback",
        [FORM, UA], form({"code": "0.AQk", "state": "x1", "session_state": "ab"}),
        "OIDC form_post callback", ("signup", "oauth"))
    add("microsoft-login-hint", "pass", "GET",
        "https://login.microsoftonline.com/common/oauth2/v2.0/authorize?client_id=6731de76"
        "&response_type=code&redirect_uri=https%3A%2F%2Fapp.partner.net%2Fcb&scope=openid"
        "&login_hint=" + urllib.parse.quote(WORK) + "&prompt=select_account",
        [UA], b"", "Microsoft identity platform authorize", ("signup", "oauth"))

    # Invitations.
    add("github-org-invitation", "pass", "POST", "https://api.github.com/orgs/acme/invitations",
        [("Authorization", "Bearer ghp_16C7e42F"), ("Accept", "application/vnd.github+json"), JSON],
        json.dumps({"email": "bob@example.org", "role": "direct_member", "team_ids": [12]}),
        "GitHub create an organization invitation (sent to a colleague)", ("signup", "invite"))
    add("accept-invitation-set-password", "block", "POST",
        "https://app.partner.net/users/invitation", [FORM, UA],
        form([("authenticity_token", "q1w2"), ("user[invitation_token]", "zX9"),
              ("user[email]", WORK), ("user[password]", "c0rrect-h0rse"),
              ("user[password_confirmation]", "c0rrect-h0rse"), ("commit", "Set my password")]),
        "devise_invitable accept (chooses a password)", ("signup", "invite"))

    add("contact-form", "pass", "POST", "https://www.partner.net/contact", [FORM, UA],
        form({"name": "Alice Smith", "email": WORK, "company": "Example",
              "message": "Please send a quote for 20 seats."}), "contact form", ("signup",))
    add("hubspot-contact-sales", "pass", "POST",
        "https://api.hsforms.com/submissions/v3/integration/submit/1234567/"
        "a1b2c3d4-e5f6-7890-abcd-ef1234567890", [JSON],
        json.dumps({"fields": [{"objectTypeId": "0-1", "name": "email", "value": WORK},
                               {"objectTypeId": "0-1", "name": "message",
                                "value": "We would like a demo."}],
                    "context": {"pageUri": "https://www.partner.net/contact-sales",
                                "pageName": "Contact sales"}}),
        "HubSpot forms API, contact-sales form", ("signup",))

    # Adversarial: a user who wants out.
    def adv(name, expect, url, headers, body, source, method="POST"):
        add(name, expect, method, url, headers, body, source, ("signup", "adversarial"))

    adv("adv-double-url-encoded", "block", "https://app.partner.net/signup", [FORM, UA],
        b"email=alice%2540example.org&password=c0rrect-h0rse&password_confirmation=c0rrect-h0rse",
        "address URL-encoded twice")
    adv("adv-json-percent-encoded", "block", "https://api.partner.net/v1/users", [JSON],
        json.dumps({"email": "alice%40example.org", "password": "c0rrect-h0rse"}),
        "percent-encoded address inside JSON")
    adv("adv-nested-array", "block", "https://api.partner.net/scim/v2/Users",
        [("Content-Type", "application/scim+json")],
        json.dumps({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": "alice",
                    "password": "c0rrect-h0rse",
                    "emails": [{"value": WORK, "type": "work", "primary": True}]}),
        "SCIM-shaped create with the address in an array")
    adv("adv-plus-addressing", "block", "https://identitytoolkit.googleapis.com/v1/accounts:signUp" + key,
        [JSON], json.dumps({"email": "alice+tools@example.org", "password": "c0rrect-h0rse",
                            "returnSecureToken": True}), "plus-addressing")
    adv("adv-upper-case", "block", "https://xyzcompany.supabase.co/auth/v1/signup", sb,
        json.dumps({"email": "ALICE@EXAMPLE.ORG", "password": "c0rrect-h0rse"}), "upper case")
    adv("adv-idn-unicode", "block", "https://xyzcompany.supabase.co/auth/v1/signup", sb,
        json.dumps({"email": "anna@müller-bau.de", "password": "c0rrect-h0rse"}),
        "IDN work domain in Unicode")
    adv("adv-idn-punycode", "block", "https://xyzcompany.supabase.co/auth/v1/signup", sb,
        json.dumps({"email": "anna@xn--mller-bau-q9a.de", "password": "c0rrect-h0rse"}),
        "IDN work domain in punycode")
    adv("adv-idn-upper", "block", "https://app.partner.net/users", [FORM, UA],
        form([("user[email]", "ANNA@MÜLLER-BAU.DE"), ("user[password]", "c0rrect-h0rse"),
              ("user[password_confirmation]", "c0rrect-h0rse")]), "IDN upper case")
    adv("adv-subdomain", "block", "https://acme.eu.auth0.com/dbconnections/signup", [JSON],
        json.dumps({"client_id": "ZKx1", "email": "alice@mail.hr.example.org",
                    "password": "c0rrect-h0rse", "connection": "Username-Password-Authentication"}),
        "subdomain of the work domain")
    adv("adv-trailing-dot", "block", "https://acme.eu.auth0.com/dbconnections/signup", [JSON],
        json.dumps({"client_id": "ZKx1", "email": "alice@example.org.", "password": "c0rrect-h0rse",
                    "connection": "Username-Password-Authentication"}), "trailing dot (FQDN)")
    adv("adv-split-local-domain", "block", "https://app.partner.net/register", [FORM, UA],
        form({"email_local": "alice", "email_domain": "example.org", "password": "c0rrect-h0rse",
              "password_confirm": "c0rrect-h0rse"}), "address split into local part and domain")
    adv("adv-split-json", "block", "https://api.partner.net/v1/register", [JSON],
        json.dumps({"account": {"user": "alice", "domain": "example.org",
                                "password": "c0rrect-h0rse"}}), "split address in JSON")
    adv("adv-base64-json", "block", "https://api.partner.net/v1/register", [JSON],
        json.dumps({"payload": base64.b64encode(json.dumps(
            {"email": WORK, "password": "c0rrect-h0rse", "action": "signup"}).encode()).decode()}),
        "sign-up document base64 inside JSON")
    adv("adv-json-unicode-escape", "block", "https://api.partner.net/v1/signup", [JSON],
        '{"email": "alice\\u0040example\\u002eorg", "password": "c0rrect-h0rse"}',
        "\\u escapes for @ and .")
    adv("adv-text-plain-json", "block", "https://api.partner.net/v1/signup",
        [("Content-Type", "text/plain;charset=UTF-8")],
        json.dumps({"email": WORK, "password": "c0rrect-h0rse", "confirm": "c0rrect-h0rse"}),
        "JSON sign-up sent as text/plain (no CORS preflight)")
    adv("adv-gzip-json", "block", "https://api.partner.net/v1/signup",
        [JSON, ("Content-Encoding", "gzip")],
        gzip.compress(json.dumps({"email": WORK, "password": "c0rrect-h0rse"}).encode()),
        "gzip-compressed JSON sign-up")
    adv("adv-multipart-signup", "block", "https://app.partner.net/signup",
        [("Content-Type", "multipart/form-data; boundary=----WebKitFormBoundaryQ1")],
        multipart([(fd("email"), WORK), (fd("password"), "c0rrect-h0rse"),
                   (fd("password_confirmation"), "c0rrect-h0rse")], "----WebKitFormBoundaryQ1"),
        "multipart/form-data sign-up (FormData)")
    adv("adv-graphql-signup", "block", "https://api.partner.net/graphql", [JSON],
        json.dumps({"operationName": "Register", "variables": {"input": {"email": WORK,
                                                                         "password": "c0rrect-h0rse"}},
                    "query": "mutation Register($input: RegisterInput!) { register(input: $input) "
                             "{ token } }"}), "GraphQL register mutation")
    adv("adv-query-string-signup", "block",
        "https://app.partner.net/api/register?email=" + urllib.parse.quote(WORK)
        + "&password=c0rrect-h0rse", [UA], b"", "sign-up in the query string of a POST")
    adv("adv-lookalike-domain", "pass", "https://app.partner.net/signup", [FORM, UA],
        form({"email": "alice@example.org.evil.net", "password": "c0rrect-h0rse",
              "password_confirmation": "c0rrect-h0rse"}), "look-alike, not a work domain")
    adv("adv-lookalike-prefix", "pass", "https://app.partner.net/signup", [FORM, UA],
        form({"email": "alice@notexample.org", "password": "c0rrect-h0rse",
              "password_confirmation": "c0rrect-h0rse"}), "another domain ending in example.org")
    adv("adv-personal-proton", "pass", "https://xyzcompany.supabase.co/auth/v1/signup", sb,
        json.dumps({"email": "alice@proton.me", "password": "c0rrect-h0rse"}), "personal address")
    adv("adv-personal-yahoo-jp", "pass", "https://app.partner.net/users", [FORM, UA],
        form([("user[email]", "alice@yahoo.co.jp"), ("user[password]", "c0rrect-h0rse"),
              ("user[password_confirmation]", "c0rrect-h0rse")]), "personal address")


uploads()
signups()
