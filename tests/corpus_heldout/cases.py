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

import unicodedata
from dataclasses import dataclass, replace

from tests.corpus_heldout import mails

C, D, R, N = "classification", "draft", "report", "none"


@dataclass(frozen=True)
class Item:
    """One document: ``kind`` is mail, html (a mail with an HTML body), text, docx, pdf or, in
    the third round, eml (a client's raw message), xlsx, pptx, zip or png; in the fourth, rtf.

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
    raw: bytes = b""  # kind eml: the message's bytes as a client sent them
    tag: str = ""  # names a case whose text is not in body, subject or header (eml, metadata)
    notes: str = ""  # pptx speaker notes
    sheet: str = ""  # xlsx sheet name
    core: tuple[tuple[str, str], ...] = ()  # core properties (docx: content_status, category …; pdf Info)
    footnote: str = ""  # docx footnote on the first paragraph
    comment: str = ""  # docx comment on the first paragraph
    alt: str = ""  # docx picture's alternative text
    watermark: str = ""  # docx header WordArt watermark; pdf diagonal stamp
    xmp: str = ""  # pdf XMP properties (RDF inside rdf:Description)
    section2: str = ""  # docx: a second section whose own header says this
    inner: Item | None = None  # kind zip: the archived item
    header_box: str = ""  # docx: a text box in the page header (a labelling add-in's stamp)
    master: str = ""  # pptx: a text box on the slide master (shown on every slide)
    cell_note: str = ""  # xlsx: a note (comment) on the first cell
    annot: str = ""  # pdf: a FreeText annotation (Acrobat's text comment) on the page
    tracked: str = ""  # docx: an insertion tracked by Word (w:ins) closing the first paragraph


@dataclass(frozen=True)
class Case:
    system: str
    expect: str
    item: Item



def held_out(cases: tuple[Case, ...], earlier: tuple[Case, ...], round_tag: str,
             fields: tuple[str, ...]) -> tuple[Case, ...]:
    """Drop items an earlier round already holds; name the others the test's keys would confuse.

    ``earlier``: the cases of the rounds before. An untagged item whose system, header and
    first body line an earlier case shares gets the tag "``round_tag`` KIND WHAT", WHAT
    being the first of its ``fields`` that is set (else its kind): each round named its
    items by its own order of fields, and the test ids keep those names.
    """
    seen = {c.item for c in earlier}
    firsts = {(c.system, c.item.header, c.item.body.split("\n", 1)[0]) for c in earlier}
    kept = []
    for case in cases:
        if case.item in seen:
            continue
        seen.add(case.item)
        item = case.item
        first = (case.system, item.header, item.body.split("\n", 1)[0])
        if not item.tag and first in firsts:
            what = next((value for value in (getattr(item, f) for f in fields) if value),
                        item.kind)
            item = replace(item, tag=f"{round_tag} {item.kind} {what}")
        firsts.add(first)
        kept.append(Case(case.system, case.expect, item))
    return tuple(kept)

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


# ================================================================ The third round
# Written before looking at the rules, from public descriptions the earlier rounds did not
# use: how mail clients emit content (legacy charsets in quoted-printable, base64 and 8bit,
# RFC 2047 subjects cut between letters or inside a character, RFC 2231 and RFC 2047 file
# names, Outlook's Word HTML, Gmail's div/br, Apple Mail, format=flowed, uuencode, UTF-16),
# where labels and markings sit in files (Purview labels in xlsx, pptx and PDF Info or XMP,
# Boldon James properties, Word's Status and Category, footnotes, comments, picture alt
# text, Word's watermark, a second section's header, speaker notes, Excel's header codes
# and sheet names, an Acrobat diagonal watermark, a zip, a picture of a stamp), the levels
# of systems not yet covered (Iceland's Reglugerð 959/2012, South Africa's MISS in
# Afrikaans, Albania, North Macedonia, Malta, Luxembourg's LUX levels, Portugal's MUITO
# SECRETO, Kyrgyzstan, Israel's סודי בהחלט, the Gulf's مقيد and للاستخدام الرسمي فقط,
# Japan's 省秘, 関係者限り, 部内限り, 取扱厳重注意, 機密性3 and 注意, Korea's 2급 비밀 and
# 극비, India's परम गुप्त and प्रतिबंधित, Tamil, Khmer, Lao, Burmese and Amharic words for
# secret, Macau's bilingual stamp), drafts (BROUILLON, ANTEPROYECTO, VORENTWURF,
# CONCEPTVERSIE, ONTWERP, DRÖG, KONSEP, SZKIC, ร่าง, 下書き, 原案, 가안, 시안, 代拟稿, 修改稿,
# 审议稿, DRAFT – SUBJECT TO CONTRACT, Word's Status property) and hard negatives beside
# each: "unclassified" banners (UNCLASSIFIED, 密级：非密, בלמ"ס, NON PROTÉGÉ, OSTENSIVO),
# DECLASSIFIED stamps, restricted stock units, overdrafts, ร่างกาย, 関係者各位, 극비리에,
# गुप्त नवरात्रि, a newspaper called «Совершенно секретно», (试行) and 暂行 rules.

def eml(raw: bytes, tag: str) -> Item:
    return Item("eml", raw=raw, tag=tag)


def xlsx(body: str, header: str = "", footer: str = "", sheet: str = "",
         props: tuple[tuple[str, str], ...] = ()) -> Item:
    return Item("xlsx", body=body, header=header, footer=footer, sheet=sheet, props=props)


def deck(body: str, notes: str = "", box: str = "", props: tuple[tuple[str, str], ...] = ()) -> Item:
    return Item("pptx", body=body, notes=notes, box=box, props=props)


def zipped(inner: Item) -> Item:
    return Item("zip", inner=inner)


def picture(stamp: str) -> Item:
    return Item("png", body=stamp)


def docx_with(body: str, **fields: object) -> Item:
    return Item("docx", body=body, **fields)  # type: ignore[arg-type]


def pdf_with(body: str, **fields: object) -> Item:
    return Item("pdf", body=body, **fields)  # type: ignore[arg-type]


LABEL_GUID = "9c4e2b1a-5d6f-4a8b-b7c9-0e1f2a3b4c5d"


def label(name: str) -> tuple[tuple[str, str], ...]:
    """The custom properties a Purview sensitivity label writes into a file."""
    g = LABEL_GUID
    return ((f"MSIP_Label_{g}_Enabled", "true"), (f"MSIP_Label_{g}_SetDate", "2025-06-03T07:41:09Z"),
            (f"MSIP_Label_{g}_Method", "Standard"), (f"MSIP_Label_{g}_Name", name),
            (f"MSIP_Label_{g}_SiteId", "a1b2c3d4-e5f6-4789-8abc-def012345678"),
            (f"MSIP_Label_{g}_ActionId", "6f7e8d9c-0b1a-4c2d-9e3f-405162738495"),
            (f"MSIP_Label_{g}_ContentBits", "2"))


def label_xmp(name: str) -> str:
    """The same label as Acrobat keeps it: custom properties in the pdfx namespace."""
    return "".join(f"<pdfx:{key}>{value}</pdfx:{key}>" for key, value in label(name))


def label_header(name: str) -> tuple[str, str]:
    """The msip_labels header Outlook writes, folded as Exchange folds it."""
    g = LABEL_GUID
    return ("msip_labels", f"MSIP_Label_{g}_Enabled=true;\r\n MSIP_Label_{g}_SetDate=2025-06-03T07:41:09Z;"
            f"\r\n MSIP_Label_{g}_Method=Standard;\r\n MSIP_Label_{g}_Name={name};\r\n "
            f"MSIP_Label_{g}_SiteId=a1b2c3d4-e5f6-4789-8abc-def012345678;\r\n "
            f"MSIP_Label_{g}_ActionId=6f7e8d9c-0b1a-4c2d-9e3f-405162738495;\r\n MSIP_Label_{g}_ContentBits=0")


def _labelled_mail(subject: str, body: str, name: str) -> bytes:
    header = label_header(name)
    raw = mails.plain(subject, body, charset="us-ascii", cte="7bit")
    head, rest = raw.split(b"\r\n\r\n", 1)
    return head + f"\r\n{header[0]}: {header[1]}".encode() + b"\r\n\r\n" + rest


def cp1258(text: str) -> str:
    """Vietnamese as Windows-1258 holds it: a base letter the code page has, then combining
    tone marks (the code page has no precomposed Ố, Ậ …)."""
    out = []
    for char in text:
        try:
            char.encode("cp1258")
            out.append(char)
            continue
        except UnicodeEncodeError:
            pass
        base, *marks = unicodedata.normalize("NFD", char)
        for mark in marks:  # fold into the base the one mark the code page has precomposed (Â, Ê, Ô, Ơ, Ư)
            composed = unicodedata.normalize("NFC", base + mark)
            if len(composed) == 1 and composed.encode("cp1258", "replace") != b"?":
                base = composed
                marks.remove(mark)
                break
        out.append(base + "".join(marks))
    return "".join(out)


def visual(text: str) -> str:
    """Hebrew in visual order (ISO-8859-8 without -i): each line stored as it is drawn."""
    return "\n".join(line[::-1] for line in text.split("\n"))


IS = ("Meðfylgjandi er skýrsla um framvindu verkefnisins.\nAthugasemdir berist fyrir 20. júní.")
AF = ("Hiermee die verslag oor die vordering van die projek.\nKommentaar moet voor 20 Junie ingedien word.")
SQ = ("Bashkëlidhur gjeni raportin për ecurinë e projektit.\nVërejtjet dërgohen deri më 20 qershor.")
MK = ("Во прилог ви го доставуваме извештајот за напредокот на проектот.\n"
      "Забелешките доставете ги до 20 јуни.")
MT = ("Mehmuż issib ir-rapport dwar il-progress tal-proġett.\n"
      "Il-kummenti għandhom jintbagħtu sal-20 ta' Ġunju.")
KY = ("Долбоордун аткарылышы боюнча отчет тиркелет.\nПикирлерди 20-июнга чейин жөнөтүңүз.")
TA = ("திட்டத்தின் முன்னேற்ற அறிக்கை இணைக்கப்பட்டுள்ளது.\nகருத்துகளை ஜூன் 20க்குள் அனுப்பவும்.")
KM = ("សូមភ្ជាប់មកជាមួយនូវរបាយការណ៍វឌ្ឍនភាពនៃគម្រោង។\nសូមផ្ញើមតិយោបល់មុនថ្ងៃទី២០ ខែមិថុនា។")
LO = ("ຂໍສົ່ງບົດລາຍງານຄວາມຄືບໜ້າຂອງໂຄງການ.\nກະລຸນາສົ່ງຄຳເຫັນກ່ອນວັນທີ 20 ມິຖຸນາ.")
MY = ("စီမံကိန်း တိုးတက်မှု အစီရင်ခံစာကို ပူးတွဲပေးပို့ပါသည်။\n"
      "အကြံပြုချက်များကို ဇွန် ၂၀ ရက်နေ့မတိုင်မီ ပေးပို့ပါ။")
AM = ("የፕሮጀክቱ የሂደት ሪፖርት ተያይዟል።\nአስተያየትዎን እስከ ሰኔ 20 ድረስ ይላኩ።")
FI = ("Ohessa raportti hankkeen etenemisestä.\nHuomautukset pyydetään 20. kesäkuuta mennessä.")

THIRD: tuple[Case, ...] = (
    # ------------------------------------------------------------ Legacy charsets as clients send them
    Case("ru", C, eml(mails.plain(mails.words("СЕКРЕТНО: график поставок", "koi8-r"),
                                  "Направляем график поставок на третий квартал.\n\n" + RU, "koi8-r",
                                  "8bit", client="thunderbird"), "koi8-r subject")),
    Case("ru", C, eml(mails.plain("Otchet", "ДЛЯ СЛУЖЕБНОГО ПОЛЬЗОВАНИЯ\n\n" + RU, "windows-1251"),
                      "cp1251 qp dsp")),
    Case("ru", C, eml(mails.plain("Dogovor", "Экз. № 2\nСОВЕРШЕННО СЕКРЕТНО\n\n" + RU, "windows-1251",
                                  "base64", client="apple"), "cp1251 b64 ss")),
    Case("ua", C, eml(mails.plain("Zvit", "ДЛЯ СЛУЖБОВОГО КОРИСТУВАННЯ\n\n" + UK, "koi8-u", "8bit",
                                  client="thunderbird"), "koi8-u dsk")),
    Case("gr", C, eml(mails.plain("Enimerosi", "ΑΠΟΡΡΗΤΟ\n\n" + EL + "\n\nΑΠΟΡΡΗΤΟ", "iso-8859-7"),
                      "iso-8859-7 aporrito")),
    Case("il", C, eml(mails.plain("Tazkir", "סודי בהחלט\n\n" + HE, "windows-1255", "base64"),
                      "cp1255 sodi behechlet")),
    Case("il", C, eml(mails.plain("Tazkir", visual("שמור\n\n" + HE), "iso-8859-8", "quoted-printable"),
                      "iso-8859-8 visual shamur")),
    Case("ar", C, eml(mails.plain("Mudhakkira", "سري للغاية\n\n" + AR, "windows-1256", "base64"),
                      "cp1256 top secret")),
    Case("kr", C, eml(mails.plain(mails.words("[대외비] 하반기 인력 운영 계획", "euc-kr"), "극비\n\n" + KO,
                                  "euc-kr", "base64"), "euc-kr geukbi")),
    Case("jp", C, eml(mails.plain(mails.words("【部内限り】人事異動の内示について", "iso-2022-jp"),
                                  JA, "iso-2022-jp", "7bit"), "iso-2022-jp bunai kagiri")),
    Case("jp", C, eml(mails.plain("Houkoku", "省秘\n\n" + JA, "shift_jis", "base64"), "sjis shohi")),
    Case("cn", C, eml(mails.plain(mails.words("【机密】2025年投标报价", "gb2312", cuts=(3,)), ZH, "gb2312",
                                  "base64"), "gb2312 subject cut in a character")),
    Case("cn", C, eml(mails.plain("Baogao", "秘密★1年\n\n" + ZH, "hz-gb-2312", "7bit", client="apple"),
                      "hz body")),
    Case("tw", C, eml(mails.plain(mails.words("極機密：專案進度", "big5"), TW, "big5", "quoted-printable"),
                      "big5 subject")),
    Case("th", C, eml(mails.plain("Rai-ngan", "ลับมาก\n\n" + TH, "tis-620", "base64"), "tis-620 lap mak")),
    Case("vn", C, eml(mails.plain("Bao cao", cp1258("TỐI MẬT\n\n" + VI), "windows-1258", "quoted-printable"),
                      "cp1258 combining toi mat")),
    Case("pl", C, eml(mails.plain("Informacja", "ŚCIŚLE TAJNE\n\n" + PL, "iso-8859-2", "base64",
                                  client="thunderbird"), "iso-8859-2 scisle tajne")),
    Case("tr", C, eml(mails.plain("Bilgi notu", "HİZMETE ÖZEL\n\n" + TR, "iso-8859-9", "quoted-printable"),
                      "iso-8859-9 hizmete ozel")),
    Case("de", C, eml(mails.plain(mails.words("VS-NfD: Sachstand Beschaffung", "iso-8859-1", mode="Q"),
                                  "VS – NUR FÜR DEN DIENSTGEBRAUCH\n\n" + DE, "windows-1252"),
                      "latin-1 q subject")),
    Case("corp", C, eml(mails.plain("Salary review", "CONFIDENTIAL\n\n" + EN, "utf-16", "base64"),
                        "utf-16 body")),
    Case("fr", C, eml(mails.plain(mails.words("CONFIDENTIEL DÉFENSE – note", "utf-8", cuts=(6,), mode="Q"),
                                  FR, "utf-8", "quoted-printable", client="gmail"),
                      "q subject cut in a word")),
    Case("de", C, eml(mails.plain(mails.words("STRENG GEHEIM Lagebild", "utf-8", cuts=(4, 9, 14)),
                                  DE, "utf-8", "base64", client="gmail"), "subject in four words")),
    Case("cn", C, eml(mails.plain(mails.words("机密★5年 合同", "utf-8", cuts=(1, 4, 7)), ZH, "utf-8",
                                  "base64"), "utf-8 subject cut inside every character")),
    Case("ru", N, eml(mails.plain(mails.words("Подписка на газету", "koi8-r"),
                                  "Газета \"Совершенно секретно\" опубликовала новое расследование.\n"
                                  "Оформить подписку можно на сайте редакции.", "koi8-r", "8bit",
                                  client="thunderbird"), "koi8-r newspaper")),
    Case("gr", N, eml(mails.plain("Politiki", "Πολιτική απορρήτου: τα δεδομένα σας δεν κοινοποιούνται "
                                  "σε τρίτους.", "iso-8859-7"), "iso-8859-7 privacy")),
    Case("jp", N, eml(mails.plain(mails.words("関係者各位　会議室変更のお知らせ", "iso-2022-jp"),
                                  "関係者各位\n\n明日の会議は第二会議室に変更になりました。", "iso-2022-jp",
                                  "7bit"), "iso-2022-jp kankeisha kakui")),
    Case("kr", N, eml(mails.plain(mails.words("협상 뒷이야기", "euc-kr"),
                                  "양측은 극비리에 협상을 진행한 것으로 알려졌다고 신문이 보도했다.",
                                  "euc-kr", "base64"), "euc-kr geukbiri news")),
    Case("cn", N, eml(mails.plain(mails.words("关于印发管理办法（试行）的通知", "gb2312"),
                                  "密级：非密\n\n各部门：现将《XX公司差旅管理暂行办法》印发给你们，请遵照执行。",
                                  "gb2312", "base64"), "gb2312 feimi shixing")),
    Case("tr", N, eml(mails.plain("Ozel ders", "Özel ders verilir: matematik ve fizik, hafta sonları.",
                                  "iso-8859-9", "quoted-printable"), "iso-8859-9 ozel ders")),
    # ------------------------------------------------------------ Client HTML and text forms
    Case("us", C, eml(mails.outlook_html("Convoy timings", [
        "Sam,", "<b><span style='color:red'>TOP&nbsp;SECRET//NOFORN</span></b>",
        "The timings are in the annex."], plain_text="Sam,\r\n\r\nThe timings are in the annex."),
        "outlook html nbsp banner")),
    Case("au", C, eml(mails.outlook_html("Budget bid", [
        "Hi all,", "The bid is attached for comment.", "&nbsp;", "Kind regards,", "Jo Citizen",
        "<span style='font-size:8.0pt;color:gray'>OFFICIAL: Sensitive</span>"],
        plain_text="Hi all,\r\n\r\nThe bid is attached for comment.\r\n"), "outlook signature banner")),
    Case("corp", C, eml(mails.html_only("Q3 forecast", "<div dir=\"ltr\"><div>Classification: "
                                        "<b>Highly Confidential</b></div><div><br></div><div>Forecast "
                                        "attached.</div><div><br></div><div>-- <br><div "
                                        "class=\"gmail_signature\">Lucia</div></div></div>"),
                        "gmail div br label")),
    Case("fr", D, eml(mails.html_only("Note", "<div style=\"word-wrap: break-word; -webkit-nbsp-mode: space; "
                                      "line-break: after-white-space;\"><div><b>BROUILLON</b></div><div><br>"
                                      "</div><div>" + FR.replace("\n", "<br>") + "</div></div>",
                                      client="apple"), "apple html brouillon")),
    Case("de", C, eml(mails.flowed("Lagebild", ["Hallo Petr,", "anbei das Lagebild, eingestuft als "
                                                "VS-VERTRAULICH, bitte nur persönlich weitergeben.",
                                                "Gruß"], width=38), "flowed vs-vertraulich")),
    Case("se", C, eml(mails.flowed("Rapport", ["Hej,", "Rapporten bifogas. Den är klassificerad "
                                               "BEGRÄNSAT HEMLIG och får inte spridas vidare.",
                                               "Hälsningar"], width=47),
                      "flowed begransat hemlig split")),
    Case("us", C, eml(mails.plain("(S//NF) Convoy timings", "(S//NF) The convoy leaves at 0400.\n\n"
                                  "(U) Contact the duty officer for changes.", "us-ascii", "7bit"),
                      "portion marked subject")),
    Case("us", C, eml(mails.plain("Budget figures", "CLASSIFICATION: CONFIDENTIAL\n\n" + EN, "us-ascii",
                                  "7bit"), "classification line")),
    Case("us", C, eml(mails.uuencoded("files", "Report attached.", "report.txt",
                                      "SECRET//NOFORN\n\nThe source reports a meeting on 2 June.\n\n"
                                      "SECRET//NOFORN\n"), "uuencoded")),
    Case("ru", C, eml(mails.attachment("Otchet", "See the attachment.", mails.filename_2231(
        "ДСП_отчет_за_квартал.txt"), "Отчёт за квартал.\n".encode()), "rfc2231 dsp filename")),
    Case("jp", C, eml(mails.attachment("Shiryo", "Please find the file attached.",
                                       'filename="' + mails.words("【社外秘】価格表.txt", "iso-2022-jp")
                                       .replace("\r\n ", "") + '"', "価格表\n".encode()),
                      "rfc2047 filename shagaihi")),
    Case("us", N, eml(mails.plain("(U) Team lunch", "UNCLASSIFIED\n\n(U) Lunch is at noon on Friday in "
                                  "the atrium.\n\nUNCLASSIFIED", "us-ascii", "7bit"), "unclassified banner")),
    Case("corp", N, eml(mails.outlook_html("Newsletter", [
        "<b>Top 10 secrets of productive teams</b>", "1. Keep meetings short.", "2. Write things down."],
        plain_text="Top 10 secrets of productive teams"), "outlook newsletter")),
    Case("corp", N, eml(mails.html_only("Your RSUs", "<div dir=\"ltr\"><div>Your restricted stock units "
                                        "vest on 1 July.</div><div>Log in to the portal to see the "
                                        "schedule.</div></div>"), "gmail rsu")),
    Case("corp", N, eml(mails.plain("Account notice", "Your account is overdrawn. An overdraft fee of "
                                    "$35 applies; see the fee schedule.", "us-ascii", "7bit"), "overdraft")),
    Case("us", N, eml(mails.plain("Archive box", "DECLASSIFIED\nAuthority NND 959001\nBy NARA Date 2012\n\n"
                                  "Box 14 of the collection is now open to researchers.", "us-ascii", "7bit"),
                      "declassified stamp")),
    # ------------------------------------------------------------ Labels and properties in files
    Case("purview", C, eml(_labelled_mail("Pricing", EN, "Streng vertraulich"), "msip header de")),
    Case("purview", C, eml(_labelled_mail("Pricing", EN, "Hautement confidentiel\\Tous les employés"),
                           "msip header fr sublabel")),
    Case("purview", N, eml(_labelled_mail("Lunch", "Pizza at noon.", "Public"), "msip header public")),
    Case("purview", C, xlsx("Item\tQ1\tQ2\nFuel\t120\t135", props=label("Highly Confidential"))),
    Case("purview", C, deck("Pricing review\nNew tiers from July", props=label("Confidential"))),
    Case("purview", C, pdf_with(EN, props=label("Confidential"), tag="pdf info label")),
    Case("purview", C, pdf_with(EN, xmp=label_xmp("Highly Confidential"), tag="pdf xmp label")),
    Case("purview", N, pdf_with(EN, props=label("General"), tag="pdf info general")),
    Case("purview", N, deck("Team offsite\nAgenda and venue", props=label("Allgemein"))),
    Case("boldon", C, doc(EN, props=(("bjDocumentSecurityLabel", "OFFICIAL-SENSITIVE"),
                                     ("bjSaver", "uJ3kQ9pX2vT7mN1cR5wZ8yB4hL6fD0sA")))),
    Case("titus", C, xlsx("Supplier\tPrice\nAcme\t12.40",
                          props=(("TITUSGUID", "8a7b6c5d-4e3f-2a1b-0c9d-8e7f6a5b4c3d"),
                                 ("Classification", "SECRET")))),
    Case("corp", C, docx_with(EN, core=(("category", "Confidential"),), tag="core category")),
    Case("draft-en", D, docx_with(EN, core=(("content_status", "Draft"),), tag="core status draft")),
    Case("draft-en", N, docx_with(EN, core=(("content_status", "Final"),), tag="core status final")),
    Case("us", C, docx_with("(U) The exercise moves to phase two on 14 June.",
                            footnote="(S//NF) Reporting from a liaison service, 2 June.", tag="footnote")),
    Case("corp", C, docx_with(EN, comment="CONFIDENTIAL – board members only; do not forward.",
                              tag="comment")),
    Case("cn", C, docx_with(ZH, alt="印章：机密★5年", tag="alt text")),
    Case("draft-de", D, docx_with(DE, watermark="ENTWURF", tag="watermark entwurf")),
    Case("corp", C, docx_with(EN, watermark="CONFIDENTIAL", tag="watermark confidential")),
    Case("draft-es", D, docx_with(ES, watermark="BORRADOR", tag="watermark borrador")),
    Case("uk", C, docx_with(EN, section2="OFFICIAL-SENSITIVE PERSONAL", tag="second section header")),
    Case("us", C, deck("Collection update\nCoverage resumed on 2 June", notes="TOP SECRET//SI//NOFORN – "
                       "brief only to cleared staff.")),
    Case("kr", C, deck("극비\n하반기 조직 개편안 검토 결과")),
    Case("draft-de", D, deck("Vertriebsstrategie 2026\nZiele und Maßnahmen", box="ENTWURF")),
    Case("se", C, xlsx("Enhet\tAntal\nNord\t14\nSyd\t9", header="BEGRÄNSAT HEMLIG")),
    Case("corp", C, xlsx("Name\tSalary\nA. Jones\t54000", sheet="CONFIDENTIAL")),
    Case("gr", C, xlsx("ΑΠΟΡΡΗΤΟ\nΜονάδα\tΠλήθος\nΒόρεια\t14")),
    Case("corp", C, pdf_with(EN, watermark="CONFIDENTIAL", tag="pdf diagonal watermark")),
    Case("draft-en", D, pdf_with(EN, core=(("title", "DRAFT – Annual report 2025"),), tag="pdf title draft")),
    Case("de", C, zipped(doc(DE, header="VS-NUR FÜR DEN DIENSTGEBRAUCH"))),
    Case("cn", C, zipped(text("机密★5年\n\n" + ZH))),
    Case("corp", C, picture("CONFIDENTIAL")),
    Case("us", N, docx_with(EN, footnote="See the Official Secrets Act 1989, section 1.",
                            tag="footnote law")),
    Case("corp", N, docx_with(EN, comment="Is this the final version? Yes – final, approved.",
                              tag="comment final")),
    Case("corp", N, xlsx("Round\tPick\tPlayer\n1\t4\tJ. Smith", sheet="Draft picks")),
    Case("corp", N, xlsx("Employee\tRestricted stock units\tVesting\nA. Jones\t400\t2026-07-01")),
    Case("corp", N, deck("Secrets of great presentations\nTell one story per slide")),
    Case("corp", N, picture("THANK YOU")),
    # ------------------------------------------------------------ Systems not yet covered
    Case("is", C, doc(IS, header="TRÚNAÐARMÁL", footer="TRÚNAÐARMÁL")),
    Case("is", C, text("ALGJÖRT LEYNDARMÁL\n\n" + IS)),
    Case("is", C, doc(IS, header="TAKMARKAÐUR AÐGANGUR")),
    Case("is", N, text("Leyndarmálið á bak við góða kleinu er kardimommur.")),
    Case("za", C, doc(AF, header="UITERS GEHEIM", footer="UITERS GEHEIM")),
    Case("za", C, text("VERTROULIK\n\n" + AF)),
    Case("za", C, doc(AF, header="BEPERK")),
    Case("za", N, text("Die geheim van 'n goeie melktert is geduld.")),
    Case("al", C, doc(SQ, header="TEPËR SEKRET")),
    Case("al", C, doc(SQ, header="KONFIDENCIAL")),
    Case("al", C, doc(SQ, header="I KUFIZUAR")),
    Case("al", N, text("Sekreti i suksesit është puna e palodhur.")),
    Case("mk", C, doc(MK, header="СТРОГО ДОВЕРЛИВО")),
    Case("mk", C, text("ДОВЕРЛИВО\n\n" + MK)),
    Case("mk", C, doc(MK, header="ИНТЕРНО")),
    Case("mk", N, doc(MK, header="Интерно гласило на компанијата – јуни 2025")),
    Case("mt", C, doc(MT, header="SIGRIET")),
    Case("mt", C, doc(MT, header="KUNFIDENZJALI")),
    Case("mt", C, doc(MT, header="RISTRETT")),
    Case("mt", N, text("Is-sigriet tal-ħobż Malti huwa l-ħmira.")),
    Case("lu", C, doc(FR, header="SECRET LUX")),
    Case("lu", C, doc(FR, header="RESTREINT LUX")),
    Case("pt", C, doc(PT, header="MUITO SECRETO")),
    Case("kg", C, doc(KY, header="ЖАШЫРУУН")),
    Case("kg", C, text("ӨТӨ ЖАШЫРУУН\n\n" + KY)),
    Case("kg", N, text("Бул жашыруун эмес, баары билишет.")),
    Case("il", C, doc(HE, header="סודי בהחלט")),
    Case("il", N, doc(HE, header="בלמ\"ס", footer="בלמ\"ס")),
    Case("ar", C, doc(AR, header="مقيد")),
    Case("ar", C, text("للاستخدام الرسمي فقط\n\n" + AR)),
    Case("ar", C, doc(AR, header="سري وشخصي")),
    Case("ar", N, text("الدخول مقيد لموظفي الصيانة فقط بعد الساعة السادسة.")),
    Case("jp", C, doc(JA, header="省秘")),
    Case("jp", C, doc(JA, header="関係者限り")),
    Case("jp", C, text("取扱厳重注意\n\n" + JA)),
    Case("jp", C, doc(JA, header="機密性3情報")),
    Case("jp", C, doc(JA, header="注意")),
    Case("jp", N, text("取扱説明書\n\nご使用の前にこの取扱説明書をよくお読みください。")),
    Case("jp", N, text("注意事項\n\n1．試験開始の合図があるまで問題冊子を開かないこと。")),
    Case("jp", N, doc(JA, header="部内研修のお知らせ")),
    Case("kr", C, doc(KO, header="2급 비밀")),
    Case("kr", C, text("3급비밀\n\n" + KO)),
    Case("kr", N, text("2급 자격증 시험 일정 안내\n\n접수는 다음 주 월요일부터입니다.")),
    Case("in", C, doc(HI, header="परम गुप्त")),
    Case("in", C, doc(HI, header="प्रतिबंधित")),
    Case("in", N, text("गुप्त नवरात्रि आषाढ़ मास में मनाई जाती है।")),
    Case("in", N, text("गुप्त साम्राज्य को भारत का स्वर्ण युग कहा जाता है।")),
    Case("in", N, text("प्रतिबंधित क्षेत्र — बिना अनुमति प्रवेश निषेध।")),
    Case("ta", C, doc(TA, header="இரகசியம்")),
    Case("ta", N, text("வெற்றியின் இரகசியம் கடின உழைப்பு.")),
    Case("kh", C, doc(KM, header="សម្ងាត់")),
    Case("kh", C, doc(KM, header="សម្ងាត់បំផុត")),
    Case("kh", N, text("សូមកុំចែករំលែកពាក្យសម្ងាត់របស់អ្នកជាមួយអ្នកដទៃ។")),
    Case("la", C, doc(LO, header="ລັບ")),
    Case("la", C, doc(LO, header="ລັບທີ່ສຸດ")),
    Case("mm", C, doc(MY, header="လျှို့ဝှက်")),
    Case("mm", N, text("အောင်မြင်မှု၏ လျှို့ဝှက်ချက်မှာ ကြိုးစားခြင်းဖြစ်သည်။")),
    Case("et", C, doc(AM, header="ሚስጥር")),
    Case("et", C, doc(AM, header="ጥብቅ ሚስጥር")),
    Case("et", N, text("የስኬት ሚስጥር ትጋት ነው።")),
    Case("mo", C, doc(PT, header="CONFIDENCIAL 機密")),
    Case("fr", N, doc(FR, header="NON PROTÉGÉ")),
    Case("br", N, doc(PT, header="OSTENSIVO")),
    Case("cn", N, doc("密级\t非密\n编号\tXM-2025-031\n\n" + ZH)),
    # ------------------------------------------------------------ Drafts
    Case("draft-fr", D, doc(FR, header="BROUILLON")),
    Case("draft-es", D, text("ANTEPROYECTO DE LEY DE TRANSPARENCIA\n\n" + ES)),
    Case("draft-de", D, doc(DE, header="VORENTWURF")),
    Case("draft-nl", D, doc(NL, header="CONCEPTVERSIE")),
    Case("draft-nl", D, doc(NL, header="ONTWERP")),
    Case("draft-is", D, doc(IS, header="DRÖG")),
    Case("draft-za", D, doc(AF, header="KONSEP")),
    Case("draft-pl", D, doc(PL, header="SZKIC")),
    Case("draft-th", D, doc(TH, header="ร่าง")),
    Case("draft-jp", D, doc(JA, header="下書き")),
    Case("draft-jp", D, text("組織規程改正原案\n\n" + JA)),
    Case("draft-kr", D, doc(KO, header="가안")),
    Case("draft-kr", D, doc(KO, header="시안")),
    Case("draft-zh", D, text("关于加强数据安全管理的意见（代拟稿）\n\n" + ZH)),
    Case("draft-zh", D, text("2025年度工作报告（修改稿）\n\n" + ZH)),
    Case("draft-zh", D, doc(ZH, header="审议稿")),
    Case("draft-en", D, doc(EN, header="DRAFT – SUBJECT TO CONTRACT")),
    Case("draft-ru", D, eml(mails.plain(mails.words("Черновик: положение о закупках", "koi8-r"), RU,
                                        "koi8-r", "8bit", client="thunderbird"), "koi8-r chernovik")),
    Case("draft-fi", D, eml(mails.plain("Muistio", "LUONNOS\n\n" + FI, "iso-8859-1", "quoted-printable"),
                            "latin-1 luonnos")),
    Case("draft-th", N, text("การออกกำลังกายทำให้ร่างกายแข็งแรง")),
    Case("draft-nl", N, text("Ontwerp en vormgeving: Studio Jansen, Utrecht.")),
    Case("draft-en", N, text("Wanted: draughtsman for a small architecture practice; AutoCAD essential.")),
    Case("draft-en", N, text("The Shire is a breed of draft horse from England.")),
    Case("draft-zh", N, text("关于印发《XX市电动自行车管理办法（试行）》的通知\n\n" + ZH)),
    Case("draft-zh", N, text("XX公司员工休假暂行规定\n\n" + ZH)),
    Case("draft-jp", N, text("メールの下書きは自動的に保存されます。")),
    Case("draft-fr", N, text("Il avait l'esprit brouillon ce matin-là, et oublia ses clés.")),
    Case("draft-es", N, text("El proyecto de la nueva biblioteca fue presentado a los vecinos.")),
    # ------------------------------------------------------------ Adversarial: what a sender who
    # wants the document out might type; a reader still sees the marking
    Case("adversarial", C, text("C0NFIDENTIAL\n\n" + EN)),  # a zero for the O
    Case("adversarial", C, text("S\u2009E\u2009C\u2009R\u2009E\u2009T\n\n" + EN)),  # thin spaces
    Case("adversarial", C, text("S\u2060E\u2060C\u2060R\u2060E\u2060T\n\n" + EN)),  # word joiners
    Case("adversarial", C, text("CONF\u034fIDENT\u034fIAL\n\n" + EN)),  # combining grapheme joiner
    Case("adversarial", C, text("S\u2063E\u2063C\u2063R\u2063E\u2063T\n\n" + EN)),  # invisible separator
    Case("adversarial", C, text("⒮⒠⒞⒭⒠⒯\n\n" + EN)),  # parenthesized letters
    Case("adversarial", C, text("🅂🄴🄲🅁🄴🅃\n\n" + EN)),  # squared letters
    Case("adversarial", C, text("S\u0308E\u0308C\u0308R\u0308E\u0308T\u0308\n\n" + EN)),  # diaereses
    Case("adversarial", C, text("ᏚᎬᏟᎡᎬᎢ\n\n" + EN)),  # Cherokee look-alikes
    Case("adversarial", C, text("S\nE\nC\nR\nE\nT\n\n" + EN)),  # one letter per line
    Case("adversarial", C, text("T.O.P. S.E.C.R.E.T.\n\n" + EN)),
    Case("adversarial", C, Item("text", tag="hyphenated across lines",
                                body=EN + "\nThis annex is CONFI-\nDENTIAL and stays with the addressee.")),
    Case("adversarial", C, html("Quarterly figures", "<p>SE<!-- -->CRET</p><p>The numbers are "
                                "attached.</p>")),
    Case("adversarial", C, Item("html", subject="Quarterly figures", tag="letters in table cells",
                                body="<table><tr><td>S</td><td>E</td><td>C</td><td>R</td><td>E</td>"
                                "<td>T</td></tr></table><p>The numbers are attached.</p>")),
    Case("adversarial", C, pdf_with("⟪SECRET⟫\n" + EN, tag="pdf glyphs in reverse order")),
    Case("adversarial", C, text("机·密★5年\n\n" + ZH)),
    Case("adversarial", C, text("ＴＯＰ ＳＥＣＲＥＴ／／ＮＯＦＯＲＮ\n\n" + EN)),
    Case("adversarial", D, text("D\u2060R\u2060A\u2060F\u2060T\n\n" + EN)),
    Case("adversarial", N, text("Press 1 for S-E-R-V-I-C-E, or hold to speak to an agent.")),
    Case("adversarial", N, text("UNCLASSIFIED//FOR PUBLIC RELEASE\n\n" + EN)),
)

CASES = CASES + THIRD
