"""The SDK on every other Python found on this machine (3.8+): a stdlib-only smoke run of the
core paths (thread hook, chained exception, logging, fork, uncaught exception at exit)
against the real test ingest. Interpreters that are not installed are skipped."""

import glob
import os
import shutil
import subprocess
import textwrap

import pytest

from conftest import KEY, SDK_ROOT


def _interpreters():
    found = {}
    for minor in range(8, 15):
        name = "python3.%d" % minor
        candidates = [shutil.which(name)] + sorted(glob.glob(
            os.path.expanduser("~/.pyenv/versions/3.%d.*/bin/%s" % (minor, name))))
        for path in candidates:
            if path and os.access(path, os.X_OK) and ".pyenv/shims" not in path:
                found[name] = path
                break
    return found


INTERPRETERS = _interpreters()

SMOKE = textwrap.dedent("""
    import logging, os, sys, threading, ez_pixel
    ez_pixel.init_pixel(os.environ["KEY"], os.environ["URL"], release="smoke")
    def work():
        raise RuntimeError("thread")
    t = threading.Thread(target=work); t.start(); t.join()
    try:
        try:
            {}["k"]
        except KeyError as e:
            raise ValueError("chained") from e
    except ValueError as error:
        ez_pixel.report_pixel("manual", error=error)
    logging.getLogger("smoke").error("logged %s", "message")
    if hasattr(os, "fork"):
        pid = os.fork()
        if pid == 0:
            ez_pixel.report_pixel("child")
            os._exit(0 if ez_pixel.flush_pixel(5) else 1)
        os.waitpid(pid, 0)
    raise SystemError("uncaught")
""")


@pytest.mark.parametrize("name", sorted(INTERPRETERS) or ["none"])
def test_smoke_on_other_pythons(name, ingest, tmp_path, validator):
    if name not in INTERPRETERS:
        pytest.skip("no other Python found")
    app = tmp_path / "smoke.py"
    app.write_text(SMOKE)
    env = dict(os.environ, PYTHONPATH=SDK_ROOT, KEY=KEY, URL=ingest.url,
               EZ_PIXEL_CACHE_DIR=str(tmp_path / "cache"))
    result = subprocess.run([INTERPRETERS[name], str(app)], cwd=str(tmp_path), env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1 and "SystemError: uncaught" in result.stderr, result.stderr
    expected = 5 if hasattr(os, "fork") else 4
    events = ingest.wait_for(expected)
    kinds = sorted((e["type"], e["level"]) for e in events)
    assert kinds == sorted([("RuntimeError", "error"), ("ValueError", "error"),
                            ("Message", "error"), ("Message", "error"),
                            ("SystemError", "fatal")][:expected])
    chained = [e for e in events if e["type"] == "ValueError"][0]
    assert chained["cause"][0]["relation"] == "cause"
    for event in events:
        assert list(validator.iter_errors(event)) == [], event
