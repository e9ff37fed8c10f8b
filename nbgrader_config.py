"""nbgrader configuration of the course (run nbgrader from this folder, with the venv's bin/
on PATH: nbgrader runs `alembic` as a program to create the gradebook).

solutions/ holds the instructor's notebooks (nbgrader's source), lessons/ the student release.
Test cells call `grader.check(id, answer)`, which prints to stdout only: nbgrader scores any
stderr output of a test cell as a failure.  For sandboxed batch grading with misconception
feedback use `python -m grader grade submitted/ --csv grades.csv` (same CSV as nbgrader export).
"""

c = get_config()  # type: ignore[name-defined]  # noqa: F821 - provided by nbgrader

c.CourseDirectory.course_id = "minigrad-course"
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "lessons"
# The gradebook is nbgrader's default, the SQLite file gradebook.db here (git-ignored).

c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.Execute.timeout = 120  # seconds per cell; lessons run top to bottom in under 30 s

# Feedback shows students what the grader said, never the hidden test code: hidden regions are
# cut from the test cells, and a failed test cell shows its error line without the traceback
# (which would quote the hidden lines).
from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor, Preprocessor  # noqa: E402
from nbgrader.preprocessors import ClearHiddenTests, GetGrades  # noqa: E402
from traitlets import Bool  # noqa: E402


class HideTestTracebacks(Preprocessor):
    enabled = Bool(True)

    def preprocess_cell(self, cell, resources, index):  # type: ignore[no-untyped-def]
        if cell.get("metadata", {}).get("nbgrader", {}).get("grade"):
            for out in cell.get("outputs", []):
                if out.get("output_type") == "error":
                    out["traceback"] = [f"{out.get('ename', 'Error')}: {out.get('evalue', '')}"]
        return cell, resources


c.GenerateFeedback.preprocessors = [GetGrades, ClearHiddenTests, HideTestTracebacks,
                                    CSSHTMLHeaderPreprocessor]
