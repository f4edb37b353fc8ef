"""The held-out corpus's ninth round (every round together is `round10.CASES`).

Written before reading the rules or the vocabulary, from public descriptions of marking
schemes and of how marked papers are laid out, going where the earlier rounds went little or
in one layout only:

- Latin America: Brazil's classification term under the access-to-information law (LAI
  12.527/2011: a table with its grau de sigilo and indexing code), RESERVADO banners top and
  bottom, a [RESERVADO] subject, a documento preparatório, MINUTA as Word's watermark; Mexico's
  leyenda de clasificación (RESERVADA with its period and legal basis under the LGTAIP) and a
  CONFIDENCIAL footer citing article 116; Chile's OFICIO RESERVADO with its ANT./MAT. lines;
  Colombia's información pública reservada and clasificada (Ley 1712); Argentina, Peru,
  Uruguay and the Dominican Republic; Spanish drafts (Proyecto de Decreto, versión para
  comentarios, BORRADOR – SUJETO A CAMBIOS);
- Africa: South Africa's MISS levels in English (a TOP SECRET cover with a copy number, a
  RESTRICTED subject), Kenya's ministry letter with CONFIDENTIAL under the reference, Nigeria's
  RESTRICTED memo, Angola's and Mozambique's RESTRITO, Algeria's and Morocco's bilingual
  Arabic/French stamps, the DRC's TRÈS SECRET;
- the Middle East: Arabic field labels (درجة السرية, التصنيف), سري alone in a PDF header and a
  subject, Persian محرمانه in a subject, Turkey's Gizlilik Derecesi field and ÇOK GİZLİ in a
  subject, Israel's שמור with a copy number;
- Asia: Japan's 取扱注意 and the foreign ministry's 秘 無期限, Korea's 대외비 with its expiry
  date, Taiwan's 機密 with 限閱, China's 秘密★1年 in a spreadsheet, 内部资料 注意保存, Vietnam's
  Độ mật field and a TỐI MẬT PDF, Thailand's ชั้นความลับ field, the Philippines' SECRET with a
  copy number, Malaysia's TERHAD, Kazakhstan's bilingual ҚҰПИЯ / СЕКРЕТНО;
- Russia and its neighbours: СЕКРЕТНО above "без приложения несекретно", Совершенно секретно
  (Особая папка), a ДСП subject, the trade-secret stamp with its owner in a footer, Ukraine's
  Таємно with a copy number, Moldova's, Azerbaijan's and Uzbekistan's levels;
- company and sector schemes: Outlook's Sensitivity header, Purview's default sub-labels,
  "Confidential & Proprietary", ISO 27001 templates' "Information classification" headers,
  "Strictly Private & Confidential", attorney-client privilege, an SEC confidential-treatment
  legend, NATO (NS) portion marks, TLP:RED in a subject's brackets;
- drafts: PRE-DECISIONAL AND DELIBERATIVE, WORKING DRAFT, Entwurf – nicht zur Weitergabe,
  Arbeitsentwurf, VERSION PROVISOIRE, BOZZA NON DEFINITIVA, ЧЕРНОВИК, TASLAK – DAĞITILMAZ,
  BẢN NHÁP, (ร่าง) above a regulation, 初稿, 征求意见稿 in a header, Word's status and
  version properties, a custom "Document Status", a PDF title, a zero draft;
- hard negatives beside them: a yacht's "Draft: 2.1 m", the 1969 draft lottery, draft
  excluders, a Mexican minuta (minutes), "Todos los derechos reservados", a form's "Espaço
  reservado", a Colombian public index of classified information, Victoria's Secret, a Secret
  Santa, Top Secret (the 1984 film), L.A. Confidential, Kitchen Confidential, classified ads,
  the classification of a species, an NDA template's "Confidential Information", a restricted
  area sign, a fragile parcel's 取扱注意, Thai เคล็ดลับ (a tip), Arabic كلمة السر (password),
  Turkish Gizlilik Politikası, "НЕСЕКРЕТНО", a project plan's "Проект:", 草案 in news of another
  country's draft law, Vietnamese news of a dự thảo, "Secret" deodorant.
"""

from __future__ import annotations

from functools import partial

from tests.corpus_heldout import round8 as earlier
from tests.corpus_heldout.cases import (
    HE,
    TW,
    C,
    Case,
    D,
    N,
    deck,
    doc,
    docx_with,
    held_out,
    html,
    label,
    mail,
    pdf,
    pdf_with,
    picture,
    text,
    xlsx,
)
from tests.corpus_heldout.round4 import footed, rtf
from tests.corpus_heldout.round5 import odt
from tests.corpus_heldout.round6 import subject_mail
from tests.corpus_heldout.round7 import master

EN9 = ("Attached is the assessment of the border crossing points requested at the last meeting.\n"
       "Regional offices are asked to send their comments by 20 June.")
PT9 = ("Encaminhamos a avaliação dos pontos de fronteira solicitada na última reunião.\n"
       "As superintendências devem enviar comentários até 20 de junho.")
ES9 = ("Se remite la evaluación de los pasos fronterizos solicitada en la última reunión.\n"
       "Las oficinas regionales deberán enviar sus comentarios antes del 20 de junio.")
FR9 = ("Veuillez trouver ci-joint l'évaluation des postes frontières demandée lors de la dernière "
       "réunion.\nLes directions régionales transmettront leurs observations avant le 20 juin.")
AR9 = ("نرفق طيه تقييم المنافذ الحدودية المطلوب في الاجتماع الأخير.\n"
       "يرجى من المكاتب الإقليمية إرسال ملاحظاتها قبل 20 يونيو.")
RU9 = ("Направляем оценку пунктов пропуска через границу, запрошенную на последнем совещании.\n"
       "Предложения территориальных органов просим представить до 20 июня.")
ZH9 = ("现将口岸通关能力评估报告印发给你们，请结合实际认真研究。\n有关意见请于6月20日前反馈。")
JA9 = ("前回会議で依頼のあった出入国拠点の評価結果を送付します。\n"
       "各地方局は6月20日までに意見を提出してください。")
KO9 = ("지난 회의에서 요청한 출입국 거점 평가 결과를 송부합니다.\n"
       "각 지방청은 6월 20일까지 의견을 제출하여 주십시오.")
VI9 = ("Gửi kèm theo đánh giá các cửa khẩu biên giới theo yêu cầu tại cuộc họp trước.\n"
       "Đề nghị các cục khu vực gửi ý kiến trước ngày 20/6.")
TH9 = ("ขอส่งผลการประเมินจุดผ่านแดนตามที่ที่ประชุมครั้งที่แล้วได้ขอไว้\nขอให้สำนักงานภาคส่งความเห็นภายในวันที่ 20 มิถุนายน")
TR9 = ("Son toplantıda istenen sınır kapıları değerlendirmesi ekte sunulmuştur.\n"
       "Bölge müdürlüklerinin görüşlerini 20 Haziran'a kadar iletmeleri rica olunur.")
DE9 = ("Anbei die in der letzten Sitzung erbetene Bewertung der Grenzübergänge.\n"
       "Die Regionalstellen werden um Stellungnahme bis zum 20. Juni gebeten.")
IT9 = ("Si trasmette la valutazione dei valichi di frontiera richiesta nell'ultima riunione.\n"
       "Le sedi regionali sono pregate di inviare osservazioni entro il 20 giugno.")
UK9 = ("Надсилаємо оцінку пунктів пропуску, запитану на останній нараді.\n"
       "Пропозиції регіональних управлінь просимо надати до 20 червня.")
RO9 = ("Vă transmitem evaluarea punctelor de trecere a frontierei solicitată la ultima ședință.\n"
       "Observațiile se transmit până la 20 iunie.")
AZ9 = ("Son iclasda xahiş olunan sərhəd keçid məntəqələrinin qiymətləndirilməsi əlavə olunur.\n"
       "Regional idarələr rəylərini 20 iyunadək göndərsinlər.")
UZ9 = ("Oxirgi yig'ilishda so'ralgan chegara o'tish punktlari bahosi ilova qilinadi.\n"
       "Hududiy boshqarmalar fikrlarini 20-iyungacha yuborsin.")
KK9 = ("Соңғы кеңесте сұралған шекара өткізу пункттерінің бағасы қоса беріліп отыр.\n"
       "Өңірлік басқармалар ұсыныстарын 20 маусымға дейін жіберсін.")
MS9 = ("Bersama-sama ini dikemukakan penilaian pintu masuk sempadan seperti yang diminta dalam "
       "mesyuarat lalu.\nPejabat wilayah diminta menghantar ulasan sebelum 20 Jun.")
FA9 = ("ارزیابی گذرگاه‌های مرزی که در جلسه گذشته درخواست شده بود به پیوست ارسال می‌شود.\n"
       "ادارات استانی نظرات خود را تا ۲۰ خرداد ارسال کنند.")

NINTH: tuple[Case, ...] = (
    # ------------------------------------------------------------ Brazil (LAI 12.527/2011)
    Case("br", C, doc("TERMO DE CLASSIFICAÇÃO DE INFORMAÇÃO\nÓrgão/Entidade\tMinistério da Defesa\n"
                      "Código de indexação\t60000.001234/2025-11.R.03/06/2025.03/06/2030.N\n"
                      "Grau de sigilo\tRESERVADO\nCategoria\t06.01 Defesa\n"
                      "Fundamento legal\tArt. 23, inciso III, da Lei nº 12.527/2011\n\n" + PT9)),
    Case("br", C, pdf(PT9, header="RESERVADO", footer="RESERVADO")),
    Case("br", C, mail("[RESERVADO] Avaliação dos pontos de fronteira", PT9)),
    Case("br", C, doc(PT9, header="SECRETO",
                      footer="Documento classificado nos termos da Lei nº 12.527/2011")),
    Case("br", N, doc(PT9, header="Secretaria Nacional de Justiça")),
    Case("br", N, text("Espaço reservado ao protocolo\nNúmero do processo: ______\n"
                       "Data de entrada: ___/___/____")),
    Case("br", N, footed(PT9, "© 2025 Ministério da Justiça. Todos os direitos reservados.")),
    Case("draft-pt", D, doc(PT9, header="DOCUMENTO PREPARATÓRIO – Art. 7º, § 3º, da Lei nº 12.527/2011")),
    Case("draft-pt", D, docx_with(PT9, watermark="MINUTA")),
    Case("draft-pt", N, mail("Mensagem salva em Rascunhos", "Sua mensagem foi salva na pasta Rascunhos "
                             "e poderá ser enviada mais tarde.")),
    # ------------------------------------------------------------ Mexico (LGTAIP)
    Case("mx", C, doc("Leyenda de clasificación\nÁrea: Unidad de Política Migratoria\n"
                      "Clasificación: RESERVADA\nPeriodo de reserva: 5 años\n"
                      "Fundamento legal: artículo 113, fracción V, de la LGTAIP\n\n" + ES9)),
    Case("mx", C, footed(ES9, "CONFIDENCIAL – Información confidencial "
                                "en términos del artículo 116 de la LGTAIP")),
    Case("mx", N, text("Minuta de la reunión ordinaria del comité de transparencia\nAsistentes: 7\n"
                       "Acuerdos: se aprobó el calendario de sesiones.")),
    Case("mx", N, text("Lugar reservado para personas con discapacidad. Respete este espacio.")),
    # ------------------------------------------------------------ Chile, Colombia, Argentina, Peru …
    Case("cl", C, doc("OFICIO RESERVADO N° 45\nANT.: Solicitud de la Subsecretaría del Interior.\n"
                      "MAT.: Evaluación de pasos fronterizos.\nSANTIAGO, 3 de junio de 2025\n\n" + ES9)),
    Case("co", C, doc(ES9, header="INFORMACIÓN PÚBLICA RESERVADA")),
    Case("co", C, pdf(ES9, header="INFORMACIÓN PÚBLICA CLASIFICADA")),
    Case("co", N, text("Índice de información clasificada y reservada – actualizado a junio de 2025, según "
                       "la Ley 1712 de 2014.")),
    Case("ar", C, pdf(ES9, header="RESERVADO", footer="RESERVADO")),
    Case("ar", C, mail("CONFIDENCIAL – Evaluación de pasos fronterizos", ES9)),
    Case("pe", C, doc("SECRETO\nEjemplar N° 2 de 3\n\n" + ES9)),
    Case("uy", C, doc(ES9, header="RESERVADO")),
    Case("do", C, doc(ES9, header="CONFIDENCIAL", footer="CONFIDENCIAL")),
    Case("es", N, footed(ES9, "© 2025 Ministerio del Interior. Todos los derechos reservados.")),
    Case("draft-es", D, doc("PROYECTO DE DECRETO\n(versión del 3 de junio de 2025)\n\n"
                            "por el cual se reglamenta el control migratorio\n\n" + ES9)),
    Case("draft-es", D, doc(ES9, header="VERSIÓN PARA COMENTARIOS")),
    Case("draft-es", D, pdf(ES9, header="BORRADOR – SUJETO A CAMBIOS")),
    Case("draft-es", N, text("El proyecto de ley de presupuesto fue aprobado por el Senado, "
                             "informó la agencia.")),
    # ------------------------------------------------------------ Africa
    Case("za", C, pdf("TOP SECRET\nCopy 2 of 4\nREPUBLIC OF SOUTH AFRICA\nDEPARTMENT OF HOME AFFAIRS\n\n"
                      + EN9, footer="TOP SECRET")),
    Case("za", C, mail("RESTRICTED: border management update", EN9)),
    Case("za", C, doc(EN9, header="CONFIDENTIAL", footer="CONFIDENTIAL")),
    Case("ke", C, doc("REPUBLIC OF KENYA\nMINISTRY OF INTERIOR AND NATIONAL ADMINISTRATION\n"
                      "Ref. No. MOI/SEC/1/2/VOL.III/45\t3rd June, 2025\nCONFIDENTIAL\n\n" + EN9)),
    Case("ng", C, doc("FEDERAL MINISTRY OF DEFENCE\nRESTRICTED\nMEMO\nFrom: Permanent Secretary\n"
                      "To: Director, Logistics\n\n" + EN9)),
    Case("ao", C, doc(PT9, header="RESTRITO")),
    Case("mz", C, pdf(PT9, header="CONFIDENCIAL", footer="CONFIDENCIAL")),
    Case("ao", N, text("Área de acesso restrito a funcionários autorizados.")),
    Case("dz", C, doc(FR9, header="سري / SECRET")),
    Case("ma", C, doc(FR9, header="سري للغاية / TRÈS SECRET")),
    Case("cd", C, pdf(FR9, header="TRÈS SECRET", footer="TRÈS SECRET")),
    Case("gh", N, text("Confidential enquiries about your account: call our helpline on 0302 000 000.")),
    # ------------------------------------------------------------ Arabic, Persian, Turkish, Hebrew
    Case("ar", C, doc("الرقم: 123/2025\nالتاريخ: 3 يونيو 2025\nدرجة السرية: سري\n\n" + AR9)),
    Case("ar", C, doc("التصنيف: سري للغاية\n\n" + AR9)),
    Case("ar", C, pdf(AR9, header="سري")),
    Case("ar", C, mail("سري: محضر اجتماع لجنة المنافذ", AR9)),
    Case("ar", N, text("سياسة الخصوصية: نحافظ على سرية بياناتك ولا نشاركها مع أي طرف ثالث.")),
    Case("ar", N, text("نسيت كلمة السر؟ أدخل بريدك الإلكتروني لإعادة تعيينها.")),
    Case("ir", C, mail("محرمانه: ارزیابی گذرگاه‌های مرزی", FA9)),
    Case("tr", C, doc("Sayı: E-12345678-000-2025\nKonu: Sınır kapıları değerlendirmesi\n"
                      "Gizlilik Derecesi: GİZLİ\n\n" + TR9)),
    Case("tr", C, mail("ÇOK GİZLİ – sınır kapıları toplantı notları", TR9)),
    Case("tr", N, doc(TR9, header="Gizlilik Politikası")),
    Case("il", C, doc(HE, header="שמור\nעותק 2 מתוך 3")),
    # ------------------------------------------------------------ East and South-East Asia
    Case("jp", C, doc(JA9, header="取扱注意")),
    Case("jp", C, doc(JA9, header="秘　無期限")),
    Case("jp", N, text("ワレモノ　取扱注意\n天地無用\nお届け先：東京都千代田区")),
    Case("jp", N, doc(JA9, header="秘書課")),
    Case("kr", C, doc(KO9, header="대외비 (2026. 12. 31.까지)")),
    Case("kr", C, mail("[대외비] 출입국 거점 평가 결과", KO9)),
    Case("tw", C, doc(TW, header="機密（限閱）")),
    Case("cn", C, xlsx("口岸\t通关能力\n东兴\t120", header="秘密★1年")),
    Case("cn", C, doc(ZH9, header="内部资料 注意保存")),
    Case("cn", N, text("秘密花园手绘涂色书 成人解压 减压填色本 包邮")),
    Case("cn", N, text("机密文件柜 钢制带锁 办公室保密柜 厂家直销")),
    Case("vn", C, doc("Số: 123/BC-CQLXNC\nĐộ mật: Mật\n\n" + VI9)),
    Case("vn", C, pdf(VI9, header="TỐI MẬT")),
    Case("vn", N, text("Bộ Tư pháp lấy ý kiến về dự thảo Luật Xuất cảnh, nhập cảnh sửa đổi, "
                       "báo chí đưa tin.")),
    Case("th", C, doc("ชั้นความลับ ลับมาก\nที่ มท 0123/456\n\n" + TH9)),
    Case("th", N, text("เคล็ดลับการทำต้มยำกุ้งให้อร่อย ใส่ข่าตะไคร้ก่อนน้ำเดือด")),
    Case("ph", C, doc("SECRET\nCopy No. 2 of 5\nRepublic of the Philippines\n"
                      "BUREAU OF IMMIGRATION\n\n" + EN9)),
    Case("my", C, doc(MS9, header="TERHAD")),
    Case("my", N, text("Akses terhad kepada ahli berdaftar sahaja. Sila log masuk.")),
    Case("kz", C, doc(KK9, header="ҚҰПИЯ / СЕКРЕТНО")),
    # ------------------------------------------------------------ Russia and its neighbours
    Case("ru", C, doc("СЕКРЕТНО\nЭкз. № 1\n(без приложения несекретно)\n\n" + RU9)),
    Case("ru", C, doc(RU9, header="Совершенно секретно\n(Особая папка)")),
    Case("ru", C, mail("ДСП: график проверок пунктов пропуска", RU9)),
    Case("ru", C, footed(RU9, "Коммерческая тайна. Обладатель: АО «Северный порт», "
                              "190000, г. Санкт-Петербург")),
    Case("ru", N, doc(RU9, header="НЕСЕКРЕТНО")),
    Case("ru", N, text("Проект: внедрение CRM\nЭтап 1. Сбор требований — до 20 июня\n"
                       "Этап 2. Настройка — июль")),
    Case("ua", C, pdf(UK9, header="Таємно\nПрим. № 1")),
    Case("ua", N, text("Таємний Санта в офісі: правила гри та ідеї подарунків до 200 гривень.")),
    Case("md", C, doc(RO9, header="STRICT SECRET")),
    Case("az", C, doc(AZ9, header="TAM MƏXFİ")),
    Case("az", N, text("Məxfilik siyasəti: şəxsi məlumatlarınız üçüncü tərəflərə ötürülmür.")),
    Case("uz", C, doc(UZ9, header="MAXFIY")),
    Case("uz", N, text("Maxfiylik siyosati: shaxsiy ma'lumotlaringiz uchinchi shaxslarga berilmaydi.")),
    # ------------------------------------------------------------ Company and sector schemes
    Case("corp", C, mail("Q3 pricing proposal", EN9, ("Sensitivity", "Company-Confidential"))),
    Case("corp", C, xlsx("Region\tRevenue\nNorth\t1200", props=label("Confidential\\All Employees"))),
    Case("corp", C, doc(EN9, props=label("Highly Confidential\\Recipients Only"))),
    Case("corp", N, doc(EN9, props=label("Personal"))),
    Case("corp", C, footed(EN9, "Confidential & Proprietary")),
    Case("corp", C, doc(EN9, header="Information classification: CONFIDENTIAL")),
    Case("corp", C, odt(EN9, footer="Classification: Restricted")),
    Case("corp", N, footed(EN9, "Document classification: Public")),
    Case("corp", C, doc("STRICTLY PRIVATE & CONFIDENTIAL\nAddressee only\n\nDear Ms Okafor,\n\n" + EN9)),
    Case("corp", C, doc(EN9, header="PRIVILEGED & CONFIDENTIAL – ATTORNEY-CLIENT COMMUNICATION")),
    Case("corp", C, doc(EN9, header="CONFIDENTIAL TREATMENT REQUESTED BY ACME CORP. PURSUANT TO 17 C.F.R. "
                             "§ 200.83")),
    Case("corp", N, text("Private and confidential counselling for staff and their families, free of "
                         "charge, through our employee assistance programme.")),
    Case("nato", C, doc("(NS) The task group will move to the northern area on 14 June.\n"
                        "(NS) Two submarines join the group.\n(NU) Press lines will follow.")),
    Case("tlp", C, subject_mail("[TLP:RED] Indicators for incident 2025-204")),
    # ------------------------------------------------------------ Drafts
    Case("draft-en", D, doc(EN9, header="PRE-DECISIONAL AND DELIBERATIVE")),
    Case("draft-en", D, pdf(EN9, header="WORKING DRAFT – NOT FOR DISTRIBUTION")),
    Case("draft-en", D, doc("ZERO DRAFT\n\n"
                            "Outcome document of the regional conference on migration\n\n" + EN9)),
    Case("draft-en", D, docx_with(EN9, props=(("Document Status", "Draft for review"),),
                                  core=(("title", "Border assessment"),))),
    Case("draft-en", D, docx_with(EN9, core=(("version", "0.3 DRAFT"), ("content_status", "Draft")))),
    Case("draft-en", D, pdf_with(EN9, core=(("title", "DRAFT – Border crossing assessment"),))),
    Case("draft-de", D, footed(DE9, "Entwurf – nicht zur Weitergabe")),
    Case("draft-de", D, doc(DE9, header="Arbeitsentwurf")),
    Case("draft-fr", D, doc(FR9, header="VERSION PROVISOIRE")),
    Case("draft-it", D, doc(IT9, header="BOZZA NON DEFINITIVA")),
    Case("draft-it", N, text("Correzione di bozze: corso online per redattori e traduttori.")),
    Case("draft-ru", D, doc(RU9, header="ЧЕРНОВИК")),
    Case("draft-tr", D, doc(TR9, header="TASLAK – DAĞITILMAZ")),
    Case("draft-vi", D, doc(VI9, header="BẢN NHÁP")),
    Case("draft-th", D, doc("(ร่าง)\nระเบียบกระทรวงมหาดไทย\nว่าด้วยการตรวจคนเข้าเมือง\n\n" + TH9)),
    Case("draft-zh", D, doc(ZH9, header="初稿")),
    Case("draft-zh", D, doc(ZH9, header="征求意见稿")),
    Case("draft-zh", N, text("美国众议院通过了一项关于人工智能监管的法律草案，参议院尚未表决。")),
    Case("draft-ko", D, mail("[초안] 출입국 거점 평가 결과", KO9)),
    Case("draft-ja", D, doc(JA9, header="たたき台")),
    Case("draft-en", N, text("Specifications\nLength overall: 12.4 m\nBeam: 4.1 m\n"
                             "Draft: 2.1 m\nDisplacement: 9,800 kg")),
    Case("draft-en", N, text("The 1969 draft lottery decided which young men would be called up to serve in "
                             "Vietnam, a new history of the Selective Service recounts.")),
    Case("draft-en", N, text("Door draft excluder, 90 cm, grey fleece – keeps cold air out. Free delivery.")),
    # ------------------------------------------------------------ Hard negatives in English
    Case("corp", N, text("Victoria's Secret opens its new flagship store on Regent Street this weekend.")),
    Case("corp", N, mail("Secret Santa: draw on Friday", "Bring a gift under £10. "
                         "Names will be drawn at 4pm.")),
    Case("corp", N, text("Top Secret! (1984) is a spy spoof by Zucker, Abrahams and Zucker starring Val "
                         "Kilmer.")),
    Case("corp", N, text("L.A. Confidential and Kitchen Confidential top the list of the book club's "
                         "favourites this year.")),
    Case("corp", N, text("CLASSIFIEDS\nFor sale: child's bicycle, good condition, £40.\n"
                         "Wanted: garage to rent.")),
    Case("corp", N, text("Classification: Animalia > Chordata > Mammalia > Carnivora > Felidae > Panthera\n"
                         "The snow leopard lives in the mountains of Central Asia.")),
    Case("corp", N, doc("MUTUAL NON-DISCLOSURE AGREEMENT (TEMPLATE)\n1. Confidential Information.\n"
                        "The Receiving Party shall keep the Confidential Information secret and use it only "
                        "for the Purpose.")),
    Case("corp", N, text("RESTRICTED AREA\nAuthorised personnel only beyond this point.")),
    Case("corp", N, text("Secret Clinical Strength deodorant, 48-hour protection, now two for £5.")),
    # ------------------------------------------------------------ Other places and layouts
    Case("br", C, master("Avaliação de fronteiras\nResultados preliminares", "RESERVADO")),
    Case("mx", C, rtf(ES9, header="RESERVADA")),
    Case("ru", C, deck("Оценка пунктов пропуска\nИтоги проверки", box="СЕКРЕТНО")),
    Case("ar", C, xlsx("المنفذ\tالعدد\nالشمالي\t120", header="سري للغاية")),
    Case("corp", C, html("Q3 pricing", "<p style=\"color:red\"><b>CONFIDENTIAL &amp; PROPRIETARY</b></p>"
                         "<p>Attached is the pricing proposal for the northern region.</p>")),
    Case("es", C, picture("RESERVADO")),
)


# Items an earlier round holds are dropped; the others the test's keys would confuse
# are tagged "r9 KIND WHAT", WHAT the first of these fields an item sets.
_held_out = partial(held_out, earlier=earlier.CASES, round_tag="r9",
                    fields=("master", "footer", "subject", "watermark"))


# Hard negatives added with the fixes, beside the forms and positions they added (not part
# of the held-out figure).
ADDED: tuple[Case, ...] = (
    Case("mx", N, text("Reservada\nMesa 12 – 4 personas – 21:00 h\nCumpleaños de Lucía")),
    Case("cl", N, text("El oficio reservado N° 45 fue desclasificado por el tribunal, informó el diario.")),
    Case("ru", N, mail("ДСП: цены на листы 16 мм", "Прайс на ламинированные плиты во вложении.")),
    Case("draft-pl", N, text("Projekt: migracja serwerów – etap 1\nTermin: 20 czerwca\n"
                             "Odpowiedzialny: dział IT")),
    Case("draft-vi", N, text("Lưu bản nháp thành công. Bạn có thể tiếp tục soạn thư sau.")),
    Case("draft-es", N, text("La versión para comentarios del reglamento se publicó en el Diario Oficial.")),
    Case("draft-es", N, text("Proyecto de decreto: la consulta pública está abierta hasta el 30 de junio.")),
    Case("draft-pt", N, text("O acesso ao documento preparatório é assegurado após a decisão, diz a LAI.")),
    Case("kr", N, text("대외비 (2026. 12. 31.까지) 표시 문건이 유출됐다고 신문이 보도했다.")),
    Case("ir", N, mail("محرمانه بودن اطلاعات مشتریان: راهنمای جدید", FA9)),
    Case("jp", N, text("「秘 無期限」と押印された外交文書が公開された。")),
    Case("corp", N, text("Strictly private & confidential counselling, available 24/7 by phone or chat.")),
)

NINTH = _held_out(NINTH) + _held_out(ADDED)
CASES: tuple[Case, ...] = earlier.CASES + NINTH
