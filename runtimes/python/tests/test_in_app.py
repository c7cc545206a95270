"""Which frames are the application's: generated code (<string>, <frozen …>) and a virtualenv's
console scripts are not, so they never pick the group or hide the app's own line."""

import os
import subprocess
import sys
import textwrap

import pytest

from conftest import KEY, SDK_ROOT
from test_hooks import env

CRUD = textwrap.dedent("""
    namespace = {}
    # What SQLAlchemy does for a mapped class's __init__: a method compiled from a string.
    exec(compile("def __init__(self, **kw):\\n    for k in kw:\\n        setattr(self, k, kw[k])\\n",
                 "<string>", "exec"), namespace)

    class User(object):
        __slots__ = ("email",)
        __init__ = namespace["__init__"]

    def create_user(email):
        return User(mail=email)
""")


def test_generated_string_frames_are_not_in_app(ingest, run_script, validator):
    (run_script.dir / "crud.py").write_text(CRUD)
    result = run_script("import os, ez_pixel\n"
                        "ez_pixel.init_pixel(os.environ['KEY'], os.environ['URL'])\n"
                        "import crud\ncrud.create_user('x')\n", env=env(ingest))
    assert result.returncode == 1
    [event] = ingest.wait_for(1)
    frames = [(frame["file"], frame["fn"], frame["in_app"]) for frame in event["stack"]]
    assert frames[:2] == [("<string>", "__init__", False), ("crud.py", "create_user", True)]
    context = event["code_context"]
    assert context["file"] == "crud.py"
    assert context["lines"][context["error_line"] - context["start_line"]].strip() == \
        "return User(mail=email)"
    assert list(validator.iter_errors(event)) == []


def test_a_virtualenv_console_script_is_not_in_app(ingest, tmp_path):
    # A project with its .venv inside it, started through the venv's console script, whose
    # entry point is a library function that raises: the script must not become the group.
    project = tmp_path / "project"
    venv = project / ".venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    site = subprocess.run([str(venv / "bin" / "python"), "-c",
                           "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          check=True, capture_output=True, text=True).stdout.strip()
    os.makedirs(os.path.join(site, "toolkit"))
    with open(os.path.join(site, "toolkit", "__init__.py"), "w") as handle:
        handle.write("def main():\n    raise RuntimeError('toolkit failed')\n")
    script = venv / "bin" / "toolkit"
    script.write_text("#!%s\nimport os, sys, ez_pixel\n"
                      "ez_pixel.init_pixel(os.environ['KEY'], os.environ['URL'])\n"
                      "from toolkit import main\nsys.exit(main())\n" % (venv / "bin" / "python"))
    script.chmod(0o755)
    run_env = dict(os.environ, PYTHONPATH=SDK_ROOT, EZ_PIXEL_CACHE_DIR=str(tmp_path / "cache"),
                   KEY=KEY, URL=ingest.url)
    result = subprocess.run([str(script)], cwd=str(project), env=run_env, capture_output=True,
                            text=True, timeout=30)
    assert result.returncode == 1, result.stderr
    [event] = ingest.wait_for(1)
    frames = [(frame["file"], frame["in_app"]) for frame in event["stack"]]
    assert frames == [("toolkit/__init__.py", False), ("bin/toolkit", False)]
    assert event["code_context"]["file"] == "toolkit/__init__.py"


@pytest.mark.skipif(sys.version_info < (3, 11), reason="runpy is frozen from Python 3.11")
def test_frozen_frames_are_not_in_app(ingest, run_script):
    # runpy.run_path (what `python -m` and many task runners use) runs from <frozen runpy>:
    # its frames sit between the job's line, which picks the group, and the caller.
    (run_script.dir / "job.py").write_text("TIMEOUT = int('soon')\n")
    result = run_script("import os, runpy, ez_pixel\n"
                        "ez_pixel.init_pixel(os.environ['KEY'], os.environ['URL'])\n"
                        "runpy.run_path('job.py')\n", env=env(ingest))
    assert result.returncode == 1
    [event] = ingest.wait_for(1)
    frames = [(frame["file"], frame["in_app"]) for frame in event["stack"]]
    assert frames[0] == ("job.py", True) and frames[-1] == ("app.py", True)
    frozen = frames[1:-1]
    assert frozen and all(file == "<frozen runpy>" and not in_app for file, in_app in frozen)
    assert event["code_context"]["file"] == "job.py"
