"""The snapshot read model: one assessment read whole through the Store API."""

from __future__ import annotations

from esat.snapshot import take_all, take_snapshot

from helpers import as_central


def test_snapshot_holds_what_a_report_needs(store, borough):
    u = borough.uuid
    store.set_details(u, protective_marking="Restricted", author="Zoë Lead", review_on="2012-02-15")
    store.set_self_rating(u, "1B", "very")
    store.set_self_rating(u, "2B", "fairly")
    store.set_narrative(u, "2B", "What we do")
    store.add_note(u, "2B", "Minutes", "Body")
    store.add_link(u, "3B", "Survey", "https://intranet.example/s")
    store.request_exemption(u, "4B", "Done centrally")
    store.add_action(u, "2B", "Brief the teams", owner="SMT", due_on="2011-06-30")
    store.add_action(u, None, "Review the plan")
    store.sign_off(u, name="B. Boss", role="Superintendent", signed_on="2011-02-01")
    as_central(store)                  # the coordinators' side, as a merge leaves it
    store.set_assessor_rating(u, "1B", "not_very", assessor_name="DCFD")
    store.decide_exemption(u, "4B", True, "Agreed: done centrally")
    snap = take_snapshot(store, u)
    assert snap.assessment.protective_marking == "Restricted" and snap.unit.code == "LX"
    assert snap.stage.title == "Baseline" and snap.file_name == "unit.esat"
    one = snap.indicator("1B")
    assert (one.self_label, one.assessor_label, one.counted, one.counting_label, one.met) == (
        "Very satisfactory", "Not very satisfactory", "assessor", "Not very satisfactory", False)
    two = snap.indicator("2B")
    assert (two.counted, two.narrative, [e.title for e in two.evidence]) == (
        "self", "What we do", ["Minutes"])
    assert [a.description for a in two.actions] == ["Brief the teams"]
    assert [e.kind for e in snap.indicator("3B").evidence] == ["link"]
    four = snap.indicator("4B")
    assert (four.required, four.exemption_requested, four.exemption_decision) == (False, True, True)
    assert four.result.exempt_reason == "Agreed: done centrally"
    assert not snap.indicator("15B").required                   # exempt for boroughs
    assert snap.indicator("9B").counting_label == "Not rated"
    assert {a.description for a in snap.actions} == {"Brief the teams", "Review the plan"}
    assert snap.latest_signoff.name == "B. Boss"
    assert snap.score == store.score(u)                          # the core's own scoring
    assert [s.title for s in snap.sections] == ["Operational Delivery", "People and Culture",
                                                "Organisational Processes"]


def test_take_all_reads_every_assessment_in_the_file(store, esps, borough):
    other = store.create_assessment(esps, stage="baseline", unit_code="MD",
                                    unit_name="Southwark", unit_type="borough", area="South East")
    store.set_self_rating(other.uuid, "1B", "fairly")
    snaps = take_all(store)
    assert [s.unit.code for s in snaps] == ["LX", "MD"]
    assert snaps[1].score.overall.met == 1 and snaps[0].score.overall.met == 0
