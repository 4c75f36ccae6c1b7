"""Constants shared by the tablet tests (a unique basename: test folders have no __init__.py)."""
DEMO_GTIN = "06901234567892"
FORMALDEHYDE_A = "GB 18401-2010/4.1/formaldehyde/A"
