"""The sealed ID number and private phone shared by every register of people.

Volunteers and care objects store an ID number the same way (``portal.snippets.pii``:
AES-GCM ciphertext, keyed lookup hash, masked copy) and keep a phone that lists
show masked. One abstract model keeps the three columns identical on both, so
their migrations and lookups cannot drift apart.
"""

from django.db import models


class SealedIdNumber(models.Model):
    """Three columns for one ID number; the clear number is never stored.

    The concrete model declares its own ``phone`` field (labels differ);
    this base masks and normalises it.
    """

    id_number_encrypted = models.TextField("身份证号（密文）", editable=False)
    id_number_hash = models.CharField(
        "身份证号（检索哈希）", max_length=64, unique=True, editable=False
    )
    id_number_masked = models.CharField("身份证号", max_length=18, editable=False)

    class Meta:
        abstract = True

    @property
    def phone_masked(self):
        """138****5678: what lists and exports show."""
        from ..pii import mask_phone

        return mask_phone(self.phone)

    def clean(self):
        super().clean()
        from ..phones import clean_phone_attribute

        clean_phone_attribute(self, "phone")
