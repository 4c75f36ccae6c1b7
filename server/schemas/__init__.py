"""marshmallow schemas of the API (request loading and response documentation)."""
