"""A courier's steps, as Biteship names them: how far along each is, and which ones end a parcel's
journey (outbound shipments and returns alike)."""

# how far along a parcel is: the shipment's status is the furthest step reported, whatever order they came in
RANK = {
    "confirmed": 1,
    "scheduled": 1,
    "allocated": 2,
    "courier_not_found": 2,
    "picking_up": 3,
    "picked": 4,
    "on_hold": 5,
    "dropping_off": 6,
    "return_in_transit": 7,
    "returned": 8,
    "rejected": 8,
    "disposed": 8,
    "cancelled": 8,
    "delivered": 9,
}
FINISHED = ("delivered", "returned", "rejected", "disposed", "cancelled")
TRACKED_DAYS = 45  # the periodic job stops asking about a parcel this long after it was handed over
