"""Ordinary writing that uses marking words in their everyday senses: every case must pass.

Written from how offices, engineering teams, shops, newsrooms, museums, schools and public
bodies write in English, Chinese and Spanish, not from Redline's rules: a secret recipe,
Secret Santa, a confidential helpline, draft beer and the NFL draft, a novelist's first
draft in a newsletter, 秘密花园, 机密性 in a security textbook, 草稿箱, a bill's borrador
in a press release, a "Restricted area" sign, "For official use" on a museum form, and a
public law text that describes classification levels. Each is carried as real mail carries
it: plain mail, HTML mail, a Word document with a header and footer, a PDF. The words
stand where markings stand too (a first line, a title, a page header, a subject), because
that is where ordinary documents put their headings.
"""

from __future__ import annotations

from tests.corpus_heldout.cases import Case, N, doc, html, mail, pdf, text

ORDINARY: tuple[Case, ...] = (
    # ------------------------------------------------------------------ English: office life
    Case(
        "ordinary-en",
        N,
        mail(
            "Secret Santa 2026 – sign up by Friday",
            "Hi all,\n\nIt's that time of year again! Our office Secret Santa is on 18 December.\n"
            "Spending limit is £15. Reply to this mail with your name and one thing you like, and\n"
            "I'll draw names on Monday. Please keep your match a secret until the party.\n\n"
            "Thanks,\nPriya (Social Committee)",
        ),
    ),
    Case(
        "ordinary-en",
        N,
        html(
            "Grandma's secret recipe for the bake sale",
            "<p>Hello neighbours,</p><p>By popular demand, here is the <b>secret recipe</b> for the "
            "lemon drizzle cake from last year's bake sale. The secret is a spoon of yoghurt in "
            "the batter.</p><ul><li>225 g butter</li><li>225 g caster sugar</li><li>4 eggs</li></ul>"
            "<p>See you on Saturday at the church hall!</p>",
        ),
    ),
    Case(
        "ordinary-en",
        N,
        mail(
            "Employee Assistance Programme – confidential helpline",
            "Dear colleagues,\n\nA reminder that our Employee Assistance Programme offers a free,\n"
            "confidential helpline, open 24 hours a day, 365 days a year: 0800 123 4567.\n"
            "Calls are confidential and are not reported to your manager or to HR.\n\n"
            "People Team",
        ),
    ),
    Case(
        "ordinary-en",
        N,
        html(
            "Friday social: draft beer and pizza",
            "<h2>Friday social</h2><p>Join us on the roof terrace from 5 pm. We'll have two draft "
            "beers on tap from the local brewery, soft drinks and pizza.</p>"
            "<p>Draft beer, cider and lemonade are on the house until 7.</p>",
        ),
    ),
    Case(
        "ordinary-en",
        N,
        mail(
            "NFL draft night at the sports bar",
            "Who's in for the NFL Draft on Thursday? The first round starts at 8 pm ET.\n"
            "We've booked a table at the Lucky Strike; mock draft sheets will be on the table.\n"
            "Bring your predictions for the first five picks!",
        ),
    ),
    Case(
        "ordinary-en",
        N,
        html(
            "Book club newsletter – March",
            "<h1>Book club newsletter</h1><p>This month our guest author talked about how her first "
            'draft of the novel was twice as long as the book we read. "The first draft is just you '
            'telling yourself the story," she said, quoting Terry Pratchett.</p><p>She wrote the '
            "second draft in a caravan in Wales. Next month: <i>The Secret History</i> by Donna "
            "Tartt.</p>",
        ),
    ),
    Case(
        "ordinary-en",
        N,
        doc(
            "How to write a grant application\n"
            "Start with a rough draft: get the ideas down before you polish the wording.\n"
            "Share the draft with a colleague who does not know the project.\n"
            "Keep budget figures confidential until the funder asks for them.\n"
            "Submit the final version through the online portal before the deadline.",
            header="Research Office – Guidance Note 4",
            footer="Page 1",
        ),
    ),
    Case(
        "ordinary-en",
        N,
        doc(
            "Visitor information\n"
            "Restricted area\n"
            "Beyond this point the collection store is open to staff and accompanied researchers "
            "only.\n"
            "For official use\tReceived by\tDate\n"
            "Please hand this form to the front desk.",
            header="City Museum – Visitor Services",
            footer="Form VS-2 (public)",
        ),
    ),
    Case(
        "ordinary-en",
        N,
        pdf(
            "RESTRICTED AREA – AUTHORISED PERSONNEL ONLY\n"
            "Hard hats and high-visibility vests must be worn at all times.\n"
            "All visitors must report to the site office.\n"
            "Emergency assembly point: car park B.",
            header="Riverside Construction Ltd – Site Safety Notice",
            footer="Issued 2 March 2026",
        ),
    ),
    Case(
        "ordinary-en",
        N,
        pdf(
            "Freedom of Information Act 2000: a guide for the public\n"
            "Some information is exempt from release. Documents classified as SECRET or TOP SECRET "
            "under the Government Security Classifications Policy are usually withheld under "
            "section 24 (national security) or section 26 (defence).\n"
            "Information marked OFFICIAL can often be released after review.\n"
            "You can ask for an internal review if you disagree with our decision.",
            header="Information Commissioner's guide",
            footer="Public guidance – page 3",
        ),
    ),
    Case(
        "ordinary-en",
        N,
        text(
            "Chapter 7: Confidentiality, integrity and availability\n\n"
            "Confidentiality means that information is disclosed only to those authorised to see "
            "it. Military systems label data with levels such as Confidential, Secret and Top "
            "Secret, and the Bell-LaPadula model forbids a subject from reading an object above "
            "its clearance (no read up).\n\nExercises\n1. Explain why a draft standard may change "
            "before publication."
        ),
    ),
    Case(
        "ordinary-en",
        N,
        mail(
            "Re: release notes for 4.2.0",
            "Thanks, looks good. Two nits:\n\n"
            "- The changelog still says the draft spec; it's a W3C Recommendation now.\n"
            "- Can we mention the new secret-scanning setting under Security?\n\n"
            "Otherwise ship it.\n\nTom",
        ),
    ),
    Case(
        "ordinary-en",
        N,
        html(
            "Victoria's Secret and other retailers report holiday sales",
            "<p>Retail sales rose 3.1% in December. Lingerie brand Victoria's Secret beat "
            "forecasts, while department stores kept their guidance confidential until the "
            "earnings call.</p>",
        ),
    ),
    Case(
        "ordinary-en",
        N,
        mail(
            "Your drafts folder is almost full",
            "Your mailbox has 1,200 messages in Drafts. Delete old drafts to free up space.\n"
            "Messages in the Drafts folder are not sent until you press Send.",
        ),
    ),
    Case(
        "ordinary-en",
        N,
        doc(
            "Minutes of the parent-teacher association\n"
            "The treasurer presented the draft budget for the summer fair; it was approved.\n"
            "Mrs Osei reminded members that pupils' records are confidential.\n"
            "The secret garden project will open to families in May.",
            header="Hillside Primary School PTA",
            footer="Approved at the April meeting",
        ),
    ),
    Case(
        "ordinary-en",
        N,
        mail(
            "Overdraft fees change on 1 July",
            "Dear customer,\n\nFrom 1 July the arranged overdraft rate will be 39.9% EAR.\n"
            "Your PIN is secret: we will never ask for it by phone or email.\n\nCustomer Service",
        ),
    ),
    # ------------------------------------------------------------------ Chinese
    Case(
        "ordinary-zh",
        N,
        mail(
            "读书会通知：《秘密花园》",
            "各位书友：\n本周六下午两点在图书馆三楼举行读书会，共读弗朗西丝·霍奇森·伯内特的《秘密花园》。\n"
            "请提前阅读前十章，并准备一个你最喜欢的段落。\n\n读书会组委会",
        ),
    ),
    Case(
        "ordinary-zh",
        N,
        pdf(
            "第三章 信息安全的基本属性\n"
            "机密性是指信息不被泄露给未授权的用户。完整性是指信息不被未授权地修改。\n"
            "可用性是指授权用户在需要时能够访问信息。\n"
            "在军事系统中，文件按绝密、机密、秘密分级，访问控制模型据此限制读写。\n"
            "思考题：机密性与隐私保护有何区别？",
            header="《信息安全导论》教材",
            footer="第 45 页",
        ),
    ),
    Case(
        "ordinary-zh",
        N,
        html(
            "邮箱使用小技巧",
            "<p>写了一半的邮件会自动保存到<b>草稿箱</b>，下次打开草稿箱即可继续编辑。</p>"
            "<p>草稿箱中的邮件不会被发送，超过30天的草稿会被自动清理。</p>",
        ),
    ),
    Case(
        "ordinary-zh",
        N,
        doc(
            "关于举办年终联欢会的通知\n"
            "各部门：\n"
            "公司定于12月28日晚举办年终联欢会，届时将进行“秘密圣诞老人”礼物交换活动，礼物价值不超过100元。\n"
            "请各部门于12月20日前报送节目单。\n"
            "行政部\n2026年12月1日",
            header="行政部通知",
            footer="第 1 页 共 1 页",
        ),
    ),
    Case(
        "ordinary-zh",
        N,
        mail(
            "《中华人民共和国保守国家秘密法》普法讲座",
            "各位同事：\n本周五下午举办保密法普法讲座。讲座将介绍国家秘密的密级分为绝密、机密、秘密三级，\n"
            "以及定密、解密的程序。讲座面向全体员工公开，欢迎参加。\n\n法务部",
        ),
    ),
    Case(
        "ordinary-zh",
        N,
        html(
            "产品发布：机密计算解决方案",
            "<h2>机密计算白皮书发布</h2><p>本白皮书介绍了基于可信执行环境的机密计算技术，"
            "帮助企业在云上保护数据的机密性。</p><p>欢迎下载阅读。</p>",
        ),
    ),
    Case(
        "ordinary-zh",
        N,
        text(
            "成功的秘密\n\n很多人问我成功的秘密是什么。其实没有秘密，只有坚持。\n"
            "每天写作一千字，先写草稿，再慢慢修改。"
        ),
    ),
    Case(
        "ordinary-zh",
        N,
        mail(
            "心理援助热线开通",
            "全体员工：\n公司员工心理援助热线已开通，电话400-123-4567，24小时服务。\n"
            "来电内容严格保密，不会告知您的上级或人力资源部门。\n\n工会",
        ),
    ),
    Case(
        "ordinary-zh",
        N,
        doc(
            "博物馆参观须知\n"
            "库房重地，非工作人员禁止入内。\n"
            "参观时请勿触摸展品，禁止使用闪光灯拍照。\n"
            "本馆为公众开放，免费预约参观。",
            header="市博物馆",
            footer="公开",
        ),
    ),
    Case(
        "ordinary-zh",
        N,
        mail(
            "啤酒节：精酿生啤畅饮",
            "本周末啤酒节开幕，现场提供十二款精酿生啤（扎啤），凭门票可免费品尝三杯。\n"
            "选秀大会同步直播，欢迎球迷朋友前来观看。",
        ),
    ),
    # ------------------------------------------------------------------ Spanish
    Case(
        "ordinary-es",
        N,
        mail(
            "Nota de prensa: el Gobierno aprueba el borrador de la ley de vivienda",
            "NOTA DE PRENSA\n\nEl Consejo de Ministros ha aprobado hoy el borrador de la Ley de "
            "Vivienda,\nque se remitirá a las Cortes para su tramitación parlamentaria. El texto "
            "completo\nestá disponible en la web del Ministerio.\n\nGabinete de Comunicación",
        ),
    ),
    Case(
        "ordinary-es",
        N,
        html(
            "La receta secreta de la abuela",
            "<p>Queridos socios:</p><p>Os compartimos la <b>receta secreta</b> de las torrijas de "
            "la abuela Carmen. El secreto está en dejar el pan en leche toda la noche.</p>"
            "<p>¡Feliz Semana Santa!</p>",
        ),
    ),
    Case(
        "ordinary-es",
        N,
        mail(
            "Amigo invisible de Navidad",
            "Hola a todos:\n\nEste año volvemos a organizar el amigo invisible (o amigo secreto).\n"
            "El presupuesto es de 20 euros. El sorteo será el lunes; guardad el secreto hasta la "
            "cena.\n\nUn abrazo,\nLucía",
        ),
    ),
    Case(
        "ordinary-es",
        N,
        doc(
            "Información para visitantes\n"
            "Zona restringida: acceso solo para personal autorizado.\n"
            "El museo es de acceso público y gratuito los domingos.\n"
            "Para uso oficial\tFecha de entrada\tFirma",
            header="Museo Municipal de Historia",
            footer="Formulario público",
        ),
    ),
    Case(
        "ordinary-es",
        N,
        pdf(
            "Ley 9/1968, de 5 de abril, sobre secretos oficiales: guía divulgativa\n"
            "La ley distingue dos categorías de materias clasificadas: secreto y reservado.\n"
            "La clasificación corresponde al Consejo de Ministros y a la Junta de Jefes de Estado "
            "Mayor.\n"
            "Esta guía es de libre difusión y no contiene información clasificada.",
            header="Biblioteca jurídica – materiales de divulgación",
            footer="Página 2",
        ),
    ),
    Case(
        "ordinary-es",
        N,
        html(
            "Cerveza de barril y tapas este viernes",
            "<p>Este viernes, cerveza de barril a 2 euros y tapas gratis con cada consumición.</p>"
            "<p>Además, retransmitimos el draft de la NBA en pantalla grande.</p>",
        ),
    ),
    Case(
        "ordinary-es",
        N,
        mail(
            "Línea de atención confidencial para empleados",
            "Estimados compañeros:\n\nRecordamos que el canal ético y la línea de atención "
            "psicológica son\nconfidenciales y gratuitos. Llamad al 900 123 456.\n\nRecursos "
            "Humanos",
        ),
    ),
    Case(
        "ordinary-es",
        N,
        text(
            "Taller de escritura creativa\n\nSesión 3: del borrador a la versión final.\n"
            "Traed el primer borrador de vuestro cuento; lo revisaremos en parejas.\n"
            "Recordad: un borrador no tiene que ser perfecto."
        ),
    ),
    Case(
        "ordinary-es",
        N,
        doc(
            "Lista de material escolar\n"
            "Cuaderno de cuadros, lápiz, goma de borrar y sacapuntas.\n"
            "Borrador de pizarra para el aula de 3.º B.\n"
            "Regla de 30 cm.",
            header="CEIP Miguel Hernández – Curso 2026/27",
            footer="Secretaría del centro",
        ),
    ),
    # ------------------------------------------------------------------ more places the words stand
    Case(
        "ordinary-en",
        N,
        pdf(
            "DRAFT\nHazy Meadow IPA 5.2%\t£5.50\nRiverside Lager 4.0%\t£4.80\n"
            "BOTTLES & CANS\nStout 4.5%\t£4.90\nSOFT DRINKS\nLemonade\t£2.50",
            header="The Anchor – Drinks Menu",
            footer="Please ask staff about allergens",
        ),
    ),
    Case(
        "ordinary-en",
        N,
        doc(
            "MUTUAL CONFIDENTIALITY AGREEMENT (TEMPLATE)\n"
            "This template is published by the Intellectual Property Office for businesses to adapt.\n"
            '1. Definitions: "Confidential Information" means any information disclosed by one party '
            "to the other.\n2. Each party shall keep the Confidential Information confidential.",
            header="Model agreement – free to use",
            footer="Crown copyright",
        ),
    ),
    Case(
        "ordinary-en",
        N,
        html(
            "Film club: For Your Eyes Only",
            "<p>This Friday the film club shows <i>For Your Eyes Only</i> (1981), followed on "
            "Saturday by the spoof <i>Top Secret!</i> (1984).</p><p>Popcorn provided.</p>",
        ),
    ),
    Case(
        "ordinary-en",
        N,
        text(
            "CLASSIFIEDS\n\nFor sale: child's bicycle, good condition, £40.\n"
            "Wanted: allotment plot near the station.\nLost: grey cat, answers to Smudge."
        ),
    ),
    Case(
        "ordinary-en",
        N,
        mail(
            "Hospital leaflet proofs",
            "Hi Sam,\n\nThe leaflet for the Internal Medicine clinic is attached in its final form.\n"
            "The confidential patient line number on page 2 is correct.\n\nThanks, Jo",
        ),
    ),
    Case(
        "ordinary-en",
        N,
        pdf(
            "Official Secrets Act 1989: summary for new civil servants\n"
            "The Act makes it an offence to disclose official information in six protected "
            "categories.\nThis summary is a public document and contains no classified material.",
            header="Civil Service Learning – public course notes",
            footer="Page 1 of 4",
        ),
    ),
    Case(
        "ordinary-zh",
        N,
        mail("周五电影夜", "周五晚七点放映《绝密飞行》，周六放映《秘密森林》第一季。\n地点：三楼多功能厅。"),
    ),
    Case(
        "ordinary-zh",
        N,
        html(
            "人大常委会审议民法典草案",
            "<p>十三届全国人大常委会第十五次会议今天在北京开幕，会议审议了《中华人民共和国民法典（草案）》。"
            "</p><p>草案全文已在中国人大网公布，公众可在线提出意见。</p>",
        ),
    ),
    Case("ordinary-zh", N, text("本周歌单\n1. 秘密\n2. 小情歌\n3. 草稿\n祝大家周末愉快！")),
    Case(
        "ordinary-zh",
        N,
        doc(
            "保密协议（范本）\n"
            "本范本由市场监督管理局发布，供企业参考使用。\n"
            "第一条 本协议所称商业秘密，是指不为公众所知悉、具有商业价值的技术信息和经营信息。",
            header="合同示范文本",
            footer="公开发布",
        ),
    ),
    Case(
        "ordinary-es",
        N,
        pdf(
            "CONFIDENCIAL Y GRATUITO\nSi sufres acoso en el trabajo, llama al 016.\n"
            "Atención 24 horas en 52 idiomas.",
            header="Ayuntamiento – Servicio de Igualdad",
            footer="Cartel informativo",
        ),
    ),
    Case(
        "ordinary-es",
        N,
        html(
            "El secreto de una buena paella",
            "<h1>EL SECRETO DE LA PAELLA</h1><p>El secreto está en el sofrito y en no remover el arroz.</p>",
        ),
    ),
    Case(
        "ordinary-es",
        N,
        mail(
            "Boletín: el Gobierno aprueba el anteproyecto de ley de familias",
            "El Consejo de Ministros ha aprobado en primera vuelta el anteproyecto de ley de "
            "familias.\nEl texto se somete ahora a audiencia pública en la web del Ministerio.",
        ),
    ),
    Case(
        "ordinary-es",
        N,
        doc(
            "Acta de la asamblea de vecinos\n"
            "Se aprueba el borrador del presupuesto de la comunidad para 2027.\n"
            "El presidente recuerda que los datos de los vecinos morosos son confidenciales.",
            header="Comunidad de Propietarios Calle Mayor 12",
            footer="Aprobada en asamblea",
        ),
    ),
)


def file_name(index: int, case: Case) -> str:
    """The item's file name: ``ordinary-NNN`` and its kind's suffix."""
    from tests.corpus_heldout.make import SUFFIX

    return f"ordinary-{index:03d}{SUFFIX[case.item.kind]}"


def main() -> None:
    """Score the ordinary writing with the default pipeline: how many are held, and why."""
    import sys
    import tempfile
    from pathlib import Path

    from filters.build import build_pipeline
    from tests.corpus_heldout.make import render

    pipeline = build_pipeline()
    held = []
    with tempfile.TemporaryDirectory() as folder:
        for index, case in enumerate(ORDINARY):
            path = Path(folder, file_name(index, case))
            path.write_bytes(render(case.item))
            verdict = pipeline.scan_file(path, origin=path.name)
            if not verdict.passed:
                held.append(path.name)
                hits = "; ".join(f"{h.rule} {h.excerpt[:70]!r}" for h in verdict.hits)
                print(f"HELD {path.name} {case.system}: {hits}")
    by_kind: dict[str, int] = {}
    for case in ORDINARY:
        by_kind[case.item.kind] = by_kind.get(case.item.kind, 0) + 1
    kinds = ", ".join(f"{kind} {count}" for kind, count in sorted(by_kind.items()))
    print(f"ordinary writing held: {len(held)}/{len(ORDINARY)} ({kinds})")
    sys.exit(1 if held else 0)


if __name__ == "__main__":
    main()
