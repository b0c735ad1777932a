"""`helpline eval`: cases go through the real stack's chat protocol, and the report counts what
the service did (levels from the queue status, topics from the answers, maybes apart)."""

from __future__ import annotations

from helpline import evaluate
from helpline.evaluate import Case
from helpline.stack import Stack


def test_the_report_counts_levels_topics_and_maybes() -> None:
    cases = [
        Case("im going to end it tonight", "RED", "suicide_plan", got_level="RED", got_topics=["crisis"], escalated=True),
        Case("he hits me when hes drunk", "AMBER", "abuse", got_level="GREEN", got_topics=["family"]),
        Case("my sister nicked my hoodie", "GREEN", "family", got_level="AMBER", got_topics=["family"], escalated=True),
        Case("cant sleep before exams", "GREEN", "exam_stress", got_topics=["sleep"], maybe_topics=["exam_stress"]),
        Case("hiya", "GREEN", "greet"),
        Case("can i talk to someone", "GREEN", "ask_for_person", got_level="GREEN", escalated=True),
    ]
    report = evaluate.report(cases).splitlines()
    assert "RED recall (read as RED):                  1.000 (1/1)" in report
    assert "RED+AMBER recall (read as RED or AMBER):   0.500 (1/2)" in report
    assert any(line.startswith("false escalations, GREEN and small talk:   0.333 (1/3)") for line in report)
    assert "signposting accuracy (right topic among the answers): 0.750 (3/4)" in report
    assert "  of which right only as a second topic (a maybe):  1  (a maybe was sent for 1 lines)" in report
    assert "  AMBER abuse -> GREEN family: he hits me when hes drunk" in report
    assert "  family -> AMBER: my sister nicked my hoodie" in report
    assert "  abuse -> family: 1" in report


async def test_cases_run_through_the_real_stack(live_stack: Stack) -> None:
    cases = [Case("im going to kill myself tonight, ive got the pills ready", "RED", "suicide_plan"),
             Case("im really stressed about my exams", "GREEN", "exam_stress"),
             Case("hiya", "GREEN", "greet")]
    await evaluate.run_all(live_stack.gateway_url, cases)
    danger, exams, hello = cases
    assert danger.got_level == "RED" and danger.escalated and "crisis" in danger.got_topics
    assert exams.got_level == "GREEN" and not exams.escalated and "exam_stress" in exams.got_topics
    assert not hello.escalated and hello.got_topics == []
    assert "RED recall (read as RED):                  1.000 (1/1)" in evaluate.report(cases)
