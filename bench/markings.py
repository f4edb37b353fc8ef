"""Recall on markings as real organisations write them, per system and per placement:
``python bench/markings.py [--seed S] [--only SYSTEM] [--misses] [--out DIR]``.

The markings below were written from public descriptions of marking systems, not from
Redline's rules: US EO 13526 and the CAPCO register (banners, portion marks, the
classification authority block, State Department cables with their spaced-out level), the
CUI registry (CUI//SP-PRVCY), the UK Government Security Classifications (2014 and 2023),
Australia's PSPF (e-mail ``[SEC=…]``), Canada's PGS, New Zealand's PSR, NATO C-M(2002)49,
the EU Council decision 2013/488/EU and Commission decision 2015/444, Germany's VSA,
Austria's InfoSiG, France's IGI 1300 (2021), Belgium's law of 1998, Spain's Ley de Secretos
Oficiales and CCN guides, Italy's DPCM 5/2015, Portugal's SEGNAC and Brazil's Lei 12.527,
Mexico's LGTAIP, Russia's law on state secrets and ДСП regulation, Ukraine's, Poland's,
Czechia's, Slovakia's, Hungary's, Romania's, Bulgaria's and Greece's laws on classified
information, the Nordic security acts, the Dutch VIR-BI, Turkey's, Israel's and Arab states'
usage, India's Manual of Departmental Security Instructions, China's Law on Guarding State
Secrets and GB/T 9704-2012 (秘密★1年 at the top left), enterprise 商业秘密 practice, Taiwan's
and Hong Kong's schemes, Japan's 特定秘密/極秘/秘 and 社外秘 practice, Korea's 보안업무규정,
Microsoft Purview's default labels and visual markings, the Traffic Light Protocol 2.0,
and how people write draft status in many languages.

Each marking is written into realistic placements: a banner at the top and bottom of a text
page, a docx page header and footer, a PDF page header and footer (reportlab), a mail
Subject, the first line of a mail body, a docx table cell after a field label
("Classification", "密级", "Гриф", ...) and, for the systems that use them, portion marks at
the start of paragraphs and the US classification authority block. The same words in
ordinary sentences (hard negatives, per system) go through a text file, a mail body and a
docx body and must pass. Every item is scanned through ``build_pipeline().scan``; the
table gives recall per system and per placement and the false positives.
"""

from __future__ import annotations

import argparse
import io
import random
import re
import sys
from collections import defaultdict
from email.message import EmailMessage
from pathlib import Path

C, D = "classification", "draft"

# system -> (language, [(marking, category)]). A marking a policy would hold.
SYSTEMS: dict[str, tuple[str, list[tuple[str, str]]]] = {
    "US": ("en", [(m, C) for m in (
        "TOP SECRET//SI//NOFORN", "TOP SECRET//SCI", "TOP SECRET//HCS-P//ORCON/NOFORN",
        "TOP SECRET//SI-G/TK//NOFORN", "SECRET//NOFORN", "SECRET//REL TO USA, FVEY",
        "SECRET//REL TO USA, GBR, AUS", "SECRET//ORCON/NOFORN", "SECRET//RELIDO",
        "SECRET//RD", "SECRET//FRD", "SECRET//NOFORN//20451231", "CONFIDENTIAL//NOFORN",
        "CONFIDENTIAL//REL TO USA, NATO", "TOP SECRET", "SECRET", "CONFIDENTIAL",
        "UNCLASSIFIED//FOR OFFICIAL USE ONLY", "UNCLASSIFIED//FOUO", "FOR OFFICIAL USE ONLY",
        "UNCLASSIFIED//LAW ENFORCEMENT SENSITIVE", "UNCLASSIFIED//LES",
        "SENSITIVE BUT UNCLASSIFIED", "LIMITED OFFICIAL USE", "UNCLASSIFIED//NOFORN",
        "OFFICIAL USE ONLY", "UNCLASSIFIED CONTROLLED NUCLEAR INFORMATION")]),
    "US-CUI": ("en", [(m, C) for m in (
        "CUI", "CUI//SP-PRVCY", "CUI//SP-CTI", "CUI//NOFORN", "CUI//SP-EXPT//FEDCON",
        "CUI//PRVCY/LEI", "CONTROLLED UNCLASSIFIED INFORMATION", "CONTROLLED//FEDCON")]),
    "UK": ("en", [(m, C) for m in (
        "OFFICIAL-SENSITIVE", "OFFICIAL SENSITIVE", "OFFICIAL-SENSITIVE COMMERCIAL",
        "OFFICIAL-SENSITIVE PERSONAL", "OFFICIAL-SENSITIVE: COMMERCIAL", "OFFICIAL – SENSITIVE",
        "UK SECRET", "UK TOP SECRET", "SECRET UK EYES ONLY", "TOP SECRET – UK EYES ONLY",
        "UK OFFICIAL-SENSITIVE", "UK EYES ONLY", "RESTRICTED", "UK RESTRICTED",
        "PROTECT – PERSONAL", "OFFICIAL-SENSITIVE [LEGAL]")]),
    "AU": ("en", [(m, C) for m in (
        "OFFICIAL: Sensitive", "PROTECTED", "PROTECTED//CABINET", "OFFICIAL: Sensitive//Legal-Privilege",
        "[SEC=OFFICIAL:Sensitive]", "[SEC=PROTECTED]", "[SEC=OFFICIAL:Sensitive, ACCESS=Personal-Privacy]",
        "SECRET//AUSTEO", "TOP SECRET//AUSTEO", "PROTECTED: CABINET")]),
    "CA": ("en", [(m, C) for m in (
        "PROTECTED A", "PROTECTED B", "PROTECTED C", "PROTÉGÉ B", "PROTECTED B / PROTÉGÉ B",
        "SECRET – CANADIAN EYES ONLY", "CONFIDENTIAL / CONFIDENTIEL", "SECRET//CEO")]),
    "NZ": ("en", [(m, C) for m in ("IN-CONFIDENCE", "SENSITIVE", "RESTRICTED", "[IN-CONFIDENCE]",
                                   "SECRET//NZEO")]),
    "NATO": ("en", [(m, C) for m in (
        "NATO RESTRICTED", "NATO CONFIDENTIAL", "NATO SECRET", "COSMIC TOP SECRET",
        "COSMIC TOP SECRET ATOMAL", "NATO SECRET ATOMAL", "NATO/EAPC RESTRICTED",
        "NATO RESTRICTED RELEASABLE TO AUS", "NATO/PfP CONFIDENTIAL", "NATO SECRET – RELEASABLE TO KFOR")]),
    "EU": ("en", [(m, C) for m in (
        "RESTREINT UE/EU RESTRICTED", "CONFIDENTIEL UE/EU CONFIDENTIAL", "SECRET UE/EU SECRET",
        "TRÈS SECRET UE/EU TOP SECRET", "RESTREINT UE", "EU RESTRICTED", "LIMITE",
        "SENSITIVE: SPECIAL HANDLING", "EU CONFIDENTIAL", "TRES SECRET UE/EU TOP SECRET",
        "COMMISSION SENSITIVE")]),
    "DE": ("de", [(m, C) for m in (
        "VS-NUR FÜR DEN DIENSTGEBRAUCH", "VS – NUR FÜR DEN DIENSTGEBRAUCH", "VS-NfD",
        "Nur für den Dienstgebrauch", "VS-VERTRAULICH", "GEHEIM", "STRENG GEHEIM",
        "VS-Vertraulich", "Verschlusssache – Nur für den Dienstgebrauch", "VS-NUR FUER DEN DIENSTGEBRAUCH",
        "STRENG VERTRAULICH", "Vertraulich – nur für den internen Gebrauch")]),
    "AT-CH": ("de", [(m, C) for m in ("EINGESCHRÄNKT", "VERTRAULICH", "GEHEIM", "STRENG GEHEIM",
                                      "INTERN", "Klassifizierung: VERTRAULICH")]),
    "FR": ("fr", [(m, C) for m in (
        "DIFFUSION RESTREINTE", "SECRET", "TRÈS SECRET", "SECRET SPÉCIAL FRANCE",
        "DIFFUSION RESTREINTE – SPÉCIAL FRANCE", "TRÈS SECRET DÉFENSE", "SECRET DÉFENSE",
        "CONFIDENTIEL DÉFENSE", "CONFIDENTIEL PERSONNEL", "SPÉCIAL FRANCE", "CONFIDENTIEL",
        "STRICTEMENT CONFIDENTIEL", "C3 – Confidentiel", "Usage interne uniquement")]),
    "BE": ("nl", [(m, C) for m in (
        "BEPERKTE VERSPREIDING", "VERTROUWELIJK", "GEHEIM", "ZEER GEHEIM",
        "BEPERKTE VERSPREIDING / DIFFUSION RESTREINTE")]),
    "ES": ("es", [(m, C) for m in (
        "DIFUSIÓN LIMITADA", "CONFIDENCIAL", "RESERVADO", "SECRETO", "USO OFICIAL",
        "DIFUSION LIMITADA", "ESTRICTAMENTE CONFIDENCIAL", "SECRETO – NO DIFUNDIR")]),
    "LATAM": ("es", [(m, C) for m in (
        "INFORMACIÓN RESERVADA", "INFORMACIÓN CONFIDENCIAL", "RESERVADA", "CLASIFICADA",
        "INFORMACIÓN PÚBLICA RESERVADA", "DOCUMENTO RESERVADO", "INFORMACIÓN CLASIFICADA")]),
    "IT": ("it", [(m, C) for m in (
        "RISERVATO", "RISERVATISSIMO", "SEGRETO", "SEGRETISSIMO", "RISERVATO UE/EU RESTRICTED",
        "NATO RISERVATO", "STRETTAMENTE RISERVATO", "USO INTERNO", "CONFIDENZIALE")]),
    "PT-BR": ("pt", [(m, C) for m in (
        "RESERVADO", "SECRETO", "ULTRASSECRETO", "ULTRA-SECRETO", "MUITO SECRETO", "CONFIDENCIAL",
        "INFORMAÇÃO SIGILOSA", "ACESSO RESTRITO", "DOCUMENTO SIGILOSO", "RESERVADO – Lei 12.527/2011")]),
    "RU": ("ru", [(m, C) for m in (
        "ДСП", "Для служебного пользования", "ДЛЯ СЛУЖЕБНОГО ПОЛЬЗОВАНИЯ", "СЕКРЕТНО",
        "СОВЕРШЕННО СЕКРЕТНО", "ОСОБОЙ ВАЖНОСТИ", "Секретно. Экз. № 2",
            "Для служебного пользования. Экз. № 1",
        "КОММЕРЧЕСКАЯ ТАЙНА", "Коммерческая тайна", "КОНФИДЕНЦИАЛЬНО", "Совершенно секретно (Особая папка)",
        "Гриф «Секретно»")]),
    "UA": ("uk", [(m, C) for m in (
        "ДСК", "Для службового користування", "ТАЄМНО", "ЦІЛКОМ ТАЄМНО", "ОСОБЛИВОЇ ВАЖЛИВОСТІ",
        "КОНФІДЕНЦІЙНО")]),
    "BG": ("bg", [(m, C) for m in ("ЗА СЛУЖЕБНО ПОЛЗВАНЕ", "ПОВЕРИТЕЛНО", "СЕКРЕТНО", "СТРОГО СЕКРЕТНО")]),
    "CN": ("zh", [(m, C) for m in (
        "秘密★1年", "机密★10年", "绝密★长期", "秘密", "机密", "绝密", "内部", "内部资料 注意保密",
        "国家秘密", "商业秘密", "工作秘密", "秘密★6个月", "机密★", "内部资料，严禁外传", "核心商业秘密",
        "普通商业秘密", "公司机密", "仅限内部使用", "内部文件 请勿外传", "绝密★启用前")]),
    "TW-HK": ("zh-t", [(m, C) for m in (
        "密", "機密", "極機密", "絕對機密", "限閱", "限閱文件", "秘密", "機密文件",
            "密（本件於公布後解密）")]),
    "JP": ("ja", [(m, C) for m in (
        "秘", "極秘", "取扱注意", "部外秘", "社外秘", "関係者外秘", "厳秘", "機密性３", "機密性２",
        "取扱厳重注意", "特定秘密", "秘密", "社外秘 / Confidential", "【社外秘】", "社内限り")]),
    "KR": ("ko", [(m, C) for m in (
        "대외비", "Ⅰ급비밀", "Ⅱ급비밀", "Ⅲ급비밀", "II급비밀", "III급 비밀", "2급비밀", "3급 비밀",
        "I급 비밀", "사외비", "기밀", "대외비 (Confidential)")]),
    "PL": ("pl", [(m, C) for m in ("ZASTRZEŻONE", "POUFNE", "TAJNE", "ŚCIŚLE TAJNE",
                                   "Klauzula: ZASTRZEŻONE", "TAJEMNICA PRZEDSIĘBIORSTWA")]),
    "CZ-SK": ("cs", [(m, C) for m in ("VYHRAZENÉ", "DŮVĚRNÉ", "TAJNÉ", "PŘÍSNĚ TAJNÉ",
                                      "VYHRADENÉ", "DÔVERNÉ", "PRÍSNE TAJNÉ")]),
    "HU-RO": ("hu", [(m, C) for m in (
        "KORLÁTOZOTT TERJESZTÉSŰ", "BIZALMAS", "TITKOS", "SZIGORÚAN TITKOS",
        "SECRET DE SERVICIU", "STRICT SECRET", "STRICT SECRET DE IMPORTANȚĂ DEOSEBITĂ")]),
    "GR": ("el", [(m, C) for m in ("ΠΕΡΙΟΡΙΣΜΕΝΗΣ ΧΡΗΣΗΣ", "ΕΜΠΙΣΤΕΥΤΙΚΟ", "ΑΠΟΡΡΗΤΟ", "ΑΚΡΩΣ ΑΠΟΡΡΗΤΟ")]),
    "NORDIC": ("sv", [(m, C) for m in (
        "HEMLIG", "KVALIFICERAT HEMLIG", "BEGRÄNSAT HEMLIG", "KONFIDENTIELL", "HEMLIG/SECRET",
        "HEMLIG/RESTRICTED", "Hemlig enligt 15 kap. 2 § OSL", "BEGRENSET", "KONFIDENSIELT",
        "HEMMELIG", "STRENGT HEMMELIG", "Unntatt offentlighet", "TIL TJENESTEBRUG", "FORTROLIGT",
        "HEMMELIGT", "YDERST HEMMELIGT", "KÄYTTÖ RAJOITETTU", "LUOTTAMUKSELLINEN", "SALAINEN",
        "ERITTÄIN SALAINEN", "TL IV", "Salassa pidettävä")]),
    "NL": ("nl", [(m, C) for m in (
        "Stg. GEHEIM", "Stg. ZEER GEHEIM", "Stg. CONFIDENTIEEL", "Dep. VERTROUWELIJK",
        "DEPARTEMENTAAL VERTROUWELIJK", "STAATSGEHEIM ZEER GEHEIM", "VERTROUWELIJK",
        "Stg. GEHEIM – NL EYES ONLY")]),
    "TR": ("tr", [(m, C) for m in ("HİZMETE ÖZEL", "ÖZEL", "GİZLİ", "ÇOK GİZLİ", "TİCARİ SIR")]),
    "HE": ("he", [(m, C) for m in ("שמור", "סודי", "סודי ביותר", "מוגבל")]),
    "AR": ("ar", [(m, C) for m in ("سري", "سري للغاية", "سري جداً", "محظور", "مكتوم", "سري وشخصي",
                                   "للاستخدام الرسمي فقط", "سري - خاص")]),
    "FA": ("fa", [(m, C) for m in ("محرمانه", "سری", "بکلی سری", "خیلی محرمانه")]),
    "IN": ("hi", [(m, C) for m in ("गुप्त", "अति गुप्त", "प्रतिबंधित", "गोपनीय", "RESTRICTED",
        "TOP SECRET")]),
    "CORP": ("en", [(m, C) for m in (
        "Confidential\\Internal only", "Highly Confidential", "Highly Confidential\\All Employees",
        "Confidential\\All Employees", "Sensitivity: Confidential", "Classification: Confidential",
        "Classified as Microsoft Confidential", "Microsoft Confidential",
            "Highly Confidential\\Specified People",
        "COMPANY CONFIDENTIAL", "STRICTLY CONFIDENTIAL", "PROPRIETARY AND CONFIDENTIAL",
        "INTERNAL USE ONLY", "For internal use only", "Confidential – Do not distribute",
        "C3 - Restricted", "Classification: Restricted", "Sensitivity: Highly Confidential",
        "CONFIDENTIAL – ATTORNEY-CLIENT PRIVILEGED", "PRIVILEGED & CONFIDENTIAL",
        "Business Confidential", "Restricted – Internal")]),
    "TLP": ("en", [(m, C) for m in ("TLP:RED", "TLP:AMBER", "TLP:AMBER+STRICT", "TLP: AMBER",
                                    "TLP: RED", "PAP:RED")]),
    "DRAFT-en": ("en", [(m, D) for m in (
        "DRAFT", "PRE-DECISIONAL DRAFT", "Draft for discussion", "DRAFT – NOT FOR DISTRIBUTION",
        "DRAFT – FOR DISCUSSION PURPOSES ONLY", "Working Draft", "DRAFT v0.3",
        "PREDECISIONAL // DELIBERATIVE", "Pre-decisional and Deliberative", "Draft – subject to change",
        "Exposure Draft", "Consultation draft", "DRAFT – NOT FOR CITATION")]),
    "DRAFT-zh": ("zh", [(m, D) for m in (
        "草案", "征求意见稿", "送审稿", "讨论稿", "初稿", "（征求意见稿）", "内部讨论稿", "草稿", "报批稿",
        "（送审稿）", "修订草案", "未定稿")]),
    "DRAFT-es": ("es", [(m, D) for m in ("BORRADOR", "BORRADOR – NO DISTRIBUIR", "PROYECTO",
                                         "Anteproyecto", "Versión preliminar", "Documento de trabajo")]),
    "DRAFT-fr": ("fr", [(m, D) for m in ("BROUILLON", "PROJET", "Document de travail", "Version provisoire",
                                         "Avant-projet", "PROJET – NE PAS DIFFUSER")]),
    "DRAFT-de": ("de", [(m, D) for m in ("ENTWURF", "Entwurf – nicht zur Weitergabe", "Arbeitsentwurf",
                                         "Referentenentwurf", "Diskussionsentwurf",
                                             "ENTWURF Stand 12.03.2026")]),
    "DRAFT-it": ("it", [(m, D) for m in ("BOZZA", "BOZZA – NON DIFFONDERE", "Bozza di lavoro",
                                         "Versione provvisoria", "SCHEMA DI DECRETO")]),
    "DRAFT-pt": ("pt", [(m, D) for m in ("RASCUNHO", "VERSÃO PRELIMINAR", "ANTEPROJETO",
                                         "Versão para discussão")]),
    "DRAFT-ru": ("ru", [(m, D) for m in ("ПРОЕКТ", "Проект документа", "ЧЕРНОВИК",
        "Проект на обсуждение")]),
    "DRAFT-ja": ("ja", [(m, D) for m in ("（案）", "素案", "草案", "ドラフト", "未定稿",
        "たたき台", "原案")]),
    "DRAFT-ko": ("ko", [(m, D) for m in ("초안", "(안)", "가안", "시안", "초안(검토용)")]),
    "DRAFT-other": ("nl", [(m, D) for m in (
        "CONCEPT", "Concept – niet verspreiden", "PROJEKT", "WERSJA ROBOCZA", "NÁVRH", "PRACOVNÍ VERZE",
        "UTKAST", "UDKAST", "LUONNOS", "TASLAK", "مسودة", "טיוטה", "ΣΧΕΔΙΟ", "CIORNĂ", "TERVEZET")]),
}

# Paragraph portion marks (CAPCO, NATO): documents mix unmarked-level and marked portions.
PORTIONS = {
    "US-portion": ["(S)", "(TS)", "(C)", "(S//NF)", "(TS//SCI)", "(U//FOUO)", "(S//REL TO USA, FVEY)",
                   "(TS//SI//NF)", "(CUI)", "(S//REL)", "(C//NF)"],
    "NATO-portion": ["(NR)", "(NC)", "(NS)", "(CTS)"],
}

# The classification authority block (EO 13526 §1.6) and a State Department cable header.
BLOCKS = {
    "US-block": [
        "Classified By: J. Rivera, Director, Office of Plans\nDerived From: DoD SCG 2019-04\n"
        "Declassify On: 20501231",
        "Classified by: Michael Chen, Deputy Director\nReason: 1.4(c) and (d)\nDeclassify on: 25X1",
        "CLASSIFIED BY: AMBASSADOR R. SMITH, REASONS 1.4 (B) AND (D)",
        "Derived From: Multiple Sources\nDeclassify On: 20451231",
    ],
    "US-cable": [
        "C O N F I D E N T I A L SECTION 01 OF 02 PARIS 001234\n\nSIPDIS\n\nE.O. 12958: DECL: 03/14/2031\n"
        "TAGS: PREL, PGOV, FR\nSUBJECT: MEETING WITH THE FOREIGN MINISTER",
        "S E C R E T STATE 012345\n\nNOFORN\nSIPDIS\n\nE.O. 12958: DECL: 01/08/2034\nTAGS: PTER, MARR",
        "S E C R E T SECTION 01 OF 03 BAGHDAD 004521\n\nSIPDIS\n\nE.O. 12958: DECL: 11/20/2028",
    ],
}

# Field labels before a marking in a table cell, per language.
LABELS = {
    "en": ("Classification", "Status"), "de": ("Einstufung", "Status"), "fr": ("Classification", "Statut"),
    "es": ("Clasificación", "Estado"), "it": ("Classifica", "Stato"), "pt": ("Classificação", "Situação"),
    "ru": ("Гриф", "Статус"), "uk": ("Гриф", "Статус"), "bg": ("Гриф", "Статус"), "zh": ("密级", "状态"),
    "zh-t": ("密等", "狀態"), "ja": ("機密区分", "状態"), "ko": ("보안등급",
        "상태"), "pl": ("Klauzula", "Status"),
    "cs": ("Stupeň utajení", "Stav"), "hu": ("Minősítés", "Állapot"), "el": ("Διαβάθμιση", "Κατάσταση"),
    "sv": ("Säkerhetsskyddsklass", "Status"), "nl": ("Rubricering",
        "Status"), "tr": ("Gizlilik derecesi", "Durum"),
    "he": ("סיווג", "מצב"), "ar": ("التصنيف", "الحالة"), "fa": ("طبقه‌بندی",
        "وضعیت"), "hi": ("वर्गीकरण", "स्थिति"),
}

# Neutral prose per language (no marking words), to make a page read as its language.
PROSE = {
    "en": ["Please find attached the minutes of Tuesday's meeting.",
        "Delivery of 240 pallets is booked for 14 March.",
           "The board approved the budget for the new warehouse.",
               "Revenue rose 4.2% in the third quarter."],
    "de": ["Anbei das Protokoll der Sitzung vom Dienstag.", "Die Lieferung ist für den 14. März geplant.",
           "Der Vorstand hat das Budget für das neue Lager genehmigt."],
    "fr": ["Veuillez trouver ci-joint le compte rendu de la réunion de mardi.",
        "La livraison est prévue le 14 mars.",
           "Le conseil a approuvé le budget du nouvel entrepôt."],
    "es": ["Adjunto el acta de la reunión del martes.", "La entrega está prevista para el 14 de marzo.",
           "El consejo aprobó el presupuesto del nuevo almacén."],
    "it": ["In allegato il verbale della riunione di martedì.", "La consegna è prevista per il 14 marzo.",
           "Il consiglio ha approvato il bilancio del nuovo magazzino."],
    "pt": ["Segue em anexo a ata da reunião de terça-feira.", "A entrega está prevista para 14 de março.",
           "O conselho aprovou o orçamento do novo armazém."],
    "ru": ["Направляем протокол совещания от вторника.", "Поставка запланирована на 14 марта.",
           "Совет директоров утвердил бюджет нового склада."],
    "uk": ["Надсилаємо протокол наради від вівторка.", "Постачання заплановано на 14 березня."],
    "bg": ["Изпращаме протокола от срещата във вторник.", "Доставката е планирана за 14 март."],
    "zh": ["现将周二会议纪要印发给你们。", "货物计划于3月14日交付。", "董事会批准了新仓库的预算。"],
    "zh-t": ["檢送週二會議紀錄一份。", "貨物預定於3月14日交付。", "董事會核准新倉庫預算。"],
    "ja": ["火曜日の会議の議事録を送付します。", "納品は3月14日の予定です。",
        "取締役会は新倉庫の予算を承認しました。"],
    "ko": ["화요일 회의록을 첨부합니다.", "납품은 3월 14일로 예정되어 있습니다.",
        "이사회는 새 창고 예산을 승인했습니다."],
    "pl": ["W załączeniu protokół z wtorkowego spotkania.", "Dostawa jest zaplanowana na 14 marca."],
    "cs": ["V příloze zasíláme zápis z úterního jednání.", "Dodávka je naplánována na 14. března."],
    "hu": ["Mellékelten küldjük a keddi értekezlet jegyzőkönyvét.", "A szállítás március 14-én várható."],
    "el": ["Σας αποστέλλουμε τα πρακτικά της συνάντησης της Τρίτης.",
        "Η παράδοση έχει προγραμματιστεί για τις 14 Μαρτίου."],
    "sv": ["Bifogat finns protokollet från tisdagens möte.", "Leveransen är planerad till den 14 mars."],
    "nl": ["Bijgaand het verslag van de vergadering van dinsdag.",
        "De levering staat gepland op 14 maart."],
    "tr": ["Salı günkü toplantının tutanağı ekte sunulmuştur.", "Teslimat 14 Mart için planlanmıştır."],
    "he": ["מצורף פרוטוקול הישיבה מיום שלישי.", "המשלוח מתוכנן ל-14 במרץ."],
    "ar": ["مرفق محضر اجتماع يوم الثلاثاء.", "من المقرر التسليم في 14 مارس."],
    "fa": ["صورتجلسه جلسه روز سه‌شنبه پیوست است.", "تحویل برای ۱۴ مارس برنامه‌ریزی شده است."],
    "hi": ["मंगलवार की बैठक का कार्यवृत्त संलग्न है।", "डिलीवरी 14 मार्च को निर्धारित है।"],
}
SUBJECTS = {"en": "Quarterly figures", "de": "Quartalszahlen", "fr": "Chiffres trimestriels",
            "es": "Cifras trimestrales", "it": "Dati trimestrali", "pt": "Números trimestrais",
            "ru": "Квартальные показатели", "uk": "Квартальні показники", "zh": "关于季度数据的通知",
            "zh-t": "有關季度數據", "ja": "四半期数値について", "ko": "분기 실적 보고",
                "pl": "Dane kwartalne",
            "cs": "Čtvrtletní údaje", "sv": "Kvartalssiffror", "nl": "Kwartaalcijfers",
                "tr": "Üç aylık rakamlar",
            "ar": "الأرقام الفصلية", "he": "נתונים רבעוניים", "el": "Τριμηνιαία στοιχεία"}

# The same words in ordinary sentences: must pass.
NEGATIVES = {
    "en": ["The secret to a good sourdough is patience.",
        "Our company secretary signed the confidential helpline leaflet.",
           "Top secret recipe: the chef keeps the sauce restricted to weekends.",
           "The NFL draft is on Thursday; the office pool is open.",
           "Please keep this confidential until the surprise party on Friday.",
           "Protected bike lanes open on Main Street next month.",
           "He drafted the proposal and sent it for review.",
           "Limited edition prints are restricted to two per customer.",
           "The sensitive skin range is on offer this week.",
           "Official opening of the library is on Saturday; parking is restricted."],
    "de": ["Das Rezept bleibt geheim, sagt der Koch.",
        "Der Entwurf des Architekten hat den Wettbewerb gewonnen.",
           "Die Sekretärin ist ab Montag wieder im Büro.", "Das ist kein Geheimnis mehr: wir ziehen um.",
           "Bitte behandeln Sie die Einladung vertraulich, es ist eine Überraschung."],
    "fr": ["Le secret d'une bonne baguette, c'est la patience.",
        "Le projet de rénovation de la mairie avance.",
           "La secrétaire sera absente lundi.", "Il a écrit un brouillon de lettre à sa grand-mère."],
    "es": ["El secreto de una buena paella es el sofrito.", "La secretaría cerrará a las tres.",
           "El borrador del menú de Navidad está en la cocina.", "Todos los derechos reservados.",
           "Reservado para clientes con cita previa.", "El proyecto del parque avanza según lo previsto."],
    "it": ["Il segreto della pasta fresca è la farina.", "Tutti i diritti riservati.",
           "La bozza del menù è pronta.", "Il tavolo è riservato per le otto."],
    "pt": ["O segredo do bolo é a manteiga.", "Todos os direitos reservados.",
        "Lugar reservado para idosos.",
           "O rascunho da carta está na mesa."],
    "ru": ["Секрет хорошего борща — в свёкле.", "Проект нового парка обсудят в среду.",
           "Секретарь будет в офисе в понедельник.", "Это не секрет: мы переезжаем."],
    "zh": ["成功的秘密在于坚持。", "请将草稿箱中的邮件删除。", "秘书处将于周五发布议程。",
           "这家餐厅的秘密配方很受欢迎。", "内部装修工程下周开始。", "公司内部食堂周五供应火锅。"],
    "ja": ["成功の秘訣は継続です。", "秘書課は月曜日に休みます。", "ドラフト会議は木曜日です。",
           "提案書の案内を送ります。"],
    "ko": ["성공의 비밀은 꾸준함입니다.", "회의 안내를 드립니다.", "비서실은 월요일에 쉽니다.",
           "제안서 초안 작성법 강의가 열립니다."],
    "pl": ["Wszelkie prawa zastrzeżone.", "Tajemnica dobrego chleba to cierpliwość.",
        "Projekt parku jest gotowy."],
    "sv": ["Hemligheten bakom ett gott bröd är tålamod.", "Utkastet till menyn ligger i köket."],
    "nl": ["Het geheim van goed brood is geduld.", "Het concept van de nieuwe winkel is klaar."],
    "ar": ["سر النجاح هو المثابرة.", "مسودة القائمة في المطبخ."],
}

PLACEMENTS = ["text banner", "docx header", "pdf header", "mail subject", "mail first line", "table cell"]
CJK = ("zh", "zh-t", "ja", "ko")


def _prose(rng: random.Random, lang: str, n: int = 4) -> list[str]:
    pool = PROSE.get(lang, PROSE["en"])
    return [rng.choice(pool) for _ in range(n)]


def _mail(subject: str, body: str) -> bytes:
    message = EmailMessage()
    message["From"] = "Alex Writer <alex.writer@example.org>"
    message["To"] = "team@example.net"
    message["Subject"] = subject
    message["Date"] = "Tue, 04 Mar 2025 09:12:44 +0000"
    message["Message-ID"] = "<markings.0001@example.org>"
    message.set_content(body)
    return bytes(message)


def _docx(body: list[str], header: str = "", footer: str = "", cell: tuple[str, str] | None = None) -> bytes:
    import docx

    document = docx.Document()
    section = document.sections[0]
    if header:
        section.header.paragraphs[0].text = header
    if footer:
        section.footer.paragraphs[0].text = footer
    if cell:
        table = document.add_table(rows=3, cols=2)
        for row, (a, b) in zip(table.rows, [("Ref.", "2026-0413"), cell, ("Date",
            "2026-03-14")], strict=False):
            row.cells[0].text, row.cells[1].text = a, b
    for paragraph in body:
        document.add_paragraph(paragraph)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


_FONTS: dict[str, str] = {}


def _font(text: str) -> str | None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if any("\u0900" <= ch <= "\u097f" for ch in text):
        return None  # no Devanagari font on this machine
    cjk = any(ord(ch) > 0x2e80 and not "\ufb50" <= ch <= "\ufeff" for ch in text)
    name = "wqy" if cjk else "dejavu"
    if name not in _FONTS:
        path = ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc" if cjk
                else "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
        pdfmetrics.registerFont(TTFont(name, path))
        _FONTS[name] = name
    return name


_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufefc]")


def _visual(line: str) -> str:
    """A right-to-left line in the order a PDF writer places its glyphs (right to left, as
    Word and LibreOffice do): reportlab does no bidi, and a reader reverses it back."""
    return line[::-1] if _RTL.search(line) else line


def _pdf(mark: str, body: list[str]) -> bytes | None:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    font = _font(mark + "".join(body))
    if font is None:
        return None
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4)
    width, height = A4
    for _ in range(2):
        page.setFont(font, 12)
        page.drawCentredString(width / 2, height - 36, _visual(mark))
        page.drawCentredString(width / 2, 30, _visual(mark))
        page.setFont(font, 11)
        y = height - 100
        for line in body:
            page.drawString(72, y, _visual(line))
            y -= 18
        page.showPage()
    page.save()
    return buffer.getvalue()


def subject_with(rng: random.Random, mark: str, lang: str) -> str:
    base = SUBJECTS.get(lang, SUBJECTS["en"])
    if lang in CJK:
        return rng.choice([f"【{mark}】{base}", f"[{mark}] {base}", f"{base}（{mark}）"])
    return rng.choice([f"[{mark}] {base}", f"{mark}: {base}", f"{base} - {mark}", f"({mark}) {base}"])


def item(rng: random.Random, place: str, mark: str, category: str,
         lang: str) -> tuple[bytes, str, str] | None:
    """(bytes, file name, declared type) of ``mark`` in ``place``; None when not renderable."""
    body = _prose(rng, lang)
    if place == "text banner":
        return ("\n".join([mark, "", *body, "", mark]) + "\n").encode(), "note.txt", "text/plain"
    if place == "docx header":
        return _docx(body, header=mark, footer=mark), "report.docx", ""
    if place == "pdf header":
        data = _pdf(mark, body)
        return (data, "report.pdf", "application/pdf") if data else None
    if place == "mail subject":
        return _mail(subject_with(rng, mark, lang), "\n".join(body)), "mail.eml", "message/rfc822"
    if place == "mail first line":
        return _mail(SUBJECTS.get(lang, SUBJECTS["en"]), "\n".join([mark, "", *body, "", mark])), \
            "mail.eml", "message/rfc822"
    if place == "table cell":
        label = LABELS.get(lang, LABELS["en"])[0 if category == C else 1]
        return _docx(body, cell=(label, mark)), "form.docx", ""
    raise ValueError(place)


def cases(rng: random.Random, only: str | None) -> list[dict]:
    """Every (system, marking, placement) item plus portion marks, blocks and negatives."""
    out = []
    for system, (lang, marks) in SYSTEMS.items():
        for mark, category in marks:
            for place in PLACEMENTS:
                made = item(rng, place, mark, category, lang)
                if made:
                    out.append({"system": system, "mark": mark, "place": place, "expect": category,
                                "item": made})
    for system, marks in PORTIONS.items():
        for mark in marks:
            paragraphs = ["(U) " + p for p in _prose(rng, "en", 3)]
            portion = f"{mark} The convoy leaves the northern depot at 0400 on 14 March."
            paragraphs.insert(rng.randint(1, 3), portion)
            for place, made in (("portion text", ("\n\n".join(paragraphs).encode(), "note.txt",
                "text/plain")),
                                ("portion docx", (_docx(paragraphs), "report.docx", "")),
                                ("portion mail", (_mail(f"{mark} Convoy timings", "\n\n".join(paragraphs)),
                                                  "mail.eml", "message/rfc822"))):
                out.append({"system": system, "mark": mark, "place": place, "expect": C, "item": made})
    for system, blocks in BLOCKS.items():
        for block in blocks:
            text = "\n\n".join([*_prose(rng, "en", 2), block, *_prose(rng, "en", 2)])
            first = block.split("\n")[0][:40]
            for place, made in (("block text", (text.encode(), "note.txt", "text/plain")),
                                ("block mail", (_mail("Meeting notes", text), "mail.eml",
                                    "message/rfc822")),
                                ("block docx", (_docx(text.split("\n")), "report.docx", ""))):
                out.append({"system": system, "mark": first, "place": place, "expect": C, "item": made})
    for lang, sentences in NEGATIVES.items():
        for sentence in sentences:
            body = [*_prose(rng, lang, 2), sentence, *_prose(rng, lang, 2)]
            for place, made in (("prose text", ("\n".join(body).encode(), "note.txt", "text/plain")),
                                ("prose mail", (_mail(SUBJECTS.get(lang, "Notes"), "\n".join(body)),
                                                "mail.eml", "message/rfc822")),
                                ("prose docx", (_docx(body), "notes.docx", ""))):
                out.append({"system": f"neg-{lang}", "mark": sentence, "place": place, "expect": "none",
                            "item": made})
    if only:
        out = [c for c in out if c["system"] == only or c["system"].startswith(only)]
    return out


def caught(expect: str, verdict) -> bool:
    """A marking is caught when held with a hit of its category; a negative when it passes."""
    if expect == "none":
        return verdict.passed
    return not verdict.passed and any(h.category == expect for h in verdict.hits)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--only", help="only systems whose name starts with this")
    parser.add_argument("--misses", action="store_true", help="print every miss")
    parser.add_argument("--out", type=Path, help="also write the items into this folder")
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from filters.build import build_pipeline
    from filters.types import Part

    pipeline = build_pipeline()
    rng = random.Random(args.seed)
    by_system: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    by_place: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    misses = []
    for index, case in enumerate(cases(rng, args.only)):
        data, name, declared = case["item"]
        if args.out:
            args.out.mkdir(parents=True, exist_ok=True)
            (args.out / f"{index:05d}-{name}").write_bytes(data)
        verdict = pipeline.scan(Part(origin=name, data=data, name=name, declared_type=declared))
        ok = caught(case["expect"], verdict)
        for table, key in ((by_system, case["system"]), (by_place, case["place"])):
            table[key][0] += ok
            table[key][1] += 1
        if not ok:
            misses.append((case, verdict))
    positives = [(k, v) for k, v in by_system.items() if not k.startswith("neg-")]
    print(f"{'system':14s} caught/items")
    for key, (hit, total) in positives:
        print(f"{key:14s} {hit:4d}/{total:<4d} {hit / total:.2f}")
    hit = sum(v[0] for _, v in positives)
    total = sum(v[1] for _, v in positives)
    print(f"{'all markings':14s} {hit:4d}/{total:<4d} {hit / max(total, 1):.2f}")
    negatives = [(k, v) for k, v in by_system.items() if k.startswith("neg-")]
    held = sum(v[1] - v[0] for _, v in negatives)
    print(f"{'negatives held':14s} {held:4d}/{sum(v[1] for _, v in negatives)}")
    print(f"\n{'placement':16s} caught/items")
    for key, (hit, total) in by_place.items():
        print(f"{key:16s} {hit:4d}/{total:<4d} {hit / total:.2f}")
    if args.misses:
        print()
        for case, verdict in misses:
            hits = [(h.rule, h.category, h.excerpt[:40]) for h in verdict.hits][:3]
            print(f"MISS {case['system']:10s} {case['place']:15s} {case['mark']!r} "
                  f"expect={case['expect']} got={verdict.action} {hits}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
