"""Open311 GeoReport v2 (read-only) for the portal's public cases.

Lets existing 311 tools read public cases: categories are services, public
cases are service requests. Only ``Case.is_public`` cases are served, and only
what a resident may read: the public summary, the category, the status, the
grid and village (never the reported place, which can be a home address), the
handling unit — never a name or a phone. Spec: http://wiki.open311.org/GeoReport_v2
"""
