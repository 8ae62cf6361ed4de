"""Assistance records over JSON, scoped like the pages."""

from ninja import Router

router = Router()
