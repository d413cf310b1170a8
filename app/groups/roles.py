"""Who inside a group may do what: the one table of actions per role (ACTIONS). The services ask
`require` before they act, the pages and the API ask `can` or `standing` what to show; nobody else
decides. A group's ketua, bendahara and sekretaris run it (UPPKS groups do); money is for the ketua and
the bendahara, the members and their roles for the ketua, everything else for any member. Admins may do
everything here (as before); anyone outside the group is turned away by the services before this
(404: the group's things are not theirs to see)."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.accounts.models import User
from app.core.errors import Forbidden
from app.extensions import db

from .labels import MEMBER_ROLE
from .models import MEMBER_ROLES, Membership

CHAIR, TREASURER, SECRETARY, MEMBER = MEMBER_ROLES
MONEY = (CHAIR, TREASURER)

# the actions that not every member may do; what is not named here any member may do
CONFIRM_TRANSFER = "confirm_transfer"  # confirm (or refuse) a buyer's transfer to the group
MARK_INVOICE_PAID = "mark_invoice_paid"
PAYOUT = "payout"  # the group's bank account, and payouts to it
SEE_MONEY = "see_money"  # the group's balance and ledger
STATEMENT = "statement"  # issue and revoke statements for lenders
WITHDRAW_EVENT = "withdraw_event"
CANCEL_PAID_ORDER = "cancel_paid_order"  # a group cancels only orders paid or invoiced
PAID_AT_STAND = "paid_at_stand"
MANAGE_MEMBERS = "manage_members"  # invite members, change roles
EDIT_GROUP = "edit_group"  # the group's profile
ANSWER_COMPLAINT = "answer_complaint"  # answer a buyer's complaint (a refund is the group's money)
CONSIGN = "consign"  # consignment with a store: agreements, goods placed and returned

# action -> the roles that may do it (the one table)
ACTIONS: dict[str, tuple[str, ...]] = {
    CONFIRM_TRANSFER: MONEY,
    MARK_INVOICE_PAID: MONEY,
    PAYOUT: MONEY,
    SEE_MONEY: MONEY,
    STATEMENT: MONEY,
    WITHDRAW_EVENT: MONEY,
    CANCEL_PAID_ORDER: MONEY,
    PAID_AT_STAND: MONEY,
    MANAGE_MEMBERS: (CHAIR,),
    EDIT_GROUP: (CHAIR,),
    ANSWER_COMPLAINT: MONEY,
    CONSIGN: MONEY,
}

# what the action is, as the end of "Hanya ketua atau bendahara kelompok yang dapat …"
WHAT = {
    CONFIRM_TRANSFER: _l("mengonfirmasi atau menolak transfer pembeli"),
    MARK_INVOICE_PAID: _l("menandai invoice lunas"),
    PAYOUT: _l("mengatur rekening kelompok dan pencairan dana"),
    SEE_MONEY: _l("melihat uang kelompok"),
    STATEMENT: _l("menerbitkan dan mencabut rekap untuk pinjaman"),
    WITHDRAW_EVENT: _l("menarik kelompok dari acara"),
    CANCEL_PAID_ORDER: _l("membatalkan pesanan yang sudah dibayar atau ditagih"),
    PAID_AT_STAND: _l("menandai pesanan lunas di stan"),
    MANAGE_MEMBERS: _l("mengundang anggota dan mengubah peran"),
    EDIT_GROUP: _l("mengubah data kelompok"),
    ANSWER_COMPLAINT: _l("menjawab komplain pembeli"),
    CONSIGN: _l("menitipkan barang ke toko (konsinyasi)"),
}


def role_of(user: User | None, group_id: int) -> str | None:
    if user is None or not user.is_authenticated:
        return None
    return db.session.scalar(
        select(Membership.role).where(Membership.group_id == group_id, Membership.user_id == user.id)
    )


@dataclass(frozen=True)
class Standing:
    """What one person may do in one group: her role (None for an admin who is not a member, or an
    outsider) and the actions of the table she may do."""

    role: str | None
    actions: frozenset[str]

    def can(self, action: str) -> bool:
        if action in ACTIONS:
            return action in self.actions
        return self.role is not None or self.actions == ALL  # anything else: any member (and admins)

    @property
    def note(self) -> str:
        """ "Anda bendahara kelompok ini: …" (empty for someone who is not a member)."""
        return str(NOTES[self.role]) if self.role in NOTES else ""


ALL = frozenset(ACTIONS)
MONEY_WORDS = _l(
    "konfirmasi transfer, invoice lunas, rekening, rekap untuk pinjaman, pembatalan pesanan yang sudah dibayar"
)
# what each role is told on the group's page (the table above, in words)
NOTES = {
    CHAIR: _l(
        "Anda ketua kelompok ini: Anda mengatur anggota dan perannya, dan bersama bendahara memegang urusan uang (%(money)s).",
        money=MONEY_WORDS,
    ),
    TREASURER: _l(
        "Anda bendahara kelompok ini: bersama ketua, Anda memegang urusan uang (%(money)s).", money=MONEY_WORDS
    ),
    SECRETARY: _l(
        "Anda sekretaris kelompok ini: Anda mengurus produk, pesanan, penawaran dan buku penjualan; urusan uang dipegang ketua dan bendahara."
    ),
    MEMBER: _l(
        "Anda anggota kelompok ini: Anda mengurus produk, pesanan, penawaran dan buku penjualan; urusan uang dipegang ketua dan bendahara."
    ),
}


def standing(user: User | None, group_id: int) -> Standing:
    """One query: the person's role in the group, and so what she may do there."""
    role = role_of(user, group_id)
    if user is not None and user.is_authenticated and user.is_admin:
        return Standing(role, ALL)
    if role is None:
        return Standing(None, frozenset())
    return Standing(role, frozenset(a for a, roles in ACTIONS.items() if role in roles))


def can(user: User | None, group_id: int, action: str) -> bool:
    return standing(user, group_id).can(action)


def who_may(action: str) -> str:
    """ "Hanya ketua atau bendahara kelompok yang dapat menandai invoice lunas.\" """
    who = [str(MEMBER_ROLE[r]) for r in ACTIONS[action]]
    return _(
        "Hanya %(who)s kelompok yang dapat %(what)s.",
        who=who[0] if len(who) == 1 else _("%(a)s atau %(b)s", a=", ".join(who[:-1]), b=who[-1]),
        what=WHAT[action],
    )


def require(user: User, group_id: int, action: str) -> None:
    """Forbidden (403), naming who may, unless the user may do the action in the group."""
    if not can(user, group_id, action):
        raise Forbidden(who_may(action))
