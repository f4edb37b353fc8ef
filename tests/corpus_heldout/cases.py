"""The held-out corpus: marked and unmarked documents the vocabulary was not written from.

Written after the world corpus (tests/corpus_world) and the vocabulary it fed, from other
public descriptions: the marking registers and handling caveats of governments and
international bodies the vocabulary did not list or listed only in part (the German
VSA's four VS levels and the Austrian and Swiss ones, France's IGI 1300 before and after
2021, the Belgian bilingual levels, the Baltic, Balkan, Hungarian and Romanian laws,
Vietnam's, Indonesia's, Malaysia's, Thailand's and Iran's levels, the NATO and EU
registers with their caveats), Chinese exam-paper and enterprise stamps (绝密★启用前,
核心商密, 内部传阅), CAPCO banners with authority blocks and the US State Department's
letter-spaced cable header, and draft status as legislatures and ministries print it
(Projekt z dnia, Referentenentwurf, DỰ THẢO, 未定稿, 报批稿). Layouts differ from the world
corpus: banners at top and bottom, tables with 密级/保密期限 cells, a marking in a text box
(a stamp), split over differently formatted runs, only on a first-page header, or in a
PDF's header band. Hard negatives are the same words where they are not markings (news
about secrets, recipes, shops, privacy policies, sports drafts, stationery, public
versions and consultations, final versions).

``adversarial`` cases are markings a reader still sees but rules might not: look-alike
letters, full-width and mathematical letters, letter spacing, invisible characters, markup
and run splits.
"""

from __future__ import annotations

from dataclasses import dataclass

C, D, R, N = "classification", "draft", "report", "none"


@dataclass(frozen=True)
class Item:
    """One document: ``kind`` is mail, html (a mail with an HTML body), text, docx or pdf.

    In a docx body a line holding tabs is a table row (consecutive rows form one table),
    ``¦`` splits a paragraph into runs of alternating formatting, ``⟦…⟧`` is a hidden run
    (w:vanish) and ``⟨…⟩`` a run shown in capitals (w:caps); ``box`` is a text box in
    the body (a stamp); ``first_page`` puts the header on the first page only.
    """

    kind: str
    body: str = ""
    subject: str = ""
    headers: tuple[tuple[str, str], ...] = ()
    header: str = ""
    footer: str = ""
    props: tuple[tuple[str, str], ...] = ()
    name: str = ""
    box: str = ""
    first_page: bool = False


@dataclass(frozen=True)
class Case:
    system: str
    expect: str
    item: Item


def mail(subject: str, body: str, *headers: tuple[str, str]) -> Item:
    return Item("mail", body=body, subject=subject, headers=tuple(headers))


def html(subject: str, body: str) -> Item:
    return Item("html", body=body, subject=subject)


def text(body: str, name: str = "") -> Item:
    return Item("text", body=body, name=name)


def doc(body: str, header: str = "", footer: str = "", box: str = "", first_page: bool = False,
        props: tuple[tuple[str, str], ...] = ()) -> Item:
    return Item("docx", body=body, header=header, footer=footer, box=box, first_page=first_page,
                props=props)


def pdf(body: str, header: str = "", footer: str = "") -> Item:
    return Item("pdf", body=body, header=header, footer=footer)


EN = ("The working group met on 3 June to review progress on the logistics programme.\n"
      "Two suppliers have not yet confirmed delivery dates; the secretariat will follow up.")
DE = ("Das Referat legt hiermit den Sachstand zur Neuorganisation der Beschaffung vor.\n"
      "Eine Abstimmung mit den beteiligten Ressorts ist erfolgt.")
AT = ("Die Abteilung übermittelt den Bericht über die Umsetzung der Maßnahmen.\n"
      "Um Kenntnisnahme wird ersucht.")
FR = ("La présente note fait le point sur l'avancement du programme de modernisation.\n"
      "Les services concernés ont été consultés.")
IT = ("Con la presente si trasmette il verbale della riunione del comitato tecnico.\n"
      "Si prega di far pervenire eventuali osservazioni entro il 20 giugno.")
ES = ("Por medio del presente se informa sobre el avance del programa de modernización.\n"
      "Las unidades involucradas han sido consultadas.")
PT = ("Informamos o andamento do programa de modernização da rede.\n"
      "As unidades envolvidas foram consultadas.")
NL = ("Bijgaand treft u de notitie over de voortgang van het moderniseringsprogramma.\n"
      "De betrokken directies zijn geraadpleegd.")
PL = ("Przedstawiam informację o postępie prac nad modernizacją systemu.\n"
      "Uwagi proszę przekazać do 20 czerwca.")
CS = ("Předkládáme informaci o postupu modernizace systému.\nPřipomínky zašlete do 20. června.")
SK = ("Predkladáme informáciu o postupe modernizácie systému.\nPripomienky zašlite do 20. júna.")
HU = ("Tájékoztatom a rendszer korszerűsítésének előrehaladásáról.\n"
      "Észrevételeiket június 20-ig kérjük megküldeni.")
RO = ("Vă transmitem informarea privind stadiul modernizării sistemului.\n"
      "Observațiile se transmit până la 20 iunie.")
HR = ("Dostavljamo izvješće o napretku modernizacije sustava.\nPrimjedbe dostavite do 20. lipnja.")
SL = ("Pošiljamo poročilo o napredku posodobitve sistema.\nPripombe pošljite do 20. junija.")
LT = ("Teikiame informaciją apie sistemos modernizavimo eigą.\nPastabas pateikite iki birželio 20 d.")
LV = ("Nosūtām informāciju par sistēmas modernizācijas gaitu.\nPiezīmes lūdzam iesniegt līdz 20. jūnijam.")
ET = ("Edastame teabe süsteemi uuendamise käigu kohta.\nMärkused palume esitada 20. juuniks.")
NO = ("Vedlagt følger notatet om fremdriften i moderniseringsprogrammet.\n"
      "Eventuelle merknader sendes innen 20. juni.")
SV = ("Bifogat finns promemorian om moderniseringsprogrammets framsteg.\n"
      "Synpunkter lämnas senast den 20 juni.")
DA = ("Vedlagt fremsendes notatet om moderniseringsprogrammets fremdrift.\n"
      "Bemærkninger sendes senest den 20. juni.")
RU = ("Направляем информацию о ходе модернизации системы.\nЗамечания просим представить до 20 июня.")
UK = ("Надсилаємо інформацію про хід модернізації системи.\nЗауваження просимо надати до 20 червня.")
BG = ("Изпращаме информация за напредъка по модернизацията на системата.\n"
      "Бележки се приемат до 20 юни.")
SR = ("Достављамо информацију о напретку модернизације система.\nПримедбе доставити до 20. јуна.")
EL = ("Σας διαβιβάζουμε ενημέρωση για την πρόοδο του προγράμματος εκσυγχρονισμού.\n"
      "Παρατηρήσεις έως τις 20 Ιουνίου.")
TR = ("Sistemin modernizasyonuna ilişkin bilgi notu ekte sunulmuştur.\nGereğini arz ederim.")
ZH = ("根据工作安排，现将有关情况报告如下：\n一、总体进展顺利，各项指标按计划推进。\n"
      "二、下一步将重点做好风险防控工作。")
TW = ("主旨：檢送本署業務檢討報告一份，請查照。\n說明：依本署114年6月3日會議決議辦理。")
JA = ("標記について、下記のとおり検討結果を報告します。\n関係部署との調整は完了しています。")
KO = ("하반기 업무 추진 계획을 다음과 같이 보고합니다.\n관련 부서와의 협의는 완료되었습니다.")
VI = ("Báo cáo tình hình thực hiện nhiệm vụ sáu tháng đầu năm.\nĐề nghị các đơn vị góp ý trước ngày 20/6.")
ID = ("Bersama ini kami sampaikan laporan kemajuan program modernisasi.\n"
      "Mohon tanggapan paling lambat 20 Juni.")
MS = ("Bersama-sama ini dikemukakan laporan kemajuan program pemodenan.\n"
      "Sebarang ulasan hendaklah dikemukakan sebelum 20 Jun.")
TH = ("ขอรายงานความคืบหน้าของโครงการปรับปรุงระบบ\nขอให้ส่งความเห็นภายในวันที่ 20 มิถุนายน")
FA = ("گزارش پیشرفت برنامه نوسازی سامانه به پیوست ارسال می‌شود.\n"
      "خواهشمند است نظرات خود را تا ۲۰ خرداد اعلام فرمایید.")
AR = ("نرفق لسيادتكم مذكرة بشأن سير برنامج التحديث.\nيرجى موافاتنا بالملاحظات قبل 20 يونيو.")
UR = ("منصوبے کی پیش رفت کی رپورٹ منسلک ہے۔\nبراہ کرم 20 جون تک اپنی آراء بھیجیں۔")
BN = ("প্রকল্পের অগ্রগতির প্রতিবেদন সংযুক্ত করা হলো।\nঅনুগ্রহ করে ২০ জুনের মধ্যে মতামত পাঠান।")
NE = ("परियोजनाको प्रगति प्रतिवेदन संलग्न छ।\nकृपया २० जुनसम्म प्रतिक्रिया पठाउनुहोस्।")
HI = ("परियोजना की प्रगति रिपोर्ट संलग्न है।\nकृपया 20 जून तक अपनी टिप्पणियाँ भेजें।")
SW = ("Tunawasilisha taarifa ya maendeleo ya mradi.\nTafadhali tuma maoni yako kabla ya tarehe 20 Juni.")
KK = ("Жобаның орындалу барысы туралы есеп қоса беріліп отыр.\nЕскертулерді 20 маусымға дейін жіберіңіз.")
AZ = ("Layihənin icrası barədə hesabat əlavə olunur.\nQeydlərinizi 20 iyuna qədər göndərin.")
KA = ("თან ერთვის ანგარიში პროექტის მიმდინარეობის შესახებ.\nშენიშვნები გამოგზავნეთ 20 ივნისამდე.")
HY = ("Կից ներկայացնում ենք ծրագրի ընթացքի մասին հաշվետվությունը։\n"
      "Դիտողությունները ուղարկել մինչև հունիսի 20-ը։")
MN = ("Төслийн явцын тайланг хавсаргав.\nСаналаа 6-р сарын 20-ны дотор ирүүлнэ үү.")
BE = ("Дасылаем справаздачу пра ход выканання праекта.\nЗаўвагі просім даслаць да 20 чэрвеня.")
UZ = ("Loyiha ijrosi to'g'risidagi hisobot ilova qilinadi.\nIzohlaringizni 20-iyungacha yuboring.")
CA = ("Us trametem l'informe sobre l'estat del projecte.\n"
      "Podeu fer arribar les observacions fins al 20 de juny.")
EU = ("Proiektuaren egoerari buruzko txostena bidaltzen dizuegu.\n"
      "Oharrak ekainaren 20a arte bidal ditzakezue.")
HE = ("מצורף מזכר בנושא התקדמות תוכנית המודרניזציה.\nנא להעביר הערות עד 20 ביוני.")

CASES: tuple[Case, ...] = (
    # ------------------------------------------------------------ US: CAPCO, cables, CUI
    Case("us", C, pdf("(TS//SI//NF) Collection on the target network resumed on 2 June.\n"
                      "(U) Point of contact: the duty officer.",
                      header="TOP SECRET//SI//NOFORN", footer="TOP SECRET//SI//NOFORN")),
    Case("us", C, text("C O N F I D E N T I A L SECTION 01 OF 02 STATE 041187\n\n"
                       "E.O. 12958: DECL: 06/03/2035\nTAGS: PREL, PGOV, XX\n"
                       "SUBJECT: MEETING WITH THE FOREIGN MINISTER\n\n"
                       "1. (C) Summary: the minister asked for support on the resolution.")),
    Case("us", C, doc("(S//REL TO USA, GBR) The exercise moves to phase two on 14 June.\n\n"
                      "Classified By: R. Ortiz, Deputy Director\nReason: 1.4(a)\nDeclassify On: 20500603",
                      header="SECRET//REL TO USA, GBR", footer="SECRET//REL TO USA, GBR")),
    Case("us", C, mail("Travel schedule (U//FOUO)", "(U//FOUO) The delegation lands at 0900 and leaves "
                       "on Thursday.\n(U) Hotel details follow separately.")),
    Case("us", C, doc(EN, header="CUI//SP-PRVCY//FED ONLY", footer="CUI//SP-PRVCY//FED ONLY")),
    Case("us", C, doc("Controlled by: Office of Personnel\nCUI Category: Personnel\nPOC: hr@agency.example"
                      "\n\n" + EN, header="CONTROLLED UNCLASSIFIED INFORMATION")),
    Case("us", C, text("SECRET//ORCON/NOFORN\n\n(S//OC/NF) The source reports a meeting on 2 June.\n\n"
                       "SECRET//ORCON/NOFORN")),
    Case("us", C, mail("(C) Negotiating brief", "CONFIDENTIAL\n\n(C) Hold at the current offer until "
                       "the second round.\n\nCONFIDENTIAL")),
    Case("us", N, text("The Office of the Historian publishes declassified State Department cables; "
                       "many were once marked secret or confidential.")),
    Case("us", N, text("Reporters said boxes of documents, some stamped \"Top Secret\", were found at the "
                       "former official's home, according to the indictment.")),
    Case("us", N, mail("Secret Service road closures", "The Secret Service announced road closures "
                       "downtown for the visit on Friday.")),
    Case("us", N, text("Q: What does \"classified\" mean?\nA: Classified ads are small notices in the "
                       "back of the newspaper.")),
    # ------------------------------------------------------------ UK, AU, CA, NZ
    Case("uk", C, doc(EN, header="OFFICIAL-SENSITIVE COMMERCIAL", footer="OFFICIAL-SENSITIVE COMMERCIAL")),
    Case("uk", C, mail("[OFFICIAL-SENSITIVE] Case review", EN)),
    Case("uk", C, doc(EN, header="SECRET UK EYES ONLY")),
    Case("uk", C, text("TOP SECRET\n\n" + EN + "\n\nTOP SECRET")),
    Case("uk", N, text("Sensitive skin? Our fragrance-free range is tested by dermatologists.")),
    Case("au", C, doc(EN, header="PROTECTED//CABINET", footer="PROTECTED//CABINET")),
    Case("au", C, doc(EN, header="SECRET//AUSTEO")),
    Case("au", C, mail("Legal advice [SEC=OFFICIAL:Sensitive, ACCESS=Legal-Privilege]", EN)),
    Case("au", N, text("The koala is a protected species in New South Wales; fines apply for harming one.")),
    Case("ca", C, doc(EN, header="PROTECTED B", footer="PROTECTED B")),
    Case("ca", C, doc(FR, header="PROTÉGÉ B")),
    Case("ca", C, text("SECRET//CANADIAN EYES ONLY\n\n" + EN)),
    Case("ca", C, doc(EN, header="CONFIDENTIAL / CONFIDENTIEL")),
    Case("nz", C, doc(EN, header="RESTRICTED", footer="RESTRICTED")),
    Case("ca", N, text("Your account is password protected. We will never ask for your password by e-mail.")),
    # ------------------------------------------------------------ NATO, EU
    Case("nato", C, doc(EN, header="NATO SECRET", footer="NATO SECRET")),
    Case("nato", C, text("COSMIC TOP SECRET\n\n" + EN + "\n\nCOSMIC TOP SECRET")),
    Case("nato", C, doc(EN, header="NATO CONFIDENTIAL")),
    Case("nato", C, doc(EN, header="COSMIC TOP SECRET ATOMAL")),
    Case("nato", N, text("NATO leaders met in The Hague for the summit and agreed a new spending target.")),
    Case("eu", C, doc(EN, header="SECRET UE/EU SECRET", footer="SECRET UE/EU SECRET")),
    Case("eu", C, doc(EN, header="CONFIDENTIEL UE/EU CONFIDENTIAL")),
    Case("eu", C, text("TRÈS SECRET UE/EU TOP SECRET\n\n" + EN)),
    Case("eu", C, mail("RESTREINT UE: draft position paper", EN)),
    Case("eu", N, text("The EU's secret weapon in trade talks is its market of 450 million consumers, the "
                       "commentator argued.")),
    # ------------------------------------------------------------ Germany, Austria, Switzerland
    Case("de", C, doc(DE, header="VS-NUR FÜR DEN DIENSTGEBRAUCH", footer="VS-NUR FÜR DEN DIENSTGEBRAUCH")),
    Case("de", C, doc(DE, header="VS-NfD")),
    Case("de", C, doc(DE, header="VS-VERTRAULICH", footer="VS-VERTRAULICH")),
    Case("de", C, text("GEHEIM\n\n" + DE + "\n\nGEHEIM")),
    Case("de", C, text("STRENG GEHEIM\namtlich geheimgehalten\n\n" + DE)),
    Case("de", C, doc(DE, header="Nur für den Dienstgebrauch")),
    Case("at", C, doc(AT, header="EINGESCHRÄNKT")),
    Case("at", C, doc(AT, header="VERTRAULICH")),
    Case("at", C, text("VERSCHLUSSSACHE\n\n" + AT)),
    Case("ch", C, doc(DE, header="INTERN")),
    Case("ch", C, doc(FR, header="CONFIDENTIEL")),
    Case("de", N, text("Das Geheimnis guter Brötchen ist ein langer Teig über Nacht.")),
    Case("de", N, text("Der Entwurf des Architekten sieht einen offenen Innenhof vor.")),
    Case("de", N, doc(DE, footer="Vertraulichkeitshinweis: Diese E-Mail kann vertrauliche Informationen "
                      "enthalten. Wenn Sie nicht der richtige Adressat sind, informieren Sie bitte den "
                      "Absender.")),
    Case("de", N, doc(DE, header="Datenschutzerklärung")),
    # ------------------------------------------------------------ France, Belgium
    Case("fr", C, doc(FR, header="CONFIDENTIEL DÉFENSE", footer="CONFIDENTIEL DÉFENSE")),
    Case("fr", C, text("SECRET\n\n" + FR + "\n\nSECRET")),
    Case("fr", C, doc(FR, header="TRÈS SECRET")),
    Case("fr", C, doc(FR, header="SECRET DÉFENSE – SPÉCIAL FRANCE")),
    Case("fr", C, mail("DIFFUSION RESTREINTE - Note au ministre", FR)),
    Case("be", C, doc(FR, header="CONFIDENTIEL / VERTROUWELIJK")),
    Case("be", C, doc(NL, header="DIFFUSION RESTREINTE / BEPERKTE VERSPREIDING")),
    Case("fr", N, text("Le secret professionnel s'impose à tout médecin, dans les conditions établies "
                       "par la loi.")),
    Case("fr", N, doc(FR, header="Secrétariat général")),
    Case("fr", N, text("Recette : le secret d'une bonne mayonnaise, c'est que tous les ingrédients soient "
                       "à température ambiante.")),
    # ------------------------------------------------------------ Italy, Spain, Portugal
    Case("it", C, doc(IT, header="RISERVATO", footer="RISERVATO")),
    Case("it", C, text("RISERVATISSIMO\n\n" + IT)),
    Case("it", C, doc(IT, header="SEGRETISSIMO")),
    Case("it", N, text("Parcheggio riservato ai clienti dell'albergo.")),
    Case("es", C, doc(ES, header="RESERVADO", footer="RESERVADO")),
    Case("es", C, doc(ES, header="SECRETO")),
    Case("es", C, text("CONFIDENCIAL\n\n" + ES + "\n\nCONFIDENCIAL")),
    Case("es", C, doc(ES, footer="DIFUSIÓN LIMITADA")),
    Case("es", C, mail("USO OFICIAL - Informe de situación", ES)),
    Case("es", N, text("Reservado el derecho de admisión.")),
    Case("es", N, mail("Material de oficina", "Hay que comprar borradores de pizarra, tizas y lápices para "
                       "las aulas del segundo piso.")),
    Case("pt", C, doc(PT, header="CONFIDENCIAL", footer="CONFIDENCIAL")),
    Case("pt", C, text("RESERVADO\n\n" + PT)),
    Case("br", C, doc(PT, header="ACESSO RESTRITO")),
    Case("pt", N, text("O segredo do bacalhau à Brás está na batata palha bem fina.")),
    # ------------------------------------------------------------ Latin America
    Case("mx", C, doc(ES, header="INFORMACIÓN CONFIDENCIAL")),
    Case("ar", C, text("SECRETO\n\n" + ES)),
    Case("pe", C, doc(ES, header="RESERVADO")),
    Case("co", C, doc(ES, header="RESTRINGIDO")),
    Case("mx", N, doc(ES, header="VERSIÓN PÚBLICA", footer="Se testaron datos personales con fundamento "
                      "en el artículo 116 de la LGTAIP.")),
    Case("mx", N, text("Secretaría de Educación Pública\nDirección General de Personal\n\n" + ES)),
    # ------------------------------------------------------------ Netherlands
    Case("nl", C, doc(NL, header="Stg. Zeer Geheim")),
    Case("nl", C, doc(NL, header="Dep. Vertrouwelijk")),
    Case("nl", C, doc(NL, header="STG. CONFIDENTIEEL", footer="STG. CONFIDENTIEEL")),
    Case("nl", N, text("Het grootste geheim van Amsterdam zijn de hofjes in de Jordaan.")),
    # ------------------------------------------------------------ Nordic, Baltic
    Case("no", C, doc(NO, header="KONFIDENSIELT")),
    Case("no", C, doc(NO, header="STRENGT HEMMELIG")),
    Case("no", C, doc(NO, header="HEMMELIG")),
    Case("se", C, doc(SV, header="KVALIFICERAT HEMLIG")),
    Case("dk", C, doc(DA, header="YDERST HEMMELIGT")),
    Case("dk", C, doc(DA, header="HEMMELIGT")),
    Case("fi", C, doc(NO, header="SALAINEN")),
    Case("fi", C, doc(NO, header="LUOTTAMUKSELLINEN")),
    Case("fi", C, doc(NO, header="KÄYTTÖ RAJOITETTU")),
    Case("lt", C, doc(LT, header="RIBOTO NAUDOJIMO")),
    Case("lt", C, doc(LT, header="SLAPTAI")),
    Case("lt", C, doc(LT, header="VISIŠKAI SLAPTAI")),
    Case("lv", C, doc(LV, header="DIENESTA VAJADZĪBĀM")),
    Case("lv", C, doc(LV, header="SEVIŠĶI SLEPENI")),
    Case("lv", C, doc(LV, header="KONFIDENCIĀLI")),
    Case("ee", C, doc(ET, header="ASUTUSESISESEKS KASUTAMISEKS")),
    Case("ee", C, doc(ET, header="SALAJANE")),
    Case("ee", C, doc(ET, header="TÄIESTI SALAJANE")),
    Case("no", N, text("Hemmeligheten bak god brunost er tålmodighet.")),
    Case("se", N, mail("Middag", "Hemligheten med kanelbullar är kardemumman.")),
    # ------------------------------------------------------------ Central Europe, Balkans
    Case("pl", C, doc(PL, header="ZASTRZEŻONE", footer="ZASTRZEŻONE")),
    Case("pl", C, text("TAJNE\nEgz. nr 1\n\n" + PL)),
    Case("cz", C, doc(CS, header="DŮVĚRNÉ")),
    Case("cz", C, doc(CS, header="PŘÍSNĚ TAJNÉ")),
    Case("cz", C, doc(CS, header="TAJNÉ")),
    Case("sk", C, doc(SK, header="VYHRADENÉ")),
    Case("sk", C, doc(SK, header="DÔVERNÉ")),
    Case("sk", C, doc(SK, header="PRÍSNE TAJNÉ")),
    Case("hu", C, doc(HU, header="KORLÁTOZOTT TERJESZTÉSŰ")),
    Case("hu", C, doc(HU, header="BIZALMAS")),
    Case("hu", C, doc(HU, header="TITKOS")),
    Case("hu", C, doc(HU, header="SZIGORÚAN TITKOS")),
    Case("ro", C, doc(RO, header="SECRET DE SERVICIU")),
    Case("ro", C, doc(RO, header="STRICT SECRET")),
    Case("ro", C, doc(RO, header="STRICT SECRET DE IMPORTANȚĂ DEOSEBITĂ")),
    Case("hr", C, doc(HR, header="POVJERLJIVO")),
    Case("hr", C, doc(HR, header="VRLO TAJNO")),
    Case("hr", C, doc(HR, header="OGRANIČENO")),
    Case("si", C, doc(SL, header="ZAUPNO")),
    Case("si", C, doc(SL, header="STROGO TAJNO")),
    Case("rs", C, doc(SR, header="СТРОГО ПОВЕРЉИВО")),
    Case("rs", C, doc(SR, header="ДРЖАВНА ТАЈНА")),
    Case("bg", C, doc(BG, header="ЗА СЛУЖЕБНО ПОЛЗВАНЕ")),
    Case("bg", C, doc(BG, header="ПОВЕРИТЕЛНО")),
    Case("bg", C, doc(BG, header="СТРОГО СЕКРЕТНО")),
    Case("pl", N, text("Tajemnica dobrego żurku tkwi w zakwasie.")),
    Case("cz", N, text("Tajemství dobrého guláše je v dlouhém vaření.")),
    Case("hu", N, mail("Titkárság", "Kérem, forduljon a titkársághoz az időpont egyeztetése miatt.")),
    Case("ro", N, text("Secretul unei ciorbe bune este borşul de casă.")),
    Case("hr", N, doc(HR, footer="© 2025 Primjer d.o.o. Sva prava pridržana.")),
    # ------------------------------------------------------------ Russia, Ukraine, Greece, Turkey
    Case("ru", C, doc(RU, header="ДСП", footer="Экз. № 2")),
    Case("ru", C, text("ОСОБОЙ ВАЖНОСТИ\nЭкз. № 1\n\n" + RU)),
    Case("ru", C, doc(RU, header="Секретно")),
    Case("ru", C, text("Гриф: ДСП\n\n" + RU)),
    Case("ua", C, doc(UK, header="ТАЄМНО")),
    Case("ua", C, doc(UK, header="ЦІЛКОМ ТАЄМНО")),
    Case("ua", C, doc(UK, header="ДСК")),
    Case("ua", C, text("ОСОБЛИВОЇ ВАЖЛИВОСТІ\n\n" + UK)),
    Case("ru", N, text("Секрет вкусного борща — свёкла, тушённая отдельно.")),
    Case("ru", N, mail("Встреча", "Секретарь директора подтвердит время встречи.")),
    Case("gr", C, doc(EL, header="ΑΚΡΩΣ ΑΠΟΡΡΗΤΟ")),
    Case("gr", C, doc(EL, header="ΠΕΡΙΟΡΙΣΜΕΝΗΣ ΧΡΗΣΗΣ")),
    Case("tr", C, doc(TR, header="ÖZEL")),
    Case("tr", N, text("Başarının sırrı çok çalışmaktır.")),
    # ------------------------------------------------------------ Middle East, Iran
    Case("ar", C, doc(AR, header="سري جداً")),
    Case("ar", C, doc(AR, header="محدود")),
    Case("il", C, doc(HE, header="שמור")),
    Case("il", C, doc(HE, header="סודי")),
    Case("ir", C, doc(FA, header="محرمانه")),
    Case("ir", C, doc(FA, header="بکلی سری")),
    Case("ir", C, doc(FA, header="خیلی محرمانه")),
    Case("ar", N, text("سر النجاح هو العمل الجاد والمثابرة.")),
    Case("ir", N, text("راز موفقیت، پشتکار و کار مداوم است.")),
    # ------------------------------------------------------------ China
    Case("cn", C, text("绝密★启用前\n\n2025年普通高等学校招生全国统一考试\n数学\n\n注意事项：\n"
                       "1．答卷前，考生务必将自己的姓名、准考证号填写在答题卡上。")),
    Case("cn", C, doc("密级\t秘密\t保密期限\t5年\n编号\tXM-2025-017\t页数\t12\n\n项目技术方案\n\n" + ZH)),
    Case("cn", C, doc("项目建议书\n\n" + ZH, box="机密★10年")),
    Case("cn", C, doc(ZH, header="核心商密", footer="核心商密")),
    Case("cn", C, doc(ZH, header="普通商密★2年")),
    Case("cn", C, text("内部传阅\n\n" + ZH)),
    Case("cn", C, mail("【内部资料 注意保存】2025年经营分析", ZH)),
    Case("cn", C, doc(ZH, header="仅供内部使用")),
    Case("cn", C, text("秘密★6个月\n\n关于调整工作方案的通知\n\n" + ZH)),
    Case("cn", C, text("机密 ★ 长期\n\n" + ZH)),
    Case("cn", C, pdf("Summary in English follows the Chinese text.\n" + EN, header="CONFIDENTIAL")),
    Case("cn", C, doc("文件名称\t2025年度预算\n密级\t机密\n\n" + ZH)),
    Case("cn", C, text("国家秘密 严禁外传\n\n" + ZH)),
    Case("cn", N, text("保守国家秘密是每个公民的义务。《中华人民共和国保守国家秘密法》"
                       "规定了国家秘密的范围和密级。")),
    Case("cn", N, text("文具采购：草稿本 30 本，打印纸 10 箱，草稿纸若干。")),
    Case("cn", N, text("写作文之前，先在草稿上列一个提纲，再誊写到答题卡上。")),
    Case("cn", N, text("《秘密花园》是一本深受读者喜爱的涂色书。")),
    Case("cn", N, text("公司将进一步完善内部控制制度，加强企业内部管理。")),
    Case("cn", N, doc("会议纪要（定稿）\n\n" + ZH)),
    Case("cn", N, text("机密文件销毁服务：上门粉碎，全程监控，出具销毁证明。")),
    Case("cn", N, text("内部装修工程已于6月完工，欢迎业主入住。")),
    # ------------------------------------------------------------ Taiwan, Hong Kong, Macau
    Case("tw", C, doc(TW, header="極機密")),
    Case("tw", C, doc("密等\t機密\n解密條件\t公布後解密\n\n" + TW)),
    Case("tw", C, doc(TW, header="密")),
    Case("tw", C, text("絕對機密\n\n" + TW + "\n\n絕對機密")),
    Case("hk", C, doc(EN, header="CONFIDENTIAL", footer="CONFIDENTIAL")),
    Case("hk", C, doc(TW, header="機密")),
    Case("hk", C, doc(EN, header="SECRET")),
    Case("tw", N, text("立法院審議機密費預算，在野黨要求公開用途。")),
    Case("tw", N, text("請勿將密碼告訴他人，以免帳號遭盜用。")),
    # ------------------------------------------------------------ Japan, Korea
    Case("jp", C, doc(JA, header="極秘", footer="極秘")),
    Case("jp", C, doc(JA, header="厳秘")),
    Case("jp", C, doc(JA, header="特定秘密")),
    Case("jp", C, doc("秘密区分\t秘\n管理番号\tA-0123\n\n" + JA)),
    Case("jp", C, doc(JA, box="社外秘")),
    Case("jp", N, text("この店の秘伝のタレは、創業以来継ぎ足しで作られている。")),
    Case("jp", N, text("映画『極秘任務』は来月公開予定です。")),
    Case("jp", N, mail("秘書室より", "来週の役員会議の日程をお知らせします。")),
    Case("kr", C, doc(KO, header="비밀", footer="비밀")),
    Case("kr", C, doc(KO, header="Ⅲ급비밀")),
    Case("kr", C, doc("보안등급\t대외비\n문서번호\t기획-2025-031\n\n" + KO)),
    Case("kr", N, text("드라마 '비밀의 숲'이 다시 방영된다.")),
    Case("kr", N, text("성공의 비밀은 꾸준함이다.")),
    # ------------------------------------------------------------ South-east Asia, India
    Case("vn", C, doc(VI, header="MẬT")),
    Case("vn", C, doc(VI, header="TỐI MẬT")),
    Case("vn", C, doc(VI, header="TUYỆT MẬT")),
    Case("id", C, doc(ID, header="RAHASIA")),
    Case("id", C, doc(ID, header="SANGAT RAHASIA")),
    Case("id", C, doc(ID, header="TERBATAS")),
    Case("my", C, doc(MS, header="SULIT", footer="SULIT")),
    Case("my", C, doc(MS, header="TERHAD")),
    Case("my", C, doc(MS, header="RAHSIA BESAR")),
    Case("th", C, doc(TH, header="ลับ")),
    Case("th", C, doc(TH, header="ลับมาก")),
    Case("th", C, doc(TH, header="ลับที่สุด")),
    Case("in", C, doc(EN, header="SECRET", footer="SECRET")),
    Case("in", C, doc(EN, header="TOP SECRET")),
    Case("vn", N, text("Mật ong rừng nguyên chất, giao hàng toàn quốc.")),
    Case("id", N, text("Rahasia sukses bisnis kuliner adalah konsistensi rasa.")),
    Case("id", N, mail("Ujian", "Soal nomor lima memang sulit, tetapi masih bisa dikerjakan.")),
    Case("th", N, text("เดินทางกลับบ้านอย่างปลอดภัย\nขอบคุณที่ใช้บริการ")),
    Case("my", N, text("Rahsia kejayaan ialah usaha yang berterusan.")),
    # Hard negatives added with the vocabulary for the systems above: the same words as
    # ordinary headings, footers and prose.
    Case("hr", N, text("Sastanak je održan tajno, bez prisustva novinara.")),
    Case("si", N, doc(SL, header="Interni akt o organizaciji dela")),
    Case("ro", N, doc(RO, footer="Proiect finanțat din Fondul Social European prin Programul Operațional "
                      "Capital Uman 2014-2020")),
    Case("lt", N, doc(LT, footer="Projektas finansuojamas Europos Sąjungos lėšomis")),
    Case("tr", N, doc(TR, header="Özel Kalem Müdürlüğü")),
    Case("my", N, text("Rancangan Malaysia Kedua Belas menekankan pembangunan mampan.")),
    Case("id", N, mail("Kontrak", "Draf kontrak sudah saya kirim kemarin; mohon dicek.")),
    Case("hu", N, text("A tervezet szerint a hidat jövőre adják át.")),
    Case("cn", N, text("国家秘密的范围\n\n本章介绍国家秘密的基本概念和密级划分。")),
    Case("tw", N, doc(TW, header="密碼變更通知")),
    Case("vn", N, doc(VI, header="Mật khẩu và bảo mật tài khoản")),
    Case("ir", N, text("یک سری از کتاب‌های جدید به کتابخانه اضافه شد.")),
    # ------------------------------------------------------------ A second round: South
    # Asia, the Caucasus and Central Asia, East Africa, European agencies, quoted values
    Case("pk", C, doc(UR, header="خفیہ")),
    Case("pk", C, text("انتہائی خفیہ\n\n" + UR)),
    Case("bd", C, doc(BN, header="গোপনীয়", footer="গোপনীয়")),
    Case("bd", C, doc(BN, header="অতি গোপনীয়")),
    Case("np", C, doc(NE, header="गोप्य")),
    Case("by", C, doc(BE, header="САКРЭТНА")),
    Case("by", C, doc(BE, header="ДЛЯ СЛУЖБОВАГА КАРЫСТАННЯ")),
    Case("kz", C, doc(KK, header="ҚҰПИЯ")),
    Case("kz", C, text("ӨТЕ ҚҰПИЯ\n\n" + KK)),
    Case("ge", C, doc(KA, header="საიდუმლო")),
    Case("am", C, doc(HY, header="ԳԱՂՏՆԻ")),
    Case("az", C, doc(AZ, header="MƏXFİ")),
    Case("az", C, doc(AZ, header="TAM MƏXFİ")),
    Case("uz", C, doc(UZ, header="MAXFIY")),
    Case("mn", C, doc(MN, header="НУУЦ")),
    Case("tz", C, doc(SW, header="SIRI", footer="SIRI")),
    Case("tz", C, text("SIRI KUU\n\n" + SW)),
    Case("europol", C, doc(EN, header="EUROPOL CONFIDENTIAL", footer="EUROPOL CONFIDENTIAL")),
    Case("esa", C, doc(EN, header="ESA RESTRICTED")),
    Case("nato", C, doc(EN, header="NATO/EAPC RESTRICTED")),
    Case("ru", C, text("Гриф секретности: «Совершенно секретно»\n\n" + RU)),
    Case("corp", C, text("Classification: \"Confidential\"\nOwner: Finance\n\n" + EN)),
    Case("cn", C, text("密级：“机密”\n保密期限：“5年”\n\n" + ZH)),
    Case("draft-ca", D, doc(CA, header="ESBORRANY")),
    Case("draft-eu", D, doc(EU, header="ZIRRIBORROA")),
    Case("draft-hi", D, doc(HI, header="मसौदा")),
    Case("draft-hi", D, doc(HI, header="प्रारूप")),
    Case("draft-ur", D, doc(UR, header="مسودہ")),
    Case("draft-bn", D, doc(BN, header="খসড়া")),
    Case("draft-sw", D, doc(SW, header="RASIMU")),
    Case("draft-pt", D, doc(PT, header="ESBOÇO")),
    Case("draft-jp", D, doc(JA, header="暫定版")),
    Case("tz", N, text("Ask Siri to set a timer, or say \"Hey Siri\" to start.")),
    Case("tz", N, mail("Hadithi", "Siri ya mafanikio yake ni bidii na uvumilivu.")),
    Case("kz", N, text("Бұл құпия емес, бәрі біледі.")),
    Case("az", N, text("Məxfi məlumatların qorunması haqqında qanun qəbul edildi.")),
    Case("mn", N, text("Энэ бол нууц биш, бүгд мэднэ.")),
    Case("hi", N, text("आवेदन प्रारूप\n\nनाम:\nपता:\nमोबाइल नंबर:")),
    Case("ca", N, mail("Carta", "Demà t'envio l'esborrany de la carta per a l'àvia.")),
    Case("pk", N, text("خفیہ ایجنسیوں کے کردار پر ایک نئی کتاب شائع ہوئی ہے۔")),
    Case("eu", N, text("Europol's restricted budget was debated in the European Parliament.")),
    Case("corp", N, text("Classification: \"Public\"\n\n" + EN)),
    # ------------------------------------------------------------ Corporate, other layouts
    Case("corp", C, doc(EN, header="CONFIDENTIAL", first_page=True)),
    Case("corp", C, doc(EN, box="CONFIDENTIAL")),
    Case("corp", C, pdf(EN, header="STRICTLY CONFIDENTIAL", footer="Page 1 of 3")),
    Case("corp", C, doc("Classification\tConfidential\nOwner\tFinance\nVersion\t1.0\n\n" + EN)),
    Case("corp", N, text("Victoria's Secret reported higher quarterly sales on Thursday.")),
    Case("corp", N, text("Privacy policy\n\nWe keep your data confidential and use it only to provide "
                         "the service. You may ask us to delete it at any time.")),
    Case("corp", N, doc(EN, footer="This message is confidential and may be privileged. If you are not "
                        "the intended recipient, please delete it.")),
    Case("corp", N, text("Grandma's secret sauce: two parts ketchup, one part mayonnaise, a dash of "
                         "Worcestershire.")),
    Case("corp", N, mail("Job opening", "We are hiring a Secretary to the Board; apply by 30 June.")),
    Case("corp", N, text("Top Secret Recipes: copycat versions of your favourite restaurant dishes.")),
    # ------------------------------------------------------------ Drafts
    Case("draft-en", D, pdf(EN, header="WORKING DRAFT", footer="WORKING DRAFT")),
    Case("draft-en", D, doc(EN, header="PRE-DECISIONAL DRAFT – NOT FOR RELEASE")),
    Case("draft-en", D, text("DRAFT – NOT FOR CITATION\n\n" + EN)),
    Case("draft-en", D, doc(EN, box="DRAFT")),
    Case("draft-en", D, mail("Draft for comment: procurement policy v0.4", EN)),
    Case("draft-de", D, doc(DE, header="ENTWURF", footer="ENTWURF")),
    Case("draft-de", D, doc(DE, header="Arbeitsentwurf – Stand 03.06.2025")),
    Case("draft-de", D, text("Diskussionsentwurf\n\n" + DE)),
    Case("draft-fr", D, doc(FR, header="PROJET – version provisoire")),
    Case("draft-fr", D, doc(FR, header="DOCUMENT DE TRAVAIL")),
    Case("draft-it", D, doc(IT, header="BOZZA NON DEFINITIVA")),
    Case("draft-es", D, doc(ES, header="BORRADOR PRELIMINAR")),
    Case("draft-es", D, text("BORRADOR\n\n" + ES + "\n\nBORRADOR")),
    Case("draft-pt", D, doc(PT, header="RASCUNHO – NÃO DIVULGAR")),
    Case("draft-nl", D, doc(NL, header="CONCEPT versie 0.3")),
    Case("draft-pl", D, text("Projekt z dnia 3 czerwca 2025 r.\n\nUSTAWA\nz dnia ... 2025 r.\n"
                             "o zmianie ustawy o systemie informacji")),
    Case("draft-cz", D, doc(CS, header="NÁVRH")),
    Case("draft-hu", D, doc(HU, header="TERVEZET")),
    Case("draft-ro", D, doc(RO, header="PROIECT")),
    Case("draft-ru", D, doc(RU, header="ПРОЕКТ")),
    Case("draft-ua", D, doc(UK, header="ПРОЄКТ")),
    Case("draft-zh", D, text("XX市数据管理办法（送审稿）\n\n" + ZH)),
    Case("draft-zh", D, text("2025年工作总结（初稿）\n\n" + ZH)),
    Case("draft-zh", D, doc(ZH, header="草稿")),
    Case("draft-zh", D, text("XX集团差旅费管理规定（报批稿）\n\n" + ZH)),
    Case("draft-zh", D, doc(ZH, header="征求意见稿")),
    Case("draft-tw", D, text("本署組織調整方案（討論稿）\n\n" + TW)),
    Case("draft-tw", D, doc(TW, header="草案")),
    Case("draft-jp", D, doc(JA, header="未定稿")),
    Case("draft-jp", D, text("中期経営計画（草案）\n\n" + JA)),
    Case("draft-kr", D, doc(KO, header="초안")),
    Case("draft-kr", D, text("하반기 사업계획 검토안\n\n" + KO)),
    Case("draft-vi", D, doc(VI, header="DỰ THẢO")),
    Case("draft-id", D, doc(ID, header="RANCANGAN")),
    Case("draft-en", N, text("The Chicago Bears traded up in the draft to take a quarterback.")),
    Case("draft-en", N, mail("Happy hour", "Two-for-one draft beers from 5 to 7 at the Anchor.")),
    Case("draft-en", N, text("Close the window: there is a draft in the nursery.")),
    Case("draft-de", N, text("Entwurf und Gestaltung: Studio Müller, Berlin.")),
    Case("draft-fr", N, doc(FR, header="Projet de rénovation de la médiathèque – bilan")),
    Case("draft-it", N, text("Ho scritto una bozza di lettera per la nonna, poi l'ho ricopiata in bella.")),
    Case("draft-pl", N, doc(PL, header="Projekt budowy drogi S7 – informacja dla mieszkańców")),
    Case("draft-ru", N, text("Проект «Умный город» получил премию.")),
    Case("draft-zh", N, text("关于征求《XX市停车管理条例（征求意见稿）》意见的公告\n\n现向社会公开征求意见，"
                             "欢迎提出意见建议。")),
    Case("draft-zh", N, text("2025年全国统一考试报名须知：考生可携带草稿纸进入考场。")),
    Case("draft-jp", N, text("プロ野球ドラフト会議で指名された選手が入団会見を行った。")),
    Case("draft-kr", N, text("신인 드래프트에서 1순위로 지명된 선수가 입단 소감을 밝혔다.")),
    # ------------------------------------------------------------ Adversarial
    Case("adversarial", C, text("SЕСRЕТ\n\n" + EN)),  # Cyrillic Е, С, Т
    Case("adversarial", C, text("ΤΟΡ SΕCRΕΤ\n\n" + EN)),  # Greek Τ, Ο, Ρ, Ε
    Case("adversarial", C, doc(EN, header="ＣＯＮＦＩＤＥＮＴＩＡＬ")),
    Case("adversarial", C, doc(EN, header="𝐒𝐄𝐂𝐑𝐄𝐓")),
    Case("adversarial", C, text("C O N F I D E N T I A L\n\n" + EN)),
    Case("adversarial", C, text("S-E-C-R-E-T\n\n" + EN)),
    Case("adversarial", C, text("S.E.C.R.E.T.\n\n" + EN)),
    Case("adversarial", C, text("S  E  C  R  E  T\n\n" + EN)),
    Case("adversarial", C, text("C•O•N•F•I•D•E•N•T•I•A•L\n\n" + EN)),
    Case("adversarial", C, doc(EN, header="S/E/C/R/E/T")),
    Case("adversarial", C, text("S*E*C*R*E*T\n\n" + EN)),
    Case("adversarial", C, doc(TW, header="祕密")),  # Taiwan's standard form of 秘
    Case("adversarial", N, text("Tick Y/N/N/Y for each item; send c/o the office.")),
    Case("adversarial", N, text("祕書室通知：本週五下午舉行部門會議。")),
    Case("adversarial", C, text("S\u200bE\u200bC\u200bR\u200bE\u200bT\n\n" + EN)),
    Case("adversarial", C, text("CON\u00adFIDEN\u00adTIAL\n\n" + EN)),
    Case("adversarial", C, text("S\u0332E\u0332C\u0332R\u0332E\u0332T\u0332\n\n" + EN)),
    Case("adversarial", C, text("ⓈⒺⒸⓇⒺⓉ\n\n" + EN)),
    Case("adversarial", C, text("ꜱᴇᴄʀᴇᴛ\n\n" + EN)),
    Case("adversarial", C, doc("SE¦CR¦ET\n\n" + EN)),
    Case("adversarial", C, doc("TOP ¦SECRET\n\n" + EN)),
    Case("adversarial", C, doc("机¦密★¦5年\n\n" + ZH)),
    Case("adversarial", C, html("Quarterly figures", "<p><b>SE</b><span>CR</span>ET</p>"
                                "<p>The numbers are attached.</p>")),
    Case("adversarial", C, html("Quarterly figures", "<p>&#83;&#69;&#67;&#82;&#69;&#84;</p>"
                                "<p>The numbers are attached.</p>")),
    Case("adversarial", C, text("机\u200b密★5年\n\n" + ZH)),
    Case("adversarial", C, text("机　密\n\n" + ZH)),
    Case("adversarial", C, text("機密★５年\n\n" + ZH)),
    Case("adversarial", C, text("ДCП\n\n" + RU)),  # Latin C
    Case("adversarial", C, text("\u202eTERCES\u202c\n\n" + EN)),
    Case("adversarial", C, pdf(EN, header="S E C R E T")),
    Case("adversarial", D, text("D R A F T\n\n" + EN)),
    Case("adversarial", D, text("ＤＲＡＦＴ\n\n" + EN)),
    Case("adversarial", D, doc("DR¦AFT\n\n" + EN)),
    Case("adversarial", D, text("草\u200b稿\n\n" + ZH)),
    Case("adversarial", C, doc("⟨secret⟩\n\n" + EN)),  # stored lower case, shown as SECRET
    Case("adversarial", C, doc("⟨top secret//noforn⟩\n\n" + EN)),
    Case("adversarial", C, doc("Minutes of the logistics review\n" + EN + "\n⟨secret⟩\n" + EN)),
    Case("adversarial", C, doc("SE⟦xq⟧CRET\n\n" + EN)),  # hidden letters inside the word
    Case("adversarial", C, html("Quarterly figures", '<p>SE<span style="display:none">xq</span>CRET</p>'
                                "<p>The numbers are attached.</p>")),
    Case("adversarial", C, html("Quarterly figures", '<p style="text-transform:uppercase">secret</p>'
                                "<p>The numbers are attached.</p>")),
    Case("adversarial", C, html("Quarterly figures", '<p>SE<span style="font-size:0">xq</span>CRET</p>'
                                "<p>The numbers are attached.</p>")),
    Case("adversarial", D, doc("⟨draft⟩\n\n" + EN)),
    Case("adversarial", N, text("Secretly, the team planned a surprise party for the director.")),
    Case("adversarial", N, text("S E C R E T S of the deep: a documentary about the ocean floor.")),
)
