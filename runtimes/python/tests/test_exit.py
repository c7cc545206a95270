"""The exit path and the spool, in real processes."""

import json
import os
import re
import textwrap
import time

from conftest import KEY
from ez_pixel import spool as spool_module

REPORT_AND_EXIT = textwrap.dedent("""
    import os, ez_pixel
    ez_pixel.init_pixel(os.environ['KEY'], os.environ['URL'], shutdown_timeout=2.0)
    ez_pixel.report_pixel("reported just before exit")
""")


def timed(source):
    """The script, made to print at its very end how long the exit took from its last statement:
    registered first, this atexit handler runs after the SDK's. It measures the SDK's wait alone;
    the wall-clock time of the process also counts the interpreter's start-up, which a loaded
    machine stretches by seconds."""
    return ("import atexit as _atexit, time as _time\n"
            "_atexit.register(lambda: print('exit wait', _time.monotonic() - _script_done))\n"
            + source + "\n_script_done = _time.monotonic()\n")


def exit_wait(result):
    """The wait printed by a timed() script (inf, which fails every bound, if it printed none)."""
    found = re.search(r"^exit wait (\S+)$", result.stdout, re.M)
    return float(found.group(1)) if found else float("inf")


def spool_dir(run_script):
    os.environ["EZ_PIXEL_CACHE_DIR"] = str(run_script.cache)
    try:
        return spool_module.directory_for(KEY)
    finally:
        del os.environ["EZ_PIXEL_CACHE_DIR"]


def test_a_script_that_reports_and_exits_delivers(ingest, run_script):
    result = run_script(REPORT_AND_EXIT, env={"KEY": KEY, "URL": ingest.url})
    assert result.returncode == 0, result.stderr
    [event] = ingest.delivered
    assert event["message"] == "reported just before exit"


def test_nothing_pending_does_not_delay_exit(ingest, run_script):
    wired = run_script(timed("import os, ez_pixel\n"
                             "ez_pixel.init_pixel(os.environ['KEY'], os.environ['URL'],"
                             " shutdown_timeout=5)\n"), env={"KEY": KEY, "URL": ingest.url})
    assert wired.returncode == 0, wired.stderr
    assert exit_wait(wired) < 0.5  # far below the 5 s timeout


def test_blackholed_ingest_delays_exit_by_about_the_timeout_and_spools(blackhole_url,
                                                                       run_script):
    result = run_script(timed(REPORT_AND_EXIT.replace("2.0", "1.0")),
                        env={"KEY": KEY, "URL": blackhole_url})
    assert result.returncode == 0, result.stderr
    assert 1.0 <= exit_wait(result) < 1.0 * 1.1 + 0.9
    files = os.listdir(spool_dir(run_script))
    assert len(files) == 1 and files[0].endswith(".json")


def test_ingest_down_at_exit_is_spooled_and_the_next_start_delivers(closed_url, ingest,
                                                                   run_script, validator):
    down = run_script(REPORT_AND_EXIT.replace("2.0", "0.5"), env={"KEY": KEY, "URL": closed_url},
                      backoff="1")
    assert down.returncode == 0, down.stderr
    directory = spool_dir(run_script)
    [name] = os.listdir(directory)
    with open(os.path.join(directory, name)) as handle:
        spooled = json.load(handle)
    assert name == spooled["event_id"] + ".json"
    assert list(validator.iter_errors(spooled)) == []

    up = run_script("import os, ez_pixel\n"
                    "ez_pixel.init_pixel(os.environ['KEY'], os.environ['URL'])\n"
                    "import time; time.sleep(0.3)\n"
                    "assert ez_pixel.flush_pixel(5)\n", env={"KEY": KEY, "URL": ingest.url})
    assert up.returncode == 0, up.stderr
    assert [e["event_id"] for e in ingest.delivered] == [spooled["event_id"]]
    assert os.listdir(directory) == []


def test_another_key_does_not_deliver_the_spool(closed_url, ingest, run_script):
    run_script(REPORT_AND_EXIT.replace("2.0", "0.3"), env={"KEY": KEY, "URL": closed_url},
               backoff="1")
    run_script("import os, time, ez_pixel\n"
               "ez_pixel.init_pixel('pk_test_other', os.environ['URL'])\n"
               "time.sleep(0.3)\n", env={"URL": ingest.url})
    assert ingest.delivered == []
    assert len(os.listdir(spool_dir(run_script))) == 1


def test_spool_bounds(tmp_path, monkeypatch):
    monkeypatch.setenv("EZ_PIXEL_CACHE_DIR", str(tmp_path))
    spool = spool_module.Spool(KEY)
    assert spool.directory == os.path.join(str(tmp_path), "ez-pixel", "spool",
                                           __import__("hashlib").sha256(KEY.encode())
                                           .hexdigest()[:16])
    for i in range(105):
        spool.save("id-%03d" % i, b'{"event_id": "id-%03d"}' % i)
        os.utime(spool.path_for("id-%03d" % i), (1e9 + i, time.time() - 1000 + i))
    names = sorted(os.listdir(spool.directory))
    assert len(names) == 100 and names[0] == "id-005.json"  # the oldest went first

    big = b"x" * (1024 * 1024)
    for i in range(6):
        spool.save("big-%d" % i, big)
    total = sum(os.path.getsize(os.path.join(spool.directory, n))
                for n in os.listdir(spool.directory))
    assert total <= spool_module.MAX_BYTES

    old = spool.path_for("big-5")
    os.utime(old, (0, time.time() - 8 * 24 * 3600))
    spool.load(1000)
    assert not os.path.exists(old)
    assert not any(n.endswith(".tmp") for n in os.listdir(spool.directory))


def test_cache_directory_precedence(monkeypatch, tmp_path):
    monkeypatch.delenv("EZ_PIXEL_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert spool_module.cache_root() == str(tmp_path / "xdg")
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert spool_module.cache_root() == os.path.join(str(tmp_path / "home"), ".cache")
    monkeypatch.setenv("EZ_PIXEL_CACHE_DIR", str(tmp_path / "explicit"))
    assert spool_module.cache_root() == str(tmp_path / "explicit")


def test_spooled_events_get_one_attempt_and_stay_while_the_ingest_is_down(closed_url, ingest,
                                                                         run_script):
    run_script(REPORT_AND_EXIT.replace("2.0", "0.3"), env={"KEY": KEY, "URL": closed_url},
               backoff="1")
    directory = spool_dir(run_script)
    [name] = os.listdir(directory)
    # Still down: the spooled event is tried once (no 6 s of backoff) and stays on disk,
    # and a new event is not held back behind it.
    again = run_script(timed("import os, ez_pixel\n"
                             "ez_pixel.init_pixel(os.environ['KEY'], os.environ['URL'],"
                             " shutdown_timeout=0.5)\n"
                             "import time; time.sleep(0.2)\n"), env={"KEY": KEY, "URL": closed_url},
                       backoff="1")
    assert again.returncode == 0 and exit_wait(again) < 0.5 + 0.9
    assert os.listdir(directory) == [name]


def test_a_spooled_event_the_ingest_rejects_is_deleted(closed_url, ingest, run_script):
    run_script(REPORT_AND_EXIT.replace("2.0", "0.3"), env={"KEY": KEY, "URL": closed_url},
               backoff="1")
    directory = spool_dir(run_script)
    assert len(os.listdir(directory)) == 1
    ingest.script = [400]
    run_script("import os, time, ez_pixel\n"
               "ez_pixel.init_pixel(os.environ['KEY'], os.environ['URL'])\n"
               "time.sleep(0.3)\nassert ez_pixel.flush_pixel(5)\n",
               env={"KEY": KEY, "URL": ingest.url})
    assert [r["status"] for r in ingest.requests] == [400]
    assert os.listdir(directory) == []


def test_events_held_by_a_429_pause_are_spooled_at_exit(ingest, run_script):
    ingest.script = [(429, {"Retry-After": "60"})]
    result = run_script(timed(REPORT_AND_EXIT.replace("2.0", "0.5")), env={"KEY": KEY, "URL": ingest.url})
    assert result.returncode == 0 and exit_wait(result) < 0.5 + 0.9
    [request] = ingest.requests
    assert request["status"] == 429
    assert os.listdir(spool_dir(run_script)) == [request["body"]["event_id"] + ".json"]


def test_after_one_spooled_event_fails_the_rest_wait_on_disk(closed_url, ingest, run_script):
    three = REPORT_AND_EXIT.replace("2.0", "0.3").replace(
        'ez_pixel.report_pixel("reported just before exit")',
        'for i in range(3): ez_pixel.report_pixel("spooled %d" % i)')
    run_script(three, env={"KEY": KEY, "URL": closed_url}, backoff="1")
    directory = spool_dir(run_script)
    assert len(os.listdir(directory)) == 3
    ingest.script = [503]
    result = run_script("import os, time, ez_pixel\n"
                        "ez_pixel.init_pixel(os.environ['KEY'], os.environ['URL'])\n"
                        "time.sleep(0.3)\nez_pixel.report_pixel('fresh')\n"
                        "ez_pixel.flush_pixel(5)\n", env={"KEY": KEY, "URL": ingest.url})
    assert result.returncode == 0, result.stderr
    assert [(r["status"], r["body"]["message"]) for r in ingest.requests][-1] == (200, "fresh")
    assert [r["status"] for r in ingest.requests] == [503, 200]
    assert len(os.listdir(directory)) == 3


def spool_three(closed_url, run_script):
    down = run_script(textwrap.dedent("""
        import os, ez_pixel
        ez_pixel.init_pixel(os.environ['KEY'], os.environ['URL'], shutdown_timeout=0.2)
        for n in range(3):
            ez_pixel.report_pixel("spooled %d" % n)
    """), env={"KEY": KEY, "URL": closed_url}, backoff="1")
    assert down.returncode == 0, down.stderr
    assert len(os.listdir(spool_dir(run_script))) == 3


def test_after_a_fork_each_spooled_event_is_sent_by_exactly_one_process(closed_url, ingest,
                                                                        run_script):
    # A prefork server: the master initialises, then forks three workers at once.
    spool_three(closed_url, run_script)
    result = run_script(textwrap.dedent("""
        import os, time, ez_pixel
        ez_pixel.init_pixel(os.environ['KEY'], os.environ['URL'])
        children = []
        for _ in range(3):
            pid = os.fork()
            if pid == 0:
                time.sleep(0.5)
                os._exit(0 if ez_pixel.flush_pixel(5) else 3)
            children.append(pid)
        codes = [os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) for pid in children]
        print(codes, ez_pixel.flush_pixel(5))
    """), env={"KEY": KEY, "URL": ingest.url}, timeout=30)
    assert result.stdout.strip() == "[0, 0, 0] True", result.stderr
    time.sleep(0.3)
    ids = [event["event_id"] for event in ingest.delivered]
    assert sorted(event["message"] for event in ingest.delivered) == \
        ["spooled 0", "spooled 1", "spooled 2"], ids
    assert os.listdir(spool_dir(run_script)) == []


def test_a_claim_left_by_a_dead_process_is_sent_by_the_next_start(closed_url, ingest,
                                                                  run_script):
    spool_three(closed_url, run_script)
    directory = spool_dir(run_script)
    # A process that claimed one file and was killed before sending it (pid 2**22 + 1 is
    # above Linux's default pid_max, so no live process holds it).
    name = sorted(os.listdir(directory))[0]
    os.rename(os.path.join(directory, name),
              os.path.join(directory, "%s.claimed-%d-%d" % (name, 2 ** 22 + 1, time.time())))
    up = run_script("import os, ez_pixel\n"
                    "ez_pixel.init_pixel(os.environ['KEY'], os.environ['URL'])\n"
                    "import time; time.sleep(0.3)\n"
                    "assert ez_pixel.flush_pixel(5)\n", env={"KEY": KEY, "URL": ingest.url})
    assert up.returncode == 0, up.stderr
    assert len(ingest.delivered) == 3
    assert os.listdir(directory) == []


def test_stale_claims_are_taken_over_and_a_live_one_is_left_alone(closed_url, ingest,
                                                                  run_script):
    # spec/README.md "Claims": a pid out of range names no process; a live process's claim
    # older than an hour is stale; a fresh one of a live process (this test's) is not.
    spool_three(closed_url, run_script)
    directory = spool_dir(run_script)
    out_of_range, old, live = sorted(os.listdir(directory))
    now = int(time.time())
    for name, pid, since in ((out_of_range, 2 ** 40, now), (old, os.getpid(), now - 3601),
                             (live, os.getpid(), now)):
        os.rename(os.path.join(directory, name),
                  os.path.join(directory, "%s.claimed-%d-%d" % (name, pid, since)))
    up = run_script("import os, ez_pixel\n"
                    "ez_pixel.init_pixel(os.environ['KEY'], os.environ['URL'])\n"
                    "import time; time.sleep(0.3)\n"
                    "assert ez_pixel.flush_pixel(5)\n", env={"KEY": KEY, "URL": ingest.url})
    assert up.returncode == 0, up.stderr
    assert sorted(event["event_id"] + ".json" for event in ingest.delivered) == \
        sorted([out_of_range, old])
    assert os.listdir(directory) == ["%s.claimed-%d-%d" % (live, os.getpid(), now)]


def test_a_spooled_event_that_fails_again_is_given_back_to_the_spool(closed_url, run_script):
    spool_three(closed_url, run_script)
    again = run_script("import os, ez_pixel\n"
                       "ez_pixel.init_pixel(os.environ['KEY'], os.environ['URL'],"
                       " shutdown_timeout=0.5)\n"
                       "import time; time.sleep(0.3)\n", env={"KEY": KEY, "URL": closed_url})
    assert again.returncode == 0, again.stderr
    names = os.listdir(spool_dir(run_script))
    assert len(names) == 3 and all(name.endswith(".json") for name in names), names


def test_a_slow_before_send_cannot_hold_the_exit_past_shutdown_timeout(ingest, run_script):
    result = run_script(timed(textwrap.dedent("""
        import os, time, ez_pixel
        def hook(event):
            time.sleep(10)
            return event
        ez_pixel.init_pixel(os.environ['KEY'], os.environ['URL'], before_send=hook,
                            shutdown_timeout=1.0)
        for n in range(3):
            ez_pixel.report_pixel("slow %d" % n)
    """)), env={"KEY": KEY, "URL": ingest.url}, timeout=60)
    assert result.returncode == 0, result.stderr
    assert exit_wait(result) < 1.0 + 0.9, result.stderr
    assert "before_send did not return within shutdown_timeout; 3 event(s) were not spooled" \
        in result.stderr


def test_at_exit_before_send_still_runs_on_the_events_it_spools(blackhole_url, run_script):
    # The ingest never answers: the request in flight is cut at the deadline and the worker
    # runs the hook on every event left, so the spool holds what the hook returned.
    result = run_script(timed(textwrap.dedent("""
        import os, ez_pixel
        def hook(event):
            event["context"] = {"hooked": True}
            return event
        ez_pixel.init_pixel(os.environ['KEY'], os.environ['URL'], before_send=hook,
                            shutdown_timeout=1.0)
        for n in range(3):
            ez_pixel.report_pixel("kept %d" % n)
    """)), env={"KEY": KEY, "URL": blackhole_url}, timeout=60)
    assert result.returncode == 0, result.stderr
    assert exit_wait(result) < 1.0 + 0.9
    directory = spool_dir(run_script)
    spooled = []
    for name in os.listdir(directory):
        with open(os.path.join(directory, name)) as handle:
            spooled.append(json.load(handle))
    assert sorted(event["message"] for event in spooled) == ["kept 0", "kept 1", "kept 2"]
    assert all(event["context"] == {"hooked": True} for event in spooled)


def test_a_failed_spool_write_leaves_no_temp_file_and_old_ones_are_pruned(closed_url,
                                                                          run_script):
    # A real failed write: the child may not write a file larger than 64 bytes (RLIMIT_FSIZE),
    # as on a full disk. Spooling fails; nothing is left behind, and the app exits normally.
    directory = spool_dir(run_script)
    os.makedirs(directory)
    stale = os.path.join(directory, "0000.json.1234.tmp")
    with open(stale, "w") as handle:
        handle.write("")
    os.utime(stale, (time.time() - 120, time.time() - 120))
    result = run_script(textwrap.dedent("""
        import os, resource, signal, ez_pixel
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (64, 64))
        ez_pixel.init_pixel(os.environ['KEY'], os.environ['URL'], shutdown_timeout=0.2)
        ez_pixel.report_pixel("cannot be spooled")
    """), env={"KEY": KEY, "URL": closed_url}, backoff="1")
    assert result.returncode == 0, result.stderr
    assert os.listdir(directory) == []
    assert result.stderr.count("could not write the spool") == 1, result.stderr
