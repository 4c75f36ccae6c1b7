"""The 现场笔录's layout: the template's fields, pages numbered and signed each, refusals,
missing optional parts, images by hash."""
import hashlib
from dataclasses import replace

import pytest
from document_samples import OFFICERS, PARTY, sample, without_gps

from documents import ImageError, InspectionRecord, onsite_record, prepare, render_pdf
from documents import pdf as pdf_module
from documents.fonts import metrics
from documents.layout import Line, Picture, Text
from documents.model import Disclosure, Place, Signature
from documents.onsite import FRAME_BOTTOM, LEFT, WIDTH


def texts(layout) -> str:
    return "".join(t for page in layout.pages for t in page.texts())


@pytest.mark.parametrize("label", [
    "北京市朝阳区市场监督管理局", "编号：", "当事人：", "主体资格证照名称：", "统一社会信用代码：", "住所（住址）：",
    "法定代表人（负责人、经营者）：", "联系电话：", "现场负责人：", "检查时间：", "检查地点：", "卫星定位：",
    "执法人员：", "执法证号：", "记录人：", "已出示执法证件，表明执法身份", "已告知当事人享有陈述、申辩和申请回避的权利",
    "当事人是否申请回避：", "现场情况：", "当事人意见：", "当事人签名或者盖章：", "执法人员签名：", "（以下空白）"])
def test_the_template_fields_are_there(label):
    record, images = sample(findings=2)
    assert label in texts(onsite_record(record, images))


def test_the_head_has_the_authority_the_title_and_the_number():
    record, images = sample(findings=1)
    first = onsite_record(record, images).pages[0].texts()
    assert first[:3] == ["北京市朝阳区市场监督管理局", "现场笔录", "编号：京朝市监现〔2025〕0612-03号"]


def test_time_place_officers_and_party_are_printed():
    record, images = sample(findings=1)
    text = texts(onsite_record(record, images))
    for value in ("2025年6月12日9时30分至11时05分", "北纬39.92163°", "东经116.48712°", "精度约\u00a08\u00a0米",
                  PARTY.name, PARTY.credit_code, "陈晓明", "刘芳（店长）", *(o.name for o in OFFICERS),
                  *(o.certificate_no for o in OFFICERS)):
        assert value in text


def test_many_findings_span_pages_each_numbered_and_signed():
    record, images = sample(findings=30, photos=4, long_text=2)
    layout = onsite_record(record, images)
    total = len(layout.pages)
    assert total >= 3
    signers = {s.image for s in record.signatures if s.image}
    for n, page in enumerate(layout.pages, 1):
        assert f"第 {n} 页  共 {total} 页" in page.texts()
        drawn = {i.sha256 for i in page.items if isinstance(i, Picture)}
        assert signers <= drawn, f"page {n} lacks a signature in its strip"
        if n > 1:
            assert page.texts()[0] == "现场笔录（续页）"
    assert f"以上笔录共{total}页，已交当事人阅读核对。" in texts(layout)
    assert all(f"检查项目：{f.indicator}" in texts(layout) for f in record.findings)


def test_text_stays_inside_the_frame():
    record, images = sample(findings=12, long_text=4)
    long_party = replace(PARTY, name="北京市朝阳区小橡树童装服饰有限公司朝阳北路第一分店（原北京小橡树儿童用品商贸中心）",
                         address="北京市朝阳区朝阳北路101号院3号楼1层105、106、107室及地下一层B-12至B-15号商铺")
    record = replace(record, party=long_party, situation=record.situation + "\n" + "现场情况持续记录。" * 200)
    layout = onsite_record(record, images)
    assert len(layout.pages) >= 4
    font = metrics()
    for page in layout.pages:
        for item in page.items:
            if isinstance(item, Text) and item.y < FRAME_BOTTOM:
                right = item.x + font.width(item.text, item.size) + item.spacing * (len(item.text) - 1)
                assert LEFT - 0.01 <= item.x and right <= LEFT + WIDTH + 0.05, item.text


def test_a_refusal_is_recorded_with_its_witness_and_photo():
    record, images = sample(findings=2, refused=True)
    layout = onsite_record(record, images)
    text = texts(layout)
    refusal = next(s for s in record.signatures if s.refused)
    assert "当事人（刘芳）拒绝签名，理由：称需请示公司负责人；见证人：赵磊" in text
    assert f"拒签情况已拍照记录（SHA-256 {refusal.refusal_photo[:12]}）" in text
    assert "见证人签名：" in text and "见证人：赵磊（朝阳北路社区工作人员）" in text
    for page in layout.pages:                  # the strip of every page says the party refused
        assert "拒绝签名" in page.texts()


def test_a_record_without_its_optional_parts_still_prints():
    record = InspectionRecord(authority="上海市浦东新区市场监督管理局", started_at=sample()[0].started_at,
                              place=Place("浦东新区某路1号"), officers=OFFICERS[:1],
                              party=replace(PARTY, credit_code=None, address=None, legal_representative=None,
                                            phone=None, on_site_person=None),
                              disclosure=Disclosure(recusal_requested=None))
    layout = onsite_record(record)
    text = texts(layout)
    assert len(layout.pages) == 1
    assert "2025年6月12日9时30分起" in text and "未取得卫星定位，检查地点由执法人员现场录入" in text
    assert "现场情况：（未记录）" in text and "编号：" not in text and "现场负责人：" not in text
    assert "第 1 页  共 1 页" in text
    ticks = [i for i in layout.pages[0].items if isinstance(i, Line) and i.width == 0.35]
    assert len(ticks) == 4                      # two ticked boxes (two strokes each), recusal unrecorded


def test_no_gps_says_the_officer_typed_the_site():
    record, images = sample(findings=1)
    assert "未取得卫星定位，检查地点由执法人员现场录入" in texts(onsite_record(without_gps(record), images))


def test_unsigned_records_leave_lines_to_sign_by_hand():
    record, _ = sample(findings=1, signed=False, opinion=None)
    layout = onsite_record(record)
    assert not any(isinstance(i, Picture) for page in layout.pages for i in page.items)
    assert "    年   月   日" in texts(layout)


def test_an_image_not_given_is_a_placeholder_and_a_wrong_one_an_error():
    record, images = sample(findings=1, photos=0)
    party = next(s for s in record.signatures if s.role == "party")
    partial = {k: v for k, v in images.items() if k != party.image}
    assert "签名图像未提供" in texts(onsite_record(record, partial))
    wrong = dict(images, **{party.image: images[next(iter(set(images) - {party.image}))]})
    with pytest.raises(ImageError) as err:
        onsite_record(record, wrong)
    assert err.value.sha256 == party.image
    garbage = b"not an image"
    digest = hashlib.sha256(garbage).hexdigest()
    broken = replace(record, signatures=(Signature("party", "刘芳", image=digest),))
    with pytest.raises(ImageError, match="readable"):
        onsite_record(broken, {digest: garbage})


def test_images_can_come_from_a_callable():
    record, images = sample(findings=1)
    asked = []
    layout = onsite_record(record, lambda sha: asked.append(sha) or images.get(sha))
    assert set(asked) <= set(images) and any(isinstance(i, Picture) for i in layout.pages[0].items)


def test_characters_the_font_lacks_are_reported():
    record, images = sample(findings=1)
    layout = onsite_record(replace(record, party=replace(PARTY, name="长沙市㮾梨街道某商行")), images)
    assert layout.missing_glyphs == frozenset("㮾")


def test_the_same_record_gives_the_same_pdf():
    record, images = sample(findings=3, photos=1)
    assert render_pdf(onsite_record(record, images)) == render_pdf(onsite_record(record, images))


def test_a_pdf_from_a_prepared_font_is_the_same_pdf():
    record, images = sample(findings=2, photos=1)
    layout = onsite_record(record, images)
    cold = render_pdf(layout)
    prepare()
    assert pdf_module._prepared
    assert render_pdf(layout) == cold and not pdf_module._prepared
