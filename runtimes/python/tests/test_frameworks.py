"""Django, Flask, FastAPI and Starlette, installed from PyPI, in real processes: a 500 is
exactly one event holding the view's frame; 4xx are not reported; no code beyond init_pixel."""

import textwrap

import pytest

from conftest import KEY

INIT = "import os, ez_pixel\nez_pixel.init_pixel(os.environ['KEY'], os.environ['URL'])\n"

DJANGO_APP = """
import django
from django.conf import settings
settings.configure(DEBUG=False, ROOT_URLCONF=__name__, ALLOWED_HOSTS=["*"], SECRET_KEY="x",
                   MIDDLEWARE=[])
from django.http import Http404
from django.urls import path

def boom_view(request, n):
    raise ZeroDivisionError("django view failed")

def missing_view(request):
    raise Http404("nope")

urlpatterns = [path("boom/<int:n>", boom_view), path("missing", missing_view)]
django.setup()
from django.test import Client
client = Client(raise_request_exception=False)
print(client.get("/boom/7?token=querysecret", HTTP_COOKIE="c=headersecret").status_code,
      client.get("/missing").status_code)
"""

FLASK_APP = """
from flask import Flask, abort
app = Flask(__name__)

@app.route("/boom/<int:n>")
def boom_view(n):
    raise ZeroDivisionError("flask view failed")

@app.route("/missing")
def missing_view():
    abort(404)

client = app.test_client()
print(client.get("/boom/7?token=querysecret", headers={"Cookie": "c=headersecret"}).status_code,
      client.get("/missing").status_code)
"""

FASTAPI_APP = """
from fastapi import FastAPI, HTTPException
from fastapi.testclient import TestClient
app = FastAPI()

@app.get("/boom/{n}")
def boom_view(n: int):
    raise ZeroDivisionError("fastapi view failed")

@app.get("/missing")
async def missing_view():
    raise HTTPException(status_code=404)

client = TestClient(app, raise_server_exceptions=False)
print(client.get("/boom/7?token=querysecret", headers={"Cookie": "c=headersecret"}).status_code,
      client.get("/missing").status_code)
"""

STARLETTE_APP = """
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.routing import Route
from starlette.testclient import TestClient

async def boom_view(request):
    raise ZeroDivisionError("starlette view failed")

async def missing_view(request):
    raise HTTPException(status_code=404)

app = Starlette(routes=[Route("/boom/{n:int}", boom_view), Route("/missing", missing_view)])
client = TestClient(app, raise_server_exceptions=False)
print(client.get("/boom/7?token=querysecret", headers={"Cookie": "c=headersecret"}).status_code,
      client.get("/missing").status_code)
"""

FLUSH = "\nassert ez_pixel.flush_pixel(5)\n"


ROUTES = {"django": "boom/<int:n>", "flask": "/boom/<int:n>", "fastapi": "/boom/{n}",
          "starlette": "/boom/{n:int}"}


@pytest.mark.parametrize("name,app,import_first", [
    ("django", DJANGO_APP, False),
    ("django", DJANGO_APP, True),
    ("flask", FLASK_APP, False),
    ("flask", FLASK_APP, True),
    ("fastapi", FASTAPI_APP, False),
    ("starlette", STARLETTE_APP, True),
], ids=["django", "django-imported-first", "flask", "flask-imported-first", "fastapi",
        "starlette-imported-first"])
def test_a_500_is_exactly_one_event_with_the_view_frame(ingest, run_script, validator, name, app,
                                                      import_first):
    # import_first: the framework is imported before init_pixel (hooked at once); otherwise
    # it is imported after (hooked by the post-import hook). The imported-first runs also
    # turn the logging integration off, to show the framework hook alone reports the 500.
    prelude = "import %s\n" % name if import_first else ""
    init = INIT.replace("os.environ['URL'])", "os.environ['URL'], capture_logging=False)") \
        if import_first else INIT
    result = run_script(prelude + init + textwrap.dedent(app) + FLUSH,
                        env={"KEY": KEY, "URL": ingest.url})
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["500", "404"]
    events = ingest.wait_for(2, timeout=1.0)
    assert len(events) == 1, [e["message"] for e in events]
    [event] = events
    assert event["type"] == "ZeroDivisionError" and event["level"] == "error"
    assert event["manual_report"] is False
    assert {"file": "app.py", "fn": "boom_view", "in_app": True}.items() <= \
        event["stack"][0].items()
    # What the request was, as Node's Express handler sends it: no query, headers or body.
    assert event["context"] == {"request": {"method": "GET", "path": "/boom/7",
                                            "route": ROUTES[name]}}
    raw = b"".join(request["raw"] for request in ingest.requests)
    assert b"querysecret" not in raw and b"headersecret" not in raw
    assert list(validator.iter_errors(event)) == []


def test_close_unhooks_the_frameworks(ingest, run_script):
    result = run_script(INIT + "ez_pixel.close_pixel()\n" + textwrap.dedent(FLASK_APP) +
                        textwrap.dedent(STARLETTE_APP) + "\nimport flask.signals as s\n"
                        "assert not s.got_request_exception.receivers\n",
                        env={"KEY": KEY, "URL": ingest.url})
    assert result.returncode == 0, result.stderr
    assert ingest.wait_for(1, timeout=0.5) == []


DJANGO_DEV_SERVER = DJANGO_APP.replace("""from django.test import Client
client = Client(raise_request_exception=False)
print(client.get("/boom/7?token=querysecret", HTTP_COOKIE="c=headersecret").status_code,
      client.get("/missing").status_code)""", """
import logging, threading, urllib.error, urllib.request
from django.core.servers.basehttp import WSGIRequestHandler, WSGIServer
from django.core.wsgi import get_wsgi_application
logging.basicConfig()  # what runserver's logging config does: django.server lines print
server = WSGIServer(("127.0.0.1", 0), WSGIRequestHandler, ipv6=False)
server.set_app(get_wsgi_application())
threading.Thread(target=server.serve_forever, daemon=True).start()
for path in ("/boom/7", "/missing"):
    try:
        urllib.request.urlopen("http://127.0.0.1:%d%s" % (server.server_address[1], path))
    except urllib.error.HTTPError as error:
        print(error.code)
server.shutdown()
""")


def test_django_dev_server_sends_one_event_per_500(ingest, run_script):
    # runserver logs '"GET /boom/7 HTTP/1.1" 500' through django.server at ERROR: that line is
    # about the 500 already reported, not a second event.
    result = run_script(INIT + textwrap.dedent(DJANGO_DEV_SERVER) + FLUSH,
                        env={"KEY": KEY, "URL": ingest.url})
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["500", "404"]
    assert '"GET /boom/7 HTTP/1.1" 500' in result.stderr
    events = ingest.wait_for(2, timeout=1.0)
    assert [event["type"] for event in events] == ["ZeroDivisionError"], events
    assert events[0]["context"]["request"]["route"] == "boom/<int:n>"


@pytest.fixture(scope="module")
def flask_without_blinker(tmp_path_factory):
    """A virtualenv with Flask 2.2, where blinker was optional and is not installed."""
    import subprocess
    import sys
    venv = tmp_path_factory.mktemp("flask22") / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = str(venv / "bin" / "python")
    pip = subprocess.run([python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                          "flask==2.2.5", "werkzeug==2.2.3"], capture_output=True, text=True,
                         timeout=240)
    if pip.returncode != 0:
        pytest.skip("pip could not install Flask 2.2.5 from PyPI: %s" % pip.stderr.strip()[-300:])
    check = subprocess.run([python, "-c", "import flask.signals as s; print(s.signals_available)"],
                           capture_output=True, text=True, check=True)
    assert check.stdout.strip() == "False"
    return python


@pytest.mark.parametrize("import_first", [False, True], ids=["flask-2.2", "flask-2.2-imported-first"])
def test_flask_before_2_3_without_blinker_reports_a_500_with_its_request(
        ingest, run_script, validator, flask_without_blinker, import_first):
    # Without blinker got_request_exception cannot be connected; the logging integration is
    # off, so the event with its request can only come from the Flask hook.
    prelude = "import flask\n" if import_first else ""
    init = INIT.replace("os.environ['URL'])", "os.environ['URL'], capture_logging=False)")
    result = run_script(prelude + init + textwrap.dedent(FLASK_APP) + FLUSH,
                        env={"KEY": KEY, "URL": ingest.url}, python=flask_without_blinker)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["500", "404"]
    events = ingest.wait_for(2, timeout=1.0)
    assert len(events) == 1, [e["message"] for e in events]
    [event] = events
    assert {"file": "app.py", "fn": "boom_view", "in_app": True}.items() <= event["stack"][0].items()
    assert event["context"] == {"request": {"method": "GET", "path": "/boom/7", "route": "/boom/<int:n>"}}
    assert list(validator.iter_errors(event)) == []


def test_flask_before_2_3_with_logging_on_is_still_one_event(ingest, run_script, flask_without_blinker):
    # Flask logs the same exception at ERROR right after the hook saw it: one event, with the request.
    result = run_script(INIT + textwrap.dedent(FLASK_APP) + FLUSH,
                        env={"KEY": KEY, "URL": ingest.url}, python=flask_without_blinker)
    assert result.returncode == 0, result.stderr
    events = ingest.wait_for(2, timeout=1.0)
    assert [e["context"].get("request") for e in events] == [
        {"method": "GET", "path": "/boom/7", "route": "/boom/<int:n>"}]


def test_close_unhooks_flask_before_2_3(ingest, run_script, flask_without_blinker):
    result = run_script(INIT + "ez_pixel.close_pixel()\n" + textwrap.dedent(FLASK_APP) +
                        "\nimport flask\nassert not hasattr(flask.Flask.handle_exception, '__ez_pixel_original__')\n",
                        env={"KEY": KEY, "URL": ingest.url}, python=flask_without_blinker)
    assert result.returncode == 0, result.stderr
    assert ingest.wait_for(1, timeout=0.5) == []
