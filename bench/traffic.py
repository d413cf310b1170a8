"""The traffic bench/pages.py drives besides its fixed pages: a signed-in buyer with a cart, and long tails of
different searches, listings and API searches (lists of paths a wrk lua script picks from at random).

Every list is made from a seeded random generator, so two runs (before and after a change) ask the same."""

from __future__ import annotations

import http.cookiejar
import random
import re
import urllib.parse
import urllib.request
from pathlib import Path

# wrk and the sign-in send the same User-Agent: Flask-Login's session protection compares it
USER_AGENT = "pasar-bench/1.0"
SORTS = ("newest", "price_asc", "price_desc")


def _q(params: dict) -> str:
    return urllib.parse.urlencode({k: v for k, v in params.items() if v})


def _misspell(rng: random.Random, word: str) -> str:
    """A typo a buyer makes: a letter dropped, two swapped, one doubled, or a vowel changed."""
    i = rng.randrange(1, len(word) - 1)
    kind = rng.randrange(4)
    if kind == 0:
        return word[:i] + word[i + 1 :]
    if kind == 1:
        return word[: i - 1] + word[i] + word[i - 1] + word[i + 1 :]
    if kind == 2:
        return word[:i] + word[i] + word[i:]
    vowels = [j for j, c in enumerate(word) if c in "aeiou"]
    j = rng.choice(vowels)
    return word[:j] + rng.choice([v for v in "aeiou" if v != word[j]]) + word[j + 1 :]


def _two_words(rng: random.Random, words: list[str]) -> str:
    a, b = rng.sample(words, 2)
    if rng.random() < 0.4:  # the last word still being typed
        b = b[: rng.randrange(3, len(b) + 1)]
    return f"{a} {b}"


def _distinct(make, n: int) -> list[str]:
    seen: dict[str, None] = {}
    for _ in range(n * 50):
        seen.setdefault(make(), None)
        if len(seen) == n:
            break
    return list(seen)


def search_paths(words: list[str], provinces: list[str], categories: list[str], groups: list[str]) -> list[str]:
    """3,000 different searches, a quarter of each shape: two words; a word in a province; a misspelling in a
    category; a group's name."""
    rng = random.Random(25)
    shapes = [
        lambda: _q({"q": _two_words(rng, words)}),
        lambda: _q({"q": rng.choice(words), "province": rng.choice(provinces)}),
        lambda: _q({"q": _misspell(rng, rng.choice(words)), "category": rng.choice(categories)}),
        lambda: _q({"q": rng.choice(groups)}),
    ]
    out = [p for make in shapes for p in _distinct(make, 750)]
    rng.shuffle(out)
    return ["/search?" + p for p in out]


def listing_paths(provinces: list[str], categories: list[str]) -> list[str]:
    """1,000 different listings: category x province x sort (either may be left out)."""
    rng = random.Random(26)
    combos = [
        _q({"category": c, "province": p, "sort": s})
        for c in [""] + categories
        for p in [""] + provinces
        for s in SORTS
    ]
    rng.shuffle(combos)
    return ["/search?" + p for p in combos[:1000]]


def api_search_paths(words: list[str]) -> list[str]:
    """1,000 different API searches of two words."""
    rng = random.Random(27)
    return ["/api/v1/products?" + _q({"q": q}) for q in _distinct(lambda: _two_words(rng, words), 1000)]


def lua_script(path: Path, paths: list[str], headers: dict[str, str] | None = None) -> str:
    """A wrk script asking for one of `paths` at random per request, with these headers."""
    lines = [f'wrk.headers["{k}"] = "{v}"' for k, v in (headers or {}).items()]
    lines.append("paths = {" + ",".join(f'"{p}"' for p in paths) + "}")
    lines.append("request = function() return wrk.format(nil, paths[math.random(#paths)]) end")
    path.write_text("\n".join(lines) + "\n")
    return str(path)


def guest_with_cart(base: str, product_id: int) -> str:
    """A visitor who is not signed in puts a product in her cart: her pages are computed afresh (the page
    cache keeps only pages for a visitor with an empty session); returns her Cookie header."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.addheaders = [("User-Agent", USER_AGENT)]
    opener.open(f"{base}/cart/add", urllib.parse.urlencode({"product_id": product_id, "quantity": 1}).encode()).read()
    opener.open(f"{base}/cart").read()  # takes the flash message out of the session
    cookie = "; ".join(f"{c.name}={c.value}" for c in jar)
    plain = urllib.request.Request(f"{base}/cart", headers={"Cookie": cookie, "User-Agent": USER_AGENT})
    if "Keranjang (1)" not in urllib.request.urlopen(plain).read().decode():
        raise SystemExit("the bench guest has no cart")
    return cookie


def sign_in_with_cart(base: str, email: str, password: str, product_id: int) -> str:
    """Sign a buyer in on the running app and put a product in her cart, as a browser does; returns the
    Cookie header that carries her session."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.addheaders = [("User-Agent", USER_AGENT)]
    page = opener.open(f"{base}/login").read().decode()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page) or re.search(
        r'value="([^"]+)"[^>]*name="csrf_token"', page
    )
    form = {"email": email, "password": password, "csrf_token": token.group(1) if token else ""}
    opener.open(f"{base}/login", urllib.parse.urlencode(form).encode()).read()
    opener.open(f"{base}/cart/add", urllib.parse.urlencode({"product_id": product_id, "quantity": 1}).encode()).read()
    cart = opener.open(f"{base}/cart").read().decode()  # also takes the flash message out of the session
    if "/logout" not in cart:
        raise SystemExit("the bench buyer could not sign in")
    cookie = "; ".join(f"{c.name}={c.value}" for c in jar)
    # as wrk will send it: only this header and the User-Agent
    plain = urllib.request.Request(f"{base}/", headers={"Cookie": cookie, "User-Agent": USER_AGENT})
    if "/logout" not in urllib.request.urlopen(plain).read().decode():
        raise SystemExit("the bench buyer's cookie does not sign her in")
    return cookie
