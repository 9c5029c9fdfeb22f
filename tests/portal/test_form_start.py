"""What an apply form starts with (the account's own data first) and what the browser is told of the limits the server
will judge by, so its own checks and pickers agree with ours."""
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


def test_the_accounts_own_data_is_not_replaced_by_an_earlier_applications():
    """An earlier application typed 示例企业名称; the enterprise the agent acts for is 海南椰风科技有限公司: the
    form starts with the account's. A field the account has nothing for still takes what the government holds."""
    from tongban.configurator.forms import FormSchema
    from tongban.platform.portal.applying import first_values
    from tongban.platform.sharing.aids import ApplicationAids

    schema = FormSchema.parse({"fields": [
        {"name": "enterprise_name", "type": "text", "label": {"zh": "单位名称", "en": "Name"}, "prefill": "identity.name"},
        {"name": "address", "type": "text", "label": {"zh": "地址", "en": "Address"}, "prefill": "identity.address"}]})
    held = ApplicationAids({}, {"enterprise_name": {"value": "示例企业名称", "source": "case:4601-20261124-000002"},
                                "address": {"value": "海口市美兰区国兴大道 5 号", "source": "basedata"}}, None)
    values = first_values(schema, {"name": "海南椰风科技有限公司"}, held)
    assert values == {"enterprise_name": "海南椰风科技有限公司", "address": "海口市美兰区国兴大道 5 号"}
