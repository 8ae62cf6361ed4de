"""Hostile bodies at the API: text longer than its column, absurd dates and malformed JSON
are refused in Chinese, naming the field; and no input schema is left without bounds."""

import json

import pytest

from unionworks.api import api
from unionworks.core.tests.factories import login_as
from unionworks.members.models import Member
from unionworks.members.tests.factories import new_id_number


def _resolve(spec: dict, schema: dict) -> dict:
    while "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def _strings(spec: dict, schema: dict, where: str, seen: set):
    """(where, property) of every free-text string in ``schema`` (nested objects too)."""
    schema = _resolve(spec, schema)
    for option in schema.get("anyOf", []) + schema.get("allOf", []):
        yield from _strings(spec, option, where, seen)
    if schema.get("type") == "array":
        yield from _strings(spec, schema.get("items", {}), where, seen)
    for name, prop in schema.get("properties", {}).items():
        key = (where, name)
        if key in seen:
            continue
        seen.add(key)
        options = [_resolve(spec, o) for o in prop.get("anyOf", [prop])]
        numeric = any(o.get("type") == "number" for o in options)  # a decimal: "12.50"
        for option in options:
            free = option.get("type") == "string" and "enum" not in option and not numeric
            if free and "format" not in option and "maxLength" not in option:
                yield key
            if option.get("type") in ("object", "array") or "properties" in option:
                yield from _strings(spec, option, f"{where}.{name}", seen)


def test_every_text_the_api_takes_has_a_maximum_length():
    """A new input schema without ``core.api.bounded_by`` fails here."""
    spec = api.get_openapi_schema()
    unbounded, seen = [], set()
    for path, methods in spec["paths"].items():
        for method, operation in methods.items():
            where = f"{method.upper()} {path}"
            for parameter in operation.get("parameters", []):
                schema = _resolve(spec, parameter.get("schema", {}))
                options = [_resolve(spec, o) for o in schema.get("anyOf", [schema])]
                if parameter["in"] == "query" and any(
                    o.get("type") == "string"
                    and "enum" not in o
                    and "format" not in o
                    and "maxLength" not in o
                    for o in options
                ):
                    unbounded.append((where, parameter["name"]))
            body = operation.get("requestBody", {}).get("content", {})
            for content in body.values():
                unbounded += list(_strings(spec, content["schema"], where, seen))
    assert unbounded == []


def post(client, url, data):
    body = data if isinstance(data, str) else json.dumps(data)
    return client.post(f"/api/v1{url}", body, content_type="application/json")


def test_a_megabyte_name_is_refused_naming_the_field(client, world):
    login_as(client, world["taiyuan_admin"])
    limit = Member._meta.get_field("name").max_length
    response = post(
        client,
        "/members/",
        {
            "org": world["grassroots"].pk,
            "id_number": new_id_number(),
            "name": "张" * 350_000,  # ≈ 1 MB of UTF-8
            "joined_on": "2008-01-05",
        },
    )
    assert response.status_code == 422
    body = response.json()
    assert body["field"] == "name" and f"最多{limit}个字符" in body["detail"]
    assert Member.objects.count() == 0


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31", "1899-12-31"])
def test_absurd_dates_are_refused(client, world, day):
    login_as(client, world["taiyuan_admin"])
    response = post(
        client,
        "/members/",
        {
            "org": world["grassroots"].pk,
            "id_number": new_id_number(),
            "name": "王建国",
            "joined_on": day,
        },
    )
    assert response.status_code == 422
    assert response.json()["field"] == "joined_on" and "1900-01-01" in response.json()["detail"]
    assert Member.objects.count() == 0


@pytest.mark.parametrize("body", ["{bad json", '{"name": "王', "\xff\xfe", "[1, 2"])
def test_malformed_json_gets_the_usual_chinese_error(client, world, body):
    login_as(client, world["taiyuan_admin"])
    response = post(client, "/members/", body)
    assert response.status_code == 400
    assert response.json() == {
        "detail": "请求内容不是有效的 JSON，请检查格式（如引号、逗号、括号是否成对）",
        "field": None,
    }


def test_a_body_beyond_the_upload_limit_is_a_chinese_413(client, world, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    login_as(client, world["taiyuan_admin"])
    response = post(client, "/members/", {"name": "x" * 2000})
    assert response.status_code == 413 and response.json()["detail"] == "请求内容过大"


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_forms_refuse_absurd_dates_too(client, world, day):
    from unionworks.core.forms import date_field

    field = date_field(label="入会日期")
    assert field.widget.attrs["min"] == "1900-01-01" and field.widget.attrs["max"] == "2099-12-31"
    login_as(client, world["taiyuan_admin"])
    response = client.post(
        "/members/new/",
        {
            "org": world["grassroots"].pk,
            "id_number": new_id_number(),
            "name": "王建国",
            "joined_on": day,
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["joined_on"] == ["日期应在1900-01-01至2099-12-31之间"]
    assert Member.objects.count() == 0
