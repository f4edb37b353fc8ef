"""The held-out corpus's tenth round, and every round together (``CASES``).

Written before reading the rules or the vocabulary, from public descriptions of marking
registers and of how marked papers are laid out, in the languages and places earlier rounds
reached in one layout or not at all:

- East Asia: Korea's levels under the security regulation (Ⅱ급비밀, 3급비밀 with a copy number,
  대외비 in a footer and a sheet, companies' 사외비 and 극비), drafts (초안 in a footer, a title's
  (안), 수정안 in a header); Japan's 極秘, 部外秘, 社外秘, 関係者外秘, ㊙ as the stamp is typed,
  the government's 機密性３ labels, drafts (【案】, 素案, 未定稿); China's 秘密 with its period in
  a cell, 商密 with its period; hard negatives: 비밀번호, 극비 in a film title, 秘書課 and 秘书处,
  ご案内, 秘伝のタレ, news of a leak;
- Russia and its neighbours: ДЛЯ СЛУЖЕБНОГО ПОЛЬЗОВАНИЯ with its copy number, ОСОБОЙ ВАЖНОСТИ,
  КОНФИДЕНЦИАЛЬНО in a subject; Ukraine's ДЛЯ СЛУЖБОВОГО КОРИСТУВАННЯ, ЦІЛКОМ ТАЄМНО and the
  2019 spelling ПРОЄКТ above a draft law; hard negatives: проект and проєкт as projects,
  секретный ингредиент;
- Central Europe: Poland's ZASTRZEŻONE, TAJNE with its copy number, ŚCIŚLE TAJNE, a draft
  regulation's "Projekt z dnia"; Czechia's DŮVĚRNÉ, PŘÍSNĚ TAJNÉ, Slovakia's VYHRADENÉ, Hungary's
  KORLÁTOZOTT TERJESZTÉSŰ!, Romania's SECRET DE SERVICIU, NESECRET as a negative;
- the Low Countries and the North: Stg. GEHEIM, Stg. ZEER GEHEIM, Departementaal Vertrouwelijk
  in a subject, CONCEPT – niet verspreiden, Sweden's HEMLIG citing OSL, Norway's STRENGT
  HEMMELIG and "Unntatt offentlighet", Denmark's TIL TJENESTEBRUG, Finland's SALAINEN with its
  class, drafts UDKAST and LUONNOS; hard negatives: "het concept", "utkast" in football
  (the draft of players), Danish "fortrolig" in a helpline;
- the Mediterranean and the Middle East: Turkey's HİZMETE ÖZEL and KİŞİYE ÖZEL, Greece's
  ΑΠΟΡΡΗΤΟ and ΑΚΡΩΣ ΑΠΟΡΡΗΤΟ, ΑΔΙΑΒΑΘΜΗΤΟ as a negative, Arabic سري جداً, Hebrew סודי ביותר
  and טיוטה, Persian به‌کلی سری; drafts مسودة, σχέδιο, taslak; hard negatives: مشروع, σχέδιο as a
  plan, gizli tarif;
- South and South-East Asia: Hindi गोपनीय, Indonesia's SANGAT RAHASIA, Malaysia's RAHSIA BESAR,
  Vietnam's TUYỆT MẬT, Thailand's ลับที่สุด; drafts rancangan, dự thảo in a header; hard
  negatives: mật ong, mật khẩu, ลับมีด, rahasia resep;
- Southern Europe and Brazil: ULTRASSECRETO, RISERVATISSIMO, SEGRETISSIMO, RASCUNHO, BOZZA in a
  footer; hard negatives: bozza del logo, rascunho of a school essay;
- international and company schemes: NATO SECRET, COSMIC TOP SECRET – ATOMAL, NATO UNCLASSIFIED
  (low, not held), SECRET UE/EU SECRET, OSCE RESTRICTED, Commercial in Confidence, CUI with
  its categories, Sensitive But Unclassified, OFFICIAL–SENSITIVE: COMMERCIAL, TLP:AMBER+STRICT,
  TLP:CLEAR (not held), [CONFIDENTIAL] and [INTERNAL ONLY] subject tags, attorney-client
  privilege in a PDF footer, "Proprietary and Confidential" on a slide master;
- adversarial: 대 외 비 spaced, Ｓｔｇ．ＧＥＨＥＩＭ in full width, ㊙, POUFNE with letters
  spaced by dots.
"""

from __future__ import annotations

from functools import partial

from tests.corpus_heldout import round9 as earlier
from tests.corpus_heldout.cases import (
    C,
    Case,
    D,
    N,
    deck,
    doc,
    docx_with,
    held_out,
    html,
    mail,
    pdf,
    text,
    xlsx,
)
from tests.corpus_heldout.round4 import footed, rtf
from tests.corpus_heldout.round5 import odt
from tests.corpus_heldout.round6 import subject_mail
from tests.corpus_heldout.round7 import master

EN10 = ("Please find attached the after-action report of the harbour security exercise.\n"
        "Units are asked to confirm the corrective actions by 14 July.")
KO10 = ("항만 보안 훈련 결과 보고서를 붙임과 같이 송부합니다.\n"
        "각 부대는 7월 14일까지 개선 조치를 확인하여 주시기 바랍니다.")
JA10 = ("港湾警備訓練の結果報告書を別添のとおり送付します。\n"
        "各部隊は7月14日までに是正措置を確認してください。")
ZH10 = ("现将港口安保演练总结报告印发给你们。\n请各单位于7月14日前反馈整改落实情况。")
RU10 = ("Направляем отчёт о проведении учений по охране порта.\n"
        "Просим подтвердить выполнение корректирующих мер до 14 июля.")
UK10 = ("Надсилаємо звіт про проведення навчань з охорони порту.\n"
        "Просимо підтвердити виконання коригувальних заходів до 14 липня.")
PL10 = ("Przekazuję sprawozdanie z ćwiczeń ochrony portu.\n"
        "Proszę o potwierdzenie wykonania działań naprawczych do 14 lipca.")
CS10 = ("Zasíláme zprávu o cvičení ochrany přístavu.\nNápravná opatření potvrďte do 14. července.")
SK10 = ("Zasielame správu o cvičení ochrany prístavu.\nNápravné opatrenia potvrďte do 14. júla.")
HU10 = ("Megküldöm a kikötővédelmi gyakorlat értékelő jelentését.\n"
        "A javító intézkedéseket július 14-ig kérem visszaigazolni.")
RO10 = ("Vă transmitem raportul exercițiului de securitate portuară.\n"
        "Vă rugăm să confirmați măsurile corective până la 14 iulie.")
NL10 = ("Hierbij ontvangt u het evaluatierapport van de havenbeveiligingsoefening.\n"
        "Eenheden wordt verzocht de verbetermaatregelen vóór 14 juli te bevestigen.")
SV10 = ("Härmed översänds utvärderingen av hamnskyddsövningen.\n"
        "Förbanden ombeds bekräfta åtgärderna senast den 14 juli.")
NO10 = ("Vedlagt følger evalueringsrapporten fra havnesikringsøvelsen.\n"
        "Avdelingene bes bekrefte tiltakene innen 14. juli.")
DA10 = ("Hermed fremsendes evalueringsrapporten fra havnesikringsøvelsen.\n"
        "Enhederne bedes bekræfte tiltagene senest den 14. juli.")
FI10 = ("Oheisena lähetetään satamaturvallisuusharjoituksen arviointiraportti.\n"
        "Yksiköitä pyydetään vahvistamaan korjaavat toimet 14. heinäkuuta mennessä.")
TR10 = ("Liman güvenliği tatbikatının değerlendirme raporu ekte sunulmuştur.\n"
        "Birliklerin düzeltici faaliyetleri 14 Temmuz'a kadar teyit etmeleri rica olunur.")
EL10 = ("Σας διαβιβάζουμε την έκθεση αξιολόγησης της άσκησης ασφάλειας λιμένα.\n"
        "Οι μονάδες παρακαλούνται να επιβεβαιώσουν τις διορθωτικές ενέργειες έως τις 14 Ιουλίου.")
AR10 = ("نرفق طيه تقرير تقييم تمرين أمن الميناء.\nيرجى من الوحدات تأكيد الإجراءات التصحيحية قبل 14 يوليو.")
HE10 = ("מצורף דוח הסיכום של תרגיל אבטחת הנמל.\nהיחידות מתבקשות לאשר את פעולות התיקון עד 14 ביולי.")
FA10 = ("گزارش ارزیابی رزمایش امنیت بندر به پیوست ارسال می‌شود.\n"
        "یگان‌ها اقدامات اصلاحی را تا ۲۳ تیر تأیید کنند.")
HI10 = ("बंदरगाह सुरक्षा अभ्यास की मूल्यांकन रिपोर्ट संलग्न है।\n"
        "सभी इकाइयाँ 14 जुलाई तक सुधारात्मक कार्रवाई की पुष्टि करें।")
ID10 = ("Bersama ini kami sampaikan laporan evaluasi latihan keamanan pelabuhan.\n"
        "Satuan diminta mengonfirmasi tindakan perbaikan paling lambat 14 Juli.")
MS10 = ("Bersama-sama ini disertakan laporan penilaian latihan keselamatan pelabuhan.\n"
        "Unit diminta mengesahkan tindakan pembetulan sebelum 14 Julai.")
VI10 = ("Gửi kèm báo cáo đánh giá cuộc diễn tập an ninh cảng biển.\n"
        "Đề nghị các đơn vị xác nhận các biện pháp khắc phục trước ngày 14/7.")
TH10 = ("ขอส่งรายงานผลการฝึกซ้อมการรักษาความปลอดภัยท่าเรือ\nขอให้หน่วยยืนยันมาตรการแก้ไขภายในวันที่ 14 กรกฎาคม")
PT10 = ("Encaminhamos o relatório de avaliação do exercício de segurança portuária.\n"
        "As unidades devem confirmar as ações corretivas até 14 de julho.")
IT10 = ("Si trasmette il rapporto di valutazione dell'esercitazione di sicurezza portuale.\n"
        "I reparti sono pregati di confermare le azioni correttive entro il 14 luglio.")

TENTH: tuple[Case, ...] = (
    # ------------------------------------------------------------ Korea
    Case("kr", C, doc("Ⅱ급비밀\n\n" + KO10, footer="Ⅱ급비밀")),
    Case("kr", C, doc(KO10, header="3급비밀\n사본 번호 2/5")),
    Case("kr", C, footed(KO10, "대외비")),
    Case("kr", C, xlsx("항만\t점검 결과\n부산\t양호", header="대외비")),
    Case("kr", C, doc(KO10, header="사외비")),
    Case("kr", C, mail("[극비] 항만 보안 훈련 결과", KO10)),
    Case("kr", N, text("비밀번호를 잊으셨나요? 가입한 이메일 주소를 입력하면 재설정 링크를 보내드립니다.")),
    Case("kr", N, text("영화 '극비수사'가 재개봉한다. 1978년 부산 유괴 사건을 다룬 작품이다.")),
    Case("kr", N, text("우리 가게 비밀 레시피: 양념장에 배즙을 넣고 하루 숙성합니다.")),
    Case("draft-ko", D, footed(KO10, "초안 – 배포 금지")),
    Case("draft-ko", D, doc("항만 보안 강화 방안(안)\n\n" + KO10)),
    Case("draft-ko", D, doc(KO10, header="수정안")),
    Case("draft-ko", N, text("국회는 정부가 제출한 예산안 초안을 두고 여야 간 이견이 크다고 밝혔다.")),
    # ------------------------------------------------------------ Japan
    Case("jp", C, doc(JA10, header="極秘")),
    Case("jp", C, doc(JA10, header="部外秘")),
    Case("jp", C, footed(JA10, "社外秘")),
    Case("jp", C, mail("【社外秘】港湾警備訓練の結果について", JA10)),
    Case("jp", C, doc(JA10, header="関係者外秘")),
    Case("jp", C, doc(JA10, header="機密性３情報")),
    Case("jp", C, pdf(JA10, header="㊙")),
    Case("jp", N, mail("【ご案内】夏季休業のお知らせ", "誠に勝手ながら8月13日から16日まで休業いたします。")),
    Case("jp", N, text("創業以来継ぎ足してきた秘伝のタレで焼き上げる鰻重。")),
    Case("jp", N, text("秘書課からのお知らせ：来客用駐車場の利用方法が変わります。")),
    Case("jp", N, text("映画『極秘任務』は来月公開。主演は人気俳優。")),
    Case("draft-ja", D, doc("【案】\n港湾警備体制の見直しについて\n\n" + JA10)),
    Case("draft-ja", D, doc(JA10, header="素案")),
    Case("draft-ja", D, footed(JA10, "未定稿")),
    Case("draft-ja", N, text("ご提案いただいた案内図の件、ありがとうございました。")),
    # ------------------------------------------------------------ China
    Case("cn", C, xlsx("项目\t状态\n演练\t完成", header="秘密★5年")),
    Case("cn", C, doc(ZH10, header="商密★3年")),
    Case("cn", N, text("秘书处通知：本周五下午召开全体会议，请准时参加。")),
    Case("cn", N, text("某科技公司机密文件泄露事件引发关注，警方已介入调查。")),
    # ------------------------------------------------------------ Russia, Ukraine
    Case("ru", C, doc("ДЛЯ СЛУЖЕБНОГО ПОЛЬЗОВАНИЯ\nЭкз. № 2\n\n" + RU10)),
    Case("ru", C, pdf(RU10, header="ОСОБОЙ ВАЖНОСТИ")),
    Case("ru", C, mail("КОНФИДЕНЦИАЛЬНО: итоги учений по охране порта", RU10)),
    Case("ru", C, odt(RU10, header="Для служебного пользования")),
    Case("ru", N, text("Секретный ингредиент борща: ложка сахара и немного уксуса.")),
    Case("ru", N, text("Проект нового стадиона представили жителям района в субботу.")),
    Case("ua", C, doc(UK10, header="ДЛЯ СЛУЖБОВОГО КОРИСТУВАННЯ")),
    Case("ua", C, pdf("ЦІЛКОМ ТАЄМНО\nПрим. № 1\n\n" + UK10)),
    Case("draft-uk", D, doc("ПРОЄКТ\n\nЗАКОН УКРАЇНИ\nПро внесення змін до Закону України "
                            "«Про морські порти України»\n\n" + UK10)),
    Case("draft-uk", D, doc(UK10, header="Проєкт")),
    Case("draft-uk", N, text("Проєкт «Відновлення» отримав грант на ремонт шкіл у громаді.")),
    Case("draft-ru", D, doc(RU10, header="ПРОЕКТ")),
    # ------------------------------------------------------------ Central Europe
    Case("pl", C, doc(PL10, header="ZASTRZEŻONE")),
    Case("pl", C, doc("TAJNE\nEgz. nr 1\n\n" + PL10)),
    Case("pl", C, pdf(PL10, header="ŚCIŚLE TAJNE", footer="ŚCIŚLE TAJNE")),
    Case("pl", C, mail("POUFNE – sprawozdanie z ćwiczeń ochrony portu", PL10)),
    Case("pl", N, text("Tajne przez poufne – poradnik, jak rozmawiać z dziećmi o pieniądzach.")),
    Case("draft-pl", D, doc("Projekt z dnia 3 lipca 2025 r.\n\nROZPORZĄDZENIE MINISTRA INFRASTRUKTURY\n"
                            "w sprawie ochrony portów morskich\n\n" + PL10)),
    Case("draft-pl", N, text("Projekt budowy nowego mostu w Toruniu uzyskał dofinansowanie z UE.")),
    Case("cz", C, doc(CS10, header="DŮVĚRNÉ")),
    Case("cz", C, pdf(CS10, header="PŘÍSNĚ TAJNÉ")),
    Case("sk", C, doc(SK10, header="VYHRADENÉ")),
    Case("sk", C, mail("DÔVERNÉ: správa o cvičení ochrany prístavu", SK10)),
    Case("draft-cs", D, doc(CS10, header="NÁVRH")),
    Case("draft-cs", N, text("Návrh interiéru: moderní kuchyně s ostrůvkem, cena na dotaz.")),
    Case("hu", C, doc(HU10, header="KORLÁTOZOTT TERJESZTÉSŰ!")),
    Case("hu", C, pdf(HU10, header="SZIGORÚAN TITKOS!")),
    Case("ro", C, doc(RO10, header="SECRET DE SERVICIU")),
    Case("ro", C, doc("STRICT SECRET DE IMPORTANȚĂ DEOSEBITĂ\nExemplar nr. 1\n\n" + RO10)),
    Case("ro", N, doc(RO10, header="NESECRET")),
    Case("draft-ro", D, doc(RO10, header="PROIECT")),
    Case("draft-ro", N, text("Proiectul noului parc din cartier a fost prezentat locuitorilor.")),
    # ------------------------------------------------------------ The Low Countries and the North
    Case("nl", C, doc(NL10, header="Stg. GEHEIM")),
    Case("nl", C, pdf(NL10, header="Stg. ZEER GEHEIM", footer="Stg. ZEER GEHEIM")),
    Case("nl", C, mail("Departementaal Vertrouwelijk: evaluatie havenbeveiligingsoefening", NL10)),
    Case("nl", C, footed(NL10, "Stg. CONFIDENTIEEL")),
    Case("draft-nl", D, doc(NL10, header="CONCEPT – niet verspreiden")),
    Case("draft-nl", D, footed(NL10, "Conceptversie 0.4")),
    Case("draft-nl", N, text("Het concept van de nieuwe winkel: minder schappen, meer beleving.")),
    Case("se", C, doc(SV10, header="HEMLIG\nenligt 15 kap. 2 § OSL")),
    Case("se", C, doc(SV10, header="KVALIFICERAT HEMLIG")),
    Case("no", C, doc(NO10, header="STRENGT HEMMELIG")),
    Case("no", C, doc(NO10, header="Unntatt offentlighet\noffl. § 13, jf. sikkerhetsloven § 5-3")),
    Case("no", C, mail("KONFIDENSIELT: evaluering av havnesikringsøvelsen", NO10)),
    Case("dk", C, doc(DA10, header="TIL TJENESTEBRUG")),
    Case("dk", C, pdf(DA10, header="YDERST HEMMELIGT")),
    Case("dk", N, text("Fortrolig rådgivning døgnet rundt: ring til vores hotline.")),
    Case("fi", C, doc(FI10, header="SALAINEN\nTL II\nJulkL 24 § 1 mom. 10 k")),
    Case("fi", C, doc(FI10, header="KÄYTTÖ RAJOITETTU")),
    Case("draft-da", D, doc(DA10, header="UDKAST")),
    Case("draft-fi", D, footed(FI10, "LUONNOS 3.7.2025")),
    Case("draft-sv", N, text("Inför NHL-draften: tre svenska talanger rankas högt i årets utkast.")),
    # ------------------------------------------------------------ Turkey, Greece, Middle East
    Case("tr", C, doc(TR10, header="HİZMETE ÖZEL")),
    Case("tr", C, mail("KİŞİYE ÖZEL – liman güvenliği tatbikatı", TR10)),
    Case("tr", N, text("Annemin gizli tarifi: kuru fasulyeye bir tutam tarçın ekleyin.")),
    Case("draft-tr", D, doc(TR10, header="TASLAK")),
    Case("draft-tr", N, text("Kompozisyon ödevinin taslağını cuma gününe kadar öğretmene verin.")),
    Case("gr", C, doc(EL10, header="ΑΠΟΡΡΗΤΟ")),
    Case("gr", C, pdf(EL10, header="ΑΚΡΩΣ ΑΠΟΡΡΗΤΟ")),
    Case("gr", C, doc(EL10, header="ΠΕΡΙΟΡΙΣΜΕΝΗΣ ΧΡΗΣΗΣ")),
    Case("gr", N, doc(EL10, header="ΑΔΙΑΒΑΘΜΗΤΟ")),
    Case("draft-el", D, doc(EL10, header="ΣΧΕΔΙΟ")),
    Case("draft-el", N, text("Το σχέδιο της νέας πλατείας παρουσιάστηκε στους κατοίκους του δήμου.")),
    Case("ar", C, doc(AR10, header="سري جداً")),
    Case("ar", C, mail("سري للغاية – تقرير تمرين أمن الميناء", AR10)),
    Case("draft-ar", D, doc(AR10, header="مسودة")),
    Case("draft-ar", D, doc("مسودة للنقاش\n\n" + AR10)),
    Case("draft-ar", N, text("افتتاح مشروع توسعة الميناء الجديد بحضور وزير النقل.")),
    Case("il", C, doc(HE10, header="סודי ביותר")),
    Case("il", C, pdf(HE10, header="סודי")),
    Case("draft-he", D, doc(HE10, header="טיוטה")),
    Case("ir", C, doc(FA10, header="به‌کلی سری")),
    # ------------------------------------------------------------ South and South-East Asia
    Case("in", C, doc(HI10, header="गोपनीय")),
    Case("id", C, doc(ID10, header="SANGAT RAHASIA")),
    Case("id", N, text("Rahasia resep rendang Padang yang empuk: masak dengan api kecil selama empat jam.")),
    Case("my", C, doc(MS10, header="RAHSIA BESAR")),
    Case("my", C, mail("SULIT: Laporan latihan keselamatan pelabuhan", MS10)),
    Case("draft-ms", D, doc(MS10, header="RANCANGAN")),
    Case("vn", C, doc(VI10, header="TUYỆT MẬT")),
    Case("vn", C, mail("MẬT – Báo cáo diễn tập an ninh cảng biển", VI10)),
    Case("vn", N, text("Mật ong rừng nguyên chất, chai 500 ml, giao hàng toàn quốc.")),
    Case("vn", N, text("Quên mật khẩu? Nhập địa chỉ email để đặt lại.")),
    Case("draft-vi", D, doc(VI10, header="DỰ THẢO")),
    Case("th", C, doc(TH10, header="ลับที่สุด")),
    # The corpus draws PDFs with DejaVu, which has no Thai: an ODT header instead.
    Case("th", C, odt(TH10, header="ลับมาก")),
    Case("th", N, text("วิธีลับมีดให้คมด้วยหินลับมีด ทำได้ง่ายที่บ้าน")),
    # ------------------------------------------------------------ Southern Europe and Brazil
    Case("br", C, doc(PT10, header="ULTRASSECRETO")),
    Case("draft-pt", D, doc(PT10, header="RASCUNHO")),
    Case("draft-pt", N, text("Faça um rascunho da redação antes de passar a limpo, orienta a professora.")),
    Case("it", C, doc(IT10, header="RISERVATISSIMO")),
    Case("it", C, pdf(IT10, header="SEGRETISSIMO", footer="SEGRETISSIMO")),
    Case("it", C, mail("RISERVATO – rapporto esercitazione sicurezza portuale", IT10)),
    Case("draft-it", D, footed(IT10, "BOZZA")),
    Case("draft-it", N, text("Ecco la bozza del logo per la pizzeria: dimmi se ti piacciono i colori.")),
    # ------------------------------------------------------------ International bodies
    Case("nato", C, doc(EN10, header="NATO SECRET", footer="NATO SECRET")),
    Case("nato", C, pdf(EN10, header="COSMIC TOP SECRET – ATOMAL")),
    Case("nato", N, doc(EN10, header="NATO UNCLASSIFIED")),
    Case("eu", C, doc(EN10, header="SECRET UE/EU SECRET")),
    Case("osce", C, doc(EN10, header="OSCE RESTRICTED")),
    # ------------------------------------------------------------ Company and sector schemes
    Case("corp", C, doc(EN10, header="COMMERCIAL IN CONFIDENCE")),
    Case("au", C, footed(EN10, "Commercial-in-Confidence")),
    Case("us", C, doc("CUI//SP-PRVCY\n\n" + EN10, footer="CUI")),
    Case("us", C, doc("CONTROLLED UNCLASSIFIED INFORMATION\nCategories: LEI, PRVCY\n"
                      "Dissemination: FEDCON\nPOC: J. Rivera\n\n" + EN10)),
    Case("us", C, doc(EN10, header="SENSITIVE BUT UNCLASSIFIED")),
    Case("uk", C, doc(EN10, header="OFFICIAL–SENSITIVE: COMMERCIAL")),
    Case("tlp", C, subject_mail("TLP:AMBER+STRICT Phishing campaign against port operators")),
    Case("tlp", C, html("Threat note", "<p><span style=\"color:#FFC000;background:#000\">TLP:AMBER</span>"
                        "</p><p>Indicators for the phishing campaign against port operators.</p>")),
    Case("tlp", N, subject_mail("TLP:CLEAR Monthly threat landscape newsletter")),
    Case("corp", C, subject_mail("[CONFIDENTIAL] Harbour exercise lessons learned")),
    Case("corp", N, subject_mail("[INTERNAL ONLY] Canteen menu for next week")),
    Case("corp", C, pdf(EN10, footer="Privileged & Confidential – Attorney-Client Communication")),
    Case("corp", C, master("Harbour exercise\nLessons learned", "Proprietary and Confidential")),
    Case("corp", C, rtf(EN10, header="STRICTLY CONFIDENTIAL")),
    Case("corp", C, docx_with(EN10, watermark="CONFIDENTIAL")),
    Case("corp", N, text("Our chef's secret: brown the butter before adding it to the batter.")),
    Case("corp", N, text("The brewery's seasonal IPA is now on draft at all our pubs.")),
    Case("corp", N, text("Sensitive skin? Try our fragrance-free moisturiser, now 20% off.")),
    Case("corp", N, deck("Quarterly town hall\nAll staff welcome", box="Internal Only")),
    # ------------------------------------------------------------ Adversarial forms
    Case("adversarial", C, doc(KO10, header="대 외 비")),
    Case("adversarial", C, doc(NL10, header="Ｓｔｇ．ＧＥＨＥＩＭ")),
    Case("adversarial", C, doc(PL10, header="P.O.U.F.N.E")),
    Case("adversarial", C, doc(RU10, header="С Е К Р Е Т Н О")),
)


# Items an earlier round holds are dropped; the others the test's keys would confuse
# are tagged "r10 KIND WHAT", WHAT the first of these fields an item sets.
_held_out = partial(held_out, earlier=earlier.CASES, round_tag="r10",
                    fields=("master", "footer", "subject", "watermark"))


# Hard negatives added with the fixes, beside the forms and positions they added (not part
# of the held-out figure).
ADDED: tuple[Case, ...] = (
    Case("draft-ko", N, text("국회 본회의에서 정부 수정안이 가결됐다고 신문이 보도했다.")),
    Case("draft-ko", N, footed(KO10, "초안 작성자 김민수 · 최종 승인 2025.7.3")),
    Case("draft-ja", N, footed(JA10, "ドラフト - 1位指名選手一覧")),
    Case("my", N, mail("Sulit: soal ujian matematika minggu depan", MS10)),
    Case("vn", N, mail("MẬT ONG RỪNG: giảm giá 20% tuần này", VI10)),
    Case("tlp", N, subject_mail("What TLP:AMBER means for our partners")),
    Case("tlp", N, subject_mail("TLP:GREEN Advisory on port operator phishing")),
    Case("ir", N, text("پرونده‌های به‌کلی سری دهه شصت پس از پنجاه سال منتشر شد، روزنامه نوشت.")),
)

TENTH = _held_out(TENTH) + _held_out(ADDED)
CASES: tuple[Case, ...] = earlier.CASES + TENTH
