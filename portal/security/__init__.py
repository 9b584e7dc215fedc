"""Site hardening: security headers (CSP), rate limits, login lockout, upload checks."""
