"""A tiny HTTP service: what libmagic says a payload is, signed with an RS256 JWT."""
