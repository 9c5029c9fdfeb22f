"""Uploads: the type comes from the bytes, the name never reaches the disk, limits hold, refusals leave nothing."""
import io

import pytest
from portal_support import JPG, PDF, PNG, docx_bytes
from sqlalchemy import select
from tests_support import tenant_context

from tongban.platform.files.models import Upload
from tongban.platform.files.sniff import sniff
from tongban.platform.files.store import UploadRefused, UploadRules, UploadStore, clean_name


def test_sniffing_reads_magic_bytes_and_zip_contents():
    assert sniff(PDF) == "pdf" and sniff(PNG) == "png" and sniff(JPG) == "jpg"
    assert sniff(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest") == "ole2"
    docx = docx_bytes()
    assert sniff(docx, io.BytesIO(docx)) == "docx"
    assert sniff(b"MZ\x90\x00 an exe") is None and sniff(b"<html><script>") is None


def accept(db, tmp_path, name, data, formats=("pdf", "jpg", "png"), limit=1024 * 1024):
    store = UploadStore(tmp_path)
    with db.unit_of_work(tenant_context(db, "4601")) as s:
        upload = store.accept(s, owner="person:1", item_code="X", purpose="mat.m1", filename=name,
                              stream=io.BytesIO(data), rules=UploadRules(list(formats), limit, "申请书"))
        return upload.stored_name, upload.kind, upload.content_type


def test_a_file_is_stored_under_a_random_name_with_its_sniffed_type(db, tmp_path):
    stored, kind, content_type = accept(db, tmp_path, "../../etc/照片.JPG", JPG)
    assert kind == "jpg" and content_type == "image/jpeg"
    assert stored.startswith("4601/") and "照片" not in stored and ".." not in stored
    assert (tmp_path / stored).read_bytes() == JPG
    assert clean_name("../../etc/照片.JPG") == "照片.JPG" and clean_name('a<b>:"c".pdf') == "a_b___c_.pdf"


@pytest.mark.parametrize("name, data, code", [
    ("申请书.pdf", PNG, "type_mismatch"),            # a PNG wearing a .pdf name
    ("申请书.docx", docx_bytes(), "type_mismatch"),   # a real docx where only pdf/jpg/png are accepted
    ("run.exe", b"MZ\x90\x00" * 10, "unknown_type"),
    ("empty.pdf", b"", "empty"),
    ("big.pdf", PDF + b"0" * 2048, "too_large"),
])
def test_refused_files_leave_nothing_behind(db, tmp_path, name, data, code):
    with pytest.raises(UploadRefused) as refused:
        accept(db, tmp_path, name, data, limit=1024)
    assert refused.value.code == code
    assert not [p for p in tmp_path.rglob("*") if p.is_file()]
    with db.unit_of_work(tenant_context(db, "4601")) as s:
        assert s.scalars(select(Upload)).all() == []
