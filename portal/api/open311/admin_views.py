"""Admin screens for Open311 keys (设置 → Open311 接口密钥): list, issue (shown once), revoke.

Only superusers and county admins (区县管理员 assigned to a county) may see them:
a key lets an application file cases in every grid of the deployment.
"""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.functional import cached_property
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from portal.api.models import Open311Key

from .keys import KeyProblem, issue_key, may_manage_keys, revoke_key


class KeyPermissionPolicy(ModelPermissionPolicy):
    """Every action on keys: superusers and county admins only."""

    def user_has_permission(self, user, action):
        return may_manage_keys(user)

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission(actions).none()


class KeyForm(forms.Form):
    name = forms.CharField(
        label="应用名称",
        max_length=Open311Key._meta.get_field("name").max_length,
        help_text="使用该密钥的应用，如：东湖社区微信小程序、县级大数据平台",
    )


class StatusColumn(Column):
    def get_value(self, instance):
        return "有效" if instance.is_active else "已吊销"


class IndexView(generic.IndexView):
    @cached_property
    def columns(self):
        return [
            self._get_title_column_class(TitleColumn)(
                "name", label="应用名称", get_url=self.get_edit_url
            ),
            Column("prefix", label="密钥前缀"),
            StatusColumn("status", label="状态"),
            DateColumn("created_at", label="创建时间"),
            DateColumn("last_used_at", label="最近使用"),
            DateColumn("revoked_at", label="吊销时间"),
        ]

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        delete_url = self.get_delete_url(instance)
        kept = []
        for button in buttons:
            if delete_url and button.url == delete_url:
                if not instance.is_active:
                    continue
                button.label = "吊销"
            kept.append(button)
        return kept


class CreateView(generic.CreateView):
    page_title = "签发 Open311 接口密钥"

    def get_form_class(self):
        return KeyForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.pop("instance", None)
        return kwargs

    def form_valid(self, form):
        try:
            self.object, raw = issue_key(form.cleaned_data["name"], self.request.user)
        except KeyProblem as problem:
            form.add_error("name", str(problem))
            self.produced_error_message = "未能签发密钥，请按提示修改"
            return self.form_invalid(form)
        context = self.get_context_data(form=form)
        context.update(
            {"object": self.object, "raw_key": raw, "page_title": "已签发 Open311 接口密钥"}
        )
        # The admin's responses are never cached (Cache-Control: no-store, private).
        return TemplateResponse(self.request, "portal_api/open311_key_created.html", context)


class EditView(generic.EditView):
    """Rename only; the key itself cannot be shown again."""


class RevokeView(generic.DeleteView):
    page_title = "吊销 Open311 接口密钥"
    template_name = "portal_api/open311_key_confirm_revoke.html"

    @property
    def confirmation_message(self):
        return f"确定吊销“{self.object.name}”的密钥吗？吊销后该应用不能再提交诉求，此操作不能撤销。"

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        if revoke_key(self.object, request.user):
            messages.success(request, f"已吊销“{self.object.name}”的密钥")
        else:
            messages.warning(request, f"“{self.object.name}”的密钥此前已被吊销")
        return redirect(self.get_success_url())


class Open311KeyViewSet(ModelViewSet):
    model = Open311Key
    icon = "key"
    menu_label = "Open311 接口密钥"
    menu_name = "open311_keys"
    menu_order = 603
    add_to_settings_menu = True
    add_to_reference_index = False
    copy_view_enabled = False
    inspect_view_enabled = False
    form_fields = ["name"]
    index_view_class = IndexView
    add_view_class = CreateView
    edit_view_class = EditView
    delete_view_class = RevokeView


register_permission_policy(Open311Key, KeyPermissionPolicy(Open311Key))
