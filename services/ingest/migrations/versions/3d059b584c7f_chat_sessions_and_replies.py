"""chat sessions and replies

Revision ID: 3d059b584c7f
Revises: 28f57071762e
Create Date: 2026-11-24 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import services.kit.db

revision: str = "3d059b584c7f"
down_revision: str | None = "28f57071762e"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "chat_sessions",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("tenant_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("channel_account_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("visitor_name", sqlmodel.sql.sqltypes.AutoString(length=256), nullable=False),
        sa.Column("visitor_email", sqlmodel.sql.sqltypes.AutoString(length=256), nullable=False),
        sa.Column("reply_seq", sa.Integer(), nullable=False),
        sa.Column("created_at", services.kit.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", services.kit.db.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("chat_sessions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_chat_sessions_tenant_id"), ["tenant_id"], unique=False)

    op.create_table(
        "chat_replies",
        sa.Column("reply_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("tenant_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("session_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("sent_at", services.kit.db.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("reply_id"),
        sa.UniqueConstraint("session_id", "seq", name="uq_chat_replies_session_seq"),
    )


def downgrade() -> None:
    op.drop_table("chat_replies")
    with op.batch_alter_table("chat_sessions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_chat_sessions_tenant_id"))

    op.drop_table("chat_sessions")
