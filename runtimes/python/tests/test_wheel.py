"""The offline build: the wheel is a correct PEP 427 wheel that installs into a fresh venv,
and the in-tree PEP 517 backend lets pip build the same wheel."""

import base64
import hashlib
import os
import shutil
import subprocess
import sys
import zipfile

import pytest

from conftest import REPO_ROOT, SDK_ROOT

WHEEL = "ez_pixel-0.2.0-py3-none-any.whl"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("wheel")
    result = subprocess.run([sys.executable, os.path.join(SDK_ROOT, "build_wheel.py"), str(out)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return out / WHEEL


def test_wheel_contents_and_record(wheel):
    with zipfile.ZipFile(str(wheel)) as archive:
        names = archive.namelist()
        assert "ez_pixel/py.typed" in names and "ez_pixel/integrations/django.py" in names
        assert not any("__pycache__" in n or n.endswith(".pyc") or "tests/" in n for n in names)
        meta = archive.read("ez_pixel-0.2.0.dist-info/METADATA").decode()
        for line in ("Name: ez-pixel", "Version: 0.2.0", "Requires-Python: >=3.8", "Summary: "):
            assert line in meta
        assert "Root-Is-Purelib: true" in archive.read("ez_pixel-0.2.0.dist-info/WHEEL").decode()
        record = archive.read("ez_pixel-0.2.0.dist-info/RECORD").decode().splitlines()
        assert sorted(r.split(",")[0] for r in record) == sorted(names)
        for row in record:
            name, digest, size = row.split(",")
            if name.endswith("RECORD"):
                assert digest == "" and size == ""
                continue
            data = archive.read(name)
            expected = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
            assert digest == "sha256=" + expected.decode() and int(size) == len(data)


def _fresh_venv(path):
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(path)], check=True)
    return str(path / "bin" / "python")


def test_wheel_installs_into_a_fresh_venv_and_imports(wheel, tmp_path):
    python = _fresh_venv(tmp_path / "venv")
    subprocess.run([sys.executable, "-m", "pip", "--python", python, "install", "--no-index",
                    "--quiet", "--disable-pip-version-check", str(wheel)], check=True)
    probe = subprocess.run([python, "-c", "import ez_pixel, os; print(ez_pixel.__version__, "
                            "os.path.dirname(ez_pixel.__file__))"],
                           capture_output=True, text=True, cwd=str(tmp_path), check=True)
    version, location = probe.stdout.split()
    assert version == "0.2.0" and "site-packages" in location
    assert os.path.exists(os.path.join(location, "py.typed"))


def test_pip_builds_the_same_wheel_with_the_in_tree_backend(wheel, tmp_path):
    result = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-index", "--no-deps",
                             "--quiet", "--disable-pip-version-check", "-w", str(tmp_path),
                             SDK_ROOT], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    with open(str(tmp_path / WHEEL), "rb") as built, open(str(wheel), "rb") as ours:
        assert built.read() == ours.read()  # reproducible: same bytes either way


def test_editable_install_points_at_the_source_tree(tmp_path):
    python = _fresh_venv(tmp_path / "venv")
    subprocess.run([sys.executable, "-m", "pip", "--python", python, "install", "--no-index",
                    "--quiet", "--disable-pip-version-check", "-e", SDK_ROOT], check=True)
    probe = subprocess.run([python, "-c", "import ez_pixel; print(ez_pixel.__file__)"],
                           capture_output=True, text=True, cwd=str(tmp_path), check=True)
    assert probe.stdout.strip() == os.path.join(SDK_ROOT, "ez_pixel", "__init__.py")


def _uv():
    tools = os.path.join(REPO_ROOT, ".tools", "bin", "uv")
    for candidate in (tools, shutil.which("uv")):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


@pytest.mark.skipif(_uv() is None, reason="uv is not installed (scripts/setup-test-env.sh adds it)")
def test_uv_builds_sdist_and_wheel_offline(wheel, tmp_path):
    result = subprocess.run([_uv(), "build", "--offline", "--out-dir", str(tmp_path), SDK_ROOT],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "ez_pixel-0.2.0.tar.gz").exists()
    with open(str(tmp_path / WHEEL), "rb") as built, open(str(wheel), "rb") as ours:
        assert built.read() == ours.read()  # sdist -> wheel gives the very same bytes
