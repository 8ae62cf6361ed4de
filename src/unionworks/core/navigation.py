"""The left navigation's eight projects (八大工程): each links to its dashboard
(``stats:dashboard`` with the project's code); a project whose records are not kept yet
still links there, and its dashboard says so.

Names are marked for translation here and translated where the menu is drawn."""

from django.utils.translation import gettext_noop as _

DASHBOARD_URL = "stats:dashboard"

EIGHT_PROJECTS = [
    {"code": code, "name": name, "url_name": DASHBOARD_URL, "kwargs": {"project_code": code}}
    for code, name in [
        ("theory", _("理论武装工程")),
        ("achievement", _("建功立业工程")),
        ("skills", _("职工素质工程")),
        ("relations", _("和谐劳动关系建设工程")),
        ("assistance", _("帮扶工程")),
        ("foundation", _("夯基工程")),
        ("talent", _("人才兴会工程")),
        ("strength", _("实力强会工程")),
    ]
]
