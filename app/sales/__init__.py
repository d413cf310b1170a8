"""The group's sales book: sales made outside the platform (market stall, bazaar, direct order),
beside the platform's own, month by month."""
