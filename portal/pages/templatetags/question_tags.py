"""Template tags of villagers' questions: the answered questions under a disclosure."""

from django import template

from portal.pages.disclosures.questions import public_answers

register = template.Library()


@register.simple_tag
def disclosure_answers(page):
    """The answered questions of ``page``, the asker anonymised (see ``public_answers``)."""
    return public_answers(page)
