"""payments: a transfer code per bank-transfer payment (what the buyer writes in the transfer's description)

Revision ID: 0020
Revises: 0019

Every bank-transfer payment made before this column existed gets its code here, drawn like
app.payments.transfer_codes draws them (the alphabet is copied: a migration does not import the app).
"""
import secrets

from alembic import op
import sqlalchemy as sa


revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None

ALPHABET = "CDFGHJKMNPQRTVWXY34679"


def upgrade():
    with op.batch_alter_table('payments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('transfer_code', sa.String(length=8), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_payments_transfer_code'), ['transfer_code'])

    payments = sa.table('payments', sa.column('id', sa.Integer), sa.column('method', sa.String),
                        sa.column('transfer_code', sa.String))
    bind = op.get_bind()
    ids = bind.execute(sa.select(payments.c.id).where(payments.c.method == 'bank_transfer',
                                                      payments.c.transfer_code.is_(None))).scalars().all()
    taken = set()
    for payment_id in ids:
        code = None
        while code is None or code in taken:
            code = "".join(secrets.choice(ALPHABET) for _ in range(6))
        taken.add(code)
        bind.execute(sa.update(payments).where(payments.c.id == payment_id).values(transfer_code=code))


def downgrade():
    with op.batch_alter_table('payments', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_payments_transfer_code'), type_='unique')
        batch_op.drop_column('transfer_code')
