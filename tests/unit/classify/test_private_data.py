"""Private data is found by its checksums and context, and order numbers are left alone."""

from __future__ import annotations

import pytest

from services.classify.patterns import SafePattern
from services.classify.private_data import TenantPattern, detect, iban_valid, luhn_valid, redact


def kinds(text: str) -> list[tuple[str, str]]:
    return [(f.kind, text[f.start : f.end]) for f in detect(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Meine IBAN: DE89 3704 0044 0532 0130 00 bitte", [("iban", "DE89 3704 0044 0532 0130 00")]),
        ("iban de89370400440532013000", [("iban", "de89370400440532013000")]),
        ("Konto AT61 1904 3002 3457 3201", [("iban", "AT61 1904 3002 3457 3201")]),
        ("Karte 4111 1111 1111 1111 belastet", [("card_number", "4111 1111 1111 1111")]),
        ("card 5500-0000-0000-0004 charged twice", [("card_number", "5500-0000-0000-0004")]),
        ("Ruft mich an: 0171 2345678", [("phone", "0171 2345678")]),
        ("call me on +44 20 7946 0958", [("phone", "+44 20 7946 0958")]),
        ("schreibt an karla.kunde@example.de", [("email", "karla.kunde@example.de")]),
        ("Lieferung an Hauptstraße 12, 10115 Berlin", [("postal_address", "Hauptstraße 12, 10115 Berlin")]),
        ("send it to 221 Baker Street please", [("postal_address", "221 Baker Street")]),
        ("geb. am 12.03.1985 in Köln", [("date_of_birth", "12.03.1985")]),
        ("DOB: 1990-07-04", [("date_of_birth", "1990-07-04")]),
    ],
)
def test_private_data_is_found(text: str, expected: list[tuple[str, str]]) -> None:
    assert kinds(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "IBAN DE89 3704 0044 0532 0130 01 hat eine falsche Prüfziffer",
        "Bestellnummer 4111111111111112",
        "Sendungsnummer 00340434161094042557",
        "Um 14:30 am 12.03.2026 habe ich angerufen",
        "Der Tarif kostet 19,99 € seit 2019",
        "Ticket #123456 ist offen",
        "Mein Router zeigt Fehler 651 🙄",
    ],
)
def test_order_numbers_dates_and_prices_are_not_private_data(text: str) -> None:
    assert detect(text) == []


def test_checksums() -> None:
    assert iban_valid("DE89 3704 0044 0532 0130 00")
    assert not iban_valid("DE89 3704 0044 0532 0130 0")  # wrong length for DE
    assert luhn_valid("4111111111111111")
    assert not luhn_valid("4111111111111112")


def test_tenant_patterns_find_customer_numbers() -> None:
    pattern = TenantPattern("customer_number", SafePattern(r"\bKD-\d{8}\b"))
    text = "Kundennummer KD-12345678, bitte prüfen"
    found = detect(text, [pattern])
    assert [(f.kind, text[f.start : f.end]) for f in found] == [("customer_number", "KD-12345678")]


def test_redaction_replaces_each_finding_by_its_kind() -> None:
    text = "IBAN DE89 3704 0044 0532 0130 00, Tel. 0171 2345678 😊"
    assert redact(text, detect(text)) == "IBAN [IBAN], Tel. [PHONE] 😊"
