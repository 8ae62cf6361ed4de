"""建功立业 and 职工素质's list exports: each list of ``achievement.lists`` as filtered on its
page, as .xlsx by the background export task (core.exports). ID numbers stay masked, as
the lists show them."""

from unionworks.achievement.lists import LISTINGS
from unionworks.core.exports import ListExport, register_export

register_export(
    *(
        ListExport(
            name=listing.export_name,
            title=str(listing.title),
            filters=lambda actor, query, listing=listing: listing.filters(query),
            records=listing.records,
            columns=[(str(c.header), c.value) for c in listing.columns],
        )
        for listing in LISTINGS
    )
)
