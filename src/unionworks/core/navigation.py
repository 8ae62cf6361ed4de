"""The left navigation's eight projects (八大工程). Sections fill in as their records land;
``url_name`` stays None until a project has pages of its own (the menu then shows 建设中).

Names are marked for translation here and translated where the menu is drawn."""

from django.utils.translation import gettext_noop as _

EIGHT_PROJECTS = [
    {"code": "theory", "name": _("理论武装工程"), "url_name": None},
    {"code": "achievement", "name": _("建功立业工程"), "url_name": None},
    {"code": "skills", "name": _("职工素质工程"), "url_name": None},
    {"code": "relations", "name": _("和谐劳动关系建设工程"), "url_name": None},
    {"code": "assistance", "name": _("帮扶工程"), "url_name": None},
    {"code": "foundation", "name": _("夯基工程"), "url_name": "members:coverage"},
    {"code": "talent", "name": _("人才兴会工程"), "url_name": None},
    {"code": "strength", "name": _("实力强会工程"), "url_name": None},
]
