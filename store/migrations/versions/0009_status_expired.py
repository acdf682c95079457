"""triage status: the answers whose certificate or report has expired

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0009'
down_revision: Union[str, Sequence[str], None] = '0008'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Rows scored before this have no expired evidence recorded until the vendor is scored again."""
    with op.batch_alter_table('vendor_status', schema=None) as batch_op:
        batch_op.add_column(sa.Column('expired', sa.JSON(), nullable=False, server_default='[]'))


def downgrade() -> None:
    with op.batch_alter_table('vendor_status', schema=None) as batch_op:
        batch_op.drop_column('expired')
