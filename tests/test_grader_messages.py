"""Every sentence the grader shows is in the catalog (grader/messages.py), in every language
with the same format fields, and every message id the grader refers to exists.  A missing
translation is an error, never a fallback to English."""

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
    used |= {f"refused.{tool}" for tool in policy.TOOLS}
    used |= {f"advice.{tag}" for tag in ERROR_TAGS.values() if tag != "wrong_shape"}
    used |= {advice for *_, advice, _ in ERROR_PHRASES}
    used |= {w.advice for w in GENERIC}
    for q in QUESTIONS.values():
        used |= set(q.advice.values())
        used |= {w.advice for w in q.wrong if re.fullmatch(r"[\w]+\.[\w.]+", w.advice)}
    missing = sorted(i for i in used if i not in messages.MESSAGES and "." in i)
    assert not missing


@pytest.mark.parametrize("message_id", sorted(messages.MESSAGES))
def test_every_message_has_every_language_with_the_same_fields(message_id):
    texts = messages.MESSAGES[message_id]
    assert set(texts) == set(messages.LANGUAGES)
    for language in messages.LANGUAGES:
        assert texts[language].strip(), language
        assert messages.fields(message_id, language) == messages.fields(message_id), language


@pytest.mark.parametrize("message_id", sorted(messages.MESSAGES))
def test_the_chinese_text_is_a_translation(message_id):
    """Not the English copied: a text with English words outside its fields, code and
    mathematics has Chinese characters in its Chinese version."""
    english, chinese = (messages.MESSAGES[message_id][lang] for lang in ("en", "zh"))
    prose = re.sub(r"\{[^}]*\}|`[^`]*`", "", english)
    if re.search(r"\b(the|is|a|your|not|of|and)\b", prose):
        assert re.search(r"[\u4e00-\u9fff]", chinese), chinese
        assert chinese != english


def test_a_missing_translation_is_an_error(monkeypatch):
    monkeypatch.setitem(messages.MESSAGES, "result.pass", {"en": "ok {id}"})
    assert messages.text("result.pass", "en", id="a") == "ok a"
    with pytest.raises(KeyError, match="result.pass"):
        messages.text("result.pass", "zh", id="a")
    with messages.speaking("zh"), pytest.raises(KeyError):
        messages.text("result.pass", id="a")
    with pytest.raises(ValueError):
        messages.speaking("fr").__enter__()


def test_speaking_sets_the_default_language_for_a_block():
    assert messages.text("advice.zero_division", "zh").startswith("除以零")
    with messages.speaking("zh"):
        assert messages.text("advice.zero_division") == messages.text("advice.zero_division", "zh")
        with messages.speaking("en"):
            assert messages.text("advice.zero_division").startswith("A division by zero")
        assert messages.text("advice.zero_division").startswith("除以零")


SAMPLES = {"what": "torch.autograd.grad", "error": "could not convert string to float: 'a'",
           "count": "3", "type": "list", "timeout": "2", "ended": "exit code 1",
           "id": "grad_ex1", "reason": "not valid JSON"}


@pytest.mark.parametrize("message_id", sorted(
    k for k in messages.MESSAGES if k.startswith(messages.CHILD_SAYS)))
def test_what_the_child_writes_in_english_the_parent_says_in_chinese(message_id):
    fields = {name: SAMPLES[name] for name in messages.fields(message_id)}
    english = messages.text(message_id, "en", **fields)
    assert messages.from_child(english, "zh") == messages.text(message_id, "zh", **fields)
    assert messages.from_child(english, "en") == english


def test_a_refusal_and_a_limit_are_reworded_whole():
    refusal = policy.refusal("autograd", "torch")
    assert refusal.startswith("torch is switched off")
    assert messages.from_child(refusal, "zh") == (
        "评分这道练习时 torch 被关闭：它要用 numpy 手工求解。")
    importing = messages.text("refused.import", "en", what="torch")
    assert "禁止导入 torch" in messages.from_child(importing, "zh")
    notebook = messages.text("limit.your_notebook", "en")
    late = messages.text("limit.timeout", "en", what=notebook, timeout="2")
    assert messages.from_child(late, "zh") == "你的笔记本 的计算时间超过了 2 秒"
    assert messages.from_child("ZeroDivisionError: division by zero", "zh").startswith("Zero")


def test_every_forbidden_tool_names_the_method_asked_for():
    for q in QUESTIONS.values():
        for tool in q.forbids:
            assert tool in policy.TOOLS, (q.id, tool)
            said = policy.refusal(tool, policy.TOOLS[tool][0])
            verdict = failure_verdict(q, Failure("refused", said))
            assert verdict.tag == "wrong_method"
            assert verdict.advice == messages.text(f"method.{tool}")
