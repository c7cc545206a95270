"""Grouping of the event as sent (spec/fingerprint.md), in real processes."""

import textwrap

from conftest import KEY
from ez_pixel import fingerprint as fp
from test_hooks import env

LIBRARY = textwrap.dedent("""
    def walk(depth):
        if depth == 0:
            raise KeyError("missing")
        return walk(depth - 1)
""")


def test_a_trimmed_stack_is_grouped_by_the_frames_sent(ingest, run_script):
    # The app frame sits 31 frames out, inside a library's recursion; a 70 kB context makes the
    # event too large, so trimming keeps only the 20 innermost frames (all the library's).
    site = run_script.dir / "venv" / "lib" / "python3" / "site-packages" / "deeplib"
    site.mkdir(parents=True)
    (site / "__init__.py").write_text(LIBRARY)
    result = run_script(textwrap.dedent("""
        import os, sys, ez_pixel
        sys.path.insert(0, os.path.join("venv", "lib", "python3", "site-packages"))
        import deeplib
        ez_pixel.init_pixel(os.environ['KEY'], os.environ['URL'])
        def view():
            try:
                deeplib.walk(30)
            except KeyError as error:
                ez_pixel.report_pixel("", error, context={"blob": "y" * 70000})
        view()
        print(ez_pixel.flush_pixel(5))
    """), env=env(ingest))
    assert result.stdout.strip() == "True", result.stderr
    [event] = ingest.delivered
    assert len(event["stack"]) == 20
    assert not any(frame["in_app"] for frame in event["stack"])
    key = "KeyError\0deeplib/__init__.py\0walk\0raise KeyError(\"missing\")"
    assert event["fingerprint"] == fp.fingerprint(key)
    assert event["code_context"]["file"] == "deeplib/__init__.py"
    assert event["code_context"]["error_line"] == 4


def test_a_fingerprint_chosen_by_before_send_survives_trimming(ingest, run_script):
    result = run_script(textwrap.dedent("""
        import os, sys, ez_pixel
        def hook(event):
            event["fingerprint"] = "0123456789abcdef"
            return event
        ez_pixel.init_pixel(os.environ['KEY'], os.environ['URL'], before_send=hook)
        def deep(n):
            if n == 0:
                raise ValueError("deep")
            deep(n - 1)
        try:
            deep(40)
        except ValueError as error:
            ez_pixel.report_pixel("", error, context={"blob": "y" * 70000})
        print(ez_pixel.flush_pixel(5))
    """), env={"KEY": KEY, "URL": ingest.url})
    assert result.stdout.strip() == "True", result.stderr
    [event] = ingest.delivered
    assert len(event["stack"]) == 20 and event["fingerprint"] == "0123456789abcdef"
