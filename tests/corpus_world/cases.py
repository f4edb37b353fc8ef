"""The world corpus: short documents and mails marked as organisations mark them.

Written from public descriptions of marking and draft conventions, never from Redline's
rules: national classification laws and manuals (US EO 13526/CAPCO and CUI, UK GSC, the
Australian PSPF and its e-mail protective marking, Canada's PGS, NATO, the EU, GB/T
9704-2012 and Chinese enterprise practice, Taiwan's 公文程式, Hong Kong's and Singapore's
government schemes, India's manual, Spain's and Latin America's transparency laws
(Mexico's LGTAIP leyendas, Colombia's Ley 1712 and 1621, Argentina's Decreto 950/2002,
Chile's oficios), Brazil's Lei 12.527 and Portugal's SEGNAC, Italy's DPCM 5/2015, the Dutch
VIR-BI, the Nordic and Central European levels, Russia's ДСП and коммерческая тайна,
Japan's 極秘/秘/社外秘 and 機密性２, Korea's 대외비/Ⅱ급비밀, Turkey's HİZMETE ÖZEL, the UN's
ST/SGB/2007/6), what office programs and mail clients write (Microsoft Purview labels in
``docProps/custom.xml`` and the ``msip_labels`` header, Titus classification properties
and headers, Outlook's Sensitivity header) and how people write draft status in many
languages. Hard negatives are the same words where they are not markings: prose, names of
offices (Secretaría, 秘书处, 秘書課, Секретарь), copyright lines (derechos reservados,
diritti riservati), disclaimers, draft beer and sports drafts, 提案 and 안내, Russian
Проект (project) in a title, public consultations.

Each case is (system, expect, item): ``expect`` is ``classification`` or ``draft`` (held with
a hit of that category), ``report`` (a classification hit of any severity, held or not) or
``none`` (must pass). An item is a mail (subject, headers, body), a text file, or a docx
(header, footer, body, custom properties).
"""

from __future__ import annotations

from dataclasses import dataclass, field

C, D, R, N = "classification", "draft", "report", "none"


@dataclass(frozen=True)
class Item:
    """One document: ``kind`` is mail, text or docx."""

    kind: str
    body: str = ""
    subject: str = ""
    headers: tuple[tuple[str, str], ...] = ()
    header: str = ""  # docx page header
    footer: str = ""  # docx page footer
    props: tuple[tuple[str, str], ...] = ()  # docx custom properties
    name: str = ""  # a file name ('' = a neutral one)


@dataclass(frozen=True)
class Case:
    system: str
    expect: str
    item: Item
    note: str = field(default="")


def mail(subject: str, body: str, *headers: tuple[str, str]) -> Item:
    return Item("mail", body=body, subject=subject, headers=tuple(headers))


def text(body: str, name: str = "") -> Item:
    return Item("text", body=body, name=name)


def doc(body: str, header: str = "", footer: str = "", props: tuple[tuple[str, str], ...] = (),
        name: str = "") -> Item:
    return Item("docx", body=body, header=header, footer=footer, props=props, name=name)


EN = ("Attendees agreed the revised schedule for the second phase.\n"
      "Actions: finance to confirm the figures by Friday; operations to update the plan.")
ES = ("Se remite el informe solicitado sobre la situación del expediente.\n"
      "Quedamos a su disposición para cualquier aclaración.")
PT = ("Encaminhamos o relatório solicitado sobre a situação do processo.\n"
      "Ficamos à disposição para quaisquer esclarecimentos.")
IT = ("Si trasmette la relazione richiesta sullo stato di avanzamento del progetto.\n"
      "Restiamo a disposizione per eventuali chiarimenti.")
NL = ("Hierbij ontvangt u het gevraagde verslag over de voortgang van het project.\n"
      "Voor vragen kunt u contact opnemen met het secretariaat.")
DE = ("Anbei erhalten Sie den angeforderten Bericht zum Stand des Vorhabens.\n"
      "Für Rückfragen stehen wir gern zur Verfügung.")
FR = ("Veuillez trouver ci-joint le compte rendu de la réunion du 12 mars.\n"
      "Les actions à mener figurent en fin de document.")
RU = ("Направляем вам отчёт о ходе выполнения работ по договору.\n"
      "Просим рассмотреть и сообщить замечания до 15 марта.")
ZH = ("现将有关事项通知如下：\n一、各单位要高度重视，认真组织实施。\n二、请于3月15日前将落实情况报送办公室。")
TW = ("主旨：檢送本部114年度工作計畫，請查照。\n說明：依本部114年1月10日會議決議辦理。")
JA = ("標記の件について、下記のとおり報告いたします。\n詳細は添付資料をご確認ください。")
KO = ("2025년 상반기 사업 추진 현황을 다음과 같이 보고합니다.\n세부 내용은 첨부 자료를 참고하시기 바랍니다.")
PL = ("W załączeniu przesyłamy sprawozdanie z realizacji projektu.\nProsimy o uwagi do 15 marca.")
TR = ("Projenin ilerleme durumuna ilişkin rapor ekte sunulmuştur.\nBilgilerinize arz ederim.")
SV = ("Här kommer rapporten om projektets status.\nSynpunkter lämnas senast den 15 mars.")
FI = ("Ohessa raportti hankkeen etenemisestä.\nPyydämme kommentit 15.3. mennessä.")
DA = ("Hermed fremsendes rapporten om projektets status.\nBemærkninger bedes sendt senest den 15. marts.")
AR = ("نرفق لكم التقرير المطلوب حول سير العمل في المشروع.\nوتفضلوا بقبول فائق الاحترام.")
EL = ("Σας αποστέλλουμε την έκθεση για την πρόοδο του έργου.\nΠαρακαλούμε για τις παρατηρήσεις σας.")
HE = ("מצורף הדוח על התקדמות הפרויקט.\nנא להעביר הערות עד ה-15 במרץ.")
HI = ("परियोजना की प्रगति पर रिपोर्ट संलग्न है।\nकृपया 15 मार्च तक अपनी टिप्पणियाँ भेजें।")

GUID = "3f5e1a2b-7c4d-4e8f-9a0b-1c2d3e4f5a6b"


def msip(name: str) -> tuple[tuple[str, str], ...]:
    """The custom properties Microsoft Purview writes for a label."""
    return ((f"MSIP_Label_{GUID}_Enabled", "true"),
            (f"MSIP_Label_{GUID}_SetDate", "2025-03-04T09:12:44Z"),
            (f"MSIP_Label_{GUID}_Method", "Privileged"),
            (f"MSIP_Label_{GUID}_Name", name),
            (f"MSIP_Label_{GUID}_SiteId", "72f988bf-86f1-41af-91ab-2d7cd011db47"),
            (f"MSIP_Label_{GUID}_ContentBits", "1"))


def msip_header(name: str) -> tuple[str, str]:
    return ("msip_labels", f"MSIP_Label_{GUID}_Enabled=true; MSIP_Label_{GUID}_SetDate=2025-03-04T09:12:44Z; "
            f"MSIP_Label_{GUID}_Method=Standard; MSIP_Label_{GUID}_Name={name}; "
            f"MSIP_Label_{GUID}_SiteId=72f988bf-86f1-41af-91ab-2d7cd011db47; "
            f"MSIP_Label_{GUID}_ActionId=0b3c1d2e-4f5a-6b7c-8d9e-0f1a2b3c4d5e; "
            f"MSIP_Label_{GUID}_ContentBits=0")


CASES: tuple[Case, ...] = (
    # ------------------------------------------------------------------ United States
    Case("us", C, mail("(U//FOUO) Site visit schedule",
                       "UNCLASSIFIED//FOR OFFICIAL USE ONLY\n\n(U//FOUO) The team arrives on 14 May "
                       "and departs on 16 May.\n\n(U) Point of contact is the duty officer.\n\n"
                       "UNCLASSIFIED//FOR OFFICIAL USE ONLY")),
    Case("us", C, text("SECRET//REL TO USA, FVEY\n\n(S//REL) The exercise area is extended east.\n"
                       "(U) Weather is forecast to be clear.\n\nClassified By: J. Miller, Director\n"
                       "Derived From: Multiple Sources\nDeclassify On: 20491231\n\n"
                       "SECRET//REL TO USA, FVEY")),
    Case("us", C, text("(S) The convoy departs at 0400 from the northern gate.\n\n(S) Route GREEN is "
                       "closed until further notice.\n\n(U) Weather is clear.")),
    Case("us", C, mail("RE: (S//NF) Weekly update", "Team,\n\n(S//NF) Collection resumes next week.\n\n"
                       "(U) Leave requests to the front office.\n\nThanks,\nDana")),
    Case("us", C, doc("The project supports the agency's records programme.\n\nControlled by: Department "
                      "of Energy\nCUI Category: PRVCY\nLimited Dissemination Control: FEDCON\n"
                      "POC: records@energy.example", header="CUI", footer="CUI")),
    Case("us", C, doc(EN, header="TOP SECRET//SCI", footer="TOP SECRET//SCI")),
    Case("us", C, doc(EN, footer="SENSITIVE BUT UNCLASSIFIED")),
    Case("us", C, doc(EN, header="LAW ENFORCEMENT SENSITIVE")),
    Case("us", C, text("UNCLASSIFIED//FOUO\n\n" + EN + "\n\nUNCLASSIFIED//FOUO")),
    Case("us", C, doc("FOR OFFICIAL USE ONLY\nThis document contains information exempt from mandatory "
                      "disclosure under the FOIA. Exemption 5 applies.\n\n" + EN)),
    Case("us", C, text("(C) Our negotiating position is to hold at the current offer.\n\n(C) The "
                       "delegation may concede on timing only.\n\n(U) Meeting room is 4B.")),
    Case("us", N, mail("Weekly update", "UNCLASSIFIED\n\n" + EN + "\n\nUNCLASSIFIED")),
    Case("us", N, mail("Cabinet meeting", "The Secretary of State met the Secretary of Defense on "
                       "Tuesday to discuss the budget.")),
    # ------------------------------------------------------------------ United Kingdom
    Case("uk", C, mail("OFFICIAL-SENSITIVE: Restructure proposals", EN)),
    Case("uk", C, doc(EN, header="OFFICIAL SENSITIVE - PERSONAL", footer="OFFICIAL SENSITIVE - PERSONAL")),
    Case("uk", C, text("SECRET - UK EYES ONLY\n\n" + EN)),
    Case("uk", R, mail("Team meeting notes", "OFFICIAL\n\n" + EN + "\n\nOFFICIAL")),
    Case("uk", C, doc(EN, footer="PROTECT - PERSONAL")),
    Case("uk", C, doc(EN, header="RESTRICTED - MANAGEMENT")),
    # ------------------------------------------------------------------ Australia, New Zealand
    Case("au", C, mail("Cabinet submission [SEC=PROTECTED, CAVEAT=SH:CABINET]", EN)),
    Case("au", C, mail("Staff matters [SEC=OFFICIAL:Sensitive, ACCESS=Personal-Privacy]", EN,
                       ("X-Protective-Marking", "VER=2018.4, NS=gov.au, SEC=OFFICIAL:Sensitive, "
                        "ACCESS=Personal-Privacy, ORIGIN=jo.smith@agency.gov.au"))),
    Case("au", C, doc(EN, header="OFFICIAL: Sensitive", footer="OFFICIAL: Sensitive")),
    Case("au", C, doc(EN, header="PROTECTED", footer="PROTECTED")),
    Case("au", N, mail("Morning tea on Friday [SEC=OFFICIAL]", "Cake in the kitchen at 10.")),
    Case("nz", C, doc(EN, footer="IN-CONFIDENCE")),
    Case("nz", N, mail("[UNCLASSIFIED] Car park closure", "The car park is closed on Monday.")),
    # ------------------------------------------------------------------ Canada
    Case("ca", C, doc(EN, header="PROTECTED B / PROTÉGÉ B")),
    Case("ca", C, mail("PROTECTED A: Employee file", EN)),
    Case("ca", N, doc(EN, footer="UNCLASSIFIED / NON CLASSIFIÉ")),
    # ------------------------------------------------------------------ EU, NATO, UN
    Case("eu", C, doc(EN, header="RESTREINT UE/EU RESTRICTED")),
    Case("eu", R, text("Council of the European Union\nBrussels, 12 March 2025\n(OR. en)\n\n7345/25\n\n"
                       "LIMITE\n\nCOPEN 78\nJAI 312\n\nNOTE\nFrom: Presidency\nTo: Delegations\n"
                       "Subject: Draft conclusions on judicial cooperation")),
    Case("nato", C, doc(EN, header="NATO RESTRICTED", footer="NATO RESTRICTED")),
    Case("un", C, doc(EN, header="STRICTLY CONFIDENTIAL")),
    Case("un", R, text("UNITED NATIONS\nE/CN.3/2025/R.4\nEconomic and Social Council\nDistr.: Restricted\n"
                       "12 December 2024\n\nOriginal: English\n\n" + EN)),
    Case("un", N, text("UNITED NATIONS\nE/CN.3/2025/1\nEconomic and Social Council\nDistr.: General\n"
                       "12 December 2024\n\nOriginal: English\n\n" + EN)),
    # ------------------------------------------------------------------ China
    Case("cn", C, text("000128\n机密★1年\n特急\n\nXX市人民政府文件\n\nX政发〔2025〕15号\n\n签发人：王建国\n\n"
                       "关于做好2025年防汛工作的通知\n\n各区人民政府，市政府各部门：\n" + ZH +
                       "\n\nXX市人民政府\n2025年5月6日")),
    Case("cn", N, text("XX市人民政府文件\n\nX政发〔2025〕16号\n\n签发人：王建国\n\n"
                       "关于做好2025年春季植树工作的通知\n\n各区人民政府，市政府各部门：\n" + ZH +
                       "\n\nXX市人民政府\n2025年3月1日")),
    Case("cn", C, mail("【机密】关于2025年薪酬调整方案的请示", "王总：\n" + ZH)),
    Case("cn", C, text("密级：秘密\n保密期限：5年\n\n项目可行性研究报告\n\n" + ZH)),
    Case("cn", C, doc(ZH, header="内部资料 注意保存")),
    Case("cn", C, text("秘密 ★ 3年\n\n关于调整内部机构设置的方案\n\n" + ZH)),
    Case("cn", C, mail("[内部] 本周例会纪要", ZH)),
    Case("cn", C, text("公司秘密 请勿外传\n\n2026年产品路线图\n\n" + ZH)),
    Case("cn", C, doc(ZH, header="核心商密★10年")),
    Case("cn", C, doc(ZH, header="密级：机密    保密期限：10年")),
    Case("cn", C, text("绝密★长期\n\n" + ZH)),
    Case("cn", C, mail("内部文件 严禁外传：董事会决议", ZH)),
    Case("cn", C, doc(ZH, footer="本文件含有商业秘密，未经许可不得复制、外传")),
    Case("cn", N, text("据新华社报道，该公司被指控窃取竞争对手的商业机密，案件正在审理中。")),
    Case("cn", N, mail("会议通知", "请联系办公室王秘书，电话 6688 1234。秘书处将于下周一发布会议议程。")),
    Case("cn", N, text("文具采购清单：草稿纸 20 本，签字笔 50 支，文件夹 30 个。")),
    Case("cn", N, text("保密协议\n\n甲方：____________\n乙方：____________\n\n第一条 双方应对在合作中知悉的"
                       "对方商业秘密承担保密义务。")),
    Case("cn", N, text("关于《XX市养犬管理条例（征求意见稿）》公开征求意见的公告\n\n为提高立法质量，现将条例"
                       "全文向社会公开征求意见。")),
    Case("cn", N, text("机密计算（Confidential Computing）是一种保护使用中数据的技术。")),
    Case("cn", N, text("她心里一直藏着一个秘密，直到毕业那天才说出来。")),
    # ------------------------------------------------------------------ Taiwan, Hong Kong
    Case("tw", C, text("檔　　號：\n保存年限：\n\n經濟部　函\n\n發文日期：中華民國114年3月5日\n"
                       "發文字號：經授工字第11420001230號\n速別：最速件\n"
                       "密等及解密條件或保密期限：密（本件於公布後解密）\n附件：如主旨\n\n" + TW)),
    Case("tw", N, text("檔　　號：\n保存年限：\n\n經濟部　函\n\n發文日期：中華民國114年3月5日\n"
                       "發文字號：經授工字第11420001231號\n速別：普通件\n密等及解密條件或保密期限：普通\n"
                       "附件：如主旨\n\n" + TW)),
    Case("tw", C, mail("極機密：專案進度報告", TW)),
    Case("tw", C, doc(TW, header="機密")),
    Case("tw", C, doc(TW, header="限閱")),
    Case("hk", C, doc(EN, header="RESTRICTED (STAFF)", footer="RESTRICTED (STAFF)")),
    Case("hk", C, text("限閱文件\n\n" + TW)),
    # ------------------------------------------------------------------ Singapore, India
    Case("sg", C, mail("Manpower plan FY2025", "RESTRICTED \\ SENSITIVE NORMAL\n\n" + EN)),
    Case("sg", C, doc(EN, header="CONFIDENTIAL (CLOUD-ELIGIBLE)")),
    Case("sg", R, mail("Office move", "OFFICIAL (CLOSED) \\ NON-SENSITIVE\n\n" + EN)),
    Case("sg", N, mail("Public talk", "OFFICIAL (OPEN) \\ NON-SENSITIVE\n\n" + EN)),
    Case("in", C, doc(EN, header="RESTRICTED")),
    Case("in", C, text("गुप्त / SECRET\n\n" + HI)),
    Case("in", C, doc(HI, header="गोपनीय")),
    # ------------------------------------------------------------------ Spain, Latin America
    Case("es", C, doc(ES, header="DIFUSIÓN LIMITADA")),
    Case("es", C, doc(ES, footer="USO OFICIAL")),
    Case("es", C, mail("CONFIDENCIAL: Propuesta de reorganización", ES)),
    Case("mx", C, doc(ES, header="INFORMACIÓN RESERVADA\nFecha de clasificación: 15/01/2025\n"
                      "Periodo de reserva: 5 años\nFundamento legal: Artículo 110, fracción I de la LFTAIP")),
    Case("mx", C, text("Clasificación: CONFIDENCIAL\nPartes o secciones clasificadas: datos personales"
                       "\n\n" + ES)),
    Case("mx", C, doc(ES, header="DOCUMENTO CLASIFICADO COMO RESERVADO")),
    Case("co", C, doc(ES, header="INFORMACIÓN PÚBLICA RESERVADA")),
    Case("co", C, doc(ES, header="INFORMACIÓN PÚBLICA CLASIFICADA")),
    Case("co", C, text("ULTRASECRETO\n\n" + ES + "\n\nULTRASECRETO")),
    Case("ar", C, text("ESTRICTAMENTE SECRETO Y CONFIDENCIAL\n\n" + ES)),
    Case("cl", C, text("RESERVADO\n\nORD. N° 1234\nANT.: Su oficio N° 456 de 2025.\nMAT.: Informa lo que "
                       "indica.\nSANTIAGO, 12 MAR 2025\n\nDE: JEFE DE DIVISIÓN\n"
                       "A: SR. SUBSECRETARIO\n\n" + ES)),
    Case("es", N, mail("Reserva confirmada", "Mesa reservada para 4 personas el viernes a las 21:00.")),
    Case("es", N, doc(ES, footer="© 2025 Empresa Ejemplo S.A. Todos los derechos reservados.")),
    Case("mx", N, doc(ES, header="Secretaría de Hacienda y Crédito Público")),
    Case("es", N, text("El secreto de una buena paella está en el sofrito y en no remover el arroz.")),
    # ------------------------------------------------------------------ Brazil, Portugal
    Case("br", C, text("RESERVADO\n\nGRAU DE SIGILO: RESERVADO\nPRAZO DE SIGILO: 5 anos\n"
                       "FUNDAMENTO LEGAL: Art. 23, inciso VIII, da Lei nº 12.527/2011\n\n" + PT)),
    Case("br", C, text("ULTRASSECRETO\n\n" + PT + "\n\nULTRASSECRETO")),
    Case("br", C, doc(PT, footer="SECRETO")),
    Case("br", C, text("Classificação: Restrita\n\n" + PT)),
    Case("br", C, doc(PT, header="CONFIDENCIAL - USO INTERNO")),
    Case("pt", C, text("MUITO SECRETO\n\n" + PT)),
    Case("br", N, doc(PT, footer="© 2025 Empresa Exemplo Ltda. Todos os direitos reservados.")),
    Case("br", N, text("O segredo de um bom pão de queijo é o polvilho azedo.")),
    Case("br", N, mail("Reunião", "A secretária executiva enviará a pauta amanhã.")),
    # ------------------------------------------------------------------ Italy
    Case("it", C, doc(IT, header="RISERVATO")),
    Case("it", C, doc(IT, header="RISERVATISSIMO")),
    Case("it", C, text("SEGRETO\n\n" + IT + "\n\nSEGRETO")),
    Case("it", C, text("SEGRETISSIMO\n\n" + IT)),
    Case("it", C, doc(IT, footer="Strettamente riservato e confidenziale")),
    Case("it", C, doc(IT, header="NON CLASSIFICATO CONTROLLATO")),
    Case("it", C, mail("RISERVATO: piano di ristrutturazione", IT)),
    Case("it", N, doc(IT, footer="© 2025 Esempio S.p.A. Tutti i diritti riservati.")),
    Case("it", N, text("Il segreto della pasta fresca è la pazienza.")),
    Case("it", N, text("Accesso all'area riservata ai clienti: inserire nome utente e password.")),
    # ------------------------------------------------------------------ Netherlands, Belgium
    Case("nl", C, doc(NL, header="Departementaal Vertrouwelijk")),
    Case("nl", C, text("STG. GEHEIM\n\n" + NL + "\n\nSTG. GEHEIM")),
    Case("nl", C, doc(NL, header="Stg. Confidentieel")),
    Case("nl", C, doc(NL, footer="Vertrouwelijk")),
    Case("be", C, doc(NL, header="BEPERKTE VERSPREIDING")),
    Case("nl", N, text("Het geheim van goede koffie is vers gemalen bonen.")),
    Case("nl", N, mail("Afspraak", "Neem contact op met het secretariaat voor een nieuwe afspraak.")),
    # ------------------------------------------------------------------ Nordic
    Case("se", C, text("HEMLIG\n\n" + SV)),
    Case("se", C, doc(SV, header="HEMLIG/RESTRICTED")),
    Case("no", C, doc(SV, header="Unntatt offentlighet jf. offl. § 13")),
    Case("no", C, text("BEGRENSET\n\n" + SV)),
    Case("dk", C, doc(DA, header="FORTROLIGT")),
    Case("dk", C, doc(DA, header="TIL TJENESTEBRUG")),
    Case("fi", C, doc(FI, header="Salassa pidettävä JulkL 24 § 1 mom 15 k")),
    Case("fi", C, text("ERITTÄIN SALAINEN\n\n" + FI)),
    # ------------------------------------------------------------------ Central and Eastern Europe
    Case("pl", C, text("ZASTRZEŻONE\n\n" + PL)),
    Case("pl", C, doc(PL, header="TAJNE")),
    Case("pl", C, text("ŚCIŚLE TAJNE\n\n" + PL)),
    Case("pl", C, doc(PL, header="POUFNE")),
    Case("cz", C, doc(PL, header="VYHRAZENÉ")),
    Case("ru", C, text("СЕКРЕТНО\nЭкз. № 2\n\n" + RU)),
    Case("ru", C, text("СОВЕРШЕННО СЕКРЕТНО\n\n" + RU)),
    Case("ru", C, text("Для служебного пользования\nЭкз. № 3\n\n" + RU)),
    Case("ru", C, doc(RU, header="ДСП")),
    Case("ru", C, doc(RU, header="ДЛЯ СЛУЖЕБНОГО ПОЛЬЗОВАНИЯ")),
    Case("ru", C, text("КОММЕРЧЕСКАЯ ТАЙНА\nООО «Ромашка», 123456, г. Москва, ул. Ленина, д. 1\n\n" + RU)),
    Case("ru", C, doc(RU, header="Конфиденциально")),
    Case("ua", C, text("Для службового користування\n\nНадсилаємо звіт про хід виконання робіт.")),
    Case("ru", N, mail("Заседание комиссии", "Секретарь комиссии: Иванова А. П.\nЗаседание состоится "
                       "в среду в 10:00.")),
    Case("ru", N, text("Проект реконструкции парка завершён в срок.\nЖители положительно оценили "
                       "результаты.")),
    Case("ru", N, text("В рецепте бабушки есть секрет: тесто должно отдохнуть ночь.")),
    # ------------------------------------------------------------------ Japan, Korea
    Case("jp", C, doc(JA, header="社外秘")),
    Case("jp", C, text("極秘\n\n" + JA)),
    Case("jp", C, doc(JA, header="部外秘")),
    Case("jp", C, doc(JA, header="取扱注意")),
    Case("jp", C, doc(JA, header="関係者外秘")),
    Case("jp", C, doc(JA, header="機密性２")),
    Case("jp", C, mail("【社外秘】新製品の価格改定について", JA)),
    Case("jp", C, doc(JA, header="秘")),
    Case("jp", N, mail("【ご案内】新年会のお知らせ", "新年会を下記のとおり開催いたします。")),
    Case("jp", N, text("提案書\n\n新しい業務システムの導入について提案いたします。")),
    Case("jp", N, text("秘書課までご連絡ください。成功の秘訣は継続です。")),
    Case("jp", N, text("社外秘の資料は社外に持ち出さないでください。")),
    Case("kr", C, doc(KO, header="대외비")),
    Case("kr", C, mail("[대외비] 2025년 인사 계획", KO)),
    Case("kr", C, text("Ⅱ급비밀\n\n" + KO)),
    Case("kr", C, doc(KO, header="대외비 - 외부 유출 금지")),
    Case("kr", N, text("비밀번호를 재설정하려면 아래 링크를 누르십시오.")),
    Case("kr", N, mail("[안내] 워크숍 일정", "워크숍은 다음 주 금요일에 열립니다.")),
    # ------------------------------------------------------------------ Turkey, Middle East, Greece
    Case("tr", C, doc(TR, header="HİZMETE ÖZEL")),
    Case("tr", C, text("GİZLİ\n\n" + TR)),
    Case("tr", C, text("ÇOK GİZLİ\n\n" + TR)),
    Case("tr", C, doc(TR, header="KİŞİYE ÖZEL")),
    Case("ar", C, text("سري للغاية\n\n" + AR)),
    Case("ar", C, doc(AR, header="سري")),
    Case("il", C, text("סודי ביותר\n\n" + HE)),
    Case("gr", C, text("ΑΠΟΡΡΗΤΟ\n\n" + EL)),
    Case("gr", C, doc(EL, header="ΕΜΠΙΣΤΕΥΤΙΚΟ")),
    # ------------------------------------------------------------------ Germany, France, Switzerland
    Case("de", C, doc(DE, header="VS – NUR FÜR DEN DIENSTGEBRAUCH")),
    Case("de", C, doc(DE, footer="Streng vertraulich")),
    Case("fr", C, doc(FR, header="DIFFUSION RESTREINTE")),
    Case("fr", C, doc(FR, footer="Confidentiel – Ne pas diffuser")),
    # ------------------------------------------------------------------ Corporate and metadata
    Case("corp", R, doc(EN, footer="Internal Use Only")),
    Case("corp", C, doc(EN, header="Company Confidential")),
    Case("corp", C, doc(EN, footer="Proprietary")),
    Case("corp", C, doc(EN, header="Privileged & Confidential")),
    Case("corp", C, doc(EN, footer="Confidential – Do Not Forward")),
    Case("corp", C, text("Sensitivity: Confidential\n\n" + EN)),
    Case("corp", C, doc(EN, footer="Highly Confidential - Internal Use Only")),
    Case("corp", C, mail("Quarterly numbers", EN, ("Sensitivity", "Company-Confidential"))),
    Case("purview", C, doc(EN, props=msip("Confidential"))),
    Case("purview", C, doc(EN, props=msip("Highly Confidential\\Project Falcon"))),
    Case("purview", N, doc(EN, props=msip("General"))),
    Case("purview", C, mail("Quarterly numbers", EN, msip_header("Confidential"))),
    Case("titus", C, doc(EN, props=(("TITUSGUID", "5d0e9c1a-2b3c-4d5e-8f90-1a2b3c4d5e6f"),
                                    ("Classification", "CONFIDENTIAL")))),
    Case("titus", C, mail("Supplier prices", EN, ("x-titus-classification", "CONFIDENTIAL"),
                          ("x-tituslabs-classifications-30", "TLPropertyRoot=Example;Classification="
                           "Confidential;"))),
    Case("titus", C, mail("Price list", EN, ("x-tituslabs-classifications-30",
                                              "TLPropertyRoot=Example;Classification=Confidential;"))),
    Case("titus", N, mail("Lunch", "Pizza at noon.", ("x-tituslabs-classifications-30",
                                                       "TLPropertyRoot=Example;Classification=Public;"))),
    Case("corp", N, text("We treat your personal information as confidential and never sell it to third "
                         "parties. See our privacy policy for details.")),
    Case("corp", N, mail("Order 4471", "Thanks for your order.\n\nCONFIDENTIALITY NOTICE: This e-mail "
                         "and any attachments are confidential and intended solely for the addressee. "
                         "If you have received it in error, please notify the sender and delete it.")),
    Case("corp", N, mail("Gift ideas", "The new Victoria's Secret store opens at the mall on Saturday.")),
    Case("corp", N, text("Our secret sauce is simple: talk to customers every week.")),
    Case("corp", N, doc(EN, header="Office of the Company Secretary")),
    Case("tlp", C, mail("[TLP:AMBER] Indicators for the phishing campaign", EN)),
    Case("tlp", C, doc(EN, header="TLP:RED", footer="TLP:RED")),
    Case("tlp", R, mail("Sector advisory", "TLP:GREEN\n\n" + EN)),
    Case("tlp", N, mail("[TLP:CLEAR] Monthly newsletter", EN)),
    # ------------------------------------------------------------------ Drafts
    Case("draft-en", D, doc(EN, header="DRAFT – FOR DISCUSSION PURPOSES ONLY")),
    Case("draft-en", D, mail("[DRAFT] Q3 board pack", EN)),
    Case("draft-en", D, text("Draft v0.3\n\n" + EN)),
    Case("draft-en", N, mail("Friday", "Draft beer specials: $4 pints all night at the Crown.")),
    Case("draft-en", N, text("NFL Draft pick analysis: round 1 grades for every team.")),
    Case("draft-en", N, mail("Payment", "Please pay by bank draft or wire transfer within 30 days.")),
    Case("draft-en", N, text("There is a cold draft from the window in meeting room 2; facilities "
                             "will fix it.")),
    Case("draft-de", D, doc(DE, header="ENTWURF")),
    Case("draft-de", D, doc(DE, header="Entwurf – Stand: 12.03.2025")),
    Case("draft-fr", D, doc(FR, header="PROJET")),
    Case("draft-fr", D, doc(FR, header="Avant-projet")),
    Case("draft-fr", D, doc(FR, header="Document de travail – version provisoire")),
    Case("draft-fr", N, text("Le projet de loi a été adopté par l'Assemblée nationale.\nLe chef de projet "
                             "présentera le bilan.")),
    Case("draft-it", D, doc(IT, header="BOZZA")),
    Case("draft-it", D, doc(IT, header="Bozza – non diffondere")),
    Case("draft-it", D, text("Bozza di lavoro v0.2\n\n" + IT)),
    Case("draft-pt", D, text("MINUTA\n\nCONTRATO DE PRESTAÇÃO DE SERVIÇOS\n\n" + PT)),
    Case("draft-pt", D, doc(PT, header="RASCUNHO")),
    Case("draft-pt", D, doc(PT, header="VERSÃO PRELIMINAR – NÃO DIVULGAR")),
    Case("draft-nl", D, doc(NL, header="CONCEPT")),
    Case("draft-nl", D, doc(NL, header="Concept – niet verspreiden")),
    Case("draft-nl", N, text("The concept car was unveiled at the Geneva motor show.")),
    Case("draft-es", D, doc(ES, header="BORRADOR")),
    Case("draft-zh", D, text("XX公司合同管理制度（讨论稿）\n\n" + ZH)),
    Case("draft-zh", D, mail("送审稿：2025年度预算报告", ZH)),
    Case("draft-zh", D, text("初稿\n\n项目总结报告\n\n" + ZH)),
    Case("draft-zh", D, text("2025年工作要点（草案）\n\n" + ZH)),
    Case("draft-zh", D, text(ZH, name="年度报告_初稿.docx")),
    Case("draft-jp", D, text("2025年度事業計画（案）\n\n" + JA)),
    Case("draft-jp", D, doc(JA, header="素案")),
    Case("draft-jp", D, doc(JA, header="たたき台")),
    Case("draft-jp", D, doc(JA, header="ドラフト")),
    Case("draft-kr", D, text("2025년 사업계획(안)\n\n" + KO)),
    Case("draft-kr", D, doc(KO, header="초안")),
    Case("draft-ru", D, text("ПРОЕКТ\n\nПОЛОЖЕНИЕ о порядке согласования договоров\n\n" + RU)),
    Case("draft-ru", D, doc(RU, header="Черновик")),
    Case("draft-ua", D, text("Проєкт\n\nПОЛОЖЕННЯ про порядок погодження договорів")),
    Case("draft-pl", D, doc(PL, header="PROJEKT")),
    Case("draft-tr", D, doc(TR, header="TASLAK")),
    Case("draft-se", D, doc(SV, header="UTKAST")),
    Case("draft-dk", D, doc(DA, header="UDKAST")),
    Case("draft-fi", D, doc(FI, header="LUONNOS")),
    Case("draft-gr", D, text("ΣΧΕΔΙΟ\n\n" + EL)),
    Case("draft-ar", D, doc(AR, header="مسودة")),
    Case("draft-il", D, doc(HE, header="טיוטה")),
    # ------------------------------------------------------------------ More hard negatives
    Case("es", N, text("MINUTA DE REUNIÓN\n\nFecha: 12 de marzo de 2025\n"
                       "Asistentes: dirección y jefes de área\n\n" + ES)),
    Case("mx", N, text("MINUTA\n\nReunión de trabajo del comité de obras, 12 de marzo de 2025.\n\n" + ES)),
    Case("it", N, doc(IT, header="Segreteria generale")),
    Case("it", N, mail("Prenotazione", "Tavolo riservato per due persone alle 20:30.")),
    Case("br", N, doc(PT, header="Área restrita")),
    Case("ru", N, doc(RU, header="Проект «Северный поток» – ежемесячный отчёт")),
    Case("ru", N, text("Коммерческое предложение\n\nПредлагаем поставку оборудования на выгодных условиях.")),
    Case("jp", N, mail("ドラフト会議の結果", "今年のドラフト会議で1位指名された選手の一覧です。")),
    Case("jp", N, text("秘密保持契約書\n\n甲と乙は、本契約に基づき開示される情報の取扱いについて合意する。")),
    Case("kr", N, text("비밀유지계약서\n\n갑과 을은 다음과 같이 비밀유지에 관하여 합의한다.")),
    Case("tr", N, doc(TR, header="Gizlilik Politikası")),
    Case("gr", N, doc(EL, header="Πολιτική Απορρήτου")),
    Case("no", N, doc(SV, header="Begrenset opplag – bestill nå")),
    Case("nl", N, doc(NL, header="Concept store Amsterdam")),
    Case("cz", N, doc(PL, header="Návrh interiéru – kuchyně")),
    Case("in", N, doc(HI, header="गोपनीयता नीति")),
    Case("cn", N, text("秘书长讲话\n\n同志们，今年的工作取得了显著成效。")),
    Case("es", N, text("Proyecto de ley de presupuestos generales del Estado\n\n"
                       "El Gobierno aprobó ayer el proyecto.")),
    Case("fr", N, doc(FR, header="Projet de fin d'études – Master 2")),
    Case("de", N, doc(DE, header="Projekt Alpha – Statusbericht März")),
    Case("pl", N, doc(PL, footer="© 2025 Przykład Sp. z o.o. Wszelkie prawa zastrzeżone.")),
    Case("ar", N, doc(AR, header="سياسة الخصوصية")),
    Case("he", N, doc(HE, footer="© 2025 כל הזכויות שמורות")),
)
