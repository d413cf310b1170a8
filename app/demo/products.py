"""Every demo product, in the order the seed makes them: each region's table, then a few added later to
earlier groups."""

from app.demo import products_bali_kalimantan_sulawesi, products_kaltim_bengkulu

# group index, name, category, price, unit, net g, stock, min order, tiers, permits, description, ingredients, shelf life
# (tiers: (min qty, unit price); permits: (type, number, status))
Row = tuple[
    int,
    str,
    str,
    int,
    str,
    int,
    int,
    int,
    list[tuple[int, int]],
    list[tuple[str, str, str]],
    str,
    str | None,
    int | None,
]

LATER: list[Row] = [
    (
        0,
        "Keripik Singkong Balado",
        "keripik",
        15000,
        "bungkus",
        200,
        100,
        1,
        [],
        [],
        "Keripik singkong pedas manis.",
        "Singkong, cabai",
        90,
    ),
    (
        2,
        "Teh Daun Kelor Serai",
        "teh-herbal",
        23000,
        "kotak",
        40,
        55,
        1,
        [],
        [],
        "Teh daun kelor dengan serai.",
        "Daun kelor, serai",
        365,
    ),
    (
        6,
        "Keripik Sukun Sangihe",
        "keripik",
        17000,
        "bungkus",
        150,
        50,
        1,
        [],
        [],
        "Keripik buah sukun.",
        "Sukun, minyak kelapa",
        90,
    ),
]

P: list[Row] = products_kaltim_bengkulu.PRODUCTS + products_bali_kalimantan_sulawesi.PRODUCTS + LATER
