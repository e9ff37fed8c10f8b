"""grader: checks answers against torch.autograd, explains what is wrong, and grades whole
submissions in a sandbox.

    from grader import check, evaluate
    r = evaluate("grad_ex2", grad_ex2)   # -> Result, never raises for a bad answer
    check("grad_ex2", grad_ex2)          # prints ✓ / what is wrong; AssertionError when wrong

The official path is the command line: `python -m grader list | check NOTEBOOK | grade PATH...`.
"""

from .judge import Result
from .practice import check, evaluate
from .questions import QUESTIONS
from .spec import MISCONCEPTIONS, Question

__all__ = ["MISCONCEPTIONS", "QUESTIONS", "Question", "Result", "check", "evaluate"]
