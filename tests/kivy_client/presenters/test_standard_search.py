"""The tablet's standards search over the catalog the device pulled from the real server."""
import pytest

from kivy_client.presenters.search import StandardSearch


@pytest.mark.parametrize("text", ["甲醛", "jiaquan", "jq"])
def test_formaldehyde_is_found_with_its_class_limits(synced_store, text):
    hits = StandardSearch(synced_store).search(text)
    hit = next(h for h in hits if h.kind == "indicator" and h.standard_code == "GB 18401")
    assert "甲醛" in hit.title
    labels = {limit.class_label for limit in hit.limits}
    assert {"A类", "B类", "C类"} <= labels, [limit.text() for limit in hit.limits]


def test_nothing_for_nothing(synced_store):
    assert StandardSearch(synced_store).search("  ") == []
