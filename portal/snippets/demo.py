"""Demo data for the registers. Called by ``load_demo_data``."""

from . import demo_regions


def load(stdout):
    demo_regions.load(stdout)
