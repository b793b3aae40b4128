"""email webhook tokens

Revision ID: 8cbd3f18c35f
Revises: bc5f918c9974
Create Date: 2026-11-23 19:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import services.kit.db

revision: str = "8cbd3f18c35f"
down_revision: str | None = "bc5f918c9974"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "email_webhook_tokens",
        sa.Column("token", sqlmodel.sql.sqltypes.AutoString(length=256), nullable=False),
        sa.Column("channel_account_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("seen_at", services.kit.db.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("token"),
    )
    with op.batch_alter_table("email_webhook_tokens", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_email_webhook_tokens_seen_at"), ["seen_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("email_webhook_tokens", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_email_webhook_tokens_seen_at"))
    op.drop_table("email_webhook_tokens")
