"""Open311 client keys and the requests each key submitted.

An Open311 ``api_key`` belongs to a client application (a WeChat mini-program,
a county platform), not to a member of staff: it may only submit service
requests and read back its own. Wagtail's ``APIToken`` is a staff user's key
to the staff API, so the two are kept apart. The rules (issue, check, revoke)
are in ``portal.api.open311.keys``.
"""

from django.conf import settings
from django.db import models


class Open311Key(models.Model):
    name = models.CharField(
        "应用名称",
        max_length=100,
        unique=True,
        help_text="使用该密钥的应用，如：东湖社区微信小程序",
    )
    # The first characters of the key, stored in clear: shown in lists so that an
    # administrator can tell keys apart, and used to find the row to compare with.
    prefix = models.CharField("密钥前缀", max_length=16, unique=True, editable=False)
    # SHA-256 of the whole key (hex). The key itself is never stored.
    key_hash = models.CharField("密钥摘要", max_length=64, editable=False)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="创建人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField("吊销时间", null=True, blank=True, editable=False)

    class Meta:
        verbose_name = "Open311 接口密钥"
        verbose_name_plural = "Open311 接口密钥"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.name}（{self.prefix}…）"

    @property
    def is_active(self):
        return self.revoked_at is None


class Open311Submission(models.Model):
    """A service request a key submitted: the case it became and the token it was given.

    Lets a client resolve its ``token`` (``GET tokens/{token}.json``) and read
    back its own requests before staff make them public; it also records which
    application a case came from.
    """

    key = models.ForeignKey(
        Open311Key, verbose_name="接口密钥", on_delete=models.PROTECT, related_name="submissions"
    )
    case = models.OneToOneField(
        "cases.Case",
        verbose_name="案件",
        on_delete=models.CASCADE,
        related_name="open311_submission",
    )
    token = models.CharField("回执令牌", max_length=40, unique=True)
    created_at = models.DateTimeField("提交时间", auto_now_add=True)

    class Meta:
        verbose_name = "Open311 提交记录"
        verbose_name_plural = "Open311 提交记录"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.token
