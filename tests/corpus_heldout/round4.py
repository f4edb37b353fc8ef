"""The held-out corpus's fourth round, and every round together (``CASES``).

Written before reading the rules or the vocabulary, from public descriptions of the world
the earlier rounds did not use:

- registers of bodies and states not yet covered or covered in part: the Council of the
  EU's LIMITE, the ECB's ECB-CONFIDENTIAL, OECD's For Official Use, the World Bank's and
  the IMF's access classes, the UN's Distr.: RESTRICTED, Interpol's and the OSCE's
  markings, NATO mission markings (KFOR RESTRICTED, MISSION SECRET), Singapore's
  classification with its sensitivity tier, Hong Kong's RESTRICTED (STAFF) and 限閱文件,
  Sweden's HEMLIG/RESTRICTED, Norway's Unntatt offentlighet, Denmark's TIL TJENESTEBRUG,
  Finland's Salassa pidettävä, Estonia's AK block, Italy's NON CLASSIFICATO CONTROLLATO,
  Spain's ALTO SECRETO, Brazil's ULTRASSECRETO, Colombia's ULTRASECRETO, Mexico's
  leyenda de clasificación, Turkey's KOZMİK, Greece's ΕΜΠΙΣΤΕΥΤΙΚΟ, Israel's סודי ביותר,
  Egyptian spellings (سرى جدا), Sorani Kurdish, Tajik, Turkmen, Sinhala, Gujarati,
  Kannada, Russia's Коммерческая тайна block (98-ФЗ), Poland's tajemnica
  przedsiębiorstwa, the UK's old GPMS (PROTECT, RESTRICTED) and STRAP caveats, New
  Zealand's IN-CONFIDENCE, Australia's email protective marking header;
- US caveats and blocks: RD/FRD/CNWDI, SAR, FGI, LIMDIS/NODIS/EXDIS, SBU, LES, SSI,
  PCII, CEII, UCNI, Safeguards Information, downgrading instructions, distribution
  statements B-F (A is the negative), ITAR and EAR notices, the FAR 52.215-1 proposal legend;
- sector and corporate schemes: the traffic-light protocol (TLP:RED, AMBER+STRICT; CLEAR
  and WHITE are negatives), French C1-C4 classes, Siemens' and SAP's footers, HSBC's
  HIGHLY RESTRICTED, Huawei's 内部公开 / 华为机密, Commercial-in-Confidence,
  attorney-client privilege, Medical-in-Confidence, Japan's ㊙, 社内限り, 関係者外秘,
  Korea's 사외비;
- Chinese official layout (GB/T 9704): 份号 on the first line, 密级和保密期限 beneath, 紧急程度
  and 发文字号 beside them; 工作秘密, 内部资料 注意保存 with a full-width space, 涉密 in file
  names, company stamps (公司内部资料 严禁外传);
- drafts as offices name them: ΣΧΕΔΙΟ, TASLAK, טיוטה, مسودة, پیش‌نویس, NACRT, OSNUTEK,
  UTKAST, UDKAST, EELNÕU, PROJEKTS, MINUTA, AVANT-PROJET, DERAF, 素案, たたき台, 잠정안,
  讨论稿, 修订稿, strawman, redline, review states in document properties and file names;
- where office programs put them: a text box in a docx header, a slide master, an xlsx
  cell note, a PDF FreeText annotation, Word's title, subject and keywords, custom
  properties under other names, an RTF header, an HTML mail's signature block, an
  attachment's name.

Every marked case has a hard negative beside it: the same words used ordinarily (news,
law texts, product names, retail, sport, software documentation, public versions).
"""

from __future__ import annotations

from tests.corpus_heldout import cases as earlier
from tests.corpus_heldout import mails
from tests.corpus_heldout.cases import (
    AR,
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
    IT,
    JA,
    KO,
    MS,
    NO,
    PL,
    PT,
    RU,
    SV,
    TR,
    TW,
    ZH,
    C,
    Case,
    D,
    Item,
    N,
    doc,
    docx_with,
    eml,
    html,
    label,
    mail,
    pdf,
    pdf_with,
    text,
    xlsx,
)


def rtf(body: str, header: str = "") -> Item:
    return Item("rtf", body=body, header=header)


def footed(body: str, footer: str, pdf: bool = False) -> Item:
    """A docx (or PDF) marked only in its page footer; named by the footer in the test."""
    short = footer if len(footer) <= 60 else footer[:30] + "…" + footer[-29:]
    return Item("pdf" if pdf else "docx", body=body, footer=footer, tag="footer " + short)


def named(name: str, body: str) -> Item:
    """A file whose name carries the word (as saved by an office program or a user)."""
    return Item("text", body=body, name=name, tag=name)


def attached(name: str, content: str, tag: str) -> Item:
    """An Outlook mail whose only attachment has ``name`` (RFC 2231 encoded)."""
    return eml(mails.attachment("Files", "Please see the attachment.", mails.filename_2231(name),
                                content.encode("utf-8"), ctype="text/plain; charset=utf-8"), tag)


CS = ("Zasíláme informaci o stavu zakázky.\nPřipomínky zašlete do 20. června.")
SR_LAT = ("Dostavljamo informaciju o napretku projekta.\nPrimedbe dostaviti do 20. juna.")
SL = ("Pošiljamo poročilo o napredku projekta.\nPripombe pošljite do 20. junija.")
LV = ("Nosūtām informāciju par projekta gaitu.\nPiezīmes lūdzam iesniegt līdz 20. jūnijam.")
KU = ("ڕاپۆرتی پێشکەوتنی پڕۆژەکە هاوپێچ کراوە.\nتکایە تێبینییەکانتان تا ٢٠ی حوزەیران بنێرن.")
TG = ("Ҳисобот дар бораи пешрафти лоиҳа замима мегардад.\nЛутфан эродҳоро то 20 июн ирсол намоед.")
TK = ("Taslamanyň ýerine ýetirilişi barada hasabat goşulýar.\nBellikleriňizi 20-nji iýuna çenli iberiň.")
SI = ("ව්‍යාපෘතියේ ප්‍රගති වාර්තාව අමුණා ඇත.\nකරුණාකර ජූනි 20 ට පෙර අදහස් එවන්න.")
GU = ("પ્રોજેક્ટની પ્રગતિનો અહેવાલ સામેલ છે.\nકૃપા કરીને 20 જૂન સુધીમાં તમારા સૂચનો મોકલો.")
KN = ("ಯೋಜನೆಯ ಪ್ರಗತಿ ವರದಿಯನ್ನು ಲಗತ್ತಿಸಲಾಗಿದೆ.\nದಯವಿಟ್ಟು ಜೂನ್ 20ರ ಒಳಗೆ ನಿಮ್ಮ ಅಭಿಪ್ರಾಯ ಕಳುಹಿಸಿ.")
HY = ("Կից ներկայացնում ենք օրինագծի տեքստը։\nԴիտողությունները ուղարկել մինչև հունիսի 20-ը։")
KK = ("Заң жобасының мәтіні қоса беріліп отыр.\nЕскертулерді 20 маусымға дейін жіберіңіз.")
ZH_GOV = ("各市、县人民政府，省政府各部门：\n现将《关于进一步加强安全生产工作的实施意见》印发给你们，"
          "请认真贯彻执行。")

FOURTH: tuple[Case, ...] = (
    # ------------------------------------------------------------ International bodies
    Case("eu-council", C, doc("Council of the European Union\nBrussels, 3 June 2025 (OR. en)\n"
                              "9876/25\nLIMITE\n\nNOTE\nFrom: Presidency\nTo: Working Party on "
                              "Information\nSubject: Draft conclusions on data retention")),
    Case("eu-council", C, pdf(EN, header="LIMITE", footer="9876/25 LIMITE EN")),
    Case("eu-council", N, text("Date limite de dépôt des candidatures : 30 juin 2025.\n"
                               "Les dossiers incomplets ne seront pas examinés.")),
    Case("eu-council", N, text("Velocità limite in autostrada: 130 km/h, salvo diversa segnalazione.")),
    Case("ecb", C, doc(EN, header="ECB-CONFIDENTIAL", footer="ECB-CONFIDENTIAL")),
    Case("ecb", C, doc(EN, header="ECB-RESTRICTED")),
    Case("ecb", N, doc(EN, header="ECB-PUBLIC", footer="ECB-PUBLIC")),
    Case("oecd", C, doc("For Official Use\nEnglish - Or. English\nDIRECTORATE FOR SCIENCE, TECHNOLOGY AND "
                        "INNOVATION\n\n" + EN)),
    Case("oecd", N, doc("Unclassified\nEnglish - Or. English\nDIRECTORATE FOR EDUCATION AND SKILLS\n\n"
                        + EN)),
    Case("worldbank", C, doc(EN, header="OFFICIAL USE ONLY", footer="OFFICIAL USE ONLY")),
    Case("worldbank", C, text("STRICTLY CONFIDENTIAL\nIDA/R2025-0117\n\n" + EN)),
    Case("worldbank", N, text("Document of The World Bank\nFOR PUBLIC DISCLOSURE AUTHORIZED\n\n" + EN)),
    Case("un", C, doc("Distr.: RESTRICTED\n3 June 2025\nOriginal: English\n\n" + EN)),
    Case("un", N, doc("Distr.: General\n3 June 2025\nOriginal: English\n\n" + EN)),
    Case("interpol", C, doc(EN, header="INTERPOL RESTRICTED", footer="INTERPOL RESTRICTED")),
    Case("interpol", C, doc(EN, header="INTERPOL FOR OFFICIAL USE ONLY")),
    Case("interpol", N, text("INTERPOL issued a Red Notice for the suspect on Tuesday, the agency said.")),
    Case("osce", C, doc("PC.DEL/812/25\n3 June 2025\nRESTRICTED\nENGLISH only\n\n" + EN)),
    Case("nato", C, doc(EN, header="KFOR RESTRICTED", footer="KFOR RESTRICTED")),
    Case("nato", C, text("MISSION SECRET\nRELEASABLE TO KFOR\n\n" + EN)),
    Case("nato", N, doc("PUBLICLY DISCLOSED - PDN(2020)0012 - MIS EN LECTURE PUBLIQUE\n\nNATO UNCLASSIFIED"
                        "\n\n" + EN)),
    Case("nato", N, text("KFOR troops restricted traffic near the bridge in Mitrovica on Sunday.")),
    # ------------------------------------------------------------ Five Eyes registers and caveats
    Case("us", C, text("SECRET//RD-CNWDI\n\n(S//RD) The test series data are in annex B.\n\n"
                       "SECRET//RD-CNWDI")),
    Case("us", C, doc("(C//FRD) Stockpile figures for the third quarter.\n" + EN,
                      header="CONFIDENTIAL//FRD", footer="CONFIDENTIAL//FRD")),
    Case("us", C, doc(EN, header="TOP SECRET//SAR-BUTTER POPCORN", footer="TOP SECRET//SAR-BUTTER POPCORN")),
    Case("us", C, text("SECRET//FGI DEU//NOFORN\n\n(S//FGI DEU) The liaison service reports a meeting.")),
    Case("us", C, text("CONFIDENTIAL\nLIMDIS\n\nE.O. 13526: DECL: 06/03/2040\nTAGS: PREL, PGOV\n"
                       "SUBJECT: DEMARCHE ON TRADE TALKS\n\n1. (C) Embassy delivered the points.")),
    Case("us", C, text("S E C R E T STATE 055123\n\nNODIS\n\nE.O. 13526: DECL: 06/03/2050\n"
                       "SUBJECT: MESSAGE FOR THE MINISTER")),
    Case("us", C, doc("Classified By: J. Alvarez, Director, Office of Plans\nDerived From: DHS SCG 2024-03\n"
                      "Downgrade To: CONFIDENTIAL On: 20300603\nDeclassify On: 20450603\n\n" + EN,
                      header="SECRET", footer="SECRET")),
    Case("us", C, mail("SBU - travel security brief", "SENSITIVE BUT UNCLASSIFIED\n\n" + EN)),
    Case("us", C, doc(EN, header="LAW ENFORCEMENT SENSITIVE", footer="LAW ENFORCEMENT SENSITIVE")),
    Case("us", C, doc(EN, footer="WARNING: This record contains Sensitive Security Information that is "
                      "controlled under 49 CFR parts 15 and 1520. No part of this record may be disclosed "
                      "to persons without a \"need to know\".", header="SENSITIVE SECURITY INFORMATION")),
    Case("us", C, doc(EN, header="PROTECTED CRITICAL INFRASTRUCTURE INFORMATION")),
    Case("us", C, doc(EN, header="CONTAINS CRITICAL ENERGY/ELECTRIC INFRASTRUCTURE INFORMATION – "
                      "DO NOT RELEASE")),
    Case("us", C, doc(EN, header="UNCLASSIFIED CONTROLLED NUCLEAR INFORMATION")),
    Case("us", C, doc(EN, header="SAFEGUARDS INFORMATION")),
    Case("us", C, doc("DISTRIBUTION STATEMENT D. Distribution authorized to the Department of Defense and "
                      "U.S. DoD contractors only; Critical Technology; 3 June 2025. Other requests shall be "
                      "referred to AFRL/RQ.\n\n" + EN)),
    Case("us", C, footed(EN, footer="DISTRIBUTION STATEMENT F. Further dissemination only as directed by "
                      "NAVSEA 05 or higher DoD authority.")),
    Case("us", C, footed(EN, footer="WARNING - This document contains technical data whose export is "
                      "restricted by the Arms Export Control Act (Title 22, U.S.C., Sec 2751, et seq.) or "
                      "the Export Administration Act of 1979 (Title 50, U.S.C., App. 2401 et seq.). "
                      "Violations of these export laws are subject to severe criminal penalties.")),
    Case("us", C, text("EXPORT CONTROLLED - ITAR\nThis document contains technical data subject to the "
                       "International Traffic in Arms Regulations (22 CFR 120-130).\n\n" + EN)),
    Case("us", C, footed(EN, footer="Use or disclosure of data contained on this sheet is subject to the "
                      "restriction on the title page of this proposal.")),
    Case("us", N, doc("DISTRIBUTION STATEMENT A. Approved for public release; distribution is unlimited."
                      "\n\n" + EN)),
    Case("us", N, text("The Secret Service and the FBI restricted access to the venue; reporters were "
                       "kept behind a fence.")),
    Case("us", N, text("Part 1520 of Title 49 sets out how airports protect sensitive security "
                       "information; the rule was amended in 2019.")),
    Case("us", N, text("Popcorn with melted butter is the classic snack for a movie night.")),
    Case("us", N, text("ECCN EAR99 items generally do not need a licence; check the end user and the "
                       "destination first.")),
    Case("uk", C, doc(EN, header="PROTECT - PERSONAL", footer="PROTECT - PERSONAL")),
    Case("uk", C, doc(EN, header="RESTRICTED - COMMERCIAL")),
    Case("uk", C, text("TOP SECRET STRAP2\nUK EYES ONLY\n\n" + EN)),
    Case("uk", C, doc(EN, header="COMMERCIAL IN CONFIDENCE", footer="COMMERCIAL IN CONFIDENCE")),
    Case("uk", N, text("Protect your personal data online: use a password manager and two-factor "
                       "authentication.")),
    Case("uk", N, text("Our bags come with a detachable strap and a commercial-grade zip.")),
    Case("nz", C, mail("[IN-CONFIDENCE] Staff survey results", EN)),
    Case("nz", C, doc(EN, header="SENSITIVE", footer="SENSITIVE")),
    Case("nz", N, text("In confidence, the coach told reporters he expected a close game.")),
    Case("au", C, mail("Budget estimates", EN, ("X-Protective-Marking",
                       "VER=2018.1, NS=gov.au, SEC=PROTECTED, ORIGIN=jane.citizen@agency.gov.au"))),
    Case("au", C, doc(EN, header="OFFICIAL: Sensitive//Legal-Privilege")),
    Case("au", C, doc(EN, header="Medical-in-Confidence")),
    Case("au", N, mail("Newsletter", EN, ("X-Protective-Marking",
                       "VER=2018.1, NS=gov.au, SEC=OFFICIAL, ORIGIN=news@agency.gov.au"))),
    Case("sg", C, doc(EN, header="RESTRICTED / SENSITIVE NORMAL", footer="RESTRICTED / SENSITIVE NORMAL")),
    Case("sg", C, doc(EN, header="CONFIDENTIAL (CLOUD-ELIGIBLE) / SENSITIVE HIGH")),
    Case("sg", C, doc(EN, header="OFFICIAL (CLOSED) / NON-SENSITIVE")),
    Case("sg", N, doc(EN, header="OFFICIAL (OPEN) / NON-SENSITIVE")),
    Case("hk", C, doc(EN, header="RESTRICTED (STAFF)")),
    Case("hk", C, doc(TW, header="限閱文件")),
    Case("hk", N, text("本館參考書限閱，不得外借；請於閱覽室內使用。")),
    # ------------------------------------------------------------ Europe: registers in part covered
    Case("se", C, doc(SV, header="HEMLIG/RESTRICTED", footer="HEMLIG/RESTRICTED")),
    Case("se", C, doc(SV, header="HEMLIG/CONFIDENTIAL")),
    Case("se", C, text("HEMLIG\nenligt 15 kap. 2 § offentlighets- och sekretesslagen (2009:400)\n\n" + SV)),
    Case("se", N, text("Hemlig ingrediens: en nypa kardemumma i smeten.")),
    Case("no", C, doc(NO, header="Unntatt offentlighet, jf. offentleglova § 13 første ledd")),
    Case("no", C, doc(NO, header="BEGRENSET", footer="BEGRENSET")),
    Case("no", N, text("Begrenset antall plasser – meld deg på innen fredag.")),
    Case("dk", C, doc(DA, header="TIL TJENESTEBRUG", footer="TIL TJENESTEBRUG")),
    Case("dk", C, doc(DA, header="FORTROLIGT")),
    Case("dk", N, text("Fortrolig samtale med en rådgiver: ring til vores hotline alle hverdage.")),
    Case("fi", C, doc(FI, header="SALASSA PIDETTÄVÄ\nJulkL 24.1 § 7 k")),
    Case("fi", C, doc(FI, header="ERITTÄIN SALAINEN")),
    Case("fi", N, text("Salainen resepti: isoäidin korvapuustit.")),
    Case("ee", C, doc("ASUTUSESISESEKS KASUTAMISEKS\nTeabevaldaja: Rahandusministeerium\nMärge tehtud: "
                      "03.06.2025\nJuurdepääsupiirang kehtib kuni: 03.06.2030\nAlus: AvTS § 35 lg 1 p 5\n\n"
                      + ET)),
    Case("ee", C, doc(ET, header="AK")),
    Case("ee", N, text("AK-47 on maailma levinuim automaat, kirjutas ajaleht.")),
    Case("it", C, doc(IT, header="NON CLASSIFICATO CONTROLLATO", footer="NON CLASSIFICATO CONTROLLATO")),
    Case("it", N, doc(IT, header="NON CLASSIFICATO")),
    Case("es", C, doc(ES, header="ALTO SECRETO", footer="ALTO SECRETO")),
    Case("es", N, text("«Top Secret!» se estrenó en España como «Top Secret! Superagente en Berlín».")),
    Case("ch", C, doc(IT, header="CONFIDENZIALE")),
    Case("ch", C, doc(IT, header="AD USO INTERNO")),
    Case("ch", N, text("Via Cantonale 12, interno 3, 6900 Lugano.")),
    Case("cz", C, doc(CS, header="VYHRAZENÉ", footer="VYHRAZENÉ")),
    Case("cz", N, text("Vyhrazené parkoviště pro zákazníky obchodního centra.")),
    Case("rs", C, doc(SR_LAT, header="STROGO POVERLJIVO")),
    Case("rs", C, doc(SR_LAT, header="INTERNO")),
    Case("rs", N, text("Reglamento interno de la comunidad de propietarios, aprobado en junta.")),
    Case("gr", C, doc(EL, header="ΕΜΠΙΣΤΕΥΤΙΚΟ", footer="ΕΜΠΙΣΤΕΥΤΙΚΟ")),
    Case("gr", N, doc(EL, header="ΑΔΙΑΒΑΘΜΗΤΟ")),
    Case("gr", N, text("Εμπιστευτικό τηλέφωνο για ψυχολογική υποστήριξη, 24 ώρες το 24ωρο.")),
    Case("tr", C, doc(TR, header="KOZMİK ÇOK GİZLİ")),
    Case("tr", C, doc(TR, header="GİZLİ")),
    Case("tr", N, doc(TR, header="TASNİF DIŞI")),
    Case("tr", N, text("Gizli Bahçe dizisinin yeni bölümü cuma akşamı yayınlanacak.")),
    Case("ro", N, doc("NESECRET\n\n" + earlier.RO)),
    Case("pl", C, doc(PL, header="TAJEMNICA PRZEDSIĘBIORSTWA", footer="TAJEMNICA PRZEDSIĘBIORSTWA")),
    Case("pl", C, doc(PL, header="POUFNE")),
    Case("pl", N, text("Sąd uznał, że cennik nie stanowi tajemnicy przedsiębiorstwa w rozumieniu ustawy.")),
    Case("ru", C, text("КОММЕРЧЕСКАЯ ТАЙНА\nООО «Северный ветер», 190000, г. Санкт-Петербург, ул. Садовая, "
                       "д. 1\n\n" + RU)),
    Case("ru", C, doc(RU, header="Сов. секретно")),
    Case("ru", C, doc(RU, header="Конфиденциально")),
    Case("ru", N, text("Закон о коммерческой тайне устанавливает, какие сведения нельзя засекречивать.")),
    Case("ru", N, text("Конфиденциально о главном: новый выпуск подкаста о карьере.")),
    # ------------------------------------------------------------ Latin America
    Case("br", C, doc(PT, header="ULTRASSECRETO")),
    Case("br", C, doc("Grau de sigilo\tSECRETO\nPrazo de restrição\t15 anos\n\n" + PT)),
    Case("br", N, text("Documentos ultrassecretos da ditadura foram abertos ao público, diz o jornal.")),
    Case("co", C, doc(ES, header="ULTRASECRETO")),
    Case("mx", C, doc("Fecha de clasificación: 3 de junio de 2025\nUnidad administrativa: Dirección "
                      "General de Recursos Materiales\nReservada: páginas 1 a 12\nPeriodo de reserva: 5 años"
                      "\nFundamento legal: artículo 110, fracción I, de la LFTAIP\n\n" + ES)),
    Case("mx", N, text("La comisión aprobó la versión pública del contrato; la información reservada se "
                       "publicará al concluir el periodo de reserva.")),
    # ------------------------------------------------------------ Middle East, Central and South Asia
    Case("il", C, doc(HE, header="סודי ביותר")),
    Case("il", N, text("המתכון הסודי של סבתא: כף שמן זית וקורט כמון.")),
    Case("eg", C, doc(AR, header="سرى جدا")),
    Case("eg", C, text("سرى للغاية\n\n" + AR)),
    Case("iq", C, doc(AR, header="سري للغاية وشخصي")),
    Case("eg", N, text("مسلسل «سري للغاية» يتصدر نسب المشاهدة في رمضان.")),
    Case("ar", C, doc(AR, header="محدود التداول")),
    Case("ar", N, text("إصدار محدود من الساعات الفاخرة متاح في المتاجر ابتداءً من الأحد.")),
    Case("krd", C, doc(KU, header="نهێنی")),
    Case("krd", C, doc(KU, header="زۆر نهێنی")),
    Case("tj", C, doc(TG, header="МАХФӢ")),
    Case("tj", C, doc(TG, header="КОМИЛАН МАХФӢ")),
    Case("tm", C, doc(TK, header="GIZLIN")),
    Case("tm", C, doc(TK, header="ÖRÄN GIZLIN")),
    Case("lk", C, doc(SI, header="රහස්‍යයි")),
    Case("in", C, doc(GU, header="ગોપનીય")),
    Case("in", C, doc(KN, header="ಗೌಪ್ಯ")),
    Case("in", N, text("ગોપનીયતા નીતિ: અમે તમારી માહિતી તૃતીય પક્ષ સાથે શેર કરતા નથી.")),
    Case("ir", C, doc(FA, header="محرمانه")),
    # ------------------------------------------------------------ East Asia: China's official layout
    Case("cn", C, text("000123\n机密★1年\n特急\n\nXX省人民政府文件\n\nX政发〔2025〕12号\n\n"
                       "关于进一步加强安全生产工作的实施意见\n\n" + ZH_GOV)),
    Case("cn", C, doc("000087\t机密★5年\n\t特急\n\nXX市人民政府办公室文件\nX政办发〔2025〕7号\n\n" + ZH_GOV)),
    Case("cn", C, text("秘密\n加急\n\nXX部文件\nX发〔2025〕3号\n\n" + ZH_GOV)),
    Case("cn", C, text("工作秘密\n\n" + ZH)),
    Case("cn", C, doc(ZH, header="内部资料　注意保存")),
    Case("cn", C, footed(ZH, footer="公司内部资料 严禁外传")),
    Case("cn", C, named("（涉密）2025年工作要点.txt", ZH)),
    Case("cn", C, attached("涉密-项目预算表.txt", ZH, "attachment named 涉密")),
    Case("cn", C, doc(ZH, header="华为机密，未经许可不得扩散")),
    Case("cn", C, doc(ZH, header="内部公开")),
    Case("cn", N, text("顺丰特急件今日送达，请注意查收。")),
    Case("cn", N, text("新修订的保守国家秘密法明确了工作秘密的管理要求，涉密人员应当接受保密培训。")),
    Case("cn", N, named("保密协议模板.txt", "甲方与乙方就保密事宜达成如下协议：\n" + ZH)),
    Case("cn", N, text("华为发布新款手机，搭载自研芯片，售价5999元起。")),
    Case("cn", N, text("政府信息公开指南\n\n一、主动公开的内容\n二、依申请公开的办理程序")),
    Case("tw", C, text("檔號：114/0101\n保存年限：10年\n\n"
                       "密等及解密條件或保密期限：機密（至114年12月31日解密）\n速別：最速件\n\n" + TW)),
    Case("tw", N, text("速別：普通件\n密等及解密條件或保密期限：普通\n\n" + TW)),
    Case("jp", C, doc(JA, header="㊙")),
    Case("jp", C, doc(JA, header="社内限り")),
    Case("jp", C, doc(JA, header="関係者外秘")),
    Case("jp", N, text("今だけ！お得な㊙情報をメルマガでお届けします。")),
    Case("jp", N, text("社内報6月号：新入社員紹介と夏祭りのお知らせ。")),
    Case("kr", C, doc(KO, header="사외비")),
    Case("kr", N, text("사외이사 선임 안건이 주주총회를 통과했다.")),
    # ------------------------------------------------------------ Sector and corporate schemes
    Case("tlp", C, mail("TLP:AMBER+STRICT - phishing campaign indicators", "TLP:AMBER+STRICT\n\n"
                        "Indicators from the incident of 2 June are attached. Share only within your "
                        "organisation.")),
    Case("tlp", C, doc(EN, header="TLP:RED", footer="TLP:RED")),
    Case("tlp", C, pdf(EN, header="TLP:AMBER")),
    Case("tlp", N, mail("TLP:CLEAR - advisory on the VPN flaw", "TLP:CLEAR\n\nThe vendor has released a "
                        "patch; details are public.")),
    Case("tlp", N, doc(EN, header="TLP:WHITE")),
    Case("tlp", N, text("Amber weather warning for rain: red lights on the coast road are out of order.")),
    Case("corp-fr", C, footed(FR, footer="C3 – Confidentiel")),
    Case("corp-fr", C, footed(FR, footer="Classification : Diffusion limitée")),
    Case("corp-fr", N, footed(FR, footer="C1 – Public")),
    Case("corp", C, footed(DE, footer="Restricted | © Siemens AG 2025")),
    Case("corp", N, footed(DE, footer="Unrestricted | © Siemens AG 2025")),
    Case("corp", C, footed(EN, pdf=True, footer="© 2025 SAP SE or an SAP affiliate company. "
                        "All rights reserved. | CONFIDENTIAL")),
    Case("corp", N, footed(EN, pdf=True, footer="© 2025 SAP SE or an SAP affiliate company. "
                        "All rights reserved. | PUBLIC")),
    Case("corp", C, footed(EN, footer="HIGHLY RESTRICTED")),
    Case("corp", C, doc(EN, header="PRIVILEGED & CONFIDENTIAL – ATTORNEY-CLIENT COMMUNICATION")),
    Case("corp", C, text("ATTORNEY WORK PRODUCT\nPrepared at the direction of counsel\n\n" + EN)),
    Case("corp", N, text("The attorney-client privilege protects communications made to obtain legal "
                         "advice, the court held.")),
    Case("corp", C, doc(EN, header="Company Confidential – Do Not Distribute")),
    Case("corp", C, doc(EN, header="Internal Use Only")),
    Case("corp", N, text("Restricted Area: authorised personnel only beyond this point.")),
    Case("corp", N, text("Highly restricted diets are not recommended for children, the study found.")),
    Case("corp", N, footed(EN, footer="Company registered in England and Wales No. 01234567. "
                        "Registered office: 1 High Street, London.")),
    # ------------------------------------------------------------ Where office programs keep them
    Case("corp", C, Item("docx", body=EN, header_box="CONFIDENTIAL", tag="docx header text box")),
    Case("uk", C, Item("docx", body=EN, header_box="OFFICIAL-SENSITIVE", tag="docx header box uk")),
    Case("corp", C, docx_with(EN, core=(("title", "Pricing strategy – CONFIDENTIAL"),), tag="core title")),
    Case("corp", C, docx_with(EN, core=(("keywords", "Strictly Confidential; board"),), tag="core keywords")),
    Case("corp", C, docx_with(EN, core=(("subject", "Classification: Restricted"),), tag="core subject")),
    Case("corp", C, docx_with(EN, props=(("Sensitivity", "Highly Confidential"),), core=(("author", "A"),),
                              tag="custom Sensitivity")),
    Case("de", C, docx_with(DE, props=(("Klassifizierung", "Streng vertraulich"),), core=(("author", "A"),),
                            tag="custom Klassifizierung")),
    Case("corp", N, docx_with(EN, props=(("Sensitivity", "Public"),), core=(("author", "A"),),
                              tag="custom Sensitivity public")),
    Case("corp", N, docx_with(EN, core=(("title", "Secrets of the Pyramids – exhibition guide"),),
                              tag="core title exhibition")),
    Case("corp", C, Item("pptx", body="Pricing review\nNew tiers from July", master="CONFIDENTIAL",
                         tag="slide master")),
    Case("au", C, Item("pptx", body="Capability plan\nPhases and costs", master="PROTECTED",
                       tag="slide master protected")),
    Case("draft-en", D, Item("pptx", body="Go-to-market plan\nChannels and budget", master="DRAFT",
                             tag="slide master draft")),
    Case("corp", N, Item("pptx", body="Quarterly all-hands\nWins and thanks", master="© 2025 Example Ltd",
                         tag="slide master copyright")),
    Case("corp", C, Item("xlsx", body="Name\tBand\nA. Jones\tC", cell_note="CONFIDENTIAL – HR only",
                         tag="xlsx cell note")),
    Case("corp", N, Item("xlsx", body="Item\tQty\nPens\t20", cell_note="Order by Friday, please.",
                         tag="xlsx cell note order")),
    Case("corp", C, xlsx("Account\tBalance\nOps\t1200", header="&LSTRICTLY CONFIDENTIAL&R&P of &N")),
    Case("corp", C, Item("pdf", body=EN, annot="CONFIDENTIAL", tag="pdf freetext annotation")),
    Case("draft-en", D, Item("pdf", body=EN, annot="DRAFT – for review", tag="pdf annotation draft")),
    Case("corp", N, Item("pdf", body=EN, annot="Please sign on page 2.", tag="pdf annotation sign")),
    Case("corp", C, rtf(EN, header="CONFIDENTIAL")),
    Case("de", C, rtf(DE, header="VS - NUR FÜR DEN DIENSTGEBRAUCH")),
    Case("corp", N, rtf(EN, header="Minutes of the annual general meeting")),
    Case("corp", C, html("Pricing", "<p>Hi all,</p><p>The new price list is attached.</p><p>Best,<br>"
                         "Jo</p><div style=\"font-size:8pt;color:#808080\">Classification: Restricted"
                         "</div>")),
    Case("corp", C, html("Results", "<p>Figures below.</p><table><tr><td>Q1</td><td>12</td></tr></table>"
                         "<div class=\"signature\">Jo Citizen | Finance<br><span style=\"color:red\">"
                         "Sensitivity: Highly Confidential</span></div>")),
    Case("corp", N, html("Lunch", "<p>Pizza at noon.</p><div style=\"font-size:8pt;color:#808080\">"
                         "Sensitivity: General</div>")),
    Case("corp", C, eml(earlier._labelled_mail("Salaries", EN, "Highly Confidential\\HR Only"),
                        "msip header sublabel")),
    Case("purview", C, pdf_with(EN, props=label("Vertraulich"), tag="pdf info vertraulich")),
    Case("corp", C, mail("Board pack", EN, ("Sensitivity", "Company-Confidential"))),
    Case("corp", N, mail("Holiday", "I am out next week.", ("Sensitivity", "Personal"))),
    # ------------------------------------------------------------ Drafts in more languages
    Case("draft-el", D, doc(EL, header="ΣΧΕΔΙΟ")),
    Case("draft-el", N, text("Το σχέδιο της νέας γέφυρας παρουσιάστηκε στους κατοίκους.")),
    Case("draft-tr", D, doc(TR, header="TASLAK")),
    Case("draft-tr", N, text("Taslak halinde kalan roman, yazarın ölümünden sonra yayımlandı.")),
    Case("draft-he", D, doc(HE, header="טיוטה")),
    Case("draft-ar", D, doc(AR, header="مسودة")),
    Case("draft-ar", N, text("ناقش البرلمان مسودة قانون الإيجار الجديد أمس، وفق ما نقلته الصحف.")),
    Case("draft-fa", D, doc(FA, header="پیش‌نویس")),
    Case("draft-hr", D, doc(earlier.HR, header="NACRT")),
    Case("draft-sl", D, doc(SL, header="OSNUTEK")),
    Case("draft-sv", D, doc(SV, header="UTKAST")),
    Case("draft-sv", N, text("Utkastet till ny skollag kritiseras av lärarförbundet, skriver tidningen.")),
    Case("draft-da", D, doc(DA, header="UDKAST")),
    Case("draft-no", D, doc(NO, header="UTKAST")),
    Case("draft-et", D, doc(ET, header="EELNÕU")),
    Case("draft-lv", D, doc(LV, header="PROJEKTS")),
    Case("draft-hy", D, doc(HY, header="ՆԱԽԱԳԻԾ")),
    Case("draft-kk", D, doc(KK, header="ЖОБА")),
    Case("draft-kk", N, text("Жоба аясында ауылға жаңа мектеп салынды.")),
    Case("draft-pt", D, doc(PT, header="MINUTA – versão para discussão")),
    Case("draft-pt", D, text("MINUTA DE CONTRATO DE PRESTAÇÃO DE SERVIÇOS\n\n" + PT)),
    Case("draft-es", N, text("Minuta de honorarios del letrado por la defensa en el procedimiento "
                             "abreviado 123/2025.")),
    Case("draft-fr", D, text("AVANT-PROJET DE LOI\nrelatif à la modernisation de l'action publique\n\n"
                             + FR)),
    Case("draft-ms", D, doc(MS, header="DERAF")),
    Case("draft-jp", D, doc(JA, header="素案")),
    Case("draft-jp", D, text("新人事制度（たたき台）\n\n" + JA)),
    Case("draft-jp", N, text("政府は新たな経済対策の素案を与党に示した、と報じられた。")),
    Case("draft-kr", D, text("조직 개편 잠정안\n\n" + KO)),
    Case("draft-zh", D, text("关于加强网络安全管理的通知（讨论稿）\n\n" + ZH)),
    Case("draft-zh", D, doc(ZH, header="修订稿")),
    Case("draft-zh", D, docx_with(ZH, watermark="草稿", tag="watermark 草稿")),
    Case("draft-zh", N, text("2025年度工作报告（终稿）\n\n" + ZH)),
    Case("draft-en", D, doc(EN, header="STRAWMAN – FOR DISCUSSION ONLY")),
    Case("draft-en", D, doc(EN, header="Draft 3 – redline against Draft 2")),
    Case("draft-en", D, text("WORK IN PROGRESS – NOT FOR DISTRIBUTION\n\n" + EN)),
    Case("draft-en", D, docx_with(EN, core=(("content_status", "In Review"),), tag="core status review")),
    Case("draft-en", D, named("Services_Agreement_v3_DRAFT.txt", EN)),
    Case("draft-de", D, named("Entwurf_Rahmenvertrag_2025.txt", DE)),
    Case("draft-en", N, text("IFRS Exposure Draft ED/2025/1 is open for public comment until 30 "
                             "September.")),
    Case("draft-en", N, text("DraftKings shares rose after the company reported record sports-betting "
                             "revenue.")),
    Case("draft-en", N, text("Draft.js is a framework for building rich text editors in React.")),
    Case("draft-en", N, mail("Pull request", "This pull request was converted to a draft. Mark it ready "
                             "for review when the tests pass.")),
    Case("draft-de", N, text("Entwurfsmuster: Einführung in das Beobachter- und das Fabrikmuster.")),
    Case("draft-en", N, named("final_report_2025.txt", EN)),
)

# Hard negatives written with the fourth round's fixes, beside the forms they added (not
# part of the held-out figure): the same words in ordinary sentences and headings.
FOURTH_FIX_NEGATIVES: tuple[Case, ...] = (
    Case("tj", N, text("Ин махфӣ нест, ҳама медонанд.")),
    Case("tm", N, text("Bu gizlin däl, hemmeler bilýär.")),
    Case("krd", N, text("ئەمە نهێنییەکی گەورە نییە، هەموو دەزانن.")),
    Case("eg", N, text("تم التصويت بشكل سرى في المجلس أمس.")),
    Case("lk", N, text("සාර්ථකත්වයේ රහස කැපවීමයි.")),
    Case("in", N, text("ಯಶಸ್ಸಿನ ರಹಸ್ಯ ಪರಿಶ್ರಮ.")),
    Case("tr", N, text("Kozmik ışınlar atmosferde parçacık yağmurları oluşturur.")),
    Case("cn", N, text("公司内部公开招聘启事\n\n" + ZH)),
    Case("us", N, text("Our export-controlled items list and licence guide are on the website.")),
    Case("us", N, doc(EN, header="Safeguards information for depositors")),
    Case("draft-en", N, text("Strawman arguments misrepresent an opponent's position, the lecturer said.")),
    Case("draft-pt", N, text("A minuta de contrato foi aprovada pela assessoria jurídica, informou a "
                             "prefeitura.")),
    Case("draft-hy", N, text("Նախագիծը հաստատվեց կառավարության նիստում։")),
    Case("nato", N, text("Mission: secret. The film opens in cinemas on Friday.")),
)

CASES: tuple[Case, ...] = earlier.CASES + FOURTH + FOURTH_FIX_NEGATIVES
