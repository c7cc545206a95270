"""Builds the ez-pixel wheel (and sdist) with the standard library only, offline.

    python3 build_wheel.py <outdir>      writes <outdir>/ez_pixel-<version>-py3-none-any.whl

It is also the in-tree PEP 517 backend named in pyproject.toml (backend-path = ["."]), so
`pip install runtimes/python`, `pip wheel` and `uv build` use this same code. The version is
read from ez_pixel/_version.py, the one place it lives."""

import base64
import hashlib
import io
import os
import re
import sys
import tarfile
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
NAME = "ez-pixel"
PACKAGE = "ez_pixel"
SUMMARY = "Error tracking for Python with zero dependencies: hooks, logging and web frameworks"
# Reproducible archives: a fixed timestamp unless SOURCE_DATE_EPOCH says otherwise.
EPOCH = int(os.environ.get("SOURCE_DATE_EPOCH", "315532800"))  # 1980-01-01


def version():
    with open(os.path.join(HERE, PACKAGE, "_version.py"), encoding="utf-8") as handle:
        return re.search(r'^VERSION = "([^"]+)"', handle.read(), re.M).group(1)


def _dist_info():
    return "%s-%s.dist-info" % (PACKAGE, version())


def _readme():
    path = os.path.join(HERE, "README.md")
    if not os.path.exists(path):
        return ""
    with open(path, encoding="utf-8") as handle:
        return handle.read()


def metadata():
    lines = [
        "Metadata-Version: 2.1",
        "Name: " + NAME,
        "Version: " + version(),
        "Summary: " + SUMMARY,
        "License: MIT",
        "Keywords: crash-reporting,error-tracking,monitoring,pixel",
        "Classifier: Programming Language :: Python :: 3",
        "Classifier: License :: OSI Approved :: MIT License",
        "Classifier: Typing :: Typed",
        "Requires-Python: >=3.8",
        "Description-Content-Type: text/markdown",
    ]
    return "\n".join(lines) + "\n\n" + _readme()


def _wheel_file(tag="py3-none-any"):
    return ("Wheel-Version: 1.0\nGenerator: ez-pixel build_wheel.py\nRoot-Is-Purelib: true\n"
            "Tag: %s\n" % tag)


def package_files():
    """(archive name, path on disk) of every file the package ships, sorted."""
    found = []
    root = os.path.join(HERE, PACKAGE)
    for directory, subdirs, files in os.walk(root):
        subdirs[:] = sorted(d for d in subdirs if d != "__pycache__")
        for name in files:
            if name.endswith((".py", ".typed")):
                path = os.path.join(directory, name)
                found.append((os.path.relpath(path, HERE).replace(os.sep, "/"), path))
    return sorted(found)


def _hash(data):
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
    return "sha256=" + digest.decode("ascii")


def _write_wheel(path, entries):
    """entries: (archive name, bytes). Adds RECORD last, with a hash for every file."""
    dist_info = _dist_info()
    record = []
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as wheel:
        for name, data in entries:
            _add(wheel, name, data)
            record.append("%s,%s,%d" % (name, _hash(data), len(data)))
        record.append("%s/RECORD,," % dist_info)
        _add(wheel, dist_info + "/RECORD", ("\n".join(record) + "\n").encode("utf-8"))


def _add(archive, name, data):
    import time
    info = zipfile.ZipInfo(name, time.gmtime(EPOCH)[:6])
    info.external_attr = 0o644 << 16
    info.compress_type = zipfile.ZIP_DEFLATED
    archive.writestr(info, data)


def _filename():
    return "%s-%s-py3-none-any.whl" % (PACKAGE, version())


def _metadata_entries():
    dist_info = _dist_info()
    return [(dist_info + "/METADATA", metadata().encode("utf-8")),
            (dist_info + "/WHEEL", _wheel_file().encode("utf-8")),
            (dist_info + "/top_level.txt", (PACKAGE + "\n").encode("utf-8"))]


# -- PEP 517 / PEP 660 hooks ---------------------------------------------------------------

def get_requires_for_build_wheel(config_settings=None):
    return []


def get_requires_for_build_sdist(config_settings=None):
    return []


def get_requires_for_build_editable(config_settings=None):
    return []


def prepare_metadata_for_build_wheel(metadata_directory, config_settings=None):
    dist_info = os.path.join(metadata_directory, _dist_info())
    os.makedirs(dist_info, exist_ok=True)
    for name, data in _metadata_entries():
        with open(os.path.join(metadata_directory, name), "wb") as handle:
            handle.write(data)
    return _dist_info()


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    os.makedirs(wheel_directory, exist_ok=True)
    entries = []
    for name, path in package_files():
        with open(path, "rb") as handle:
            entries.append((name, handle.read()))
    _write_wheel(os.path.join(wheel_directory, _filename()), entries + _metadata_entries())
    return _filename()


def build_editable(wheel_directory, config_settings=None, metadata_directory=None):
    """An editable install: a .pth file that puts this directory on sys.path."""
    os.makedirs(wheel_directory, exist_ok=True)
    pth = ("_%s_editable.pth" % PACKAGE, (HERE + "\n").encode("utf-8"))
    _write_wheel(os.path.join(wheel_directory, _filename()), [pth] + _metadata_entries())
    return _filename()


prepare_metadata_for_build_editable = prepare_metadata_for_build_wheel


def build_sdist(sdist_directory, config_settings=None):
    os.makedirs(sdist_directory, exist_ok=True)
    base = "%s-%s" % (PACKAGE, version())
    files = [("pyproject.toml", os.path.join(HERE, "pyproject.toml")),
             ("build_wheel.py", os.path.join(HERE, "build_wheel.py")),
             ("README.md", os.path.join(HERE, "README.md"))] + package_files()
    path = os.path.join(sdist_directory, base + ".tar.gz")
    with tarfile.open(path, "w:gz", format=tarfile.PAX_FORMAT) as sdist:
        pkg_info = metadata().encode("utf-8")
        _add_tar(sdist, base + "/PKG-INFO", pkg_info)
        for name, disk in files:
            if os.path.exists(disk):
                with open(disk, "rb") as handle:
                    _add_tar(sdist, base + "/" + name, handle.read())
    return base + ".tar.gz"


def _add_tar(archive, name, data):
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = len(data), EPOCH, 0o644
    archive.addfile(info, io.BytesIO(data))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.stderr.write("usage: python3 build_wheel.py <outdir>\n")
        sys.exit(2)
    print(os.path.join(sys.argv[1], build_wheel(sys.argv[1])))
