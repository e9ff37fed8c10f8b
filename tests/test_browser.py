"""The lessons as a student sees them: JupyterLab in a real browser (Debian's chromium, driven
by Python playwright; no browser is downloaded).

One student Lab (what `make lab` starts: nbgrader's instructor extensions off) runs every
lesson with its answers filled in (the solution notebook, copied to a temporary folder), and
three lessons of each other edition (zh/: the Chinese one) in a subfolder, with cell
windowing off so that every cell is in the page.  For each lesson: Run All, wait (by
polling) until no cell is queued and the kernel is idle, then check what is on screen: no
error output except in cells tagged `raises-exception`, a ✓ from every graded check, every
picture (image or SVG) inside its cell's width.  A notebook with a deliberately wrong answer
shows a short failure message.  An instructor Lab (`make instructor`) shows nbgrader's
panels; the student Lab does not.  Screenshots go to `build/browser/` (git-ignored).

Without chromium or playwright these tests skip, saying how to enable them; under `CI=true`
they fail instead.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
SHOTS = ROOT / "build" / "browser"
LESSONS = sorted(p.name for p in (ROOT / "solutions").glob("[0-9][0-9]_*"))
# Every other edition the course ships (a folder such as zh/ with its own solutions/): three of
# its lessons, in a subfolder of the same Lab, so that the extra time stays small.
EDITION_LESSONS = ("01_chain_rule", "05_reverse_mode", "07_autograd_in_practice")
EDITIONS = sorted(p.parent.parent.name for p in ROOT.glob("*/solutions/01_chain_rule")
                  if p.parent.parent != ROOT)
NOTEBOOKS = [f"{lesson}.ipynb" for lesson in LESSONS] + [
    f"{edition}/{lesson}.ipynb" for edition in EDITIONS for lesson in EDITION_LESSONS]
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync"]
STUDENT_HIDES = ("@jupyter/nbgrader:create-assignment", "@jupyter/nbgrader:formgrader",
                 "@jupyter/nbgrader:course-list", "@jupyter/nbgrader:menu")
# The Lab's own settings folder for the tests: every cell in the page (not only those on
# screen), and no news or update checks (they would go to the internet and pop up a question).
SETTINGS = {
    "@jupyterlab/notebook-extension/tracker": {"windowingMode": "none"},
    "@jupyterlab/apputils-extension/notification": {"fetchNews": "false",
                                                    "checkForUpdates": False},
}
RUN_TIMEOUT = 240.0  # seconds for one lesson's Run All (each runs in well under a minute)


def _browser() -> str:
    """The system chromium, or a skip (a failure under CI) that says how to get it."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing = "Python playwright is not installed (`make setup` installs it)"
    else:
        found = shutil.which("chromium") or shutil.which("chromium-browser")
        if found:
            return found
        missing = "no chromium on PATH (Debian: `apt-get install -y chromium`)"
    message = f"browser tests need a browser: {missing}; then run `make test` again"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_until(ready: Any, timeout: float, what: str, every: float = 0.2) -> Any:
    """Poll `ready()` until it returns something truthy; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = ready()
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"gave up after {timeout:.0f} s waiting for {what}")
        time.sleep(every)


class Lab:
    """A JupyterLab server on a free loopback port with its own settings, workspaces and
    runtime folders (never the user's), and a chromium page on it."""

    def __init__(self, root: Path, home: Path, student: bool, browser: Any) -> None:
        self.port, self.token = _free_port(), secrets.token_hex(16)
        for plugin, values in SETTINGS.items():
            file = home / "settings" / f"{plugin}.jupyterlab-settings"
            file.parent.mkdir(parents=True, exist_ok=True)
            file.write_text(json.dumps(values))
        env = dict(os.environ, PATH=f"{BIN}{os.pathsep}{os.environ['PATH']}",
                   JUPYTER_RUNTIME_DIR=str(home / "runtime"), IPYTHONDIR=str(home / "ipython"),
                   MPLCONFIGDIR=str(home / "matplotlib"))
        env.pop("JUPYTER_CONFIG_PATH", None)
        if student:  # what `make lab` does
            env["JUPYTER_CONFIG_PATH"] = str(ROOT / "lab" / "student")
        self.log = open(home / "lab.log", "w")  # noqa: SIM115 - closed in close()
        self.server = subprocess.Popen(
            [str(BIN / "jupyter"), "lab", "--no-browser", "--allow-root",
             "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={self.port}",
             "--ServerApp.port_retries=0", f"--IdentityProvider.token={self.token}",
             f"--ServerApp.root_dir={root}", f"--LabApp.workspaces_dir={home / 'workspaces'}",
             f"--LabApp.user_settings_dir={home / 'settings'}",
             "--LabApp.expose_app_in_browser=True"],
            env=env, stdout=self.log, stderr=subprocess.STDOUT, cwd=root)
        _wait_until(self._up, 120, "JupyterLab to answer")
        self.page = browser.new_page(viewport={"width": 1280, "height": 900})
        self.page.goto(f"http://127.0.0.1:{self.port}/lab?token={self.token}")
        self.page.wait_for_function("() => window.jupyterapp && document.querySelector("
                                    "'#jp-main-dock-panel')", timeout=120_000)
        self.page.evaluate("() => window.jupyterapp.restored")

    def _up(self) -> bool:
        if self.server.poll() is not None:
            raise RuntimeError(f"JupyterLab exited: {self.log.name}")
        try:
            url = f"http://127.0.0.1:{self.port}/api/status?token={self.token}"
            with urllib.request.urlopen(url, timeout=2) as answer:
                return answer.status == 200
        except OSError:
            return False

    def plugins(self) -> list[str]:
        return self.page.evaluate("() => window.jupyterapp.listPlugins()")

    def menus(self) -> list[str]:
        return self.page.evaluate("() => Array.from(document.querySelectorAll("
                                  "'.lm-MenuBar-itemLabel'), e => e.textContent)")

    def run_all(self, path: str) -> None:
        """Open `path`, Run All, and wait until nothing is queued and the kernel is idle."""
        self.page.evaluate("""async (path) => {
            window.__lessonRan = false;  // set when this notebook's Run All has finished
            window.__lessonIdle = 0;
            const app = window.jupyterapp;
            const panel = await app.commands.execute('docmanager:open', {path});
            await panel.context.ready;
            await panel.sessionContext.ready;
            // the command returns NotebookActions.runAll's promise: it settles once every cell
            // has run (or Run All stopped at an error); it is not awaited here, so that the
            // wait below keeps its own time limit
            app.commands.execute('notebook:run-all-cells')
                .finally(() => { window.__lessonRan = true; });
        }""", path)
        _wait_until(lambda: self.page.evaluate(IDLE, path), RUN_TIMEOUT,
                    f"Run All of {path} to finish", every=0.25)

    def close_notebook(self, path: str) -> None:
        """Save (for the file checks), shut the kernel down and close the tab."""
        self.page.evaluate("""async (path) => {
            const app = window.jupyterapp;
            const panel = app.shell.currentWidget;
            await panel.context.save();
            await panel.sessionContext.shutdown();
            panel.dispose();
        }""", path)

    def close(self) -> None:
        self.page.close()
        self.server.terminate()
        try:
            self.server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.server.kill()
            self.server.wait()
        self.log.close()


# Done when this notebook's Run All has finished, its kernel is idle and no cell waits in the
# queue ([*]), twice in a row.
IDLE = """(path) => {
    const panel = window.jupyterapp.shell.currentWidget;
    if (!panel || !panel.context || panel.context.path !== path) return false;
    const kernel = panel.sessionContext.session && panel.sessionContext.session.kernel;
    const queued = Array.from(panel.node.querySelectorAll('.jp-InputPrompt'))
        .some(p => p.textContent.includes('*'));
    const idle = window.__lessonRan && kernel && kernel.status === 'idle' && !queued;
    window.__lessonIdle = idle ? (window.__lessonIdle || 0) + 1 : 0;
    return window.__lessonIdle >= 2;
}"""

# What is on screen: each code cell's output text, its pictures and whether they fit.
SCREEN = """() => {
    const panel = window.jupyterapp.shell.currentWidget;
    return Array.from(panel.node.querySelectorAll('.jp-CodeCell')).map(cell => {
        const area = cell.querySelector('.jp-OutputArea');
        const limit = area ? area.getBoundingClientRect().right : 0;
        const pictures = Array.from(cell.querySelectorAll(
                '.jp-OutputArea-output img, .jp-OutputArea-output svg'))
            .filter(el => !(el.tagName.toLowerCase() === 'svg' && el.parentElement.closest('svg')))
            .map(el => {
                const box = el.getBoundingClientRect();
                return {tag: el.tagName.toLowerCase(), width: box.width, right: box.right,
                        limit: limit, loaded: el.tagName.toLowerCase() !== 'img'
                                              || (el.complete && el.naturalWidth > 0)};
            });
        const errors = Array.from(cell.querySelectorAll(
            '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]'),
            e => e.innerText);
        return {text: area ? area.innerText : '', pictures: pictures, stderr: errors};
    });
}"""


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    executable = _browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> Path:
    """The solution notebooks in a folder of their own (the Lab saves into it), and one
    notebook whose first answer of lesson 01 is wrong."""
    course = tmp_path_factory.mktemp("course")
    for lesson in LESSONS:
        shutil.copy(ROOT / "solutions" / lesson / f"{lesson}.ipynb", course)
    for edition in EDITIONS:
        (course / edition).mkdir()
        for lesson in EDITION_LESSONS:
            shutil.copy(ROOT / edition / "solutions" / lesson / f"{lesson}.ipynb",
                        course / edition)
    nb = nbformat.read(ROOT / "solutions" / "01_chain_rule" / "01_chain_rule.ipynb", 4)
    answer = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("solution")
                  and "def grad_ex1" in c.source)
    answer.source = ("def grad_ex1(x, w, y):\n"
                     "    return (np.dot(x, w) - y) * x   # the factor 2 is missing\n")
    nbformat.write(nb, course / "wrong_answer.ipynb")
    SHOTS.mkdir(parents=True, exist_ok=True)
    return course


@pytest.fixture(scope="module")
def student_lab(browser, course, tmp_path_factory) -> Iterator[Lab]:
    lab = Lab(course, tmp_path_factory.mktemp("student-lab"), True, browser)
    yield lab
    lab.close()


def test_student_lab_hides_nbgraders_instructor_tools(student_lab):
    plugins = student_lab.plugins()
    assert "@jupyter/nbgrader:validate-assignment" in plugins  # nbgrader itself is there
    assert not [p for p in STUDENT_HIDES if p in plugins]
    assert "Nbgrader" not in student_lab.menus()
    student_lab.page.screenshot(path=str(SHOTS / "student-lab.png"))


def test_instructor_lab_shows_nbgraders_panels(browser, tmp_path_factory):
    course = tmp_path_factory.mktemp("instructor")
    shutil.copy(ROOT / "nbgrader_config.py", course)
    lab = Lab(course, tmp_path_factory.mktemp("instructor-lab"), False, browser)
    try:
        plugins = lab.plugins()
        assert all(p in plugins for p in STUDENT_HIDES), plugins
        assert "Nbgrader" in lab.menus()
        tabs = lab.page.evaluate("() => Array.from(document.querySelectorAll('.lm-TabBar-tab'),"
                                 " e => e.getAttribute('title') || e.textContent)")
        assert any("Create Assignment" in t for t in tabs), tabs
        lab.page.screenshot(path=str(SHOTS / "instructor-lab.png"))
    finally:
        lab.close()


def _shoot(lab: Lab, lesson: str) -> None:
    """The top of the lesson, and the viewport at each picture, into build/browser/."""
    page = lab.page
    page.locator(".jp-NotebookPanel .jp-Cell").first.scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / f"{lesson}.png"))
    pictures = page.locator(".jp-OutputArea-output img, .jp-OutputArea-output > svg, "
                            ".jp-OutputArea-output div > svg")
    for k in range(pictures.count()):
        pictures.nth(k).scroll_into_view_if_needed()
        page.screenshot(path=str(SHOTS / f"{lesson}-picture{k + 1}.png"))


def test_each_edition_is_tested():
    assert "zh" in EDITIONS  # the Chinese edition is found (and would be tested)
    assert len(NOTEBOOKS) == len(LESSONS) + len(EDITION_LESSONS) * len(EDITIONS)


@pytest.mark.parametrize("path", NOTEBOOKS)
def test_lesson_runs_in_the_students_lab(student_lab, course, path):
    student_lab.run_all(path)
    screen = student_lab.page.evaluate(SCREEN)
    _shoot(student_lab, path.removesuffix(".ipynb").replace("/", "-"))
    student_lab.close_notebook(path)

    nb = nbformat.read(course / path, 4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert len(code) == len(screen)
    assert all(c.execution_count for c in code), "Run All stopped before the end"
    for cell, seen in zip(code, screen):
        expected_error = "raises-exception" in cell.metadata.get("tags", [])
        errors = [o for o in cell.outputs if o.output_type == "error"]
        assert bool(errors) == expected_error, (cell.id, [o.ename for o in errors])
        if not expected_error:
            assert not seen["stderr"], (cell.id, seen["stderr"])
        if cell.metadata.get("nbgrader", {}).get("grade"):
            assert "✓" in seen["text"], (cell.id, seen["text"])
        for picture in seen["pictures"]:
            assert picture["loaded"] and picture["width"] > 0, (cell.id, picture)
            assert picture["right"] <= picture["limit"] + 1, (cell.id, picture)
    assert sum("✓" in s["text"] for s in screen) >= sum(
        1 for c in code if c.metadata.get("nbgrader", {}).get("grade"))


def test_a_wrong_answer_shows_a_short_failure_message(student_lab):
    student_lab.run_all("wrong_answer.ipynb")
    screen = student_lab.page.evaluate(SCREEN)
    student_lab.page.locator(".jp-OutputArea-output").filter(
        has_text="grad_ex1").last.scroll_into_view_if_needed()
    student_lab.page.screenshot(path=str(SHOTS / "wrong-answer.png"))
    student_lab.close_notebook("wrong_answer.ipynb")
    failed = [s for s in screen if s["stderr"]]
    assert len(failed) == 1, "Run All stops at the failed check, and only there"
    text = failed[0]["text"]
    assert "grad_ex1" in text and "✓" not in text
    assert "factor 2" in text or "missing_factor" in text  # the diagnosis reaches the student
    assert "Traceback" not in text and "practice.py" not in text
    assert len(failed[0]["stderr"][0].strip().splitlines()) <= 6  # case, expected/got, advice
