"""The held-out corpus's eighth round, and every round together (``CASES``).

Written before reading the rules or the vocabulary, from public descriptions of marking
schemes and of how marked papers are laid out, for systems and layouts the earlier rounds
used little or not at all:

- the Nordic laws: Sweden's levels since 2021 (KVALIFICERAT HEMLIG/TOP SECRET, HEMLIG/SECRET,
  HEMLIG/CONFIDENTIAL) and the secrecy stamp citing the Public Access and Secrecy Act with a
  file number, Norway's STRENGT HEMMELIG and BEGRENSET under the Security Act, Denmark's
  FORTROLIGT and HEMMELIGT, Finland's ERITTÄIN SALAINEN, LUOTTAMUKSELLINEN and the SALAINEN
  stamp with its security class (TL II) and the section of the Publicity Act;
- the Baltic and Central and Eastern Europe: Latvia's SLEPENI and DIENESTA VAJADZĪBĀM,
  Lithuania's RIBOTO NAUDOJIMO and VISIŠKAI SLAPTAI, Estonia's SALAJANE, Poland's ZASTRZEŻONE,
  ŚCIŚLE TAJNE and POUFNE with its copy number, Czechia's VYHRAZENÉ and PŘÍSNĚ TAJNÉ, Hungary's
  SZIGORÚAN TITKOS! and BIZALMAS!, Romania's STRICT SECRET DE IMPORTANȚĂ DEOSEBITĂ, Bulgaria's
  СТРОГО СЕКРЕТНО and ЗА СЛУЖЕБНО ПОЛЗВАНЕ, Croatia's POVJERLJIVO and OGRANIČENO, Slovenia's
  ZAUPNO and INTERNO, North Macedonia's СТРОГО ДОВЕРЛИВО, Serbia's СТРОГО ПОВЕРЉИВО, Bosnia's
  VRLO TAJNO, Ukraine's ДСК with its copy number;
- Greece's ΑΚΡΩΣ ΑΠΟΡΡΗΤΟ and ΠΕΡΙΟΡΙΣΜΕΝΗΣ ΧΡΗΣΗΣ, Israel's סודי, Iran's letter head with
  its طبقه‌بندی field and the levels خیلی محرمانه and به کلی سری, India's office memorandum
  headed SECRET above its file number, the bilingual गोपनीय/CONFIDENTIAL and गुप्त, Indonesia's
  letter with its Sifat field (Rahasia) and RAHASIA/TERBATAS stamps, Malaysia's RAHSIA BESAR
  and SULIT under the letter's reference;
- Brazil's grau de sigilo line, Portugal's CONFIDENCIAL, Spain's DIFUSIÓN LIMITADA; the Swiss
  GEHEIM with its copy number and CONFIDENZIALE, Austria's STRENG GEHEIM, Belgium's bilingual
  GEHEIM – SECRET and VERTROUWELIJK – CONFIDENTIEL, the Netherlands' STG. GEHEIM, STG.
  CONFIDENTIEEL and Departementaal Vertrouwelijk (in a footer and as a document property);
- Canada's PROTECTED A/B/C (with PROTÉGÉ), Australia's OFFICIAL: Sensitive and the email
  protective marking [SEC=…, ACCESS=…], New Zealand's [IN-CONFIDENCE] and RESTRICTED, the UK's
  OFFICIAL-SENSITIVE with its PERSONAL and LOCSEN descriptors;
- NATO's COSMIC TOP SECRET and NATO CONFIDENTIAL (and (NC) portion marks), the EU's TRÈS SECRET
  UE/EU TOP SECRET, the OECD's cover (For Official Use, then the document code), TLP:RED and
  TLP:AMBER in new places (a spreadsheet, an HTML mail);
- company schemes: Airbus' AMBER and RED, Shell's Most Confidential, a clinical protocol's
  header, Pfizer's and Roche's footers, the German car makers' Vertraulich tiers, a bank's
  "Classification:" footer, Purview's "Sensitivity:" footer and a label named in Spanish;
- drafts: ENTWURF as Word's watermark, Entwurf – Stand:, ONTWERP with its date, UTKAST,
  LUONNOS with a date, PROJET, Projet de décret, BOZZA watermark, SZKIC, NÁVRH with a version,
  TERVEZET, NACRT, OSNUTEK, PROJEKTAS, EELNÕU, ANTEPROJETO, BORRADOR, ΣΧΕΔΙΟ, پیش‌نویس, मसौदा,
  KONSEP, DRAF, 草案, 送审稿, 草稿, 초안, ПРОЕКТ above a federal law, ドラフト, a PDF's DRAFT
  watermark, Word's title property;
- hard negatives beside them: recipes, helplines and privacy policies in the same languages,
  "all rights reserved" in Polish, Czech and Slovak (zastrzeżone, vyhrazena, vyhradené), a
  Dutch colophon's "Ontwerp:", news about leaks, the Official Secrets Act and the end of
  Austria's Amtsgeheimnis, job ads asking for a security clearance or a Confidential
  Assistant, an Indonesian letter whose Sifat is Biasa, [SEC=OFFICIAL], OECD Unclassified,
  Spain's borrador de la renta, draft beer, the NHL draft in Swedish, 草稿纸, draft laws in
  the news, Entwurfsmuster.
"""

from __future__ import annotations

from functools import partial

from tests.corpus_heldout import round7 as earlier
from tests.corpus_heldout.cases import (
    AT,
    BG,
    CS,
    DA,
    DE,
    EL,
    EN,
    ES,
    ET,
    FA,
    FI,
    FR,
    HE,
    HI,
    HR,
    HU,
    ID,
    IT,
    JA,
    LT,
    LV,
    MK,
    MS,
    NL,
    NO,
    PL,
    PT,
    RO,
    RU,
    SK,
    SL,
    SR,
    SV,
    UK,
    ZH,
    C,
    Case,
    D,
    N,
    doc,
    docx_with,
    held_out,
    html,
    label,
    mail,
    pdf,
    pdf_with,
    text,
    xlsx,
)
from tests.corpus_heldout.round4 import footed, rtf
from tests.corpus_heldout.round5 import odt
from tests.corpus_heldout.round6 import subject_mail
from tests.corpus_heldout.round7 import master

BS = ("Dostavljamo informaciju o realizaciji aktivnosti.\nPrimjedbe dostaviti do 20. juna.")
IT_CH = ("Vi trasmettiamo il rapporto sullo stato dei lavori.\nEventuali osservazioni entro il 20 giugno.")
ZH_LAW = ("第一章 总则\n第一条 为了规范数据处理活动，保障数据安全，制定本条例。")
KO_PLAN = ("2026년 정보보호 추진계획\n1. 추진 배경\n2. 세부 추진 과제")

EIGHTH: tuple[Case, ...] = (
    # ------------------------------------------------------------ Nordic
    Case("se", C, doc(SV, header="KVALIFICERAT HEMLIG/TOP SECRET", footer="KVALIFICERAT HEMLIG/TOP SECRET")),
    Case("se", C, pdf(SV, header="HEMLIG/SECRET")),
    Case("se", C, doc(SV, header="HEMLIG/CONFIDENTIAL")),
    Case("se", C, doc("HEMLIG\nenligt 15 kap. 2 § offentlighets- och sekretesslagen (2009:400)\n"
                      "Datum 2025-06-03\nBeteckning FM2025-11234:2\n\n" + SV)),
    Case("se", N, text("Hemligt recept: mormors kanelbullar\nBlanda mjölet med smöret och sockret.")),
    Case("se", N, text("NHL-draften: tolv svenska spelare valdes i första rundan, skriver tidningen.")),
    Case("no", C, pdf(NO, header="STRENGT HEMMELIG", footer="STRENGT HEMMELIG")),
    Case("no", C, doc(NO, header="BEGRENSET\njf. sikkerhetsloven § 5-3")),
    Case("no", N, text("Hemmelig oppskrift: bestemors vafler\nVisp egg og sukker luftig.")),
    Case("dk", C, doc(DA, header="FORTROLIGT")),
    Case("dk", C, xlsx("Enhed\tAntal\n1. Brigade\t3200", header="HEMMELIGT")),
    Case("dk", N, text("Fortrolig rådgivning: ring til vores hotline alle hverdage mellem 9 og 15.")),
    Case("fi", C, doc(FI, header="ERITTÄIN SALAINEN")),
    Case("fi", C, pdf(FI, header="LUOTTAMUKSELLINEN")),
    Case("fi", C, doc("SALAINEN\nTL II\nJulkL 24.1 § 10 k\n\n" + FI)),
    Case("fi", N, text("Salainen resepti: isoäidin korvapuustit\nSekoita jauhot ja voi.")),
    Case("fi", N, text("Luottamuksellista keskusteluapua nuorille – soita maksuttomaan numeroon.")),
    # ------------------------------------------------------------ Baltic
    Case("lv", C, doc(LV, header="SLEPENI")),
    Case("lv", C, pdf(LV, header="DIENESTA VAJADZĪBĀM")),
    Case("lt", C, doc(LT, header="RIBOTO NAUDOJIMO")),
    Case("lt", C, pdf(LT, header="VISIŠKAI SLAPTAI", footer="VISIŠKAI SLAPTAI")),
    Case("ee", C, doc(ET, header="SALAJANE")),
    Case("lt", N, text("Slapta močiutės receptų knyga: kaip iškepti tobulą pyragą.")),
    # ------------------------------------------------------------ Central and Eastern Europe
    Case("pl", C, doc(PL, header="ZASTRZEŻONE")),
    Case("pl", C, pdf(PL, header="ŚCIŚLE TAJNE", footer="ŚCIŚLE TAJNE")),
    Case("pl", C, doc("POUFNE\nEgz. nr 2\n\n" + PL)),
    Case("pl", N, footed(PL, "© 2025 Kowalski i Wspólnicy sp.k. Wszelkie prawa zastrzeżone.")),
    Case("cz", C, doc(CS, header="VYHRAZENÉ")),
    Case("cz", C, pdf(CS, header="PŘÍSNĚ TAJNÉ")),
    Case("cz", N, footed(CS, "© 2025 Novák a partneři s.r.o. Všechna práva vyhrazena.")),
    Case("sk", N, footed(SK, "Copyright © 2025 Horváth a spol. Všetky práva vyhradené.", pdf=True)),
    Case("hu", C, pdf(HU, header="SZIGORÚAN TITKOS!")),
    Case("hu", C, doc(HU, header="BIZALMAS!")),
    Case("hu", N, text("Bizalmas tanácsadás: hívja lelkisegély-vonalunkat éjjel-nappal.")),
    Case("ro", C, doc(RO, header="STRICT SECRET DE IMPORTANȚĂ DEOSEBITĂ")),
    Case("ro", N, text("Secretul bunicii: rețeta de cozonac pufos\nAmestecați făina cu drojdia.")),
    Case("bg", C, pdf(BG, header="СТРОГО СЕКРЕТНО")),
    Case("bg", C, doc(BG, header="ЗА СЛУЖЕБНО ПОЛЗВАНЕ")),
    Case("bg", N, text("Политика за поверителност\nНие уважаваме вашата поверителност и защитаваме "
                       "личните ви данни.")),
    Case("hr", C, doc(HR, header="POVJERLJIVO")),
    Case("hr", C, pdf(HR, header="OGRANIČENO")),
    Case("si", C, doc(SL, header="ZAUPNO")),
    Case("si", C, doc(SL, header="INTERNO")),
    Case("si", N, text("Interno glasilo podjetja: poletni piknik bo 20. junija ob jezeru.")),
    Case("mk", C, doc(MK, header="СТРОГО ДОВЕРЛИВО")),
    Case("rs", C, pdf(SR, header="СТРОГО ПОВЕРЉИВО")),
    Case("ba", C, doc(BS, header="VRLO TAJNO")),
    Case("ua", C, doc(UK, header="ДСК\nПрим. № 2")),
    # ------------------------------------------------------------ Greece, Israel, Iran
    Case("gr", C, pdf(EL, header="ΑΚΡΩΣ ΑΠΟΡΡΗΤΟ")),
    Case("gr", C, doc(EL, header="ΠΕΡΙΟΡΙΣΜΕΝΗΣ ΧΡΗΣΗΣ")),
    Case("gr", N, text("Πολιτική Απορρήτου\nΣεβόμαστε το απόρρητο των επισκεπτών του ιστότοπού μας.")),
    Case("il", C, doc(HE, header="סודי")),
    Case("il", C, mail("סודי: סיכום ישיבת ההנהלה", HE)),
    Case("il", N, text("המתכון הסודי של סבתא: עוגת שמרים\nמערבבים את הקמח עם השמרים.")),
    Case("ir", C, doc("شماره: ۱۲۳۴/د/۰۴\tتاریخ: ۱۴۰۴/۰۳/۱۳\nپیوست: ندارد\tطبقه‌بندی: خیلی محرمانه\n\n" + FA)),
    Case("ir", C, pdf(FA, header="به کلی سری")),
    Case("ir", N, text("اطلاعات شما نزد ما محرمانه باقی می‌ماند و در اختیار دیگران قرار نمی‌گیرد.")),
    # ------------------------------------------------------------ India, Indonesia, Malaysia
    Case("in", C, doc("SECRET\nNo. 12/3/2025-Estt.(A)\nGovernment of India\nMinistry of Home Affairs\n\n"
                      "North Block, New Delhi\nDated the 3rd June, 2025\n\nOFFICE MEMORANDUM\n\n"
                      "Subject: Deployment of central forces for the by-elections.\n\n" + EN)),
    Case("in", C, doc(HI, header="गोपनीय/CONFIDENTIAL")),
    # A docx footer, not a PDF header: the corpus draws PDFs with DejaVu, which has no Devanagari.
    Case("in", C, footed(HI, "गुप्त")),
    Case("in", N, text("Recruitment notice: applications are invited for four posts of Confidential "
                       "Assistant (Group B, non-gazetted) in the Ministry. Last date: 30 June 2025.")),
    Case("in", N, text("गोपनीयता नीति: हम आपकी निजी जानकारी किसी के साथ साझा नहीं करते।")),
    Case("id", C, doc("Nomor\t:\tB-123/MK.1/2025\nSifat\t:\tRahasia\nLampiran\t:\t1 (satu) berkas\n"
                      "Hal\t:\tLaporan pelaksanaan kegiatan\n\n" + ID)),
    Case("id", C, doc(ID, header="RAHASIA")),
    Case("id", C, pdf(ID, header="TERBATAS")),
    Case("id", N, doc("Nomor\t:\tB-124/MK.1/2025\nSifat\t:\tBiasa\nLampiran\t:\t-\n"
                      "Hal\t:\tUndangan rapat koordinasi\n\n" + ID)),
    Case("id", N, text("Rahasia sukses bisnis kuliner rumahan: mulai dari modal kecil.")),
    Case("my", C, doc(MS, header="RAHSIA BESAR")),
    Case("my", C, doc("Ruj. Kami: KKM.600-1/2/3 Jld. 4 (12)\nTarikh: 3 Jun 2025\n\nSULIT\n\n" + MS)),
    Case("my", N, text("Resipi rahsia nenek: rendang daging yang lembut\nTumis bahan kisar hingga garing.")),
    # ------------------------------------------------------------ Iberia and Latin America
    Case("br", C, doc("Grau de sigilo: SECRETO\nPrazo de restrição: 15 anos\n\n" + PT)),
    Case("pt", C, pdf(PT, header="CONFIDENCIAL")),
    Case("es", C, doc(ES, header="DIFUSIÓN LIMITADA")),
    Case("pt", N, text("A receita secreta do bolo de bolacha da avó\nMisture as bolachas com o café.")),
    # ------------------------------------------------------------ Switzerland, Austria, Benelux
    Case("ch", C, doc(DE, header="GEHEIM\nExemplar Nr. 3 von 5")),
    Case("ch", C, pdf(IT_CH, header="CONFIDENZIALE")),
    Case("ch", N, text("Das Bankgeheimnis gilt für ausländische Kunden seit 2017 nicht mehr, schreibt "
                       "die Zeitung.")),
    Case("at", C, pdf(AT, header="STRENG GEHEIM", footer="STRENG GEHEIM")),
    Case("at", N, text("Das Amtsgeheimnis fällt: Das Informationsfreiheitsgesetz tritt im September in "
                       "Kraft.")),
    Case("be", C, doc(NL, header="GEHEIM – SECRET")),
    Case("be", C, pdf(FR, header="VERTROUWELIJK – CONFIDENTIEL")),
    Case("nl", C, doc(NL, header="STG. GEHEIM")),
    Case("nl", C, pdf(NL, header="STG. CONFIDENTIEEL", footer="STG. CONFIDENTIEEL")),
    Case("nl", C, footed(NL, "Departementaal Vertrouwelijk")),
    Case("nl", C, doc(NL, props=(("Rubricering", "Departementaal Vertrouwelijk"),))),
    Case("nl", N, text("Vertrouwelijk iets melden? Neem contact op met de vertrouwenspersoon van je "
                       "school.")),
    Case("nl", N, text("Colofon\nTekst: Redactie\nOntwerp: Studio Dumbar\nDruk: Drukkerij De Bij")),
    # ------------------------------------------------------------ Canada, Australia, New Zealand, UK
    Case("ca", C, doc(EN, header="PROTECTED A")),
    Case("ca", C, pdf(EN, header="PROTECTED B / PROTÉGÉ B", footer="PROTECTED B / PROTÉGÉ B")),
    Case("ca", C, mail("PROTECTED C: source protection measures", EN)),
    Case("ca", N, text("Banff is a protected area: drones are not permitted anywhere in the park.")),
    Case("au", C, doc(EN, header="OFFICIAL: Sensitive", footer="OFFICIAL: Sensitive")),
    Case("au", C, mail("Legal advice on the lease [SEC=OFFICIAL:Sensitive, ACCESS=Legal-Privilege]", EN)),
    Case("au", C, mail("Cabinet submission timing [SEC=PROTECTED]", EN)),
    Case("au", N, mail("Morning tea on Friday [SEC=OFFICIAL]", "Cakes in the level 3 kitchen at 10.")),
    Case("nz", C, mail("[IN-CONFIDENCE] Staff restructure proposal", EN)),
    Case("nz", C, doc(EN, header="RESTRICTED", footer="RESTRICTED")),
    Case("uk", C, pdf(EN, header="OFFICIAL-SENSITIVE PERSONAL")),
    Case("uk", C, doc(EN, header="OFFICIAL-SENSITIVE [LOCSEN]")),
    Case("uk", N, text("The former official was charged under the Official Secrets Act, police said on "
                       "Tuesday.")),
    # ------------------------------------------------------------ NATO, EU, OECD, TLP
    Case("nato", C, pdf(EN, header="COSMIC TOP SECRET", footer="COSMIC TOP SECRET")),
    Case("nato", C, doc(EN, header="NATO CONFIDENTIAL")),
    Case("nato", C, doc("(NC) The exercise moves to the second phase on 14 June.\n(NC) Two frigates join "
                        "the task group.\n(NU) Press lines will follow.")),
    Case("nato", N, text("A museum exhibition shows how NATO's COSMIC registry handled papers during "
                         "the Cold War.")),
    Case("eu", C, pdf(EN, header="TRÈS SECRET UE/EU TOP SECRET")),
    Case("oecd", C, doc("For Official Use\tENV/EPOC(2025)12\n\nOrganisation de Coopération et de "
                        "Développement Économiques\nOrganisation for Economic Co-operation and "
                        "Development\n\n03-Jun-2025\n\nEnglish - Or. English\n\n" + EN)),
    Case("oecd", N, doc("Unclassified\tENV/EPOC(2025)13\n\nOrganisation de Coopération et de "
                        "Développement Économiques\nOrganisation for Economic Co-operation and "
                        "Development\n\n03-Jun-2025\n\nEnglish - Or. English\n\n" + EN)),
    Case("tlp", C, xlsx("Indicator\tType\n203.0.113.7\tIPv4", header="TLP:RED")),
    Case("tlp", C, html("Indicators for the phishing wave", "<p><b>TLP:AMBER</b></p><p>The working "
                        "group met on 3 June to review the indicators.</p>")),
    # ------------------------------------------------------------ Company schemes
    Case("corp", C, footed(EN, "AIRBUS AMBER")),
    Case("corp", C, doc(EN, header="AIRBUS RED")),
    Case("corp", C, footed(EN, "Most Confidential")),
    Case("corp", C, doc(EN, header="Protocol B7471027\tPFIZER CONFIDENTIAL\tPage 1")),
    Case("corp", C, footed(EN, "Roche Confidential – for internal use only")),
    Case("corp", C, doc(DE, header="Volkswagen AG – Vertraulich")),
    Case("corp", C, odt(DE, footer="BMW Group – Streng vertraulich")),
    Case("corp", C, footed(EN, "Classification: Confidential")),
    Case("corp", C, footed(EN, "Sensitivity: Highly Confidential", pdf=True)),
    Case("corp", C, doc(ES, props=label("Altamente confidencial"))),
    Case("corp", C, master("Quarterly results\nDraft numbers for the board", "Strictly Confidential")),
    Case("corp", N, text("Systems Engineer – Chantilly, VA\nActive TOP SECRET/SCI clearance with polygraph "
                         "required. Competitive salary and benefits. Apply online.")),
    Case("corp", N, text("We're hiring: Confidential Secretary to the CEO. Discretion, excellent "
                         "organisation and fluent English required.")),
    Case("corp", N, text("Ethics & Compliance: report concerns through our confidential hotline, 24/7, in "
                         "40 languages.")),
    Case("corp", N, text("Our top secret recipe: grandma's chili, now in jars at your local store.")),
    Case("corp", N, text("A document marked top secret was found at a bus stop in Kent, the Ministry of "
                         "Defence confirmed on Sunday; an investigation is under way.")),
    Case("corp", N, text("Leaked: classified files posted on a gaming chat server reveal war plans, "
                         "officials said.")),
    Case("corp", N, footed(EN, "Classification: Public")),
    # ------------------------------------------------------------ Drafts
    Case("draft-de", D, docx_with(DE, watermark="ENTWURF")),
    Case("draft-de", D, doc(DE, header="Entwurf – Stand: 03.06.2025")),
    Case("draft-de", N, text("Entwurfsmuster: der Klassiker der Softwarearchitektur in neuer Auflage.")),
    Case("draft-nl", D, doc(NL, header="ONTWERP 3 juni 2025")),
    Case("draft-sv", D, doc(SV, header="UTKAST")),
    Case("draft-no", D, pdf(NO, header="UTKAST 03.06.2025")),
    Case("draft-fi", D, doc(FI, header="LUONNOS 3.6.2025")),
    Case("draft-fr", D, doc(FR, header="PROJET")),
    Case("draft-fr", D, doc("Projet de décret\n(version du 3 juin 2025)\n\nrelatif à la sécurité des "
                            "systèmes d'information\n\n" + FR)),
    Case("draft-fr", N, text("Projet de fin d'études : les étudiants présentent leurs travaux le 20 juin.")),
    Case("draft-it", D, docx_with(IT, watermark="BOZZA")),
    Case("draft-pl", D, pdf(PL, header="SZKIC")),
    Case("draft-cz", D, doc(CS, header="NÁVRH – verze 0.3")),
    Case("draft-hu", D, doc(HU, header="TERVEZET")),
    Case("draft-hr", D, doc(HR, header="NACRT")),
    Case("draft-sl", D, doc(SL, header="OSNUTEK")),
    Case("draft-lt", D, doc(LT, header="PROJEKTAS")),
    Case("draft-et", D, doc(ET, header="EELNÕU")),
    Case("draft-pt", D, doc(PT, header="ANTEPROJETO")),
    Case("draft-es", D, pdf(ES, header="BORRADOR – NO DIFUNDIR")),
    Case("draft-es", N, text("Cómo confirmar el borrador de la declaración de la renta en la web de la "
                             "Agencia Tributaria.")),
    Case("draft-el", D, doc(EL, header="ΣΧΕΔΙΟ")),
    Case("draft-fa", D, doc(FA, header="پیش‌نویس")),
    Case("draft-hi", D, doc(HI, header="मसौदा")),
    Case("draft-hi", N, text("सरकार ने नई डेटा नीति के मसौदे पर जनता से सुझाव आमंत्रित किए हैं।")),
    Case("draft-id", D, doc(ID, header="KONSEP")),
    Case("draft-id", D, pdf(ID, header="DRAF")),
    Case("draft-zh", D, doc("数据安全管理条例（草案）\n\n" + ZH_LAW)),
    Case("draft-zh", D, doc("关于加强数据安全管理工作的实施意见\n（送审稿）\n\n" + ZH)),
    Case("draft-zh", D, doc(ZH, header="草稿")),
    Case("draft-zh", N, text("全国人大常委会今天上午继续分组审议民法典草案，委员们提出了修改意见。")),
    Case("draft-zh", N, text("草稿纸 A4 100张/本 学生用 考研演算纸 包邮")),
    Case("draft-ko", D, doc(KO_PLAN, header="초안")),
    Case("draft-ko", N, text("정부는 내년도 예산안 초안을 국회에 제출했다고 밝혔다.")),
    Case("draft-ru", D, doc("ПРОЕКТ\nВносится Правительством\nРоссийской Федерации\n\nФЕДЕРАЛЬНЫЙ ЗАКОН\n\n"
                            "О внесении изменений в Федеральный закон «Об информации»\n\n" + RU)),
    Case("draft-ru", N, text("Проект «Чистая вода» завершён: в посёлке открыли новую станцию очистки.")),
    Case("draft-ja", D, doc(JA, header="ドラフト")),
    Case("draft-en", D, pdf_with(EN, watermark="DRAFT")),
    Case("draft-en", D, docx_with(EN, core=(("title", "DRAFT – Annual report 2025"),))),
    Case("draft-en", D, rtf(EN, header="DRAFT v0.4 – NOT FOR CIRCULATION")),
    Case("draft-lv", D, doc("LIKUMPROJEKTS\n\nGrozījumi Informācijas atklātības likumā\n\n" + LV)),
    Case("draft-ro", D, odt(RO, header="PROIECT")),
    Case("draft-tr", D, xlsx("Birim\tBütçe\nBilgi İşlem\t1.200.000", header="TASLAK")),
    Case("draft-nl", D, odt(NL, footer="CONCEPT v0.3")),
    Case("draft-de", D, mail("ENTWURF: Stellungnahme zum Referentenentwurf", DE)),
    Case("draft-zh", D, xlsx("项目\t预算\n信息化建设\t120万元", header="讨论稿")),
    Case("draft-en", D, master("Operating model review\nOptions for the board", "DRAFT – FOR DISCUSSION")),
    Case("draft-en", D, mail("DRAFT: response to the regulator's letter", EN)),
    Case("draft-en", N, text("Happy hour: all draft beers $4 until 7pm, every weekday.")),
    Case("draft-en", N, subject_mail("Bank draft for the deposit - collect at the branch")),
    Case("draft-en", N, text("Draft horses and their handlers parade through the showground at noon.")),
)


# Items an earlier round holds are dropped; the others the test's keys would confuse
# are tagged "r8 KIND WHAT", WHAT the first of these fields an item sets.
_held_out = partial(held_out, earlier=earlier.CASES, round_tag="r8",
                    fields=("master", "footer", "subject", "watermark"))


# Hard negatives added with the fixes, beside the forms and positions they added (not part
# of the held-out figure).
ADDED: tuple[Case, ...] = (
    Case("draft-fr", N, text("Projet de décret : la consultation publique est ouverte jusqu'au 30 juin.")),
    Case("draft-lv", N, text("Saeima pieņēma likumprojektu otrajā lasījumā, ziņo aģentūra.")),
    Case("draft-pt", N, text("O anteprojeto arquitetônico da nova escola foi aprovado pela prefeitura.")),
    Case("corp", N, doc(EN, header="Chapter 3\tKeeping Data Confidential\tPage 4")),
    Case("corp", N, footed(DE, "Nicht vertraulich")),
    Case("corp", N, docx_with(EN, core=(("title", "Cocktail menu – secret recipes"),), tag="r8 core title")),
    Case("corp", N, text("The Airbus amber warning light came on during the climb, the pilot said.")),
    Case("id", N, text("Sifat: Rahasia umum bahwa harga naik setiap Lebaran.")),
    Case("oecd", N, doc("For Official Use\tReceived by\nDate\t\n\n" + EN)),
    Case("ir", N, text("طبقه‌بندی اطلاعات در سازمان‌ها: راهنمای عملی برای مدیران")),
)

EIGHTH = _held_out(EIGHTH) + _held_out(ADDED)
CASES: tuple[Case, ...] = earlier.CASES + EIGHTH
