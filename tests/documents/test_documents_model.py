"""The input model: JSON round trip, and an InputError naming the field for what no printed
record may lack."""
from dataclasses import replace

import pytest
from document_samples import sample

from documents import InputError, InspectionRecord
from documents.model import Finding, Officer, Signature

SHA = "a" * 64


def test_a_record_survives_the_json_round_trip():
    record, _ = sample(findings=3, photos=2, refused=True)
    data = record.to_dict()
    assert isinstance(data["started_at"], str) and isinstance(data["findings"], list)
    assert InspectionRecord.from_dict(data) == record


def test_image_refs_lists_every_referenced_image_once():
    record, images = sample(findings=1, photos=2, refused=True)
    assert set(record.image_refs()) == set(images)
    assert len(record.image_refs()) == len(set(record.image_refs()))


@pytest.mark.parametrize("word, code", [("符合", "pass"), ("不符合", "fail"), ("无法判定", "inconclusive"),
                                        ("PASS", "pass"), ("fail", "fail")])
def test_verdict_words_are_read_as_codes(word, code):
    assert Finding("甲醛含量", "≤20", "19", word).verdict == code


def _dict(**changes):
    record, _ = sample(findings=1, photos=1)
    data = record.to_dict()
    for path, value in changes.items():
        target = data
        *head, last = path.split(".")
        for key in head:
            target = target[int(key)] if key.isdigit() else target[key]
        if value is KeyError:
            del target[last]
        else:
            target[last] = value
    return data


@pytest.mark.parametrize("changes, field", [
    ({"authority": ""}, "authority"),
    ({"authority": KeyError}, "authority"),
    ({"started_at": KeyError}, "started_at"),
    ({"started_at": "12 June"}, "started_at"),
    ({"ended_at": "2025-06-12T08:00:00+08:00"}, "ended_at"),
    ({"place": {"address": " "}}, "place.address"),
    ({"place": {"address": "x", "position": {"lat": 1}}}, "place.position"),
    ({"officers": []}, "officers"),
    ({"officers.0.certificate_no": ""}, "officers[0].certificate_no"),
    ({"party.name": ""}, "party.name"),
    ({"party.colour": "red"}, "party"),
    ({"findings.0.verdict": "maybe"}, "findings[0].verdict"),
    ({"findings.0.measured": ""}, "findings[0].measured"),
    ({"photos.0.sha256": "ABC"}, "photos[0].sha256"),
    ({"orders": [{"text": "整改", "deadline": "next week"}]}, "orders[0].deadline"),
    ({"orders": [{"text": ""}]}, "orders[0].text"),
    ({"signatures.0.role": "boss"}, "signatures[0].role"),
    ({"signatures.2.refused": True}, "signatures[2].refused"),
    ({"record_hash": "xyz"}, "record_hash"),
])
def test_bad_input_names_the_field(changes, field):
    with pytest.raises(InputError) as err:
        InspectionRecord.from_dict(_dict(**changes))
    assert err.value.field == field and err.value.reason


def test_a_refusal_needs_a_witness_or_a_photo():
    record, _ = sample(findings=1, photos=0)
    with pytest.raises(InputError, match="witness"):
        replace(record, signatures=(Signature("party", "刘芳", refused=True),))
    assert replace(record, signatures=(Signature("party", "刘芳", refused=True, witness_name="赵磊"),))
    assert replace(record, signatures=(Signature("party", "刘芳", refused=True, refusal_photo=SHA),))


def test_an_officer_needs_a_certificate_number():
    record, _ = sample(findings=0, photos=0)
    with pytest.raises(InputError) as err:
        replace(record, officers=(Officer("王建国", "  "),))
    assert err.value.field == "officers[0].certificate_no" and "执法证号" in err.value.reason


def test_from_dict_refuses_what_is_not_an_object():
    with pytest.raises(InputError):
        InspectionRecord.from_dict(["not", "a", "record"])
