"""Sensitivity labels (MSIP) in Office files, PDFs and mail: mapped by [labels], and a
label that claims nothing sensitive on marked content is its own hit."""

import base64
import io
import json
import random
import tarfile
import zipfile

import pytest

from filters.build import FiltersConfig, build_pipeline
from filters.engines.labels import LabelsConfig, label_scope
from filters.errors import ConfigError
from filters.types import Part
from tests.corpus_blind.make import make_docx, make_labelled_pdf, make_mail, make_xlsx, msip_props

PIPELINE = build_pipeline()


def rng() -> random.Random:
    return random.Random(7)


def scan(data: bytes, name: str):
    return PIPELINE.scan(Part(origin=name, data=data, name=name))


def label_hits(verdict):
    return [h for h in verdict.hits if h.rule.startswith("label.")]


def test_a_confidential_label_in_custom_properties_holds_a_clean_document():
    verdict = scan(make_docx(rng(), "en", labels=msip_props(rng(), "Highly Confidential")), "a.docx")
    [hit] = label_hits(verdict)
    assert (hit.rule, hit.category, hit.severity) == ("label.sensitivity", "classification", "high")
    assert "Highly Confidential" in hit.excerpt
    assert hit.where.startswith("a.docx/docProps/custom.xml#MSIP_Label_")
    assert verdict.action == "quarantine"


def test_a_sub_label_falls_back_to_its_parent():
    verdict = scan(make_xlsx(rng(), "en", labels=msip_props(rng(), "Confidential\\All Employees")),
                   "b.xlsx")
    assert [h.category for h in label_hits(verdict)] == ["classification"]


def test_general_and_public_labels_pass_and_are_noted():
    for name in ("General", "Public", "非业务"):
        verdict = scan(make_docx(rng(), "en", labels=msip_props(rng(), name)), "c.docx")
        assert verdict.passed, name
        assert {h.severity for h in label_hits(verdict)} == {"info"}


@pytest.mark.parametrize(("name", "held"), [
    ("Streng vertraulich", True), ("Hautement confidentiel\\Tous les employés", True), ("社外秘", True),
    ("Allgemein", False), ("Général", False), ("一般", False)])
def test_default_labels_named_in_the_organisations_language_are_mapped(name, held):
    verdict = scan(make_docx(rng(), "en", labels=msip_props(rng(), name)), "e.docx")
    [hit] = label_hits(verdict)
    assert hit.rule == ("label.sensitivity" if held else "label.public")
    assert verdict.passed is not held


def test_public_label_on_marked_content_is_a_mismatch():
    data = make_docx(rng(), "en", first="SECRET//NOFORN", labels=msip_props(rng(), "Public"))
    verdict = scan(data, "d.docx")
    [mismatch] = [h for h in verdict.hits if h.rule == "label.mismatch"]
    assert (mismatch.category, mismatch.severity, mismatch.where) == ("classification", "high", "d.docx")
    assert "Public" in mismatch.excerpt and "SECRET" in mismatch.excerpt


def test_public_label_on_clean_content_is_no_mismatch():
    verdict = scan(make_docx(rng(), "en", labels=msip_props(rng(), "Public")), "e.docx")
    assert not [h for h in verdict.hits if h.rule == "label.mismatch"]


def test_msip_labels_mail_header_is_read_and_covers_the_attachments():
    mail = make_mail(rng(), "en", msip=msip_props(rng(), "General"),
                     attachment=("plan.docx", make_docx(rng(), "en", header="TOP SECRET"), "2231"))
    verdict = scan(mail, "m.eml")
    assert [h.rule for h in label_hits(verdict)] == ["label.public", "label.mismatch"]
    confidential = scan(make_mail(rng(), "en", msip=msip_props(rng(), "Confidential")), "n.eml")
    assert [h.category for h in label_hits(confidential)] == ["classification"]


def test_pdf_label_in_xmp_is_read():
    pdf = make_labelled_pdf(rng(), ["Quarterly figures"], msip_props(rng(), "Confidential"))
    verdict = scan(pdf, "r.pdf")
    [hit] = label_hits(verdict)
    assert (hit.category, hit.where) == ("classification", "r.pdf")


def _with_label_info_only(data: bytes, guid: str) -> bytes:
    """The docx with docMetadata/LabelInfo.xml (id only, as newer Office writes) added."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            body = source.read(info.filename)
            if info.filename == "[Content_Types].xml":
                body = body.replace(b"</Types>", b'<Override PartName="/docMetadata/LabelInfo.xml" '
                                    b'ContentType="application/vnd.ms-office.classificationlabels+xml"/>'
                                    b"</Types>")
            target.writestr(info.filename, body)
        target.writestr("docMetadata/LabelInfo.xml", (
            '<?xml version="1.0" encoding="utf-8" standalone="yes"?><clbl:labelList xmlns:clbl='
            '"http://schemas.microsoft.com/office/2020/mipLabelMetadata"><clbl:label '
            f'id="{{{guid}}}" enabled="1" method="Standard" siteId="{{{guid}}}" removed="0" />'
            "</clbl:labelList>").encode())
    return out.getvalue()


def test_label_known_only_by_id_is_named_through_the_config():
    guid = "3f4c1e2a-8b7d-4c6e-9a1b-2d3e4f5a6b7c"
    data = _with_label_info_only(make_docx(rng(), "en"), guid)
    unmapped = PIPELINE.scan(Part(origin="f.docx", data=data, name="f.docx"))
    assert unmapped.passed and not label_hits(unmapped)
    config = FiltersConfig.from_mapping({"labels": {"ids": {guid: "Top Secret"}}})
    verdict = build_pipeline(config).scan(Part(origin="f.docx", data=data, name="f.docx"))
    assert {h.severity for h in label_hits(verdict)} == {"critical"}


def test_config_maps_a_label_name():
    config = FiltersConfig.from_mapping({"labels": {"names": {"Amber": "classification/medium",
                                                              "Confidential": "none"}}})
    pipeline = build_pipeline(config)
    amber = pipeline.scan(Part(origin="g.docx", name="g.docx",
                               data=make_docx(rng(), "en", labels=msip_props(rng(), "Amber"))))
    assert [(h.category, h.severity) for h in label_hits(amber)] == [("classification", "medium")]
    lowered = pipeline.scan(Part(origin="h.docx", name="h.docx",
                                 data=make_docx(rng(), "en", labels=msip_props(rng(), "Confidential"))))
    assert lowered.passed


@pytest.mark.parametrize(("table", "message"), [
    ({"names": {"Amber": "classification"}}, "labels.names.Amber: expected 'category/severity'"),
    ({"names": {"Amber": "classification/urgent"}}, "labels.names.Amber"),
    ({"ids": {"not-a-guid": "Secret"}}, "labels.ids.not-a-guid: not a label GUID"),
    ({"mismatch_severity": "huge"}, "labels.mismatch_severity"),
    ({"colour": "red"}, "labels.colour: unknown key"),
])
def test_bad_labels_config_is_refused_naming_the_key(table, message):
    with pytest.raises(ConfigError, match=message):
        FiltersConfig.from_mapping({"labels": table})


def test_label_scope_is_the_document_or_mail():
    assert label_scope("x.zip/a.docx/docProps/custom.xml#MSIP_Label_1_Name") == "x.zip/a.docx"
    assert label_scope("m.eml/header:msip_labels") == "m.eml"
    assert label_scope("r.pdf") == "r.pdf"
    assert LabelsConfig().table()["general"] == "none"


def test_a_bad_labels_section_stops_the_start_naming_the_key(tmp_path):
    from gateway.config import load_config

    path = tmp_path / "redline.toml"
    path.write_text('[labels.names]\n"Amber" = "classification/urgent"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"labels\.names\.Amber"):
        load_config(path)
    path.write_text('[labels.names]\n"Amber" = "classification/medium"\n', encoding="utf-8")
    assert load_config(path).filters.labels.names == {"Amber": "classification/medium"}


# -- RFC 7444 SIO-Label, Titus headers, tar extended attributes ----------------------------

from tests.corpus_labels.cases import _mail, ess_label, sio_label, tar_xattr, titus_metadata  # noqa: E402


@pytest.mark.parametrize(("level", "held"),
                         [(5, True), (4, True), (3, True), (2, True), (1, False), (0, False)])
def test_an_sio_label_is_held_at_the_level_its_ess_label_encodes(level, held):
    verdict = scan(_mail([sio_label(None, level)]), "m.eml")
    [hit] = label_hits(verdict)
    assert hit.where == "m.eml/header:SIO-Label"
    assert verdict.passed is not held, hit


def test_the_encoded_label_outranks_the_display_marking():
    # A display marking says UNCLASSIFIED over a label that encodes secret(4): the label rules.
    verdict = scan(_mail([sio_label("UNCLASSIFIED", 4)]), "m.eml")
    assert not verdict.passed
    assert "'Secret'" in label_hits(verdict)[0].excerpt


@pytest.mark.parametrize("label", [
    "not base64 at all!", base64.b64encode(b"\x30\x03\x02\x01\x04").decode(),  # a SEQUENCE, not a SET
    base64.b64encode(b"\x31\x84\xff\xff\xff\xff").decode(),  # a length past the end
    base64.b64encode(b"\x31\x03\x04\x01\x04").decode()])  # an OCTET STRING where the level stands
def test_an_sio_label_that_is_no_ess_label_falls_back_to_its_marking(label):
    field = f'SIO-Label: marking="PUBLIC RELEASE"; type=":ess"; label="{label}"'
    verdict = scan(_mail([field]), "m.eml")
    assert verdict.passed
    assert all("PUBLIC RELEASE" in h.excerpt for h in label_hits(verdict))


def test_ess_labels_under_other_policies_read_the_same_integer():
    assert base64.b64decode(ess_label(4, "2.16.840.1.101.2.1.8.3")).startswith(b"\x31")
    verdict = scan(_mail([f'SIO-Label: type=":x411"; label="{ess_label(5, "2.16.840.1.101.2.1.8.3")}"']),
                   "m.eml")
    assert [h.severity for h in label_hits(verdict)] == ["critical"]


@pytest.mark.parametrize(("value", "held"), [("SECRET", True), ("Top Secret", True),
                                             ("UNCLASSIFIED", False), ("Public", False)])
def test_a_titus_metadata_header_is_read_by_its_classification_field(value, held):
    verdict = scan(_mail([titus_metadata(value)]), "t.eml")
    assert verdict.passed is not held
    assert value in label_hits(verdict)[0].excerpt


def test_a_titus_header_that_is_not_its_json_is_no_label():
    field = "x-titus-metadata-40: " + base64.b64encode(b'{"Metadata": "SECRET"}').decode()
    assert not label_hits(scan(_mail([field]), "t.eml"))
    assert not label_hits(scan(_mail(["x-titus-metadata-40: %%%% SECRET"]), "t.eml"))


def test_a_titus_field_of_another_name_counts_only_when_its_value_is_a_level():
    doc = {"Metadata": {"props": [{"n": "Department", "vals": [{"value": "Finance"}]},
                                  {"n": "Caveat", "vals": [{"value": "Secret"}]}]}}
    field = "x-titus-metadata-40: " + base64.b64encode(json.dumps(doc).encode()).decode()
    verdict = scan(_mail([field]), "t.eml")
    assert [h.excerpt for h in label_hits(verdict)] == ["Titus label 'Secret' (Titus Caveat)"]


def test_a_tar_members_extended_attribute_carries_its_label():
    verdict = scan(tar_xattr("SECRET"), "a.tar")
    assert any(h.where == "a.tar/q3-review.txt#xattr:user.classification" and h.category == "classification"
               for h in verdict.hits)
    assert scan(tar_xattr("UNCLASSIFIED"), "b.tar").passed


def test_libarchive_extended_attributes_are_decoded_and_binary_ones_skipped():
    body = b"minutes\n"
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w", format=tarfile.PAX_FORMAT) as tar:
        info = tarfile.TarInfo("minutes.txt")
        info.size = len(body)
        acl = base64.b64encode(b"\x02\x00\xff").decode()
        info.pax_headers = {"LIBARCHIVE.xattr.user.classification": base64.b64encode(b"SECRET").decode(),
                            "LIBARCHIVE.xattr.system.posix_acl_access": acl}
        tar.addfile(info, io.BytesIO(body))
    verdict = scan(out.getvalue(), "c.tar")
    assert {h.where for h in verdict.hits if h.category == "classification"} == {
        "c.tar/minutes.txt#xattr:user.classification"}
