"""The demo accounts, one for each role, and their one password (`flask demo seed` prints them)."""

PASSWORD = "pasar-demo-2026"
ACCOUNTS = [
    ("admin@pasar.example", "Admin Pasar", "admin"),
    ("petugas.kaltim@pasar.example", "Petugas BKKBN Kaltim", "officer"),
    ("ketua@pasar.example", "Ibu Siti Rahmah", "chair"),
    ("bendahara@pasar.example", "Siti Aminah", "treasurer"),
    ("sekretaris@pasar.example", "Ibu Nur Aini", "secretary"),
    ("anggota@pasar.example", "Ibu Dewi Lestari", "member"),
    ("pembeli@pasar.example", "Budi Santoso", "buyer"),
    ("hotel@pasar.example", "Bu Rina (Hotel Mesra Samarinda)", "business"),
]
