# ruff: noqa: E501, RUF001
"""Hand-written German base messages that are hard on purpose (format: see `seeds_de.py`).

Negation both ways ("nicht zufrieden", "kein einziges Problem"), praise that turns at "aber",
irony, intensifiers, very short texts, rants that are not about the brand, and the borderlines
between complaint and crisis, question and lead, compliment and other. Written for this corpus
like the other seeds; none is copied from a public data set or website.
"""

LANGUAGE = "de"

SEEDS = r"""
[complaint]
neg other | Nicht gut, Telvana. Gar nicht gut.
neg technical_fault | Bin echt nicht zufrieden. Router zum zweiten Mal getauscht und das WLAN ist immer noch nicht stabil.
neg other | Euer Support war leider überhaupt nicht hilfreich. Drei Mal erklärt, drei verschiedene Antworten.
neg product_quality | Die neue Winterjacke ist nicht warm, nicht wasserdicht und nicht billig. Was genau soll daran gut sein?
neg delivery | Danke für nichts, @kaufwerk. Paket liegt seit Tagen im Verteilzentrum und keiner fühlt sich zuständig.
neg account | Die App ist echt keine Hilfe. Jedes Mal, wenn ich was ändern will, fliege ich raus.
neg network | Schnelles Internet? Nicht bei mir. 16 statt 100 Mbit, jeden Abend.
neg other | Gefällt mir gar nicht, wie ihr mit Bestandskunden umgeht. Neukunden kriegen alles, wir nix.
neg delivery | nich mal ne versandbestätigung bekommen, geschweige denn das paket
neg product_quality | Kein gutes Gefühl bei dem Mixer. Schon beim ersten Mal hat er komisch gerochen und jetzt läuft er nicht mehr an.
neg billing +question | Wieso zahle ich eigentlich noch die volle Grundgebühr, wenn das Internet seit zwei Wochen nicht funktioniert?
neg technical_fault | Mega enttäuscht. Der neue Receiver startet ständig neu und der Support sagt nur "abwarten".
neg returns | Total genervt: Rücksendung angeblich nicht angekommen, obwohl ich den Einlieferungsbeleg habe.
neg contract | Ihr nennt das "kundenfreundlich", ich nenne das Abzocke. Verlängerung ohne Rückfrage.
neg network | Wie immer: Sobald es regnet, ist das Netz weg. Zuverlässig ist nur die Störung.
neg other | Nee, so nicht. Ich warte seit 40 Minuten in der Warteschleife.
neg product_quality | Schöne Farbe, aber nach dem ersten Waschen war der Pulli zwei Nummern kleiner. Schade ums Geld.
neg appointment | Techniker war pünktlich, immerhin. Nur hat er das Problem nicht gelöst und ist nach 10 Minuten wieder gefahren.
neg delivery | Dass die Lieferung nicht zum zugesagten Termin kommt, bin ich ja gewohnt. Dass sie gar nicht kommt, ist neu.
neg other | Nie wieder Kaufwerk. Einmal und nie wieder.
neg billing | Schon wieder eine Rechnung, die ich nicht nachvollziehen kann. Langsam hab ich keine Lust mehr.
neg account | Passwort zurücksetzen geht nicht, Hotline ist nicht erreichbar, Chat antwortet nicht. Toll.
neg product_quality | Nicht das, was auf den Bildern zu sehen war. Stoff dünn, Nähte schief.
neu returns +question | Der gelieferte Staubsauger hat eine Delle im Gehäuse. Wie soll ich bei der Reklamation vorgehen?
neu delivery | Bei meiner Bestellung fehlt das Netzteil. Bitte schicken Sie es nach.
neu billing | Auf der Rechnung vom Mai ist die Gutschrift für die Störung nicht berücksichtigt. Bitte korrigieren.
neg technical_fault | Festnetz geht wieder nicht. Zum dritten Mal in diesem Monat. Ich kann's echt nicht mehr hören, dass "gerade daran gearbeitet wird".
neg network | Nicht mal im Erdgeschoss Empfang. Und das in der Innenstadt.
neg other | Eure Antwort hier war komplett an meiner Frage vorbei. Hat jemand den Text überhaupt gelesen?
neg delivery | Gar nicht witzig, wenn das Geburtstagsgeschenk erst nach dem Geburtstag kommt. Danke auch.
neg product_quality | Akku hält keinen halben Tag. Für ein neues Handy echt schwach.
neg contract | Kündigung bestätigt, trotzdem kommt weiter eine Rechnung. Ich fühle mich verarscht.
neg account | Warum muss ich mich jedes Mal neu einloggen? Das nervt so unfassbar.
neg other | Ihr habt wirklich keinen Plan, oder?
neg delivery | Lieferzeit 2–3 Tage. Haha. Guter Witz. Tag 11.
neg product_quality | Die "Premium"-Kopfhörer rauschen schon ab halber Lautstärke. Premium ist anders.

[compliment]
pos technical_fault | Seit dem Routertausch kein einziger Abbruch mehr. Danke an den Techniker!
pos delivery | Keine Verspätung, keine Beschädigung, keine Diskussion. So einfach kann Onlineshopping sein.
pos other | Ich hatte echt keine Erwartungen an die Hotline, aber die Frau war unfassbar nett und hat alles gelöst.
pos product_quality | Nicht billig, aber jeden Cent wert. Die Schuhe trage ich jeden Tag.
pos network | Nie Probleme mit dem Netz, auch nicht auf dem Land. Bin seit Jahren zufrieden.
pos returns | Umtausch ohne Probleme und ohne Rückfragen. Gerne wieder.
pos other | Top! 👍
pos other | Gar nicht mal so übel, euer neuer Chat.
pos billing | Hätte nicht gedacht, dass eine Rechnungskorrektur so schnell geht. Respekt!
pos account | Die neue App ist nicht nur hübsch, sondern auch richtig schnell.
pos product_quality | Null Probleme mit der Waschmaschine seit zwei Jahren. Klare Kaufempfehlung.
pos delivery | Paket kam trotz Streik pünktlich an. Keine Ahnung wie ihr das macht, aber danke!
pos other | Kann mich nicht beschweren, wirklich nicht. Alles lief glatt.
pos technical_fault | Kein Stress, kein Warten, einfach gelöst. So muss Support.
pos other | Erst war ich skeptisch, aber die Beratung im Shop hat mich überzeugt. Danke an Herrn Yilmaz!
pos contract | Vertragswechsel ohne Unterbrechung, nicht mal eine Minute offline. Stark!
pos product_quality | Echt angenehm überrascht von der Qualität. Hätte ich für den Preis nicht erwartet.
pos other | Ihr seid einfach die Besten ❤️
pos delivery | Nicht nur schnell geliefert, sondern auch noch super verpackt. 😊
pos other | Hab mich lange nicht mehr so gut beraten gefühlt. Danke!
pos network | Endlich kein Funkloch mehr auf dem Weg zur Arbeit. Merkt man richtig.
pos other | Wollte mich nur mal bedanken, ihr habt mir heute echt den Tag gerettet.
pos product_quality | Die Matratze ist der Wahnsinn. Seit Wochen keine Rückenschmerzen mehr.
pos other | Nie hätte ich gedacht, dass ich mal einen Callcenter lobe. Aber: danke, Jonas!
pos returns | Erstattung schon am nächsten Tag. Da kann man echt nicht meckern.
pos other | 10 von 10, würde wieder bestellen.
pos technical_fault | Danke, dass ihr euch so viel Zeit genommen habt. Läuft jetzt alles wieder einwandfrei.

[other]
neg other | Nicht gut drauf heute. Einfach so ein Tag.
neg other | Warum ist der Zug eigentlich nie pünktlich? Jeden Morgen das gleiche Theater.
neg other | Der neue Film ist echt nicht gut. Zwei Stunden meines Lebens weg.
neg other | Mein Handy ist mir gerade in den See gefallen. Selbst schuld 😩
pos other | Endlich Wochenende 🎉
neu other | Wer hat mein Ladekabel gesehen?
neu other | Ok, verstanden.
neg other | Ich mag keinen Winter. Zu kalt, zu dunkel.
pos other | Schöne Grüße aus dem Urlaub in Kroatien 🌊
neu other | .
neu other | Sorry, das war für jemand anderen gedacht.
neg other | Die Baustelle vor meinem Haus macht mich wahnsinnig.
pos other | Gutes neues Jahr euch allen! 🥂
neu other | Wann fängt eigentlich die Sommerzeit an?
neg other | Kein Bock auf Montag.
neu other | Hab ich was verpasst?
pos other | Was für ein geiles Spiel gestern!
neu other | Kennt jemand eine gute Werkstatt in Kiel?

[question]
neu contract | Ist die Rufnummernmitnahme nicht eigentlich kostenlos? Oder fällt da doch was an?
neu delivery | Kann ich das Paket nicht einfach in der Filiale abholen statt es liefern zu lassen?
neu account | Ich finde in der App nicht, wo man die PIN ändert. Wo ist das versteckt?
neu roaming | Funktioniert mein Datenvolumen in Großbritannien, oder ist das nicht mehr EU?
neu billing | Warum steht auf meiner Rechnung kein Name mehr, nur die Kundennummer?
pos technical_fault +compliment | Der neue Router ist echt super! Kann ich den auch selbst an die Wand schrauben?
neu returns | Geht Umtausch auch ohne Kassenbon, wenn ich mit Karte bezahlt habe?
neu payment | Wird die Lastschrift nicht automatisch eingezogen oder muss ich selbst überweisen?
neu appointment | Kann der Techniker auch samstags kommen? Unter der Woche bin ich nicht zuhause.
neu product_quality | Sind die Schuhe eher klein oder groß geschnitten?
neu account | Kann ich meine Tochter als zweite Nutzerin in mein Konto aufnehmen?
neu network | Gibt es bei euch WLAN-Calling? Im Keller habe ich keinen Empfang.
neu delivery | Wird an Feiertagen auch geliefert?
neu contract | Was passiert mit meinem Vertrag, wenn ich ins Ausland ziehe?

[crisis]
neg product_quality | Das Netzteil von eurem Laptop ist so heiß geworden, dass der Schreibtisch Brandflecken hat. Nicht auszudenken, wenn ich nicht da gewesen wäre.
neg account | Eure Mitarbeiterin hat meine Kontodaten am Telefon einer fremden Person vorgelesen. Das ist ein Datenschutzverstoß und geht an die Datenschutzbehörde.
neg other | Euer Werbeplakat am Bahnhof ist schlicht rassistisch. Die Bilder gehen gerade überall rum.
neg network | Notruf in der ganzen Region seit Stunden nicht erreichbar. Das ist keine Störung mehr, das ist lebensgefährlich.
neg contract +complaint | Zwei Jahre lang falsch abgerechnet, keine Reaktion auf fünf Beschwerden. Jetzt macht das mein Anwalt.
neg other | Ein Reporter vom NDR hat mich wegen eurer Inkasso-Briefe angerufen. Ich habe zugesagt.
neg product_quality | Im Babybrei-Wärmer aus eurem Shop ist ein Kabel geschmolzen. Das Zimmer war voller Rauch.
neg account | Über euren Chat kommt man mit Geburtsdatum und Name an fremde Kundenkonten ran. Ich habe es gerade selbst ausprobiert.
neg other | Mehr als 10.000 Leute haben die Petition gegen eure Filialschließungen schon unterschrieben. Morgen ist Demo vor der Zentrale.

[untruth]
neg network | Telvana baut heimlich Überwachungskameras in die neuen 5G-Masten ein. Ein Bekannter hat Fotos davon.
neu billing | Habt ihr auch gehört, dass ab Herbst das Festnetz bei Telvana komplett kostenpflichtig wird, auch für Flatrate-Kunden?
pos other | Kaufwerk verschenkt zum 20. Geburtstag an alle Kunden einen 50-€-Gutschein, einfach Kundennummer im Kommentar posten! 🎉
neg product_quality | Die Lumara-Jacken werden aus recycelten Plastiktüten aus Mülldeponien gemacht, deswegen riechen sie so. Weiß jeder in der Branche.
neg account | Telvana liest angeblich alle SMS mit, um Werbung zu verkaufen. Steht in den neuen Datenschutzbestimmungen, nur gut versteckt.
neu delivery | Kaufwerk liefert ab nächstem Monat nur noch an Packstationen, keine Haustür mehr. Hab ich von einem Fahrer.

[lead]
neg contract | Mein Vertrag bei der Konkurrenz läuft im März aus und ich bin nicht zufrieden. Was könnt ihr mir anbieten?
neu network,contract | Lohnt sich Glasfaser bei euch, wenn wir nur zu zweit sind und nicht viel streamen?
pos product_quality | Das Kleid aus eurer Herbstkollektion ist ein Traum. Gibt's das noch in 40? Würde es sofort bestellen.
neg contract | Hab die Nase voll von meinem jetzigen Anbieter, ständig Ausfälle. Wie schnell könnt ihr mich anschließen?
neu contract | Ich will nicht mehr als 20 € im Monat zahlen, brauche aber mindestens 20 GB. Was gibt's da bei euch?
neu product_quality | Habt ihr den Akku-Staubsauger aus der Werbung noch auf Lager? Dann hol ich ihn heute.
neu contract | Kann ich als Neukunde auch ohne Laufzeit abschließen?

[spam]
pos other | 💸 Ich zeige dir, wie du mit nur 10 Minuten am Tag 300 € verdienst. Schreib "JA" in die Kommentare!
neu account | Sehr geehrter Kaufwerk-Kunde, Ihr Konto läuft ab. Bitte verifizieren Sie es hier: kaufwerk-konto-check.info
pos other | Ich verlose 3 PlayStations unter allen, die mir folgen und diesen Post teilen 🎮🎮🎮
neu other | Günstige Sonnenbrillen, alle Marken, nur heute -90 %: sonnen-deal24.shop
"""
