"""The browser is told the limits the server will judge by, so its own checks and pickers agree with ours."""
from tongban.configurator.forms.spec import beijing_today
from tongban.platform.portal.formdata import input_attributes


def test_a_date_not_before_today_gives_the_picker_todays_date_in_hainan():
    attrs = input_attributes({"type": "date", "constraints": {"min": "today", "max": "2030-12-31"}}, True)
    assert attrs == {"required": True, "min": beijing_today().isoformat(), "max": "2030-12-31"}


def test_today_is_hainans_day_whatever_the_servers_zone(monkeypatch):
    import datetime as dt

    class Late(dt.datetime):  # 16:30 UTC: still the 26th in UTC, already the 27th in Haikou
        @classmethod
        def now(cls, tz=None):
            return dt.datetime(2026, 11, 26, 16, 30, tzinfo=dt.UTC).astimezone(tz)

    monkeypatch.setattr(dt, "datetime", Late)
    assert beijing_today() == dt.date(2026, 11, 27)
