"""monitoring rules, their stamps, and the feeds' poll state

Revision ID: bc5f918c9974
Revises: 3d059b584c7f
Create Date: 2026-11-24 09:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import services.kit.db

revision: str = "bc5f918c9974"
down_revision: str | None = "3d059b584c7f"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "monitoring_rules",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("tenant_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("query", sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
        sa.Column("exclusions", sa.JSON(), nullable=False),
        sa.Column("languages", sa.JSON(), nullable=False),
        sa.Column("channels", sa.JSON(), nullable=False),
        sa.Column("lead", sa.Boolean(), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("priority", sa.Integer(), nullable=False),
        sa.Column("created_at", services.kit.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", services.kit.db.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("tenant_id", "name", name="uq_monitoring_rules_tenant_name"),
    )
    with op.batch_alter_table("monitoring_rules", schema=None) as batch_op:
        batch_op.create_index(
            "ix_monitoring_rules_tenant_priority", ["tenant_id", "priority", "name"], unique=False
        )

    op.create_table(
        "monitoring_stamps",
        sa.Column("tenant_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("stamp", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("changed_at", services.kit.db.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id"),
    )

    op.create_table(
        "feed_states",
        sa.Column("channel_account_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("tenant_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("etag", sqlmodel.sql.sqltypes.AutoString(length=1024), nullable=False),
        sa.Column("last_modified", sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
        sa.Column("body_digest", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("polled_at", services.kit.db.UtcDateTime(timezone=True), nullable=True),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("last_error", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.PrimaryKeyConstraint("channel_account_id"),
    )
    with op.batch_alter_table("feed_states", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_feed_states_tenant_id"), ["tenant_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("feed_states", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_feed_states_tenant_id"))
    op.drop_table("feed_states")
    op.drop_table("monitoring_stamps")
    with op.batch_alter_table("monitoring_rules", schema=None) as batch_op:
        batch_op.drop_index("ix_monitoring_rules_tenant_priority")
    op.drop_table("monitoring_rules")
