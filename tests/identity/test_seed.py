"""seed_identity and `tongban identity seed`: first-party clients and demo accounts, nothing twice."""

from click.testing import CliRunner
from sqlalchemy import func, select

from tongban.platform.cli import main
from tongban.platform.identity.models import Account, Client
from tongban.platform.identity.seed import DEMO_STAFF, seed_identity


def test_seeding_twice_adds_nothing(seeded, db):
    again = seed_identity(db, secret_key=seeded.config.secret_key, base_url="http://localhost",
                          passwords=seeded.config.passwords)
    assert (again.clients, again.accounts) == (0, 0)
    with seeded.unit() as session:
        assert session.scalar(select(func.count()).select_from(Account)) == len(DEMO_STAFF) + 2  # + citizen, agent
        assert set(session.scalars(select(Client.client_id))) == {"portal", "workbench", "admin", "tongban-api"}


def test_the_cli_seeds_for_a_base_url(db, identity):
    result = CliRunner().invoke(main, ["identity", "seed", "--base-url", "http://localhost:8000"])
    assert result.exit_code == 0, result.output
    assert f"4 clients, {len(DEMO_STAFF) + 2} accounts created" in result.output
    with identity.unit() as session:
        portal = session.get(Client, "portal")
    assert "http://{slug}.localhost:8000/auth/callback" in portal.redirect_uris
    assert "http://127.0.0.1:8000/t/{code}/auth/callback" in portal.redirect_uris
    assert identity.sign_in("citizen", "Tongban@2026").session_id
