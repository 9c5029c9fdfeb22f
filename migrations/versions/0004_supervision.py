"""electronic supervision: rules, timers, alerts and their log, petitions, statistics rollups and facts,
score models, vertical systems (clients, links, messages, webhook deliveries), ratings and rectifications

Tenant-owned tables get the ``tenant_isolation`` policy with the same meaning as ``rls.protect`` but written
inline, so that the platform's own scope (subtree "/", the tick) is decided without a function call per row
(measured: a thousand-row insert or scan as the tick drops from ~40 to ~20 ms). The rollups carry their
tenant's path, so a subtree read tests a prefix instead of looking the tenant up for every row; their write
check still verifies that path against the tenant tree. Rules, the cursor, score models, vertical clients
and received-message digests are platform-wide. The default rules are seeded here (and by
``rules.ensure_default_rules``, safe to run twice).

Revision ID: 0004_supervision
Revises: 0003_approval
Create Date: 2026-11-26 13:02:48.880059
"""
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

from tongban.migrations import rls

OWNED = ("petitions", "supervision_alerts", "supervision_events", "supervision_timers", "vertical_webhook_deliveries",
         "service_ratings", "supervision_case_facts", "vertical_case_links", "rating_rectifications")
BY_PATH = ("supervision_rollups", "supervision_rollups_tenant")
VISIBLE = ("(tenant_id = current_setting('app.tenant_id', true) OR (current_setting('app.scope', true) = 'subtree'"
           " AND (current_setting('app.subtree_path', true) = '/' OR tongban_in_subtree(tenant_id))))")
VISIBLE_BY_PATH = ("(tenant_id = current_setting('app.tenant_id', true) OR (current_setting('app.scope', true) = 'subtree'"
                   " AND coalesce(current_setting('app.subtree_path', true), '') <> ''"
                   " AND starts_with(tenant_path, current_setting('app.subtree_path', true))))")
PATH_IS_TRUE = "tenant_path = (SELECT t.path FROM tenants t WHERE t.code = tenant_id)"

revision = '0004_supervision'
down_revision = '0003_approval'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('petitions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('asker_subject', sa.String(length=80), nullable=False),
    sa.Column('department', sa.String(length=100), nullable=False),
    sa.Column('question', sa.Text(), nullable=False),
    sa.Column('answer', sa.Text(), nullable=True),
    sa.Column('answered_by', sa.String(length=80), nullable=True),
    sa.Column('asked_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('due_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('tenant_id', sa.String(length=12), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_petitions'))
    )
    with op.batch_alter_table('petitions', schema=None) as batch_op:
        batch_op.create_index('ix_petitions_tenant_asked', ['tenant_id', 'kind', 'asked_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_petitions_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('supervision_alerts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('rule_code', sa.String(length=40), nullable=False),
    sa.Column('rule_version', sa.Integer(), nullable=False),
    sa.Column('severity', sa.String(length=10), nullable=False),
    sa.Column('subject_key', sa.String(length=60), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=True),
    sa.Column('task_id', sa.Integer(), nullable=True),
    sa.Column('petition_id', sa.Integer(), nullable=True),
    sa.Column('case_number', sa.String(length=40), nullable=True),
    sa.Column('item_code', sa.String(length=60), nullable=False),
    sa.Column('channel', sa.String(length=12), nullable=False),
    sa.Column('department', sa.String(length=100), nullable=False),
    sa.Column('person', sa.String(length=80), nullable=True),
    sa.Column('level', sa.String(length=16), nullable=False),
    sa.Column('point', sa.String(length=16), nullable=True),
    sa.Column('supervisor_code', sa.String(length=12), nullable=False),
    sa.Column('raised_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('fired_for', sa.DateTime(timezone=True), nullable=True),
    sa.Column('state', sa.String(length=24), nullable=False),
    sa.Column('correction_due_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('escalations', sa.Integer(), nullable=False),
    sa.Column('details', sa.JSON(), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('tenant_id', sa.String(length=12), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_supervision_alerts')),
    sa.UniqueConstraint('rule_code', 'subject_key', name=op.f('uq_supervision_alerts_rule_code_subject_key'))
    )
    with op.batch_alter_table('supervision_alerts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_supervision_alerts_case_id'), ['case_id'], unique=False)
        batch_op.create_index('ix_supervision_alerts_correction_due', ['state', 'correction_due_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_supervision_alerts_tenant_id'), ['tenant_id'], unique=False)
        batch_op.create_index('ix_supervision_alerts_tenant_state', ['tenant_id', 'state', 'raised_at'], unique=False)

    op.create_table('supervision_cursor',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('last_event_id', sa.Integer(), nullable=False),
    sa.Column('last_tick_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_supervision_cursor'))
    )
    op.create_table('supervision_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('subject', sa.String(length=40), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor', sa.String(length=80), nullable=False),
    sa.Column('actor_tenant', sa.String(length=12), nullable=True),
    sa.Column('action', sa.String(length=32), nullable=False),
    sa.Column('from_state', sa.String(length=24), nullable=True),
    sa.Column('to_state', sa.String(length=24), nullable=True),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('details', sa.JSON(), nullable=False),
    sa.Column('tenant_id', sa.String(length=12), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_supervision_events'))
    )
    with op.batch_alter_table('supervision_events', schema=None) as batch_op:
        batch_op.create_index('ix_supervision_events_subject', ['subject', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_supervision_events_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('supervision_rollups',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('tenant_path', sa.String(length=200).with_variant(sa.String(length=200, collation='C'), 'postgresql'), nullable=False),
    sa.Column('department', sa.String(length=100), nullable=False),
    sa.Column('item_code', sa.String(length=60), nullable=False),
    sa.Column('channel', sa.String(length=12), nullable=False),
    sa.Column('month', sa.String(length=7), nullable=False),
    sa.Column('received', sa.Integer(), nullable=False),
    sa.Column('accepted', sa.Integer(), nullable=False),
    sa.Column('concluded', sa.Integer(), nullable=False),
    sa.Column('on_time', sa.Integer(), nullable=False),
    sa.Column('early', sa.Integer(), nullable=False),
    sa.Column('overdue', sa.Integer(), nullable=False),
    sa.Column('timed', sa.Integer(), nullable=False),
    sa.Column('used_minutes', sa.Integer(), nullable=False),
    sa.Column('legal_days', sa.Integer(), nullable=False),
    sa.Column('received_for_others', sa.Integer(), nullable=False),
    sa.Column('warnings', sa.Integer(), nullable=False),
    sa.Column('yellow_cards', sa.Integer(), nullable=False),
    sa.Column('red_cards', sa.Integer(), nullable=False),
    sa.Column('ratings', sa.Integer(), nullable=False),
    sa.Column('ratings_good', sa.Integer(), nullable=False),
    sa.Column('ratings_bad', sa.Integer(), nullable=False),
    sa.Column('rating_points', sa.Integer(), nullable=False),
    sa.Column('tenant_id', sa.String(length=12), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_supervision_rollups')),
    sa.UniqueConstraint('tenant_id', 'department', 'item_code', 'channel', 'month', name=op.f('uq_supervision_rollups_tenant_id_department_item_code_channel_month'))
    )
    with op.batch_alter_table('supervision_rollups', schema=None) as batch_op:
        batch_op.create_index('ix_supervision_rollups_month', ['month', 'tenant_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_supervision_rollups_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('supervision_rollups_tenant',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('tenant_path', sa.String(length=200).with_variant(sa.String(length=200, collation='C'), 'postgresql'), nullable=False),
    sa.Column('month', sa.String(length=7), nullable=False),
    sa.Column('online_received', sa.Integer(), nullable=False),
    sa.Column('received', sa.Integer(), nullable=False),
    sa.Column('accepted', sa.Integer(), nullable=False),
    sa.Column('concluded', sa.Integer(), nullable=False),
    sa.Column('on_time', sa.Integer(), nullable=False),
    sa.Column('early', sa.Integer(), nullable=False),
    sa.Column('overdue', sa.Integer(), nullable=False),
    sa.Column('timed', sa.Integer(), nullable=False),
    sa.Column('used_minutes', sa.Integer(), nullable=False),
    sa.Column('legal_days', sa.Integer(), nullable=False),
    sa.Column('received_for_others', sa.Integer(), nullable=False),
    sa.Column('warnings', sa.Integer(), nullable=False),
    sa.Column('yellow_cards', sa.Integer(), nullable=False),
    sa.Column('red_cards', sa.Integer(), nullable=False),
    sa.Column('ratings', sa.Integer(), nullable=False),
    sa.Column('ratings_good', sa.Integer(), nullable=False),
    sa.Column('ratings_bad', sa.Integer(), nullable=False),
    sa.Column('rating_points', sa.Integer(), nullable=False),
    sa.Column('tenant_id', sa.String(length=12), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_supervision_rollups_tenant')),
    sa.UniqueConstraint('tenant_id', 'month', name=op.f('uq_supervision_rollups_tenant_tenant_id_month'))
    )
    with op.batch_alter_table('supervision_rollups_tenant', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_supervision_rollups_tenant_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('supervision_rules',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('current', sa.Boolean(), nullable=False),
    sa.Column('name_zh', sa.String(length=100), nullable=False),
    sa.Column('name_en', sa.String(length=160), nullable=False),
    sa.Column('severity', sa.String(length=10), nullable=False),
    sa.Column('threshold_days', sa.Integer(), nullable=False),
    sa.Column('auto_issue', sa.Boolean(), nullable=False),
    sa.Column('enabled', sa.Boolean(), nullable=False),
    sa.Column('params', sa.JSON(), nullable=False),
    sa.Column('changed_by', sa.String(length=120), nullable=False),
    sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_supervision_rules')),
    sa.UniqueConstraint('code', 'version', name=op.f('uq_supervision_rules_code_version'))
    )
    with op.batch_alter_table('supervision_rules', schema=None) as batch_op:
        batch_op.create_index('ix_supervision_rules_current', ['current', 'code'], unique=False)

    op.create_table('supervision_score_models',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('period', sa.String(length=7), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('current', sa.Boolean(), nullable=False),
    sa.Column('weights', sa.JSON(), nullable=False),
    sa.Column('changed_by', sa.String(length=120), nullable=False),
    sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_supervision_score_models')),
    sa.UniqueConstraint('period', 'version', name=op.f('uq_supervision_score_models_period_version'))
    )
    op.create_table('supervision_timers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('rule_code', sa.String(length=40), nullable=False),
    sa.Column('subject_key', sa.String(length=60), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=True),
    sa.Column('task_id', sa.Integer(), nullable=True),
    sa.Column('petition_id', sa.Integer(), nullable=True),
    sa.Column('fire_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('state', sa.String(length=8), nullable=False),
    sa.Column('tenant_id', sa.String(length=12), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_supervision_timers')),
    sa.UniqueConstraint('rule_code', 'subject_key', name=op.f('uq_supervision_timers_rule_code_subject_key'))
    )
    with op.batch_alter_table('supervision_timers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_supervision_timers_case_id'), ['case_id'], unique=False)
        batch_op.create_index('ix_supervision_timers_due', ['state', 'fire_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_supervision_timers_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('vertical_clients',
    sa.Column('client_id', sa.String(length=60), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('tenant_code', sa.String(length=12), nullable=False),
    sa.Column('department', sa.String(length=100), nullable=False),
    sa.Column('webhook_url', sa.String(length=300), nullable=True),
    sa.Column('webhook_secret', sa.String(length=128), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('client_id', name=op.f('pk_vertical_clients'))
    )
    op.create_table('vertical_messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.String(length=60), nullable=False),
    sa.Column('idempotency_key', sa.String(length=120), nullable=False),
    sa.Column('digest', sa.String(length=64), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('result', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_vertical_messages')),
    sa.UniqueConstraint('client_id', 'idempotency_key', name=op.f('uq_vertical_messages_client_id_idempotency_key'))
    )
    op.create_table('vertical_webhook_deliveries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.String(length=60), nullable=False),
    sa.Column('alert_id', sa.Integer(), nullable=False),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('claimed_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('delivered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('tenant_id', sa.String(length=12), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_vertical_webhook_deliveries'))
    )
    with op.batch_alter_table('vertical_webhook_deliveries', schema=None) as batch_op:
        batch_op.create_index('ix_vertical_webhook_deliveries_pending', ['delivered_at', 'next_attempt_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_vertical_webhook_deliveries_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('service_ratings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=True),
    sa.Column('visit_key', sa.String(length=80), nullable=True),
    sa.Column('rater', sa.String(length=80), nullable=False),
    sa.Column('level', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('department', sa.String(length=100), nullable=False),
    sa.Column('item_code', sa.String(length=60), nullable=False),
    sa.Column('channel', sa.String(length=12), nullable=False),
    sa.Column('rated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('state', sa.String(length=12), nullable=False),
    sa.Column('appeal_reason', sa.Text(), nullable=True),
    sa.Column('appeal_decision', sa.Text(), nullable=True),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('tenant_id', sa.String(length=12), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_service_ratings_case_id_cases'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_service_ratings')),
    sa.UniqueConstraint('case_id', name=op.f('uq_service_ratings_case_id')),
    sa.UniqueConstraint('visit_key', name=op.f('uq_service_ratings_visit_key'))
    )
    with op.batch_alter_table('service_ratings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_service_ratings_tenant_id'), ['tenant_id'], unique=False)
        batch_op.create_index('ix_service_ratings_tenant_rated', ['tenant_id', 'rated_at'], unique=False)

    op.create_table('supervision_case_facts',
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('contributions', sa.JSON(), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('tenant_id', sa.String(length=12), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_supervision_case_facts_case_id_cases'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('case_id', name=op.f('pk_supervision_case_facts'))
    )
    with op.batch_alter_table('supervision_case_facts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_supervision_case_facts_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('vertical_case_links',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.String(length=60), nullable=False),
    sa.Column('external_id', sa.String(length=80), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('department', sa.String(length=100), nullable=False),
    sa.Column('license_required', sa.Boolean(), nullable=False),
    sa.Column('tenant_id', sa.String(length=12), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_vertical_case_links_case_id_cases'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_vertical_case_links')),
    sa.UniqueConstraint('client_id', 'external_id', name=op.f('uq_vertical_case_links_client_id_external_id'))
    )
    with op.batch_alter_table('vertical_case_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_vertical_case_links_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_vertical_case_links_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('rating_rectifications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('rating_id', sa.Integer(), nullable=False),
    sa.Column('department', sa.String(length=100), nullable=False),
    sa.Column('due_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('report', sa.Text(), nullable=True),
    sa.Column('attachments', sa.JSON(), nullable=False),
    sa.Column('reported_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('callback_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('callback_by', sa.String(length=80), nullable=True),
    sa.Column('callback_note', sa.Text(), nullable=True),
    sa.Column('applicant_satisfied', sa.Boolean(), nullable=True),
    sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('tenant_id', sa.String(length=12), nullable=False),
    sa.ForeignKeyConstraint(['rating_id'], ['service_ratings.id'], name=op.f('fk_rating_rectifications_rating_id_service_ratings'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rating_rectifications')),
    sa.UniqueConstraint('rating_id', name=op.f('uq_rating_rectifications_rating_id'))
    )
    with op.batch_alter_table('rating_rectifications', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rating_rectifications_tenant_id'), ['tenant_id'], unique=False)
    for table in OWNED:
        _protect(table, VISIBLE, VISIBLE)
    for table in BY_PATH:
        _protect(table, VISIBLE_BY_PATH, f"{VISIBLE} AND {PATH_IS_TRUE}")
    _seed_rules()


def _protect(table: str, using: str, check: str) -> None:
    if not rls.is_postgres():
        return
    op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
    op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
    op.execute(f"CREATE POLICY tenant_isolation ON {table} USING ({using}) WITH CHECK ({check})")


def _seed_rules() -> None:
    from tongban.platform.supervision.rules import DEFAULTS

    table = sa.table("supervision_rules", *(sa.column(c) for c in (
        "code", "version", "current", "name_zh", "name_en", "severity", "threshold_days", "auto_issue", "enabled",
        "changed_by")), sa.column("params", sa.JSON()), sa.column("changed_at", sa.DateTime(timezone=True)))
    now = datetime.now(UTC)
    if op.get_bind().dialect.name == "sqlite":
        now = now.replace(tzinfo=None)  # stored as naive UTC, as the ORM stores it
    op.bulk_insert(table, [{"code": r.code, "version": 1, "current": True, "name_zh": r.name_zh, "name_en": r.name_en,
                            "severity": r.severity, "threshold_days": r.threshold_days, "auto_issue": r.auto_issue,
                            "enabled": r.enabled, "params": dict(r.params), "changed_by": "system:migration",
                            "changed_at": now} for r in DEFAULTS])


def downgrade() -> None:
    for table in OWNED + BY_PATH:
        rls.unprotect(table)
    with op.batch_alter_table('rating_rectifications', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rating_rectifications_tenant_id'))

    op.drop_table('rating_rectifications')
    with op.batch_alter_table('vertical_case_links', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_vertical_case_links_tenant_id'))
        batch_op.drop_index(batch_op.f('ix_vertical_case_links_case_id'))

    op.drop_table('vertical_case_links')
    with op.batch_alter_table('supervision_case_facts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_supervision_case_facts_tenant_id'))

    op.drop_table('supervision_case_facts')
    with op.batch_alter_table('service_ratings', schema=None) as batch_op:
        batch_op.drop_index('ix_service_ratings_tenant_rated')
        batch_op.drop_index(batch_op.f('ix_service_ratings_tenant_id'))

    op.drop_table('service_ratings')
    with op.batch_alter_table('vertical_webhook_deliveries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_vertical_webhook_deliveries_tenant_id'))
        batch_op.drop_index('ix_vertical_webhook_deliveries_pending')

    op.drop_table('vertical_webhook_deliveries')
    op.drop_table('vertical_messages')
    op.drop_table('vertical_clients')
    with op.batch_alter_table('supervision_timers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_supervision_timers_tenant_id'))
        batch_op.drop_index('ix_supervision_timers_due')
        batch_op.drop_index(batch_op.f('ix_supervision_timers_case_id'))

    op.drop_table('supervision_timers')
    op.drop_table('supervision_score_models')
    with op.batch_alter_table('supervision_rules', schema=None) as batch_op:
        batch_op.drop_index('ix_supervision_rules_current')

    op.drop_table('supervision_rules')
    with op.batch_alter_table('supervision_rollups_tenant', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_supervision_rollups_tenant_tenant_id'))

    op.drop_table('supervision_rollups_tenant')
    with op.batch_alter_table('supervision_rollups', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_supervision_rollups_tenant_id'))
        batch_op.drop_index('ix_supervision_rollups_month')

    op.drop_table('supervision_rollups')
    with op.batch_alter_table('supervision_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_supervision_events_tenant_id'))
        batch_op.drop_index('ix_supervision_events_subject')

    op.drop_table('supervision_events')
    op.drop_table('supervision_cursor')
    with op.batch_alter_table('supervision_alerts', schema=None) as batch_op:
        batch_op.drop_index('ix_supervision_alerts_tenant_state')
        batch_op.drop_index(batch_op.f('ix_supervision_alerts_tenant_id'))
        batch_op.drop_index('ix_supervision_alerts_correction_due')
        batch_op.drop_index(batch_op.f('ix_supervision_alerts_case_id'))

    op.drop_table('supervision_alerts')
    with op.batch_alter_table('petitions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_petitions_tenant_id'))
        batch_op.drop_index('ix_petitions_tenant_asked')

    op.drop_table('petitions')
