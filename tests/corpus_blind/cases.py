"""The blind corpus's cases: markings as organisations write them, and hard negatives.

Written from public descriptions of marking systems only, never from Redline's rules:
- US: EO 13526 and the CAPCO register (banner lines ``LEVEL//SCI//DISSEM``, portion marks
  ``(S//NF)``, the classification authority block, CUI banners of 32 CFR 2002);
- UK: Government Security Classifications (OFFICIAL, OFFICIAL-SENSITIVE, SECRET, TOP
  SECRET, the UK EYES ONLY caveat and the descriptors written after the level);
- NATO: C-M(2002)49 levels (NATO RESTRICTED … COSMIC TOP SECRET, ATOMAL);
- EU: Council Decision 2013/488/EU (RESTREINT UE/EU RESTRICTED … TRES SECRET UE/EU TOP
  SECRET) and the LIMITE distribution marking;
- China: GB/T 9704-2012 (份号, 密级和保密期限 such as ``机密★1年``, 紧急程度 特急/加急),
  the 工作秘密 and 内部 handling notices, commercial secrets of state enterprises
  (核心商密/普通商密 with ★ and a period), company secrets in brackets;
- Taiwan: 國家機密保護法 (絕對機密, 極機密, 機密) and the 密等/解密條件 line of 公文;
- Spain: Ley 9/1968 (SECRETO, RESERVADO), the national grades used since (CONFIDENCIAL,
  DIFUSIÓN LIMITADA) and the 2022 draft law's ALTO SECRETO/RESTRINGIDO;
- corporate label sets (Microsoft's default labels Public, General, Confidential, Highly
  Confidential), proprietary and trade-secret notices, legal privilege banners;
- draft status as people write it in English, Spanish and Chinese.

Each case is (system, expect, forms, positions). ``expect`` is ``classification`` or
``draft`` (the item must be held with a hit of that category), ``report`` (a
classification hit is expected but need not hold the item) or ``none`` (must pass with
no classification or draft hit). ``positions`` are keys of the generator's placements.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Case:
    system: str
    expect: str
    forms: tuple[str, ...]
    positions: tuple[str, ...]
    lang: str = "en"
    name: str = ""  # a file name for file-name cases ("" = a neutral name)


# Positions where a marking stands as a marking (banners, stamps, properties).
BANNER = ("docx.header", "docx.footer", "docx.first", "docx.last", "mail.first",
          "xlsx.header", "xlsx.footer", "pptx.master", "pptx.footer", "doc.header",
          "pdf.header", "pdf.footer", "odt.header", "mail.html.first")
STAMP = ("docx.cell", "xlsx.cell", "docx.title", "pptx.prop", "xlsx.title", "docx.watermark",
         "mail.subject", "pdf.first")
ANY = BANNER + STAMP

C, D, R, N = "classification", "draft", "report", "none"

CASES: tuple[Case, ...] = (
    # ---------------------------------------------------------------- United States
    Case("us", C, ("TOP SECRET//SI//NOFORN", "TOP SECRET//TK//REL TO USA, FVEY",
                   "TOP SECRET//HCS-P//ORCON/NOFORN", "TOP SECRET//NOFORN"), BANNER),
    Case("us", C, ("SECRET//NOFORN", "SECRET//REL TO USA, GBR, AUS",
                   "SECRET//ORCON//NOFORN", "SECRET//FGI GBR//REL TO USA, GBR"), BANNER),
    Case("us", C, ("CONFIDENTIAL//REL TO USA, CAN", "CONFIDENTIAL//NOFORN"), BANNER),
    Case("us", C, ("CLASSIFICATION: SECRET", "Classification: TOP SECRET//NOFORN",
                   "CLASSIFIED BY: J. Smith, Director\nREASON: 1.4(c)\nDECLASSIFY ON: 20501231",
                   "Classified By: 0645983\nDerived From: Multiple Sources\nDeclassify On: 20451231"),
         ("docx.first", "docx.last", "mail.first", "mail.last", "pdf.first")),
    Case("us", C, ("(S//NF) The battalion moves to the northern sector on the 14th.",
                   "(TS//SI//NF) Intercepts confirm the schedule of the convoy.",
                   "(C) The meeting agreed on the revised logistics plan.",
                   "(S//REL TO USA, FVEY) Partner liaison officers will attend.",
                   "(U//FOUO) Staff will use the east entrance during the works.\n"
                   "(S) Guard rotation changes at 0600."),
         ("docx.first", "mail.first", "docx.cell", "pdf.first")),
    Case("us", C, ("Top Secret", "Secret", "Confidential", "Top Secret//NoForn"),
         ("docx.header", "docx.footer", "xlsx.header", "pptx.master", "docx.cell",
          "docx.watermark", "pdf.header", "docx.title")),
    Case("us", C, ("CUI", "CUI//SP-PRVCY", "CONTROLLED//FEDCON", "CUI//SP-EXPT//NOFORN",
                   "UNCLASSIFIED//FOR OFFICIAL USE ONLY", "UNCLASSIFIED//FOUO",
                   "FOR OFFICIAL USE ONLY"), BANNER),
    # ---------------------------------------------------------------- United Kingdom
    Case("uk", C, ("OFFICIAL-SENSITIVE", "OFFICIAL SENSITIVE", "OFFICIAL-SENSITIVE COMMERCIAL",
                   "OFFICIAL-SENSITIVE PERSONAL", "OFFICIAL–SENSITIVE: COMMERCIAL",
                   "Official-Sensitive"), (*BANNER, "mail.subject")),
    Case("uk", C, ("SECRET UK EYES ONLY", "SECRET - UK EYES ONLY", "TOP SECRET UK EYES ONLY",
                   "UK SECRET", "SECRET UK/US EYES ONLY", "TOP SECRET STRAP1"),
         (*BANNER, "mail.subject")),
    Case("uk", R, ("OFFICIAL", "OFFICIAL – UK EYES ONLY"), ("docx.header", "mail.first",
                                                           "xlsx.footer")),
    # ---------------------------------------------------------------- NATO
    Case("nato", C, ("NATO SECRET", "NATO CONFIDENTIAL", "NATO RESTRICTED",
                     "COSMIC TOP SECRET", "COSMIC TOP SECRET ATOMAL", "NATO SECRET ATOMAL",
                     "NATO SECRET - RELEASABLE TO SWE", "NATO Restricted"),
         ANY),
    Case("nato", C, ("(NS) The exercise area is extended to the east.",
                     "(NR) Logistics requests close on Friday.",
                     "(CTS) The nuclear planning annex follows."),
         ("docx.first", "mail.first")),
    Case("nato", R, ("NATO UNCLASSIFIED",), ("docx.header", "mail.first")),
    # ---------------------------------------------------------------- European Union
    Case("eu", C, ("RESTREINT UE/EU RESTRICTED", "EU RESTRICTED", "RESTREINT UE",
                   "CONFIDENTIEL UE/EU CONFIDENTIAL", "EU CONFIDENTIAL", "SECRET UE/EU SECRET",
                   "TRES SECRET UE/EU TOP SECRET", "TRÈS SECRET UE/EU TOP SECRET",
                   "EU SECRET", "RESTREINT UE / EU RESTRICTED", "RESTRINGIDO UE/EU RESTRICTED",
                   "EU Restricted"),
         ANY),
    Case("eu", R, ("LIMITE",), ("docx.header", "docx.first")),
    # ---------------------------------------------------------------- China (GB/T 9704-2012)
    Case("cn", C, ("000123\n机密★1年\n特急", "000045\n秘密★6个月\n加急", "绝密★长期",
                   "机密★5年", "秘密★10年", "机密 ★ 2年", "绝密", "机密", "秘密",
                   "秘密★一年", "机密★"),
         ("docx.first", "docx.header", "pdf.first", "doc.header", "xlsx.cell", "docx.cell",
          "mail.first", "pptx.master", "odt.header"), "zh"),
    Case("cn", C, ("工作秘密", "工作秘密 注意保管", "工作秘密★", "本文件属工作秘密，不得对外公开",
                   "内部资料 注意保存", "内部文件 请勿外传", "内部资料，请勿转发",
                   "内部 ★ 注意保存", "内部使用 禁止外传", "本文件含国家秘密，严禁外传",
                   "涉及国家秘密，请按规定保管"),
         ("docx.first", "docx.footer", "docx.last", "mail.first", "mail.last", "pdf.footer",
          "xlsx.footer", "docx.header"), "zh"),
    Case("cn", C, ("商密★5年", "核心商密★10年", "普通商密★3年", "【核心商密】", "[普通商密]",
                   "商业秘密 ★ 5年", "【公司秘密】", "[公司机密]", "【绝密】", "（公司机密）",
                   "商密", "核心商密", "企业秘密★2年"),
         ("docx.first", "docx.header", "xlsx.cell", "docx.cell", "mail.first", "pptx.master",
          "pdf.header"), "zh"),
    Case("cn", C, ("机密 工作通知", "绝密 关于调整部署的通知", "秘密：关于年度预算的请示",
                   "【机密】季度经营分析", "内部资料 请勿外传：会议纪要", "[秘密] 人员调整方案",
                   "机密-项目进度汇报"),
         ("mail.subject", "docx.title", "pptx.prop"), "zh"),
    # ---------------------------------------------------------------- Taiwan
    Case("tw", C, ("密等及解密條件：機密（本件至民國120年12月31日解密）",
                   "密等：極機密\n解密條件：本件於公布後解密", "絕對機密", "極機密", "機密",
                   "機密（解密條件：會議結束後解密）", "密等：密\n解密條件：公布後解密",
                   "極機密★本件於民國118年解密"),
         ("docx.first", "docx.header", "pdf.first", "mail.first", "docx.cell", "xlsx.cell",
          "doc.header"), "zh-tw"),
    Case("tw", C, ("機密 會議通知", "極機密：專案進度報告", "【機密】人事異動案"),
         ("mail.subject", "docx.title"), "zh-tw"),
    # ---------------------------------------------------------------- Spain
    Case("es", C, ("SECRETO", "RESERVADO", "CONFIDENCIAL", "DIFUSIÓN LIMITADA", "ALTO SECRETO",
                   "RESTRINGIDO", "Difusión Limitada", "Reservado", "Secreto",
                   "CLASIFICACIÓN: RESERVADO", "Grado de clasificación: CONFIDENCIAL",
                   "USO OFICIAL", "DIFUSION LIMITADA"),
         ANY, "es"),
    Case("es", C, ("Confidencial – uso exclusivo de la Dirección Financiera",
                   "CONFIDENCIAL - USO INTERNO", "Documento confidencial. Prohibida su difusión",
                   "Información confidencial – no distribuir", "Estrictamente confidencial",
                   "USO INTERNO EXCLUSIVO"),
         ("docx.header", "docx.footer", "mail.first", "xlsx.header", "pptx.master",
          "pdf.footer"), "es"),
    # ---------------------------------------------------------------- corporate labels
    Case("corp", C, ("Highly Confidential", "HIGHLY CONFIDENTIAL", "Strictly Confidential",
                     "Company Confidential", "Confidential – Internal Only",
                     "CONFIDENTIAL - INTERNAL USE ONLY", "Proprietary and Confidential",
                     "PROPRIETARY & CONFIDENTIAL", "Trade Secret", "TRADE SECRET",
                     "Confidential Information of Acme Corp.",
                     "Sensitivity: Highly Confidential", "Classification: Confidential",
                     "Highly Confidential\\Specified People", "Confidential\\All Employees",
                     "Restricted – Internal", "RESTRICTED", "Company Restricted",
                     "Confidential Treatment Requested"),
         ANY),
    Case("corp", R, ("Internal Use Only", "INTERNAL", "Classification: Internal",
                     "Sensitivity: General", "For internal use only"),
         ("docx.footer", "mail.last", "xlsx.footer")),
    # ---------------------------------------------------------------- legal privilege
    Case("legal", C, ("PRIVILEGED & CONFIDENTIAL – ATTORNEY-CLIENT COMMUNICATION",
                      "Attorney Work Product", "ATTORNEY-CLIENT PRIVILEGED",
                      "Privileged and Confidential: Prepared at the Direction of Counsel",
                      "Subject to Legal Professional Privilege",
                      "PRIVILEGED AND CONFIDENTIAL", "Attorney–Client Privileged Communication",
                      "Confidencial – Secreto profesional"),
         ("docx.header", "docx.first", "mail.first", "mail.subject", "docx.footer",
          "pdf.header", "docx.title")),
    # ---------------------------------------------------------------- drafts, English
    Case("draft-en", D, ("DRAFT", "Draft", "DRAFT – NOT FOR DISTRIBUTION",
                         "Draft – for discussion purposes only", "WORKING DRAFT",
                         "Draft v0.3", "Draft 2", "Second Draft", "Revised Draft 4",
                         "PRE-DECISIONAL DRAFT", "Pre-decisional – Deliberative",
                         "For review only – do not circulate", "Preliminary – subject to change",
                         "PRELIMINARY DRAFT", "Discussion Draft", "Draft for comment",
                         "Status: Draft", "Not for circulation – draft",
                         "Draft subject to contract", "DRAFT PRESS RELEASE",
                         "Draft — Confidential", "v0.2-draft", "[DRAFT]",
                         "Draft (do not cite)", "Consultation draft – internal"),
         ANY),
    Case("draft-en", D, ("Draft Agreement – Subject to Contract", "Draft Press Release: Q3 results",
                         "Annual Report 2026 (Draft 3)", "DRAFT: Board minutes 12 March",
                         "Minutes of the board – draft for approval",
                         "Project plan [draft v2]"),
         ("docx.title", "mail.subject", "pptx.prop", "xlsx.title", "pdf.first")),
    Case("draft-en", D, ("This is a draft and is subject to change.",
                         "Please note this document is a working draft and has not been approved.",
                         "Preliminary and subject to change. Not for distribution.",
                         "These figures are preliminary and may change before publication.",
                         "This draft has not been reviewed by legal; do not forward."),
         ("mail.first", "docx.first", "docx.last", "mail.last", "pdf.first")),
    # ---------------------------------------------------------------- drafts, Spanish
    Case("draft-es", D, ("BORRADOR", "Borrador", "Borrador – no distribuir",
                         "Borrador de discusión", "Borrador de revisión", "Borrador de trabajo",
                         "Versión preliminar", "VERSIÓN PRELIMINAR",
                         "Documento provisional – pendiente de aprobación",
                         "Pendiente de aprobación", "Sujeto a cambios – borrador",
                         "Borrador v2", "Segundo borrador", "BORRADOR PARA COMENTARIOS",
                         "Documento en revisión – no difundir", "Versión provisional"),
         ANY, "es"),
    Case("draft-es", D, ("Este documento es un borrador y puede sufrir cambios.",
                         "Versión preliminar sujeta a revisión; no difundir.",
                         "Adjunto el borrador del contrato para vuestros comentarios.",
                         "Documento provisional, pendiente de aprobación por el Consejo."),
         ("mail.first", "docx.first", "docx.last"), "es"),
    # ---------------------------------------------------------------- drafts, Chinese
    Case("draft-zh", D, ("草稿", "初稿", "征求意见稿", "讨论稿", "送审稿", "审议稿", "修改稿",
                         "未定稿", "（征求意见稿）", "草案（内部讨论稿）", "第二稿", "内部讨论稿",
                         "征求意见稿 请勿外传", "（送审稿）", "初稿 v0.3"),
         ANY, "zh"),
    Case("draft-zh", D, ("附件是方案的初稿，请各位提出修改意见。", "本稿为征求意见稿，请勿外传。",
                         "此为讨论稿，仅供内部讨论，不作为正式依据。",
                         "报告目前还是草稿，数据尚未最终确认。", "请审阅随附的送审稿并于周五前反馈。"),
         ("mail.first", "docx.first", "docx.last", "mail.last"), "zh"),
    Case("draft-zh", D, ("初稿", "草稿", "討論稿"), ("mail.subject",), "zh-tw"),
    # ---------------------------------------------------------------- file names
    Case("name", D, ("",), ("name.plain", "name.2231", "name.2047"), "en",
         name="plan-DRAFT-v2.docx"),
    Case("name", D, ("",), ("name.plain", "name.2231"), "es", name="BORRADOR_presupuesto.xlsx"),
    Case("name", D, ("",), ("name.plain", "name.2231", "name.2047"), "zh",
         name="方案_征求意见稿.docx"),
    Case("name", D, ("",), ("name.plain", "name.2231"), "en", name="report.draft.docx"),
    Case("name", D, ("",), ("name.plain", "name.2231"), "en", name="Budget 2027 (draft).xlsx"),
    Case("name", D, ("",), ("name.plain", "name.2047"), "en", name="draft-agreement-v3.docx"),
    Case("name", D, ("",), ("name.plain", "name.2231"), "zh", name="年度总结（初稿）.docx"),
    Case("name", D, ("",), ("name.plain", "name.2231"), "es",
         name="contrato_borrador_v2.docx"),
    Case("name", D, ("",), ("name.plain", "name.2231"), "en", name="Q3_results_DRAFT.pptx"),
    Case("name", D, ("",), ("name.2047",), "zh-tw", name="計畫草稿.docx"),
    Case("name", C, ("",), ("name.plain", "name.2231"), "en", name="CONFIDENTIAL_salaries.xlsx"),
    Case("name", C, ("",), ("name.plain", "name.2231", "name.2047"), "zh",
         name="机密_人员名单.xlsx"),
    Case("name", C, ("",), ("name.plain", "name.2231"), "es",
         name="RESERVADO-informe.docx"),
    # ---------------------------------------------------------------- mail metadata
    Case("mailmeta", C, ("Company-Confidential",), ("mail.sensitivity",)),
    Case("mailmeta", R, ("Private", "Personal"), ("mail.sensitivity",)),
    Case("labels", C, ("Confidential", "Highly Confidential", "Secret", "Restricted",
                       "Highly Confidential\\All Employees", "Confidencial", "机密"),
         ("mail.msip", "docx.msip", "xlsx.msip", "pptx.msip", "pdf.xmp")),
    # ================================================================ hard negatives
    Case("neg-policy", N, (
        "Documents marked TOP SECRET must be stored in an approved container and never "
        "sent by e-mail. Material marked SECRET or CONFIDENTIAL follows the handling "
        "rules in annex B.",
        "Under the Government Security Classifications, most information is OFFICIAL; "
        "only a small amount is OFFICIAL-SENSITIVE, SECRET or TOP SECRET.",
        "The EU uses four levels: RESTREINT UE/EU RESTRICTED, CONFIDENTIEL UE/EU "
        "CONFIDENTIAL, SECRET UE/EU SECRET and TRES SECRET UE/EU TOP SECRET. This "
        "training note explains each of them.",
        "Portion marks such as (S) or (TS//SI) are placed before each paragraph; this "
        "guide shows how to apply them.",
        "Staff should label drafts clearly and remove the word DRAFT before publication.",
        "Our labelling policy defines four labels: Public, General, Confidential and "
        "Highly Confidential. Choose the lowest label that fits."),
        ("docx.para", "mail.body", "pdf.body")),
    Case("neg-policy", N, (
        "按照《保密法》规定，国家秘密的密级分为绝密、机密、秘密三级，各单位应当按规定标注。",
        "公文格式中，密级和保密期限位于版心左上角第二行，本培训材料对此进行说明。",
        "工作人员应当区分国家秘密和工作秘密，不得混用标志。"),
        ("docx.para", "mail.body"), "zh"),
    Case("neg-policy", N, (
        "La Ley de secretos oficiales distingue las categorías de secreto y reservado; "
        "este curso explica cómo se aplican.",
        "Los documentos clasificados como CONFIDENCIAL deben custodiarse en armarios "
        "homologados, según la norma interna que aquí se resume."),
        ("docx.para", "mail.body"), "es"),
    Case("neg-disclaimer", N, (
        "CONFIDENTIALITY NOTICE: This e-mail and any attachments are confidential and may "
        "be privileged. If you are not the intended recipient, please notify the sender "
        "and delete it.",
        "This message may contain confidential or privileged information. If you received "
        "it in error, please delete it and inform the sender.",
        "Este mensaje y sus anexos son confidenciales y están dirigidos exclusivamente a "
        "sus destinatarios. Si lo ha recibido por error, notifíquelo al remitente.",
        "本邮件及其附件含有保密信息，仅限于发送给上述收件人。如果您错收了本邮件，请立即通知发件人并删除。",
        "The information in this e-mail is confidential and intended solely for the "
        "addressee."),
        ("mail.last", "mail.html.last", "docx.last")),
    Case("neg-secretary", N, (
        "Office of the Secretary", "Secretary of State for Defence", "Secretaría General Técnica",
        "Secretaría de Estado de Hacienda", "秘书处", "办公室秘书", "Company Secretary",
        "Secretariat of the Committee", "Secretary-General's report", "秘书长讲话",
        "La secretaría del congreso informa", "Board secretary: J. Perez"),
        ("docx.header", "docx.footer", "mail.first", "docx.cell", "xlsx.cell", "docx.title",
         "mail.subject", "pptx.master")),
    Case("neg-prose", N, (
        "The secret to good bread is a long, slow rise.", "成功的秘密在于坚持。",
        "El secreto de la paella es el sofrito.", "She kept the surprise party a secret.",
        "Top secret recipe: grandma's apple pie", "Confidential advice line for staff",
        "Trade secrets law: an introduction (seminar notes)",
        "这个秘密花园开放了", "The Secret Garden – book club notes",
        "Our confidential helpline is open 24/7."),
        ("docx.title", "mail.subject", "docx.para", "mail.body", "pptx.title", "xlsx.cell")),
    Case("neg-draft", N, (
        "Draft beer menu", "Craft & draft beers", "NBA Draft 2026 – mock draft results",
        "Fantasy football draft night", "Bank draft payment instructions",
        "Draft horses at the county show", "Cerveza de barril y borrador de pizarra",
        "Borrador de pizarra (lote de 10 unidades)", "Material escolar: borrador, lápiz, regla",
        "草稿纸 10 本", "打草稿是个好习惯", "The draft was signed by the club on Monday.",
        "Draught excluders for all windows", "Final version – supersedes the earlier drafts",
        "Drafting table for sale"),
        ("docx.title", "mail.subject", "docx.para", "xlsx.cell", "docx.header", "pptx.title")),
    Case("neg-consultation", N, (
        "关于公开征求《城市绿化管理办法（征求意见稿）》意见的通知：现将全文公布，广泛征求社会各界意见。",
        "公开征求意见：欢迎社会公众通过网站提交意见和建议。",
        "国家标准《信息安全技术 个人信息安全规范》征求意见稿已在官网公开发布，征求社会意见。",
        "Public consultation: draft guidance published for comment until 30 June.",
        "Consulta pública sobre el proyecto de real decreto, abierta hasta el 30 de junio."),
        ("docx.para", "mail.body", "pdf.body", "docx.first")),
    Case("neg-name", N, ("",), ("name.plain", "name.2231"), "en", name="draft_beers_menu.xlsx"),
    Case("neg-name", N, ("",), ("name.plain",), "en", name="nba_draft_picks_2026.xlsx"),
    Case("neg-name", N, ("",), ("name.plain", "name.2231"), "es",
         name="borradores_pizarra_pedido.xlsx"),
    Case("neg-name", N, ("",), ("name.plain",), "en", name="secretary_contacts.xlsx"),
    Case("neg-name", N, ("",), ("name.plain", "name.2231"), "zh", name="秘书处通讯录.xlsx"),
    Case("neg-level", N, ("UNCLASSIFIED", "Classification: Public", "Sensitivity: Public",
                          "PUBLIC", "公开", "Approved for public release; distribution unlimited",
                          "NON CLASSIFIÉ", "SIN CLASIFICAR", "Final", "Version 1.0 – Final"),
         ("docx.header", "docx.footer", "mail.first", "xlsx.header", "pptx.master")),
    Case("neg-labels", N, ("General", "Public", "Personal", "非业务"),
         ("mail.msip", "docx.msip", "xlsx.msip", "pdf.xmp")),
    Case("neg-mailmeta", N, ("Normal",), ("mail.sensitivity",)),
)

# Label-vs-content mismatch: a file labelled Public or General whose text carries a
# classification marking. Expected: the classification hit and a label mismatch hit.
MISMATCH: tuple[tuple[str, str, str], ...] = (
    ("Public", "SECRET//NOFORN", "docx.msip"),
    ("General", "CONFIDENTIAL", "docx.msip"),
    ("Public", "机密★1年", "mail.msip"),
    ("General", "NATO SECRET", "xlsx.msip"),
    ("Public", "HIGHLY CONFIDENTIAL", "pdf.xmp"),
    ("General", "RESERVADO", "mail.msip"),
)
