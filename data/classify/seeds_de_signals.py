# ruff: noqa: E501, RUF001
"""Hand-written German base messages: crisis, untruth, lead and spam (format: see `seeds_de.py`)."""

LANGUAGE = "de"

SEEDS = r"""
[crisis]
neg account +complaint | Ich habe gerade eine Mail mit den Vertragsdaten eines fremden Kunden bekommen. Name, IBAN, Adresse, alles. Wie kann das sein @Telvana?!
neg account | Nach dem Login im Kundenportal sehe ich die Rechnungen von jemand anderem!!! Datenschutz?? Screenshot ist gemacht.
neg product_quality | Die Powerbank von euch ist in meiner Tasche explodiert. Verbrennungen an der Hand, Bilder folgen. @kaufwerk
neg technical_fault,product_quality | Euer Router hat heute Nacht angefangen zu brennen. Die Feuerwehr war da. Zum Glück waren wir noch wach.
neg product_quality | An der Babyrassel aus eurem Shop hat sich ein Kleinteil gelöst, mein Sohn hätte fast daran erstickt. Ruft das Ding sofort zurück!
neg other | #BoykottKaufwerk – wer seine Lagerarbeiter so behandelt, bekommt keinen Cent mehr von mir. Bitte teilen!
neg other +complaint | Ich habe die ganze Geschichte jetzt an die Verbraucherzentrale und an den Spiegel geschickt. Mal sehen, ob ihr dann reagiert.
neg contract +complaint | Mein Anwalt ist informiert. Sie hören von ihm.
neg other | Das Video von eurem Mitarbeiter, der die ältere Dame im Shop anschreit, hat schon 2 Millionen Aufrufe. Wann kommt endlich eine Stellungnahme?
neg network | Halb Berlin ohne Netz und ihr postet Gewinnspiele?! Notruf geht auch nicht!! #TelvanaStörung
neg network | Mein Vater hatte heute Nacht einen Herzinfarkt und ich konnte die 112 nicht anrufen, weil euer Netz weg war. Das wird Konsequenzen haben.
neg other | Rassistischer Spruch vom Filialleiter in Dortmund gegenüber meinem Mann. Ich habe alles gefilmt und das Video geht gerade rum.
neg other | Eure neue Werbekampagne ist sexistisch und widerlich. Ich bin nicht die Einzige, die das so sieht. #LumaraBoykott
neg account | Mein Kundenkonto wurde gehackt, jemand hat drei Smartphones auf meinen Namen bestellt. Gibt es bei euch überhaupt Sicherheitsabfragen?!
neg account,contract | Jemand hat im Shop mit einem gefälschten Ausweis eine Ersatz-SIM für meine Nummer bekommen und damit mein Bankkonto leergeräumt. Ich erstatte Anzeige gegen euch.
neg product_quality | Die Kinderschuhe aus eurem Shop haben laut Testbericht stark erhöhte Weichmacherwerte. Warum sind die immer noch im Verkauf?
neg appointment | Der Techniker hat in unserer Wohnung geraucht und meine 15-jährige Tochter angemacht. Ich will wissen, wen ihr da zu Kunden schickt.
neu network | Guten Tag, ich bin Redakteurin beim Neustädter Anzeiger und recherchiere zu den Netzausfällen der letzten Woche. An wen kann ich mich für eine Stellungnahme wenden?
neg network +complaint | Die Bundesnetzagentur ist eingeschaltet. Drei Wochen kein Anschluss, das lasse ich mir nicht mehr gefallen.
neg other | Euer Post über das Hochwasser ist an Geschmacklosigkeit nicht zu überbieten. Menschen haben alles verloren und ihr macht daraus Werbung. Löscht das!
neg other | 38 Grad in eurer Lagerhalle, Leute kippen um, und ihr macht Werbung mit dem Sommer-Sale. Wir streiken ab morgen. #Kaufwerk
neg account | In einem Hackerforum werden gerade angeblich 2 Mio. Telvana-Kundendatensätze angeboten, Screenshot anbei. Was sagt ihr dazu?
neg other +complaint | Wir organisieren eine Sammelklage wegen der Fake-Rabatte bei Kaufwerk. Bisher 800 Betroffene. Wer mitmachen will, meldet sich per DM.
neg product_quality | Das Ladekabel hat mir beim Einstecken einen Stromschlag verpasst und die Steckdose ist verschmort. Das hätte übel ausgehen können.
neg delivery | Euer Lieferwagen ist gerade mit mindestens 50 durch unsere Spielstraße gerast und hat fast ein Kind erwischt. Kennzeichen habe ich.
neg billing +complaint | Wenn ich bis morgen mein Geld nicht habe, stehe ich mit einem Kamerateam vor eurer Zentrale.
neg other +complaint | Ich habe 250.000 Follower und werde heute Abend live darüber berichten, wie ihr mit Kunden umgeht. Letzte Chance.
neg product_quality | Ausschlag am ganzen Körper nach dem Tragen des neuen Pullis. Der Hautarzt sagt, Kontaktallergie auf Farbstoffe. Was ist da drin?!
neg account | Seit heute bekommen offenbar tausende Kunden SMS mit eurem Absender und einem Phishing-Link. Wann warnt ihr eure Kunden endlich öffentlich?
neg network | Seit 14 Stunden kein Internet in ganz Nürnberg-Süd. Keine Info, keine Entschuldigung. Schämt euch!!!
neg network | Komplettausfall im ganzen Landkreis, Pflegedienste können nicht telefonieren, Hausnotrufe funktionieren nicht. Wer übernimmt dafür die Verantwortung?
neg other | Euer Filialmitarbeiter hat meine Tochter mit Kopftuch nicht bedient und rausgeschickt. Das ist Diskriminierung und das bleibt nicht ohne Folgen.
neg account | Hab bei euch ein gebrauchtes Handy gekauft und da sind noch alle Fotos, Chats und Bankdaten der Vorbesitzerin drauf. Wie geht ihr mit Daten um??
neg product_quality | Der Heizlüfter aus eurem Sortiment ist nach 10 Minuten geschmolzen und hat den Teppich angekokelt. Wie viele davon habt ihr verkauft?
neg other | An alle: Kauft nicht mehr bei Lumara! Die haben die Influencerin rausgeworfen, weil sie über ihre Schwangerschaft gesprochen hat. Sowas unterstützen wir nicht.
neg contract +complaint | Ich habe Strafanzeige wegen Betrugs erstattet. Ihr habt meiner 84-jährigen Mutter an der Haustür einen Vertrag aufgeschwatzt, den sie nicht versteht.
neg network | NOTRUF IN GANZ HAMBURG NICHT ERREICHBAR ÜBER TELVANA. Leute, ruft über Festnetz an oder geht zur Feuerwache!
neg account | Eure Kundenhotline hat einem Fremden meine neue Adresse gegeben. Ich bin vor meinem gewalttätigen Ex-Partner umgezogen. Ich habe Angst.
neg product_quality | Die Mikrowelle hat Funken gesprüht und es hat angefangen zu qualmen. Das Gerät ist zwei Wochen alt. Ich warne hiermit alle.
neg other | Die Story, in der euer Marketing sich über Rentner lustig macht, ist überall. Sowas von respektlos. Ich kündige und viele andere auch.
neg account | Datenleck bei Kaufwerk?! Seit meiner letzten Bestellung bekomme ich Spam mit meinem vollen Namen und meiner Bestellnummer. Meinen Freunden geht es genauso.
neg delivery | Der Paketbote hat meinen Hund getreten, als ich die Tür aufgemacht habe. Unsere Türkamera hat alles aufgenommen.
neg other +complaint | Ich gehe mit dem Fall jetzt zu "Wiso" und zur Bild-Zeitung. Vielleicht bewegt sich dann was.
neg network,technical_fault | Ganze Kleinstadt seit gestern ohne Festnetz und Internet, die Arztpraxen arbeiten mit Zettel und Stift. Und eure Hotline spielt Musik.
neg product_quality | Rückruf?! Das Babyphone sendet unverschlüsselt, unsere Nachbarn konnten unser Kinderzimmer hören. Das ist ein Sicherheitsproblem!
neg other | Gerade läuft auf TikTok ein Video, wie eure Leute Retouren in den Müll werfen, neue Ware! 3 Mio Views. Wie erklärt ihr das?
neu account | Hinweis an euer Sicherheitsteam: Eure API gibt bei falscher Kundennummer trotzdem Namen und Adressen zurück. Bitte dringend prüfen, ich veröffentliche das in 30 Tagen.
neg billing +complaint | Mahnbescheid über 2.000 € für einen Vertrag, den ich nie abgeschlossen habe. Ich habe eine Anwältin eingeschaltet und der Fall geht an die Presse.
neg other | Unfassbar: Euer Sicherheitsdienst hat einen Obdachlosen vor der Filiale zusammengeschlagen. Mehrere Zeugen, Polizei ist da.
neg product_quality | Das E-Bike-Akku aus eurem Shop hat in der Garage Feuer gefangen. Die Garage ist abgebrannt. Meine Versicherung meldet sich.
neg network | Massive Störung, seit heute Morgen funktioniert bundesweit kein mobiles Internet. Und kein einziges Wort von euch. Die Leute drehen durch. #Telvanaausfall
neg other | Wir sind über 300 Kundinnen und Kunden, die sich in einer Facebook-Gruppe gegen eure Preiserhöhung organisieren. Der WDR hat schon angefragt.
neg account | Ich bin gestalkt worden, weil ihr meine Handynummer im Adressbuch-Abgleich eurer App öffentlich gemacht habt. Wie konnte das passieren?
neg product_quality | Splitter im Glasgeschirr aus eurem Shop. Mein Mann hat sich den Mund aufgeschnitten. Krankenhaus. Ich erwarte eine Erklärung.
neg other | Die Aussage eures CEO im Interview über "faule Kunden" ist der Hammer. Hashtag ist auf Platz 1 der Trends. Wann entschuldigt er sich?
neg appointment | Der Techniker hat bei meinen Eltern Bargeld mitgenommen, das auf dem Tisch lag. Polizei ermittelt. Ich erwarte, dass ihr kooperiert.
neg network | Heute ist der dritte Tag ohne Netz hier im Ahrtal, wieder mal, und niemand von euch kommt. Wir haben einen Beitrag an den SWR geschickt.
neg account,billing | ACHTUNG: Eure Rechnungsmails wurden offenbar gefälscht, meine Oma hat 600 € an eine falsche IBAN überwiesen. Ich erwarte, dass ihr alle warnt!
neg other | Ich fordere alle auf, ihre Verträge bei Telvana zu kündigen, bis sie sich für die Entlassung der 400 Callcenter-Mitarbeiter entschuldigen. #TelvanaBoykott
neg product_quality | Kind hat den Knopfbatterie-Deckel von eurem Spielzeug aufbekommen und eine Batterie verschluckt. Wir sind in der Notaufnahme. Das ist lebensgefährlich!!
neg contract +complaint | Hiermit kündige ich fristlos und behalte mir rechtliche Schritte vor. Meine Rechtsschutzversicherung ist informiert.
neg network | Großflächiger Ausfall in Leipzig und Dresden, Krankenhäuser betroffen. Bitte endlich informieren, statt die Kommentare zu löschen!
neg account | Ich konnte mich heute Morgen mit meinen Daten in das Konto einer völlig fremden Person einloggen. Wie viele Konten sind betroffen???
neg other | Ein Sprecher von euch hat gesagt, die Opfer seien selbst schuld. Das geht gerade durch alle Medien. Ekelhaft.
neg product_quality | Mein Smartphone ist beim Laden aufgebläht und hat geraucht. Gerät stammt aus eurem Shop. Ich habe es fotografiert und an den Hersteller und die Zeitung geschickt.
neg delivery | Fahrer hat beim Rückwärtsfahren mein Auto gerammt und ist einfach weitergefahren. Kaufwerk-Logo am Transporter, Dashcam läuft.
neg other | Habt ihr euren eigenen Tweet gelesen? Das ist an Rassismus nicht zu überbieten. Die Screenshots sind schon überall.
neu other | Sehr geehrte Damen und Herren, im Auftrag meiner Mandantin fordere ich Sie auf, die Veröffentlichung ihrer Fotos in Ihrer Kampagne bis zum 15.05. zu unterlassen.
neg network | Schon wieder ein Totalausfall, das dritte Mal diesen Monat. Die ganze Stadt redet darüber und ihr schweigt. Peinlich.
neg technical_fault | Euer Router-Update hat bei uns und in der ganzen Nachbarschaft die Hausnotruf-Geräte lahmgelegt. Meine Nachbarin lag 6 Stunden hilflos in der Wohnung!
neg account | Ich arbeite bei einer Zeitung und mir liegen interne Dokumente vor, nach denen ihr von dem Datenleck seit Wochen wisst. Möchten Sie sich äußern?
neg product_quality | Im Kinderhochstuhl aus eurem Shop ist heute die Rückenlehne abgebrochen, meine Tochter ist rückwärts runtergefallen. Platzwunde. Das Ding darf nicht mehr verkauft werden!
neg account | Eure Rechnungs-PDFs sind öffentlich aufrufbar, man muss nur die Nummer in der URL ändern. Ich habe gerade die Rechnung eines Fremden gesehen.
neg other | Offener Brief an Kaufwerk: 120 Beschäftigte aus dem Lager Hannover werfen Ihnen Lohnbetrug vor. Wir haben die Presse informiert.
neg network | Seit 9 Stunden tot, kompletter Ausfall in der Region Kassel. Meine Mutter ist pflegebedürftig und der Notrufknopf geht nicht!!
neg other | Bin gespannt, was die Verbraucherzentrale zu eurer "Preisanpassung" sagt. Die Abmahnung läuft, über 2.000 Leute haben sich schon gemeldet.
neg product_quality | Der Akku-Rasenmäher hat beim Laden Feuer gefangen und den Schuppen abgefackelt. Das Foto geht gerade in unserer Stadtgruppe rum.
neg other | Euer Werbeplakat am Hauptbahnhof ist frauenfeindlich. Es gibt bereits eine Petition mit 15.000 Unterschriften. Nehmt es ab!
neg appointment | Ein angeblicher Telvana-Techniker war heute bei meiner Oma und hat 800 € für eine "Reparatur" kassiert. Wisst ihr davon??
neg account | ALLE AUFPASSEN: Telvana-Kundenkonten werden gerade massenhaft übernommen, bei mir und drei Kollegen wurden die Passwörter geändert.
neg product_quality | Das Kinderspielzeug aus eurer Eigenmarke hat scharfe Kanten, mein Sohn hat sich tief in den Finger geschnitten. Das Kinderkrankenhaus hat den Fall gemeldet.
neg other | Heute Abend berichtet "Markt" über Kaufwerk und die Retourenvernichtung. Ich war Mitarbeiterin und habe ausgesagt.
neu other | Guten Tag, ich bin Referentin im Landtag. Die Abgeordnete möchte wissen, wann der Netzausfall im Kreis behoben ist. Bitte um Rückruf.

[untruth]
neg account | Habt ihr gehört, dass Telvana alle Kundendaten an China verkauft? Unfassbar.
neg product_quality | Kaufwerk verkauft gefälschte Markensneaker, das weiß doch inzwischen jeder.
neg network | Telvana drosselt absichtlich das Internet, sobald man Netflix schaut. Ist bewiesen.
neg billing | Achtung!!! Ab nächstem Monat kostet bei Telvana jede WhatsApp-Nachricht 1 Cent. Bitte an alle weiterleiten!
neg network | Die neuen 5G-Masten von Telvana machen Kopfschmerzen, deshalb sind bei uns im Ort plötzlich alle krank.
neu other | Kaufwerk geht pleite, im Sommer machen alle Filialen zu. Schnell noch die Gutscheine einlösen.
neg product_quality | Bei Lumara nähen Kinder für 2 Cent die Stunde, hat mir eine Freundin erzählt. Die wissen das und machen trotzdem weiter.
neg account | Telvana hört eure Telefonate mit, das steht sogar in den AGB. Lest mal Absatz 12.
neg product_quality | Kaufwerk verkauft alle Rücksendungen einfach wieder als Neuware. Ausnahmslos. Was ihr da bekommt, hatte schon jemand anders.
neg contract | Wusstet ihr, dass man bei Telvana nach zwei Jahren automatisch in den teuersten Tarif gesteckt wird? Ist so.
neg other | Der Kaufwerk-Chef hat sich von euren Versandgebühren gerade eine Yacht gekauft. Kein Witz.
neu technical_fault | Telvana schaltet nächstes Jahr das komplette Festnetz ab, ohne Ersatz. Wer noch ein Festnetztelefon hat, hat dann Pech.
neg cancellation | Wer bei Telvana kündigt, landet automatisch auf einer schwarzen Liste bei der Schufa. Deshalb kündigt keiner.
neg other | Die Bewertungen bei Kaufwerk sind alle gekauft, echte negative werden sofort gelöscht.
neg product_quality | Die Sachen von Lumara sind billige Fernost-Ware mit neuem Etikett, 1:1 dasselbe für das Fünffache.
neg technical_fault | Die Telvana-Router haben eine Hintertür für den Geheimdienst. Stand gestern in meiner Telegram-Gruppe, die haben Beweise.
neu account +question | Angeblich sperrt Telvana nächste Woche alle Prepaid-Karten, die nicht neu registriert werden?
neu returns +question | Stimmt es, dass Kaufwerk ab Juli gar keine Retouren mehr annimmt? Hab ich in einer Gruppe gelesen.
neg other | Das Gewinnspiel von Telvana ist doch Fake. Die Gewinner sind immer Mitarbeiter, das weiß man.
neg product_quality | Kaufwerk benutzt giftige Farbstoffe, deshalb sind die Shirts so billig. Hat ein Chemiker auf TikTok erklärt.
neu other | Alle Telvana-Shops in Bayern werden bis Jahresende geschlossen und die Leute entlassen. Hab ich von einem Insider.
neg account | Telvana verkauft eure Standortdaten an die Versicherungen, deswegen steigen bei allen die Beiträge.
neg network | Die "Glasfaser" von Telvana ist in Wahrheit nur umgelabeltes Kupferkabel. Die verarschen euch alle.
neg payment | Kaufwerk speichert Kreditkartendaten im Klartext. Deshalb wurden schon drei Leute aus meinem Bekanntenkreis abgezockt.
neg delivery | Die Kaufwerk-Fahrer dürfen keine Pause machen und kriegen Geld abgezogen, wenn ein Paket zu spät kommt. Deshalb rasen die so.
pos other | Telvana verschenkt zum 25. Jubiläum allen Kunden 100 GB!! Einfach in der App "JUBI25" eingeben 🥳
pos payment | Leute, bei Kaufwerk gibt es ab Montag auf alles 70%, das wurde intern schon bestätigt! 🎉
neg billing | Telvana berechnet heimlich jeden verpassten Anruf mit 9 Cent. Schaut mal auf eure Einzelverbindungsnachweise.
neg product_quality | In den Kaufwerk-Handys sind absichtlich schlechtere Akkus verbaut als in denselben Modellen im Elektromarkt.
neg other | Kaufwerk gehört in Wahrheit einem russischen Oligarchen. Mit jeder Bestellung finanziert ihr den Krieg.
neg network | Das Netz fällt nachts bei Telvana ständig aus, weil sie dann heimlich eure Daten auslesen.
neg account | Die Telvana-App liest alle eure Chats mit. Deshalb will sie Zugriff auf die Kontakte.
neu network | Gerüchten zufolge wird Telvana von der Konkurrenz übernommen und alle Verträge werden gekündigt.
neg returns | Bei Kaufwerk wird man nach drei Rücksendungen lebenslang gesperrt. Passiert gerade vielen.
neg product_quality | Lumara verwendet Pelz von Hunden und Katzen in den Kapuzen. Ist nachgewiesen, googelt mal.
neg billing | Die angeblich kostenlose Hotline von Telvana kostet in Wahrheit 2 € pro Minute. Steht ganz klein im Impressum.
neg other | Telvana hat die Preise nur erhöht, um die Boni der Manager zu bezahlen. Steht so in einer internen Mail, die rumgeht.
neu technical_fault | Ab 2026 funktionieren Telvana-SIM-Karten angeblich nur noch in Handys, die bei Telvana gekauft wurden.
neg product_quality | Die Bio-Baumwolle bei Lumara ist gar keine, das ist alles Polyester mit grünem Label. Weiß jeder in der Branche.
neg network | Telvana hat das Netz bei uns absichtlich verschlechtert, damit die Leute auf die teurere 5G-Option umsteigen.
neg account | Nicht mehr bei Kaufwerk bestellen: die verkaufen eure Adressen an Inkassofirmen!
neg billing | Jeder, der bei Telvana per Lastschrift zahlt, wird doppelt abgebucht, das ist Masche. Kontrolliert eure Konten!
pos product_quality | Das neue Lumara-Parfum ist angeblich dasselbe wie Chanel No. 5, nur in anderer Flasche. Deshalb sofort ausverkauft 😍
neg other | Die Kaufwerk-Filialen sind nur eine Fassade für Geldwäsche. Ein Bekannter vom Zoll hat das erzählt.
neu roaming | Ab dem 1. Juni gibt es bei Telvana kein EU-Roaming mehr. Die EU-Regelung gilt für die nicht.
neg product_quality | Die Handyhüllen von Kaufwerk enthalten Asbest. Das wurde schon vor Jahren nachgewiesen und alle schweigen.
neg contract | Achtung Telvana-Kunden: Wer die neue AGB-Mail nicht beantwortet, stimmt automatisch einem teureren Vertrag zu! Bitte teilt das.
neg account | Hab gelesen, dass Telvana-Mitarbeiter eure SMS lesen können, wann sie wollen. Schönen Gruß an den Datenschutz.
neg delivery | Kaufwerk lässt Pakete absichtlich länger liegen, damit man Premium-Versand bucht. Das ist deren Geschäftsmodell.
neu other | Telvana wird umbenannt und dabei laufen alle Rufnummern aus. Kam heute im Radio.
neg product_quality | Die Kaufwerk-Eigenmarke ist umgelabelter Elektroschrott aus Rückrufaktionen anderer Hersteller.
neg network | 5G von Telvana ist für das Bienensterben in unserer Region verantwortlich. Die Imker haben Beweise.
pos other | Hab gehört, jeder der heute den Kaufwerk-Post teilt, bekommt einen 50 € Gutschein! Los, teilen!! 🙌
neg other | Telvana zahlt in Deutschland keinen Cent Steuern, alles läuft über Briefkastenfirmen in der Karibik.
neg product_quality | Die Lumara-Jeans werden mit Chemikalien behandelt, die in der EU verboten sind. Deshalb riechen sie so.
neg billing | Alle Kunden mit Altverträgen werden ab Herbst um 50% teurer. Das hat Telvana schon beschlossen, wird nur noch nicht gesagt.
neg account | Kaufwerk hat ein Datenleck seit Jahren vertuscht. Jeder, der dort bestellt hat, ist betroffen.
neu appointment | Telvana-Techniker dürfen ab sofort ohne Termin in eure Wohnung, wenn ihr Glasfaser habt. Steht im Vertrag.
neg other | Die Kaufwerk-Werbung mit dem Hund ist geklaut, der Hund ist beim Dreh gestorben. Deshalb sieht man ihn nicht mehr.
neg network | Telvana schaltet in Ostdeutschland schlechtere Frequenzen als im Westen. Absicht, nachweislich.
neg returns | Bei Lumara wird jede Retoure verbrannt, auch neue Ware. Tonnenweise. Schämt euch!
neu contract +question | Stimmt es, dass Telvana ab 2025 nur noch Verträge mit 36 Monaten Laufzeit anbietet? Das hat mir ein Verkäufer gesagt.
neg product_quality | Die Telvana-Router strahlen stärker als erlaubt. Deshalb kann man schlecht schlafen, wenn der im Schlafzimmer steht.
neg payment | Wer bei Kaufwerk mit Klarna bezahlt, zahlt heimlich 15% Aufschlag. Rechnet mal nach.
neg account | Kaufwerk macht heimlich Fotos über die Handykamera, wenn man die App öffnet. Wurde in einem Forum nachgewiesen.
neg other | Eure Mitarbeiter im Callcenter sitzen alle im Gefängnis, das sind Häftlinge die für 1 € die Stunde arbeiten.
pos billing | Gute Nachricht: Telvana erstattet allen Kunden die Grundgebühr für Mai wegen der Störung, muss man nicht mal beantragen! 🥳
neg other | Lumara unterstützt mit den Gewinnen radikale Gruppen. Deshalb haben die so viel Geld für Werbung.
neg network | Telvana kann über die Glasfaser sehen, was ihr im Netz macht, auch mit VPN. Das hat ein Ex-Mitarbeiter bestätigt.
neg product_quality | Die Kaufwerk-Bettdecken sind mit Insektengift behandelt. Ich hab das von einer Mutter in der Kita gehört, ihr Kind hatte danach Ausschlag.
neg network | Telvana schaltet abends absichtlich die Geschwindigkeit runter, damit die Leute das teure Paket buchen. Weiß jeder Techniker.
neu other | Kaufwerk wird nächsten Monat von einem chinesischen Konzern übernommen, alle Kundenkonten werden gelöscht.
neg product_quality | Die Eigenmarke von Kaufwerk wird im selben Werk produziert wie die Ramschware vom Wochenmarkt. Habe ich aus sicherer Quelle.
neg account | Telvana sammelt eure Fingerabdrücke über die App und gibt sie an die Polizei weiter.
pos billing | Telvana erlässt allen Rentnern ab sofort die Grundgebühr!! Einfach im Shop den Ausweis zeigen 😊
neg other | Die Lumara-Models sind alle mit KI erstellt, damit sie keine echten Frauen bezahlen müssen. Die Kleider gibt's so gar nicht.
neg delivery | Kaufwerk öffnet eure Pakete vor dem Versand und nimmt Sachen raus, darum fehlt immer was.
neu roaming | Ich hab gelesen, Telvana berechnet ab Juli im EU-Ausland wieder Roaming, trotz EU-Gesetz.
neg billing | Jeder, der bei Telvana anruft, zahlt für die Warteschleife, deshalb lassen die euch so lange warten.
neg returns | Kaufwerk verkauft eure Rücksendedaten an Werbefirmen, deswegen bekommt ihr danach so viel Werbung.
neg product_quality | In Lumara-Jeans sind Mikrochips eingenäht, damit die sehen, wo ihr hingeht. Das hat ein Schneider entdeckt!
neg network | Telvana-Kunden in Ostfriesland bekommen absichtlich schlechteres Netz, weil sich das da nicht lohnt. Steht in einem internen Papier.

[lead]
neu contract | Suche einen neuen Handyvertrag mit mindestens 30 GB, was könnt ihr mir anbieten?
neu network,contract | Überlege zu euch zu wechseln. Wie schnell ist Glasfaser in 80331 München?
neu contract | Welcher Tarif lohnt sich für eine Familie mit drei Kindern, die alle ein Handy wollen?
pos product_quality | Wann kommt das neue Galaxy bei euch? Will vorbestellen!
pos contract | Hab den Tarif mit 50 GB für 20 € gesehen. Gilt das auch für Bestandskunden? Dann verlänger ich sofort.
pos product_quality | Gibt es das Sofa auch in Grau? Würde es sofort bestellen 😍
neu contract | Ich brauche für unser Büro 12 Geschäftshandys mit Vertrag. Wer kann mich da beraten?
neu contract,network | Was kostet bei euch der Umstieg von DSL auf Glasfaser?
neu payment | Gibt es den 65-Zoll-Fernseher auch mit Ratenzahlung? Dann nehm ich ihn.
pos other | Ist der Black-Friday-Deal schon online? Ich warte mit dem Laptopkauf extra auf euch.
neu contract | Mein Vertrag bei der Konkurrenz läuft im Mai aus. Was habt ihr aktuell im Angebot?
neg contract,network | Bin so genervt von meinem jetzigen Anbieter. Schreibt mir mal euer bestes Glasfaser-Angebot für Köln-Nippes.
neu contract | Könnt ihr mir die Preise für den Geschäftskundentarif per DM schicken?
pos product_quality | Habt ihr die Winterjacke aus der Werbung noch in M? Die will ich unbedingt haben!
neu other | Ich will meiner Tochter zur Konfirmation ein Handy schenken. Welches ist gut und nicht zu teuer?
neu contract | Lohnt sich das Sport-Paket, wenn ich hauptsächlich Bundesliga schaue? Überlege, es zu buchen.
neu contract | Was kostet ein Zweitvertrag für meine Frau zusätzlich?
pos other | Hab einen Gutschein zum Geburtstag bekommen 😊 was würdet ihr mir empfehlen, eher Kopfhörer oder Smartwatch?
neu product_quality | Kann ich das Tablet auch ohne Vertrag bei euch kaufen?
pos contract | Wenn ihr beim Preis noch 5 € runtergeht, unterschreib ich heute noch 😄
neu contract,appointment | Neue Wohnung ab 1.8., brauche Internet. Könnt ihr bis dahin schalten? Dann bestell ich jetzt.
neu product_quality | Welche Powerbank empfehlt ihr fürs Festival? Möchte heute noch bestellen.
neu contract | Bietet ihr auch reine Datentarife für ein Tablet an? Suche was mit 20 GB.
neu roaming,contract | Ich bin beruflich oft in der Schweiz und in den USA. Welcher Tarif passt da am besten? Möchte wechseln.
pos product_quality | Die Lederjacke aus dem Newsletter ist ein Traum. Kommt die nochmal rein? Ich würde direkt zuschlagen.
neu contract | Gibt es bei euch einen Studententarif? Ich fange im Oktober an zu studieren und brauche einen neuen Vertrag.
neu network,contract | Wir bauen gerade ein Haus in 21423 Winsen. Kann man bei euch schon Glasfaser vorbestellen?
neu contract | Was kostet das Upgrade von 100 auf 250 Mbit? Würde gerne hochstufen.
neu product_quality | Habt ihr die Kaffeemaschine aus dem Test auch vorrätig? Suche schon länger eine gute.
pos other | Euer Angebot mit dem Kinder-Tarif klingt super. Wie kann ich den für meinen Sohn abschließen?
neu contract | Hallo, ich interessiere mich für den Festnetz-Tarif für meine Eltern. Gibt es den ohne Internet?
neu product_quality | Gibt es die Sneaker in 46? Online steht ausverkauft, ich würde sie aber gern kaufen.
neu contract | Brauche eine Prepaid-Karte für meinen Besuch aus Brasilien, 3 Wochen. Was empfehlt ihr?
neg contract | Mein aktueller Anbieter hat schon wieder die Preise erhöht. Bei euch gibt's doch die Wechselprämie, oder? Wie läuft das?
neu other | Wie viel kostet ein Smartphone mit guter Kamera bei euch so um die 400 €? Suche eins für Urlaubsfotos.
pos contract | Meine Freundin ist total zufrieden mit euch, ich will jetzt auch wechseln. Wo fange ich an?
neu contract | Kann ich den Glasfaser-Tarif online abschließen oder muss ich in den Shop?
neu product_quality | Ist das Gaming-Notebook mit 32 GB RAM wieder lieferbar? Will es mir kaufen.
neu contract | Was wäre euer günstigster Tarif mit unbegrenzt Daten? Rein für's Handy, kein Festnetz.
neu contract,other | Wir eröffnen im Juni eine Praxis mit 5 Arbeitsplätzen. Wir brauchen Telefonanlage und Internet. Wer berät uns?
pos product_quality | Das Kleid, das ihr gestern gepostet habt! Wo kann ich das bestellen? 😍😍
neu contract | Kann man bei euch Handy und Vertrag auch getrennt kaufen?
neu payment | Gibt es bei euch 0%-Finanzierung für Waschmaschinen? Unsere ist gestern kaputt gegangen, wir brauchen schnell eine neue.
neu contract | Habt ihr was für Senioren? Einfaches Handy, kleiner Tarif, für meinen Opa.
pos other | Ich liebe eure Herbstkollektion! Wann gibt es die in den Filialen? Ich will unbedingt den Mantel anprobieren.
neu contract | Welche Mindestlaufzeit hat der neue Flex-Tarif? Überlege, ihn zu nehmen.
neu network,contract | Gibt es bei euch einen Tarif mit garantierter Bandbreite für Streamer? Ich brauch mind. 50 Mbit Upload.
neu contract | Was kostet ein TV-Paket mit Sky-Sendern dazu? Bin ernsthaft interessiert.
neu product_quality | Sucht gerade jemand bei euch nen neuen Fernseher? Spaß, ich such einen 😄 was ist eure Empfehlung bis 800 €?
neu contract | Ich bin Neukunde und möchte Internet + TV kombinieren. Gibt es da einen Bundle-Rabatt?
neu other | Macht ihr auch Firmenrabatte? Wir bräuchten 30 Laptops für unsere Mitarbeitenden.
pos contract | Hab gerade euren Sommer-Deal gesehen, 20 € Rabatt ein Jahr lang, genial! Wie lange läuft das noch?
neu product_quality | Wie groß fallen die Winterstiefel aus? Will sie für meinen Sohn bestellen.
neu contract | Ich ziehe nach Deutschland und brauche einen Handyvertrag ohne Schufa. Geht das bei euch?
neu contract | Wie viel kostet es, wenn ich zu meinem Vertrag eine Smartwatch mit eSIM dazu nehme?
neg contract | Mein Internet beim anderen Anbieter ist eine Katastrophe. Wie schnell könnt ihr mich anschließen, wenn ich heute bestelle?
neu product_quality | Hallo, ich suche ein Geschenk für meinen Mann, er mag Technik. Budget 150 €. Habt ihr Ideen?
pos product_quality | Die Kopfhörer meiner Kollegin sind genial. Gibt es die bei euch auch in Weiß? Dann bestelle ich gleich 2.
neu contract | Hallo, lohnt sich bei 4 Personen im Haushalt eher eine Familienflat oder Einzelverträge? Wir wollen alle zu euch.
neu contract | Gibt es bei euch einen Tarif nur fürs Telefonieren, ohne Internet? Für meine Mutter.
neu payment | Kann ich im Shop auch mit Gutschein und Rest per Karte zahlen? Möchte mir die Kamera holen.
neu other | Wann startet euer Sale? Ich will mir endlich einen neuen Staubsauger gönnen.
pos contract | Ich bin nach 10 Jahren bei der Konkurrenz endlich bereit für was Neues 😅 schickt mir gern eure Angebote!
neu contract | Gibt es einen Rabatt, wenn ich Mobilfunk und Festnetz bei euch zusammenlege?
neu network,contract | Ist in der Hauptstraße 12 in Freiburg schon 1 Gbit möglich? Würde dann sofort buchen.
neu product_quality | Ich brauche bis Freitag einen Laptop für die Uni. Was habt ihr da, was schnell lieferbar ist?
pos product_quality | Ist die Limited Edition von den Sneakern noch zu haben? Hab die Story gesehen und muss die haben 🔥
neu contract | Könnte ich bei euch meine Rufnummer mitnehmen, wenn ich zu euch wechsle?
neu product_quality | Welche Waschmaschine würdet ihr für einen 2-Personen-Haushalt empfehlen? Möchte diese Woche kaufen.
neu contract | Habt ihr Business-Tarife mit fester IP-Adresse? Brauche das für mein Büro.
pos other | Eure Geschenkgutscheine sind perfekt für Weihnachten. Kann man die auch mit Wunschbetrag kaufen?
neu contract | Was würde mich ein Vertrag mit dem neuen iPhone und 40 GB im Monat kosten?
neu network,contract | Kann ich bei euch nur Internet ohne Telefon buchen? Ziehe nächsten Monat um.
pos product_quality | Die Bettwäsche aus eurem Post ist so schön! Gibt's die auch für 155x220? Dann bestell ich zwei Sets.
neu contract | Gibt es bei euch noch den Tarif mit der Netflix-Option? Würde den gern abschließen.
neu contract | Bin Selbstständig und suche einen Tarif mit Laptop und Handy zusammen. Was habt ihr?
neg contract | Ich hab die Schnauze voll von meinem Kabelanbieter. Was kostet bei euch DSL mit 100 Mbit?
neu product_quality | Welche Spiegelreflexkamera würdet ihr für Anfänger empfehlen? Will mir eine kaufen.
pos other | Ich möchte meiner Mama zum 60. was Schönes schenken, vielleicht einen Mantel? Habt ihr Vorschläge? 🥰
neu contract | Wenn ich jetzt wechsle, bekomme ich dann noch den Neukundenrabatt?
neu contract | Habt ihr auch Tarife für Smartwatches allein, ohne Handy? Interessiert mich für meinen Sohn.
neu payment | Kann man bei euch auf Rechnung kaufen? Würde gerne einen Kühlschrank bestellen.
neu contract | Was kostet die Kombi aus Glasfaser und TV für Neukunden im ersten Jahr?
neu product_quality | Ich suche Laufschuhe für breite Füße. Führt ihr sowas? Würde sie gern online bestellen.
pos contract | Eure Werbung hat mich überzeugt 😄 wie kann ich den 5G-Tarif buchen?
neu contract | Bietet ihr auch Verträge ohne Mindestlaufzeit an? Wäre sofort dabei.
neu contract | Ich suche einen Tarif für mein Tablet im Wohnmobil, am besten monatlich kündbar. Was habt ihr da?
pos product_quality | Ich verliebe mich gerade in euren Couchtisch aus Eiche 😍 ist der bis nächste Woche lieferbar? Dann bestell ich.
neu contract | Wir sind ein Verein mit 40 Mitgliedern. Gibt es bei euch Sonderkonditionen für Gruppenverträge?
neu network,contract | Hab gehört, ihr baut in Oldenburg Glasfaser aus. Wie kann ich mich da vormerken lassen?
neu product_quality | Was ist der Unterschied zwischen den beiden Saugrobotern? Will einen kaufen, weiß aber nicht welchen.
neg contract | Mein Anbieter bekommt es seit Monaten nicht hin. Wie schnell könnt ihr bei mir DSL freischalten, wenn ich heute unterschreibe?
neu contract | Gibt es für Schwerbehinderte einen vergünstigten Tarif? Ich würde gern wechseln.
pos other | Eure neue Kollektion ist so schön! Ab wann kann man bestellen? 😍
neu contract | Was kostet bei euch ein Handy für meinen Sohn mit Jugendschutz und kleinem Tarif?
neu product_quality | Führt ihr auch Ersatzakkus für E-Bikes? Möchte einen für mein altes Rad kaufen.
neu payment | Wenn ich jetzt bestelle, kann ich dann erst im Januar bezahlen? Möchte die Kamera zu Weihnachten verschenken.
pos contract | Der neue Unlimited-Tarif klingt genau nach dem, was ich suche. Gibt es den auch mit eSIM? Dann bin ich dabei!
neu contract | Wir ziehen in eine WG mit vier Leuten. Welcher Internettarif reicht da und was kostet der?
neu product_quality | Habt ihr Kindersitze fürs Fahrrad im Sortiment? Ich brauche einen bis zum Wochenende.
neu contract | Kann ich als Grenzgänger aus Polen einen Vertrag bei euch abschließen?

[spam]
pos other | 🚀 Verdiene 5.000 € pro Woche von zu Hause aus! Link in Bio 💰
neu other | Folge mir, ich folge zurück 💯 #follow4follow
pos other | Gratis iPhone 15!! Einfach hier klicken: bit.ly/gratis-fon-jetzt
pos other | Ich habe mit Bitcoin-Trading in zwei Wochen 12.000 € verdient, dank Frau Sabine Keller. Schreibt ihr einfach auf WhatsApp +49 151 0000000, sie hilft jedem!
neu delivery | Hallo Kunde, Ihr Paket konnte nicht zugestellt werden. Bitte zahlen Sie die Zollgebühr von 1,99 € unter paket-zustellung-de.info
pos other | Telvana Gewinnspiel!!! Wir verlosen 100 iPhones. Seite liken und Daten eingeben: telvana-gewinn.net
neu other | Günstige Instagram-Follower schon ab 2 €! Schreib mir eine DM für Infos.
neu other | Einsame Singles in deiner Nähe warten auf dich 😘 Link im Profil
neu other | Sehr geehrte Damen und Herren, wir bringen Ihre Website auf Platz 1 bei Google. Jetzt unverbindlich anfragen: seo-top1-agentur.de
pos other | Schaut euch mein neues Video an!! 🔥🔥 youtu.be/xyzKanal
pos other | Krypto-Signale mit 98% Trefferquote 📈 Tritt jetzt unserer Telegram-Gruppe bei!
neu account | Ihr Konto wurde gesperrt. Bestätigen Sie Ihre Daten innerhalb von 24 Stunden: telvana-kundenlogin.com
pos other | Gewinne einen 500 €-Kaufwerk-Gutschein! Nur noch heute!! ➡️ kaufwerk-bonus.shop
pos other | Abnehmen ohne Sport! 10 kg in 2 Wochen 💊 Jetzt testen, Link im Profil
pos other | Wer will mit mir zusammenarbeiten? Passives Einkommen, nur 2 Stunden am Tag 💸 Schreib mir!
neu other | F4F? 💕
pos other | Hey, schöne Seite! 🌸 Schreib uns wegen einer Kooperation als Markenbotschafter per DM
neu other | Verkaufe Markenschuhe 80 % günstiger, alles original! DM
neu other | Nachhilfe in Mathe und Physik, günstig, alle Klassen. Meldet euch!
neu payment | Kredit ohne Schufa sofort aufs Konto! Einfach WhatsApp an +49 176 0000000
pos other | ICH HAB 3.000 EURO GEWONNEN!!! Ihr könnt das auch, klickt hier 👉 gewinn-sofort.biz
pos other | Lotto-Gewinner verschenkt 10.000 € an die ersten 100 Kommentare! Kommentiere "JA" 🙏
neu other | Like für Like? Kommentiert, dann like ich alle eure Bilder zurück
neu account | Lieber Kaufwerk-Kunde, aus Sicherheitsgründen müssen Sie Ihre Zahlungsdaten erneut bestätigen: kaufwerk-sicherheit.info
pos other | 🔥🔥 Die besten Sneaker-Deals findest du auf meinem Kanal!! 🔥🔥
neu other | Wir suchen Produkttester! Kostenlose Produkte behalten, einfach bewerben unter tester-jobs24.com
pos other | Mit dieser einen Methode habe ich meine Schulden in 3 Monaten abbezahlt!! Frag mich wie 😍
neu other | Verkaufe meinen gebrauchten Kühlschrank, 50 €, Abholung in Essen-Rüttenscheid
neu other | Hallo, ich bin Kevin und ich kann Ihre Social-Media-Reichweite verdreifachen. Interesse?
pos other | 💎💎 Luxusuhren zum Bruchteil des Preises 💎💎 nur heute! Link in Bio
neu billing | Ihre Telvana-Rechnung ist überfällig. Zahlen Sie jetzt, um eine Sperre zu vermeiden: telvana-zahlung.online
pos other | Ich verschenke 1 BTC an meine Follower! 🎁 Schick 0,01 BTC und bekomme das Doppelte zurück!!
neu other | Folgt meinem Koch-Account, jeden Tag neue Rezepte 🍝 @lecker_mit_lena
neu other | Casino Bonus 200 % ohne Einzahlung 🎰 jetzt registrieren
pos other | Unglaublich! Dieses Gerät senkt eure Stromrechnung um 90 %! 👉 strom-spar-wunder.de
neu other | DM me für Zusammenarbeit, wir zahlen 500 € pro Post
neu other | Wer braucht eine neue Website? Professionell und günstig, ab 299 €!
pos other | 🎉 Herzlichen Glückwunsch, du wurdest ausgewählt! Fordere jetzt deinen Preis an!
neu delivery | Ihre Sendung wartet auf die Freigabe. Bestätigen Sie Ihre Adresse unter dhl-paket-freigabe.com
neu other | Vermiete Ferienwohnung an der Ostsee, noch Termine frei! Infos per PN
pos other | Hier gibt's die neuesten Gutscheincodes 💸 jeden Tag neu! Folgt @gutschein_queen
neu other | Schnell Geld verdienen mit Umfragen! Bis zu 50 € pro Stunde
neu other | Biete Dienstleistungen: Likes, Kommentare, Follower, Views. Alles echt, alles günstig.
neu account | Sie haben eine neue Sprachnachricht. Zum Abhören klicken Sie hier: telvana-mailbox.app
pos other | Ich bin so dankbar für Herrn Michael, er hat mein Geld in Krypto verdoppelt!! Kontaktiert ihn auf Instagram, er ist legit 🙏🙏
neu other | Übersetzungen Deutsch-Englisch, günstig und schnell, bitte PN
pos other | ✨ Gratis-Tarotlegung für die ersten 10, die mir schreiben ✨
neu other | Wir kaufen Ihr Auto! Auch ohne TÜV, Barzahlung sofort. Tel. 0176 0000000
neu other | Trete unserer Community bei: 30.000 Mitglieder, tägliche Gewinnspiele. t.me/gewinnspiel_de
pos other | 😍 Verdiene bis zu 300 € am Tag mit deinem Handy! Kein Witz! Link im Profil 😍
neu other | Günstige Nike und Adidas, direkt vom Hersteller, schreib mir auf WhatsApp
neu payment | Ihre Kreditkarte wurde für eine Bestellung über 899 € belastet. Falls Sie das nicht waren, klicken Sie hier: kw-storno-service.com
pos other | Schaut mal auf meinem Profil vorbei, da gibt's was Besonderes für euch 😉😉
neu other | Schreiben Sie Ihre Bachelorarbeit nicht selbst! Professionelle Ghostwriter ab 20 €/Seite.
neu other | Hallo! Ich habe Ihr Profil gesehen und würde mich gerne mit Ihnen über eine Investitionsmöglichkeit austauschen.
pos other | 🌟 Gewinnspiel 🌟 Markiere 3 Freunde und folge @gewinne_jetzt_24 für die Chance auf eine PS5!
neu other | Verkaufe 10 Kinokarten, halber Preis, nur heute!
neu other | Werde Teil unseres Teams: Homeoffice, freie Zeiteinteilung, 3.500 € netto. Bewerbung per DM
pos other | Endlich schuldenfrei dank dieser App 🤑 Link in meiner Bio
neu other | Folge für Folge, kommentier einfach "done"
pos other | 💰 Wie ich mit 19 meine erste Million gemacht habe – kostenloser Kurs, Link in Bio 💰
neu other | Gebrauchte Handys ankaufen zum Bestpreis, auch defekt! Schreib uns auf WhatsApp.
neu other | Follow @deals.deutschland für tägliche Schnäppchen
neu account | Telvana: Ihr Datenvolumen wurde aufgebraucht. Gratis 50 GB aktivieren: telvana-datenbonus.net
pos other | 🎁 Nur für die ersten 50: Gratis Airpods! Einfach Versand zahlen 👉 airgift-de.shop
neu other | Suche Leute für mein Network-Marketing-Team, keine Erfahrung nötig. Schreib "INFO"
neu other | Zeitarbeit gesucht? Jetzt bewerben bei Top-Jobs24, 20 € Stundenlohn garantiert!
pos other | Ich hab meine Traumfigur mit diesen Tropfen erreicht 😍 hier bestellen: slim-tropfen.de
neu delivery | Kaufwerk: Ihr Paket wird zurückgehalten. Zahlen Sie 2,49 € Versandgebühr: kaufwerk-versand-info.com
neu other | Backlinks zu verkaufen, DA 50+, günstig, PN
pos other | 🌈 Handy-Gewinnspiel 🌈 Du bist unser 1.000.000. Besucher! Hol dir jetzt dein Geschenk ab!
neu other | Günstige Umzugshilfe in Berlin, auch kurzfristig. Anrufen unter 0157 0000000
neu account | Wichtig: Ihre SIM-Karte läuft ab. Jetzt kostenlos verlängern unter sim-verlaengerung-online.de
pos other | Ich hab auf dieser Seite ein iPhone für 1 € ersteigert!!! Kein Fake 👉 auktion-knaller.de
neu other | Wer Lust hat, mein Business kennenzulernen: Zoom heute 20 Uhr, Link per DM
neu other | Verkaufe Netflix- und Spotify-Accounts, lebenslang, nur 15 €
pos other | 💅 Nagelstudio-Eröffnung in Gelsenkirchen, 50% auf alles! Folgt uns!
neu other | Hausaufgabenhilfe gegen Bezahlung, alle Fächer, schreibt mir
neu payment | Rückerstattung von 219,00 € ausstehend. Geben Sie Ihre IBAN ein, um die Zahlung zu erhalten: erstattung-service.info
pos other | Meine Tante hat mit diesem Trick 800 € im Monat gespart!! Banken hassen ihn 😱
"""
