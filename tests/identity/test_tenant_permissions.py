"""Roles scoped by tenant, checked along the tenant tree; grants and revocations audited; the CLI."""

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from tongban.platform.cli import main
from tongban.platform.identity import Permission, PermissionDenied, Role, authorize, is_authorized
from tongban.platform.identity.accounts import by_username
from tongban.platform.identity.grants import grant_role, revoke_role
from tongban.platform.identity.models import AuditEvent, RoleGrant

HAIKOU, SANYA, XIUYING, CHANGLIU = "4601", "4602", "460105", "460105100"


def _can(service, username, permission, tenant) -> bool:
    with service.unit() as session:
        return is_authorized(session, by_username(session, username), permission, tenant)


def test_haikou_staff_cannot_act_on_sanya(seeded):
    assert _can(seeded, "haikou.clerk", Permission.ACCEPT_CASES, HAIKOU)
    assert not _can(seeded, "haikou.clerk", Permission.ACCEPT_CASES, SANYA)
    assert not _can(seeded, "haikou.clerk", Permission.APPROVE_CASES, HAIKOU)
    assert _can(seeded, "sanya.approver", Permission.APPROVE_CASES, SANYA)
    assert not _can(seeded, "sanya.approver", Permission.APPROVE_CASES, HAIKOU)
    with seeded.unit() as session, pytest.raises(PermissionDenied) as denied:
        authorize(session, by_username(session, "haikou.clerk"), Permission.ACCEPT_CASES, SANYA)
    assert denied.value.zh == "无权在该地区执行此操作"


def test_a_grant_without_subtree_stays_at_its_tenant(seeded):
    assert not _can(seeded, "haikou.clerk", Permission.ACCEPT_CASES, XIUYING)
    assert not _can(seeded, "haikou.clerk", Permission.ACCEPT_CASES, "46")


def test_subtree_grants_reach_down_to_townships(seeded):
    assert _can(seeded, "province.admin", Permission.ADMINISTER_TENANT, CHANGLIU)
    assert _can(seeded, "province.admin", Permission.APPROVE_CASES, SANYA)
    assert _can(seeded, "haikou.admin", Permission.MANAGE_ROLES, CHANGLIU)
    assert not _can(seeded, "haikou.admin", Permission.MANAGE_ROLES, SANYA)
    assert not _can(seeded, "haikou.admin", Permission.MANAGE_ROLES, "46")
    assert _can(seeded, "province.supervisor", Permission.SUPERVISE, CHANGLIU)
    assert not _can(seeded, "province.supervisor", Permission.APPROVE_CASES, CHANGLIU)


def test_unknown_tenant_and_citizens_are_simply_refused(seeded):
    assert not _can(seeded, "province.admin", Permission.ADMINISTER_TENANT, "999999")
    assert not _can(seeded, "citizen", Permission.VIEW_CASES, HAIKOU)


def test_authorize_accepts_a_directory_tenant(app, seeded):
    tenant = app.state.directory.snapshot.by_code[CHANGLIU]
    with seeded.unit() as session:
        authorize(session, by_username(session, "province.admin"), Permission.CONFIGURE_ITEMS, tenant)


def test_a_tenant_admin_grants_within_their_subtree_with_an_audit_row(seeded, clock):
    with seeded.unit() as session:
        admin, clerk = by_username(session, "haikou.admin"), by_username(session, "sanya.clerk")
        grant_role(
            session,
            account=clerk,
            role=Role.WINDOW_CLERK,
            tenant_code=CHANGLIU,
            extends_to_subtree=False,
            granter=admin,
            actor=admin.subject,
            now=clock(),
        )
    assert _can(seeded, "sanya.clerk", Permission.ACCEPT_CASES, CHANGLIU)
    with seeded.unit() as session:
        event = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "role_granted").order_by(AuditEvent.id.desc())
        ).first()
        assert event.tenant_code == CHANGLIU and event.detail["role"] == "window_clerk"
        assert event.actor == by_username(session, "haikou.admin").subject and event.at is not None


def test_a_tenant_admin_cannot_grant_outside_their_subtree_or_beyond_their_own_rights(seeded):
    with seeded.unit() as session:
        admin, clerk = by_username(session, "haikou.admin"), by_username(session, "sanya.clerk")
        with pytest.raises(PermissionDenied):
            grant_role(
                session,
                account=clerk,
                role=Role.WINDOW_CLERK,
                tenant_code=SANYA,
                extends_to_subtree=False,
                granter=admin,
                actor=admin.subject,
            )
        with pytest.raises(PermissionDenied):  # only a province admin makes province admins
            grant_role(
                session,
                account=clerk,
                role=Role.PROVINCE_ADMIN,
                tenant_code=HAIKOU,
                extends_to_subtree=True,
                granter=admin,
                actor=admin.subject,
            )
        clerk_of_haikou = by_username(session, "haikou.clerk")
        with pytest.raises(PermissionDenied):
            grant_role(
                session,
                account=admin,
                role=Role.WINDOW_CLERK,
                tenant_code=HAIKOU,
                extends_to_subtree=False,
                granter=clerk_of_haikou,
                actor=clerk_of_haikou.subject,
            )


def test_revoking_removes_the_permission_and_is_audited(seeded):
    with seeded.unit() as session:
        admin, clerk = by_username(session, "province.admin"), by_username(session, "haikou.clerk")
        revoke_role(
            session,
            account=clerk,
            role=Role.WINDOW_CLERK,
            tenant_code=HAIKOU,
            granter=admin,
            actor=admin.subject,
        )
    assert not _can(seeded, "haikou.clerk", Permission.ACCEPT_CASES, HAIKOU)
    with seeded.unit() as session:
        assert (
            session.scalar(select(AuditEvent).where(AuditEvent.action == "role_revoked")).tenant_code
            == HAIKOU
        )


def test_roles_are_for_staff_only(seeded):
    from tongban.platform.identity.common import InvalidInput

    with seeded.unit() as session, pytest.raises(InvalidInput):
        grant_role(
            session,
            account=by_username(session, "citizen"),
            role=Role.APPROVER,
            tenant_code=HAIKOU,
            extends_to_subtree=False,
            granter=None,
            actor="test",
        )


def test_cli_grants_lists_and_revokes(seeded):
    runner = CliRunner()
    granted = runner.invoke(main, ["identity", "grant", "sanya.approver", "supervisor", SANYA, "--subtree"])
    assert granted.exit_code == 0, granted.output
    assert "granted supervisor at 4602" in granted.output
    listed = runner.invoke(main, ["identity", "roles", "sanya.approver"])
    assert "supervisor\t4602\tsubtree" in listed.output
    assert _can(seeded, "sanya.approver", Permission.SUPERVISE, "460203")  # 吉阳区, below 三亚市
    revoked = runner.invoke(main, ["identity", "revoke", "sanya.approver", "supervisor", SANYA])
    assert revoked.exit_code == 0 and not _can(seeded, "sanya.approver", Permission.SUPERVISE, SANYA)
    with seeded.unit() as session:
        actors = set(
            session.scalars(
                select(AuditEvent.actor).where(AuditEvent.action.in_(["role_granted", "role_revoked"]))
            )
        )
    assert any(a.startswith("cli") for a in actors)


def test_cli_refuses_unknown_roles_accounts_and_tenants(seeded):
    runner = CliRunner()
    bad_role = runner.invoke(main, ["identity", "grant", "haikou.clerk", "emperor", HAIKOU])
    assert bad_role.exit_code != 0 and "Unknown role emperor" in bad_role.output
    bad_user = runner.invoke(main, ["identity", "grant", "nobody", "approver", HAIKOU])
    assert bad_user.exit_code != 0 and "no such account" in bad_user.output
    bad_tenant = runner.invoke(main, ["identity", "grant", "haikou.clerk", "approver", "9999"])
    assert bad_tenant.exit_code != 0 and "No tenant 9999" in bad_tenant.output
    with seeded.unit() as session:
        assert session.scalar(select(RoleGrant).where(RoleGrant.tenant_code == "9999")) is None


def test_a_principal_decides_from_its_token_roles(app, seeded):
    from tongban.platform.identity.grants import GrantScope
    from tongban.platform.identity.tokens import Principal

    snapshot = app.state.directory.snapshot
    principal = Principal(
        "account",
        "s",
        "c",
        "staff",
        None,
        frozenset(),
        (GrantScope("tenant_admin", HAIKOU, "/46/4601/", True),),
        "jti",
        None,
    )
    assert principal.allows(Permission.MANAGE_ROLES, snapshot.by_code[CHANGLIU])
    assert not principal.allows(Permission.MANAGE_ROLES, snapshot.by_code[SANYA])
    with pytest.raises(PermissionDenied):
        principal.authorize(Permission.APPROVE_CASES, snapshot.by_code[HAIKOU])
