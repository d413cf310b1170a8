from flask import current_app, g, request, url_for

from app.catalog import photos, products
from app.core.errors import UnsupportedMedia
from app.core.errors import ValidationFailed as Invalid
from app.groups import services as groups

from . import schemas, serialize
from .base import body, invitation_link, no_content, reply, route


@route(
    "/groups",
    "POST",
    "Register a group; the caller becomes its chair",
    tag="groups",
    auth=True,
    body=schemas.GroupIn,
    response=schemas.GroupOut,
    status=201,
    errors=(401, 422),
)
def create_group():
    group = groups.register_group(g.api_user, body(schemas.GroupIn))
    return reply(serialize.group(group), 201)


@route(
    "/groups/<slug>/members",
    "POST",
    "Invite a member by e-mail (a chair): 202, the person joins on accepting",
    tag="groups",
    auth=True,
    body=schemas.MemberIn,
    response=schemas.InvitationOut,
    status=202,
    errors=(401, 403, 404, 409, 422),
)
def add_member(slug: str):
    data = body(schemas.MemberIn)
    invitation = groups.invite_member(g.api_user, slug, data["email"], data.get("role", "member"), invitation_link)
    return reply(serialize.invitation(invitation), 202)


@route(
    "/groups/<slug>/members",
    "GET",
    "The group's members and their roles (its members)",
    tag="groups",
    auth=True,
    response=schemas.MemberList,
    errors=(401, 404),
)
def list_members(slug: str):
    return reply({"items": [serialize.member(m) for m in groups.members_of(g.api_user, slug)]})


@route(
    "/groups/<slug>/members/<int:user_id>",
    "PATCH",
    "Give a member another role (the chair); a group keeps at least one chair (409)",
    tag="groups",
    auth=True,
    body=schemas.RoleIn,
    response=schemas.MemberOut,
    errors=(401, 403, 404, 409, 422),
)
def change_role(slug: str, user_id: int):
    return reply(serialize.member(groups.set_role(g.api_user, slug, user_id, body(schemas.RoleIn)["role"])))


@route(
    "/groups/<slug>/verify",
    "POST",
    "Verify a group (admin)",
    tag="officers",
    auth=True,
    response=schemas.GroupOut,
    errors=(401, 403, 404, 409),
)
def verify_group(slug: str):
    return reply(serialize.group(groups.verify_group(g.api_user, slug)))


@route(
    "/groups/<slug>/products",
    "POST",
    "Add a product (a member of a verified group)",
    tag="selling",
    auth=True,
    body=schemas.ProductIn,
    response=schemas.ProductDetail,
    status=201,
    errors=(401, 403, 404, 422),
)
def create_product(slug: str):
    product = products.create_product(g.api_user, slug, body(schemas.ProductIn))
    return reply(serialize.product_detail(product), 201)


@route(
    "/products/<int:product_id>",
    "PATCH",
    "Change a product",
    tag="selling",
    auth=True,
    body=schemas.ProductPatch,
    response=schemas.ProductDetail,
    errors=(401, 404, 422),
)
def update_product(product_id: int):
    data = body(schemas.ProductPatch, partial=True)
    for key in (
        "name",
        "category",
        "unit",
        "net_weight_g",
        "price_idr",
        "stock",
        "min_order_qty",
        "status",
        "price_tiers",
        "permits",
    ):
        if key in data and data[key] is None:
            raise Invalid(f"{key} cannot be null.", {key: ["Cannot be null."]})
    return reply(serialize.product_detail(products.update_product(g.api_user, product_id, data)))


@route(
    "/products/<int:product_id>", "DELETE", "Archive a product", tag="selling", auth=True, status=204, errors=(401, 404)
)
def archive_product(product_id: int):
    products.archive_product(g.api_user, product_id)
    return no_content()


def _upload_doc() -> dict:
    return {
        "file": {
            "type": "string",
            "contentMediaType": "image/jpeg, image/png, image/webp",
            "description": f"JPEG, PNG or WebP; at most {current_app.config['MAX_UPLOAD_BYTES']} bytes",
        }
    }


@route(
    "/products/<int:product_id>/photos",
    "POST",
    "Add a photo: 201 made, 202 being made (poll its Location), "
    "200 the same file sent before (a retry: nothing stored twice)",
    tag="selling",
    auth=True,
    multipart=_upload_doc,
    response=schemas.PhotoOut,
    status=201,
    also=(200, 202),
    errors=(401, 404, 409, 413, 415, 422),
)
def add_photo(product_id: int):
    if request.mimetype != "multipart/form-data":
        raise UnsupportedMedia("Send the photo as multipart/form-data with the field 'file'.")
    upload = request.files.get("file")
    if upload is None:
        raise Invalid("The field 'file' is missing.", {"file": ["Required."]})
    added = photos.add_photo(g.api_user, product_id, upload.read())
    photo = added.photo
    location = {"Location": url_for("api.get_photo", product_id=product_id, photo_id=photo.id)}
    if photo.status != "ready":  # the job queue makes its sizes: accepted, not made yet
        return reply(serialize.photo(photo), 202, location)
    return reply(serialize.photo(photo), 201 if added.new else 200, location)


@route(
    "/products/<int:product_id>/photos/<int:photo_id>",
    "GET",
    "A photo of the group's product, in any state (a member)",
    tag="selling",
    auth=True,
    response=schemas.PhotoOut,
    errors=(401, 404),
)
def get_photo(product_id: int, photo_id: int):
    return reply(serialize.photo(photos.photo_for_member(g.api_user, product_id, photo_id)))


@route(
    "/products/<int:product_id>/photos/<int:photo_id>",
    "DELETE",
    "Remove a photo",
    tag="selling",
    auth=True,
    status=204,
    errors=(401, 404),
)
def delete_photo(product_id: int, photo_id: int):
    photos.delete_photo(g.api_user, product_id, photo_id)
    return no_content()
