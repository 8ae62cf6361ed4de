"""Forms of the account pages: input shapes only; the rules are in ``accounts.services``."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from unionworks.accounts.models import User
from unionworks.core.forms import DomainErrorFormMixin
from unionworks.orgs import selectors as org_selectors
from unionworks.orgs.forms import OrgChoiceField, setup_org_field
from unionworks.orgs.models import Org


class AccountFilterForm(forms.Form):
    q = forms.CharField(label=_("用户名或姓名"), required=False, max_length=150)


class PasswordPairForm(DomainErrorFormMixin, forms.Form):
    """Two password boxes that must match; strength is the service's to judge. The second
    box leaves the cleaned data, which are then exactly the service's arguments."""

    password = forms.CharField(
        label=_("新密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("至少8位，不能全是数字，不能是常见密码，不能与用户名或姓名相近"),
    )
    password2 = forms.CharField(
        label=_("再次输入密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        data = super().clean()
        first, second = data.get("password"), data.pop("password2", None)
        if first and second and first != second:
            self.add_error("password2", _("两次输入的密码不一致"))
        return data


class AccountCreateForm(PasswordPairForm):
    username = forms.CharField(
        label=_("用户名"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    full_name = forms.CharField(label=_("姓名"), max_length=150, required=False)
    org = OrgChoiceField(label=_("所属组织"), kind="any")
    role = forms.ChoiceField(label=_("角色"), choices=[("", _("—— 请选择 ——")), *User.Role.choices])

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].label = _("初始密码")
        # Accounts sit mostly above the grassroots level: list those, search for the rest.
        shortlist = org_selectors.orgs_for(actor).exclude(kind=Org.Kind.GRASSROOTS)
        setup_org_field(self, "org", actor, shortlist=shortlist)


class AccountPasswordForm(PasswordPairForm):
    pass


class OwnPasswordForm(PasswordPairForm):
    old_password = forms.CharField(
        label=_("原密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    field_order = ["old_password", "password", "password2"]
