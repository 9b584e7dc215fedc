"""Demo content: a believable county, town and villages with their pages, registers and cases.

Nothing here runs in production; ``python manage.py load_demo_data`` builds the
demo through the same one-door functions the admin and importers use. The app
has no models.
"""
