from flask import current_app, g, make_response

from app.payments import services as payments
from app.wholesale import invoices, offers, organisations, pdf, quotes

from . import schemas, serialize
from .base import body, invitation_link, reply, route


@route(
    "/organisations",
    "POST",
    "Register a business buyer; the caller becomes its staff",
    tag="wholesale",
    auth=True,
    body=schemas.OrganisationIn,
    response=schemas.OrganisationOut,
    status=201,
    errors=(401, 409, 422),
)
def create_organisation():
    return reply(serialize.organisation(organisations.register_org(g.api_user, body(schemas.OrganisationIn))), 201)


@route(
    "/organisations/<int:org_id>/staff",
    "POST",
    "Invite a colleague by e-mail (staff of the organisation): 202, they join on accepting",
    tag="wholesale",
    auth=True,
    body=schemas.StaffIn,
    response=schemas.InvitationOut,
    status=202,
    errors=(401, 404, 409, 422),
)
def add_staff(org_id: int):
    invitation = organisations.invite_staff(g.api_user, org_id, body(schemas.StaffIn)["email"], invitation_link)
    return reply(serialize.invitation(invitation), 202)


@route(
    "/organisations/<int:org_id>/verify",
    "POST",
    "Verify a business buyer and grant its terms (admin, officer of its region)",
    tag="officers",
    auth=True,
    body=schemas.VerifyOrgIn,
    response=schemas.OrganisationOut,
    errors=(401, 403, 404, 422),
)
def verify_organisation(org_id: int):
    from flask import request

    data = body(schemas.VerifyOrgIn) if request.get_data() else {"payment_terms_days": 0}
    return reply(
        serialize.organisation(organisations.verify_org(g.api_user, org_id, data.get("payment_terms_days", 0)))
    )


@route(
    "/quotes",
    "POST",
    "Ask groups for a quantity by a date and place (a verified business buyer)",
    tag="wholesale",
    auth=True,
    body=schemas.QuoteIn,
    response=schemas.QuoteOut,
    status=201,
    errors=(401, 403, 422),
)
def create_quote():
    q = quotes.create_quote(g.api_user, body(schemas.QuoteIn))
    return reply(serialize.quote(q, []), 201)


@route(
    "/quotes/<int:quote_id>",
    "GET",
    "A quote request with the offers the caller may see",
    tag="wholesale",
    auth=True,
    response=schemas.QuoteOut,
    errors=(401, 404),
)
def get_quote(quote_id: int):
    q, role = quotes.quote_for(g.api_user, quote_id)
    return reply(serialize.quote(q, offers.visible_offers(g.api_user, q, role)))


@route(
    "/quotes/<int:quote_id>/offers",
    "POST",
    "Answer a quote request (a group that was asked)",
    tag="wholesale",
    auth=True,
    body=schemas.OfferIn,
    response=schemas.OfferOut,
    status=201,
    errors=(401, 404, 409, 422),
)
def make_offer(quote_id: int):
    return reply(serialize.offer(offers.make_offer(g.api_user, quote_id, body(schemas.OfferIn))), 201)


@route(
    "/quotes/<int:quote_id>/offers/<int:offer_id>/accept",
    "POST",
    "Accept an offer, with others for pooled supply: one order per group under one purchase number",
    tag="wholesale",
    auth=True,
    body=schemas.AcceptIn,
    response=schemas.CheckoutOut,
    status=201,
    errors=(401, 403, 404, 409, 422),
)
def accept_offer(quote_id: int, offer_id: int):
    from flask import request

    data = body(schemas.AcceptIn) if request.get_data() else {}
    checkout = offers.accept_offers(
        g.api_user,
        quote_id,
        [offer_id, *data.get("also", [])],
        data.get("address_id"),
        {offer_id: data.get("quantity")},
    )
    return reply(
        serialize.checkout(checkout, payments.payment_of(checkout), current_app.config["STRIPE_PUBLISHABLE_KEY"]), 201
    )


@route(
    "/quotes/<int:quote_id>/close",
    "POST",
    "Close a quote request: open offers are declined and their groups told (the buyer)",
    tag="wholesale",
    auth=True,
    response=schemas.QuoteOut,
    errors=(401, 404, 409),
)
def close_quote(quote_id: int):
    q = offers.close_quote(g.api_user, quote_id)
    return reply(serialize.quote(q, offers.visible_offers(g.api_user, q, "buyer")))


@route(
    "/invoices/<int:invoice_id>",
    "GET",
    "An invoice",
    tag="wholesale",
    auth=True,
    response=schemas.InvoiceOut,
    errors=(401, 404),
)
def get_invoice(invoice_id: int):
    return reply(serialize.invoice(invoices.invoice_for(g.api_user, invoice_id), invoices.today()))


@route("/invoices/<int:invoice_id>/pdf", "GET", "The invoice as PDF", tag="wholesale", auth=True, errors=(401, 404))
def get_invoice_pdf(invoice_id: int):
    response = make_response(pdf.render(invoices.invoice_for(g.api_user, invoice_id)))
    response.mimetype = "application/pdf"
    return response


@route(
    "/invoices/<int:invoice_id>/paid",
    "POST",
    "Mark an invoice paid (the chair or the treasurer of the group that sold, or an admin)",
    tag="wholesale",
    auth=True,
    response=schemas.InvoiceOut,
    errors=(401, 403, 404, 409),
)
def invoice_paid(invoice_id: int):
    return reply(serialize.invoice(invoices.mark_paid(g.api_user, invoice_id), invoices.today()))
