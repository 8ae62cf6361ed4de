"""The organisation picker every import into a chosen union shares."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from unionworks.core.importing.pipeline import Importer
from unionworks.orgs import selectors
from unionworks.orgs.forms import OrgChoiceField, setup_org_field


class OrgImporter(Importer):
    """An import whose rows go into one organisation of the actor's subtree, chosen on
    the upload page (``org``) or named in the API call."""

    org_label = _("导入到")
    org_help = ""

    @classmethod
    def param_fields(cls, actor) -> dict:
        return {"org": OrgChoiceField(label=cls.org_label, help_text=cls.org_help)}

    @classmethod
    def prepare_form(cls, form, actor) -> None:
        setup_org_field(form, "org", actor, shortlist=selectors.orgs_for(actor))
