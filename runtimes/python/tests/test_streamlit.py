"""Streamlit, installed from PyPI, in real processes: a script that raises is exactly one event
per failed run, with the script's frame; the page still shows the exception and Streamlit's
own log line still prints; the init runs once however often the script reruns, and AppTest
loads a wired script from any working directory and sys.path.

The script runs under streamlit.testing's AppTest, Streamlit's real ScriptRunner; `streamlit run`
itself is driven by test/install-streamlit.test.ts."""

import json
import textwrap

import pytest

from conftest import KEY

pytest.importorskip("streamlit")

INIT = """
import os, ez_pixel
with open(os.environ["INIT_LOG"], "a") as log:
    log.write("init\\n")
ez_pixel.init_pixel(os.environ["KEY"], os.environ["URL"], **json.loads(os.environ.get("INIT_OPTIONS", "{}")))
"""

# The line install puts at the top of a Streamlit entry.
WIRED = '__import__("ez_pixel").import_init_beside(__file__, "ez_pixel_init")  # ez-pixel\n'

SCRIPT = """
import streamlit as st

st.title("Ledger")


def balance(entries):
    return sum(entries) / len(entries)


st.write(balance([]))
"""

# Runs the script with AppTest from another folder (tests/), as a project's test suite does:
# neither the working directory's nor the script's folder is on sys.path.
DRIVER = """
import os, sys
from streamlit.testing.v1 import AppTest
at = AppTest.from_file(os.path.join(os.getcwd(), "streamlit_app.py"), default_timeout=60)
for _ in range(int(os.environ.get("RUNS", "1"))):
    at.run()
    print("shown:", [e.message for e in at.exception], flush=True)
print("title:", [t.value for t in at.title])
print("ez_pixel_init on sys.path:", any(os.path.isfile(os.path.join(p or ".", "ez_pixel_init.py")) for p in sys.path))
"""


def run_app(run_script, ingest, script=SCRIPT, runs=1, init_options=None, env=None, init=INIT):
    project = run_script.dir
    (project / "tests").mkdir(exist_ok=True)
    (project / "ez_pixel_init.py").write_text("import json\n" + init)
    (project / "streamlit_app.py").write_text(WIRED + textwrap.dedent(script))
    full_env = {"KEY": KEY, "URL": ingest.url, "INIT_LOG": str(project / "init.log"),
                "RUNS": str(runs), "INIT_OPTIONS": json.dumps(init_options or {})}
    full_env.update(env or {})
    result = run_script(DRIVER, name="tests/driver.py", env=full_env, timeout=120)
    assert result.returncode == 0, result.stderr
    return result


def inits(run_script):
    return (run_script.dir / "init.log").read_text().splitlines()


def test_a_failed_script_run_is_one_event_with_the_script_frame(ingest, run_script, validator):
    result = run_app(run_script, ingest)
    events = ingest.wait_for(2, timeout=1.0)
    assert len(events) == 1, [e["message"] for e in events]
    [event] = events
    assert event["type"] == "ZeroDivisionError" and event["level"] == "error"
    assert event["manual_report"] is False
    assert {"file": "streamlit_app.py", "fn": "balance", "in_app": True}.items() <= \
        event["stack"][0].items()
    assert not any(frame["in_app"] for frame in event["stack"][2:]), event["stack"]
    assert event["context"]["logger"] == "streamlit.error_util"
    assert list(validator.iter_errors(event)) == []
    # Streamlit behaves as before: the page shows the exception, the title rendered before it,
    # and Streamlit's own log line with the traceback still prints.
    assert "shown: ['division by zero']" in result.stdout
    assert "title: ['Ledger']" in result.stdout
    assert "Uncaught app exception" in result.stderr and "ZeroDivisionError" in result.stderr
    assert "ez_pixel_init on sys.path: False" in result.stdout


def test_each_rerun_that_fails_is_one_event_and_the_init_runs_once(ingest, run_script):
    result = run_app(run_script, ingest, runs=3)
    assert result.stdout.count("shown: ['division by zero']") == 3
    events = ingest.wait_for(4, timeout=1.0)
    assert [e["type"] for e in events] == ["ZeroDivisionError"] * 3
    assert len({e["event_id"] for e in events}) == 3
    assert len({e["fingerprint"] for e in events}) == 1
    assert inits(run_script) == ["init"]


def test_without_the_logging_integration_the_streamlit_hook_alone_reports(ingest, run_script):
    run_app(run_script, ingest, init_options={"capture_logging": False})
    events = ingest.wait_for(2, timeout=1.0)
    assert [(e["type"], e["stack"][0]["fn"]) for e in events] == [("ZeroDivisionError", "balance")]


def test_rich_tracebacks_log_nothing_and_are_still_reported(ingest, run_script):
    pytest.importorskip("rich")
    (run_script.dir / ".streamlit").mkdir()
    (run_script.dir / ".streamlit" / "config.toml").write_text("[logger]\nenableRich = true\n")
    result = run_app(run_script, ingest)
    assert "Uncaught app exception" not in result.stderr  # rich printed it instead
    assert "ZeroDivisionError" in result.stdout  # rich prints to stdout
    events = ingest.wait_for(2, timeout=1.0)
    assert [(e["type"], e["stack"][0]["fn"]) for e in events] == [("ZeroDivisionError", "balance")]


def test_stop_rerun_and_handled_errors_are_not_reported(ingest, run_script):
    script = """
    import streamlit as st

    try:
        {}["missing"]
    except KeyError as error:
        st.exception(error)  # the script handled it and shows it itself
    if "ran" not in st.session_state:
        st.session_state.ran = True
        st.rerun()
    st.write("done")
    st.stop()
    """
    result = run_app(run_script, ingest, script=script, runs=2)
    assert result.stdout.count('shown: ["\'missing\'"]') == 2
    assert ingest.wait_for(1, timeout=1.0) == []


def test_a_failing_client_never_changes_what_streamlit_does(ingest, run_script):
    broken = INIT + "\nfrom ez_pixel import sdk\n" \
        "def _broken(*args, **kwargs):\n    raise RuntimeError('client broke')\n" \
        "sdk.current_client().capture_exception = _broken\n"
    result = run_app(run_script, ingest, init=broken)
    assert "shown: ['division by zero']" in result.stdout
    assert "Uncaught app exception" in result.stderr
    assert "client broke" not in result.stderr and "Logging error" not in result.stderr
    assert ingest.wait_for(1, timeout=1.0) == []


def test_close_unhooks_streamlit(ingest, run_script):
    script = """
    import logging, ez_pixel
    ez_pixel.close_pixel()
    assert not [h for h in logging.getLogger("streamlit.error_util").handlers
                if type(h).__module__.startswith("ez_pixel")]
    from streamlit import error_util
    assert not hasattr(error_util._print_rich_exception, "__ez_pixel_original__")
    """ + SCRIPT
    run_app(run_script, ingest, script=script)
    assert ingest.wait_for(1, timeout=1.0) == []


def test_import_init_beside_raises_import_error_when_the_init_is_gone(run_script):
    result = run_script("import ez_pixel\ntry:\n    ez_pixel.import_init_beside(__file__)\n"
                        "except ImportError as error:\n    print('ImportError', error.name)\n")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ImportError ez_pixel_init"


def test_a_plain_import_of_the_init_breaks_under_apptest(ingest, run_script):
    # Why a Streamlit entry loads its init with import_init_beside: AppTest does not put the
    # script's folder on sys.path, so the line other Python entries get fails there.
    project = run_script.dir
    run_app(run_script, ingest)
    (project / "streamlit_app.py").write_text("import ez_pixel_init  # ez-pixel\n" + SCRIPT)
    result = run_script(DRIVER, name="tests/driver.py", timeout=120,
                        env={"KEY": KEY, "URL": ingest.url, "INIT_LOG": str(project / "init.log")})
    assert "shown: [\"No module named 'ez_pixel_init'\"]" in result.stdout, result.stdout


# The line install puts at the top of each page in pages/: the entry's init, one folder up.
WIRED_PAGE = '__import__("ez_pixel").import_init_beside(__file__, "ez_pixel_init", up=1)  # ez-pixel\n'


def test_a_page_run_on_its_own_loads_the_entry_init_and_reports(ingest, run_script):
    # A fresh `streamlit run` runs only the page a visitor opens; AppTest runs a page file alone the same way.
    project = run_script.dir
    (project / "pages").mkdir()
    (project / "tests").mkdir()
    (project / "pages" / "1_Report.py").write_text(WIRED_PAGE + textwrap.dedent(SCRIPT))
    (project / "ez_pixel_init.py").write_text("import json\n" + INIT)
    driver = DRIVER.replace('"streamlit_app.py"', '"pages", "1_Report.py"')
    result = run_script(driver, name="tests/driver.py", timeout=120,
                        env={"KEY": KEY, "URL": ingest.url, "INIT_LOG": str(project / "init.log"), "RUNS": "2"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("shown: ['division by zero']") == 2
    events = ingest.wait_for(3, timeout=1.0)
    assert [(e["type"], e["stack"][0]["file"]) for e in events] == [("ZeroDivisionError", "pages/1_Report.py")] * 2
    assert inits(run_script) == ["init"]


def test_import_init_beside_up_names_the_folder_it_looked_in(run_script):
    (run_script.dir / "pages").mkdir()
    result = run_script("import ez_pixel\ntry:\n    ez_pixel.import_init_beside(__file__, up=1)\n"
                        "except ImportError as error:\n    print('ImportError', error.path)\n", name="pages/page.py")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ImportError %s" % (run_script.dir / "ez_pixel_init.py")
