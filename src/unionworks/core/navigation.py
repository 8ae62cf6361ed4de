"""The left navigation's eight projects (八大工程). Sections fill in as their records land;
``url_name`` stays None until a project has pages of its own."""

EIGHT_PROJECTS = [
    {"code": "theory", "name": "理论武装工程", "url_name": None},
    {"code": "achievement", "name": "建功立业工程", "url_name": None},
    {"code": "skills", "name": "职工素质工程", "url_name": None},
    {"code": "relations", "name": "和谐劳动关系建设工程", "url_name": None},
    {"code": "assistance", "name": "帮扶工程", "url_name": None},
    {"code": "foundation", "name": "夯基工程", "url_name": "orgs:tree"},
    {"code": "talent", "name": "人才兴会工程", "url_name": None},
    {"code": "strength", "name": "实力强会工程", "url_name": None},
]
