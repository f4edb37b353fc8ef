"""Multipart mail read at its boundary lines builds the feed parser's tree, or declines."""

from __future__ import annotations

import random
from email.feedparser import BytesFeedParser
from email.message import Message
from email.policy import compat32

import pytest

from filters.extract import multipart
from tests.fixtures import mail as fixtures


def feed_parser_tree(data: bytes) -> Message:
    """What filters.extract.mail used before: the feed parser, fed in 64 KiB chunks."""
    parser = BytesFeedParser(policy=compat32)
    for start in range(0, len(data), 65536):
        parser.feed(data[start:start + 65536])
    return parser.close()


def shape(message: Message, where: str = "0") -> list[object]:
    """Everything the mail extractor reads from a parsed tree, and the parser's state."""
    out: list[object] = [where, message._headers, message.get_unixfrom(),
                         message.get_default_type(), message.preamble, message.epilogue,
                         [type(d).__name__ for d in message.defects], sorted(vars(message))]
    if isinstance(message._payload, list):
        for index, child in enumerate(message._payload):
            out += shape(child, f"{where}.{index}")
    else:
        out.append(message._payload)
    return out


def mail(eol: str, body: str) -> bytes:
    head = 'From: a@example.org\nSubject: x\nContent-Type: multipart/mixed;\n\tboundary="b1"\n\n'
    return (head + body).replace("\n", eol).encode("latin-1")


CASES = {
    "preamble and epilogue": "preamble text\n--b1\n\nfirst\n--b1--\nepilogue\n",
    "blanks after boundaries": "--b1  \t\nContent-Type: text/plain\n\nfirst\n\n--b1-- \n",
    "no line end at the end": "--b1\n\nfirst\n--b1--",
    "body lines like boundaries": "--b1\n\n--b1x\n---b1\n --b1\n--b1--x\n--b1\n\nsecond\n--b1--\n",
    "nested, inner epilogue": ("--b1\nContent-Type: multipart/alternative; boundary=b2\n\n"
                               "--b2\n\nplain\n--b2\nContent-Type: text/html\n\n<p>html</p>\n"
                               "--b2--\ninner epilogue\n\n--b1\n\nlast\n--b1--\n"),
    "nested, empty inner epilogue": ("--b1\nContent-Type: multipart/alternative; boundary=b2\n\n"
                                     "--b2\n\nplain\n--b2--\n--b1--\n"),
    "empty body": "--b1\nContent-Type: text/plain\n\n--b1--\n",
    "8-bit bytes": "--b1\nContent-Type: text/plain; charset=latin-1\n\ncaf\xe9 \x85 \x0c\n--b1--\n",
    "folded headers": "--b1\nContent-Type: text/plain;\n\tcharset=utf-8\nX-A:\n  v\n\nbody\n--b1--\n",
    "boundary lines after the close": "--b1\n\nbody\n--b1--\n--b1\nnot a part\n",
}
# Shapes the feed parser notes a defect on, or reads in ways this reading leaves to it.
DECLINED = {
    "no closing boundary": "--b1\n\nbody\n",
    "no opening boundary": "just text\n--b1--\n",
    "doubled boundary": "--b1\n--b1\n\nbody\n--b1--\n",
    "no blank line after part headers": "--b1\nContent-Type: text/plain\nbody text\n--b1--\n",
    "continuation first": "--b1\n continued\n\nbody\n--b1--\n",
    "message part": "--b1\nContent-Type: message/rfc822\n\nSubject: in\n\ninner\n--b1--\n",
    "digest": "--b1\nContent-Type: multipart/digest; boundary=b2\n\n--b2\n\nx\n--b2--\n--b1--\n",
    "lone CR": "--b1\n\nbody\rmore\n--b1--\n",
}


@pytest.mark.parametrize("eol", ["\n", "\r\n"])
@pytest.mark.parametrize("case", sorted(CASES))
def test_tree_is_the_feed_parsers(case, eol):
    data = mail(eol, CASES[case])
    tree = multipart.parse(data, compat32)
    assert tree is not None
    assert shape(tree) == shape(feed_parser_tree(data))


@pytest.mark.parametrize("case", sorted(DECLINED))
def test_shapes_left_to_the_feed_parser(case):
    assert multipart.parse(mail("\r\n", DECLINED[case]), compat32) is None


def test_single_part_mail_is_declined():
    assert multipart.parse(fixtures.plain(), compat32) is None


def test_fixture_mails_read_the_same():
    for data in (fixtures.alternative(), fixtures.nested(5, "deep"),
                 fixtures.mixed([("a.pdf", b"%PDF-1.4 x" * 5000, "application/pdf"),
                                 ("b.txt", b"text\n" * 100, "text/plain")])):
        tree = multipart.parse(data, compat32)
        if tree is not None:
            assert shape(tree) == shape(feed_parser_tree(data))


def random_entity(rng: random.Random, eol: str, depth: int) -> str:
    """A MIME entity from pieces that make boundaries, headers and bodies hard to tell apart."""
    headers = [rng.choice(["Subject: hi", "X-A: 1", "X-B:", "X-C:  v ", ":bad", "Bad line"])
               for _ in range(rng.randint(0, 3))]
    boundary = rng.choice(["b1", "b2", "=_x", "b1x", "a b", "b--"]) + str(rng.randint(0, 2))
    is_multipart = depth < 3 and rng.random() < 0.5
    if is_multipart:
        sub = rng.choice(["mixed", "alternative", "related", "digest"])
        headers.append(f'Content-Type: multipart/{sub};{eol} boundary="{boundary}"')
    out = "".join(h + eol for h in headers) + (eol if rng.random() < 0.95 else "")
    pieces = ["--", "-", "From x", "a: b", "text", "\x85", "\x0c", " ", "\t", "\xe9", "--b1"]

    def lines() -> str:
        return "".join("".join(rng.choice(pieces) for _ in range(rng.randint(0, 4))) + eol
                       for _ in range(rng.randint(0, 4)))

    if not is_multipart:
        return out + lines()
    out += lines() if rng.random() < 0.6 else ""
    for _ in range(rng.randint(0, 3)):
        out += f"--{boundary}{rng.choice(['', ' ', 'x'])}{eol}" if rng.random() < 0.95 else ""
        out += random_entity(rng, eol, depth + 1)
    if rng.random() < 0.9:
        out += f"--{boundary}--{rng.choice(['', ' '])}{rng.choice([eol, eol, ''])}"
    return out + (lines() if rng.random() < 0.5 else "")


def test_random_mails_read_the_same_or_are_declined():
    rng = random.Random(21)
    read = 0
    for _ in range(4000):
        eol = rng.choice(["\n", "\r\n"])
        text = ('Content-Type: multipart/mixed; boundary="top"' + eol + eol + "--top" + eol
                + random_entity(rng, eol, 1) + "--top--" + eol)
        data = text.encode("latin-1")
        tree = multipart.parse(data, compat32)
        if tree is not None:
            read += 1
            assert shape(tree) == shape(feed_parser_tree(data)), data
    assert read > 1000  # most random mails take the fast reading, so the check means something


def test_content_type_read_once_answers_as_the_message_does():
    from email import message_from_string
    from email.policy import compat32

    from filters.extract.multipart import ContentType

    headers = [
        None,
        "text/plain",
        "TEXT/HTML; Charset=\"UTF-8\"; format=flowed; DelSp=Yes",
        "text/plain; charset*=utf-8''%E6%97%A5; name*0=\"a\"; name*1=\"b.txt\"",
        "text/plain; charset*=x-unknown''abc",
        "text/plain; charset=\"\u00e9t\u00e9\"",
        "text/plain; charset=us-ascii; charset=utf-8",
        "multipart/mixed; boundary=\"  spaced boundary  \"",
        "multipart/mixed; boundary*0=\"part\"; boundary*1=\"two\"",
        "message/partial; number=2; total=3; id=\"x@y\"",
        "nonsense",
        "text/plain; ; =; name",
    ]
    for header in headers:
        message = message_from_string((f"Content-Type: {header}\n" if header else "") + "\nbody\n",
                                      policy=compat32)
        fields = ContentType(message)
        assert (fields.type, fields.maintype) == (message.get_content_type(),
                                                   message.get_content_maintype())
        assert fields.charset() == message.get_content_charset()
        for name in ("name", "NAME", "format", "delsp", "number", "total", "missing"):
            assert fields.param(name, "?") == message.get_param(name, "?")
