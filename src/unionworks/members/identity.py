"""Person identity moved to ``core.identity`` (every domain keys a person by ID number)."""

# kept for importers.py until it moves onto core.importing
from unionworks.core.identity import (  # noqa: F401
    ID_FIELD,
    PHONE_FIELD,
    SealedIdentity,
    check_mobile,
    id_index_of,
    name_initials,
    normalize_phone,
    parse_identity,
    seal_identity,
)
