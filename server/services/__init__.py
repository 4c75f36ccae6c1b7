"""Domain operations: no request objects; they raise server.errors.DomainError subclasses."""
