"""Helpers shared by the case tests."""

from portal.cases import services

# The state each status is reached by from a fresh case.
STEPS_TO = {
    "accepted": [],
    "dispatched": ["dispatch"],
    "handling": ["dispatch", "handle"],
    "closed": ["dispatch", "handle", "close"],
    "visited": ["dispatch", "handle", "close", "visit"],
    "rated": ["dispatch", "handle", "close", "visit", "rate"],
}


def walk(case, user, *steps, **kwargs):
    """Take several steps in a row with sensible inputs (a helper for state set-up)."""
    inputs = {
        "dispatch": {"handler_unit": "社区物业办"},
        "close": {"resolution": "已协调处理完毕", "mediated": True},
        "rate": {"satisfaction": "satisfied"},
        "return": {"note": "不属于本单位职责"},
        "escalate": {"note": "本级无法解决"},
    }
    for step in steps:
        services.transition(case, step, user, **{**inputs.get(step, {}), **kwargs})
    return case


def shown(case):
    """The hidden fields an admin action form posts: the state it was drawn from."""
    return {
        "shown_status": case.status,
        "shown_tier": case.tier,
        "shown_revision": str(case.revision),
    }
