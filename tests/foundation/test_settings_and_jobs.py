import pytest
from sqlalchemy import select

from tongban.platform.jobs import JobRun
from tongban.platform.settings import SettingsError, load_settings
from tongban.tenants.isolation import TenantContext


def test_production_without_a_secret_refuses_to_start():
    with pytest.raises(SettingsError) as raised:
        load_settings({"TONGBAN_ENV": "production"})
    assert "TONGBAN_SECRET_KEY" in str(raised.value) and "生产模式" in str(raised.value)


def test_defaults_use_a_sqlite_file_under_var(tmp_path):
    settings = load_settings({"TONGBAN_VAR_DIR": str(tmp_path)})
    assert settings.database_url == f"sqlite:///{tmp_path / 'tongban.db'}"
    assert not settings.is_postgres and settings.redis_url is None
    assert len(settings.secret_key) > 32
    assert load_settings({"TONGBAN_VAR_DIR": str(tmp_path)}).secret_key == settings.secret_key


def test_a_job_runs_once_even_when_delivered_twice(db):
    from tongban.platform.tasks import record_probe

    assert record_probe("probe-1")() is True
    assert record_probe("probe-1")() is False
    with db.unit_of_work(TenantContext.system("check")) as s:
        assert [r.key for r in s.scalars(select(JobRun))] == ["probe-1"]
