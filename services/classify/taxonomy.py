"""Topics and the skills they need: a tenant's taxonomy, and the default one for telecom and retail.

A topic is found in a message when one of its keywords occurs (`patterns.Keywords`), or when the
message is close to one of its example texts: cosine similarity of the model's feature vectors at
least `EXAMPLE_SIMILARITY`. Each topic names the skill an agent needs for it; a message's skills
are those of its topics.

A tenant that never edited its taxonomy uses `DEFAULT_TOPICS`; the first edit copies them into the
tenant's own taxonomy, which from then on is the tenant's alone.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
from scipy import sparse

from services.classify.patterns import WORDS_REMEMBERED, Keywords, word_list, words_of

EXAMPLE_SIMILARITY = 0.55  # cosine similarity to an example that makes a topic apply


@dataclass(frozen=True)
class TopicSpec:
    """A topic as configured: key, names per language, skill, keywords and example texts."""

    key: str
    labels: dict[str, str]
    skill: str
    keywords: tuple[str, ...] = ()
    examples: tuple[str, ...] = ()


DEFAULT_TOPICS: tuple[TopicSpec, ...] = (
    TopicSpec(
        "billing",
        {"de": "Rechnung", "en": "Billing"},
        "billing",
        word_list("""
            *rechnung*, rechnungsbetrag, abbuchung*, abgebucht, grundgebuhr, gebuhr*, *kosten*, gutschrift,
            mahnung*, *betrag, doppelt berechnet, zu viel berechnet, berechnet, inkasso, lastschrift*,
            invoice*, bill, bills, billing, billed,
            charged, charge*, overcharged, refund*, fee, fees, credit note
        """),
        (
            "Meine Rechnung ist diesen Monat viel höher als sonst",
            "Warum wurde mir der Betrag doppelt abgebucht?",
            "I was charged twice on my last invoice",
        ),
    ),
    TopicSpec(
        "payment",
        {"de": "Zahlung", "en": "Payment"},
        "billing",
        word_list("""
            zahlung*, *zahlung, zahlungsart*, zahlungsmethode*, bezahlmethode*, bezahlart*, ratenkauf,
            raten, kauf auf rechnung, per rechnung, paypal, klarna, kreditkarte*, per karte, mit karte,
            apple pay, google pay, gutschein*, sepa, payment*, pay with, pay by, installment*,
            credit card, voucher*, gift card*, checkout, payment method*
        """),
        ("Kann ich auch mit PayPal bezahlen?", "Is paying in installments possible?"),
    ),
    TopicSpec(
        "technical_fault",
        {"de": "Technische Störung", "en": "Technical fault"},
        "tech_support",
        word_list("""
            *storung*, defekt*, kaputt, funktioniert nicht, geht nicht, lauft nicht, lauft wieder, *router*,
            fritzbox, modem, box, receiver, wlan, wifi, *passwort*, festnetz*, leitung, knacken, abbruch*,
            fehlermeldung, neustart, update, absturz*, sturzt ab, esim, sim, sim-karte, aktivier*, einricht*,
            einstellung*, werkseinstellung*, mailbox, volte, wps, kabel, anschliess*, support, techniker,
            not working, doesn't work, broken, fault*, error, crash*, reset, connection, set up, setup,
            activate*, settings, voicemail
        """),
        (
            "Seit dem Update funktioniert mein Router nicht mehr",
            "Mein Festnetz geht seit Tagen nicht, Störung?",
            "The app keeps crashing since the last update",
        ),
    ),
    TopicSpec(
        "network",
        {"de": "Netz und Empfang", "en": "Network and coverage"},
        "tech_support",
        word_list("""
            netz, *netz*ausfall*, netzabdeckung, empfang, kein empfang, funkloch, funkloch*, mobilfunk*,
            *internet*, dsl, glasfaser*, 5g, lte, 4g, mbit*, bandbreite, geschwindigkeit, langsam*,
            signal, coverage, reception, network, no service, mobile data, broadband, fibre, fiber, speed,
            slow, bars
        """),
        ("Seit gestern kein Internet und kein Netz", "No signal at all in my area since Monday"),
    ),
    TopicSpec(
        "roaming",
        {"de": "Roaming und Ausland", "en": "Roaming and abroad"},
        "tech_support",
        word_list("""
            roaming*, ausland*, eu-ausland, urlaub, reise*, usa, schweiz, abroad, travel*, holiday,
            vacation, overseas
        """),
        ("Funktioniert mein Tarif auch im Ausland?", "Does my plan work when I travel to the US?"),
    ),
    TopicSpec(
        "contract",
        {"de": "Vertrag und Tarif", "en": "Contract and plan"},
        "sales",
        word_list("""
            vertrag*, *vertrag, *vertrage, tarif*, *tarif, laufzeit*, verlangerung, vertragsverlangerung,
            *flat, upgrade, wechsel*, anbieterwechsel, neukunde*, bestandskunde*, angebot*, option*,
            contract*, plan, plans, tariff*, subscription*, upgrade*, offer*, deal*, renewal
        """),
        ("Kann ich meinen Tarif vorzeitig verlängern?", "Which plan would you recommend for a family?"),
    ),
    TopicSpec(
        "cancellation",
        {"de": "Kündigung", "en": "Cancellation"},
        "retention",
        word_list("""
            kundig*, *kundigung*, gekundigt, kundigungsbestatigung, widerruf*, sonderkundigung*,
            cancel*, terminate*, termination, leave you, switching provider
        """),
        ("Ich habe gekündigt und keine Bestätigung bekommen", "How do I cancel my contract?"),
    ),
    TopicSpec(
        "delivery",
        {"de": "Lieferung", "en": "Delivery"},
        "logistics",
        word_list("""
            liefer*, *lieferung, geliefert, paket*, *paket, sendung*, sendungsverfolgung, versand*,
            verschickt, zusteller*, zustellung, bestellung*, *bestellung, bestellt, dhl, hermes, dpd, ups,
            lieferzeit, tracking, parcel*, package*, deliver*, shipping, shipped, shipment*, courier,
            order, orders, ordered
        """),
        ("Wo bleibt mein Paket? Bestellung seit einer Woche unterwegs", "My parcel never arrived"),
    ),
    TopicSpec(
        "returns",
        {"de": "Rücksendung und Umtausch", "en": "Returns and exchange"},
        "logistics",
        word_list("""
            rucksend*, *rucksendung*, retoure*, *retoure*, umtausch*, umtauschen, zuruckschicken,
            zuruckgeben, erstattung*, ruckerstattung*, return*, exchange*, send back, sent back
        """),
        ("Wie kann ich die Jacke umtauschen?", "How do I return an item I ordered online?"),
    ),
    TopicSpec(
        "account",
        {"de": "Kundenkonto und Daten", "en": "Account and data"},
        "accounts",
        word_list("""
            konto, kundenkonto, login, einloggen, anmeld*, anmeldung, benutzername, zugang*, app,
            kundennummer, adresse andern, datenschutz*, daten, newsletter, zwei-faktor*, account*, log in,
            sign in, username, password reset, privacy, personal data, gdpr, dsgvo
        """),
        ("Ich komme nicht mehr in mein Kundenkonto", "I can't log in to my account"),
    ),
    TopicSpec(
        "product_quality",
        {"de": "Produkt und Qualität", "en": "Product and quality"},
        "product",
        word_list("""
            qualitat, produkt*, artikel, eigenmarke, marke, verarbeitung, mangel*, garantie*,
            gewahrleistung, reklamation*, kaufempfehlung, empfehlung, empfehlen, geschenk*, fernseher,
            tv, laptop*, notebook, bildschirm*, kamera*, kopfhorer, waschmaschine*, kuhlschrank*,
            staubsauger*, kaffeemaschine*, rasenmaher*, spielzeug*, *jacke*, schuhe, socken, hose*, kleid*,
            pullover, t-shirt*, stoff, baumwolle, farbe, grosse, passform, akku*, ladegerat*, smartwatch*,
            pixelfehler, quality, product*, warranty, guarantee, defective, faulty, jacket*,
            shoes, trousers, dress*, fabric, cotton, size, fit, laptop*, camera*, headphones, television,
            washing machine, fridge, vacuum, toy*, recommend*, gift*
        """),
        ("Das Gerät ist nach zwei Wochen kaputt gegangen", "The quality of this jacket is really poor"),
    ),
    TopicSpec(
        "appointment",
        {"de": "Termin und Techniker", "en": "Appointment and technician"},
        "field_service",
        word_list("""
            termin*, *termin, techniker*, monteur*, hausanschluss, installation*, vor ort,
            appointment*, technician*, engineer, installation, visit
        """),
        ("Der Techniker ist heute nicht gekommen", "When will the technician come to install fibre?"),
    ),
)


@dataclass(frozen=True)
class Topic:
    """A topic ready to match: its spec, its compiled keywords and its example rows."""

    spec: TopicSpec
    keywords: Keywords


@dataclass(frozen=True)
class Taxonomy:
    """A tenant's topics, compiled. `examples` has one unit-length feature row per example text and
    `example_topic` the index of the topic each belongs to."""

    topics: tuple[Topic, ...]
    examples: sparse.csr_matrix | None = None
    example_topic: np.ndarray | None = None
    _word_topics: dict[str, frozenset[int]] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def of(cls, specs: Sequence[TopicSpec], examples: sparse.csr_matrix | None = None) -> Taxonomy:
        """Compile topics; `examples` are the feature rows of their example texts, in order."""
        owners = [i for i, spec in enumerate(specs) for _ in spec.examples]
        return cls(
            topics=tuple(Topic(spec, Keywords.of(spec.keywords)) for spec in specs),
            examples=examples if owners else None,
            example_topic=np.array(owners, dtype=np.intp) if owners else None,
        )

    def match(self, folded: Sequence[str], vectors: sparse.csr_matrix | None) -> list[tuple[str, ...]]:
        """The topics of each text: folded texts (`kit.text.fold`) and their unit feature rows."""
        near: list[set[int]] = [set() for _ in folded]
        if vectors is not None and self.examples is not None and self.example_topic is not None:
            similarity = (vectors @ self.examples.T).tocoo()
            for row, column, value in zip(similarity.row, similarity.col, similarity.data, strict=True):
                if value >= EXAMPLE_SIMILARITY:
                    near[int(row)].add(int(self.example_topic[column]))
        found: list[tuple[str, ...]] = []
        for n, text in enumerate(folded):
            hits = near[n]
            for word in words_of(text):
                hits.update(self._topics_of(word))
            if self._any_phrase is not None and self._any_phrase.search(text):  # rules most texts out
                hits.update(i for i in self._with_phrases if i not in hits and self._phrases(i).search(text))
            found.append(tuple(topic.spec.key for i, topic in enumerate(self.topics) if i in hits))
        return found

    def _topics_of(self, word: str) -> frozenset[int]:
        """The topics one of whose one-word keywords is this word (remembered: words recur)."""
        hit = self._word_topics.get(word)
        if hit is None:
            hit = frozenset(
                i for i, topic in enumerate(self.topics) if (k := topic.keywords.word) and k.fullmatch(word)
            )
            if len(self._word_topics) < WORDS_REMEMBERED:
                self._word_topics[word] = hit
        return hit

    def _phrases(self, i: int) -> re.Pattern[str]:
        phrases = self.topics[i].keywords.phrases
        assert phrases is not None
        return phrases

    @cached_property
    def _any_phrase(self) -> re.Pattern[str] | None:
        patterns = [self._phrases(i).pattern for i in self._with_phrases]
        return re.compile("|".join(f"(?:{p})" for p in patterns)) if patterns else None

    @cached_property
    def _with_phrases(self) -> tuple[int, ...]:
        return tuple(i for i, topic in enumerate(self.topics) if topic.keywords.phrases is not None)

    def skills(self, topics: Sequence[str]) -> tuple[str, ...]:
        """The skills the topics need, each once, in taxonomy order."""
        wanted = set(topics)
        seen: dict[str, None] = {}
        for topic in self.topics:
            if topic.spec.key in wanted:
                seen.setdefault(topic.spec.skill)
        return tuple(seen)
