"""The inspection report: every finding with both verdicts and rule-set versions, a
disagreement marked, photos with captions, signatures; long lists over several pages."""
import io
from dataclasses import replace

from document_samples import photo_jpeg, sample, sha
from PIL import Image

from documents import inspection_report, render_pdf
from documents.fonts import metrics
from documents.images import PRINT_PIXELS
from documents.layout import Box, Picture, Text
from documents.model import Photo
from documents.report import DIFFER, LEFT, WIDTH


def texts(layout) -> str:
    return "".join(t for page in layout.pages for t in page.texts())


def test_every_finding_has_its_limit_value_both_verdicts_and_rule_sets():
    record, images = sample(findings=6, photos=0)
    layout = inspection_report(record, images)
    text = texts(layout)
    for f in record.findings:
        assert f.indicator in text and f.limit in text
    assert text.count("规则集\u00a02025.1") == 6 and text.count("规则集\u00a02025.2") == 5
    assert "未复核" in text and "尚未复核1项" in text
    assert "共检查6项：符合5项，不符合1项，无法判定0项" in text
    assert "现场判定与复核判定不一致1项" in text


def test_a_disagreement_is_shaded_in_both_verdict_cells():
    record, images = sample(findings=4, photos=0)          # finding 4: tablet fail, server pass
    layout = inspection_report(record, images)
    shaded = [i for page in layout.pages for i in page.items if isinstance(i, Box) and i.fill == DIFFER]
    assert len(shaded) == 2
    agreeing = replace(record, findings=tuple(replace(f, server_verdict=f.verdict) for f in record.findings))
    assert not [i for page in inspection_report(agreeing, images).pages for i in page.items
                if isinstance(i, Box) and i.fill == DIFFER]


def test_photos_carry_time_inspector_place_and_finding():
    record, images = sample(findings=3, photos=3)
    text = texts(inspection_report(record, images))
    assert "照片 1：吊牌及使用说明（甲醛含量）" in text
    assert "2025-06-12 09:45 · 拍摄：王建国" in text and "朝阳区朝阳北路101号院3号楼" in text
    assert f"SHA-256 {record.photos[2].sha256[:16]}…" in text


def test_a_photo_not_uploaded_yet_is_a_placeholder():
    record, images = sample(findings=1, photos=2)
    missing = record.photos[1].sha256
    layout = inspection_report(record, {k: v for k, v in images.items() if k != missing})
    assert "照片尚未上传" in texts(layout)
    drawn = {i.sha256 for page in layout.pages for i in page.items if isinstance(i, Picture)}
    assert record.photos[0].sha256 in drawn and missing not in drawn


def test_a_large_photo_is_embedded_at_print_size():
    record, images = sample(findings=1, photos=0)
    big = photo_jpeg(5, size=(4000, 3000))
    record = replace(record, photos=(Photo(sha(big), caption="整体"),))
    layout = inspection_report(record, {**images, sha(big): big})
    (pic,) = [i for page in layout.pages for i in page.items if isinstance(i, Picture) and i.sha256 == sha(big)]
    assert max(Image.open(io.BytesIO(pic.data)).size) == PRINT_PIXELS and len(pic.data) < len(big)


def test_many_findings_continue_the_table_with_its_header_on_each_page():
    record, images = sample(findings=40, photos=2)
    layout = inspection_report(record, images)
    assert len(layout.pages) >= 3
    result_pages = [p for p in layout.pages if any(t.startswith("耐唾液色牢度") for t in p.texts())]
    assert len(result_pages) >= 2 and all("复核判定" in p.texts() for p in result_pages)
    total = len(layout.pages)
    assert all(f"第 {n} 页  共 {total} 页" in p.texts() for n, p in enumerate(layout.pages, 1))
    assert render_pdf(layout).startswith(b"%PDF")


def test_a_report_without_findings_photos_or_signatures():
    record, _ = sample(findings=0, photos=0, signed=False, orders=False)
    text = texts(inspection_report(record))
    assert "本次检查未记录检测项目。" in text and "现场照片" not in text and "整改要求" not in text
    assert "三、签名" in text and text.count("执法人员：") == 2


def test_the_refusal_shows_in_the_signatures():
    record, images = sample(findings=1, photos=0, refused=True)
    text = texts(inspection_report(record, images))
    assert "拒绝签名，见证人：赵磊" in text and "见证人：赵磊（朝阳北路社区工作人员）" in text


def test_report_text_stays_inside_the_page_frame():
    record, images = sample(findings=8, photos=3)
    long = replace(record.party, name="北京市朝阳区小橡树童装服饰有限公司朝阳北路第一分店（原北京小橡树儿童用品商贸中心）" * 2)
    layout = inspection_report(replace(record, party=long), images)
    font = metrics()
    for page in layout.pages:
        for item in page.items:
            if isinstance(item, Text):
                right = item.x + font.width(item.text, item.size) + item.spacing * (len(item.text) - 1)
                assert LEFT - 0.01 <= item.x and right <= LEFT + WIDTH + 0.05, item.text
