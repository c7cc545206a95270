"""Configuration, the never-raise promise, fork and the doctor probe, in real processes."""

import json
import os
import textwrap

import pytest

from conftest import KEY


def test_env_fallback_for_key_and_url(ingest, run_script):
    result = run_script("import ez_pixel\nez_pixel.init_pixel()\n"
                        "ez_pixel.report_pixel('via env')\nassert ez_pixel.flush_pixel(5)\n",
                        env={"EZ_PIXEL_PROJECT_KEY": KEY, "EZ_PIXEL_INGEST_URL": ingest.url})
    assert result.returncode == 0, result.stderr
    assert [e["project_key"] for e in ingest.delivered] == [KEY]


def test_disabled_by_env_is_a_no_op(ingest, run_script):
    result = run_script(textwrap.dedent("""
        import os, sys, threading, ez_pixel
        hook = sys.excepthook
        ez_pixel.init_pixel(os.environ['KEY'], os.environ['URL'])
        assert sys.excepthook is hook and threading.active_count() == 1
        assert "ez_pixel.worker" not in sys.modules
        assert ez_pixel.report_pixel("nothing") is None
        assert ez_pixel.flush_pixel(1) is True
        raise ValueError("not reported")
    """), env={"KEY": KEY, "URL": ingest.url, "EZ_PIXEL_DISABLED": "1"})
    assert result.returncode == 1 and "AssertionError" not in result.stderr
    assert ingest.wait_for(1, timeout=0.3) == []


@pytest.mark.parametrize("key,url,words", [
    ("not-a-key", "http://127.0.0.1:1/ingest", "malformed project key"),
    (KEY, "ftp://example.com/ingest", "malformed ingest URL"),
    (KEY, "http://host:notaport/x", "malformed ingest URL"),
    (None, "http://127.0.0.1:1/ingest", "no project key"),
])
def test_malformed_settings_warn_and_disable_without_raising(run_script, key, url, words):
    result = run_script(textwrap.dedent("""
        import os, sys, ez_pixel
        hook = sys.excepthook
        ez_pixel.init_pixel(%r, %r)
        assert sys.excepthook is hook
        assert ez_pixel.report_pixel("dropped") is None
        print("app carries on")
    """ % (key, url)))
    assert result.returncode == 0, result.stderr
    assert "app carries on" in result.stdout
    assert "ez-pixel: " in result.stderr and words in result.stderr


def test_the_sdk_never_raises_into_the_app(run_script, ingest):
    result = run_script(textwrap.dedent("""
        import os, ez_pixel
        ez_pixel.report_pixel("before init")          # no client yet
        ez_pixel.flush_pixel(); ez_pixel.close_pixel()  # nothing to do
        ez_pixel.init_pixel(os.environ['KEY'], os.environ['URL'], sample_rate="lots",
                            max_queue=None)
        ez_pixel.init_pixel(os.environ['KEY'], os.environ['URL'],
                            before_send=lambda e: 1 / 0)
        class Hostile(Exception):
            def __str__(self): raise RuntimeError("no str")
            def __setattr__(self, name, value): raise RuntimeError("no attrs")
        ez_pixel.report_pixel(object(), error=Hostile(), level="nonsense", context=[1])
        ez_pixel.report_pixel(None, error="not an exception", context={"obj": object()})
        assert ez_pixel.flush_pixel(5)
        print("ok")
    """), env={"KEY": KEY, "URL": ingest.url})
    assert result.returncode == 0, result.stderr
    assert "ok" in result.stdout
    types = sorted(e["type"] for e in ingest.delivered)
    assert types == ["Hostile", "Message"]
    hostile = [e for e in ingest.delivered if e["type"] == "Hostile"][0]
    assert hostile["level"] == "error" and hostile["message"] == "<unprintable Hostile>"
    assert hostile["context"]["report_message"].startswith("<object object")


def test_debug_shows_internal_errors_only_when_asked(run_script):
    script = textwrap.dedent("""
        import ez_pixel
        from ez_pixel import sdk
        ez_pixel.init_pixel("%s", "http://127.0.0.1:1/x", debug=%s)
        sdk.current_client().capture_exception(None)  # an internal failure
    """)
    quiet = run_script(script % (KEY, "False"))
    loud = run_script(script % (KEY, "True"))
    assert "debug:" not in quiet.stderr
    assert "ez-pixel: debug: capture_exception failed" in loud.stderr


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_forked_child_gets_a_fresh_worker_and_can_report(ingest, run_script):
    result = run_script(textwrap.dedent("""
        import os, threading, time, ez_pixel
        ez_pixel.init_pixel(os.environ['KEY'], os.environ['URL'])
        from ez_pixel import sdk
        # Fork while the parent's worker holds its lock, the classic deadlock.
        worker = sdk.current_client().worker
        with worker._cond:
            pid = os.fork()
            if pid == 0:
                pass
        if pid == 0:
            ez_pixel.report_pixel("from the child")
            ok = ez_pixel.flush_pixel(5)
            os._exit(0 if ok else 3)
        ez_pixel.report_pixel("from the parent")
        _, status = os.waitpid(pid, 0)
        assert ez_pixel.flush_pixel(5)
        print("child exit", os.waitstatus_to_exitcode(status))
    """), env={"KEY": KEY, "URL": ingest.url}, timeout=30)
    assert result.returncode == 0, result.stderr
    assert "child exit 0" in result.stdout
    assert sorted(e["message"] for e in ingest.delivered) == ["from the child",
                                                              "from the parent"]


PROBE_APP = "import os, ez_pixel\nez_pixel.init_pixel(%r, os.environ['URL'])\nprint('carried on')\n"


def test_probe_writes_the_outcome(ingest, run_script, validator, tmp_path):
    probe = tmp_path / "probe.json"
    result = run_script(PROBE_APP % KEY, env={"URL": ingest.url, "EZ_PIXEL_PROBE": str(probe)})
    assert result.returncode == 0 and "carried on" in result.stdout
    written = json.loads(probe.read_text())
    assert written["ok"] is True and written["status"] == 200 and written["error"] is None
    assert written["sdk"] == "ez-pixel-python/0.2.0"
    [event] = ingest.delivered
    assert event["event_id"] == written["event_id"]
    assert (event["type"], event["message"], event["level"], event["manual_report"]) == (
        "Message", "ez-pixel doctor probe: the wiring works", "info", True)
    assert list(validator.iter_errors(event)) == []


def test_probe_reports_a_refused_key_and_a_dead_ingest(ingest, closed_url, run_script,
                                                       tmp_path):
    probe = tmp_path / "probe.json"
    ingest.script = [401]
    run_script(PROBE_APP % KEY, env={"URL": ingest.url, "EZ_PIXEL_PROBE": str(probe)})
    written = json.loads(probe.read_text())
    assert (written["ok"], written["status"], written["error"]) == (False, 401, "HTTP 401")
    run_script(PROBE_APP % KEY, env={"URL": closed_url, "EZ_PIXEL_PROBE": str(probe)})
    written = json.loads(probe.read_text())
    assert written["ok"] is False and written["status"] is None and written["error"]


@pytest.mark.parametrize("key,env,why", [
    ("bad", {}, "malformed project key"),
    (KEY, {"EZ_PIXEL_DISABLED": "1"}, "disabled"),
])
def test_probe_when_disabled_or_malformed(ingest, run_script, tmp_path, key, env, why):
    probe = tmp_path / "probe.json"
    run_script(PROBE_APP % key, env=dict(env, URL=ingest.url, EZ_PIXEL_PROBE=str(probe)))
    written = json.loads(probe.read_text())
    assert written["ok"] is False and why in written["error"]


def test_the_worker_imports_nothing_so_a_fork_cannot_inherit_an_import_lock(ingest, run_script):
    # A module lock held by the worker thread at fork time is never released in the child.
    # So everything the worker needs is imported by init_pixel, on the app's thread.
    result = run_script(textwrap.dedent("""
        import os, sys, logging, ez_pixel
        ez_pixel.init_pixel(os.environ['KEY'], os.environ['URL'])
        before = set(sys.modules)
        try:
            raise ValueError("x")
        except ValueError as error:
            ez_pixel.report_pixel("m", error=error)
        logging.getLogger("a").error("x %s", 1)
        ez_pixel.report_pixel("message")
        assert ez_pixel.flush_pixel(5)
        print(sorted(set(sys.modules) - before))
    """), env={"KEY": KEY, "URL": ingest.url})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
    assert len(ingest.delivered) == 3


@pytest.mark.parametrize("url,parts", [
    ("http://127.0.0.1:4318/ingest", ("http", "127.0.0.1", 4318, "/ingest")),
    ("https://pixel.example.com", ("https", "pixel.example.com", 443, "/")),
    ("HTTP://Host/x?y=1", ("http", "Host", 80, "/x?y=1")),
    ("http://host?y=1", ("http", "host", 80, "/?y=1")),
    ("http://[::1]:8080/i", ("http", "::1", 8080, "/i")),
    ("http://user:secret@host/i", None),   # credentials in the URL are refused
    ("http://host:0/i", None),
    ("http://host:99999/i", None),
    ("http:///i", None),
    ("ws://host/i", None),
    ("", None),
])
def test_ingest_url_parsing(url, parts):
    from ez_pixel.options import split_url
    assert split_url(url) == parts
