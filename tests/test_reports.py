"""PDF and HTML reports: every figure read back from the PDF's text and checked against scoring.

The PDF's text is extracted with poppler's pdftotext (poppler-utils, installed
by .ci/run); its metadata with pdfinfo and its fonts with pdffonts.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import StepClock, read_tsv
from esat.cli import main
from esat.demo import build_demo
from esat.store import Store
from esat.summary import score_row
from helpers import as_central, build_south_east

POPPLER = ("pdftotext", "pdfinfo", "pdffonts")


@pytest.fixture(scope="module", autouse=True)
def poppler():
    missing = [tool for tool in POPPLER if shutil.which(tool) is None]
    if missing:
        pytest.fail(f"{', '.join(missing)} not found: install poppler-utils (see README)")


def run(*argv, paths=None):
    out, err = io.StringIO(), io.StringIO()
    code = main(list(map(str, argv)), paths=paths, out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def pdf_pages(path: Path) -> list[str]:
    """The text of each page, in reading order, spaces squeezed."""
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout
    return [re.sub(r"[ \t]+", " ", page) for page in text.split("\f")[:-1]]


def pdf_info(path: Path) -> dict[str, str]:
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return dict(line.split(":", 1) for line in out.splitlines() if ":" in line) | {}


def info(path: Path, key: str) -> str:
    return pdf_info(path)[key].strip()


def assert_within_margins(pdf: Path) -> None:
    """No text is drawn outside the page's text area (2 cm margins on A4)."""
    bbox = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    left = [float(x) for x in re.findall(r'xMin="([\d.]+)"', bbox)]
    right = [float(x) for x in re.findall(r'xMax="([\d.]+)"', bbox)]
    assert right and max(right) <= 595.28 - 56.69 + 1 and min(left) >= 56.69 - 1


@pytest.fixture
def south_east(tmp_path, esps):
    return build_south_east(tmp_path / "se.esat", esps,
                            rows=read_tsv("esps_se_area_2011_ratings.tsv"), clock=StepClock())


@pytest.fixture
def se_report(tmp_path, south_east):
    pdf, html = tmp_path / "se.pdf", tmp_path / "se.html"
    code, out, err = run("report", south_east, "--area", "South East", "--target", "80",
                         "--pdf", pdf, "--html", html, "--invariant")
    assert (code, err) == (0, ""), err
    assert "Wrote" in out
    return pdf, html


# -- the South East reference --------------------------------------------------------------


def test_area_report_shows_the_published_scores_and_section_percentages(south_east, se_report):
    pdf, _ = se_report
    text = "\n".join(pdf_pages(pdf))
    expected = {row["unit_code"]: row for row in read_tsv("esps_se_area_2011_expected.tsv")}
    with Store.open(south_east, actor="t", read_only=True) as store:
        core = {a.unit.code: score_row(store, a) for a in store.assessments()}
    for code, row in expected.items():
        name = f"{code} {row['unit_name']}"
        ours = core[code]
        # Table 1: counts per rating level, not satisfactory, satisfactory, score, baseline
        counts = " ".join(str(ours["rating_counts"][label]) for label in (
            "Not at all satisfactory", "Not very satisfactory", "Fairly satisfactory",
            "Very satisfactory"))
        line = (f"{name} {counts} 0 {row['not_satisfactory']} {row['satisfactory']} "
                f"{row['overall']} met")
        assert line in text, line
        assert f"{ours['score_percent']}%" == row["overall"]
        # Table 2: the section percentages, then the overall score
        sections = (f"{name} {row['operational_delivery']} {row['people_and_culture']} "
                    f"{row['organisational_processes']} {row['overall']}")
        assert sections in text, sections
        assert [f"{p}%" for p in ours["sections"].values()] == [
            row["operational_delivery"], row["people_and_culture"], row["organisational_processes"]]
    assert ("Of the 6 units assessed, 6 (100%) currently meet the baseline. Therefore the "
            "FY2010/11 target of 80% has been met.") in " ".join(text.split())
    assert "Ratings that counted: the assessor's only for 6 units." in " ".join(text.split())
    assert re.search(r"^ ?8B .*MD, PL \(Fairly satisfactory\) 4$", text, re.M)
    # the weakest indicator of the review, 8B, met by Southwark and Lewisham only
    assert re.search(r"8B Impact of serious and organised crime 2 of 6 33% LX, PY, RG, RY", text)


def test_area_report_pdf_quality(se_report):
    pdf, _ = se_report
    pages = pdf_pages(pdf)
    assert len(pages) >= 3
    for number, page in enumerate(pages, start=1):
        lines = [line.strip() for line in page.strip().splitlines() if line.strip()]
        assert lines[0] == "NOT PROTECTIVELY MARKED"                # header
        assert "NOT PROTECTIVELY MARKED" in lines[-1]               # footer
        assert f"Page {number} of {len(pages)}" in lines[-1]
    assert info(pdf, "Page size").startswith("595.276 x 841.89")      # A4
    assert info(pdf, "Title") == "Review of ESPS 2009 Baseline findings for the South East area"
    assert info(pdf, "Author") == "Test User"
    assert "South East" in info(pdf, "Subject")
    assert b"/Lang (en-GB)" in pdf.read_bytes()
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True).stdout
    listed = fonts.splitlines()[2:]
    assert len(listed) == 2 and all("DejaVuSans" in line and " yes yes yes " in line
                                    for line in listed)          # only DejaVu, embedded
    assert "se.html" in " ".join(pages[0].split())              # where the accessible one is
    assert_within_margins(pdf)


def test_invariant_mode_gives_identical_bytes(tmp_path, south_east):
    first, second = tmp_path / "a.pdf", tmp_path / "b.pdf"
    # (a central database keeping no KPI target reports without a verdict only when asked)
    assert run("report", south_east, "--pdf", first, "--invariant", "--no-target")[0] == 0
    assert run("report", south_east, "--pdf", second, "--invariant", "--no-target")[0] == 0
    assert first.read_bytes() == second.read_bytes()
    html_a, html_b = tmp_path / "a.html", tmp_path / "b.html"
    assert run("report", south_east, "--html", html_a, "--invariant", "--target", "80")[0] == 0
    assert run("report", south_east, "--html", html_b, "--invariant", "--target", "80")[0] == 0
    assert html_a.read_bytes() == html_b.read_bytes()


# -- the HTML twin --------------------------------------------------------------------------


class Outline(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def test_html_is_accessible_and_self_contained(se_report):
    _, html = se_report
    source = html.read_text(encoding="utf-8")
    outline = Outline()
    outline.feed(source)
    tags = outline.tags
    assert ("html", {"lang": "en-GB"}) in tags
    assert [t for t, _ in tags].count("h1") == 1
    assert {"h2", "table", "caption", "thead", "th"} <= {t for t, _ in tags}
    assert all(a.get("scope") in ("col", "row") for t, a in tags if t == "th")
    # every chart is an image with a title and a text alternative, followed by its data
    svgs = [a for t, a in tags if t == "svg"]
    assert len(svgs) == 2 and all(a.get("role") == "img" and a.get("aria-labelledby")
                                  for a in svgs)
    for match in re.finditer(r"</figure>\n<p id=\"chart-\d-alt\">(.*?)</p>\n<table>", source):
        assert "%" in match.group(1)
    assert len(re.findall(r"</figure>\n<p id=\"chart-\d-alt\">.*?</p>\n<table>", source)) == 2
    # self-contained: no scripts, no external resources
    assert not any(t in ("script", "img", "link", "iframe") for t, _ in tags)
    assert "src=" not in source and "http" not in source
    text = " ".join("".join(outline.text).split())
    assert "LX Lambeth" in text and "94%" in text
    assert text.count("Protective marking: Not Protectively Marked") == 2


# -- the unit summary -------------------------------------------------------------------------


@pytest.fixture
def demo(tmp_path, catalog):
    return build_demo(tmp_path / "demo.esat", catalog)


def test_unit_summary_shows_every_figure_and_indicator(tmp_path, demo):
    pdf = tmp_path / "demo.pdf"
    code, out, err = run("report", demo, "--pdf", pdf)
    assert (code, err) == (0, ""), err
    pages = pdf_pages(pdf)
    text = " ".join(" ".join(pages).split())
    with Store.open(demo, actor="t", read_only=True) as store:
        a = store.only_assessment()
        score = store.score(a.uuid)
        responses = store.responses(a.uuid)
        actions = store.actions(a.uuid)
    overall = score.overall
    assert (f"Score: {overall.percent}% ({overall.met} of {overall.required} required "
            f"indicators satisfactory; {overall.unrated} not rated)") in text
    assert "The unit meets the baseline" in text
    assert "Ratings that counted: unit's own ratings" in text
    lines = [line.strip() for page in pages for line in page.splitlines()]
    for section, tally in score.sections:   # the chart's data: section, codes, counts, score
        row = re.compile(rf"^{section.title} .* {tally.required} {tally.met} {tally.percent}%$")
        assert any(row.match(line) for line in lines), section.title
        assert f"{section.title} {tally.percent}%" in text        # the chart's own labels
    for result in score.items:
        assert f"{result.item.code} {result.item.theme}" in text
        if not result.required:
            assert f"Exempt: {result.exempt_reason}" in text
        elif result.rating is not None:
            label = score.framework.scale_point(result.rating).label
            assert f"{result.item.code} {result.item.theme} Rating: {label}" in text or \
                f"Rating: {label} (unit's own rating)" in text
    for action in actions:
        assert action.description.split()[0] in text
    assert "Not signed off: revision 1 is a draft." in text
    for name in ("Rowena Stallwood", "Not Protectively Marked", "2011-11-15"):
        assert name in text
    assert sum(1 for r in responses.values() if r.narrative) > 0
    assert len(pages) > 3 and all(f"of {len(pages)}" in p for p in pages)
    assert info(pdf, "Title") == "ESPS Baseline self-assessment: Zenith Vale"


def test_assessor_and_own_ratings_are_both_shown(tmp_path, store, borough):
    store.set_self_rating(borough.uuid, "1B", "very")
    store.request_exemption(borough.uuid, "2B", "Handled by the MPS centrally")
    as_central(store)                  # the coordinators' side, as a merge leaves it
    store.set_assessor_rating(borough.uuid, "1B", "not_very", assessor_name="DCFD")
    store.close()
    pdf = tmp_path / "u.pdf"
    assert run("report", store.path, "--pdf", pdf)[0] == 0
    text = " ".join(" ".join(pdf_pages(pdf)).split())
    assert ("Rating: Not very satisfactory (assessor's rating); the unit rated itself Very "
            "satisfactory.") in text
    assert "Exemption requested: Handled by the MPS centrally (coordinator's decision: not yet " \
           "decided)." in text
    assert "Ratings that counted: assessor's ratings" in text


def test_long_text_wraps_and_unicode_names_print(tmp_path, store, borough):
    words = ("Łukasz and Zoë reviewed the custody records with the independent advisory "
             "group; ")
    narrative = (words * (40_000 // len(words) + 1))[:39_000] + "x" * 1_000
    assert len(narrative) == 40_000
    store.set_unit(borough.uuid, name="Łódź Zoë Borough")
    store.set_details(borough.uuid, author="Łukasz Żółć", protective_marking="Restricted")
    store.set_narrative(borough.uuid, "6B", narrative + " END-OF-NARRATIVE")
    store.add_note(borough.uuid, "6B", "y" * 3000, "z" * 5000)
    store.add_action(borough.uuid, "6B", "Act " + "w" * 4000, owner="Zoë Ñandú")
    store.close()
    pdf, html = tmp_path / "long.pdf", tmp_path / "long.html"
    code, _, err = run("report", store.path, "--pdf", pdf, "--html", html)
    assert (code, err) == (0, ""), err
    pages = pdf_pages(pdf)
    text = "".join(pages)
    assert len(pages) > 8                               # the narrative flowed over pages
    assert "END-OF-NARRATIVE" in text                   # ... all of it
    assert "Łukasz Żółć" in text and "Łódź Zoë Borough" in text and "Zoë Ñandú" in text
    assert all(p.strip().splitlines()[0].strip() == "RESTRICTED" for p in pages)
    assert_within_margins(pdf)
    assert "END-OF-NARRATIVE" in html.read_text(encoding="utf-8")
    # the evidence summary stays short: a 3,000-character title is cut, not printed whole
    joined = text.replace("\n", "")
    assert "y" * 160 + "…" in joined and "y" * 161 not in joined
    assert "more characters in the file" in " ".join(text.split())     # the long action


def test_tables_split_across_pages_and_repeat_their_header(tmp_path, esps):
    path = tmp_path / "many.esat"
    with Store.create(path, actor="t") as store:
        for number in range(90):
            a = store.create_assessment(esps, stage="baseline", unit_code=f"U{number:03d}",
                                        unit_name=f"Unit {number}", unit_type="borough",
                                        area="North")
            store.set_self_rating(a.uuid, "1B", "very")
    pdf = tmp_path / "many.pdf"
    assert run("report", path, "--pdf", pdf)[0] == 0
    pages = pdf_pages(pdf)
    table_pages = [p for p in pages if re.search(r"U0\d\d Unit \d+ 0 0 0 1 17", p)]
    assert len(table_pages) >= 2
    header = re.compile(r"^ ?Unit Not.* Fairly Very Not Not Satisfactory Score Baseline$", re.M)
    assert all(header.search(p) for p in table_pages)
    assert "Of the 90 units assessed, 0 (0%) currently meet the baseline" in " ".join(
        " ".join(pages).split())


# -- the command line ------------------------------------------------------------------------


@pytest.mark.parametrize("argv, message, exit_code", [
    (["--pdf", "{dir}/x.txt"], "must end in .pdf", 1),
    (["--html", "{dir}/x.pdf"], "must end in .html", 1),
    ([], "--pdf OUT and/or --html OUT", 1),
    (["--pdf", "{dir}/missing/x.pdf"], "does not exist", 1),
    (["--pdf", "{dir}/x.pdf", "--unit", "QQ"], "no unit QQ (units: LX, MD, PL, PY, RG, RY)", 1),
    (["--pdf", "{dir}/x.pdf", "--area", "North"], "no unit in area 'North'", 1),
    (["--pdf", "{dir}/x.pdf", "--target", "eighty"], "--target 'eighty' must be a percent", 1),
    (["--pdf", "{dir}/x.pdf", "--year", "2011"], "period '2011'", 1),
])
def test_report_errors_are_one_line_and_write_nothing(tmp_path, south_east, argv, message,
                                                      exit_code):
    argv = [a.replace("{dir}", str(tmp_path)) for a in argv]
    # ESAT's own folder (ESAT_HOME, here in tmp_path) may note the file as checked
    before = sorted(p.name for p in tmp_path.iterdir() if p.name != "esat-home")
    code, out, err = run("report", south_east, *argv)
    assert code == exit_code and message in err and "Traceback" not in err
    assert len(err.strip().splitlines()) <= 2 and out == ""
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "esat-home") == before


def test_report_refuses_foreign_and_missing_files(tmp_path):
    junk = tmp_path / "junk.esat"
    junk.write_text("not a database")
    code, _, err = run("report", junk, "--pdf", tmp_path / "x.pdf")
    assert code == 2 and "junk.esat" in err and "Traceback" not in err
    code, _, err = run("report", tmp_path / "none.esat", "--pdf", tmp_path / "x.pdf")
    assert code == 2 and "none.esat" in err
    assert not (tmp_path / "x.pdf").exists()


def test_units_with_different_markings_need_an_explicit_one(tmp_path, esps):
    south_east = build_south_east(tmp_path / "se.esat", esps, markings={"LX": "Restricted"},
                                  rows=read_tsv("esps_se_area_2011_ratings.tsv"))
    code, _, err = run("report", south_east, "--pdf", tmp_path / "x.pdf", "--target", "80")
    assert code == 1 and "different protective markings" in err and "--marking" in err
    code, _, err = run("report", south_east, "--pdf", tmp_path / "x.pdf", "--marking",
                       "Restricted", "--target", "80")
    assert code == 0, err
    assert pdf_pages(tmp_path / "x.pdf")[0].strip().startswith("RESTRICTED")


def test_one_unit_of_a_central_file(tmp_path, south_east):
    pdf = tmp_path / "lx.pdf"
    assert run("report", south_east, "--unit", "lx", "--pdf", pdf)[0] == 0
    text = " ".join(" ".join(pdf_pages(pdf)).split())
    assert "LX Lambeth" in text and "Score: 78% (14 of 18 required" in text
    assert "Ratings that counted: assessor's ratings" in text


def test_a_file_mixing_frameworks_reports_each_apart(tmp_path, esps, eslg):
    path = tmp_path / "mixed.esat"
    with Store.create(path, actor="t") as store:
        lx = store.create_assessment(esps, stage="baseline", unit_code="LX", unit_name="Lambeth",
                                     unit_type="borough", area="South East")
        for code in ("1B", "2B", "3B", "4B", "5B", "6B", "7B", "8B", "9B"):
            store.set_self_rating(lx.uuid, code, "fairly")
        scd = store.create_assessment(eslg, stage=None, unit_code="SCD7",
                                      unit_name="Specialist Crime", unit_type="specialist",
                                      area="Specialist")
        for item in eslg.items_for(None):
            if item.stage == "level-1":
                store.set_self_rating(scd.uuid, item.code, "achieved")
    pdf, html = tmp_path / "mixed.pdf", tmp_path / "mixed.html"
    code, _, err = run("report", path, "--pdf", pdf, "--html", html, "--target", "100")
    assert code == 0, err
    text = " ".join(" ".join(pdf_pages(pdf)).split())
    assert "ESPS 2009 Baseline" in text and "ESlg 2007 all levels" in text
    # each part has its own KPI: LX 9 of 18 = 50% meets; SCD7 attains level 1
    assert text.count("Of the 1 unit assessed, 1 (100%) currently meets the baseline. "
                      "Therefore the target of 100% has been met.") == 2
    assert re.search(r"SCD7( \d+){6} 21% 1 ", text)                # level attained: 1
    assert b"/Outlines" in pdf.read_bytes()                      # bookmarks for the headings
    assert html.read_text(encoding="utf-8").count("<h2>") >= 2


def test_hostile_names_and_long_cells_never_break_the_layout(tmp_path, esps):
    path = tmp_path / "hostile.esat"
    with Store.create(path, actor="t") as store:
        for code in ("AA", "BB"):
            a = store.create_assessment(esps, stage="baseline", unit_code=code,
                                        unit_name="W" * 5000, unit_type="borough",
                                        area="<script>&" + "M" * 3000)
            store.set_details(a.uuid, title="T" * 20000, summary="﷽" * 3000,
                              protective_marking="R" * 500)
            store.add_action(a.uuid, "1B", "W" * 9000, owner="W" * 3000)
            store.add_link(a.uuid, "1B", "x" * 4000, "https://example/" + "y" * 4000)
            store.set_self_rating(a.uuid, "1B", "very")
    for extra in ([], ["--unit", "AA"]):
        pdf, html = tmp_path / "h.pdf", tmp_path / "h.html"
        code, _, err = run("report", path, "--pdf", pdf, "--html", html, *extra)
        assert code == 0, err
        assert len(pdf_pages(pdf)) >= 2
        assert_within_margins(pdf)
        source = html.read_text(encoding="utf-8")
        assert "<script>" not in source and "&lt;script&gt;&amp;" in source
