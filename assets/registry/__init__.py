"""The product registry's shared data and its pure view (used by the server and the tablet).

- `demo_products.csv`: demo registry rows (GS1 China prefixes, valid check characters).
- `consumer_checks.json`: what a consumer can check on a product, per standard.
- `view`: `catalog_from_rows` (a rules Catalog from pulled standard/edition/indicator rows)
  and `describe_standards` (product record + catalog + date -> the standards that apply,
  their edition status, classes, key indicators and consumer checks), so the public
  resolver page and an offline scan on the tablet say exactly the same thing.
"""
from assets.registry.view import (
    DEMO_CSV,
    catalog_from_rows,
    consumer_checks,
    describe_standard,
    describe_standards,
    standard_refs,
    status_key,
)

__all__ = ["DEMO_CSV", "catalog_from_rows", "consumer_checks", "describe_standard",
           "describe_standards", "standard_refs", "status_key"]
