"""E-mail parsing: threading, the new text only (German and English), HTML, charsets, hostile bytes."""

from __future__ import annotations

import pathlib
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from services.ingest.channels.mail import (
    Mail,
    form_mail,
    html_to_text,
    inbound_of,
    new_text,
    parse_message,
    parsed_of,
)

FIXTURES = pathlib.Path(__file__).resolve().parents[2] / "fixtures" / "ingest" / "email"
MAILBOX = "service@telco.example"


def mail(name: str) -> Mail:
    return parse_message((FIXTURES / name).read_bytes())


def test_a_three_mail_thread_shares_one_conversation_key() -> None:
    first, second, third = (inbound_of(mail(f"thread_{n}.eml")) for n in (1, 2, 3))

    assert {first.conversation_key, second.conversation_key, third.conversation_key} == {
        "email:CAF1-thread-1@mail.example.de"
    }
    assert [first.external_id, second.external_id, third.external_id] == [
        "CAF1-thread-1@mail.example.de",
        "CAF1-thread-2@mail.example.de",
        "CAF1-thread-3@mail.example.de",
    ]
    assert [first.in_reply_to, second.in_reply_to, third.in_reply_to] == [
        "",
        "reply-1@telco.example",
        "reply-2@telco.example",
    ]


def test_without_references_in_reply_to_is_the_root() -> None:
    item = inbound_of(mail("quote_en_wrote.eml"))

    assert item.conversation_key == "email:r@telco.example"


def test_a_mail_becomes_a_private_message_of_its_sender() -> None:
    item = inbound_of(mail("thread_1.eml"))

    assert item.public is False
    assert item.author.id == "max.mustermann@example.de"
    assert item.author.name == "Max Mustermann"
    assert item.subject == "Rechnung März doppelt abgebucht"
    assert item.sent_at is not None and item.sent_at.isoformat() == "2024-03-12T09:02:11+01:00"
    assert item.text == (
        "Guten Tag,\n\ndie Rechnung für März wurde zweimal von meinem Konto abgebucht (2 × 39,99 €).\n"  # noqa: RUF001
        "Bitte erstatten Sie den doppelten Betrag."
    )


@pytest.mark.parametrize(
    ("fixture", "expected"),
    [
        ("thread_2.eml", "Danke, aber die Erstattung ist noch nicht auf meinem Konto."),
        ("thread_3.eml", "Jetzt ist das Geld da. Vielen Dank!"),
        ("quote_de_schrieb.eml", "Hallo,\n\nder Router blinkt immer noch rot."),
        ("quote_en_wrote.eml", "The router still blinks red."),
        ("quote_de_original.eml", "Bitte kündigen Sie den Vertrag zum 31.05."),
        ("quote_en_original.eml", "Please cancel the contract as of May 31."),
        ("quote_de_outlook.eml", "Die neue Adresse ist Hauptstraße 5, 10115 Berlin."),
        ("quote_en_outlook.eml", "The new address is 5 High Street, London."),
        ("quote_inline.eml", "It is the FritzBox 7590.\n\nSince Monday morning."),
        ("signature_delimiter.eml", "Seit heute früh kein Internet in 10115 Berlin."),
        ("signature_iphone_de.eml", "Geht wieder, danke!"),
        ("signature_iphone_en.eml", "Works again, thanks!"),
        ("closing_de_viele_gruesse.eml", "Ich möchte in den Tarif L wechseln."),
        ("closing_en_best_regards.eml", "I would like to switch to plan L."),
    ],
)
def test_the_agent_sees_only_the_new_text(fixture: str, expected: str) -> None:
    assert inbound_of(mail(fixture)).text == expected


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (  # Gmail wraps a long attribution line
            "Still broken.\n\nOn Tue, Mar 12, 2024 at 10:15 AM Telco Support <\n"
            "support@telco.example> wrote:\n\n> How can we help?",
            "Still broken.",
        ),
        (  # written below the quote: the answer stays
            "On Tue, Mar 12, 2024 at 10:15 AM Max <max@example.com> wrote:\n> How can we help?\n\n"
            "My modem is dead.",
            "My modem is dead.",
        ),
        ("Router blinkt rot.\nViele Grüße, Max", "Router blinkt rot."),
        ("Rechnung falsch.\n\nMit freundlichen Grüßen\nMax Mustermann\nMusterstraße 1", "Rechnung falsch."),
    ],
)
def test_more_quote_and_signature_shapes(body: str, expected: str) -> None:
    assert new_text(body) == expected


@pytest.mark.parametrize(
    "body",
    [
        "Viele Grüße aus Berlin, das Wetter ist schön. Mein Anliegen: das Internet geht nicht.",
        "Internet geht.\nGrüße an Ihr Team, das war super",
        "Von meinem Konto wurde doppelt abgebucht.\nBitte prüfen.",
        "On Monday the line was fine.\nSince then it drops every hour.",
    ],
)
def test_sentences_that_only_look_like_quotes_or_closings_stay(body: str) -> None:
    assert new_text(body) == body


def test_a_mail_that_is_only_a_forward_keeps_the_forwarded_text() -> None:
    body = (
        "-----Original Message-----\nFrom: Shop <a@shop.example>\nSent: Tue\nTo: me\nSubject: x\n\nYour order"
    )

    assert new_text(body) == body


def test_an_html_only_mail_becomes_text_without_scripts_styles_signature_or_quote() -> None:
    item = inbound_of(mail("html_only.eml"))

    assert item.text == "Hallo,\n\ndie Rechnung ist falsch: 49,99 € statt 39,99 € & ohne Rabatt."


def test_html_to_text_keeps_blocks_and_quotes_as_lines() -> None:
    html = (
        "<p>Eins</p><div>Zwei<br>Drei</div><blockquote>Alt</blockquote><style>x{}</style><ul><li>A</li></ul>"
    )

    assert html_to_text(html) == "Eins\n\nZwei\nDrei\n\n> Alt\n\n- A"


def test_encoded_headers_and_a_latin1_quoted_printable_body_decode() -> None:
    item = inbound_of(mail("encoded_latin1_qp.eml"))

    assert item.subject == "Gebühr für Rücklastschrift"
    assert item.author == type(item.author)(
        id="juergen.mueller@example.de", handle="Juergen.Mueller@Example.DE", name="Jürgen Müller"
    )
    # Declared ISO-8859-1 but written in Windows-1252, as Outlook does: the euro sign survives.
    assert item.text == (
        "Sehr geehrte Damen und Herren,\n\ndie Gebühr von 5 € für die Rücklastschrift ist ungerechtfertigt."
    )


def test_a_windows_1252_base64_body_and_header_decode() -> None:
    item = inbound_of(mail("encoded_cp1252_base64.eml"))

    assert item.author.name == "Françoise Straßer"
    assert item.subject == "Kündigung – Bestätigung"  # noqa: RUF001
    assert item.text.startswith("„Kündigung“ – bitte bestätigen")  # noqa: RUF001
    assert "9,99 €" in item.text


def test_raw_utf8_headers_emoji_and_right_to_left_text_survive() -> None:
    item = inbound_of(mail("encoded_8bit_headers.eml"))

    assert item.author.name == "Zoë Ångström"
    assert item.subject == "Grüße aus Malmö – مرحبا 😀"  # noqa: RUF001
    assert item.text == "Mein Anschluss in Malmö ist tot. مرحبا بالعالم 😀"


def test_an_unknown_charset_and_broken_base64_do_not_crash() -> None:
    item = inbound_of(mail("broken_charset.eml"))

    assert item.text == "Schöne Grüße, das Modem ist defekt."
    assert [a.name for a in item.attachments] == ["scan.pdf"]


def test_attachments_are_metadata_only() -> None:
    item = inbound_of(mail("attachments.eml"))

    assert [(a.kind, a.mime_type, a.name) for a in item.attachments] == [
        ("document", "application/pdf", "Rechnung März.pdf"),
        ("image", "image/png", "router.png"),
    ]
    assert item.attachments[0].size == len(b"%PDF-1.4 fake invoice\n" * 20)
    assert item.text == "Anbei die falsche Rechnung und ein Foto vom Router."


def test_format_flowed_lines_are_joined() -> None:
    item = inbound_of(mail("flowed.eml"))

    assert item.text == (
        "Das ist ein langer Absatz, den das Mailprogramm umbrochen hat, weil er nicht in eine Zeile passte."
        "\n\nZweiter Absatz."
    )


def test_a_mail_without_message_id_gets_a_stable_hash_id() -> None:
    raw = (FIXTURES / "no_message_id.eml").read_bytes()
    first, again = inbound_of(parse_message(raw)), inbound_of(parse_message(raw))
    other = inbound_of(parse_message(raw.replace(b"keine", b"nie eine")))

    assert first.external_id.startswith("sha256:") and len(first.external_id) == 7 + 64
    assert first.external_id == again.external_id != other.external_id
    assert first.conversation_key == f"email:{first.external_id}"


def test_auto_replies_are_ignored_and_our_own_mail_is_not_a_customer_message() -> None:
    assert parsed_of(mail("auto_reply.eml"), mailbox=MAILBOX).ignored == 1
    own = parse_message((FIXTURES / "thread_1.eml").read_bytes().replace(b"max.mustermann@example.de", b"x"))
    own.sender = "Telco <Service@Telco.example>"
    assert parsed_of(own, mailbox=MAILBOX).own == 1
    assert len(parsed_of(mail("thread_1.eml"), mailbox=MAILBOX).messages) == 1


def test_a_64_kb_message_survives_intact() -> None:
    text = "Störung 😀 مرحبا " * (65_536 // 20)
    raw = (
        b"From: a@example.de\r\nMessage-ID: <big@example.de>\r\n"
        b"Content-Type: text/plain; charset=utf-8\r\n\r\n" + text.encode()
    )

    assert inbound_of(parse_message(raw)).text == text.rstrip()


def test_form_fields_in_either_naming_give_the_same_mail() -> None:
    mailgun = form_mail(
        {
            "sender": "max@example.de",
            "from": "Max <max@example.de>",
            "subject": "Hallo",
            "body-plain": "Text\n\n> alt",
            "message-headers": '[["Message-Id", "<m1@example.de>"], ["References", "<r0@x> <r1@x>"]]',
        }
    )
    sendgrid = form_mail(
        {
            "from": "Max <max@example.de>",
            "subject": "Hallo",
            "text": "Text\n\n> alt",
            "headers": "Message-ID: <m1@example.de>\nReferences: <r0@x> <r1@x>\n",
        }
    )

    for item in (inbound_of(mailgun), inbound_of(sendgrid)):
        assert (item.external_id, item.conversation_key, item.text) == ("m1@example.de", "email:r0@x", "Text")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=4096))
def test_random_bytes_never_crash_the_parser(raw: bytes) -> None:
    parsed = parsed_of(parse_message(raw), mailbox=MAILBOX)

    for item in parsed.messages:
        assert item.external_id and item.conversation_key.startswith("email:")
        item.text.encode("utf-8")  # no lone surrogates reach the event


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                b"From: =?utf-8?B?",
                b"?= <a@b>\r\n",
                b"Content-Type: multipart/mixed; boundary=x\r\n",
                b"Content-Transfer-Encoding: base64\r\n",
                b"Content-Type: text/html; charset=x-bad\r\n",
                b"\r\n--x\r\n",
                b"\r\n",
                b"<html><blockquote><script>",
                b"=?iso-8859-1?q?=FC?=",
                b"References: <",
                b"\xff\xfe\x00",
                b"> quoted\r\n",
                b"Am 1.1.2024 um 10:00 schrieb x:\r\n",
                b"Message-ID: <x@y>\r\n",
                b"Date: Tue, 99 Foo 2024 99:99:99 +9999\r\n",
            ]
        ),
        max_size=40,
    )
)
def test_hostile_mime_pieces_never_crash_the_parser(pieces: list[bytes]) -> None:
    parsed_of(parse_message(b"".join(pieces)), mailbox=MAILBOX)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=2000), st.text(max_size=2000))
def test_random_text_and_html_never_crash(text: str, html: str) -> None:
    assert isinstance(new_text(text), str)
    assert isinstance(html_to_text(html), str)


def test_thousands_of_nested_parts_and_deep_json_do_not_crash() -> None:
    nested = b"".join(
        b"Content-Type: multipart/mixed; boundary=b%d\r\n\r\n--b%d\r\n" % (i, i) for i in range(3000)
    )
    deep = parse_message(b"From: a@example.de\r\nMessage-ID: <deep@example.de>\r\n" + nested + b"\r\nhi")
    form = form_mail({"from": "a@example.de", "message-headers": "[" * 100_000})

    assert inbound_of(deep).external_id == "deep@example.de"
    assert inbound_of(form).author.id == "a@example.de"


def test_pathological_bodies_are_stripped_in_linear_time() -> None:
    started = time.monotonic()
    new_text("Viele Grüße\n" + " \n" * 20_000)
    new_text(("On x wrote " * 100 + "\n") * 600)
    new_text("Am " + "1" * 60_000 + " schrieb")
    html_to_text("<blockquote>" * 5_000 + "x" * 10_000)

    assert time.monotonic() - started < 5
