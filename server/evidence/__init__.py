"""Evidence integrity: an append-only, hash-chained log of evidence events.

``chain`` is the pure hashing and verification; ``service`` appends and verifies rows of
``server.models.evidence.EvidenceEvent``.
"""
