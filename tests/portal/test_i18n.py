"""Chinese first, English on request: every message the portal shows has its English translation."""
from portal_support import extracted_messages

from tongban.platform.portal.i18n import choose_language, gettext_for, translations


def test_every_portal_message_has_an_english_translation():
    catalogue = translations("en")
    missing = sorted(m for m in extracted_messages() if catalogue.gettext(m) == m)
    assert missing == []


def test_language_choice_and_formatting():
    assert choose_language(None, None) == "zh" and choose_language("en", "zh") == "en"
    assert choose_language(None, "en") == "en" and choose_language("fr", None) == "zh"
    assert gettext_for("en")("第 %(n)s 行", n=2) == "Row 2" and gettext_for("zh")("第 %(n)s 行", n=2) == "第 2 行"
