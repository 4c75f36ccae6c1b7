"""Benchmark of the printed records: how long the tablet's 完成检查 step waits for them.

Run: .venv/bin/python bench/documents.py [--runs R] [--findings N]
Prints, as medians of R runs in this process: laying out a 3-page 现场笔录 (12 findings, 3
photos, long 现场情况), drawing its on-screen preview (Pillow, 3 pages at 110 dpi, as images
and as PNG files), writing
its PDF (fpdf2, the CJK font subset embedded) cold and with the font read ahead by
`documents.prepare` (what `warm_up` does in a background thread), and the inspection report —
beside a baseline measured in the same process: the smallest CJK PDF fpdf2 can write with
this font (one line of text), the floor of any PDF made this way. Then, in a fresh
process, the first 现场笔录 after start (imports, reading the font's metrics, the PDF).
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

_HERE = Path(__file__).resolve().parent
ROOT = _HERE.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "documents"))

from document_samples import sample
from fpdf import FPDF

from documents import (
    inspection_report,
    onsite_record,
    prepare,
    render_images,
    render_pdf,
    render_png,
)
from documents.fonts import FACE, FONT_PATH

COLD = """
import sys, time
t0 = time.perf_counter()
sys.path[:0] = [{root!r}, {samples!r}]
from document_samples import sample
record, images = sample(findings={findings}, photos=3, long_text=3)
t1 = time.perf_counter()
from documents import onsite_record, render_pdf, render_png
layout = onsite_record(record, images)
t2 = time.perf_counter()
render_png(layout, dpi=110)
t3 = time.perf_counter()
render_pdf(layout)
t4 = time.perf_counter()
print(len(layout.pages), t2 - t1, t3 - t2, t4 - t3)
"""


def baseline_pdf() -> bytes:
    pdf = FPDF(unit="mm")
    pdf.add_font("wqy", fname=str(FONT_PATH), collection_font_number=FACE)
    pdf.set_font("wqy", size=12)
    pdf.add_page()
    pdf.text(20, 20, "现场笔录")
    return bytes(pdf.output())


def median_time(func, runs: int, before=None) -> float:
    times = []
    for _ in range(runs):
        if before is not None:
            before()                  # untimed: what a background thread did earlier
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--findings", type=int, default=12)
    args = parser.parse_args()
    record, images = sample(findings=args.findings, photos=3, long_text=3)
    layout = onsite_record(record, images)
    report = inspection_report(record, images)
    print(f"现场笔录: {len(layout.pages)} pages, {args.findings} findings, 3 photos; "
          f"report: {len(report.pages)} pages; medians of {args.runs} runs")
    base = median_time(baseline_pdf, args.runs)
    rows = [
        ("baseline: one-line CJK PDF (fpdf2, same font)", base),
        ("现场笔录 layout", median_time(lambda: onsite_record(record, images), args.runs)),
        ("现场笔录 preview, 3 pages as images at 110 dpi", median_time(lambda: render_images(layout, dpi=110),
                                                                    args.runs)),
        ("现场笔录 preview as PNG files (+ encoding)", median_time(lambda: render_png(layout, dpi=110), args.runs)),
        ("现场笔录 PDF (from the layout)", median_time(lambda: render_pdf(layout), args.runs)),
        ("现场笔录 PDF, font prepared ahead (warm_up)", median_time(lambda: render_pdf(layout), args.runs,
                                                                 before=prepare)),
        ("现场笔录 layout + PDF", median_time(lambda: render_pdf(onsite_record(record, images)), args.runs)),
        ("report layout + PDF", median_time(lambda: render_pdf(inspection_report(record, images)), args.runs)),
    ]
    for name, seconds in rows:
        print(f"  {name:<46} {seconds * 1000:8.1f} ms   {seconds / base:5.2f}× baseline")
    colds = []
    for _ in range(max(1, args.runs // 2)):
        code = COLD.format(root=str(ROOT), samples=str(ROOT / "tests" / "documents"), findings=args.findings)
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120)
        colds.append([float(v) for v in out.stdout.split()[1:]])
    lay, png, pdf = (statistics.median(c[i] for c in colds) for i in range(3))
    print(f"  fresh process, first 现场笔录: layout {lay * 1000:.0f} ms (reads the font's metrics), "
          f"preview {png * 1000:.0f} ms, PDF {pdf * 1000:.0f} ms (median of {len(colds)})")


if __name__ == "__main__":
    main()
