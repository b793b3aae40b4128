"""Word lists the model's cue features are made of (German and English, hand-written).

Words are written as `features.normalize` leaves them: case-folded, umlauts folded (ä → a, ö → o,
ü → u, ß → ss). A trailing `*` matches every word that starts with the rest ("enttausch*" matches
"enttauscht" and "enttauschend"). The lists group words the corpus has too few examples of for the
model to learn one by one; the model still learns how much each group counts.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# --- sentiment ----------------------------------------------------------------------------------

POSITIVE = """
gut gute guter gutes guten besser beste bester besten super toll tolle toller tolles klasse prima perfekt*
spitze top genial* hervorragend* ausgezeichnet* wunderbar* wunderschon* schone schoner schones herrlich*
fantastisch* grossartig* stark freundlich* hilfsbereit* kompetent* geduldig* zuverlassig* punktlich*
schnell* unkompliziert* problemlos* easy praktisch* zufrieden* begeistert* happy froh gefreut freue freut
dank danke dankeschon danken bedank* lob lobe loben empfehl* liebe lieben liebt lieb* mag gern gerne traum*
wahnsinn hammer respekt hut sympathisch* witzig* angenehm* bequem* ubersichtlich* fair* kulant* grandios*
souveran* glucklich* erleichtert* ordentlich* vorbildlich* beeindruck* uberrascht
good great better best awesome amazing excellent perfect* brilliant fantastic wonderful* superb outstanding
impressed impressive nice fine helpful friendly kind patient quick smooth* easy painless reliable* polite
professional* glad pleased thank thanks thankyou cheers appreciate* grateful kudos props legend legends
hero heroes recommend* satisfied enjoy* cool lovely love loved gorgeous beautiful comfortable* stable solid
fab fabulous delighted thrilled flawless*
"""
NEGATIVE = """
schlecht* schlimm* mies* miserabel* katastroph* furchtbar* schrecklich* grauenhaft* unverschamt* frech*
unmoglich* lacherlich* armselig* peinlich* enttausch* argerlich* arger* sauer wutend* nervt nervig* genervt*
frust* kaputt* defekt* falsch* fehler* storung* ausfall* ausgefallen abzocke abgezockt betrug* betrog* lug*
unfahig* inkompetent* unfreundlich* langsam* teuer* nie niemals problem* beschwer* reklamation* warte*
ignorier* unzumutbar* unakzeptabel* schade witz skandal* hass* hasse scheiss* mist kacke mull dreck* ekel*
widerlich* traurig* leider stinkt verarsch* verzoger* beschadig* stress stressig* funkloch* abbruch*
verbindungsabbruch* ruckel* hangt hakt abgesturzt mangel* kratzer fehlt fehlen verloren umstand* diskussion*
meckern
bad worse worst terrible awful horrible* poor* useless pathetic ridiculous disgrace* disgusting shocking
appalling rubbish garbage trash joke broken faulty wrong* error* failed fail* failure outage* down slow*
expensive overcharg* scam* ripped rip-off angry annoyed annoying furious frustrat* disappoint* upset sad
unhappy fed sick tired hate hated hates sucks crap shit* damn unacceptable incompetent rude unhelpful
ignored* ignoring waiting waited wait* nightmare mess shambles absurd outrageous problem* issue* complain*
refund* never unfortunately sadly hell cancel* delay* damage* hassle dropped downtime lag laggy crash*
scratch* missing lost trouble* argument* moan* glitch* bug bugs buggy
"""
INTENSIFIERS = """
sehr echt total mega voll richtig extrem ziemlich absolut wirklich so super ultra krass vollig komplett
besonders uberaus very really totally absolutely extremely incredibly truly completely utterly seriously
quite too highly
"""
NEGATORS = """
nicht kein keine keinen keinem keiner keines nie niemals nichts ohne niemand
not no never nothing without none nobody nor
"""
# Words after which the attitude of the sentence often turns ("erst Katastrophe, aber dann ...").
CONTRAST = (
    "aber but however doch trotzdem though although obwohl allerdings jedoch sondern yet still immerhin"
)
# A negation reaches this far, and stops at these tokens.
NEGATION_WINDOW = 3
NEGATION_STOPS = ". , ! ? ; : ( ) aber but sondern und and doch"

# Irony and sarcasm: phrases that (almost) always mean the opposite, and markers that often do.
IRONY = {
    "phrase": (
        r"\bdanke fur (nichts|nix)\b",
        r"\b(thanks|cheers) for nothing\b",
        r"\bna (super|toll|klasse|prima|danke)\b",
        r"\boh (great|wonderful|lovely|brilliant)\b",
        r"\b(toll|gut) gemacht\b",
        r"\b(well done|great job|good job)\b",
        r"\b(yeah right|ja klar)\b",
        r"\b(danke auch|thanks a lot|thanks a bunch|vielen dank auch)\b",
        r"\blove it\b.*(🙄|again)",
        r"\bsuper\b.*\bwieder\b",
        r"\bgreat\b.*\bagain\b",
    ),
    "marker": (
        r"[🙄🙃👏]",
        r'"[^"]{2,40}"',
        r"\bnot\b.*\bagain\b",
        r"\b(bravo|chapeau|gluckwunsch|congrats|congratulations)\b",
        r"\b(wie immer|as always|as usual|wie gewohnt)\b",
    ),
}

# --- emoji, emoticons, social spellings ----------------------------------------------------------

EMOJI_POSITIVE = frozenset("😊👍❤🙌😍🥰💯🙂😄😃😀😁🤩👌💪🎉✨🌸💃😘🥳☺💚💙💜🧡💛🤗🙏⭐🌟🔥")
EMOJI_NEGATIVE = frozenset("😡🙄😤🤬😒👎😩😠😞😢😭😔😕😫🤦💩😖😣😓🙃😑😐🤮😱")
EMOJI_LAUGH = frozenset("😂🤣😅😆🙈")
EMOTICONS = {
    ":)": "xemopos",
    ":-)": "xemopos",
    ":d": "xemopos",
    ";)": "xemopos",
    ";-)": "xemopos",
    "^^": "xemopos",
    "<3": "xemopos",
    "xd": "xemolaugh",
    ":(": "xemoneg",
    ":-(": "xemoneg",
    ":/": "xemoneg",
    ":-/": "xemoneg",
    "-.-": "xemoneg",
    ":'(": "xemoneg",
}
SOCIAL_SPELLINGS = {
    "nich": "nicht",
    "ned": "nicht",
    "nix": "nichts",
    "vllt": "vielleicht",
    "hab": "habe",
    "nen": "einen",
    "ne": "eine",
    "is": "ist",
    "dat": "das",
    "wat": "was",
    "gibts": "gibt es",
    "scho": "schon",
    "heut": "heute",
    "u": "you",
    "ur": "your",
    "pls": "please",
    "plz": "please",
    "r": "are",
    "thx": "thanks",
    "thnx": "thanks",
    "ty": "thank you",
    "bc": "because",
    "im": "i'm",
    "dont": "don't",
    "cant": "can't",
    "doesnt": "doesn't",
    "didnt": "didn't",
    "isnt": "isn't",
    "wont": "won't",
    "wasnt": "wasn't",
    "ppl": "people",
    "tonite": "tonight",
    "some1": "someone",
    "gonna": "going to",
    "wanna": "want to",
    "idk": "i don't know",
}

# --- what a message is about ----------------------------------------------------------------------

CUES = {
    "crisis": """
anwalt* rechtsanwalt* kanzlei mandant* solicitor* lawyer* attorney* legal klage* sammelklage verklag* sue
suing lawsuit court gericht* polizei police anzeige strafanzeige ermittl* presse press zeitung* journalist*
redakteur* reporter* medien media tv fernsehen kamerateam tiktok viral views aufrufe trend* millionen million
follower followers boykott* boycott* diskrimin* discriminat* rassis* racis* sexis* homophob* respektlos*
feuer fire brand brennt brennen brannte abgebrannt flames rauch smoke qualm* explod* explosion verbrenn*
burn* verletz* injur* hurt krankenhaus hospital notaufnahme notruf emergency 112 999 911 erstick* chok*
stromschlag shock electrocut* gefahr* lebensgefahr* danger* unsafe hazard* ruckruf* recall* giftig toxic
weichmacher chemikal* allerg* datenleck* datenschutz* dsgvo gdpr leak* breach* gehackt hacked hacker*
phishing fremd* stranger* bundesnetzagentur verbraucherzentrale regulator ofcom ombudsman behorde* authority
ministerium politik* politiker* abgeordnet* shitstorm skandal* scandal* outrage* stellungnahme statement
konsequenzen consequences
""",
    "untruth": """
gehort horte heard hear angeblich* apparently supposedly allegedly reportedly geruch* rumour* rumor* hoax
behaupt* claim* wahrheit truth wahr true fake* luge* lugen lugt lie lies lying verschworung* conspiracy
heimlich* secretly secret geheim* insider intern* internal memo papier dokument* beweis* proof evidence chip*
microchip* strahlung radiation 5g china russland russia regierung government verkauf* sells selling sold
weitergeben passing share teilen weitersagen spread wisst knows know wussten glaubt believe believed jeder
everyone alle all kostenlos free gratis nachste next week woche gesagt said says sagt sagen erzahlt cousin
schwager kumpel friend mate neighbour nachbar*
""",
    "lead": """
wechseln wechsel* umsteig* switch* interessier* interested interest angebot* offer* deal deals tarif* plan
plans preis* price* kost* cost* kaufen kauf* buy buying purchase* bestell* order* vorbestell* pre-order
preorder abschliess* sign signing upgrade* aufrust* vertrag* contract* neukund* new customer familie family
business geschaft* firma firmen company office buro lieferbar stock lager vorratig* verfugbar* available
empfehl* recommend* lohnt worth rabatt* discount* finanzier* finance ratenzahl* instalment* neu neue neuen
neues verlanger* renew* dazubuch* add adding
""",
    "spam": """
xurl dm dms bio link klick* click follow f4f l4l like likes giveaway gewinnspiel verlos* gewinn* gewonnen
win won winner winners krypto* crypto* bitcoin btc trading trader signals telegram whatsapp passiv* passive
income einkommen verdien* earn* geld money cash reich rich kredit* loan* schufa abnehmen lose kg diat* diet
pille* pill* kooperation* ambassador botschafter* markenbotschafter influencer* promo* rabattcode code
gutschein* voucher* bestatig* confirm* gesperrt suspended verify verifizier* zollgebuhr* customs fee gebuhr
seo ranking google singles dating heute today only jetzt now sofort garantiert guaranteed trick hassen
investment invest* rendite profit*
""",
    "question": """
wie wann wo woher wohin warum wieso weshalb was welche welcher welches welchen wer kann konnt konnen konnte
gibt habt hat ist sind muss musste darf durft soll sollte wurde werden how when where why what which who
whom can could do does did is are will would should may might frage question kurze quick info information
informationen wissen know moglich possible
""",
    "complaint": """
seit since schon wieder again noch immer still yet always nie never wochen weeks tage days stunden hours
monat* month* warten waiting wait zweimal twice doppelt double erstatt* refund* zuruck back geld money
beschwer* complain* kundenservice customer service hotline warteschleife hold reklam* return* rucksend*
storn* cancel* kundig* terminate* rechnung* bill* invoice* abgebucht charged abbuchung* ticket* endlich
finally
""",
    "compliment": """
danke dank dankeschon thank thanks thankyou lob loben lobe kudos hut respekt props weiter keep shoutout
grusse gruss liebe mitarbeiter* team agent staff engineer techniker* fahrer* driver* zusteller* bote
beratung advice service support chat hotline
""",
    "other": """
morgen morning abend evening nacht night wochenende weekend weihnacht* christmas xmas ostern easter neujahr
new year geburtstag* birthday haha hahaha lol lmao xemolaugh test testing ok okay k hmm hm wetter weather bus
zug train fussball football match spiel game hund dog katze cat kaffee coffee montag monday freitag friday
urlaub holiday frohe merry happy guten good hallo hello hi hey moin servus
""",
}
# Words of the brands' business: their absence marks an off-topic message.
DOMAIN = """
internet netz empfang wlan wifi dsl glasfaser fibre fiber broadband router modem mobilfunk handy smartphone
phone sim esim tarif* plan vertrag* contract* rechnung* bill billing invoice* abbuchung* lastschrift* zahlung*
payment* paypal konto account app portal login passwort password kundennummer paket* parcel* lieferung*
delivery deliver* geliefert bestellung* order* versand* shipping retour* ruckgabe* return* umtausch* exchange
erstattung* refund* hotline support kundenservice service chat techniker* engineer shop filiale store laden
produkt* product* ware artikel item* qualitat quality roaming gutschein* voucher* preis* price* telvana
kaufwerk lumara lte 5g signal receiver tv box fernseher kopfhorer*
"""
# Words that address the brand.
ADDRESS = "ihr euch eure euer eurem euren eurer you your you're yours sie ihnen ihre"
PHRASES = {
    "crisis": (
        r"\bmeine? (anwalt|anwaltin)\b",
        r"\bmy (lawyer|solicitor)\b",
        r"\bgo(ing)? to the (press|papers|media)\b",
        r"\bzur (presse|polizei|zeitung)\b",
    ),
    "untruth": (
        r"\b(habt ihr|hab|habe|i|have you|ive|i've) (gehort|heard)\b",
        r"\bdid you know\b",
        r"\bwusstet ihr\b",
        r"\beveryone knows\b",
        r"\bjeder weiss\b",
        r"\bman sagt\b",
        r"\bthey say\b",
        r"\bpeople are saying\b",
        r"\bin wahrheit\b",
        r"\bactually just\b",
        r"\bsteht in\b",
        r"\bbitte teilen\b",
        r"\bshare this\b",
        r"\bpass it on\b",
        r"\bfrom next (week|month)\b",
        r"\bab (nachster|nachsten|nachstem|morgen)\b",
    ),
    "lead": (
        r"\bhow much\b",
        r"\bwas kostet\b",
        r"\bwie viel kostet\b",
        r"\bi'd (order|buy|take|sign)\b",
        r"\bwould like to\b",
        r"\bwant to (buy|order|switch|upgrade)\b",
        r"\bich (wurde|will|mochte) (gerne? )?(wechseln|bestellen|kaufen|abschliessen)\b",
        r"\bin stock\b",
        r"\bauf lager\b",
    ),
    "spam": (
        r"\blink in (bio|profile|profil)\b",
        r"\bfollow (back|me)\b",
        r"\bper dm\b",
        r"\bdm (me|us|for)\b",
        r"\bclick here\b",
        r"\bklick hier\b",
        r"\bpassive[sn]? (income|einkommen)\b",
        r"\bxnum ?[€$£]",
        r"[€$£] ?xnum\b",
    ),
    "compliment": (
        r"\bhats off\b",
        r"\bhut ab\b",
        r"\bweiter so\b",
        r"\bkeep it up\b",
        r"\bgrosses lob\b",
        r"\bthank you\b",
        r"\bvielen dank\b",
        r"\bwell done\b",
        r"\bfull marks\b",
        r"\bthumbs up\b",
    ),
    "complaint": (
        r"\bschon wieder\b",
        r"\bonce again\b",
        r"\byet again\b",
        r"\bimmer noch\b",
        r"\bnoch immer\b",
        r"\bstill (not|no)\b",
        r"\bnoch (nicht|kein)\b",
        r"\bwhat a joke\b",
        r"\bein witz\b",
        r"\bes reicht\b",
        r"\bthat's it\b",
        r"\bnever again\b",
        r"\bnie wieder\b",
    ),
    "other": (r"^\W*$", r"^(\S+\s?){1,3}$"),
}
QUESTION_START = """
wie wann wo woher wohin warum wieso weshalb was welche welcher welches welchen wer kann konnt konnen gibt
habt hat ist sind muss darf how when where why what which who can could do does did is are will would
should may
"""


class WordList:
    """A set of words and word prefixes (written with a trailing `*`)."""

    def __init__(self, words: Iterable[str]) -> None:
        self.exact = frozenset(word for word in words if not word.endswith("*"))
        prefixes = sorted((word[:-1] for word in words if word.endswith("*")), key=len, reverse=True)
        self.prefix = re.compile("|".join(map(re.escape, prefixes))) if prefixes else None

    @classmethod
    def of(cls, block: str) -> WordList:
        """The list of the whitespace-separated words in `block`."""
        return cls(block.split())

    def __contains__(self, word: object) -> bool:
        if not isinstance(word, str):
            return False
        return word in self.exact or bool(self.prefix and self.prefix.match(word))
