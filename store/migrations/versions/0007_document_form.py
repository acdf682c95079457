"""documents: what a form file holds beside its pages (fields of a PDF form, cells of a workbook)

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-05

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0007'
down_revision: Union[str, Sequence[str], None] = '0006'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema; documents read before this have no stored form data until they are read again."""
    with op.batch_alter_table('document', schema=None) as batch_op:
        batch_op.add_column(sa.Column('form', sa.JSON(), nullable=True))


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('document', schema=None) as batch_op:
        batch_op.drop_column('form')
