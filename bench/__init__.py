"""`make bench`: the real system under load, measured against this machine's own limits."""
