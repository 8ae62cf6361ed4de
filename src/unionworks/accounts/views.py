"""Account management pages: admins only, and only for accounts of their own subtree."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from unionworks.accounts import selectors, services
from unionworks.accounts.forms import (
    AccountCreateForm,
    AccountFilterForm,
    AccountPasswordForm,
    OwnPasswordForm,
)
from unionworks.core import roles
from unionworks.core.errors import DomainError
from unionworks.core.views import form_page, paginate, render_list


@login_required
@require_GET
def account_list(request):
    roles.require_admin(request.user)
    form = AccountFilterForm(request.GET)
    accounts = selectors.accounts_for(request.user)
    q = form.cleaned_data.get("q", "").strip() if form.is_valid() else ""
    if q:
        accounts = accounts.filter(Q(username__icontains=q) | Q(first_name__icontains=q))
    context = {"form": form, "page": paginate(request, accounts)}
    return render_list(
        request, "accounts/account_list.html", "accounts/_account_table.html", context
    )


@login_required
@require_http_methods(["GET", "POST"])
def account_create(request):
    roles.require_admin(request.user)
    return form_page(
        request,
        AccountCreateForm(
            request.POST or None, actor=request.user, initial={"org": request.user.org_id}
        ),
        services.create_account,
        page="accounts/account_form.html",
        done=lambda account: _("已创建账号“%(name)s”") % {"name": account.username},
        to=lambda account: ("accounts:detail", account.pk),
        actor=request.user,
    )


@login_required
@require_GET
def account_detail(request, user_id: int):
    roles.require_admin(request.user)
    account = selectors.account_for(request.user, user_id)
    return render(request, "accounts/account_detail.html", {"account": account})


@login_required
@require_POST
def account_set_active(request, user_id: int):
    roles.require_admin(request.user)
    account = selectors.account_for(request.user, user_id)
    active = request.POST.get("active") == "1"
    try:
        services.set_account_active(actor=request.user, user=account, active=active)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        text = _("已启用账号“%(name)s”") if active else _("已停用账号“%(name)s”")
        messages.success(request, text % {"name": account.username})
    return redirect("accounts:detail", user_id=account.pk)


@login_required
@require_http_methods(["GET", "POST"])
def account_password(request, user_id: int):
    roles.require_admin(request.user)
    account = selectors.account_for(request.user, user_id)
    return form_page(
        request,
        AccountPasswordForm(request.POST or None),
        services.reset_password,
        page="accounts/account_password.html",
        context={"account": account},
        done=_("已重置账号“%(name)s”的密码") % {"name": account.username},
        to=("accounts:detail", account.pk),
        actor=request.user,
        user=account,
    )


@login_required
@require_http_methods(["GET", "POST"])
def my_password(request):
    """修改密码: every account changes its own (an admin resets others' on their page)."""

    def changed(user):
        update_session_auth_hash(request, user)  # stay logged in with the new password
        return _("密码已修改")

    return form_page(
        request,
        OwnPasswordForm(request.POST or None),
        services.change_own_password,
        page="accounts/my_password.html",
        done=changed,
        to="workbench:home",
        user=request.user,
    )
