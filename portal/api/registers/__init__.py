"""Public registers as JSON, one module a domain: regions, grids with their staff,
case statistics and disclosure compliance (routes in ``portal.api.urls``).

Only what is public by design leaves here: grids and the names and work phones
of the staff on each grid's public board; case counts and rates (counts are not
personal data, so every case is counted, public or not), never a case's text;
disclosure compliance as published.
"""
