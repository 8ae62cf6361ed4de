from unionworks.core.navigation import EIGHT_PROJECTS


def navigation(request):
    return {"eight_projects": EIGHT_PROJECTS}
