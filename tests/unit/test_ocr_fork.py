"""Tesseract handles loaded before a fork (OcrReader.load_for_forks) and read with after it.

Each test forks a real child process that reads a real picture with the reader it
inherited and sends back what it read and whether it had to load an engine.
"""

from __future__ import annotations

import json
import os

import pytest
from conftest import require_peer

from filters.ocr import OcrConfig, OcrReader
from tests.fixtures import images as pictures


@pytest.fixture(autouse=True)
def _fonts():
    require_peer(pictures.fonts_missing())


def fresh_reader() -> OcrReader:
    """A reader with no handle loaded (the probe's cached reader would have one)."""
    reader, status = OcrReader.from_config(OcrConfig(enabled=True), load_now=False)
    assert reader is not None, status.reason
    return reader


def marked_page():
    return pictures.scanned(pictures.text_page([pictures.BODY_EN], banner="SECRET"))


def read_in_child(reader: OcrReader, image) -> dict:
    """Fork; the child reads ``image`` with ``reader`` and reports; the child's report."""
    receive, send = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        code = 1
        try:
            os.close(receive)
            api = reader._api._handle if reader._api is not None else None
            result = reader.read(image, seconds=120)
            report = {"text": result.text, "loaded_cpu": result.loaded.cpu,
                      "same_handle": api is not None and reader._api._handle is api}
            os.write(send, json.dumps(report).encode())
            code = 0
        finally:
            os._exit(code)
    os.close(send)
    with os.fdopen(receive, "rb") as pipe:
        data = pipe.read()
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0, data
    return json.loads(data)


def test_handles_loaded_before_the_fork_read_in_two_children_without_a_load():
    reader = fresh_reader()
    assert reader.load_for_forks(latin=True).cpu > 0
    page = marked_page()
    for _ in range(2):
        report = read_in_child(reader, page)
        assert "SECRET" in report["text"]
        assert report["same_handle"] and report["loaded_cpu"] == 0.0


def test_a_latin_page_needs_the_latin_handle_each_child_loads_unless_shared():
    reader = fresh_reader()
    reader.load_for_forks()  # layout, orientation and every language; not the Latin script's
    report = read_in_child(reader, marked_page())
    assert "SECRET" in report["text"]
    assert report["same_handle"] and report["loaded_cpu"] > 0.0


def test_loading_for_forks_starts_no_thread():
    threads = len(os.listdir("/proc/self/task"))
    reader = fresh_reader()
    reader.load_for_forks()
    assert len(os.listdir("/proc/self/task")) == threads
    assert reader._api._handle is not None and reader._layout is not None


def test_a_child_forked_after_the_parent_read_a_picture_loads_its_own():
    reader = fresh_reader()
    reader.load_for_forks(latin=True)
    page = marked_page()
    assert "SECRET" in reader.read(page, seconds=120).text  # the parent reads with them
    report = read_in_child(reader, page)
    assert "SECRET" in report["text"]
    assert not report["same_handle"] and report["loaded_cpu"] > 0.0
    # A second load_for_forks does not share handles that have read a picture.
    assert reader.load_for_forks().cpu == 0.0
    assert not read_in_child(reader, page)["same_handle"]


def test_a_child_that_read_with_inherited_handles_does_not_pass_them_on():
    reader = fresh_reader()
    reader.load_for_forks(latin=True)
    page = marked_page()
    receive, send = os.pipe()
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            os.close(receive)
            reader.read(page, seconds=120)  # the child reads with the inherited handles
            os.write(send, json.dumps(read_in_child(reader, page)).encode())
            code = 0
        finally:
            os._exit(code)
    os.close(send)
    with os.fdopen(receive, "rb") as pipe:
        report = json.loads(pipe.read())
    os.waitpid(pid, 0)
    assert "SECRET" in report["text"]
    assert not report["same_handle"] and report["loaded_cpu"] > 0.0


def test_without_a_one_thread_openmp_limit_nothing_is_loaded_for_forks(monkeypatch):
    monkeypatch.setenv("OMP_THREAD_LIMIT", "4")
    reader = fresh_reader()
    assert reader.load_for_forks().cpu == 0.0
    assert reader._api is None and reader._layout is None
