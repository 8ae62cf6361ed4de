"""Form widgets drawn without the template engine where a page draws many options.

Django draws a ``<select>`` through one template per option; an org picker of a province
admin has some 130 options on every roll page, which took more time than the page's
queries. ``QuickSelect`` writes the same markup directly (flat choices only; grouped
choices fall back to Django's own drawing).
"""

from __future__ import annotations

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join


class QuickSelect(forms.Select):
    def render(self, name, value, attrs=None, renderer=None):
        choices = list(self.choices)
        if any(isinstance(label, (list, tuple)) for _value, label in choices):
            return super().render(name, value, attrs, renderer)
        chosen = {str(v) for v in self.format_value(value)}
        final = self.build_attrs(self.attrs, attrs)
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (
                    "" if v is None else v,
                    " selected" if str("" if v is None else v) in chosen else "",
                    label,
                )
                for v, label in choices
            ),
        )
        return format_html('<select name="{}"{}>{}</select>', name, flatatt(final), options)
