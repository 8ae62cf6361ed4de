"""Searching by a full ID number without the number in any URL, server log or stored task.

A URL is kept everywhere: browser history, shared links, the proxy's and the server's
access logs. So a full 身份证号 never travels in one:

- **Pages.** The search boxes are htmx forms; ``static/js/app.js`` moves a full number
  typed into ``q`` to the ``X-Id-Number`` request header. The page answers with, and
  pushes, a URL holding only the mask and the blind index (``?q=1401**********064X&idx=…``);
  links, pagination and exports carry those. A full number arriving in ``q`` anyway (no
  JavaScript) is redirected the same way at once.
- **API.** ``GET /api/v1/members/`` and ``/hardship-files/`` (and the other person lists)
  take the full number in the ``X-Id-Number`` header; a full number in ``?q=`` is refused
  (400) with a Chinese message saying so (docs/data-protection.md).
- **Tasks.** An export started from such a search stores the mask and the blind index in
  ``core_task.params``, never the number.

The blind index (HMAC-SHA256 under a derived key, ``core/personal_data.py``) finds the
record without revealing the number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from unionworks.core.errors import DomainError
from unionworks.core.identity import ID_FIELD, id_index_of
from unionworks.core.idnumber import mask_id_number, normalize_id_number
from unionworks.core.personal_data import Sealer

ID_HEADER = "X-Id-Number"
INDEX_PARAM = "idx"
_LOOKS_FULL = re.compile(r"\d{17}[\dX]|\d{15}")
_INDEX = re.compile(r"[0-9a-f]{32}")
# Keyset and page positions belong to the old search.
_PAGING = ("after", "before", "page")


def looks_like_full_id(text: object) -> bool:
    return bool(_LOOKS_FULL.fullmatch(normalize_id_number(text or "")))


def full_id_index(text: object) -> str:
    """The blind index of a full ID number ('' when ``text`` is not one). A number that looks
    full but fails its check digit gets an index too (it finds nobody): it may still be
    someone's number mistyped, and stays out of URLs like the others."""
    if not looks_like_full_id(text):
        return ""
    return id_index_of(text) or Sealer().index(normalize_id_number(text), ID_FIELD)


def masked(text: object) -> str:
    return mask_id_number(normalize_id_number(text))


def valid_index(text: object) -> str:
    return text if isinstance(text, str) and _INDEX.fullmatch(text) else ""


@dataclass(frozen=True)
class IdSearch:
    index: str  # the blind index searched for, '' when the search is not by a full number
    clean_url: str | None  # this page's URL with mask and index, when the number came in


def page_id_search(request, *, param: str = "q") -> IdSearch:
    """A list page's search by full ID number: from the header, from ``q`` (redirect the
    browser to ``clean_url``), or from ``idx`` in a clean URL."""
    typed = request.headers.get(ID_HEADER, "") or request.GET.get(param, "")
    index = full_id_index(typed)
    if index:
        params = request.GET.copy()
        params[param] = masked(typed)
        params[INDEX_PARAM] = index
        for key in _PAGING:
            params.pop(key, None)
        return IdSearch(index, f"{request.path}?{params.urlencode()}")
    return IdSearch(valid_index(request.GET.get(INDEX_PARAM, "")), None)


def clean_search_url(response, search: IdSearch):
    """Have htmx show (and keep in history) the URL with mask and index, not the number."""
    if search.clean_url:
        response["HX-Push-Url"] = search.clean_url
    return response


def api_id_index(request, q: str) -> str:
    """The blind index an API list searches by: the ``X-Id-Number`` header's number (or a
    blind index in it); a full number in the query string is refused."""
    if looks_like_full_id(q):
        raise DomainError(
            f"请勿在网址中传递完整身份证号：请放在请求头 {ID_HEADER} 中，"
            f"或在 q 中用脱敏号码（如 {masked(q)}）",
            field="q",
        )
    header = request.headers.get(ID_HEADER, "").strip()
    if not header:
        return ""
    index = valid_index(header) or full_id_index(header)
    if not index:
        raise DomainError(f"请求头 {ID_HEADER} 应为完整的身份证号", field=ID_HEADER)
    return index


def task_search(q: str, index: str = "") -> dict:
    """What a task started from a search stores: the mask and blind index of a full number."""
    typed = full_id_index(q)
    if typed:
        return {"q": masked(q), "id_index": typed}
    return {"q": q, "id_index": valid_index(index)}
