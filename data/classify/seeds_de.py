# ruff: noqa: E501, RUF001
"""Hand-written German base messages: questions, complaints, compliments and other.

Format of `SEEDS` (shared by every `seeds_*.py`; parsed by `build_corpus.py`):

    [category]                                   sets the primary category of the lines below
    sentiment topics[,topic...] [+secondary,...] | text

sentiment is neg, neu or pos; topics come from the topic list in `build_corpus.py`; secondary
categories are optional and start with "+". `\\n` in a text is a line break. Lines starting with
"#" are comments. Brands are invented: Telvana (telecom: mobile, DSL/fibre, TV), Kaufwerk (online
shop: electronics, household, fashion) and Lumara (fashion). Every text was written for this
corpus; none is copied from a public data set or website.
"""

LANGUAGE = "de"

SEEDS = r"""
[complaint]
neg network | Super, schon wieder kein Netz 🙄
neg technical_fault,network +question | @TelvanaHilft seit drei Tagen kein Internet in Köln-Ehrenfeld. Wann wird das endlich behoben?!
neg billing +question | Warum werden mir schon wieder 9,99 € für ein "Sicherheitspaket" abgebucht, das ich nie bestellt hab??
neg delivery | Paket seit 9 Tagen "in Zustellung". Ich kann's nicht mehr sehen. @kaufwerk
neg delivery | Laut Sendungsverfolgung zugestellt, hier ist nix angekommen. Toll gemacht @kaufwerk 👏
neg returns,payment +question | Retoure vor drei Wochen abgeschickt und immer noch kein Geld zurück. Wie lange soll ich denn noch warten?
neg technical_fault | Router blinkt rot. Seit gestern Abend. Hotline 45 min Warteschleife und dann aufgelegt. Danke für nix.
neg contract | Ich wollte nur meinen Tarif ändern und jetzt hab ich plötzlich wieder 24 Monate Laufzeit?! Das hat mir im Shop keiner gesagt.
neg cancellation,billing | Kündigung vor zwei Monaten per Einschreiben geschickt, ihr bucht trotzdem weiter ab. Ernsthaft?
neg roaming,billing | 38 € Roaminggebühren in der Schweiz. Dass die Schweiz nicht zur EU gehört weiß ich, aber eine SMS vorher wäre nett gewesen.
neg product_quality | Die Jeans ist nach einmal Waschen total ausgeleiert. Qualität ist echt nicht mehr das was sie mal war @lumara.style
neg product_quality,returns | Kopfhörer nach 2 Wochen links kaputt, Reklamation abgelehnt wegen "Gebrauchsspuren". Hä??
neg appointment | Techniker-Termin zwischen 8 und 16 Uhr, extra Urlaub genommen, keiner gekommen. Keine Absage, nichts.
neg account | Kann mich seit dem Update nicht mehr in der App einloggen und Passwort zurücksetzen geht auch nicht. Nervt!!
neg payment | Zahlung per PayPal zweimal abgebucht und die Bestellung wurde trotzdem storniert. Was soll das
neg network | 5G in der Innenstadt? Eher 0G.
neg network | WLAN zuhause ist ok, aber der Mobilfunk in Bad Tölz ist ein Witz. Telefonieren wie 1998.
neg technical_fault | nich mal ne mail krieg ich raus, internet bricht alle 10 min ab
neg billing | RECHNUNG SCHON WIEDER FALSCH!!! DRITTES MAL DIESES JAHR!!!
neg delivery | Lieferung für heute angekündigt, jetzt plötzlich "verzögert" ohne Angabe von Gründen. Hab mir extra frei genommen.
neg delivery,product_quality | Karton komplett eingedrückt, der Fernseher hat nen Riss im Display. Super Verpackung 🙃
neg technical_fault +question | Seit dem Firmware-Update vom Receiver hängt das TV-Bild alle paar Minuten. Wer testet sowas eigentlich bei euch?
neg billing,contract | Mir wurde bei Vertragsabschluss 29,99 zugesagt, auf der Rechnung stehen 34,99. Das ist nicht das was vereinbart war.
neg account | Zum vierten Mal meine Bankverbindung geändert und im Kundenportal steht immer noch die alte. Langsam reicht's.
neg network +question | Kein Empfang in der kompletten Wohnung, nur am Fenster ein Balken. Kann man da was machen oder muss ich aufs Dach?
neg delivery | Hermes-Bote hat das Paket einfach vor die Tür gelegt. Im Regen. Danke für die nassen Schuhe.
neg returns | Warum muss ich für eine Retoure 5,95 € zahlen, wenn die Ware falsch geliefert wurde?! Das ist doch euer Fehler.
neg product_quality | Das Handy wird beim Laden so heiß, dass man es kaum anfassen kann. Für 900 € erwarte ich mehr.
neg cancellation | Kündigung online unmöglich, der Button führt nur auf eine Seite mit "Angeboten für Sie". Das ist doch Absicht.
neg technical_fault | Glasfaser angeblich seit dem 1. geschaltet. Ergebnis: 0 Mbit. Seit 12 Tagen.
neg network | Jeden Abend ab 19 Uhr bricht die Geschwindigkeit auf 2 Mbit ein. Bezahle für 250. #Telvana
neg billing | Drittanbietersperre war aktiv und trotzdem steht ein Abo für 4,99 € auf meiner Rechnung. Wie soll das gehen?
neg appointment | Im Shop Termin gemacht, hingefahren, Shop geschlossen wegen "Inventur". Stand nirgendwo.
neg delivery | Zwei Teile bestellt, eins gekommen, das andere "nicht mehr verfügbar". Und das erfahre ich erst nach einer Woche.
neg returns | Retourenlabel lässt sich nicht drucken, Fehler 500. Und im Chat nur ein Bot der mich im Kreis schickt.
neg product_quality | Die Nähte am Mantel gehen schon nach drei Tagen auf. Nicht gerade Premium, liebe @LumaraFashion
neg contract | Ungefragt auf einen teureren Tarif umgestellt worden. Ich habe nie zugestimmt!
neg technical_fault | Mein Festnetz ist seit Montag tot. Kein Freizeichen. Meine Oma kann mich nicht erreichen.
neg billing +question | Was sind "Sonstige Leistungen 12,40 €"? Hab nichts davon bestellt.
neg account | Zwei-Faktor-SMS kommt nie an, also komm ich nicht ins Konto. Wie soll ich so meine Rechnung sehen
neg delivery | Seit 3 Wochen auf die Waschmaschine warten, jeden Tag ein neuer Liefertermin. Ich wasche inzwischen bei meiner Mutter.
neg network | Zugfahrt Hamburg–Berlin und ich hatte gefühlt 10 Minuten Netz. Danke für nichts.
neg technical_fault | Der Support sagt "Router neu starten". Hab ich. 15 mal. Das Problem ist nicht mein Router.
neg payment | Rechnung pünktlich bezahlt und trotzdem eine Mahnung mit 5 € Gebühr bekommen. Frechheit.
neg payment +question | Kauf auf Rechnung wird ohne Grund abgelehnt, obwohl ich seit Jahren Kunde bin. Warum?
neg product_quality | Staubsauger nach 4 Monaten kaputt. Ersatzteil nicht lieferbar. Das ist doch Wegwerfgesellschaft pur.
neg delivery | Die Lieferung kam zwar, aber die falsche Farbe. Zum zweiten Mal.
neg returns | Ich warte seit 5 Wochen auf meine Erstattung und jedes Mal heißt es "in Bearbeitung". Ich glaub euch kein Wort mehr.
neg cancellation,contract | Ich ziehe ins Ausland und ihr wollt mich trotzdem nicht aus dem Vertrag lassen. Unfassbar unflexibel.
neg technical_fault | TV-App stürzt bei jedem Fußballspiel ab, pünktlich zum Anpfiff. Jedes. Mal.
neg network | Netzabdeckungskarte sagt "sehr gut", Realität sagt "Edge". Wer malt diese Karten?
neg billing | Ihr habt mir die Grundgebühr doppelt berechnet, einmal für März und einmal für... März.
neg delivery | "Zustellung zwischen 8 und 20 Uhr" ist kein Zeitfenster, das ist ein ganzer Tag.
neg account +question | Wieso wurde mein Kundenkonto gesperrt? Keine Mail, keine Erklärung, nichts.
neg product_quality | Bestellt: Sneaker in weiß. Bekommen: Sneaker in "weiß mit Kleberesten". Nicht begeistert.
neg appointment | Dritter verschobener Termin für den Glasfaseranschluss. Ich fühl mich echt verarscht.
neg contract | Der Verkäufer hat mir am Telefon einen Vertrag untergejubelt. Ich wollte nur wissen was meine Rechnung kostet!
neg technical_fault | Die eSIM lässt sich nicht aktivieren, der QR-Code ist laut Handy ungültig. Hab jetzt seit zwei Tagen gar kein Handy.
neg network | Ständig Funklöcher auf der A7, seit Jahren. Aber Hauptsache Werbung mit "bestem Netz".
neg technical_fault +question | Warum fällt das Internet eigentlich JEDE Nacht um 3 Uhr aus?
neg delivery +question | Bestellt am 2., Lieferdatum war der 5., heute ist der 14. Wo ist mein Paket???
neg product_quality | Der Akku hält keine 3 Stunden. Neues Gerät, wohlgemerkt.
neg returns | Umtausch abgelehnt weil das Etikett ab war. Das Etikett war von Anfang an nur halb dran.
neg billing | Monatelang Gutschrift versprochen, nie bekommen. Ich will nur mein Geld.
neg technical_fault | Wenn die Hotline nach 40 Minuten sagt "Da kann ich nichts machen", dann weiß man Bescheid.
neg network | Seit dem Mastumbau in unserem Dorf praktisch kein LTE mehr. Und keiner fühlt sich zuständig.
neg payment | Gutscheincode wurde angenommen, aber der Rabatt ist nicht abgezogen worden. Jetzt hab ich 20 € zu viel bezahlt.
neg account | Ich bekomme jede Woche Newsletter obwohl ich mich schon 5x abgemeldet habe.
neg delivery | Fahrer hat "niemand angetroffen" eingetragen. Ich war den ganzen Tag zuhause. Klingel funktioniert.
neg product_quality | Hab bei euch ein Kleid für eine Hochzeit bestellt, Reißverschluss kaputt. Jetzt steh ich ohne da. Danke Lumara 🙃
neg contract +question | Ich habe eine Vertragsverlängerung nie bestätigt. Woher kommt die?
neg technical_fault | Seit dem Tausch des Routers geht mein Smart Home nicht mehr. Und ihr sagt "das ist nicht unser Gerät"
neg billing | Für die "kostenlose" Hardware steht jetzt eine Miete auf der Rechnung. Irgendwie witzig.
neg delivery | Der Lieferdienst hat mein Paket bei einem Nachbarn abgegeben, den es nicht gibt. Hausnummer 14b existiert nicht.
neg returns | Paketshop nimmt eure Retouren nicht mehr an, nächster ist 12 km weg. Tolle Umstellung.
neg roaming | Im Urlaub in Kroatien kein Datenroaming, obwohl laut Vertrag inklusive. Hotline aus dem Ausland natürlich nicht erreichbar.
neg network +question | Ich wohne mitten in Frankfurt und habe im Keller null Empfang. Ist das euer Ernst?
neg technical_fault | Das Kabelmodem startet sich alle 20 min neu. Homeoffice ist so nicht machbar.
neg product_quality | Kaffeemaschine leckt, Garantieabwicklung dauert jetzt schon 6 Wochen. Ich trink inzwischen Instantkaffee.
neg delivery | Expressversand bezahlt, Standard bekommen. Gebühr zurück wäre das Mindeste.
neg account | Online-Formular zum Adresswechsel schmeißt jedes Mal "Unbekannter Fehler". Sehr hilfreich.
neg billing | Meine Rechnung ist diesen Monat 18 € höher ohne dass ich irgendwas geändert habe. So nicht.
neg technical_fault | ich hab jetz 4 mal angerufen und jedes mal erzählt mir einer was anderes
neg contract | Preiserhöhung per Kleingedrucktem in der App. Stilvoll ist anders.
neg cancellation | Ihr bestätigt meine Kündigung nicht, obwohl ich sie dreimal geschickt habe. Muss ich persönlich vorbeikommen?
neg delivery | Ich hab 30 € für einen Artikel bezahlt, der laut Shop "sofort lieferbar" war. Jetzt heißt es Lieferzeit 6 Wochen.
neg product_quality | Handyhülle passt nicht, obwohl für genau mein Modell angegeben. Nicht sehr überzeugend.
neg technical_fault | TelvanaTV ruckelt seit Tagen. Egal welcher Sender.
neg network | Das Netz ist so schlecht, dass meine Sprachnachrichten zu Standbildern werden 😂 aber eigentlich ist es nicht lustig
neg billing +question | Ich habe zwei Rechnungen für denselben Monat bekommen, mit unterschiedlichen Beträgen. Welche stimmt denn jetzt?
neg returns | Retoure kam an, ihr behauptet, ein Artikel fehlt. Ich hab beide reingepackt und hab Fotos davon.
neg appointment | Die Filiale hat mir telefonisch einen Termin bestätigt, vor Ort wusste niemand davon.
neg delivery | Sendungsnummer ungültig. Seit 5 Tagen. Und der Chat sagt nur "bitte haben Sie Geduld".
neg product_quality | Der Fernseher hat nach 2 Monaten einen Pixelfehler mitten im Bild. Nicht schön.
neg contract,billing | Ich zahle seit 3 Jahren für einen Tarif den es gar nicht mehr gibt und Neukunden bekommen das Doppelte für die Hälfte. Treue lohnt sich nicht.
neg technical_fault | Mailbox lässt sich nicht ausschalten. Jeder Anruf geht direkt drauf. Seit einer Woche.
neg account | Warum muss ich für jede Kleinigkeit meine Kundennummer, mein Kennwort UND mein Geburtsdatum angeben und dann versteht mich der Sprachcomputer trotzdem nicht?
neg delivery | Ware ist angeblich in der Packstation, die Packstation sagt "kein Paket". Spitze.
neg payment | Klarna mahnt mich für eine Bestellung, die ihr storniert habt. Bitte klärt das, ich will keinen Schufa-Eintrag wegen euch.
neg product_quality | Das "Echtleder" riecht nach Plastik und fühlt sich auch so an. Eher nicht.
neg network | Funkloch zuhause gemeldet. Antwort: "Im Ausbau". Das war 2022.
neg technical_fault | Nach dem Umzug kein Anschluss, weil "Leitung nicht geschaltet". Der Umzugsauftrag lief seit 6 Wochen!
neg billing | Ich wurde für 2 GB Datenvolumen-Nachkauf belastet, den ich nicht gebucht habe. Bitte erstatten.
neg cancellation | Kündigungsbestätigung mit falschem Datum. Jetzt soll ich 3 Monate länger zahlen. Nein danke.
neg delivery | Sperrgutlieferung: Sofa sollte in die Wohnung, Spedition stellt es unten an die Straße. 4. Stock ohne Aufzug.
neg product_quality,returns | Der Bildschirm des Laptops flackert. Einschicken soll ich ihn, 3-4 Wochen Bearbeitung. Ich brauch den für die Arbeit!
neg technical_fault | WLAN-Call funktioniert nicht, obwohl im Tarif angeblich freigeschaltet. Hab im Haus nur WLAN.
neg returns,payment | Erstattung kam, aber nur 60% vom Preis. Begründung: Wertminderung. Ich hab das Teil nur anprobiert!
neg account | Ich wurde aus dem Kundenkonto ausgesperrt und der Chat verlangt eine Kundennummer, die in genau diesem Konto steht.
neg network | Heute wieder Stadion, 50.000 Leute, null Netz. Jedes Wochenende das gleiche Spiel.
neg delivery | Vier Tage Lieferzeit angegeben, jetzt Tag 11. Nichts gegen Verspätung, aber sagt doch einfach Bescheid.
neg product_quality | Smartwatch zeigt die Schritte doppelt an. Toll für die Motivation, schlecht für die Wahrheit 🙄
neg billing | Ihr berechnet mir Anrufe zu einer 0800-Nummer. Die sind kostenlos. Eigentlich.
neg technical_fault +question | Warum sagt mir der Störungsmelder "keine Störung", wenn die ganze Straße kein Internet hat?
neg contract | Mir wurde ein Wechselbonus von 100 € versprochen. Bis heute nichts gesehen.
neg appointment | Termin für die Hausbegehung kurzfristig abgesagt per SMS, neuer Termin in 5 Wochen. Toll.
neg delivery | Bestellung aus Versehen an die alte Adresse geschickt, obwohl ich die Adresse im Konto geändert hatte.
neg product_quality | Mit der Qualität bin ich alles andere als zufrieden. Pulli pillt nach dem ersten Tragen.
neg roaming,billing | Auf der Fähre nach Dänemark hat sich das Handy ins Schiffsnetz eingewählt und 60 € gekostet. Warum gibt's da keine Warnung?
neg account | Passwort vergessen-Mail landet nach 3 Stunden im Postfach, Link ist dann abgelaufen. Klasse System.
neg technical_fault | Seit 3 Wochen Knacken in der Leitung bei jedem Telefonat, Techniker sagt alles i.O.
neg cancellation +question | Wie oft muss man eigentlich kündigen, bis ihr es akzeptiert?
neg delivery | Ich hab 3 Pakete bekommen für 1 Bestellung, in jedem ein Teil. Umwelt lässt grüßen.
neg returns | Ich habe nicht erwartet, dass eine Rücksendung so kompliziert ist. Nie wieder.
neg billing,contract | Die Rechnung ist nicht schlecht... wenn man Überraschungen mag. 7 € mehr, einfach so.
neg network | schon wieder funkloch. immer dieselbe stelle. immer. #Telvana
neg technical_fault | Habt ihr eigentlich schon mal versucht, euren eigenen Kundenservice anzurufen? Empfehle ich nicht.
neg product_quality | Keine Ahnung wer diesen Toaster getestet hat, aber das Brot ist innen kalt und außen schwarz.
neg delivery | Die Lieferung hat nicht nur zu lange gedauert, es fehlt auch noch die Hälfte.
neg payment | Kreditkarte belastet, Bestellung im Konto nicht sichtbar. Ich hoffe mal ihr findet mein Geld.
neg account,billing | Ich hab noch nie so eine unübersichtliche Rechnung gesehen. Ich versteh nicht mal, wofür ich zahle.
neg technical_fault | Der Receiver nimmt nicht auf, obwohl die Aufnahme programmiert war. Tatort verpasst. Sonntag gelaufen.
neg delivery | Wow, nur 3 Wochen für ein Paket aus Leipzig nach Halle. Rekordverdächtig 👏
neg network | Danke Telvana, dank euch lerne ich gerade wieder, wie man Landkarten aus Papier liest.
neg technical_fault | Toll, dass der Router pünktlich zum wichtigsten Call des Jahres neu startet. Perfektes Timing wie immer.
neg billing | Herzlichen Glückwunsch, ihr habt es geschafft, mir für einen Monat drei verschiedene Beträge zu berechnen.
neg delivery | Ach, das Paket liegt in der Filiale? Schön, dass mir das keiner gesagt hat, bevor es zurückgeschickt wurde.
neg product_quality | Hält bestimmt ewig, dachte ich. Hat dann genau 9 Tage gehalten.
neg account | Klasse, schon wieder ausgeloggt. Fünftes Mal heute. Ich liebe es. 🙃
neg other | Läuft bei euch. Also nicht die Hotline, die läuft nicht. Aber sonst.
neg network | Netzabdeckung 99 %, sagt ihr. Ich wohne offenbar im restlichen 1 %.
neg returns | Erstattung in 14 Tagen, stand da. Wir sind jetzt bei Tag 40. Wahrscheinlich meinen die Arbeitstage auf dem Mars.
neg appointment | Der Techniker kommt "heute im Laufe des Tages". Es ist 21 Uhr. Ich warte noch. Gemütlich.
neg technical_fault | Service-Hotline mit 47 Minuten Warteschleife, schöne Musik aber. Kann ich mittlerweile mitsingen.
neg contract | Ja genau, "Vorteilspreis" – für euch ist es ein Vorteil, ich zahle mehr.
neu delivery | Hallo, meine Bestellung 4471-22 sollte gestern kommen, ist aber noch nicht da. Könnt ihr bitte nachsehen?
neu billing | Auf meiner Rechnung steht ein Betrag für ein Zusatzpaket, das ich nicht gebucht habe. Bitte korrigieren und mir eine neue Rechnung schicken.
neu technical_fault | Guten Tag, seit heute Morgen ist mein Festnetzanschluss gestört. Ich bin unter meiner Mobilnummer erreichbar.
neu product_quality | Beim gelieferten Regal fehlen zwei Schrauben (Teil C). Können Sie diese nachsenden?
neu returns | Die Erstattung für meine Retoure vom 3. März ist noch nicht eingegangen. Bitte prüfen Sie den Status.
neu delivery | Leider wurde statt der Größe 38 die Größe 40 geliefert. Wie kann ich das umtauschen?
neu network | Hallo, in der Gartenstraße in Lüneburg gibt es seit einer Woche kaum Mobilfunkempfang. Ist dort etwas bekannt?
neu account | Ich kann meine Rechnungsadresse im Portal nicht ändern, es erscheint ein Fehler. Bitte ändern Sie sie für mich auf Lindenweg 4.
neu appointment | Der Techniker war heute nicht da, der Termin war für 10 Uhr bestätigt. Bitte um einen neuen Termin.
neu payment | Die Lastschrift wurde diesen Monat doppelt eingezogen. Bitte erstatten Sie den zweiten Betrag.
neu cancellation | Ich habe am 12.04. gekündigt, aber noch keine Bestätigung erhalten. Bitte senden Sie mir diese zu.
neu product_quality | Der Deckel der Thermoskanne schließt nicht richtig, sie tropft. Ich möchte das Produkt reklamieren.
neu roaming | Für meinen Aufenthalt in Österreich wurden Roaminggebühren berechnet, obwohl das EU-Ausland ist. Bitte prüfen.
neu technical_fault | Die TV-Box zeigt seit dem Update Fehler E-204 an. Neustart hat nichts gebracht.
neu contract | In meinem Vertrag steht eine andere Datenmenge als in der Auftragsbestätigung. Bitte um Klärung.
neg delivery | Paket kam an. Leer. Ja, wirklich leer.
neg technical_fault | Boah ey. Wieder kein Internet. Dritter Abend in Folge.
neg contract +question | Echt jetzt?! Dreimal angerufen wegen der Rufnummernmitnahme und keiner weiß Bescheid. Wer ist bei euch eigentlich zuständig?
neg delivery | Neue SIM-Karte vor 10 Tagen bestellt, immer noch nicht da. Alte ist schon deaktiviert. Ich bin quasi offline.
neg technical_fault | Eure App zeigt mir seit einer Woche 0 GB Restvolumen an, obwohl ich kaum was verbraucht habe. Und jetzt werd ich gedrosselt.
neg payment | Gutschein über 25 € abgelaufen, weil ihr die Bestellung zweimal storniert habt. Und jetzt soll ich neu zahlen? Sicher nicht.
neg delivery | Packstation voll, Paket geht zurück an den Absender. Wieso wählt ihr nicht einfach eine andere aus?
neg product_quality | Laut Beschreibung "neu", geliefert wurde ein Gerät mit Kratzern und fremden Fingerabdrücken. Geht gar nicht.
neg appointment | Im Shop wurde ich nach 40 Minuten Wartezeit weggeschickt, weil "das System gerade nicht geht". Tolles Erlebnis.
neg account | Meine Bonuspunkte sind einfach weg. 3.400 Punkte. Gestern waren sie noch da.
neg payment | Der Sale-Preis wurde im Warenkorb angezeigt, abgebucht wurde der volle Preis. Ich fühl mich veräppelt.
neg contract | Vertragsunterlagen habe ich nach 6 Wochen immer noch nicht. Wie soll ich wissen, was ich unterschrieben habe?
neg network | Drosselung schon am 12. des Monats, obwohl ich nur WhatsApp und Mails mache. Da stimmt doch was nicht.
neg delivery | Bestellung ohne Begründung storniert. Zwei Tage vor Weihnachten. Danke auch.
neg billing | Versandkosten doppelt berechnet, einmal pro Paket, obwohl ich eine Bestellung aufgegeben hab. Das ist nicht korrekt.
neg technical_fault | Seit dem Anbieterwechsel funktioniert meine Festnetznummer nicht mehr. Niemand kann mich anrufen, seit 9 Tagen.
neg product_quality | Die Kaffeemaschine macht nach 3 Wochen Geräusche wie ein Traktor. Und der Kaffee schmeckt nach Plastik.
neg other | Die Verkäuferin im Laden war so unfreundlich, ich bin einfach gegangen. Ohne was zu kaufen.
neg technical_fault | Euer Chatbot versteht nicht mal das Wort "Störung". Ich will bitte einen Menschen sprechen.
neg delivery | Hab "Abstellgenehmigung Garage" angegeben, Paket lag dann im Vorgarten. Gestohlen natürlich.
neg contract,billing | Nach der Vertragsverlängerung ist die Rechnung höher statt niedriger. Genau das Gegenteil von dem, was mir erklärt wurde.
neg returns | Ich hab den Rücksendeschein ausgefüllt, Paket abgegeben, und jetzt heißt es, es gibt keine Retoure unter meinem Namen. Super.
neg account | Ich bekomme Mails an eine Adresse, die ich vor 4 Jahren geändert habe. Euer System ist von gestern.
neg product_quality | Der Reißverschluss klemmt, der Stoff kratzt und die Farbe ist heller als auf dem Foto. Drei Gründe, es zurückzuschicken.
neg network | Telefonieren im Homeoffice unmöglich, jede zweite Verbindung bricht ab. Seit ihr den Mast "modernisiert" habt.
neg billing | Wer hat sich denn diese Rechnung ausgedacht? Drei Seiten und ich finde nirgends den Grund für die 12 € mehr.
neg technical_fault | WLAN-Passwort wurde beim Fernwartungs-Update einfach zurückgesetzt, alle Geräte raus. Hättet ihr ja mal ankündigen können.
neg delivery | Die Lieferung kommt, wann sie will, und der Kundenservice kann mir nicht mal sagen, wo das Paket ist. Peinlich.

[question]
neu billing | Hallo, wann wird die Rechnung für März verschickt?
neu roaming | Gilt mein Tarif auch in Norwegen oder muss ich da etwas dazubuchen?
neu delivery | Kann ich die Lieferadresse noch ändern? Bestellung ist von heute Morgen.
neu returns | Wie lange habe ich Zeit für eine Rücksendung?
neu account | Wie ändere ich meine E-Mail-Adresse im Kundenkonto?
neu technical_fault | Welche Ports muss ich am Router freigeben, damit die Spielekonsole online gehen kann?
neu contract | Bis wann kann ich meinen Vertrag kündigen, wenn er am 30.6. ausläuft?
neu payment | Kann man bei euch auch mit Apple Pay bezahlen?
neu delivery | Liefert ihr auch nach Österreich?
neu appointment | Muss ich für den Shop in der Königstraße einen Termin machen oder kann ich einfach vorbeikommen?
neu account | Wo finde ich meine Kundennummer?
neu network | Gibt es in 24937 Flensburg schon 5G?
neu billing | Kann ich die Rechnung auch per Post bekommen statt nur online?
neu returns | Muss das Originaletikett für den Umtausch noch dran sein?
neu product_quality | Ist die Jacke wasserdicht oder nur wasserabweisend?
neu delivery | Wie erkenne ich, mit welchem Paketdienst meine Bestellung kommt?
neu contract | Kann ich meinen Vertrag auf meinen Sohn übertragen?
neu technical_fault | Wie setze ich den Receiver auf Werkseinstellungen zurück?
neu roaming | Kostet eine SMS aus der Türkei nach Deutschland extra?
neu payment | Ist Ratenzahlung auch für Bestandskunden möglich?
neu account | Kann man mehrere Rufnummern in einem Kundenkonto verwalten?
neu cancellation | Reicht eine Kündigung per E-Mail oder muss die schriftlich sein?
neu delivery | Kann ich ein Paket an eine Packstation liefern lassen?
neu returns | Wo bekomme ich ein Retourenlabel her, wenn ich keinen Drucker habe?
neu appointment | Wie lange vorher muss ich einen Techniker-Termin absagen?
neu billing | Was bedeutet der Posten "Anteilige Grundgebühr" auf meiner ersten Rechnung?
neu contract | Wie lange ist die Mindestlaufzeit beim Fernsehpaket?
neu technical_fault | Funktioniert euer Router auch mit einem Mesh-System von einem anderen Hersteller?
neu product_quality | Fällt die Größe bei den Sneakern normal aus oder eher klein?
neu account | Hallo, ich möchte die Telefonnummer in meinem Konto aktualisieren, wie geht das?
neu network | Wird das Netz in der Nordheide dieses Jahr noch ausgebaut?
neu payment | Wann wird der Betrag bei Kauf auf Rechnung fällig?
neu delivery | Ab welchem Bestellwert ist der Versand kostenlos?
neu roaming | Brauche ich für die USA eine extra Option oder geht das automatisch?
neu returns | Kann ich Online-Bestellungen auch in der Filiale zurückgeben?
neu billing | hallo, kann ich die rechnungen der letzten 12 monate irgendwo als pdf runterladen?
neu technical_fault | Wie aktiviere ich VoLTE auf meinem Handy?
neu contract | Läuft mein Vertrag automatisch weiter, wenn ich nichts mache?
neu account | Kann ich meinen Benutzernamen ändern?
neu delivery | Versendet ihr auch am Samstag?
neu appointment | Kann ich einen Termin in der Filiale online buchen?
neu payment | Wie lange dauert eine Erstattung auf die Kreditkarte normalerweise?
neu product_quality | Kann man den Mantel in die Waschmaschine geben oder nur Reinigung?
neu network | Wie kann ich die Netzabdeckung für meine Adresse prüfen?
neu technical_fault | Ist die Störung in 10115 schon bekannt?
neu cancellation | Bekomme ich eine Bestätigung, wenn ich online kündige?
neu billing | Kann ich das Abbuchungsdatum verschieben, z.B. auf den 15.?
neu roaming | Wie viel Datenvolumen habe ich im EU-Ausland?
neu returns | Muss ich die Rücksendung im Originalkarton verpacken?
neu delivery | Ist eine Lieferung mit Wunschtermin möglich?
neu contract | Was passiert mit meiner Rufnummer, wenn ich zu einem anderen Anbieter wechsle?
neu account | Wie kann ich mein Kundenkonto löschen lassen?
neu technical_fault | Welches WLAN-Passwort ist bei der Box voreingestellt? Steht das auf dem Aufkleber?
neu payment | Sind Gutscheine mit anderen Rabatten kombinierbar?
neu appointment | Bringt der Techniker das Kabel mit oder muss ich das besorgen?
neu delivery | Was passiert, wenn ich bei der Lieferung nicht zuhause bin?
neu billing | Gibt es die Rechnung auch auf Englisch? Mein Mitbewohner versteht kein Deutsch.
neu product_quality | Ist das Handy dual-SIM-fähig?
neu network | Unterstützt der Tarif schon 5G SA oder nur NSA?
neu account | Wo kann ich die Werbeeinwilligung widerrufen?
neu roaming | Funktioniert meine Multi-SIM auch im Ausland?
neu returns | Werden Versandkosten bei einer Rücksendung erstattet?
neu contract | Kann ich während der Laufzeit in einen kleineren Tarif wechseln?
neu technical_fault | Ist euer Router mit IPv6 kompatibel?
neu delivery | Welche Sendungsnummer gehört zu meiner Teillieferung? Ich sehe zwei.
neu payment | Kann ich eine offene Rechnung in Raten zahlen?
neu appointment | Hallo, wie lange dauert eigentlich ein Glasfaser-Hausanschluss, also der Termin selbst?
neu account | Ich habe zwei Kundenkonten aus Versehen, kann man die zusammenlegen?
neu billing | Bekomme ich für den Ausfall letzte Woche eine Gutschrift oder muss ich die beantragen?
neu cancellation | Gibt es ein Sonderkündigungsrecht bei Umzug?
neu product_quality | Sind die Kopfhörer für Sport geeignet, also schweißresistent?
neu delivery | Kann ich die Bestellung auch in einer Filiale abholen?
neu technical_fault | Hallo, welche Einstellungen brauche ich für den Mailserver, also SMTP und IMAP?
neu network | Ist das Netz bei euch im Ruhrgebiet gut? Ziehe nach Bochum.
neu roaming | Muss ich Roaming im Handy extra einschalten?
neu returns | Kann ich ein reduziertes Teil auch umtauschen?
neu contract | Wo sehe ich, wann meine Mindestlaufzeit endet?
neu account | Wie richte ich die Zwei-Faktor-Anmeldung ein?
neu payment | Akzeptiert ihr auch Überweisung?
neu billing | Warum kommt die Rechnung eigentlich immer am 3. und nicht zum Monatsanfang?
neu delivery | Hallo! Kommt die Bestellung in einem neutralen Paket? Ist ein Geschenk 🙂
pos delivery | Hi, erstmal danke für die schnelle Lieferung letztes Mal 😊 kann ich diesmal auch eine Geschenkverpackung dazubuchen?
pos product_quality +compliment | Bin total verliebt in das Kleid! Gibt es das auch in Dunkelgrün?
pos technical_fault +compliment | Der neue Router läuft super. Kann ich den alten eigentlich einfach entsorgen oder muss der zurück?
pos account | Hallo ihr Lieben, kurze Frage: Wo stell ich in der App den Dark Mode ein? Danke euch schon mal ❤️
pos returns +compliment | Der Umtausch beim letzten Mal war echt easy, deswegen frag ich gleich: geht das auch mit Schuhen aus dem Sale?
neu technical_fault | Kann ich den Receiver auch per App steuern?
neu other | Habt ihr am Feiertag geöffnet?
neu other | Wie erreiche ich euch am besten, wenn die Hotline besetzt ist?
neu account | Was bedeutet "Konto in Prüfung"?
neu technical_fault | ?? Wie verbinde ich den Drucker mit dem neuen WLAN
neu billing | Wie kann ich meinen Einzugsermächtigung ändern?
neu returns | Wie lange dauert es ungefähr, bis die Retoure bearbeitet wird?
neu delivery | Wo finde ich die Sendungsverfolgung?
neu roaming | Hallo, ich fliege nächste Woche nach Thailand, was muss ich beachten damit das Handy funktioniert?
neg technical_fault | Kurze Frage, bevor ich durchdrehe: wo ist bei der neuen Box der WPS-Knopf?
neu product_quality | Ist das Ladegerät im Lieferumfang dabei oder muss ich das extra kaufen?
neu payment | Kann ich eine Bestellung mit zwei Gutscheinen bezahlen?
neu contract | Brauche ich für die Vertragsübernahme den Ausweis des alten Inhabers?
neu appointment | Kommt vor dem Technikertermin noch eine SMS?
neu account | Darf meine Frau für mich im Shop Vertragssachen klären, wenn ich eine Vollmacht mitgebe?
neu account | Kann ich die Zugangsdaten fürs Kundenportal auch per Post anfordern?
neu delivery | Wird die Bestellung auch an eine Firmenadresse geliefert?
neu contract | Bis wann muss ich den Umzug melden, damit der Anschluss pünktlich umzieht?
neu technical_fault | Wie finde ich heraus, welche Firmware auf meinem Router ist?
neu product_quality | Ist der Fernseher auch wandmontierbar, also VESA-kompatibel?
neu billing | Wo kann ich sehen, welche Drittanbieter auf meiner Rechnung abgerechnet wurden?
neu roaming | Funktioniert WLAN-Call auch im Ausland ohne Roaminggebühren?
neu payment | Kann man eine Bestellung nachträglich auf Ratenkauf umstellen?
neu returns | Muss ich bei einer Rücksendung die Rechnung beilegen?
neu appointment | Kann ich den Technikertermin auch auf einen Samstag legen?
neu account | Kann ich in der App eine zweite Person als Mitnutzer anlegen?
neu cancellation | Wie kündige ich nur die TV-Option und behalte das Internet?
neu delivery | Bekomme ich eine Benachrichtigung, bevor der Fahrer kommt?
neu technical_fault | Welche Kabel brauche ich, um den Receiver an einen älteren Fernseher anzuschließen?
neu network | Wie kann ich prüfen, ob mein Handy das 5G-Netz unterstützt?
neu contract | Gibt es eine Möglichkeit, den Vertrag für drei Monate zu pausieren? Bin im Auslandssemester.
neu product_quality | Hallo, aus welchem Material ist die Sohle bei den Winterstiefeln?
neu billing | Wie lange muss ich meine Rechnungen eigentlich aufbewahren? Braucht ihr die noch?
neu other | Gibt es eine Telefonnummer, unter der man euch am Wochenende erreicht?
neu account | Ich habe mein Handy verloren, wie sperre ich die SIM-Karte?

[compliment]
pos technical_fault | Danke @TelvanaHilft, Problem in 5 Minuten gelöst 👍
pos delivery | Nicht schlecht, Paket war schon nach einem Tag da.
pos other | Ich muss auch mal loben: die Dame an der Hotline heute war super freundlich und geduldig mit meiner Mutter.
pos product_quality | Passform top, Stoff top, Farbe genau wie auf dem Foto. 10/10 @lumara.style
pos returns | Hätte ich nicht gedacht, aber der Umtausch lief echt problemlos. Danke!
pos network | Seit dem Glasfaseranschluss endlich stabiles Internet. Homeoffice macht wieder Spaß.
pos delivery | Bestellt um 22 Uhr, am nächsten Morgen um 10 im Briefkasten. Respekt @kaufwerk
pos technical_fault | Der Techniker heute war pünktlich, hat alles erklärt und sogar die Kabel ordentlich verlegt. Top!
pos other | Danke!!
pos account | Die neue App ist wirklich gut geworden. Endlich sieht man seinen Verbrauch auf einen Blick.
pos product_quality | Die Kopfhörer sind für den Preis echt der Hammer. Klang ist überraschend gut.
pos returns,payment | Geld für die Retoure war nach 2 Tagen zurück. So muss das sein 👏
pos roaming | Im Urlaub in Spanien hatte ich besseres Netz als zuhause 😄 alles ohne Zusatzkosten. Danke Telvana
pos appointment | Termin im Shop hat super geklappt, keine Wartezeit, kompetente Beratung.
pos billing | Hab mich über die Gutschrift wegen der Störung gefreut, ohne dass ich nachfragen musste. So gewinnt man Kunden.
pos other | Euer Social-Media-Team ist echt witzig 😂 macht weiter so
pos delivery | Die Verpackung komplett aus Papier, kein Plastik. Find ich richtig gut!
pos product_quality | Hab die Winterjacke jetzt den dritten Winter und sie sieht aus wie neu. Klare Empfehlung.
pos technical_fault | Vielen Dank an Herrn Özdemir aus dem Support, der hat sich 45 Minuten Zeit genommen bis alles lief.
pos network | Ich bin nicht leicht zu begeistern, aber das 5G hier in Leipzig ist echt schnell.
pos other | Bester Kundenservice, den ich je hatte. Ernsthaft.
pos contract | Vertragsverlängerung per Chat in 10 Minuten erledigt und dabei sogar noch Geld gespart. Danke!
pos delivery | Der Paketbote hat das Paket sogar bis in den 5. Stock getragen. Liebe Grüße an ihn!
pos product_quality | Das Kleid ist ein Traum ❤️ hab schon drei Komplimente bekommen
pos other | Danke für die schnelle Antwort, hat mir sehr geholfen 🙏
pos returns | Reklamation ohne Diskussion akzeptiert und neues Gerät sofort verschickt. Kann man nicht meckern.
pos technical_fault | Internet läuft wieder, danke für die schnelle Hilfe!
pos account | Die Kündigung des Zusatzpakets ging in der App mit zwei Klicks. Warum können das nicht alle so?
pos product_quality | Endlich mal ein Online-Shop, bei dem die Größenangaben stimmen. Passt alles perfekt.
pos other | Wollte nur mal sagen: ihr macht das echt gut. Auch wenn's mal hakt, man wird ernst genommen.
pos network | Gestern auf der Zugspitze noch volles LTE gehabt. Hut ab.
pos delivery | Pünktlich, gut verpackt, alles da. Genau so stell ich mir das vor.
pos billing | Die Rechnung ist jetzt viel übersichtlicher als früher. Danke dafür!
pos product_quality | Die Qualität ist gar nicht schlecht für den Preis, bin positiv überrascht.
pos appointment | Der Techniker hat angerufen, dass er 20 Minuten früher kommt. Perfekt.
pos other | Liebe Grüße an Jasmin aus dem Chat, du bist die Beste 😊
pos technical_fault | Router einfach angesteckt und lief sofort. So einfach kann's sein.
pos returns | Kostenlose Rücksendung und Abholung zuhause. Mega praktisch!
pos product_quality | Hab das Handy jetzt seit zwei Wochen. Kamera ist der Wahnsinn 📸
pos other | 5 Sterne für den Service in der Filiale am Alexanderplatz!
pos contract | Als Student einen Rabatt zu bekommen war so unkompliziert. Dankeschön!
pos network | Seit dem Netzausbau bei uns im Dorf endlich Empfang im ganzen Haus. Danke an alle, die das möglich gemacht haben!
pos delivery | Krass schnell, Bestellung war nach 18 Stunden da.
pos other | Top Beratung, top Preis, komme gerne wieder.
pos technical_fault | Ganz ehrlich, ich hatte mit einer Katastrophe gerechnet, aber die Portierung meiner Nummer lief ohne Ausfall.
pos product_quality | Das Material der Bettwäsche ist richtig angenehm. Hätte ich nicht erwartet.
pos account | Dass ich den Tarif in der App jederzeit pausieren kann, ist richtig gut gelöst.
pos other | Danke euch für die Geduld mit mir heute, ich war echt nicht nett am Telefon 🙈
pos delivery | Sonntag bestellt, Montag geliefert. Ihr seid verrückt (im positiven Sinne)
pos returns | Dass ihr bei der Rücksendung den Grund nicht erfragt und einfach erstattet finde ich super kundenfreundlich.
pos product_quality | Die Schuhe sind sooo bequem, ich hab sie gleich nochmal in schwarz bestellt 😍
pos technical_fault | Nach dem Anruf beim Support ist mein WLAN doppelt so schnell. Keine Ahnung was ihr gemacht habt, aber danke!
pos other | Ihr habt mir heute den Tag gerettet. Danke, Telvana-Team!
pos billing | Fair: die Roaming-Gebühr von letzter Woche wurde nach einer kurzen Nachricht komplett erstattet.
pos network | Konzert mit 40.000 Leuten und trotzdem Videos hochladen können. Respekt an euer Netz.
pos product_quality | Die Qualität kann sich sehen lassen 👌
pos other | Schönes neues Logo übrigens!
pos delivery | Danke für die handgeschriebene Karte im Paket, hat mich sehr gefreut 🥰
pos appointment | Der Mitarbeiter im Shop hat sich richtig Zeit genommen, obwohl der Laden voll war. Danke!
pos other | Ehrlich gesagt war ich skeptisch, aber ich bin mehr als zufrieden.
pos account | Nicht übel, die neue Verbrauchsanzeige in der App!
pos product_quality | Tolles Kleid, tolle Farbe, tolles Gefühl 💃
pos technical_fault | Ihr habt das Problem mit dem Receiver besser erklärt als der Hersteller selbst. Danke!
pos delivery | Lieferung kam einen Tag früher als angekündigt. Mag ich!
pos other | Großes Lob an euer Team, das war heute spitze.
pos returns | Hab ein Teil in der falschen Größe bestellt, in der Filiale sofort umgetauscht. Easy.
pos network | Kein einziger Verbindungsabbruch seit dem Wechsel zu euch. Hätte ich früher machen sollen.
pos product_quality | Ich hab hier schon 5 Mal bestellt und war noch nie enttäuscht.
pos other | Echt sympathisch, wie ihr auf Kritik reagiert. Kein Standardtext, sondern echte Antworten.
pos contract | Der Tarifwechsel hat auf Anhieb geklappt und die neue Flat ist super. Danke!
pos technical_fault | Sehr gute Erklärvideos auf eurem Kanal, hab den Router alleine eingerichtet!
pos delivery | Super Zusteller in Hamburg-Altona, immer freundlich, immer pünktlich.
pos other | Danke, dass ihr so schnell reagiert habt! 🙌
pos product_quality | Schon lange keine so bequeme Jeans mehr gehabt. Danke Lumara!
pos payment | Zahlung per Rechnung ohne Probleme, und Erinnerung kam rechtzeitig per Mail. Sehr angenehm.
pos other | Ihr seid einfach klasse ❤️
pos account | Chapeau, die Umstellung auf die neue Kundennummer lief komplett ohne Stress.
pos network | Kein einziges Funkloch auf der ganzen Strecke nach Sylt. Das gab's früher nie.
pos delivery | Keine Verzögerung, keine Beschädigung, kein Stress. Genau so soll Onlineshopping sein.
pos technical_fault | Nie gedacht, dass ich das mal schreibe: die Hotline war nach 2 Minuten dran und hat sofort geholfen.
pos returns | Rücksendung ohne Rückfragen erstattet, nicht mal eine Woche hat's gedauert. Danke!
pos other | Ich kann mich nicht beschweren, wirklich nicht. Alles bestens.
pos product_quality | Die Waschmaschine ist leise, sparsam und hat ein super Programm für Wolle. Volle Punktzahl.
pos account | Das Kundenportal ist endlich übersichtlich. Alles auf einen Blick, nichts muss man suchen.
pos network | Hab seit dem Umstieg auf euch nie wieder einen Verbindungsabbruch in der Bahn gehabt 👍
pos other | Der Chatbot hat mich tatsächlich verstanden und direkt an einen Menschen weitergeleitet. Daumen hoch!
pos delivery | Mein Zusteller hat mir extra Bescheid gesagt, dass er das Paket beim Bäcker abgibt. So aufmerksam!
pos contract | Ohne Diskussion in den günstigeren Tarif gewechselt, obwohl ich noch Laufzeit hatte. Fair!
pos product_quality | Das Material ist dick, weich und fusselt nicht. Hätte ich bei dem Preis nicht erwartet.
pos technical_fault | Vielen Dank, das neue Modem läuft seit einer Woche ohne einen einzigen Absturz.
pos other | Großes Dankeschön an das ganze Team in der Filiale Bremen, ihr wart heute klasse!
pos billing | Fehler auf der Rechnung gemeldet, am selben Tag korrigiert. Besser geht's nicht.
pos delivery | Die Lieferung war schneller als der Versand bei der Konkurrenz. Weiter so!
pos appointment | Techniker pünktlich auf die Minute, freundlich und hat die Schuhe ausgezogen 😄 sehr sympathisch
pos product_quality | Ich war mir unsicher wegen der Größe, aber die Beratung im Chat war goldrichtig. Passt perfekt!
pos other | Muss mal gesagt werden: ihr antwortet hier schneller als meine Freunde auf WhatsApp 😂
pos network | Glasfaser ist der Wahnsinn. 900 Mbit gemessen, Uploads in Sekunden. Danke Telvana!
pos returns | Umtausch in der Filiale ging in 3 Minuten, ohne Kassenbon, nur mit der App. Stark.
pos other | Danke für eure Geduld am Telefon, mein Vater ist 87 und hat alles verstanden.
pos product_quality | Die Sneaker sehen in echt noch besser aus als auf den Bildern 🔥
pos account | Dass man die Rechnung jetzt direkt in der App erklären lassen kann, ist echt clever gemacht.
pos technical_fault | Problem war nicht mal euer Fehler und trotzdem habt ihr so lange geholfen, bis es lief. Respekt.
pos delivery | Paket kam mitten im Schneesturm pünktlich an. Ein Hoch auf die Fahrerinnen und Fahrer!
pos other | Alles richtig gemacht! Ich empfehle euch weiter.
pos product_quality | Bin wirklich nicht wählerisch, aber das hier ist mit Abstand das beste Ladegerät, das ich je hatte.
pos contract | Die Beratung im Shop war ehrlich: man hat mir vom teureren Tarif abgeraten, weil ich ihn nicht brauche. Das merk ich mir!
pos other | Hab eure Antwort gerade erst gesehen, vielen lieben Dank für die Mühe 🙏
pos network | Ich wohne auf dem Dorf und hab endlich schnelles Internet. Ihr glaubt gar nicht wie glücklich ich bin 😭❤️
pos delivery | Danke an den netten Fahrer, der mir das schwere Paket bis in die Küche getragen hat.
pos returns | Reklamation war in 5 Minuten im Chat erledigt. Kein Formular, keine Warteschleife. So geht Service.
pos product_quality | Die Farbe bleibt auch nach 10 Wäschen kräftig. Bin begeistert.
pos other | Ihr habt nicht nur mein Problem gelöst, sondern auch noch nett dabei geplaudert. Danke, Frau Schulz!
pos delivery | Oh wow, schon da! Hätte frühestens Donnerstag damit gerechnet 😊
pos technical_fault | Chapeau an den Herrn von der Störungsstelle, der hat mir Schritt für Schritt geholfen, ohne genervt zu sein.
pos product_quality | Die Matratze ist ein Traum. Schlafe seit einer Woche durch. Danke für die Empfehlung im Chat!
pos other | Ihr seid die Einzigen, die auf Facebook tatsächlich antworten. Danke dafür!
pos network | Gerade auf dem Festival: 60.000 Leute und trotzdem Netz. Hätte ich nie gedacht. Stark, Telvana!
pos returns | Falsche Größe, Retourenschein in der App, am Kiosk abgegeben, Geld zwei Tage später da. Unkomplizierter geht's nicht.
pos contract | Als langjährige Kundin habe ich ohne Nachfrage ein Upgrade bekommen. Das nenne ich Wertschätzung ❤️
pos account | Die neue Funktion, mit der man Rechnungen direkt teilen kann, ist super praktisch für die WG.
pos product_quality | Die Jacke hält wirklich warm, auch bei minus 10 Grad. Endlich mal Werbung, die nicht lügt.
pos other | Vielen Dank, Frau Krüger! Sie haben mir heute echt den Tag gerettet.
pos delivery | Die Fahrerin hat sogar gewartet, bis ich mit dem Kinderwagen am Haus war. So lieb!
pos technical_fault | Problem mit dem Receiver per Fernwartung gelöst, ohne dass jemand kommen musste. Klasse!
pos product_quality | Vor Jahren gekauft, immer noch wie neu. Solche Qualität findet man selten.
pos other | Großartiger Service, ich bin echt beeindruckt.
pos billing | Ich hab mich verrechnet und dachte, ihr hättet zu viel abgebucht. Die Mitarbeiterin hat's mir ganz geduldig erklärt. Danke!
pos network | Mit dem neuen Tarif hab ich sogar im Keller Empfang. Das ist mehr, als ich erwartet hab.
pos returns | Hab meine Bestellung aus Versehen doppelt bekommen, ihr habt mir ein Abholetikett geschickt, ohne dass ich drum bitten musste. Fair!
pos other | Der Gewinnspielpreis ist heute angekommen! Vielen Dank, ich freu mich riesig 🎉
pos product_quality | Die Socken sind so weich, ich will nie wieder andere tragen 😂
pos delivery | Alles heil angekommen, sogar die Gläser. Das war richtig gut verpackt.
pos appointment | Der Techniker hat mir noch Tipps gegeben, wo der Router am besten steht. Seitdem WLAN im ganzen Haus.
pos other | Euer Team auf Instagram ist so herzlich, macht Spaß, euch zu folgen 💛
pos product_quality | Die Laufschuhe sind wie auf Wolken. Ich hab sogar meine Bestzeit geknackt 🏃‍♀️
pos technical_fault | Meine Mutter hat ihr Handy mit eurer Anleitung ganz allein eingerichtet. Sie ist 79! Danke!
pos account | Passwort zurücksetzen hat sofort funktioniert, Mail war in Sekunden da. Läuft.
pos other | So muss Kundenservice sein. Freundlich, schnell, kompetent. Danke!
pos delivery | Pünktlicher als die Bahn, das muss man erst mal schaffen 😄
pos contract | Vertrag gekündigt und trotzdem wurde ich super nett verabschiedet. Vielleicht komm ich zurück 😉
pos product_quality | Schöner Schnitt, sitzt perfekt, und die Taschen sind tief genug fürs Handy. Endlich!
pos other | Kurze Rückmeldung: das Problem ist gelöst, alles läuft. Vielen Dank!

[other]
neu other | Guten Morgen zusammen ☀️
neu other | Wer schaut heute Abend das Spiel?
neu other | Test
neu other | Hallo?
neu other | ?!
pos other | 😂😂😂
neu other | Oh sorry, falscher Chat
neu other | @lisa_m guck mal
pos other | Mein Hund hat heute Geburtstag 🐶🎂
neu other | Wie wird das Wetter am Wochenende in Hamburg?
neu other | ok
neu other | Ich bin's nochmal
pos other | Frohe Weihnachten an alle!
pos other | Schönes Wochenende euch 😊
neg other | Montag. Regen. Kein Kaffee. 😩
neu other | Weiß jemand, wann der Bus 42 heute fährt?
neu other | Bin gerade in der Bahn, melde mich später
neu other | Hab euren Post gerade erst gesehen
pos other | Haha der war gut 😂
neu other | Kann jemand ein gutes Restaurant in Mainz empfehlen?
neu other | hmm
neg other | Was für ein Tag. Ich will einfach nur ins Bett.
neu other | Ist das hier die richtige Gruppe für das Nachbarschaftsfest?
pos other | Tolles Foto! Wo ist das aufgenommen?
neu other | Ich hab das Gewinnspiel-Bild auch geteilt, wie geht's jetzt weiter?
neu other | Mein Name ist Klaus und ich sitze gerade im Wartezimmer.
neg other | Ich hasse Montage.
neu other | Wollte nur kurz testen ob die Nachricht ankommt
pos other | Guten Rutsch! 🎆
neu other | Wer von euch ist auch auf der Gamescom?
pos other | Mega Stimmung heute beim Stadtfest!
neu other | Was ist das für ein Song in eurem neuen Werbespot?
neu other | Äh, was?
neg other | Bei dem Wetter kann man echt nur drinnen bleiben 🌧️
pos other | Frohe Ostern 🐣
neu other | Meine Schwester arbeitet auch bei euch, kennt ihr sie? Marie aus dem Vertrieb
neu other | Moin
neu other | Wo wurde euer Werbespot gedreht? Sieht aus wie Lissabon.
neg other | Die Politik in diesem Land ist echt zum Verzweifeln.
pos other | Ich finde eure Werbung mit dem Hund so süß 🐕
neu other | Hat jemand ein Ladekabel übrig? Bin im Café am Markt 😅
neu other | Hallo, ich bin neu hier
neu other | Ich warte noch auf meinen Freund, der wollte sich das auch anschauen.
neg other | Mein Fußballverein hat schon wieder verloren. Traurig.
pos other | Endlich Feierabend 🎉
neu other | Sind hier auch Leute aus Dresden?
neu other | Kann man eure Posts irgendwie ausblenden
neu other | Hab aus Versehen auf Senden gedrückt
neu other | Wie spät ist es bei euch?
neg other | Mir ist so langweilig.
pos other | Ich liebe diesen Herbst 🍂
neu other | Kennt jemand den Film mit dem Typen aus eurer Werbung?
neu other | Lol was ist das für ein Beitrag
neu other | #Montagsmotivation
neu other | Erster!
neg other | Die Bahn hat wieder 40 Minuten Verspätung. Nicht euer Problem, ich weiß, musste nur raus.
pos other | Grüße aus dem sonnigen Mallorca 🌴
neu other | Wer hat den Kuchen auf dem Foto gebacken?
neu other | Ich überlege, ob ich heute Pizza oder Pasta mache.
neu other | Bitte ignorieren
pos other | Viel Erfolg bei eurem Firmenlauf morgen! 🏃
neu other | Ist das ein Bot?
neg other | Schon wieder Stau auf der A3. Jeden Tag das gleiche.
neu other | Wo ist der nächste Briefkasten hier am Bahnhof?
neg other | Mal sehen, wie lange das hier dauert.
pos other | Haha, das Meme in eurer Story ist genial
neu other | Spricht hier jemand Türkisch?
neu other | Wusste gar nicht, dass ihr auch bei Instagram seid.
neu other | Mir ist aufgefallen, dass ihr euer Profilbild geändert habt.
neg other | Die Nachbarn bohren seit 7 Uhr. Ich dreh durch.
pos other | Schönen Freitag! 🥳
neu other | Wer war gestern beim Konzert in der Arena?
neu other | Hallo zusammen, ich bin Jonas aus Bremen
neu other | Was heißt eigentlich Telvana?
neu other | Ich such meinen Schlüssel schon den ganzen Morgen, falls ihn jemand sieht 😅
neu other | Ich hab euren Beitrag aus Versehen geliked, sorry
neg other | Bin seit 5 Uhr wach und das Baby schläft immer noch nicht 😵
pos other | Ich hab heute meine Führerscheinprüfung bestanden!!! 🚗🎉
neu other | Kommt eure Weihnachtsfeier wieder ins Fernsehen? 😄
neu other | Welche Serie guckt ihr gerade so?
neg other | Mein Zug ist ausgefallen und jetzt sitz ich hier am Bahnhof fest. Nicht euer Problem, nur frustriert.
neu other | Kann jemand mal meinen Beitrag teilen? Wir suchen unsere entlaufene Katze in Bochum-Langendreer.
neu other | Ich frag für einen Freund
pos other | Was für ein schöner Sonnenuntergang heute 🌅
neu other | Läuft hier gerade eine Umfrage oder so?
neg other | Meine Steuererklärung macht mich fertig.
neu other | Wer kennt sich mit Sauerteig aus?
neu other | Ich glaube, ich hab mich in der Seite geirrt
neg other | Heute ist einfach nicht mein Tag. Erst Kaffee verschüttet, dann Bus verpasst.
pos other | Freu mich so auf den Urlaub nächste Woche 🏖️
neu other | Was war das für ein Knall gerade in Altona?
neu other | Bin gleich wieder da
neg other | Ich hab Kopfschmerzen und keine Lust auf gar nichts.
neu other | Wie heißt nochmal der Laden neben eurer Filiale am Markt?
pos other | Glückwunsch zum Firmenjubiläum, 25 Jahre sind schon was!
neu other | Kann man hier auch Bilder schicken?
neu other | Ich verstehe den Post nicht ganz, worum geht's?
neg other | Die Preise im Supermarkt sind echt nicht mehr normal. Butter für 3 €!
neu other | Hab euren Stand auf der Messe gesehen
pos other | Der Hund in eurer Story ist so süß, wie heißt er? 😍
neu other | Kennt jemand einen guten Zahnarzt in Kassel?
neg other | Schon wieder 35 Grad. Ich schmelze.
neu other | Bin gerade erst aufgewacht, was hab ich verpasst?
neu other | Schreibt ihr die Posts eigentlich selbst?
neu other | Hat jemand mitbekommen, ob der Weihnachtsmarkt dieses Jahr schon am Montag öffnet?
neg other | Meine Katze hat mein Handy vom Tisch geworfen. Display hat überlebt, mein Nervenkostüm nicht.
pos other | Gerade Oma angerufen, sie wird heute 90 🥳
neu other | Ich lese hier nur mit
neu other | Welcher Tag ist heute eigentlich? Hab im Urlaub den Überblick verloren
neg other | Mein Nachbar mäht schon wieder Rasen, an einem Sonntag um 8 Uhr.
neu other | Kennt jemand eine gute Autowerkstatt in Bielefeld?
pos other | Kuchen ist im Ofen, Sonntag kann kommen 🍰
neu other | War das gerade ein Erdbeben oder bild ich mir das ein?
neu other | Keine Ahnung, warum ich das hier poste
neg other | Heute hat's den ganzen Tag geregnet. Ich will Sommer.
neu other | Wie alt ist eigentlich euer Maskottchen?
pos other | Ich liebe eure Weihnachtswerbung jedes Jahr 🎄
neu other | Wer war das auf dem Foto, euer Chef?
neu other | Das Bild lädt bei mir nicht
neg other | Die Baustelle vor meinem Haus nervt einfach nur.
neu other | Wohne jetzt auch in Hamburg, vorher Stuttgart
pos other | Heute ist Weltkatzentag, also hier ein Foto von meinem Kater 🐈
neu other | Kann jemand ein gutes Buch empfehlen?
neu other | Auch mal hallo sagen
neg other | Warum ist Montag eigentlich immer so anstrengend
neu other | Wusstet ihr, dass heute Tag des Apfels ist? 🍎
neu other | Meine Tante hat mich gebeten, euch zu folgen, also hier bin ich
pos other | Fühl mich heute einfach gut ☀️
neu other | Was ist eigentlich aus dem alten Logo geworden?
"""
