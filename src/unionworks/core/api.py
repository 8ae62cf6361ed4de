"""What every app's API shares: limit/offset pagination and the JSON error answers.

Errors answer ``{"detail": <Chinese message>, "field": <field or null>}``:
DomainError → 400, schema validation → 422, PermissionDenied → 403, Http404 → 404,
no or bad credentials → 401.
"""

from __future__ import annotations

import datetime as dt
import types
import typing
from typing import Any

from annotated_types import MaxLen
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, RequestDataTooBig
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.pagination import LimitOffsetPagination
from pydantic import AfterValidator

from unionworks.core.errors import DomainError
from unionworks.core.numbers import check_date_range

MAX_PAGE_SIZE = 500
# No list is that long; a larger offset (up to 2⁶³ and beyond) would overflow the query.
MAX_OFFSET = 1_000_000_000


class ErrorOut(Schema):
    detail: str
    field: str | None = None


class Pagination(LimitOffsetPagination):
    """``?limit=&offset=`` over a queryset; answers the page with the total count."""

    class Input(Schema):
        limit: int = Field(
            getattr(settings, "PAGE_SIZE", 50), ge=1, le=MAX_PAGE_SIZE, description="每页条数"
        )
        offset: int = Field(0, ge=0, le=MAX_OFFSET, description="跳过的条数")

    class Output(Schema):
        items: list[Any]
        count: int = Field(description="符合条件的总条数")
        limit: int
        offset: int

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_limit=MAX_PAGE_SIZE, **kwargs)

    def paginate_queryset(self, queryset, pagination: Input, request, **params) -> dict:
        offset, limit = pagination.offset, min(pagination.limit, self.max_limit)
        return {
            "items": queryset[offset : offset + limit],
            "count": self._items_count(queryset),
            "limit": limit,
            "offset": offset,
        }


# Text with no column of its own (a reason, a search) is held to what a note column holds.
DEFAULT_TEXT_LENGTH = 200
_DATE_CHECK = AfterValidator(check_date_range)


def _types_of(annotation) -> set:
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        return set(typing.get_args(annotation)) - {type(None)}
    return {annotation}


def bounded_by(model=None, **columns: str):
    """Class decorator for an input schema: each text field takes the ``max_length`` of the
    model column of its name (or the one ``columns`` maps it to: ``reason="reject_reason"``),
    ``DEFAULT_TEXT_LENGTH`` when it has none; each date field is held to the dates a record
    can name (``core.numbers.check_date_range``). A 1 MB name for a 50-character column is
    then a 422 naming the field, never a database error or a stored megabyte.

    A field that already sets ``max_length`` keeps it."""

    def apply(schema):
        for name, info in schema.model_fields.items():
            kinds = _types_of(info.annotation)
            if str in kinds and not any(isinstance(m, MaxLen) for m in info.metadata):
                info.metadata.append(MaxLen(_column_length(model, columns.get(name, name))))
            if kinds & {dt.date} and _DATE_CHECK not in info.metadata:
                info.metadata.append(_DATE_CHECK)
        schema.model_rebuild(force=True)
        return schema

    return apply


def _column_length(model, name: str) -> int:
    try:
        field = model._meta.get_field(name) if model is not None else None
    except FieldDoesNotExist:
        field = None
    return getattr(field, "max_length", None) or DEFAULT_TEXT_LENGTH


# Pydantic error types → the reason in Chinese; anything else is "格式不对".
_REASONS = {
    "missing": "不能为空",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "int_from_float": "应为整数",
    "int_parsing_size": "数值过大",
    "greater_than_equal": "不能小于{ge}",
    "less_than_equal": "不能大于{le}",
    "greater_than": "应大于{gt}",
    "less_than": "应小于{lt}",
    "decimal_parsing": "应为数字",
    "decimal_type": "应为数字",
    "float_parsing": "应为数字",
    "float_type": "应为数字",
    "finite_number": "应为有效的数字",
    "decimal_max_digits": "数字过长（最多{max_digits}位）",
    "decimal_max_places": "最多{decimal_places}位小数",
    "decimal_whole_digits": "数值过大（整数部分最多{whole_digits}位）",
    # A validator's ValueError (core.money.Money, …) carries its own Chinese reason.
    "value_error": "{error}",
    "string_type": "应为文字",
    "string_too_long": "过长（最多{max_length}个字符）",
    "date_parsing": "应为日期（YYYY-MM-DD）",
    "date_from_datetime_parsing": "应为日期（YYYY-MM-DD）",
    "date_type": "应为日期（YYYY-MM-DD）",
    "enum": "取值无效，可选：{expected}",
    "literal_error": "取值无效，可选：{expected}",
    "bool_parsing": "应为是或否",
    "json_invalid": "不是有效的 JSON",
    "model_attributes_type": "格式不对",
}


def _validation_reason(error: dict) -> tuple[str | None, str]:
    loc = [str(part) for part in error.get("loc", ()) if part not in ("body", "query", "path")]
    # ninja nests the body under the parameter name (e.g. ("body", "payload", "name")).
    field = loc[-1] if loc else None
    template = _REASONS.get(error.get("type", ""), "格式不对")
    try:
        reason = template.format(**error.get("ctx", {}))
    except (KeyError, IndexError):
        reason = template.split("，")[0]
    return field, reason


def validation_message(errors: list[dict]) -> tuple[str, str | None]:
    """One Chinese sentence naming each bad field and why, and the first field."""
    parts, first = [], None
    for error in errors:
        field, reason = _validation_reason(error)
        first = first or field
        parts.append(f"{field}：{reason}" if field else reason)
    return _("输入有误") + "：" + "；".join(parts), first


def install_error_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(DomainError)
    def domain_error(request, exc: DomainError):
        return api.create_response(request, {"detail": exc.message, "field": exc.field}, status=400)

    @api.exception_handler(ValidationError)
    def validation_error(request, exc: ValidationError):
        message, field = validation_message(exc.errors)
        return api.create_response(
            request, {"detail": message, "field": field, "errors": exc.errors}, status=422
        )

    @api.exception_handler(PermissionDenied)
    def permission_denied(request, exc: PermissionDenied):
        message = str(exc) or _("您无权执行此操作")
        return api.create_response(request, {"detail": message, "field": None}, status=403)

    @api.exception_handler(Http404)
    def not_found(request, exc: Http404):
        return api.create_response(
            request, {"detail": _("未找到该记录"), "field": None}, status=404
        )

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, exc: AuthenticationError):
        return api.create_response(
            request, {"detail": _("未登录，或接口令牌无效"), "field": None}, status=401
        )

    @api.exception_handler(RequestDataTooBig)
    def too_big(request, exc: RequestDataTooBig):
        return api.create_response(
            request, {"detail": _("请求内容过大"), "field": None}, status=413
        )

    @api.exception_handler(HttpError)
    def http_error(request, exc: HttpError):
        message = str(exc)
        if exc.status_code == 403 and "CSRF" in message:
            message = _("请求未通过 CSRF 校验，请刷新页面后重试")
        elif exc.status_code == 400 and message.startswith("Cannot parse request body"):
            # ninja's words for a body that is not JSON (or not UTF-8).
            message = _("请求内容不是有效的 JSON，请检查格式（如引号、逗号、括号是否成对）")
        return api.create_response(
            request, {"detail": message, "field": None}, status=exc.status_code
        )


def resolve_or_domain_error(lookup, *, field: str, message: str):
    """Run ``lookup()`` (a scoped get); a 404 becomes a DomainError on ``field``.

    Used for ids inside a request body: an id outside the subtree reads the same as one
    that does not exist, so nothing leaks.
    """
    try:
        return lookup()
    except Http404:
        raise DomainError(message, field=field) from None
