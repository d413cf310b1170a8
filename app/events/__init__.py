"""Bazaars, exhibitions and festivals: officers publish them, groups take part, buyers pick up there."""
