"""`--format w3c`: every annotation passes the MUST assertions of the W3C Web Annotation test suite.

The suite's JSON Schemas (Draft-04) live in ../shared/w3c-annotation-tests/ next to
the repository; its README says how to run them: a Draft4Validator per assertion,
with a referencing Registry built from definitions/.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from jsonschema import Draft4Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from workers.outputs import w3c

from batch_fixtures import ROOT, W3C_TESTS, corroborate, read_lines, seed_files

# The suite's "uri" and "date-time" formats, checked here (jsonschema only checks them with
# optional packages installed): an absolute URI (RFC 3986) and an RFC 3339 timestamp.
FORMATS = FormatChecker(formats=())
ABSOLUTE_URI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]*")
RFC3339 = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)", re.IGNORECASE)


@FORMATS.checks("uri")
def is_absolute_uri(value: object) -> bool:
    return not isinstance(value, str) or bool(ABSOLUTE_URI.fullmatch(value))


@FORMATS.checks("date-time")
def is_date_time(value: object) -> bool:
    return not isinstance(value, str) or bool(RFC3339.fullmatch(value))


def load_json(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def must_validators() -> list[tuple[str, Draft4Validator, dict]]:
    """(assertion path, validator, schema) for every MUST assertion of the suite."""
    if not W3C_TESTS.is_dir():
        pytest.fail(f"the W3C annotation test suite is missing: expected it at {W3C_TESTS}")
    resources = []
    for path in sorted((W3C_TESTS / "definitions").glob("*.json")):
        schema = load_json(path)
        resources.append((schema["id"], Resource.from_contents(schema, default_specification=DRAFT4)))
    registry = Registry().with_resources(resources)
    assertions = load_json(W3C_TESTS / "annotations" / "annotationMusts.test")["assertions"]
    validators = []
    for assertion in assertions:
        schema = load_json(W3C_TESTS / assertion)
        validator = Draft4Validator(schema, registry=registry, format_checker=FORMATS)
        validators.append((assertion, validator, schema))
    return validators


def failed_musts(annotation: dict, validators) -> list[str]:
    """The MUST assertions ``annotation`` does not meet, with the suite's error message."""
    failures = []
    for assertion, validator, schema in validators:
        valid = validator.is_valid(annotation)
        if valid != (schema.get("expectedResult", "valid") == "valid"):
            failures.append(f"{assertion}: {schema.get('errorMessage', '')}")
    return failures


@pytest.fixture(scope="module")
def w3c_output(tmp_path_factory) -> tuple[Path, list[dict]]:
    """Seeds and planted-conflict pages through `corroborate batch --format w3c` (in process)."""
    out = tmp_path_factory.mktemp("w3c") / "annotations.jsonld"
    planted = sorted((ROOT / "tests" / "data" / "planted").glob("*.txt"))[:3]
    pages = [str(path) for path in seed_files() + planted]
    done = corroborate(
        "batch", "--format", "w3c", "--in-process", *pages, "--out", str(out), "--redis-url", "redis://127.0.0.1:1/0"
    )
    assert done.returncode == 0, done.stderr
    return out, pages


def test_the_suite_is_loaded_and_rejects_a_broken_annotation(must_validators):
    assert len(must_validators) >= 50
    broken = {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "id": "urn:uuid:0",
        "type": "Annotation",
        "body": {"type": "TextualBody"},
        "bodyValue": "both",
    }  # no target, body and bodyValue, no value
    failures = failed_musts(broken, must_validators)
    assert any("3.1-targetKeyFound" in failure for failure in failures)
    assert any("3.2.5-notBodyBodyValue" in failure for failure in failures)
    badly_dated = {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "id": "not a uri",
        "type": "Annotation",
        "target": "https://example.org/",
        "created": "yesterday",
    }
    failures = failed_musts(badly_dated, must_validators)
    assert any("3.1-annotationIdValidated" in failure for failure in failures)
    assert any("3.3.1-annotationCreatedValidated" in failure for failure in failures)


def test_every_annotation_passes_every_must_assertion(w3c_output, must_validators):
    out, _pages = w3c_output
    annotations = [item for page in read_lines(out) for item in page["items"]]
    assert annotations
    for annotation in annotations:
        assert failed_musts(annotation, must_validators) == [], annotation["id"]
    assert len({annotation["id"] for annotation in annotations}) == len(annotations)


def test_one_annotation_per_claim_with_selectors_that_find_the_claim(w3c_output):
    out, pages = w3c_output
    lines = read_lines(out)
    assert len(lines) == len(pages)
    labels_seen = set()
    for page in lines:
        assert page["type"] == "AnnotationPage" and page["@context"] == w3c.CONTEXT
        for annotation in page["items"]:
            target = annotation["target"]
            source = Path(target["source"].removeprefix("file://"))
            text = source.read_text(encoding="utf-8")
            quote, position = target["selector"]
            assert quote["type"] == "TextQuoteSelector" and position["type"] == "TextPositionSelector"
            assert text[position["start"] : position["end"]] == quote["exact"]
            assert text[: position["start"]].endswith(quote["prefix"])
            assert text[position["end"] :].startswith(quote["suffix"])
            label = next(body["value"] for body in annotation["body"] if body["purpose"] == "classifying")
            assert label in {"corroborated", "mixed", "contradicted", "unverified"}
            labels_seen.add(label)
            evidence = [body["value"] for body in annotation["body"] if body["purpose"] == "commenting"]
            if label == "unverified":
                assert evidence == []
            else:
                assert evidence and all("“" in line for line in evidence)
    assert {"corroborated", "unverified"} <= labels_seen and labels_seen & {"mixed", "contradicted"}


def test_a_claim_becomes_an_annotation_carrying_label_and_evidence(must_validators):
    text = "Prefix text. The talks lasted four hours in Istanbul. Suffix text."
    start = text.index("The talks")
    end = text.index("Suffix") - 1
    claim = {
        "text": text[start:end],
        "start": start,
        "end": end,
        "start_utf16": start,
        "end_utf16": end,
        "label": "mixed",
        "support": [
            {"doc": "002_x", "title": "Report <b>two</b>", "sentence": "Talks were held in Istanbul.", "score": 0.8}
        ],
        "conflict": [
            {
                "doc": "004_y",
                "title": "Report four",
                "sentence": "They met for six hours.",
                "score": 0.7,
                "values": {"page": "four hours", "report": "six hours"},
            }
        ],
    }
    page = w3c.annotation_page(text, {"annotations": [claim]}, "https://example.org/a?b=1", "k" * 32)
    [annotation] = page["items"]
    assert failed_musts(annotation, must_validators) == []
    assert annotation["target"]["selector"][0] == {
        "type": "TextQuoteSelector",
        "exact": "The talks lasted four hours in Istanbul.",
        "prefix": "Prefix text. ",
        "suffix": " Suffix text.",
    }
    bodies = [body["value"] for body in annotation["body"]]
    assert bodies[0] == "mixed"
    assert any("six hours" in value and "four hours" in value and "004_y" in value for value in bodies)
    assert annotation["id"] == w3c.page_annotations(text, {"annotations": [claim]}, "x", "k" * 32)[0]["id"]


def test_rerunning_w3c_output_skips_written_pages(w3c_output):
    out, pages = w3c_output
    again = corroborate(
        "batch", "--format", "w3c", "--in-process", *pages, "--out", str(out), "--redis-url", "redis://127.0.0.1:1/0"
    )
    assert again.returncode == 0, again.stderr
    assert f"{len(pages)} page(s) already in" in again.stderr
    assert len(read_lines(out)) == len(pages)
