"""Every setting, declared here once with its default and read from the environment when the app is made
(create_app calls `settings`). Nothing secret is written here."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent


def _bool(env: Mapping[str, str], name: str, default: bool = False) -> bool:
    value = env.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _database_url(env: Mapping[str, str]) -> str:
    url = env.get("DATABASE_URL", "")
    if not url:
        return f"sqlite:///{BASE_DIR / 'instance' / 'pasar.db'}"
    # Heroku-style URLs and plain "postgresql://" both go through psycopg 3.
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def _list(env: Mapping[str, str], name: str, default: tuple[str, ...] = ()) -> tuple[str, ...]:
    """A comma-separated setting: "a.example, b.example" -> ("a.example", "b.example")."""
    value = env.get(name)
    if value is None:
        return default
    return tuple(part.strip() for part in value.split(",") if part.strip())


def _dev_secret_key() -> str:
    """Development only: a key kept in instance/ so sessions survive a restart."""
    path = BASE_DIR / "instance" / "secret_key"
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        key = secrets.token_hex(32)
        path.write_text(key)
        return key


# what the providers keep per payment method (their published prices): cards 2.9 %, QRIS 0.7 %, GoPay and
# ShopeePay 2 %, a virtual account Rp 4.000; a transfer to the platform's own account costs nothing
DEFAULT_PROVIDER_COSTS = (
    "stripe=2.9%,qris=0.7%,gopay=2%,shopeepay=2%,va_bca=4000,va_bni=4000,va_bri=4000,va_mandiri=4000,va_permata=4000"
)


def _provider_costs(text: str) -> dict[str, tuple[int, int]]:
    """ "stripe=2.9%,va_bca=4000" -> {method: (basis points, fixed rupiah per payment)}."""
    costs: dict[str, tuple[int, int]] = {}
    for part in text.split(","):
        code, _eq, value = part.partition("=")
        if not code.strip():
            continue
        bp = fixed = 0
        for piece in (p.strip() for p in value.split("+")):
            if piece.endswith("%"):
                whole, _dot, frac = piece[:-1].strip().partition(".")
                if not (whole or "0").isdigit() or (frac and not frac.isdigit()) or len(frac) > 2:
                    raise RuntimeError(f"PROVIDER_COSTS: {piece!r} is not a percentage with at most 2 decimals")
                bp = int(whole or 0) * 100 + int((frac + "00")[:2])
            elif piece:
                fixed = int(piece)
        costs[code.strip()] = (bp, fixed)
    return costs


ENVIRONMENTS = ("development", "production", "test")


def settings(name: str | None = None, env: Mapping[str, str] | None = None) -> dict:
    """The settings of an environment (PASAR_ENV: development, production or test), read from `env`
    (the process's environment unless given)."""
    env = os.environ if env is None else env
    name = (name or env.get("PASAR_ENV") or "development").lower()
    if name not in ENVIRONMENTS:
        raise RuntimeError(f"PASAR_ENV must be one of {', '.join(ENVIRONMENTS)}, not {name!r}")
    values = _base(env)
    values.update({"production": _production, "test": _test}.get(name, lambda _env: {})(env))
    values["PASAR_ENV"] = name
    values["MAX_CONTENT_LENGTH"] = values["MAX_UPLOAD_BYTES"] + 256 * 1024  # a photo and the form around it
    if name == "development" and not values["SECRET_KEY"]:
        values["SECRET_KEY"] = _dev_secret_key()
    return values


def _base(env: Mapping[str, str]) -> dict:
    return {
        "SECRET_KEY": env.get("SECRET_KEY", ""),  # development: a key kept in instance/ (create_app)
        # The site's public address: scheme, host, port if not the scheme's own, and the path if the site lives
        # under one (https://pasar.example). Every link sent out (e-mails, the sales statement's PDF and QR code,
        # the API's URLs, the calendar feed) is built from it (app/core/links.py), never from the request's Host
        # header, and requests for another host are refused (400). Required in production; in development the
        # local address ./scripts/dev serves on.
        "PUBLIC_URL": env.get("PUBLIC_URL") or f"http://127.0.0.1:{env.get('PORT', '5000')}",
        # Host names answered besides PUBLIC_URL's (comma-separated, the port does not matter; ".example.org"
        # takes every subdomain), e.g. another name of the site. Not Flask's own TRUSTED_HOSTS setting: that one
        # would also refuse the load balancers' probes (/healthz, /readyz, /metrics), which come to an
        # instance's IP address and are answered whatever the Host (they show no link).
        "EXTRA_TRUSTED_HOSTS": _list(env, "TRUSTED_HOSTS", ("localhost", "127.0.0.1")),
        "SQLALCHEMY_DATABASE_URI": _database_url(env),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "MEDIA_ROOT": env.get("MEDIA_ROOT", str(BASE_DIR / "instance" / "media")),
        "MEDIA_URL": env.get("MEDIA_URL", "/media/"),
        # Uploads: the cap is announced in the OpenAPI document and on the form.
        "MAX_UPLOAD_BYTES": int(env.get("MAX_UPLOAD_BYTES", 12 * 1024 * 1024)),
        "MAX_IMAGE_PIXELS": int(env.get("MAX_IMAGE_PIXELS", 50_000_000)),
        # transfer proofs and permit scans: a phone photo or a screenshot is enough
        "MAX_DOCUMENT_PIXELS": int(env.get("MAX_DOCUMENT_PIXELS", 24_000_000)),
        "ANONYMOUS_UPLOAD_LIMIT": env.get("ANONYMOUS_UPLOAD_LIMIT", "10 per hour"),
        "IMAGE_WIDTHS": (320, 640, 1280),
        "BABEL_DEFAULT_LOCALE": "id",
        "BABEL_DEFAULT_TIMEZONE": "UTC",
        "LANGUAGES": ("id", "en"),
        "RATELIMIT_STORAGE_URI": env.get("RATELIMIT_STORAGE_URI", "memory://"),
        # Redis for the job queue (and a readiness check); without it jobs run inline (the SQLite demo)
        "REDIS_URL": env.get("REDIS_URL", ""),
        # where uploads live: local (MEDIA_ROOT) or s3 (an S3-compatible bucket: AWS, MinIO, R2…)
        "STORAGE_BACKEND": env.get("STORAGE_BACKEND", "local"),
        "S3_BUCKET": env.get("S3_BUCKET", ""),
        "S3_ENDPOINT_URL": env.get("S3_ENDPOINT_URL", ""),  # empty: AWS
        "S3_REGION": env.get("S3_REGION", ""),
        "S3_ACCESS_KEY_ID": env.get("S3_ACCESS_KEY_ID", ""),  # empty: boto3's own chain (env, instance role)
        "S3_SECRET_ACCESS_KEY": env.get("S3_SECRET_ACCESS_KEY", ""),
        "S3_PUBLIC_URL": env.get("S3_PUBLIC_URL", ""),  # the bucket's public URL or a CDN in front of it
        "S3_PRESIGN_SECONDS": int(env.get("S3_PRESIGN_SECONDS", 300)),
        "S3_ADDRESSING_STYLE": env.get("S3_ADDRESSING_STYLE", ""),  # path for MinIO and moto
        "LOG_FORMAT": env.get("LOG_FORMAT", "text"),  # json: one JSON object per line, with the request id
        "LOG_LEVEL": env.get("LOG_LEVEL", "INFO"),
        "METRICS_TOKEN": env.get("METRICS_TOKEN", ""),  # /metrics only with "Authorization: Bearer <token>"
        "METRICS_OPEN": True,  # without METRICS_TOKEN /metrics answers anyone (development); production: 404
        "OFFICER_STATS_SECONDS": int(env.get("OFFICER_STATS_SECONDS", 60)),  # how old an area's kept numbers may be
        # anonymous pages and API reads kept in Redis (app/core/page_cache.py); on whenever REDIS_URL is set
        "PAGE_CACHE": _bool(env, "PAGE_CACHE", True),
        "PAGE_CACHE_PATHS": ("/search", "/p/", "/api/v1/products"),  # and "/"; only views marked @public_page are kept
        "PAGE_CACHE_SECONDS": int(env.get("PAGE_CACHE_SECONDS", 300)),  # how long Redis keeps an entry at most
        "PAGE_CACHE_CDN_SECONDS": int(env.get("PAGE_CACHE_CDN_SECONDS", 30)),  # s-maxage: a CDN's hold
        "RATELIMIT_HEADERS_ENABLED": True,
        "RATELIMIT_ENABLED": _bool(env, "RATELIMIT_ENABLED", True),
        "LOGIN_RATE_LIMIT": env.get("LOGIN_RATE_LIMIT", "10 per minute;50 per hour"),
        "PASSWORD_HASH_METHOD": "scrypt",
        "API_TOKEN_TTL_HOURS": int(env.get("API_TOKEN_TTL_HOURS", 24 * 30)),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": _bool(env, "SESSION_COOKIE_SECURE", False),
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": _bool(env, "SESSION_COOKIE_SECURE", False),
        "WTF_CSRF_TIME_LIMIT": None,
        "PAGE_SIZE": 24,
        "HSTS_SECONDS": 0,  # production sends Strict-Transport-Security
        "CHECKOUT_TTL_HOURS": int(env.get("CHECKOUT_TTL_HOURS", 24)),
        # an order delivered this many days ago, with no open complaint, completes by itself (app/orders/receipt.py)
        "ORDER_AUTO_COMPLETE_DAYS": int(env.get("ORDER_AUTO_COMPLETE_DAYS", 3)),
        # complaints (app/orders/complaints.py): a buyer may complain this many days after completion; a group
        # that does not answer in COMPLAINT_ANSWER_DAYS sees it escalated to an admin, a buyer who neither
        # accepts nor escalates an answer in as many days has accepted it
        "COMPLAINT_DAYS": int(env.get("COMPLAINT_DAYS", 2)),
        "COMPLAINT_ANSWER_DAYS": int(env.get("COMPLAINT_ANSWER_DAYS", 2)),
        # a return of complaint goods not sent in this many days lapses: the refund that waited for the goods is
        # not paid and the order completes (app/orders/return_lapse.py)
        "RETURN_SEND_DAYS": int(env.get("RETURN_SEND_DAYS", 7)),
        # Stripe (card payments). STRIPE_API_BASE and STRIPE_JS_URL point at localstripe in tests.
        "STRIPE_SECRET_KEY": env.get("STRIPE_SECRET_KEY", ""),
        "STRIPE_PUBLISHABLE_KEY": env.get("STRIPE_PUBLISHABLE_KEY", ""),
        "STRIPE_WEBHOOK_SECRET": env.get("STRIPE_WEBHOOK_SECRET", ""),
        "STRIPE_API_BASE": env.get("STRIPE_API_BASE", ""),
        # the Stripe API version every call asks for: one that still takes payment_method_types on a
        # PaymentIntent (from 2026-09-30.endive on, Stripe answers 400 payment_method_types_no_longer_supported)
        "STRIPE_API_VERSION": env.get("STRIPE_API_VERSION", "2025-09-30.clover"),
        "STRIPE_JS_URL": env.get("STRIPE_JS_URL", "https://js.stripe.com/v3/"),
        # Midtrans (QRIS, virtual accounts, GoPay/ShopeePay): offered when the server key is set. Its
        # notification URL (set in Midtrans's dashboard) is <site>/api/v1/payments/midtrans/notification.
        # MIDTRANS_API_URL points the client at another server (the tests' fake); MIDTRANS_METHODS limits
        # the methods offered (comma-separated codes).
        "MIDTRANS_SERVER_KEY": env.get("MIDTRANS_SERVER_KEY", ""),
        "MIDTRANS_CLIENT_KEY": env.get("MIDTRANS_CLIENT_KEY", ""),
        "MIDTRANS_PRODUCTION": env.get("MIDTRANS_PRODUCTION", "").lower() in ("1", "true", "yes"),
        "MIDTRANS_API_URL": env.get("MIDTRANS_API_URL", ""),
        "MIDTRANS_METHODS": env.get(
            "MIDTRANS_METHODS", "qris,va_bca,va_bni,va_bri,va_mandiri,va_permata,gopay,shopeepay"
        ),
        "MIDTRANS_FINISH_URL": env.get("MIDTRANS_FINISH_URL", ""),
        # Biteship (couriers: rates at checkout, pick-ups booked with a waybill, tracking). Without the key the
        # zone table (shipping_rates) prices shipping, as before. Its webhook URL (set in Biteship's dashboard,
        # with the signature key and secret below as its custom header) is <site>/webhooks/biteship.
        # BITESHIP_BASE_URL points the client at another server (the tests' fake).
        "BITESHIP_API_KEY": env.get("BITESHIP_API_KEY", ""),
        "BITESHIP_BASE_URL": env.get("BITESHIP_BASE_URL", "https://api.biteship.com"),
        "BITESHIP_WEBHOOK_SECRET": env.get("BITESHIP_WEBHOOK_SECRET", ""),
        "BITESHIP_WEBHOOK_HEADER": env.get("BITESHIP_WEBHOOK_HEADER", "X-Biteship-Signature"),
        "BITESHIP_COURIERS": env.get("BITESHIP_COURIERS", "jne,jnt,sicepat,anteraja,pos"),
        "BITESHIP_TIMEOUT": float(env.get("BITESHIP_TIMEOUT", 8)),
        # Bank transfer to the platform, when the checkout is not for one group with its own account
        "PLATFORM_BANK_NAME": env.get("PLATFORM_BANK_NAME", "Bank BRI"),
        "PLATFORM_BANK_ACCOUNT": env.get("PLATFORM_BANK_ACCOUNT", "0000-01-000000-00-0"),
        "PLATFORM_BANK_ACCOUNT_NAME": env.get("PLATFORM_BANK_ACCOUNT_NAME", "Pasar UPPKS (rekening bersama)"),
        # Money to the groups (app/ledger): the platform's fee per order, a percentage of the goods (exact
        # decimals: "2.5") plus a fixed amount, 0 by default (docs/design.md "How money moves" says why); what
        # each payment provider keeps per method, a percentage and/or a fixed amount per payment ("2.9%",
        # "4000", "2.9%+2000"), and who bears it: "platform" (the group receives the total less the fee) or
        # "group" (the provider's cost is taken from the group's money too).
        "PLATFORM_FEE_PERCENT": env.get("PLATFORM_FEE_PERCENT", "0"),
        "PLATFORM_FEE_IDR": int(env.get("PLATFORM_FEE_IDR", 0)),
        "PROVIDER_COSTS": _provider_costs(env.get("PROVIDER_COSTS", DEFAULT_PROVIDER_COSTS)),
        "PROVIDER_COSTS_BORNE_BY": env.get("PROVIDER_COSTS_BORNE_BY", "platform"),
        # Payouts to the groups' bank accounts (app/ledger/payouts.py): the smallest payout a group may ask for;
        # Midtrans Payouts ("Iris") sends them when its creator and approver API keys are set (else an admin
        # transfers by hand and records the bank's reference). IRIS_MERCHANT_KEY checks Iris's notifications
        # (<site>/api/v1/webhooks/iris, set in Iris's dashboard); IRIS_API_URL points the client at another
        # server (the tests' fake); IRIS_OTP_REQUIRED: the approver's authenticator code is asked on approval;
        # IRIS_VALIDATE_ACCOUNTS: the bank account's name is checked with Iris before its first payout.
        "PAYOUT_MIN_IDR": int(env.get("PAYOUT_MIN_IDR", 10_000)),
        "IRIS_CREATOR_KEY": env.get("IRIS_CREATOR_KEY", ""),
        "IRIS_APPROVER_KEY": env.get("IRIS_APPROVER_KEY", ""),
        "IRIS_MERCHANT_KEY": env.get("IRIS_MERCHANT_KEY", ""),
        "IRIS_PRODUCTION": _bool(env, "IRIS_PRODUCTION", False),
        "IRIS_API_URL": env.get("IRIS_API_URL", ""),
        "IRIS_OTP_REQUIRED": _bool(env, "IRIS_OTP_REQUIRED", False),
        "IRIS_VALIDATE_ACCOUNTS": _bool(env, "IRIS_VALIDATE_ACCOUNTS", True),
        # E-mail: SMTP when MAIL_SERVER is set, else written to the log
        "MAIL_SERVER": env.get("MAIL_SERVER", ""),
        "MAIL_PORT": int(env.get("MAIL_PORT", 587)),
        "MAIL_USERNAME": env.get("MAIL_USERNAME", ""),
        "MAIL_PASSWORD": env.get("MAIL_PASSWORD", ""),
        "MAIL_FROM": env.get("MAIL_FROM", "Pasar UPPKS <no-reply@pasar-uppks.invalid>"),
        "MAIL_BACKEND": env.get("MAIL_BACKEND", ""),
        # WhatsApp (Meta's WhatsApp Cloud API): the notices go as template messages when the token and the
        # sending number's id are set, else they are written to the log (development, as e-mails are).
        # WHATSAPP_API_BASE points the client at another server (the tests' fake); WHATSAPP_APP_SECRET checks
        # the status webhook's signature (X-Hub-Signature-256) and WHATSAPP_VERIFY_TOKEN answers Meta's
        # verification of it (<site>/webhooks/whatsapp). Templates and their parameters: docs/whatsapp.md.
        "WHATSAPP_TOKEN": env.get("WHATSAPP_TOKEN", ""),
        "WHATSAPP_PHONE_NUMBER_ID": env.get("WHATSAPP_PHONE_NUMBER_ID", ""),
        "WHATSAPP_API_BASE": env.get("WHATSAPP_API_BASE", "https://graph.facebook.com"),
        "WHATSAPP_API_VERSION": env.get("WHATSAPP_API_VERSION", "v21.0"),
        "WHATSAPP_APP_SECRET": env.get("WHATSAPP_APP_SECRET", ""),
        "WHATSAPP_VERIFY_TOKEN": env.get("WHATSAPP_VERIFY_TOKEN", ""),
        # one-time codes for signing in go by the authentication template WHATSAPP_OTP_TEMPLATE (docs/whatsapp.md)
        "WHATSAPP_OTP_TEMPLATE": env.get("WHATSAPP_OTP_TEMPLATE", "kode_masuk"),
        "WHATSAPP_OTP_LANGUAGE": env.get("WHATSAPP_OTP_LANGUAGE", "id"),
        # one-time codes by SMS (core/sms.py, Twilio Programmable Messaging), where WhatsApp is not configured or
        # fails: the account SID and auth token, and the sender (a Messaging Service, or a registered sender
        # ID or number in TWILIO_SMS_FROM). SMS is off while any is unset. TWILIO_API_BASE: the tests' fake.
        "TWILIO_ACCOUNT_SID": env.get("TWILIO_ACCOUNT_SID", ""),
        "TWILIO_AUTH_TOKEN": env.get("TWILIO_AUTH_TOKEN", ""),
        "TWILIO_MESSAGING_SERVICE_SID": env.get("TWILIO_MESSAGING_SERVICE_SID", ""),
        "TWILIO_SMS_FROM": env.get("TWILIO_SMS_FROM", ""),
        "TWILIO_API_BASE": env.get("TWILIO_API_BASE", "https://api.twilio.com"),
        # one-time codes: how many a number may be sent, and how many one client address may ask for
        "PHONE_CODE_NUMBER_LIMIT": env.get("PHONE_CODE_NUMBER_LIMIT", "3 per 15 minutes;10 per day"),
        "PHONE_CODE_ADDRESS_LIMIT": env.get("PHONE_CODE_ADDRESS_LIMIT", "10 per hour"),
        # switches the test suite turns (declared here so every setting read is one written down)
        "CATALOG_CACHE": _bool(env, "CATALOG_CACHE", True),  # the catalog's shared fragments in Redis
        "JOBS_INLINE": _bool(env, "JOBS_INLINE", False),  # run jobs in the request even with REDIS_URL set
        "JOBS_EAGER": False,  # jobs go through RQ and Redis but run at once, in the enqueuing process (tests)
        "MAIL_USE_TLS": _bool(env, "MAIL_USE_TLS", True),  # STARTTLS to MAIL_SERVER
    }


def _production(env: Mapping[str, str]) -> dict:
    return {
        "SECRET_KEY": env.get("SECRET_KEY", ""),  # required: create_app refuses to start without it
        "PUBLIC_URL": env.get("PUBLIC_URL", ""),  # required too (https://pasar.example)
        "EXTRA_TRUSTED_HOSTS": _list(env, "TRUSTED_HOSTS"),  # only PUBLIC_URL's host unless more are named
        "LOG_FORMAT": env.get("LOG_FORMAT", "json"),
        "SESSION_COOKIE_SECURE": _bool(env, "SESSION_COOKIE_SECURE", True),
        "REMEMBER_COOKIE_SECURE": _bool(env, "SESSION_COOKIE_SECURE", True),
        "PREFERRED_URL_SCHEME": "https",
        "HSTS_SECONDS": int(env.get("HSTS_SECONDS", 365 * 24 * 3600)),  # browsers use https only, for a year
        "METRICS_OPEN": False,  # /metrics only for METRICS_TOKEN's bearer; without a token it is not there (404)
    }


def _test(env: Mapping[str, str]) -> dict:
    return {
        "TESTING": True,
        "SECRET_KEY": secrets.token_hex(16),
        "PUBLIC_URL": "http://localhost",  # the test client's Host; a live server's test sets its own address
        # the test client's Host; the live servers of the browser, schemathesis and Stripe tests
        "EXTRA_TRUSTED_HOSTS": ("localhost", "127.0.0.1"),
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_STORAGE_URI": "memory://",
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",  # fast in tests; production uses scrypt
        "MAIL_BACKEND": "memory",
        "STRIPE_SECRET_KEY": "",
        # generous: many tests sign in by phone from one address (the limits' own test sets the real ones)
        "PHONE_CODE_NUMBER_LIMIT": "100 per minute",
        "PHONE_CODE_ADDRESS_LIMIT": "1000 per hour",
        "WHATSAPP_ACCESS_TOKEN": "",  # tests of the WhatsApp path set it, with WHATSAPP_API_URL at the fake
        "MIDTRANS_SERVER_KEY": "",  # tests that pay through Midtrans set it, with MIDTRANS_API_URL at the fake
        "BITESHIP_API_KEY": "",  # tests that ship through Biteship set it, with BITESHIP_BASE_URL at the fake
        "IRIS_CREATOR_KEY": "",  # tests that pay out through Iris set the keys, with IRIS_API_URL at the fake
        "IRIS_APPROVER_KEY": "",
        "WHATSAPP_TOKEN": "",  # tests that send by WhatsApp set it, with WHATSAPP_API_BASE at the fake
        "TWILIO_AUTH_TOKEN": "",  # tests that send codes by SMS set it, with TWILIO_API_BASE at the fake
        "OFFICER_STATS_SECONDS": 0,  # every test counts afresh (one test turns the keeping on)
    }
