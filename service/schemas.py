"""What goes in and out of the API, as marshmallow schemas (also the source of the OpenAPI document)."""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate

from workers.config import MAX_TEXT
from workers.labels import LABELS
from workers.text_rules import SURROGATE, text_problem

MAX_URL = 2048
MAX_TITLE = 1000
STATUSES = ["queued", "started", "finished", "failed"]


# The text rule (workers.text_rules) as an ECMA regular expression, for the OpenAPI document: at least one
# character that is not whitespace (in Python's sense or JavaScript's), and no NUL anywhere. Lone surrogates
# cannot be written in a JSON Schema pattern; the description says so.
TEXT_PATTERN = r"^[^\x00]*[^\s\x00\x1c-\x1f\x85][^\x00]*$"
TEXT_RULE = "Not blank; no NUL character and no lone surrogate (the same rule as the command line)."
FIELD_PATTERN = r"^[^\x00]*$"


def optional_field(max_length: int, description: str | None = None) -> fields.String:
    """An optional string field (null allowed) of at most ``max_length`` characters, with no NUL or lone surrogate."""
    metadata = {"description": description} if description else {}
    return fields.String(
        load_default=None,
        allow_none=True,
        validate=[validate.Length(max=max_length), valid_field],
        metadata={**metadata, "pattern": FIELD_PATTERN},
    )


def valid_text(value: str) -> None:
    """The one text rule (workers.text_rules), for a page or a report."""
    problem = text_problem(value)
    if problem is not None:
        raise ValidationError(problem)


def valid_field(value: str | None) -> None:
    if value is not None and ("\x00" in value or SURROGATE.search(value)):
        raise ValidationError("contains a NUL character or a lone surrogate; send valid Unicode text")


def not_blank(value: str) -> None:
    valid_field(value)
    if not value.strip():
        raise ValidationError("must not be blank")


class AnnotationRequestSchema(Schema):
    text = fields.String(
        required=True,
        validate=[validate.Length(min=1, max=MAX_TEXT), valid_text],
        metadata={
            "description": "The text of the page, 1 to 500,000 characters. " + TEXT_RULE,
            "pattern": TEXT_PATTERN,
        },
    )
    url = optional_field(MAX_URL, "Where the page is; kept with the job.")
    title = optional_field(MAX_TITLE)


class EvidenceSchema(Schema):
    doc = fields.String(
        metadata={"description": "The report's id: its file name without extension, or the id it was added under."}
    )
    title = fields.String()
    sentence = fields.String()
    score = fields.Float()


class ConflictValuesSchema(Schema):
    page = fields.String()
    report = fields.String()


class ConflictSchema(EvidenceSchema):
    values = fields.Nested(ConflictValuesSchema)


class AnnotationSchema(Schema):
    text = fields.String()
    start = fields.Integer(metadata={"description": "Offset in code points: text[start:end] is the sentence."})
    end = fields.Integer()
    start_utf16 = fields.Integer(metadata={"description": "The same span in UTF-16 code units, as browsers count."})
    end_utf16 = fields.Integer()
    label = fields.String(validate=validate.OneOf(list(LABELS)))
    support = fields.List(
        fields.Nested(EvidenceSchema), metadata={"description": "The strongest supporting reports (at most N)."}
    )
    conflict = fields.List(
        fields.Nested(ConflictSchema), metadata={"description": "The strongest differing reports (at most N)."}
    )
    supporting_reports = fields.Integer(
        metadata={"description": "How many independent reports support the claim (also those not listed)."}
    )
    differing_reports = fields.Integer(
        metadata={"description": "How many independent reports give a different value (also those not listed)."}
    )


class CorpusInfoSchema(Schema):
    documents = fields.Integer()
    sentences = fields.Integer()
    version = fields.String()


class ResultSchema(Schema):
    annotations = fields.List(fields.Nested(AnnotationSchema))
    corpus = fields.Nested(CorpusInfoSchema)


class LinksSchema(Schema):
    self = fields.String()


class AnnotationJobSchema(Schema):
    id = fields.String(required=True)
    status = fields.String(required=True, validate=validate.OneOf(STATUSES))
    links = fields.Nested(LinksSchema)
    result = fields.Nested(ResultSchema, metadata={"description": "Present when finished: the engine's result."})
    error = fields.String(metadata={"description": "Present when failed: what went wrong."})


class DocumentRequestSchema(Schema):
    title = fields.String(
        required=True,
        validate=[validate.Length(min=1, max=MAX_TITLE), not_blank],
        metadata={"description": "Not blank; no NUL character and no lone surrogate.", "pattern": TEXT_PATTERN},
    )
    text = fields.String(
        required=True,
        validate=[validate.Length(min=1, max=MAX_TEXT), valid_text],
        metadata={"description": TEXT_RULE, "pattern": TEXT_PATTERN},
    )
    url = optional_field(MAX_URL)
    source = optional_field(MAX_TITLE)


class DocumentSchema(Schema):
    doc = fields.String(required=True)
    title = fields.String(required=True)
    url = fields.String(allow_none=True)
    source = fields.String(allow_none=True)
    characters = fields.Integer(metadata={"description": "Length of the text."})
    text = fields.String(metadata={"description": "Only when one document is asked for."})
    links = fields.Nested(LinksSchema)


class DocumentListSchema(Schema):
    documents = fields.List(fields.Nested(DocumentSchema))
    corpus = fields.Nested(lambda: StoreInfoSchema())


class StoreInfoSchema(Schema):
    name = fields.String(metadata={"description": "The corpus folder the workers load."})
    added_documents = fields.Integer()
    added_version = fields.String(metadata={"description": "Changes whenever a report is added or removed."})


class HealthSchema(Schema):
    status = fields.String(metadata={"description": "ok, or degraded when no worker is alive."})
    message = fields.String(metadata={"description": "What to do when degraded."})
    redis = fields.Boolean()
    queue = fields.Dict(
        keys=fields.String(),
        values=fields.Integer(),
        metadata={"description": "queued, started and failed job counts."},
    )
    workers = fields.Integer(metadata={"description": "Workers alive."})
    corpus = fields.Dict(metadata={"description": "Name, size and version of the corpus the workers use."})


class ErrorBodySchema(Schema):
    status = fields.Integer(required=True)
    message = fields.String(required=True)
    fields_ = fields.Dict(data_key="fields", metadata={"description": "Field errors, for 400."})


class ErrorSchema(Schema):
    error = fields.Nested(ErrorBodySchema, required=True)


def load_body(schema: Schema) -> dict:
    """The request's JSON body, validated: 415 if it is not JSON, 413 if too large (chunked or not),
    400 if it is malformed (also nested too deep to parse) or a field is wrong."""
    import json

    from flask import request
    from werkzeug.exceptions import RequestEntityTooLarge, UnsupportedMediaType

    from service.errors import APIError

    if not request.is_json:
        raise UnsupportedMediaType()
    raw = request.get_data(cache=True)  # a Content-Length over the limit is a 413 here already
    limit = request.max_content_length
    if limit is not None and request.content_length is None and len(raw) >= limit:
        # A chunked body is cut at the limit without a word (werkzeug's LimitedStream): it was too large.
        raise RequestEntityTooLarge()
    try:
        data = json.loads(raw)
    except RecursionError:
        raise APIError(400, "the body is nested too deeply to be read") from None
    except ValueError:  # includes a body that is not UTF-8
        data = None
    if not isinstance(data, dict):
        raise APIError(400, "the body must be a JSON object" if data is not None else "the body is not valid JSON")
    return schema.load(data)
