"""The group's home: what needs doing now, counted from each area's own rule (one query a count), for its
members and admins. It sits here, above orders, payments, wholesale, catalog and events, so that it may
ask each of them."""

from __future__ import annotations

from dataclasses import dataclass

from app.accounts.invitations import pending_invitations
from app.accounts.models import User
from app.catalog.attention import permits_ending, products_to_fix
from app.events.taking_part import events_to_answer
from app.groups import roles
from app.groups.models import Group
from app.groups.services import group_for_member
from app.orders.complaint_queues import to_answer as complaints_to_answer
from app.orders.services import orders_to_ship
from app.payments.transfers import proofs_to_check
from app.wholesale.offers import offers_lapsing
from app.wholesale.proposals import proposals_to_confirm
from app.wholesale.quotes import quotes_to_answer

# what a group may have to do, most urgent first (money and buyers waiting, then the catalogue, then the rest)
KINDS = (
    "complaints",  # buyers' complaints waiting for the group's answer (escalated after 2 days)
    "orders",  # paid or invoiced, to confirm, prepare and ship
    "proofs",  # transfer proofs to check
    "proposals",  # standing orders' proposed orders to confirm
    "quotes",  # price requests to answer
    "offers",  # offers about to lapse
    "permits",  # permits ending soon or ended
    "out_of_stock",
    "no_photo",
    "invitations",  # members invited who have not joined yet
    "events",  # events the group may still apply to
)


@dataclass(frozen=True)
class Todo:
    kind: str  # one of KINDS
    count: int
    first_id: int | None  # the one thing to open when there is only one (an order, a request, a product)


@dataclass(frozen=True)
class GroupHome:
    group: Group
    todo: list[Todo]  # only what has something to do and she may do, in the order of KINDS
    note: str = ""  # her role in words: "Anda bendahara kelompok ini: …"
    me: roles.Standing | None = None  # what her role allows (the page's links read it)


# what only some roles may act on (groups.roles): the others are not asked to do it
ONLY_FOR = {"proofs": roles.CONFIRM_TRANSFER, "invitations": roles.MANAGE_MEMBERS, "complaints": roles.ANSWER_COMPLAINT}


def _counts(group: Group) -> dict[str, tuple[int, int | None]]:
    products = products_to_fix(group.id)
    return {
        "complaints": complaints_to_answer(group.id),
        "orders": orders_to_ship(group.id),
        "proofs": proofs_to_check(group.id),
        "proposals": proposals_to_confirm(group.id),
        "quotes": quotes_to_answer(group.id),
        "offers": offers_lapsing(group.id),
        "permits": permits_ending(group.id),
        "out_of_stock": (products.out_of_stock, products.first_out_of_stock),
        "no_photo": (products.without_photo, products.first_without_photo),
        "invitations": (pending_invitations("group", group.id), None),
        "events": events_to_answer(group),
    }


def group_home(actor: User, slug: str) -> GroupHome:
    """The group's home for one of its members (or an admin); anyone else: 404, as if it did not exist."""
    group = group_for_member(actor, slug)
    me = roles.standing(actor, group.id)
    counts = _counts(group)
    mine = [k for k in KINDS if k not in ONLY_FOR or me.can(ONLY_FOR[k])]
    return GroupHome(group, [Todo(kind, *counts[kind]) for kind in mine if counts[kind][0] > 0], me.note, me)
