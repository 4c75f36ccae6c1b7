"""Data files (package so that setuptools ships the JSON)."""
