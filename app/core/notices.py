"""The WhatsApp templates the platform sends: the one list an operator registers with Meta (docs/whatsapp.md
says the same, and a test holds the two together). A template's body has numbered parameters ({{1}}, {{2}}…)
in the order the notice gives them, in both languages; Meta takes no parameter at the very start or end of
a body, nor new lines inside one."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Template:
    name: str
    category: str  # utility | authentication (Meta's categories)
    params: tuple[str, ...]  # what {{1}}, {{2}}… hold
    id: str  # the body in Bahasa Indonesia
    en: str  # and in English


TEMPLATES = {
    t.name: t
    for t in (
        # to the group's chair and treasurer
        Template(
            "pesanan_baru",
            "utility",
            ("order number", "total"),
            "Pesanan baru {{1}} di Pasar UPPKS sudah dibayar, total {{2}}. Silakan siapkan di halaman pesanan kelompok.",
            "New order {{1}} on Pasar UPPKS is paid, total {{2}}. Please prepare it on the group's orders page.",
        ),
        Template(
            "bukti_transfer",
            "utility",
            ("order numbers", "amount"),
            "Pembeli pesanan {{1}} mengunggah bukti transfer {{2}}. Periksa rekening Anda, lalu konfirmasi atau "
            "tolak di halaman pesanan kelompok.",
            "The buyer of order {{1}} uploaded a transfer proof of {{2}}. Check your account, then confirm or "
            "refuse it on the group's orders page.",
        ),
        Template(
            "permintaan_penawaran",
            "utility",
            ("request number", "business buyer", "what and how much", "needed by"),
            "Permintaan penawaran {{1}} dari {{2}}: {{3}}, dibutuhkan {{4}}. Jawab di halaman kelompok Anda.",
            "Request for quotation {{1}} from {{2}}: {{3}}, needed by {{4}}. Answer it on your group's page.",
        ),
        Template(
            "penawaran_diterima",
            "utility",
            ("request number", "business buyer", "quantity and product", "order number"),
            "Penawaran Anda untuk {{1}} diterima {{2}}: {{3}}. Pesanannya {{4}}, lihat di halaman pesanan kelompok.",
            "Your offer for {{1}} was accepted by {{2}}: {{3}}. The order is {{4}}, see the group's orders page.",
        ),
        Template(
            "penawaran_tidak_dipilih",
            "utility",
            ("request number", "business buyer"),
            "Permintaan {{1}} sudah ditutup oleh {{2}} tanpa memilih penawaran Anda. Terima kasih sudah menawar.",
            "Request {{1}} was closed by {{2}} without choosing your offer. Thank you for your offer.",
        ),
        Template(
            "dana_dicairkan",
            "utility",
            ("amount", "bank account", "group"),
            "Dana {{1}} sudah dikirim ke rekening {{2}} untuk {{3}}. Rinciannya di halaman uang kelompok.",
            "A payout of {{1}} was sent to account {{2}} for {{3}}. The details are on the group's money page.",
        ),
        Template(
            "izin_segera_habis",
            "utility",
            ("permit number", "product", "end date"),
            "Izin {{1}} untuk {{2}} berlaku sampai {{3}}. Segera perpanjang agar produk tetap bisa dibeli.",
            "Permit {{1}} for {{2}} is valid until {{3}}. Renew it soon so the product can still be bought.",
        ),
        Template(
            "komplain_baru",
            "utility",
            ("order number", "reason", "link to the complaint"),
            "Pembeli pesanan {{1}} mengajukan komplain: {{2}}. Jawab dalam 2 hari di {{3}} agar tidak diteruskan "
            "ke admin.",
            "The buyer of order {{1}} made a complaint: {{2}}. Answer it within 2 days at {{3}} so it is not passed "
            "to the admins.",
        ),
        # to the buyer
        Template(
            "komplain_dijawab",
            "utility",
            ("group", "order number", "the group's answer", "link to the complaint"),
            "Kelompok {{1}} menjawab komplain pesanan {{2}}: {{3}}. Buka {{4}} untuk menerima jawaban itu atau "
            "meneruskannya ke admin.",
            "The group {{1}} answered your complaint about order {{2}}: {{3}}. Open {{4}} to accept the answer or "
            "pass it to the admins.",
        ),
        Template(
            "pesanan_dibayar",
            "utility",
            ("order number", "link to the order"),
            "Pembayaran pesanan {{1}} sudah kami terima dan kelompok akan menyiapkannya. Lihat pesanan di {{2}} "
            "kapan saja.",
            "We have received the payment for order {{1}} and the group will prepare it. See your order at {{2}} "
            "any time.",
        ),
        Template(
            "pesanan_dikirim",
            "utility",
            ("order number", "group", "tracking number"),
            "Pesanan {{1}} dari {{2}} sudah dikirim dengan nomor resi {{3}}. Lacak di situs kurirnya.",
            "Order {{1}} from {{2}} has been shipped with tracking number {{3}}. Track it on the courier's site.",
        ),
        Template(
            "pesanan_sampai",
            "utility",
            ("order number", "group"),
            "Pesanan {{1}} dari {{2}} sudah sampai. Terima kasih sudah berbelanja di Pasar UPPKS.",
            "Order {{1}} from {{2}} has been delivered. Thank you for shopping at Pasar UPPKS.",
        ),
        # to the buyer and to the group
        Template(
            "komplain_selesai",
            "utility",
            ("order number", "the outcome", "link to the complaint"),
            "Komplain pesanan {{1}} sudah selesai dengan hasil: {{2}}. Rinciannya ada di {{3}} kapan saja.",
            "The complaint about order {{1}} is settled with this outcome: {{2}}. The details are at {{3}} any time.",
        ),
    )
}
