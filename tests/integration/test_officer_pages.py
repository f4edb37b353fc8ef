"""What the officer's item page and the user's block page say, read as a person reads them.

Through the real officer UI (aiohttp client on a real socket) and the real forward proxy
(curl): a marking highlighted whole, parts named as people know them, an upload's user
and site, a delivery not yet tried, and the Chinese and Spanish block pages in their own
language all the way to the Why column.
"""

from __future__ import annotations

import asyncio
import html
import re

import pytest
from integration.test_http_proxy import (  # noqa: F401  (fixtures: pipeline, origin, redline)
    curl,
    make_docx,
    origin,
    pipeline,
    redline,
)
from ui_harness import add_user, client, hit, hold, running_ui, sign_in

from quarantine.sqlite_store import SqliteStore

pytestmark = pytest.mark.clock  # dates matter: scripts/test.sh runs it a year ahead too


@pytest.fixture
def ui(tmp_path):
    store = SqliteStore(tmp_path / "quarantine.sqlite")
    with running_ui(store) as ui:
        add_user(ui, "olga", "officer")
        yield ui
    store.close()


def page_of(ui, item_id: str) -> str:
    async def body() -> str:
        async with client() as s:
            await sign_in(s, ui.url, "olga")
            async with s.get(f"{ui.url}/items/{item_id}") as page:
                assert page.status == 200
                return await page.text()

    return asyncio.run(body())


def marks(page: str) -> list[str]:
    return [html.unescape(m) for m in re.findall(r"<mark>(.*?)</mark>", page)]


def test_the_highlight_covers_the_whole_marking_not_what_the_rule_needed(ui):
    # A caveat rule needs only "SECRET//N" to decide; the officer must see the marking.
    excerpt = "SECRET//NOFORN: the plan for Tuesday"
    caveat = hit(excerpt, "SECRET//N", rule="classification.en.caveat")
    top = hit("TOP SECRET//SI//NOFORN", "TOP SECRET//S", rule="classification.en.caveat")
    portion = hit("The plan for (S//REL TO USA, FVEY) all.", "REL TO USA")
    # Scripts without spaces are not widened: the next character is another word.
    chinese = hit("本文件机密★5年请勿外传", "机密★5年", rule="classification.zh.period")
    # A span already whole stays as it is, and the words around it stay plain.
    whole = hit("see the DRAFT minutes", "DRAFT", category="draft", rule="draft.en.banner")
    item_id = hold(ui.store, sender="alice@example.org", subject="plans",
                   hits=[caveat, top, portion, chinese, whole])
    assert marks(page_of(ui, item_id)) == [
        "SECRET//NOFORN", "TOP SECRET//SI//NOFORN", "S//REL TO USA", "机密★5年", "DRAFT"]


def test_the_command_line_shows_the_whole_marking_too(ui, tmp_path):
    import subprocess

    from integration.serve_harness import REDLINE

    item_id = hold(ui.store, sender="alice@example.org", subject="plans",
                   hits=[hit("SECRET//NOFORN: the plan", "SECRET//N", rule="classification.en.caveat")])
    shown = subprocess.run([str(REDLINE), "quarantine", "show", item_id, "--data-dir",
                            str(tmp_path)], capture_output=True, text=True, timeout=60)
    assert shown.returncode == 0, shown.stderr
    assert "«SECRET//NOFORN»: the plan" in shown.stdout


def test_the_part_tree_names_the_mail_and_its_files_not_the_spool_id(ui):
    where = "3F2A9C01B7D44E11.eml/attachment[2]:plans.zip/annex-b.docx/word/footer1.xml"
    item_id = hold(ui.store, sender="alice@example.org", subject="Q3 procurement plans",
                   hits=[hit("classified SECRET annex B", "SECRET", where=where)])
    page = page_of(ui, item_id)
    tree = page.split("Parts with findings", 1)[1].split("</section>", 1)[0]
    names = [html.unescape(n) for n in re.findall(r'<span class="node"[^>]*>(.*?)</span>', tree)]
    assert names[0] == "the mail “Q3 procurement plans”"
    assert names[1:] == ["plans.zip", "annex-b.docx", "word", "footer1.xml"]
    assert "3F2A9C01B7D44E11" not in "".join(names)
    # The raw origin path stays on the page (tooltip) for whoever needs the exact place.
    assert f'title="{where}"' in page
    assert "the mail “Q3 procurement plans” › plans.zip › annex-b.docx" in html.unescape(page)


def test_an_upload_names_the_user_or_says_none_signed_in_and_the_site(ui):
    anonymous = hold(ui.store, sender="10.1.2.3", subject="POST https://files.example.net:8443/up",
                     kind="upload", recipients=("files.example.net",),
                     hits=[hit("SECRET//NOFORN", "SECRET", where="upload:form[file]:plan.docx")])
    page = html.unescape(page_of(ui, anonymous))
    assert "<dt>User</dt><dd class=\"addr\">not signed in to the proxy (client 10.1.2.3)</dd>" in page
    assert "<dt>Site</dt><dd class=\"addr\">https://files.example.net:8443</dd>" in page
    assert '<span class="node" title="upload:form[file]:plan.docx">plan.docx</span>' in page

    signed_in = hold(ui.store, sender="alice", subject="PUT http://share.example.com/x",
                     kind="upload", recipients=("share.example.com",),
                     hits=[hit("SECRET", "SECRET", where="upload:body")])
    page = html.unescape(page_of(ui, signed_in))
    assert "<dt>User</dt><dd class=\"addr\">alice</dd>" in page
    assert "<dt>Site</dt><dd class=\"addr\">http://share.example.com</dd>" in page
    assert '<span class="node" title="upload:body">request body</span>' in page


def test_a_release_not_yet_delivered_says_so_instead_of_after_0_attempts(ui):
    item_id = hold(ui.store, sender="carlos@example.org", subject="Presupuesto (borrador)",
                   hits=[hit("Documento BORRADOR", "BORRADOR", severity="medium",
                             category="draft", rule="draft.es.label")])
    ui.service.release(item_id, "olga", "cleared by legal")
    page = page_of(ui, item_id)
    delivery = page.split("<h2>Delivery</h2>", 1)[1].split("</section>", 1)[0]
    assert "0 attempt" not in delivery
    assert "queued for delivery, not tried yet" in delivery


@pytest.mark.parametrize("language,code,why", [
    ("zh-CN,zh;q=0.9,en;q=0.8", "zh", "文件带有密级标志"),
    ("es-ES,es;q=0.9", "es", "marca de clasificación y no puede salir"),
])
def test_the_block_page_why_column_speaks_the_page_language(redline, origin, tmp_path,  # noqa: F811
                                                            language, code, why):
    from gateway.web.block_page import TEXT

    reasons = {v for k, v in TEXT[code].items() if k.startswith("why.")}
    path = make_docx(tmp_path / "plan.docx", banner="SECRET//NOFORN")
    status, page = curl(redline.url, "-H", f"Accept-Language: {language}", "-F", f"f=@{path}",
                        origin.url())
    assert status == 403
    table = page.split("<table>", 1)[1].split("</table>", 1)[0]
    cells = [re.findall(r"<td>(.*?)</td>", row) for row in re.findall(r"<tr><td>.*?</tr>", table)]
    assert cells
    for _, _, cell in cells:
        # The sentence is in the page's language; only the rule id (in <code>) is not.
        sentence = html.unescape(re.sub(r"\s*<code>[^<]*</code>", "", cell)).strip()
        assert sentence in reasons, cell
        assert re.search(r"<code>[a-z0-9_.]+</code>", cell), cell
    assert any(why in cell for _, _, cell in cells)
    # The English page keeps each rule's own description.
    status, page = curl(redline.url, "-H", "Accept-Language: en", "-F", f"f=@{path}", origin.url())
    assert status == 403 and "classification marking" in page and "<code>classification." not in page
