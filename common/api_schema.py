"""The API schema documents the errors every operation can answer (drf-spectacular hook).

``common.api.exception_handler`` answers every refusal in one of two shapes: ``{"detail":
"..."}`` (not logged in, no permission, not found, body too large, wrong media type) or
field errors ``{"field": ["..."], "non_field_errors": ["..."]}`` (400). drf-spectacular
documents only the success of each view; this hook adds, to each operation that lacks them,
the errors that operation can really answer, so a client (and the schemathesis run in the
tests) finds each status it meets in the schema:

- 401 and 403 everywhere (every route needs a login and a capability);
- 404 where the path or the body names a record (one outside the user's scope answers as
  unknown) or the list paginates (an unknown page);
- 400 where there is a query string or a body to get wrong;
- 413 and 415 where there is a body (too large, not JSON).
"""

from __future__ import annotations

from typing import Any

DETAIL = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
FIELD_ERRORS = {
    "type": "object",
    "description": "Field errors (field name → messages), or a detail message.",
    "additionalProperties": {},
}


def _response(description: str, ref: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{ref}"}}},
    }


def document_errors(result: dict[str, Any], generator: Any, request: Any, public: Any) -> Any:
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.setdefault("ErrorDetail", DETAIL)
    schemas.setdefault("FieldErrors", FIELD_ERRORS)
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            parameters = operation.get("parameters", [])
            in_path = any(p.get("in") == "path" for p in parameters)
            in_query = any(p.get("in") == "query" for p in parameters)
            paginated = any(p.get("name") == "page" for p in parameters)
            body = "requestBody" in operation
            errors = {
                "401": _response("Not logged in", "ErrorDetail"),
                "403": _response("No permission", "ErrorDetail"),
            }
            if in_path or paginated or body:
                errors["404"] = _response("Not found (or outside your scope)", "ErrorDetail")
            if in_query or body:
                errors["400"] = _response("Invalid input", "FieldErrors")
            if body:
                errors["413"] = _response("Request body too large", "ErrorDetail")
                errors["415"] = _response("Unsupported media type", "ErrorDetail")
            responses = operation.setdefault("responses", {})
            for status, response in errors.items():
                responses.setdefault(status, response)
    return result
