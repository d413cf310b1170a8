"""Pasar UPPKS: the marketplace of Indonesia's UPPKS groups. The app is made by app/factory.py."""

from app.factory import create_app

__all__ = ["create_app"]
