"""Bundled framework definitions and the checks applied when one is loaded."""

from __future__ import annotations

import json

import pytest

from conftest import read_tsv
from esat.bundled import frameworks_dir
from esat.catalog import Catalog
from esat.errors import EsatError, FrameworkError
from esat.framework import load_framework_file


def test_esps_has_three_phases_of_22_indicators_in_three_sections(esps):
    assert esps.key == "esps-2009"
    assert [stage.id for stage in esps.stages] == ["baseline", "integrating", "excelling"]
    for stage, suffix in (("baseline", "B"), ("integrating", "I"), ("excelling", "E")):
        items = esps.items_for(stage)
        assert [item.code for item in items] == [f"{n}{suffix}" for n in range(1, 23)]
        by_section = {}
        for item in items:
            by_section.setdefault(item.section, []).append(int(item.code[:-1]))
        assert by_section == {"operational-delivery": list(range(1, 12)),
                              "people-and-culture": list(range(12, 18)),
                              "organisational-processes": list(range(18, 23))}
    assert [s.title for s in esps.sections] == ["Operational Delivery", "People and Culture",
                                                "Organisational Processes"]


def test_esps_scale_and_borough_exemptions(esps):
    assert [(p.label, p.met) for p in esps.scale] == [
        ("Not at all satisfactory", False), ("Not very satisfactory", False),
        ("Fairly satisfactory", True), ("Very satisfactory", True)]
    assert sorted(esps.type_exemptions("borough")) == ["15B", "17B", "20B", "21B"]
    assert esps.type_exemptions("specialist") == {}
    assert esps.threshold * 100 == 50


def test_esps_baseline_wording_is_the_official_text(esps):
    rows = read_tsv("esps_baseline_indicators.tsv")
    assert len(rows) == 22
    for row in rows:
        item = esps.item(row["code"])
        assert item.text == row["text"]
        assert item.wording == "official"
        assert item.wording_note == ""
        assert esps.section(item.section).title == row["section"]
        assert (row["code"] in esps.type_exemptions("borough")) == (row["borough_exempt"] == "yes")


def test_integrating_and_excelling_wording_is_marked_derived(esps):
    for item in esps.items:
        if item.stage != "baseline":
            assert item.wording == "derived"
            assert "not the official text" in item.wording_note
            assert item.theme == esps.item(item.code[:-1] + "B").theme


def test_eslg_has_five_cumulative_levels_over_four_areas(eslg):
    assert eslg.scope == "all_stages"
    assert eslg.method == "cumulative_levels"
    assert len(eslg.stages) == 5
    assert [s.title for s in eslg.sections][1] == "Community engagement and accountability"
    for stage in eslg.stages:
        for section in eslg.sections:
            assert any(i.stage == stage.id and i.section == section.id for i in eslg.items)
    assert {item.wording for item in eslg.items} == {"summary"}
    assert [p.label for p in eslg.scale] == ["Not started", "Partly achieved", "Achieved"]
    assert [s.external_validation for s in eslg.stages] == [False, False, True, True, True]
    assert len(eslg.items_for(None)) == len(eslg.items)


def test_catalog_lists_bundled_and_refuses_unknown(catalog):
    assert catalog.keys() == ["eslg-2007", "esps-2009"]
    assert catalog.get("esps").key == "esps-2009"
    with pytest.raises(EsatError, match="unknown framework 'esps-1999'.*esps-2009"):
        catalog.get("esps-1999")


def test_a_coordinators_folder_overrides_the_bundled_wording(tmp_path):
    data = json.loads((frameworks_dir() / "esps-2009.json").read_text())
    data["items"][22]["text"] = "Official integrating wording"
    data["items"][22]["wording"] = "official"
    (tmp_path / "esps-2009.json").write_text(json.dumps(data))
    framework = Catalog([frameworks_dir(), tmp_path]).get("esps-2009")
    assert framework.item("1I").text == "Official integrating wording"
    assert framework.item("1I").wording == "official"


def _bundled():
    return json.loads((frameworks_dir() / "esps-2009.json").read_text())


def _broken(change):
    data = _bundled()
    change(data)
    return data


@pytest.mark.parametrize("change, key, problem", [
    (lambda d: d.pop("title"), "title", "is missing"),
    (lambda d: d.update(format=2), "format", "reads format 1"),
    (lambda d: d["items"][4].update(section="nowhere"), "items[4].section", "names no section"),
    (lambda d: d["items"][5].update(stage="middle"), "items[5].stage", "names no stage"),
    (lambda d: d["items"][1].update(code="1B"), "items[1].code", "repeats the id '1B'"),
    (lambda d: d["items"][3].update(wording="official-ish"), "items[3].wording", "is 'official-ish'"),
    (lambda d: d["items"][3].update(text=""), "items[3].text", "non-empty text"),
    (lambda d: d["scale"][2].update(met="yes"), "scale[2].met", "true or false"),
    (lambda d: d["exemptions"][0]["codes"].append("99B"), "exemptions[0].codes[4]", "names no item"),
    (lambda d: d["exemptions"][0].update(unit_type="county"), "exemptions[0].unit_type", "names no unit type"),
    (lambda d: d.update(assessment_scope="some"), "assessment_scope", "expected one of"),
    (lambda d: d["scoring"].update(threshold_percent=150), "scoring.threshold_percent", "between 0 and 100"),
    (lambda d: d.update(items="none"), "items", "must be a list"),
])
def test_a_bad_definition_names_the_file_and_the_key(tmp_path, change, key, problem):
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(_broken(change)))
    with pytest.raises(FrameworkError) as caught:
        load_framework_file(path)
    message = str(caught.value)
    assert message.startswith(str(path))
    assert f"{key}: " in message
    assert problem in message


def test_unreadable_and_malformed_definitions(tmp_path):
    bad_json = tmp_path / "bad.json"
    bad_json.write_text('{"format": 1,,}')
    with pytest.raises(FrameworkError, match=r"bad.json: is not valid JSON \(line 1"):
        load_framework_file(bad_json)
    not_utf8 = tmp_path / "latin.json"
    not_utf8.write_bytes(b'{"title": "\xe9"}')
    with pytest.raises(FrameworkError, match="is not UTF-8"):
        load_framework_file(not_utf8)
    with pytest.raises(FrameworkError, match="cannot be read"):
        load_framework_file(tmp_path / "missing.json")
    array = tmp_path / "array.json"
    array.write_text("[]")
    with pytest.raises(FrameworkError, match="must be a JSON object"):
        load_framework_file(array)
