"""The server's kernel: what every feature builds on and that knows no feature.

config (environment → app config), extensions (db, migrate, the flask-smorest Api),
types (column types, the `Synced` columns), database (engine tuning, chunked IN queries),
errors (the DomainError root, the one error body), i18n (the request's language), auth
(the Principal of a token, `require_role`) and access (the one access policy), clock, the
change log (changes), blob stores (blobs), the unit of work (uow: the only module that
commits), runtime (app contexts for jobs), features (what a feature hands to the app),
schemas (shared schema fields) and the console shell (console).
"""
