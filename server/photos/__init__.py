"""Evidence photos: verification and derivatives (imaging), storage keys, arrival tracking.

A photo's id is the SHA-256 (hex) of the bytes the tablet uploads. Blob keys:
``photos/original/<sha>``, ``photos/thumb/<sha>``, ``photos/screen/<sha>``, ``photos/public/<sha>``.
"""
