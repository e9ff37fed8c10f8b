"""Every sentence the grader shows is in the catalog (grader/messages.py), once per language
with the same format fields, and every message id the grader refers to exists."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from grader import QUESTIONS, messages, policy
from grader.judge import ERROR_PHRASES, ERROR_TAGS, GENERIC, Failure, failure_verdict

GRADER = Path(__file__).resolve().parent.parent / "grader"


def _used_ids() -> set[str]:
    """Message ids written literally in the grader's code: text("id"), advice="id", ..."""
    found = set()
    for path in GRADER.rglob("*.py"):
        source = path.read_text()
        found |= set(re.findall(r'text\(\s*"([\w.]+)"', source))
        found |= set(re.findall(r'Wrong\(\s*"\w+",\s*"([\w.]+)"', source))
        found |= set(re.findall(r'"\w+":\s*"(\w+\.\w+)"', source))  # Question.advice tables
    return found


def test_every_message_id_used_exists():
    used = _used_ids()
    assert "result.pass" in used and "Value.relu" in used  # the scan finds ids
    used |= {f"method.{tool}" for tool in policy.TOOLS}
    used |= {f"advice.{tag}" for tag in ERROR_TAGS.values() if tag != "wrong_shape"}
    used |= {advice for *_, advice, _ in ERROR_PHRASES}
    used |= {w.advice for w in GENERIC}
    for q in QUESTIONS.values():
        used |= set(q.advice.values())
        used |= {w.advice for w in q.wrong if re.fullmatch(r"[\w]+\.[\w.]+", w.advice)}
    missing = sorted(i for i in used if i not in messages.MESSAGES and "." in i)
    assert not missing


@pytest.mark.parametrize("message_id", sorted(messages.MESSAGES))
def test_each_language_has_the_english_fields(message_id):
    texts = messages.MESSAGES[message_id]
    assert "en" in texts
    for language in texts:
        assert messages.fields(message_id, language) == messages.fields(message_id), language


def test_a_missing_translation_falls_back_to_english(monkeypatch):
    monkeypatch.setitem(messages.MESSAGES, "result.pass", {"en": "ok {id}", "zh": "好 {id}"})
    assert messages.text("result.pass", "zh", id="a") == "好 a"
    assert messages.text("result.pass", "fr", id="a") == "ok a"


def test_every_forbidden_tool_names_the_method_asked_for():
    for q in QUESTIONS.values():
        for tool in q.forbids:
            assert tool in policy.TOOLS, (q.id, tool)
            verdict = failure_verdict(q, Failure("refused", f"{policy.TOOLS[tool][0]} is off"))
            assert verdict.tag == "wrong_method"
            assert verdict.advice == messages.text(f"method.{tool}")
