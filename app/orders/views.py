"""Cart, checkout, payment pages, the buyer's and the group's orders, reviews."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.core import place_form
from app.core.errors import DomainError
from app.core.forms import apply_errors, attempt
from app.core.http import back, cross_site_form, send_private
from app.core.inputs import id_value, offset_value
from app.extensions import csrf, limiter
from app.payments import cards, transfers
from app.payments import services as payments

from . import cart, quoting, reviews, services, shipping, ways_to_pay
from . import checkout as checkouts
from . import complaints as complaint_rules
from . import status as moves
from .forms import AddToCartForm, CheckoutForm, MoveForm, ProofForm, ReplyForm, ReviewForm
from .labels import checkout_progress
from .models import CheckoutStatus

bp = Blueprint("orders", __name__)


def _buyer():
    return current_user._get_current_object() if current_user.is_authenticated else None


# ------------------------------------------------------------------ cart


@bp.post("/cart/add")
@csrf.exempt  # sent from shared (cached) product pages: the same-site check stands in for the token
def add_to_cart():
    if cross_site_form():
        abort(403)
    form = AddToCartForm(meta={"csrf": False})
    product_id = id_value(form.product_id.data)
    if product_id is None:
        abort(404)
    if not form.validate_on_submit():
        flash(_("Jumlah harus 1 sampai 10.000."), "error")
        return back(url_for("catalog.home"))
    try:
        quoting.check_for_sale(product_id)
    except DomainError as exc:
        flash(exc.detail, "error")
        return back(url_for("catalog.home"))
    cart.add(product_id, form.quantity.data)
    flash(_("Ditambahkan ke keranjang."), "success")
    return redirect(url_for("orders.view_cart"))


@bp.get("/cart")
def view_cart():
    q = quoting.quote(cart.items().items())
    return render_template("orders/cart.html", quote=q, shipping_labels=shipping.ZONE_LABELS)


@bp.post("/cart/update")
def update_cart():
    for key, value in request.form.items():
        if key.startswith("qty-"):
            text = (value or "0").strip()
            if not (text.isascii() and text.isdigit() and len(text) <= 6):
                flash(_("Jumlah harus angka 0 sampai 10.000."), "error")
                continue
            cart.set_quantity(id_value(key[4:]), int(text))
    return redirect(url_for("orders.view_cart"))


# ------------------------------------------------------------------ checkout


def _methods() -> dict[str, str]:
    return {k[len("ship-") :]: v for k, v in request.form.items() if k.startswith("ship-")}


def _checkout_request(form: CheckoutForm, items: list, methods: dict[str, str]) -> checkouts.CheckoutRequest:
    """What the checkout page's form asks to place, with the total the page showed."""
    shown = (request.form.get("shown_total") or "").strip()
    return checkouts.CheckoutRequest(
        items=items,
        shipping_address=form.address(),
        payment_method=form.payment_method.data,
        email=form.email.data,
        phone=form.phone.data,
        note=form.note.data,
        po_number=form.po_number.data,
        shipping_methods=methods,
        shown_total_idr=int(shown) if shown.isascii() and shown.isdigit() and len(shown) < 16 else -1,
    )  # no figure shown: never what today's total is


@bp.route("/checkout", methods=["GET", "POST"])
def checkout():
    items = list(cart.items().items())
    if not items:
        flash(_("Keranjang kosong."), "info")
        return redirect(url_for("orders.view_cart"))
    form = CheckoutForm()
    buyer = _buyer()
    org = ways_to_pay.verified_organisation_of(buyer)
    addresses = ways_to_pay.addresses_of(buyer)
    if request.method == "GET" and buyer is not None:
        form.name.data = form.name.data or buyer.name
        form.ship_phone.data = form.ship_phone.data or buyer.phone
        chosen = id_value(request.args.get("address"))
        if chosen is not None:
            form.fill_address(next((a for a in addresses if a.id == chosen), None) or services.last_address(buyer))
        else:  # the address of the buyer's last checkout: shipping is priced from the first page on
            form.fill_address(services.last_address(buyer))
    action = request.form.get("action") if request.method == "POST" else None
    place, wrong = place_form.read(form, moving=action == place_form.MOVE)
    methods = _methods()
    postal = place.postal_code if place.district is not None and "postal_code" not in wrong else None
    q = quoting.quote(items, place.province_code, methods, postal or None)
    form.delivers = q.delivers  # picked up everywhere: a name and a phone number are enough
    form.offer_methods(ways_to_pay.offered(buyer, org, q), org)  # e.g. paying at the stand when there is an event
    status = 200
    if action == "place":
        placed, status = _place(form, buyer, items, methods, wrong if q.delivers else {})
        if placed is not None:
            return redirect(url_for("orders.checkout_page", access_key=placed.access_key))
    if q.delivers:  # a wrong pair is refused where it is first seen: at "Lanjut" and "Hitung ongkir" too
        place_form.show(form, wrong)
        status = 422 if wrong and action else status
    return render_template(
        "orders/checkout.html",
        form=form,
        quote=quoting.quote(items, place.province_code, methods, postal or None),
        place=place,
        buyer=buyer,
        methods=methods,
        shipping_labels=shipping.ZONE_LABELS,
        addresses=addresses,
        org=org,
    ), status


def _place(form: CheckoutForm, buyer, items: list, methods: dict[str, str], wrong: dict):
    """The order placed from the page's form (and the cart emptied), or None and the page's status."""
    if not form.validate_on_submit() or wrong:
        return None, 422
    try:
        placed = checkouts.place_checkout(buyer, _checkout_request(form, items, methods))
    except DomainError as exc:
        apply_errors(form, exc)
        if not form.form_errors and exc.detail:
            form.form_errors.append(exc.detail)
        return None, exc.status
    cart.clear()
    session.setdefault("checkouts", [])
    session["checkouts"] = (session["checkouts"] + [placed.access_key])[-20:]
    return placed, 302


def _stripe_headers(response):
    """The card page alone loads Stripe.js from Stripe's host (PCI: card data never touches us)."""
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(current_app.config["STRIPE_JS_URL"]))
    response.headers["Content-Security-Policy"] = (
        f"default-src 'self'; img-src 'self' data: {origin}; style-src 'self' 'unsafe-inline'; "
        f"script-src 'self' {origin}; connect-src 'self' {origin}; frame-src {origin}; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'self'"
    )
    return response


@bp.get("/checkout/<access_key>")
def checkout_page(access_key: str):
    placed = services.checkout_for(_buyer(), access_key=access_key)
    payment = payments.payment_of(placed)
    response = make_response(
        render_template(
            "orders/checkout_page.html",
            checkout=placed,
            payment=payment,
            progress=checkout_progress(placed, proof_waiting=payment.proof_waiting),
            proof_form=ProofForm(),
            move_form=MoveForm(),
            review_form=ReviewForm(),
            stripe_js=current_app.config["STRIPE_JS_URL"],
            stripe_key=current_app.config["STRIPE_PUBLISHABLE_KEY"],
        )
    )
    if placed.payment_method == "stripe" and placed.status == CheckoutStatus.PENDING_PAYMENT:
        _stripe_headers(response)
    return response


@bp.post("/checkout/<access_key>/card")
def pay_card(access_key: str):
    placed = services.checkout_for(_buyer(), access_key=access_key)
    try:
        intent = cards.pay_by_card(placed, request.form.get("payment_method", ""))
    except DomainError as exc:
        flash(exc.detail, "error")
        return redirect(url_for("orders.checkout_page", access_key=access_key))
    if intent.status == "requires_action":
        response = make_response(
            render_template(
                "orders/authenticate.html",
                checkout=placed,
                client_secret=intent.client_secret,
                stripe_js=current_app.config["STRIPE_JS_URL"],
                stripe_key=current_app.config["STRIPE_PUBLISHABLE_KEY"],
            )
        )
        return _stripe_headers(response)
    if intent.status in ("succeeded", "processing"):
        flash(_("Pembayaran kartu diterima dan sedang dikonfirmasi."), "success")
    else:
        flash(_("Kartu tidak dapat ditagih. Coba kartu lain."), "error")
    return redirect(url_for("orders.checkout_page", access_key=access_key))


def _upload_limit() -> str:
    return current_app.config["ANONYMOUS_UPLOAD_LIMIT"]


@bp.post("/checkout/<access_key>/proof")
@limiter.limit(_upload_limit, exempt_when=lambda: current_user.is_authenticated)  # guests upload without an account
def upload_proof(access_key: str):
    placed = services.checkout_for(_buyer(), access_key=access_key)
    form = ProofForm()
    if form.validate_on_submit():
        try:
            transfers.upload_proof(placed, form.file.data.read())
        except DomainError as exc:
            flash(exc.detail, "error")
        # on success the page itself says that the proof arrived and what happens next
    else:
        flash(_("Pilih berkas foto."), "error")
    return redirect(url_for("orders.checkout_page", access_key=access_key))


@bp.get("/checkout/<access_key>/proof")
def proof_by_link(access_key: str):
    """The buyer's own transfer proof, through the checkout's link."""
    placed = services.checkout_for(_buyer(), access_key=access_key)
    return send_private(transfers.proof_for(None, placed))


@bp.get("/transfers/<int:checkout_id>/proof")
@login_required
def proof(checkout_id: int):
    return send_private(transfers.proof_for_payee(current_user, checkout_id))


@bp.post("/checkout/<access_key>/orders/<int:order_id>/received")
def confirm_receipt(access_key: str, order_id: int):
    """ "Pesanan diterima": the buyer signed in, or a guest holding the checkout's link (her credential)."""
    buyer = services.buyer_by_link(_buyer(), access_key)
    # a review needs an account: a guest is only thanked
    thanks = (
        _("Terima kasih! Pesanan selesai. Silakan beri ulasan.") if buyer.user else _("Terima kasih! Pesanan selesai.")
    )
    attempt(lambda: moves.confirm_receipt(buyer, order_id), thanks)  # pressed twice: a message, not an error page
    return redirect(url_for("orders.checkout_page", access_key=access_key) + f"#order-{order_id}")


@bp.post("/checkout/<access_key>/lines/<int:line_id>/review")
@login_required
def review(access_key: str, line_id: int):
    form = ReviewForm()
    try:
        reviews.add_review(current_user, line_id, form.rating.data, form.body.data)
    except DomainError as exc:
        flash(exc.detail or _("Periksa isian yang ditandai."), "error")
    else:
        flash(_("Ulasan tersimpan."), "success")
    return redirect(url_for("orders.checkout_page", access_key=access_key))


@bp.get("/orders")
@login_required
def my_orders():
    offset = offset_value(request.args.get("offset"))
    rows, more = services.orders_of_buyer(current_user, offset, 24)
    return render_template(
        "orders/mine.html", orders=rows, photos=services.first_photos(rows), more=more, offset=offset
    )


# ------------------------------------------------------------------ the group's side


@bp.get("/groups/<slug>/orders")
@login_required
def group_orders(slug: str):
    typed = (request.args.get("code") or "").strip()
    found = None
    if typed:  # "Cari kode transfer": the transfer with the code the member reads in her bank app
        group, found, rows = transfers.transfer_to_group_by_code(current_user, slug, typed)
    if not found:
        group, rows, _more = services.orders_of_group(current_user, slug, request.args.get("status") or None)
    return render_template(
        "orders/group_orders.html",
        group=group,
        orders=rows,
        payments=payments.payments_of_orders(rows),
        complaints=complaint_rules.latest_for([o.id for o in rows]),
        move_form=MoveForm(),
        status=request.args.get("status", ""),
        typed=typed,
        found=found,
    )


@bp.post("/orders/<int:order_id>/move")
@login_required
def move(order_id: int):
    form = MoveForm()
    try:
        order = moves.move_by_group(current_user, order_id, form.to.data, form.tracking_number.data, form.reason.data)
    except DomainError as exc:
        if exc.status in (403, 404):
            raise
        flash(" ".join(m for ms in exc.errors.values() for m in ms) or exc.detail, "error")
        order = services.order_for_group_member(current_user, order_id)
    else:
        flash(_("Status pesanan %(n)s diperbarui.", n=order.number), "success")
    return redirect(url_for("orders.group_orders", slug=order.group.slug) + f"#order-{order.id}")


@bp.post("/transfers/<int:checkout_id>/confirm")
@login_required
def confirm_transfer(checkout_id: int):
    attempt(lambda: transfers.confirm_transfer(current_user, checkout_id), _("Pembayaran dikonfirmasi."))
    return back(url_for("orders.my_orders"))


@bp.post("/transfers/<int:checkout_id>/refuse")
@login_required
def refuse_transfer(checkout_id: int):
    attempt(
        lambda: transfers.refuse_transfer(current_user, checkout_id, request.form.get("reason")),
        _("Bukti ditolak. Pembeli sudah diberi tahu alasannya."),
    )
    return back(url_for("orders.my_orders"))


@bp.post("/reviews/<int:review_id>/reply")
@login_required
def reply(review_id: int):
    form = ReplyForm()
    try:
        review = reviews.reply_to_review(current_user, review_id, form.reply.data)
    except DomainError as exc:
        flash(exc.detail, "error")
        return back(url_for("catalog.home"))
    flash(_("Balasan tersimpan."), "success")
    return redirect(url_for("catalog.product", product_id=review.product_id))
