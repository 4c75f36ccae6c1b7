"""assets.messages: the one catalogue: both languages hold the same keys with the same
parameters, texts fill, languages are negotiated."""
import pytest

from assets.messages import (
    DEFAULT_LANGUAGE,
    LANGUAGES,
    MessageError,
    catalogue,
    language,
    negotiate,
    placeholders,
    text,
    words,
)


def test_both_languages_have_the_same_keys():
    zh, en = (set(catalogue(lang)) for lang in LANGUAGES)
    assert zh - en == set() and en - zh == set()


@pytest.mark.parametrize("key", sorted(catalogue(DEFAULT_LANGUAGE)))
def test_every_text_has_the_same_parameters_in_each_language(key):
    found = {lang: placeholders(catalogue(lang)[key]) for lang in LANGUAGES}
    assert len(set(found.values())) == 1, found
    assert all(catalogue(lang)[key].strip() for lang in LANGUAGES)


def test_texts_fill_their_parameters():
    assert text("error.invalid_gtin.format", "en", value="12", path="gtin") == "A GTIN has 8, 12, 13 or 14 digits: 12"
    assert "12" in text("error.invalid_gtin.format", None, value="12", path="gtin")


def test_unknown_keys_and_missing_parameters_raise():
    with pytest.raises(MessageError) as info:
        text("error.no_such_code")
    assert info.value.key == "error.no_such_code"
    with pytest.raises(MessageError):
        text("error.invalid_gtin.format", "en")


@pytest.mark.parametrize("tag, expected", [
    (None, "zh-CN"), ("", "zh-CN"), ("zh", "zh-CN"), ("zh_CN", "zh-CN"), ("zh-Hans-CN", "zh-CN"),
    ("en", "en"), ("en-US", "en"), ("EN_gb", "en"), ("fr", "zh-CN"), ("english", "zh-CN"),
])
def test_language_tags(tag, expected):
    assert language(tag) == expected


@pytest.mark.parametrize("header, expected", [
    (None, "zh-CN"), ("", "zh-CN"), ("en", "en"), ("en-US,en;q=0.9", "en"), ("zh-CN,zh;q=0.9,en;q=0.8", "zh-CN"),
    ("fr-FR,en;q=0.5", "en"), ("fr", "zh-CN"), ("en;q=0.2,zh;q=0.8", "zh-CN"), ("en;q=0", "zh-CN"),
    ("*", "zh-CN"), ("en;q=abc", "zh-CN"),
])
def test_accept_language(header, expected):
    assert negotiate(header) == expected


def test_words_are_the_texts_under_a_prefix():
    table = words("error.invalid_gtin", "en")
    assert set(table) == {"format", "checksum"}


@pytest.mark.parametrize("lang, joined", [("zh-CN", "3、4"), ("en", "3, 4")])
def test_a_list_parameter_is_joined_the_language_s_way(lang, joined):
    assert joined in text("error.validation_failed.duplicate_gtin", lang, gtin="06901234567892", rows=[3, 4])
