"""Both back ends: the PDF read back with poppler (the Chinese text, the embedded font, the
signatures, page numbers) and the Pillow preview compared with poppler's rendering of the
PDF — one layout, so the preview is the page that prints. Example pages go to
tests/_artifacts/documents/."""
import re

import pytest
from document_samples import sample
from PIL import Image, ImageChops, ImageFilter

from documents import inspection_report, onsite_record, render_images, render_pdf, render_png
from documents.layout import Picture


def norm(text: str) -> str:
    return re.sub(r"\s+", "", text.replace("\u00a0", ""))


@pytest.fixture(scope="module")
def onsite():
    record, images = sample(findings=8, photos=3, long_text=2, refused=True)
    layout = onsite_record(record, images)
    return record, layout, render_pdf(layout)


def test_the_pdf_holds_the_chinese_text_of_the_layout_in_order(onsite, poppler, tmp_path):
    _, layout, pdf = onsite
    path = tmp_path / "onsite.pdf"
    path.write_bytes(pdf)
    for n, page in enumerate(layout.pages, 1):
        extracted = norm(poppler("pdftotext", "-f", str(n), "-l", str(n), "-raw", str(path), "-"))
        pos = 0
        for text in page.texts():
            found = extracted.find(norm(text), pos)
            assert found >= 0, f"page {n}: {text!r} not in the PDF text (after position {pos})"
            pos = found
    info = poppler("pdfinfo", str(path))
    assert re.search(rf"Pages:\s+{len(layout.pages)}\b", info)
    assert "现场笔录" in info and "北京市朝阳区市场监督管理局" in info       # title and author


def test_the_font_is_embedded_as_a_subset_with_unicode(onsite, poppler, tmp_path):
    path = tmp_path / "onsite.pdf"
    path.write_bytes(onsite[2])
    fonts = [line.split() for line in poppler("pdffonts", str(path)).splitlines()[2:]]
    assert len(fonts) == 1
    name, *_, emb, sub, uni, _obj, _gen = fonts[0]
    assert re.fullmatch(r"[A-Z]{6}\+WenQuanYiMicroHei", name) and (emb, sub, uni) == ("yes", "yes", "yes")
    assert len(onsite[2]) < 400_000          # a subset, not the 5 MB font


def test_the_signatures_are_placed_on_every_page(onsite, poppler, tmp_path):
    record, layout, pdf = onsite
    path = tmp_path / "onsite.pdf"
    path.write_bytes(pdf)
    rows = [line.split() for line in poppler("pdfimages", "-list", str(path)).splitlines()[2:]]
    per_page = {n: sum(1 for r in rows if r[0] == str(n) and r[2] == "image") for n in range(1, len(layout.pages) + 1)}
    signed = sum(1 for s in record.signatures if s.image and s.role == "officer")
    assert all(count >= signed for count in per_page.values()), per_page


def _ink(img: Image.Image) -> Image.Image:
    return img.convert("L").point(lambda v: 255 if v < 160 else 0)


def _near(a: Image.Image, b: Image.Image) -> float:
    """Share of a's ink that lies within one pixel of b's ink."""
    inter = ImageChops.darker(_ink(a), _ink(b).filter(ImageFilter.MaxFilter(3)))
    return sum(inter.histogram()[255:]) / max(1, sum(_ink(a).histogram()[255:]))


@pytest.mark.parametrize("kind", ["onsite", "report"])
def test_the_preview_matches_the_print(kind, poppler, tmp_path, artifacts):
    record, images = sample(findings=6, photos=2, long_text=1)
    layout = (onsite_record if kind == "onsite" else inspection_report)(record, images)
    path = tmp_path / f"{kind}.pdf"
    path.write_bytes(render_pdf(layout))
    dpi = 100
    poppler("pdftoppm", "-png", "-r", str(dpi), "-f", "1", "-l", "1", str(path), str(tmp_path / "print"))
    printed = Image.open(next(tmp_path.glob("print*.png"))).convert("RGB")
    preview = render_images(layout, dpi=dpi)[0]
    assert abs(printed.width - preview.width) <= 1 and abs(printed.height - preview.height) <= 1
    printed = printed.resize(preview.size)
    Image.blend(printed, preview, 0.5).save(artifacts / f"{kind}-print-vs-preview.png")
    assert _near(printed, preview) > 0.93 and _near(preview, printed) > 0.93
    shifted = Image.new("RGB", preview.size, "white")
    shifted.paste(preview, (2, 0))             # the same check fails for a preview half a millimetre off
    assert _near(printed, shifted) < 0.9


def test_preview_pages_have_the_size_of_a4_at_the_dpi_asked():
    record, images = sample(findings=2)
    pages = render_images(onsite_record(record, images), dpi=110)
    assert {p.size for p in pages} == {(909, 1286)} and all(p.mode == "RGB" for p in pages)


def test_the_preview_draws_the_signatures_where_the_layout_puts_them():
    record, images = sample(findings=1)
    layout = onsite_record(record, images)
    page = render_images(layout, dpi=100)[0]
    scale = 100 / 25.4
    pictures = [i for i in layout.pages[0].items if isinstance(i, Picture)]
    assert pictures
    for pic in pictures:
        box = page.crop(tuple(round(v * scale) for v in (pic.x, pic.y, pic.x + pic.w, pic.y + pic.h))).convert("L")
        assert box.getextrema()[0] < 120, "no ink where the signature goes"


def test_example_pages_for_people_to_look_at(artifacts, poppler, tmp_path):
    """Writes the example pages the closing note points to (the three-page 现场笔录, a refusal,
    the report) as previews and as poppler renders of the PDF."""
    cases = {"onsite": sample(findings=6, photos=3, long_text=3),
             "onsite-refused": sample(findings=2, photos=1, refused=True),
             "report": sample(findings=6, photos=3)}
    for name, (record, images) in cases.items():
        layout = (inspection_report if name == "report" else onsite_record)(record, images)
        pdf = render_pdf(layout)
        (artifacts / f"{name}.pdf").write_bytes(pdf)
        for n, png in enumerate(render_png(layout, dpi=110), 1):
            (artifacts / f"{name}-preview-{n}.png").write_bytes(png)
        poppler("pdftoppm", "-png", "-r", "110", str(artifacts / f"{name}.pdf"), str(artifacts / f"{name}-print"))
        assert len(list(artifacts.glob(f"{name}-print-*.png"))) >= len(layout.pages)
