"""Perspective API request/response compatibility."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from agora.toxicity import Model
from agora.toxicity.perspective import PerspectiveError, Suggestion, analyze, suggest_response, suggestions

FIXTURES = Path(__file__).parent / "fixtures"


def _fixture(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def _same_shape(expected: Any, actual: Any) -> None:
    if isinstance(expected, dict):
        assert isinstance(actual, dict)
        for key, value in expected.items():
            assert key in actual, key
            _same_shape(value, actual[key])
    elif isinstance(expected, list):
        assert isinstance(actual, list)
        if expected and actual:
            _same_shape(expected[0], actual[0])
    else:
        assert type(actual) in (type(expected), int, float) or actual == expected


def test_coral_request(model: Model) -> None:
    response = analyze(model, _fixture("analyze_request_coral.json"))
    score = response["attributeScores"]["TOXICITY"]["summaryScore"]
    assert score["type"] == "PROBABILITY" and score["value"] > 0.7
    assert response["languages"] == ["en"]
    assert "spanScores" not in response["attributeScores"]["TOXICITY"]


def test_full_request_matches_documented_shape(model: Model) -> None:
    request = _fixture("analyze_request_full.json")
    response = analyze(model, request)
    _same_shape(_fixture("analyze_response_shape.json"), response)
    assert "PROFANITY" not in response["attributeScores"]  # below its scoreThreshold
    assert set(response["attributeScores"]) == set(request["requestedAttributes"]) - {"PROFANITY"}
    text = request["comment"]["text"]
    spans = response["attributeScores"]["INSULT"]["spanScores"]
    assert any(text[s["begin"] : s["end"]] == "idiot" for s in spans)
    assert response["clientToken"] == "comment:42"


def test_experimental_attribute_names(model: Model) -> None:
    request = {"comment": {"text": "hello"}, "requestedAttributes": {"TOXICITY_EXPERIMENTAL": {}}}
    assert "TOXICITY_EXPERIMENTAL" in analyze(model, request)["attributeScores"]


def test_unknown_attribute_error_object(model: Model) -> None:
    request = {"comment": {"text": "hello"}, "requestedAttributes": {"RUDENESS": {}}}
    with pytest.raises(PerspectiveError) as info:
        analyze(model, request)
    assert info.value.status == 400
    assert info.value.to_dict() == _fixture("error_unknown_attribute.json")


@pytest.mark.parametrize(
    ("request_body", "error_type"),
    [
        ({"requestedAttributes": {"TOXICITY": {}}}, None),
        ({"comment": {"text": "  "}, "requestedAttributes": {"TOXICITY": {}}}, "COMMENT_EMPTY"),
        ({"comment": {"text": "hi"}}, None),
        ({"comment": {"text": "hi"}, "requestedAttributes": {"TOXICITY": {"scoreThreshold": 2}}}, None),
        ({"comment": {"text": "hi"}, "requestedAttributes": {"TOXICITY": {"scoreType": "RAW"}}}, None),
        ({"comment": {"text": "x" * 30_000}, "requestedAttributes": {"TOXICITY": {}}}, "COMMENT_TOO_LONG"),
        (
            {"comment": {"text": "hola"}, "requestedAttributes": {"TOXICITY": {}}, "languages": ["es"]},
            "LANGUAGE_NOT_SUPPORTED_BY_ATTRIBUTE",
        ),
        (
            {
                "comment": {"text": "Je pense que vous avez tort, mais merci"},
                "requestedAttributes": {"TOXICITY": {}},
            },
            "LANGUAGE_NOT_SUPPORTED_BY_ATTRIBUTE",
        ),
        ({"comment": {"text": "hi"}, "requestedAttributes": {"TOXICITY": {}}, "languages": "en"}, None),
        ([1, 2], None),
    ],
)
def test_bad_requests(model: Model, request_body: Any, error_type: str | None) -> None:
    with pytest.raises(PerspectiveError) as info:
        analyze(model, request_body)
    err = info.value.to_dict()["error"]
    assert err["code"] == 400 and err["status"] == "INVALID_ARGUMENT" and err["message"]
    if error_type:
        assert err["details"][0]["errorType"] == error_type


def test_german_request(model: Model) -> None:
    request = {
        "comment": {"text": "Du bist ein Idiot"},
        "requestedAttributes": {"INSULT": {}},
        "languages": ["de"],
    }
    assert analyze(model, request)["attributeScores"]["INSULT"]["summaryScore"]["value"] > 0.5


def test_suggest_score_becomes_a_judgement_per_attribute() -> None:
    request = _fixture("suggestscore_request_coral.json")
    assert suggestions(request) == [
        Suggestion("This comment was rejected by a moderator.", "toxicity", 1, "comment:c1",
                   "Coral:https://news.example")
    ]
    assert suggest_response(request) == {
        "clientToken": "comment:c1", "detectedLanguages": ["en"], "requestedLanguages": ["en"]
    }


@pytest.mark.parametrize(
    "scores",
    [{}, {"TOXICITY": {}}, {"TOXICITY": {"summaryScore": {"value": "1"}}},
     {"TOXICITY": {"summaryScore": {"value": 2}}}, {"NOT_AN_ATTRIBUTE": {"summaryScore": {"value": 1}}}],
)
def test_bad_suggestions_are_refused(scores: dict) -> None:
    request = {"comment": {"text": "hello"}, "attributeScores": scores}
    with pytest.raises(PerspectiveError) as error:
        suggestions(request)
    assert error.value.status == 400
