"""The held-out corpus's fifth round, and every round together (``CASES``).

Written before reading the rules or the vocabulary, from public descriptions of the world
the earlier rounds did not use:

- registers of bodies and states not yet covered: the OPCW's three protected levels, the
  IAEA's Board documents (Restricted Distribution, For official use only), the WTO's
  RESTRICTED documents (and their derestriction), the International Criminal Court's
  filings (Confidential EX PARTE; a Public redacted version is the negative), Eurocontrol,
  Frontex, the African Union; Ireland, the Philippines, Nigeria, Kenya, Ghana; Chile,
  Argentina, Uruguay, Ecuador (SECRETÍSIMO), Cuba, Venezuela; Morocco, Tunisia and Senegal
  in French (DIFFUSION RESTREINTE, SPÉCIAL FRANCE as a caveat); Saudi Arabia, Jordan and
  the Gulf (سري وشخصي, سري ومستعجل, محظور), Afghanistan's Dari and Pashto, Uyghur, Moldova,
  Bosnia and Montenegro, Cyprus, Somali, Hausa, Zulu, Filipino, Punjabi, Marathi, Odia;
- US court and litigation markings (FILED UNDER SEAL, HIGHLY CONFIDENTIAL – ATTORNEYS'
  EYES ONLY, subject to protective order), CUI banners with categories, DoD mail's
  CLASSIFICATION line (UNCLASSIFIED is the negative), Australia's subject-line [SEC=…],
  Canada's Cabinet confidence and PROTECTED B in a subject, UK descriptors;
- corporate and NGO footers: company-name levels (Nokia, IBM, Intel, Ericsson), inside
  information and wall-crossing notices, trade-secret and proprietary legends, board
  confidential, Japanese 極秘/部外秘/厳秘, Korean 대외비 and 3급 비밀, Chinese 商密 and
  仅限内部使用; the ordinary e-mail confidentiality disclaimer as a negative;
- draft status as office programs keep it: LibreOffice Writer files (header, footer,
  meta.xml title and custom field), Word's tracked insertions, version 0.x in a document
  control table, DRAFT in xlsx headers and sheet names, pptx masters and text boxes, PDF
  watermarks, RTF headers; pre-decisional and deliberative drafts, working papers not for
  citation, discussion drafts, draft minutes; drafts in Ukrainian (ПРОЄКТ, 2019 spelling),
  Hungarian MUNKAANYAG, Czech PRACOVNÍ VERZE, Polish WERSJA ROBOCZA, Irish DRÉACHT, Welsh
  DRAFFT, Maltese ABBOZZ, Galician BORRADOR, Filipino BORADOR, Somali QABYO, Mongolian
  ТӨСӨЛ, Azerbaijani LAYİHƏ, Uzbek LOYIHA, Georgian პროექტი, Bulgarian and Macedonian forms,
  Hindi प्रारूप, Marathi मसुदा, Tamil வரைவு, Nepali मस्यौदा, Amharic ረቂቅ, Indonesian
  RANCANGAN, 送审稿, 初稿, ドラフト版, 초안.

About 40 % are hard negatives: the same words in ordinary writing (news about secret
services, the Official Secrets Act, draft beer and the NBA draft, a confidential helpline,
a job advert asking for security clearance, shredding services advertising 機密文書, NAS
descriptions with 機密性, 草稿纸, 下書き保存, software at version 0.9, published working papers
and exposure drafts, the e-mail disclaimer), in the same formats.
"""

from __future__ import annotations

from tests.corpus_heldout import mails
from tests.corpus_heldout import round4 as earlier
from tests.corpus_heldout.cases import (
    AR,
    DE,
    EL,
    EN,
    ES,
    FA,
    FR,
    HU,
    JA,
    KO,
    PL,
    PT,
    RU,
    ZH,
    C,
    Case,
    D,
    Item,
    N,
    deck,
    doc,
    docx_with,
    eml,
    html,
    mail,
    pdf,
    pdf_with,
    text,
    xlsx,
)
from tests.corpus_heldout.round4 import footed, named, rtf


def odt(body: str, header: str = "", footer: str = "", core: tuple[tuple[str, str], ...] = (),
        props: tuple[tuple[str, str], ...] = (), tag: str = "") -> Item:
    """A LibreOffice Writer document (header and footer on the master page, meta.xml fields)."""
    return Item("odt", body=body, header=header, footer=footer, core=core, props=props, tag=tag)


def page(name: str, body: str) -> Item:
    """An HTML page saved from an intranet or a site (a file, not a mail)."""
    return Item("text", body=body, name=name, tag=name)


UK_ = ("Надсилаємо інформацію про хід виконання програми.\nЗауваження просимо надати до 20 червня.")
CS_ = ("Předkládáme informaci o postupu prací na projektu.\nPřipomínky zašlete do 20. června.")
RO_ = ("Vă transmitem informarea privind stadiul proiectului.\nObservațiile se transmit până la 20 iunie.")
BS = ("Dostavljamo informaciju o realizaciji projekta.\nPrimjedbe dostaviti do 20. juna.")
GA = ("Tá an tuarascáil ar dhul chun cinn an tionscadail faoi iamh.\nSeol do thuairimí roimh 20 Meitheamh.")
CY = ("Mae'r adroddiad ar gynnydd y prosiect wedi'i atodi.\nAnfonwch sylwadau erbyn 20 Mehefin.")
MT = ("Mehmuż issib ir-rapport dwar il-progress tal-proġett.\nIl-kummenti għandhom jintbagħtu "
      "sal-20 ta' Ġunju.")
GL = ("Remítese o informe sobre o avance do proxecto.\nAs observacións deberán enviarse antes do 20 de xuño.")
TL = ("Kalakip ang ulat tungkol sa pag-usad ng proyekto.\nMangyaring ipadala ang inyong puna bago "
      "ang Hunyo 20.")
SO = ("Warbixinta horumarka mashruuca waa lagu soo lifaaqay.\nFadlan soo dir faallooyinkaaga ka hor 20 Juun.")
HA = ("An haɗa rahoton ci gaban aikin.\nDon Allah a aiko da ra'ayoyinku kafin 20 ga Yuni.")
ZU = ("Kunamathiselwe umbiko wenqubekela phambili yephrojekthi.\nSicela uthumele imibono ngaphambi "
      "komhla ka-20 Juni.")
MN = ("Төслийн явцын тайланг хавсаргав.\nСаналаа 6-р сарын 20-ны дотор ирүүлнэ үү.")
AZ = ("Layihənin icrası barədə hesabat əlavə olunur.\nQeydlərinizi 20 iyuna qədər göndərin.")
UZ = ("Dastur ijrosi to'g'risidagi hisobot ilova qilinadi.\nIzohlaringizni 20-iyungacha yuboring.")
KA = ("თან ერთვის ანგარიში პროგრამის შესრულების შესახებ.\nშენიშვნები გამოგზავნეთ 20 ივნისამდე.")
BG = ("Изпращаме информация за напредъка по програмата.\nБележки се приемат до 20 юни.")
MK = ("Ви доставуваме информација за напредокот на програмата.\nЗабелешките да се достават до 20 јуни.")
HI = ("कार्यक्रम की प्रगति रिपोर्ट संलग्न है।\nकृपया 20 जून तक अपनी टिप्पणियाँ भेजें।")
MR = ("कार्यक्रमाच्या प्रगतीचा अहवाल सोबत जोडला आहे.\nकृपया २० जूनपर्यंत आपले अभिप्राय पाठवावेत.")
TA = ("திட்டத்தின் முன்னேற்ற அறிக்கை இணைக்கப்பட்டுள்ளது.\nகருத்துகளை ஜூன் 20க்குள் அனுப்பவும்.")
NE = ("कार्यक्रमको प्रगति प्रतिवेदन संलग्न छ।\nकृपया २० जुनसम्म प्रतिक्रिया पठाउनुहोस्।")
AM = ("የፕሮጀክቱ የሂደት ሪፖርት ተያይዟል።\nአስተያየቶችን እስከ ሰኔ 20 ድረስ ይላኩ።")
ID = ("Bersama ini kami sampaikan laporan kemajuan program.\nMasukan mohon disampaikan paling "
      "lambat 20 Juni.")
PA = ("ਪ੍ਰੋਜੈਕਟ ਦੀ ਪ੍ਰਗਤੀ ਰਿਪੋਰਟ ਨੱਥੀ ਹੈ।\nਕਿਰਪਾ ਕਰਕੇ 20 ਜੂਨ ਤੱਕ ਆਪਣੇ ਸੁਝਾਅ ਭੇਜੋ।")
OR = ("ପ୍ରକଳ୍ପର ଅଗ୍ରଗତି ରିପୋର୍ଟ ସଂଲଗ୍ନ କରାଯାଇଛି।\nଦୟାକରି ଜୁନ 20 ସୁଦ୍ଧା ମତାମତ ପଠାନ୍ତୁ।")
UG = ("تۈرنىڭ ئىلگىرىلەش دوكلاتى قوشۇپ ئەۋەتىلدى.\nپىكىرلىرىڭىزنى 20-ئىيۇندىن بۇرۇن ئەۋەتىڭ.")
PS = ("د پروژې د پرمختګ راپور ضمیمه دی.\nمهرباني وکړئ خپل نظرونه د جون تر ۲۰ پورې راولېږئ.")
DOC_CONTROL = "Document control\nVersion\t{}\nDate\t3 June 2025\nAuthor\tR. Ortiz\nStatus\t{}"

FIFTH: tuple[Case, ...] = (
    # ------------------------------------------------------------ International bodies
    Case("opcw", C, doc(EN, header="OPCW HIGHLY PROTECTED", footer="OPCW HIGHLY PROTECTED")),
    Case("opcw", C, pdf(EN, header="OPCW PROTECTED")),
    Case("opcw", C, odt(EN, header="OPCW RESTRICTED")),
    Case("opcw", N, text("The OPCW published its annual report on Tuesday. Inspectors visited 241 "
                         "sites, a spokesperson said.")),
    Case("iaea", C, doc("For official use only\nGOV/2025/31\nDate: 3 June 2025\nRestricted Distribution\n"
                        "Original: English\n\n" + EN)),
    Case("iaea", N, doc("GOV/2024/12\nDate: 4 March 2024\nDerestricted 12 June 2024\n(This document has "
                        "been derestricted at the meeting of the Board on 12 June 2024)\n\n" + EN)),
    Case("wto", C, pdf("RESTRICTED\nWT/GC/W/951\n3 June 2025\n(25-4102)\nGeneral Council\n"
                       "Original: English\n\n" + EN)),
    Case("wto", N, text("The WTO lifted restrictions on its negotiating documents; derestricted papers "
                        "are now searchable online.")),
    Case("icc", C, pdf("Original: English No.: ICC-01/25-12\nDate: 3 June 2025\nPRE-TRIAL CHAMBER II\n"
                       "Confidential EX PARTE only available to the Prosecution\n\n" + EN)),
    Case("icc", N, pdf("Original: English No.: ICC-01/25-12-Red\nDate: 9 July 2025\nPRE-TRIAL CHAMBER II\n"
                       "Public redacted version of the Prosecution's request\n\n" + EN)),
    Case("eurocontrol", C, doc(EN, footer="EUROCONTROL RESTRICTED")),
    Case("frontex", C, doc(EN, header="FRONTEX – LIMITED")),
    Case("afunion", C, doc("AFRICAN UNION\nPEACE AND SECURITY COUNCIL\nCONFIDENTIAL\n\n" + EN)),
    Case("afunion", N, text("The African Union Peace and Security Council met in a closed session, "
                            "according to a communiqué released afterwards.")),
    # ------------------------------------------------------------ Governments not yet covered
    Case("ie", C, doc(EN, header="SECRET – Department of Foreign Affairs")),
    Case("ph", C, doc("Republic of the Philippines\nDEPARTMENT OF NATIONAL DEFENSE\nRESTRICTED\n\n" + EN)),
    Case("ph", C, doc(TL, header="LIHIM")),
    Case("ng", C, pdf("FEDERAL REPUBLIC OF NIGERIA\nSECRET\nRef: NSA/2025/112\n\n" + EN)),
    Case("gh", C, mail("CONFIDENTIAL: Ministerial briefing", EN)),
    Case("cl", C, doc(ES, header="RESERVADO", footer="RESERVADO")),
    Case("cl", C, pdf("SECRETO\nMINISTERIO DE DEFENSA NACIONAL\nOficio N° 1234\n\n" + ES)),
    Case("ar", C, doc("ESTRICTAMENTE SECRETO Y CONFIDENCIAL\n\n" + ES)),
    Case("uy", C, odt(ES, header="CONFIDENCIAL", footer="Información confidencial – Ley 18.381")),
    Case("ec", C, doc("SECRETÍSIMO\n\n" + ES)),
    Case("cu", C, doc("SECRETO\nREPÚBLICA DE CUBA\nMINISTERIO DEL INTERIOR\n\n" + ES)),
    Case("ve", C, pdf(ES, header="CONFIDENCIAL", footer="CONFIDENCIAL")),
    Case("cl", N, text("El secreto de la abuela: dejar reposar la masa toda la noche.")),
    Case("cl", N, doc("Mesa reservada\n\nRestaurante El Puerto – Reserve su mesa para el Día de la Madre.")),
    Case("ma", C, doc(FR, header="DIFFUSION RESTREINTE", footer="DIFFUSION RESTREINTE")),
    Case("sn", C, pdf("RÉPUBLIQUE DU SÉNÉGAL\nCONFIDENTIEL DÉFENSE\n\n" + FR)),
    Case("tn", C, doc(FR, header="SECRET – SPÉCIAL FRANCE")),
    Case("ma", N, text("Le secret de la réussite, selon l'entraîneur : la discipline.")),
    Case("sa", C, doc("سري وشخصي\n\n" + AR)),
    Case("jo", C, pdf(AR, header="سري ومستعجل")),
    Case("ae", C, doc("محظور\n\n" + AR)),
    Case("sa", N, text("كشفت الصحيفة سر نجاح الفريق في الموسم الماضي.")),
    Case("af", C, doc("محرم\n\n" + FA)),
    Case("af", C, doc("سري\n\n" + PS)),
    Case("cn-ug", C, doc("مەخپىي\n\n" + UG)),
    Case("md", C, doc("STRICT SECRET\n\n" + RO_)),
    Case("md", C, doc(RO_, header="RESTRICȚIONAT")),
    Case("ba", C, doc("STROGO POVJERLJIVO\n\n" + BS)),
    Case("me", C, pdf(BS, header="INTERNO")),
    Case("ba", N, text("Povjerljivo je rekao da će se vratiti, a zatim je otišao.")),
    Case("cy", C, doc("ΑΚΡΩΣ ΑΠΟΡΡΗΤΟ\n\n" + EL)),
    Case("so", C, doc("QARSOODI\n\n" + SO)),
    Case("ha", C, doc("SIRRI\n\n" + HA)),
    Case("zu", C, doc("IMFIHLO\n\n" + ZU)),
    Case("pa", C, doc("ਗੁਪਤ\n\n" + PA)),
    Case("mr", C, doc("अति गोपनीय\n\n" + MR)),
    Case("or", C, doc("ଗୋପନୀୟ\n\n" + OR)),
    Case("so", N, text("Sirta guusha waa dadaal joogto ah, ayuu yiri macallinku.")),
    # ------------------------------------------------------------ US, Commonwealth banners and caveats
    Case("us-court", C, pdf("FILED UNDER SEAL\nUNITED STATES DISTRICT COURT\nSOUTHERN DISTRICT OF "
                            "NEW YORK\n\n"
                            + EN)),
    Case("us-court", C, pdf(EN, header="HIGHLY CONFIDENTIAL – ATTORNEYS' EYES ONLY")),
    Case("us-court", C, doc(EN, footer="CONFIDENTIAL – SUBJECT TO PROTECTIVE ORDER")),
    Case("us-court", C, doc(EN, header="OUTSIDE COUNSEL'S EYES ONLY")),
    Case("us-court", N, pdf("REDACTED – PUBLIC VERSION\nUNITED STATES DISTRICT COURT\n\n" + EN)),
    Case("us-court", N, text("The judge unsealed the filing on Monday, and the public version was "
                             "posted to the court's docket.")),
    Case("cui", C, doc(EN, header="CUI//SP-CTI", footer="CUI//SP-CTI")),
    Case("cui", C, mail("CUI: contract data", "CUI\nControlled by: Department of the Navy\nCUI Category: "
                        "PROPIN\nPOC: R. Ortiz\n\n" + EN)),
    Case("cui", N, text("Contractors must handle Controlled Unclassified Information under NIST SP "
                        "800-171; training is available online.")),
    Case("us-dod", C, mail("Exercise schedule", "CLASSIFICATION: UNCLASSIFIED//FOR OFFICIAL USE ONLY\n\n" + EN
                           + "\n\nCLASSIFICATION: UNCLASSIFIED//FOR OFFICIAL USE ONLY")),
    Case("us-dod", N, mail("Exercise schedule", "CLASSIFICATION: UNCLASSIFIED\nCaveats: NONE\n\n" + EN
                           + "\n\nCLASSIFICATION: UNCLASSIFIED\nCaveats: NONE")),
    Case("au", C, mail("Budget bid [SEC=PROTECTED, CAVEAT=SH:CABINET]", EN)),
    Case("au", C, mail("Draft brief [SEC=OFFICIAL:Sensitive, ACCESS=Legal-Privilege]", EN)),
    Case("au", N, mail("Team lunch [SEC=OFFICIAL]", "Lunch is at noon on Friday in the atrium.")),
    Case("ca", C, mail("[PROTECTED B] Staffing action", EN)),
    Case("ca", C, doc(EN, header="SECRET – Cabinet Confidence / Confidence du Cabinet")),
    Case("ca", N, text("Job posting: Policy analyst. Reliability status required. Protected B "
                       "handling training will be provided.")),
    Case("uk", C, doc(EN, header="OFFICIAL-SENSITIVE COMMERCIAL")),
    Case("uk", C, doc(EN, header="SECRET UK EYES ONLY")),
    Case("uk", N, text("He was charged under the Official Secrets Act 1989 after documents were left on "
                       "a train, the court heard.")),
    Case("uk", N, doc("Official Secrets Act 1989\n\n1 Security and intelligence.\n(1) A person who is or has "
                      "been a member of the security and intelligence services is guilty of an offence if "
                      "without lawful authority he discloses any information.")),
    Case("us", N, text("The Secret Service increased security around the White House ahead of the "
                       "visit, officials said.")),
    Case("us", N, text("Job advert: Systems Engineer. Active TS/SCI clearance with polygraph required. "
                       "Competitive salary and benefits.")),
    Case("us", N, text("The National Archives released 1,200 declassified documents on the 1962 crisis; "
                       "some were once marked TOP SECRET.")),
    # ------------------------------------------------------------ Corporate and NGO footers
    Case("corp", C, footed(EN, "Nokia Confidential")),
    Case("corp", C, footed(EN, "IBM Confidential", pdf=True)),
    Case("corp", C, xlsx("Item\tQ1\tQ2\nRevenue\t120\t135", footer="Intel Confidential")),
    Case("corp", C, deck("Roadmap 2026\nPlatform milestones and launch dates", box="Ericsson Confidential")),
    Case("corp", C, mail("Project Falcon", "INSIDE INFORMATION – DO NOT FORWARD\n\nYou are being "
                                           "wall-crossed "
                         "on Project Falcon. You must not deal in the shares of the company.\n\n" + EN)),
    Case("corp", C, doc(EN, header="BOARD CONFIDENTIAL")),
    Case("corp", C, footed(EN, "TRADE SECRET – Contains proprietary information of Acme Corp. Do "
                               "not disclose.")),
    Case("corp", C, odt(EN, footer="Proprietary and Confidential – Not for distribution outside Contoso")),
    Case("corp", C, rtf(EN, header="STRICTLY CONFIDENTIAL")),
    Case("ngo", C, doc(EN, header="ICRC STRICTLY CONFIDENTIAL")),
    Case("ngo", C, html("Field security update", "<p><b>NOT FOR PUBLICATION – INTERNAL</b></p><p>"
                        + EN.replace("\n", "</p><p>") + "</p>")),
    Case("corp", N, mail("Invoice 2025-118", "Please find the invoice attached.\n\n--\nThis e-mail and any "
                         "attachments are confidential and may be privileged. If you are not the intended "
                         "recipient, please notify the sender and delete it.")),
    Case("corp", N, text("Staff can call the confidential helpline 24 hours a day; calls are free and "
                         "anonymous.")),
    Case("corp", N, doc("MUTUAL NON-DISCLOSURE AGREEMENT (TEMPLATE)\n\n1. "
                        "\"Confidential Information\" means any "
                        "information disclosed by either party that is marked confidential.\n2. The "
                        "Recipient "
                        "shall keep Confidential Information secret.")),
    Case("corp", N, text("Victoria's Secret opened a new store on the high street; Secret Santa gifts "
                         "must cost under £10.")),
    Case("corp", N, xlsx("Product\tPrice\nSECRET Clinical Strength deodorant\t6.99\nTop Secret "
                         "Recipe sauce\t3.49")),
    Case("corp", N, page("classifieds.html", "<html><body><h1>Classified ads</h1><p>Bicycle for sale, "
                         "restricted budget? Make an offer.</p></body></html>")),
    Case("corp", N, text("The Restricted Area sign marks the loading dock; visitors sign in at reception.")),
    Case("corp", N, deck("Brand workshop\nThe secret to great packaging is simplicity")),
    Case("jp", C, doc(JA, header="極秘")),
    Case("jp", C, doc("部外秘\n\n" + JA)),
    Case("jp", C, xlsx("項目\t金額\n売上\t1200", header="厳秘")),
    Case("jp", N, text("機密文書の溶解処理サービス。段ボールのまま回収し、証明書を発行します。")),
    Case("jp", N, text("機密性の高いデータも安心して保存できるNAS。暗号化と二段階認証に対応。")),
    Case("jp", N, text("ドラマ「極秘任務」の最終回は来週放送されます。")),
    Case("kr", C, doc("3급 비밀\n\n" + KO)),
    Case("kr", C, pdf(KO, header="대외비")),
    Case("kr", N, text("대외비 문건 유출 사건에 대해 검찰이 수사에 착수했다고 밝혔다.")),
    Case("cn", C, doc("商密\n\n" + ZH)),
    Case("cn", C, doc(ZH, footer="仅限内部使用 严禁外传")),
    Case("cn", N, text("机密文件粉碎服务，上门收取，全程监控，出具销毁证明。")),
    Case("cn", N, doc("中华人民共和国保守国家秘密法\n\n"
                      "第一条 为了保守国家秘密，维护国家安全和利益，制定本法。")),
    # ------------------------------------------------------------ Drafts: office-program forms
    Case("draft-en", D, doc(EN, header="DRAFT – FOR DISCUSSION PURPOSES ONLY")),
    Case("draft-en", D, doc(DOC_CONTROL.format("0.3", "Draft for comment") + "\n\n" + EN)),
    Case("draft-en", D, doc(DOC_CONTROL.format("0.4", "For review") + "\n\n" + EN)),
    Case("draft-en", D, docx_with(EN, tracked="and the secretariat proposes a revised timetable.",
                                  tag="tracked insertion")),
    Case("draft-en", D, doc("PRE-DECISIONAL – DELIBERATIVE\nDRAFT\n\n" + EN)),
    Case("draft-en", D, pdf(EN, header="Working paper – please do not cite or circulate")),
    Case("draft-en", D, doc("DISCUSSION DRAFT\n\n" + EN)),
    Case("draft-en", D, doc("Draft minutes of the meeting of 3 June 2025 (subject to approval)\n\n" + EN)),
    Case("draft-en", D, xlsx("Item\tQ1\tQ2\nRevenue\t120\t135", header="DRAFT – subject to audit")),
    Case("draft-en", D, xlsx("Item\tQ1\tQ2\nRevenue\t120\t135", sheet="DRAFT v2")),
    Case("draft-en", D, Item("pptx", body="Strategy 2026\nOptions for the board", master="DRAFT – "
                                                                                         "FOR INTERNAL "
                             "DISCUSSION", tag="master draft internal")),
    Case("draft-en", D, deck("Pricing proposal\nOptions A to C", box="PRELIMINARY DRAFT – SUBJECT "
                                                                     "TO CHANGE")),
    Case("draft-en", D, rtf(EN, header="DRAFT 0.2")),
    Case("draft-en", D, odt(EN, header="DRAFT")),
    Case("draft-en", D, odt(EN, core=(("title", "Annual plan 2026 (draft)"),), tag="odt title draft")),
    Case("draft-en", D, odt(EN, props=(("Status", "Draft"),), tag="odt status draft")),
    Case("draft-en", D, footed(EN, "Version 0.3 – DRAFT – not for circulation")),
    Case("draft-en", D, pdf_with(EN, watermark="DRAFT COPY")),
    Case("draft-en", N, doc(DOC_CONTROL.format("1.0", "Approved") + "\n\n" + EN)),
    Case("draft-en", N, text("Version 0.9 of the library adds streaming support; see the release notes.")),
    Case("draft-en", N, text("Working Papers describe research in progress by the authors and are "
                             "published to elicit comments. NBER Working Paper No. 31234.")),
    Case("draft-en", N, pdf("Exposure Draft\nProposed amendments to the revenue standard\nComments to be "
                            "received by 30 November 2025\n\n" + EN)),
    Case("draft-en", N, text("Twelve craft beers on draft, and the NBA Draft on the big screen tonight.")),
    Case("draft-en", N, text("The ship's draft is 12 metres; a draft horse pulled the cart past the draft "
                             "excluder shop.")),
    Case("draft-en", N, mail("Your payment", "We received your bank draft for £450. Thank you.")),
    Case("draft-en", N, html("Saved", "<p>Your message was saved to Drafts.</p>")),
    Case("draft-en", N, odt("Meeting notes\n\n" + EN, footer="Final version – approved 10 June 2025")),
    Case("draft-en", N, xlsx("Pick\tTeam\tPlayer\n1\tSpurs\tA. Smith\n2\tHornets\tB. "
                             "Jones", sheet="Draft picks")),
    # ------------------------------------------------------------ Drafts in more languages
    Case("draft-ua", D, doc("ПРОЄКТ\n\n" + UK_)),
    Case("draft-ua", N, text("Проєкт закону ухвалили в першому читанні, повідомили в парламенті.")),
    Case("draft-hu", D, doc(HU, header="MUNKAANYAG")),
    Case("draft-cz", D, doc(CS_, header="PRACOVNÍ VERZE")),
    Case("draft-pl", D, doc("WERSJA ROBOCZA\n\n" + PL)),
    Case("draft-ga", D, doc("DRÉACHT\n\n" + GA)),
    Case("draft-cy", D, doc("DRAFFT\n\n" + CY)),
    Case("draft-mt", D, doc("ABBOZZ\n\n" + MT)),
    Case("draft-gl", D, doc(GL, header="BORRADOR")),
    Case("draft-tl", D, doc("BORADOR\n\n" + TL)),
    Case("draft-so", D, doc("QABYO\n\n" + SO)),
    Case("draft-mn", D, doc("ТӨСӨЛ\n\n" + MN)),
    Case("draft-az", D, doc("LAYİHƏ\n\n" + AZ)),
    Case("draft-uz", D, doc("LOYIHA\n\n" + UZ)),
    Case("draft-ka", D, doc("პროექტი\n\n" + KA)),
    Case("draft-bg", D, doc(BG, header="ПРОЕКТ")),
    Case("draft-mk", D, doc("НАЦРТ\n\n" + MK)),
    Case("draft-hi", D, doc("प्रारूप\n\n" + HI)),
    Case("draft-mr", D, doc("मसुदा\n\n" + MR)),
    Case("draft-ta", D, doc("வரைவு\n\n" + TA)),
    Case("draft-np", D, doc("मस्यौदा\n\n" + NE)),
    Case("draft-am", D, doc("ረቂቅ\n\n" + AM)),
    Case("draft-id", D, doc("RANCANGAN\n\n" + ID)),
    Case("draft-zh", D, doc("关于加强数据安全管理的通知\n（送审稿）\n\n" + ZH)),
    Case("draft-zh", D, doc(ZH, header="初稿")),
    Case("draft-jp", D, doc(JA, header="ドラフト版")),
    Case("draft-kr", D, doc("초안\n\n" + KO)),
    Case("draft-de", D, odt(DE, header="Entwurf – Stand: 03.06.2025")),
    Case("draft-es", D, pdf(ES, header="Versión preliminar – no citar")),
    Case("draft-fr", D, odt(FR, footer="Version provisoire – ne pas diffuser")),
    Case("draft-it", D, pdf_with("Con la presente si trasmette lo schema di "
                                 "regolamento.", watermark="BOZZA")),
    Case("draft-pt", D, doc("RASCUNHO\n\n" + PT)),
    Case("draft-ru", D, doc(RU, header="Рабочая версия")),
    Case("draft-mn", N, text("Шинэ төсөл хэрэгжиж эхэллээ гэж сайд мэдэгдэв.")),
    Case("draft-az", N, text("Yeni layihə çərçivəsində 20 məktəb tikiləcək.")),
    Case("draft-uz", N, text("Yangi loyiha doirasida 20 ta maktab quriladi.")),
    Case("draft-ka", N, text("ახალი პროექტის ფარგლებში 20 სკოლა აშენდება.")),
    Case("draft-id", N, text("Rancangan busana karya desainer muda itu memenangi lomba.")),
    Case("draft-es", N, text("El Gobierno presentó ayer el borrador de presupuestos, informó la agencia.")),
    Case("draft-de", N, text("Der Entwurf des Architekturbüros gewann den Wettbewerb für das neue Rathaus.")),
    Case("draft-it", N, text("La bozza del decreto è stata pubblicata ieri in Gazzetta, riferiscono "
                             "le agenzie.")),
    Case("draft-zh", N, text("草稿纸 16开 100页 办公文具 批发价")),
    Case("draft-jp", N, text("メールは「下書き保存」ボタンで後から編集できます。")),
    Case("draft-kr", N, text("정부는 개정안 초안을 다음 달 공개할 예정이라고 밝혔다.")),
    Case("draft-hi", N, text("सरकार ने नीति का प्रारूप सार्वजनिक किया, मंत्री ने बताया।")),
    Case("draft-ta", N, text("வரைவு விதிகள் வெளியிடப்பட்டதாக அமைச்சர் தெரிவித்தார்.")),
    Case("draft-pt", N, text("Rascunho em papel reciclado, caderno com 96 folhas.")),
    # ------------------------------------------------------------ Containers and names
    Case("corp", C, named("Board_pack_2026_STRICTLY_CONFIDENTIAL.txt", EN)),
    Case("draft-en", D, named("Policy_v0.3_for_comment.txt", EN)),
    Case("corp", C, eml(mails.attachment("Files", "Please see the attachment.", 'filename="minutes.txt"',
                                         ("CONFIDENTIAL\n\n" + EN).encode(), ctype="text/plain; "
                                                                                   "charset=utf-8"),
                        "attachment confidential text")),
    Case("ru", C, doc("Для служебного пользования\nЭкз. № 2\n\n" + RU)),
    Case("ru", N, doc("Закон Российской Федерации «О государственной тайне»\n\nСтатья 1. Сфера действия "
                      "настоящего Закона.")),
    Case("de", N, text("Unser Geheimtipp für den Sommer: der kleine See hinter dem Dorf.")),
    Case("pl", N, text("Tajemnica lekarska obowiązuje także po śmierci pacjenta, przypomina ulotka.")),
    Case("pt", N, text("O sigilo bancário foi quebrado por decisão judicial, informou o tribunal.")),
)

# Hard negatives written with the fifth round's fixes, beside the forms and positions they
# added (not part of the held-out figure): the same words in ordinary writing.
FIFTH_FIX_NEGATIVES: tuple[Case, ...] = (
    Case("opcw", N, doc(EN, header="OPCW Technical Secretariat")),
    Case("eurocontrol", N, text("EUROCONTROL restricted flights over the region on Friday, the agency "
                                "said.")),
    Case("ha", N, text("Sirrin nasara shi ne aiki tukuru, in ji malamin.")),
    Case("zu", N, text("Imfihlo yempumelelo ukusebenza kanzima, kusho uthisha.")),
    Case("ph", N, text("LIHIM\nAwit ng isang banda mula sa Maynila, 1994.\n"
                       "Liriko at mga kord para sa gitara.")),
    Case("cn-ug", N, text("بۇ مەخپىي ئەمەس، ھەممە بىلىدۇ.")),
    Case("ec", N, text("Un secretísimo plan de la abuela para el cumpleaños, contó la familia.")),
    Case("jo", N, text("اجتماع سري ومستعجل لمجلس الأمن بشأن الأزمة\nعقد المجلس جلسة مغلقة مساء أمس.")),
    Case("md", N, text("Accesul este restricționat pentru vizitatori în weekend.")),
    Case("ba", N, text("Strogo povjerljivo, rekao je novinarima, ali svi su već znali.")),
    Case("pa", N, text("ਸਫਲਤਾ ਦਾ ਗੁਪਤ ਰਾਜ਼ ਮਿਹਨਤ ਹੈ।")),
    Case("or", N, text("ସଫଳତାର ଗୋପନୀୟ ରହସ୍ୟ ହେଉଛି ପରିଶ୍ରମ।")),
    Case("corp", N, docx_with(EN, core=(("title", "Board Confidentiality and Conflicts Policy"),),
                              tag="title board confidentiality policy")),
    Case("corp", N, pdf("INSIDE INFORMATION\nVOLUNTARY ANNOUNCEMENT\nThis announcement is made by the "
                        "Company pursuant to Rule 13.09 of the Listing Rules\nand the Inside Information "
                        "Provisions of the Securities and Futures Ordinance.")),
    Case("corp", N, doc(EN, header="Keeping Patient Information Confidential")),
    Case("corp", N, doc(EN, footer="Not Confidential")),
    Case("us-court", N, text("Filed under seal: what it means when court records are hidden\nA guide for "
                             "reporters covering the federal courts.")),
    Case("draft-en", N, text("DRAFT COPYWRITING WORKSHOP\nLearn to write headlines that sell.")),
    Case("draft-en", N, text("Do not cite Wikipedia in your essay, the teacher reminded the class.")),
    Case("draft-en", N, text("Draft of the Year awards: nominations close at the members' meeting on "
                             "Friday.")),
    Case("draft-en", N, pdf(EN, header="NBER WORKING PAPER SERIES")),
    Case("draft-en", N, doc("IMF Working Paper WP/25/101\nThe views expressed in IMF Working Papers are "
                            "those of the authors.\n\n" + EN)),
    Case("draft-en", N, doc("Package\tVersion\nrequests\t0.4\nnumpy\t2.1\n\n" + EN)),
    Case("draft-en", N, xlsx("Version\t0.4.2\nLicense\tMIT")),
    Case("draft-en", N, named("RFC_request_for_comments_9110.txt", EN)),
    Case("draft-ga", N, text("Tá an dréacht-dlí foilsithe ag an Rialtas inniu.")),
    Case("draft-mt", N, text("Il-Gvern ippubblika l-abbozz ta' liġi llum, qalet l-aġenzija.")),
    Case("draft-tl", N, text("Inilabas ng Senado ang borador ng panukalang batas kahapon.")),
    Case("draft-so", N, text("Shaqadu weli waa qabyo, ayuu yiri agaasimuhu.")),
    Case("draft-np", N, text("सरकारले विधेयकको मस्यौदा सार्वजनिक गर्‍यो, मन्त्रीले भने।")),
    Case("draft-am", N, text("ረቂቅ ሕጉ በምክር ቤቱ ጸደቀ ሲሉ ሚኒስትሩ ተናግረዋል።")),
    Case("draft-az", N, text("Layihə\nYeni məktəb binasının tikintisi başa çatıb.")),
)

CASES: tuple[Case, ...] = earlier.CASES + FIFTH + FIFTH_FIX_NEGATIVES
