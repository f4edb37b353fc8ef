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

from tests.corpus_heldout.cases import Case, N, doc, html, mail, pdf, text, xlsx

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


# A second set: everyday outbound mail of an office, from public descriptions of what
# organisations send (newsletters, press releases, job advertisements, an NDA template sent
# for signature, privacy notices, sports, beer and conscription news, a training course on
# handling information, a software changelog), carried as mail, HTML, Word, PDF and Excel.
EVERYDAY: tuple[Case, ...] = (
    # ------------------------------------------------------------------ English
    Case("ordinary-en", N, html(
        "The Monthly Ledger – June",
        "<h1>The Monthly Ledger</h1><h2>The secret to a smooth month-end close</h2>"
        "<p>Finance shares three habits that took our close from ten days to six: reconcile "
        "weekly, automate accruals, and agree cut-off dates early.</p>"
        "<h2>New starters</h2><p>Please welcome Ana and Tom to Accounts Payable.</p>")),
    Case("ordinary-en", N, pdf(
        "FOR IMMEDIATE RELEASE\n"
        "Northwind Foods acquires Harbour Bakery\n"
        "LEEDS, 3 March 2026 – Northwind Foods today announced it has acquired Harbour Bakery, "
        "a family-owned bakery with 40 staff. Financial terms of the transaction were not "
        "disclosed and remain confidential.\n"
        "Media contact: press@northwind.example",
        header="Northwind Foods – Press Release", footer="www.northwind.example")),
    Case("ordinary-en", N, mail(
        "Job advert: Senior Payroll Officer (ref 2291)",
        "Senior Payroll Officer – full time, hybrid\n"
        "Salary: £38,000–£42,000\n"
        "You will run the monthly payroll for 600 staff and handle confidential employee "
        "records with care.\n"
        "All applications will be treated in strict confidence.\n"
        "Closing date: 30 April. Apply at careers.example.org.")),
    Case("ordinary-en", N, doc(
        "MUTUAL NON-DISCLOSURE AGREEMENT\n"
        "This Agreement is made on ____________ between Brightline Ltd and ____________.\n"
        "1. \"Confidential Information\" means any information disclosed by either party that is "
        "marked or identified as confidential.\n"
        "2. The Recipient shall keep the Confidential Information confidential and use it only "
        "for the Purpose.\n"
        "3. This Agreement lasts two years from the date above.\n"
        "Signed for Brightline Ltd: ____________\tSigned for the Counterparty: ____________",
        header="Brightline Ltd – Standard NDA template v3", footer="Page 1 of 2")),
    Case("ordinary-en", N, mail(
        "NDA for signature – Brightline / Kestrel Design",
        "Hi Sam,\n\nAs discussed, please find attached our standard mutual NDA. Could you sign "
        "it and send it back before our workshop on Tuesday? Once it's signed we can share the "
        "product roadmap.\n\nThe template is the same one we use with every agency.\n\n"
        "Kind regards,\nLegal Operations")),
    Case("ordinary-en", N, pdf(
        "Privacy Notice\n"
        "How we keep your information confidential\n"
        "We collect your name, address and order history to deliver your orders.\n"
        "Your data is kept confidential and is shared only with our delivery partners.\n"
        "You may ask us for a copy of your data at any time.",
        header="Green Valley Garden Centre", footer="Updated January 2026")),
    Case("ordinary-en", N, html(
        "Draft day recap: our picks",
        "<h2>NBA Draft recap</h2><p>With the 14th pick in the 2026 NBA Draft, the hometown team "
        "selected a 19-year-old guard from Gonzaga. Second-round picks will join the Summer "
        "League roster.</p><p>Draft lottery odds explained on page 3.</p>")),
    Case("ordinary-en", N, xlsx(
        "Tap\tBeer\tStyle\tABV\tPrice\n"
        "1\tHarbour Pale\tPale ale (draft)\t4.2%\t£4.80\n"
        "2\tMidnight Stout\tStout (draft)\t5.0%\t£5.20\n"
        "3\tOrchard Cider\tCider\t4.5%\t£4.60",
        sheet="Draft list")),
    Case("ordinary-en", N, mail(
        "History society talk: the Vietnam-era draft",
        "Next Thursday Prof. Ellis talks about the military draft in the 1960s: how the "
        "Selective Service lottery worked, the deferments students could claim, and why the "
        "draft ended in 1973.\n\nTea and biscuits from 7 pm, talk at 7.30.")),
    Case("ordinary-en", N, doc(
        "Information Handling Awareness – Module 3\n"
        "Learning outcomes\n"
        "By the end of this module you will be able to explain why organisations classify "
        "documents, name the levels used by many governments (for example Official, Secret "
        "and Top Secret), and describe how a document's classification is shown.\n"
        "Exercise: sort ten example documents into the right category and discuss your answers.",
        header="Learning & Development – Course Handbook", footer="Page 7")),
    Case("ordinary-en", N, mail(
        "Course invitation: classifying and handling documents",
        "Dear colleagues,\n\nA half-day course on how documents are classified and handled "
        "runs on 12 May. We will look at confidential, secret and top secret markings as "
        "governments use them, and at our own labels in Microsoft 365.\n\nBook on the "
        "learning portal.\n\nL&D Team")),
    Case("ordinary-en", N, html(
        "Release notes – TaskFlow 4.2",
        "<h1>TaskFlow 4.2</h1><ul><li>New: mark a task as confidential so only its assignee "
        "can see the comments.</li><li>New: save a reply as draft and finish it later.</li>"
        "<li>Fixed: drafts were not synced between devices.</li></ul>")),
    Case("ordinary-en", N, text(
        "CHANGELOG\n\n"
        "## 3.8.0\n"
        "- Added \"Mark as confidential\" option to the share dialog.\n"
        "- Draft messages are autosaved every 30 seconds.\n"
        "- Fixed a crash when a draft had no recipients.\n", name="CHANGELOG.md")),
    Case("ordinary-en", N, mail(
        "Clydesdale draft horse show – volunteers needed",
        "The county show's draft horse classes are on Saturday 9 August. We need six volunteers "
        "for the ring and two for the car park.\nDraft horses, ploughing demonstrations and a "
        "farrier at work!")),
    Case("ordinary-en", N, pdf(
        "Vessel particulars\n"
        "Length overall: 12.4 m\n"
        "Beam: 4.1 m\n"
        "Draft: 1.8 m\n"
        "Engine: 2 x 150 hp diesel",
        header="Harbour Marine Brokers – Listing 0931")),
    Case("ordinary-en", N, mail(
        "Escape room booking confirmed: Top Secret Mission",
        "Thank you for booking \"Top Secret Mission\" for 6 players on Friday at 18:30.\n"
        "Please arrive 15 minutes early. Your booking reference is ESC-44812.")),
    Case("ordinary-en", N, xlsx(
        "Round\tPick\tPlayer\tPosition\tTeam owner\n"
        "1\t1\tC. McCaffrey\tRB\tDan\n"
        "1\t2\tJ. Chase\tWR\tPriya\n"
        "1\t3\tB. Robinson\tRB\tMo",
        sheet="Fantasy draft 2026")),
    Case("ordinary-en", N, html(
        "Your weekly deals",
        "<h1>This week's deals</h1><p>Victoria's Secret body mist: 3 for 2.</p>"
        "<p>Our chef's secret sauce is back on the menu!</p>"
        "<p>Unsubscribe at any time.</p>")),
    Case("ordinary-en", N, mail(
        "Reminder: OKR drafts due Friday",
        "Hi team,\n\nPlease draft your Q3 OKRs in the shared sheet by Friday. Rough drafts are "
        "fine; we'll refine them together on Monday.\n\nThanks,\nMarta")),
    Case("ordinary-en", N, doc(
        "Whistleblowing policy\n"
        "You can raise a concern in confidence through the independent hotline.\n"
        "Reports are handled confidentially and you will not be treated unfairly for "
        "raising a genuine concern.\n"
        "Secret recordings of colleagues are not permitted.",
        header="Staff Handbook – Section 12", footer="Approved by the Board, March 2026")),
    Case("ordinary-en", N, text(
        "Subscriber FAQ\n\n"
        "Q: Is my payment information kept confidential?\n"
        "A: Yes. Card details are handled by our payment provider and never stored by us.\n\n"
        "Q: Can I save a draft of my order?\n"
        "A: Yes, your basket is saved for 30 days.\n")),
    # ------------------------------------------------------------------ Chinese
    Case("ordinary-zh", N, mail(
        "新闻速递：某科技公司员工泄露商业机密被判赔偿",
        "本报讯 近日，某区人民法院审结一起侵犯商业秘密纠纷案。法院认定被告离职后使用原公司的客户名单，"
        "判令其赔偿经济损失50万元。\n法官提醒，企业应完善保密制度，员工应遵守保密义务。")),
    Case("ordinary-zh", N, html(
        "周末书法班通知",
        "<p>各位学员：</p><p>本周六书法班照常上课，请自带毛笔、墨汁和草稿纸。老师将讲解行书的起笔与收笔，"
        "课后请把练习草稿交给助教。</p><p>书法协会</p>")),
    Case("ordinary-zh", N, xlsx(
        "品名\t规格\t数量\t单价\n"
        "草稿纸\tA4 80克\t20包\t12.50\n"
        "中性笔\t0.5mm 黑色\t100支\t1.20\n"
        "文件夹\t蓝色\t50个\t3.00",
        sheet="办公用品采购")),
    Case("ordinary-zh", N, doc(
        "保密协议（模板）\n"
        "甲方：__________\n"
        "乙方：__________\n"
        "一、乙方对在合作中知悉的甲方商业秘密负有保密义务。\n"
        "二、本协议自双方签字之日起生效，有效期两年。\n"
        "甲方（签字）：__________\t乙方（签字）：__________",
        header="某某科技有限公司 合同模板", footer="第1页")),
    Case("ordinary-zh", N, mail(
        "请签署保密协议",
        "王经理您好：\n\n附件是我司标准保密协议模板，请您签字盖章后扫描回传，我们收到后即可安排项目启动会。\n\n"
        "谢谢！\n法务部 李娜")),
    Case("ordinary-zh", N, html(
        "影评：《机密》第二季口碑如何？",
        "<p>热播剧《机密》第二季收官，剧情围绕一份被盗的机密文件展开，演员表现获得观众好评。</p>"
        "<p>本周末起在各大平台上线全集。</p>")),
    Case("ordinary-zh", N, pdf(
        "隐私政策\n"
        "我们如何保护您的个人信息\n"
        "我们会对您的个人信息严格保密，仅在提供服务所必需的范围内使用。\n"
        "未经您的同意，我们不会向第三方披露您的信息。",
        header="某某网上商城", footer="更新日期：2026年1月")),
    Case("ordinary-zh", N, mail(
        "产品更新说明 V5.3",
        "本次更新内容：\n1. 新增“标记为机密”功能，可限制附件下载。\n2. 邮件草稿自动保存。\n"
        "3. 修复草稿箱同步失败的问题。")),
    Case("ordinary-zh", N, mail(
        "培训通知：信息安全意识培训",
        "各部门：\n定于下周三下午举办信息安全意识培训，内容包括文件密级的划分（秘密、机密、绝密）、"
        "涉密载体的管理要求以及日常办公中的保密常识。\n请各部门组织员工准时参加。\n人力资源部")),
    Case("ordinary-zh", N, text(
        "招聘启事\n"
        "岗位：行政助理\n"
        "要求：工作细致，能对接触到的公司信息保密。\n"
        "我们将对应聘者的个人信息严格保密。\n"
        "简历投递：hr@example.cn")),
    # ------------------------------------------------------------------ Spanish
    Case("ordinary-es", N, html(
        "Receta: tinta casera y borrador de pizarra",
        "<h2>Manualidades en casa</h2><p>Para la tinta: mezcla una cucharada de café soluble con "
        "dos de agua caliente y una pizca de sal.</p><p>Para el borrador de pizarra: pega un "
        "trozo de fieltro sobre un taco de madera.</p>")),
    Case("ordinary-es", N, xlsx(
        "Material\tCantidad\tPrecio\n"
        "Lápices HB\t24\t3,60\n"
        "Borrador (goma de borrar)\t12\t2,40\n"
        "Cuadernos A4\t10\t15,00",
        sheet="Lista de material escolar")),
    Case("ordinary-es", N, mail(
        "Oferta de empleo: administrativo/a contable",
        "Buscamos administrativo/a contable para jornada completa.\n"
        "Se garantiza la máxima confidencialidad en el proceso de selección.\n"
        "Envía tu currículum a empleo@example.es antes del 15 de mayo.")),
    Case("ordinary-es", N, pdf(
        "Política de privacidad\n"
        "Tratamos sus datos personales de forma confidencial.\n"
        "Sus datos no se cederán a terceros salvo obligación legal.\n"
        "Puede ejercer sus derechos escribiendo a privacidad@example.es.",
        header="Librería La Esquina", footer="Última actualización: enero de 2026")),
    Case("ordinary-es", N, mail(
        "Confirmación: mesa reservada para el sábado",
        "Su mesa para cuatro personas está reservada el sábado a las 21:00.\n"
        "El secreto de nuestro arroz es el caldo casero. ¡Le esperamos!")),
    Case("ordinary-es", N, doc(
        "Acuerdo de confidencialidad (modelo)\n"
        "Entre __________ y __________.\n"
        "Primera. La parte receptora mantendrá confidencial la información recibida.\n"
        "Segunda. Este acuerdo tendrá una duración de dos años.\n"
        "Firma:\t__________",
        header="Plantilla de contratos – Departamento Jurídico", footer="Página 1")),
    Case("ordinary-es", N, mail(
        "Notas de la versión 2.4",
        "Novedades:\n- Nueva opción «Marcar como confidencial» en los documentos compartidos.\n"
        "- Los borradores se guardan automáticamente.\n- Corregido un error al enviar un borrador "
        "sin destinatarios.")),
    Case("ordinary-es", N, html(
        "Boletín deportivo",
        "<p>El draft de la NBA se celebra esta noche en Nueva York. Tres jugadores españoles "
        "esperan ser elegidos en la primera ronda.</p><p>Además: la cerveza de barril gana "
        "terreno en los bares de la ciudad.</p>")),
    Case("ordinary-es", N, mail(
        "Curso: clasificación de la información en la administración",
        "Les informamos del curso en línea sobre la clasificación de la información: qué "
        "significan las categorías de secreto, reservado y confidencial según la normativa, y "
        "cómo se tratan los documentos clasificados.\nInscripciones en la intranet.")),
    Case("ordinary-en", N, html(
        "Security tip: keep your PIN secret",
        "<p>Dear customer,</p><p>We will never ask for your PIN or your full password. Keep "
        "them secret, and do not write them down.</p><p>Your Bank</p>")),
    Case("ordinary-en", N, pdf(
        "Annual General Meeting 2026\n"
        "Agenda\n"
        "1. Chair's welcome\n"
        "2. Secretary's report\n"
        "3. Treasurer's report and accounts\n"
        "4. Election of the committee",
        header="Riverside Allotment Society", footer="Members only event – all welcome")),
    Case("ordinary-es", N, xlsx(
        "Vino\tAñada\tPrecio\n"
        "Rioja Reserva\t2019\t18,50\n"
        "Ribera del Duero Gran Reserva\t2016\t32,00\n"
        "Rueda Verdejo\t2024\t9,90",
        sheet="Carta de vinos")),
    Case("ordinary-zh", N, html(
        "公司简讯：年度优秀员工揭晓",
        "<p>经各部门推荐和评审委员会评议，年度优秀员工名单今天揭晓。</p><p>获奖同事分享了工作中的“秘诀”："
        "提前起草计划、及时复盘。</p>")),
)
ORDINARY = ORDINARY + EVERYDAY


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
