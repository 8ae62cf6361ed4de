"""Signals of the union tree's history, so that other apps follow it without orgs importing them."""

from django.dispatch import Signal

# Sent inside the founding's transaction with union (the new Org), units (the Units it
# covers from its founding date), on (the founding date) and actor (the acting user).
union_founded = Signal()
