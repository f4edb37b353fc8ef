"""The 403 page a blocked upload gets: what was found, where, the quarantine id, in the user's language.

Pages are plain HTML from ``gateway/web/templates/block.<lang>.html`` in English, Chinese and
Spanish, chosen by the browser's Accept-Language. They name each finding's category,
the part it was in (the uploaded file or form field) and the rule's description, never
an excerpt of the content.
"""

from __future__ import annotations

import html
import string
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from filters.types import Verdict

LANGUAGES = ("en", "zh", "es")
TEMPLATES = Path(__file__).with_name("templates")

TEXT: dict[str, dict[str, str]] = {
    "en": {
        "title.quarantine": "Upload held for review",
        "title.reject": "Upload blocked",
        "title.signup": "Sign-up with a work address blocked",
        "title.error": "Upload not sent",
        "lead.quarantine": "Redline found content that may not leave the organisation. "
                           "The upload was not sent; it is held for a quarantine officer.",
        "lead.reject": "Redline found content that may not leave the organisation. "
                       "The upload was not sent.",
        "lead.signup": "Your work address may not be used to sign up to external services. "
                       "The form was not sent.",
        "lead.error": "Redline could not inspect this upload now, so it was not sent. "
                      "Please try again in a few minutes.",
        "found": "What was found", "where": "Where", "why": "Why",
        "item": "Quarantine reference:",
        "help.quarantine": "If this upload is needed, ask a quarantine officer to release it, "
                           "quoting the reference above; after the release, upload the same "
                           "file again.",
        "help.other": "If you believe this is a mistake, contact your security officer.",
        "classification": "classification marking", "draft": "draft document",
        "signup": "work address on a sign-up form", "policy": "content that cannot be inspected",
        "title.certificate": "Site not reached: its certificate is not valid",
        "lead.certificate": "Redline did not connect to this site because its certificate "
                            "could not be verified. Nothing was sent to it.",
        "title.misdirected": "Request not sent",
        "lead.misdirected": "This request named a different site than the connection it was "
                            "sent on. Nothing was sent.",
        "title.internal": "Internal destination blocked",
        "lead.internal": "The web proxy does not connect to internal addresses. Nothing was sent.",
        "title.websocket": "WebSocket connection not allowed",
        "lead.websocket": "What a WebSocket carries cannot be inspected, and this proxy does "
                          "not pass WebSocket connections. Nothing was sent.",
    },
    "zh": {
        "title.quarantine": "上传内容已被扣留待审", "title.reject": "上传已被拦截",
        "title.signup": "已阻止使用工作邮箱注册", "title.error": "上传未发送",
        "lead.quarantine": "Redline 发现了不得离开本单位的内容。上传未发送，已交由隔离审核员处理。",
        "lead.reject": "Redline 发现了不得离开本单位的内容。上传未发送。",
        "lead.signup": "工作邮箱不得用于注册外部服务。表单未发送。",
        "lead.error": "Redline 暂时无法检查此上传，因此未发送。请几分钟后重试。",
        "found": "发现内容", "where": "位置", "why": "原因",
        "item": "隔离编号：",
        "help.quarantine": "如确需上传，请凭上述编号联系隔离审核员放行；放行后请重新上传同一文件。",
        "help.other": "如认为有误，请联系保密管理员。",
        "classification": "密级标志", "draft": "草稿文件",
        "signup": "注册表单中的工作邮箱", "policy": "无法检查的内容",
        "title.certificate": "未连接该网站：其证书无效",
        "lead.certificate": "Redline 无法验证该网站的证书，因此未与其连接。没有发送任何内容。",
        "title.misdirected": "请求未发送",
        "lead.misdirected": "该请求指向的网站与所用连接不符。没有发送任何内容。",
        "title.internal": "已阻止访问内部地址",
        "lead.internal": "Web 代理不连接内部地址。没有发送任何内容。",
        "title.websocket": "不允许 WebSocket 连接",
        "lead.websocket": "WebSocket 传输的内容无法检查，本代理不转发 WebSocket 连接。没有发送任何内容。",
        "why.classification": "文件带有密级标志，不得发往单位外部",
        "why.draft": "文件为草稿或未定稿（含修订、批注或草稿标记），不得外发",
        "why.signup": "工作邮箱出现在外部服务的注册表单中",
        "why.policy": "内容无法检查（已加密、已损坏或超出检查限制），按规定不予放行",
        "why.personal": "内容含有大量个人信息（身份证号、银行账号等）",
        "why.fingerprint": "内容与已登记的受控文件相符",
        "why.other": "内容命中了本单位的外发规则",
    },
    "es": {
        "title.quarantine": "Envío retenido para revisión", "title.reject": "Envío bloqueado",
        "title.signup": "Registro con dirección de trabajo bloqueado",
        "title.error": "Envío no realizado",
        "lead.quarantine": "Redline encontró contenido que no puede salir de la organización. "
                           "El envío no se realizó; queda retenido para un responsable de "
                           "cuarentena.",
        "lead.reject": "Redline encontró contenido que no puede salir de la organización. "
                       "El envío no se realizó.",
        "lead.signup": "Su dirección de trabajo no puede usarse para registrarse en servicios "
                       "externos. El formulario no se envió.",
        "lead.error": "Redline no pudo inspeccionar este envío ahora, por lo que no se realizó. "
                      "Inténtelo de nuevo en unos minutos.",
        "found": "Qué se encontró", "where": "Dónde", "why": "Por qué",
        "item": "Referencia de cuarentena:",
        "help.quarantine": "Si necesita este envío, pida a un responsable de cuarentena que lo "
                           "libere citando la referencia; después, vuelva a subir el mismo archivo.",
        "help.other": "Si cree que es un error, contacte con su responsable de seguridad.",
        "classification": "marca de clasificación", "draft": "documento en borrador",
        "signup": "dirección de trabajo en un formulario de registro",
        "policy": "contenido que no se puede inspeccionar",
        "title.certificate": "Sitio no contactado: su certificado no es válido",
        "lead.certificate": "Redline no se conectó a este sitio porque no pudo verificar su "
                            "certificado. No se le envió nada.",
        "title.misdirected": "Solicitud no enviada",
        "lead.misdirected": "Esta solicitud nombraba un sitio distinto del de la conexión "
                            "usada. No se envió nada.",
        "title.internal": "Destino interno bloqueado",
        "lead.internal": "El proxy web no se conecta a direcciones internas. No se envió nada.",
        "title.websocket": "Conexión WebSocket no permitida",
        "lead.websocket": "Lo que transporta un WebSocket no se puede inspeccionar, y este "
                          "proxy no deja pasar conexiones WebSocket. No se envió nada.",
        "why.classification": "el documento lleva una marca de clasificación y no puede salir "
                              "de la organización",
        "why.draft": "el documento es un borrador o no es definitivo (marca de borrador, "
                     "control de cambios o comentarios)",
        "why.signup": "una dirección de trabajo en el formulario de registro de un servicio externo",
        "why.policy": "el contenido no se puede inspeccionar (cifrado, dañado o fuera de los "
                      "límites) y por norma no sale",
        "why.personal": "el contenido incluye datos personales en cantidad (DNI/NIE, IBAN, "
                        "tarjetas…)",
        "why.fingerprint": "el contenido coincide con un documento registrado",
        "why.other": "el contenido cumple una regla de salida de la organización",
    },
}


def choose_language(accept_language: str) -> str:
    """The best of LANGUAGES for an Accept-Language header (RFC 9110 12.5.4); English by default."""
    best, best_q = "en", -1.0
    for position, item in enumerate(accept_language.split(",")[:50]):
        tag, _, params = item.strip().partition(";")
        q = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        primary = tag.strip().lower().split("-")[0]
        # Earlier entries win ties: browsers list preferences in order.
        if primary in LANGUAGES and q > 0 and q - position * 1e-6 > best_q:
            best, best_q = primary, q - position * 1e-6
    return best


@cache
def _template(language: str) -> string.Template:
    return string.Template((TEMPLATES / f"block.{language}.html").read_text(encoding="utf-8"))


@dataclass(frozen=True, slots=True)
class BlockPage:
    """A rendered page: status, headers' content type and body."""

    status: int
    content_type: str
    body: bytes


# Pages for a request refused before any inspection: the origin itself is the problem.
CONNECTION_STATUS = {"certificate": 502, "misdirected": 421, "internal": 403, "websocket": 403}


def _why(hit, language: str) -> str:
    """The Why cell, escaped: the rule's own description in English (rule files are written
    in English); in another language a sentence for the hit's category in that language,
    with the rule id so that the security officer can still find the exact rule."""
    if language == "en":
        return html.escape(hit.description or hit.rule)
    text = TEXT[language]
    reason = text.get(f"why.{hit.category}", text["why.other"])
    return f"{html.escape(reason)} <code>{html.escape(hit.rule)}</code>"


def render_block_page(*, action: str, verdict: Verdict | None, item_id: str = "",
                      accept_language: str = "", host: str = "", detail: str = "") -> BlockPage:
    """The page for a blocked request.

    ``action``: quarantine, reject or error (an upload), or certificate, misdirected or
    internal or websocket (the origin was not contacted; ``detail`` says why, in English,
    as logged).
    """
    language = choose_language(accept_language)
    text = TEXT[language]
    hits = list(verdict.hits) if verdict else []
    kind = action
    if action == "reject" and hits and all(h.category == "signup" for h in hits
                                           if h.category != "policy"):
        kind = "signup"
    rows = []
    for hit in hits[:20]:
        label = text.get(hit.category, hit.category)
        rows.append(f"<tr><td>{html.escape(label)}</td><td><code>{html.escape(hit.where)}</code>"
                    f"</td><td>{_why(hit, language)}</td></tr>")
    findings = f"<p><code>{html.escape(detail)}</code></p>" if detail else ""
    if rows:
        findings = (f"<table><tr><th>{text['found']}</th><th>{text['where']}</th>"
                    f"<th>{text['why']}</th></tr>\n" + "\n".join(rows) + "</table>")
    item = (f'<p>{text["item"]} <span class="id">{html.escape(item_id)}</span></p>'
            if item_id else "")
    page = _template(language).substitute(
        title=html.escape(text[f"title.{kind}"]), lead=html.escape(text[f"lead.{kind}"]),
        findings=findings, item=item,
        help=html.escape(text["help.quarantine" if item_id else "help.other"]),
        host=html.escape(host),
    )
    status = CONNECTION_STATUS.get(action, 403 if action != "error" else 503)
    return BlockPage(status, "text/html; charset=utf-8",
                     page.encode("utf-8"))
