"""document pages: the structure a reader found (headings, paragraphs, list items, table rows)

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0006'
down_revision: Union[str, Sequence[str], None] = '0005'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema; pages read before this have no stored blocks and are structured from their text."""
    with op.batch_alter_table('document_page', schema=None) as batch_op:
        batch_op.add_column(sa.Column('blocks', sa.JSON(), nullable=False, server_default='[]'))


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('document_page', schema=None) as batch_op:
        batch_op.drop_column('blocks')
