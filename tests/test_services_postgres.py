"""tests/services/postgres.py: the throwaway cluster starts, serves loopback
only, and is gone afterwards, also when the runner is told to stop.

These start clusters of their own (seconds each), so they run in the
PostgreSQL run of the suite, where the server binaries are known to be there.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from database_support import on_postgres

pytestmark = pytest.mark.skipif(not on_postgres(), reason="runs under make test-postgres")

SCRIPT = Path(__file__).parent / "services" / "postgres.py"


def _refused(port: int) -> bool:
    import psycopg

    try:
        psycopg.connect(f"postgresql://postgres@127.0.0.1:{port}/postgres",
                        connect_timeout=3).close()
    except psycopg.OperationalError:
        return True
    return False


def test_the_cluster_listens_on_loopback_and_is_removed_on_stop():
    import psycopg
    from services.postgres import PostgresCluster

    cluster = PostgresCluster().start()
    folder, port = cluster.tmpdir, cluster.port
    try:
        assert cluster.url() == f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
        with psycopg.connect(f"postgresql://postgres@127.0.0.1:{port}/postgres") as conn:
            assert conn.execute("SHOW listen_addresses").fetchone()[0] == "127.0.0.1"
            assert conn.execute("SHOW unix_socket_directories").fetchone()[0] == str(folder)
            assert conn.execute("SELECT current_user").fetchone()[0] == "postgres"
    finally:
        cluster.stop()
    assert not folder.exists()
    assert _refused(port)
    cluster.stop()  # a second stop does nothing


def test_run_passes_the_url_and_returns_the_commands_status(tmp_path):
    probe = ("import os, sys, psycopg\n"
             "url = os.environ['INTAKE_TEST_DATABASE_URL']\n"
             "print(url)\n"
             "psycopg.connect(url.replace('+psycopg', '')).close()\n"
             "sys.exit(3)\n")
    env = {k: v for k, v in os.environ.items() if k != "INTAKE_TEST_DATABASE_URL"}
    done = subprocess.run([sys.executable, str(SCRIPT), "run", "--", sys.executable, "-c", probe],
                          capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 3, done.stderr
    url = done.stdout.strip()
    assert url.startswith("postgresql+psycopg://postgres@127.0.0.1:")
    assert _refused(int(url.rsplit(":", 1)[1].split("/")[0]))


def test_a_stopped_runner_stops_its_command_and_the_cluster(tmp_path):
    marker = tmp_path / "url"
    waiter = (f"import os, time\nopen({str(marker)!r}, 'w').write("
              "os.environ['INTAKE_TEST_DATABASE_URL'])\ntime.sleep(600)\n")
    log = tmp_path / "runner.log"
    with log.open("wb") as out:
        runner = subprocess.Popen([sys.executable, str(SCRIPT), "run", "--", sys.executable,
                                   "-c", waiter], stdout=out, stderr=out)
    try:
        for _ in range(600):  # until the command runs (the cluster is up)
            if marker.exists() and marker.read_text():
                break
            assert runner.poll() is None, log.read_text()
            time.sleep(0.1)
        runner.send_signal(signal.SIGTERM)
        assert runner.wait(timeout=120) == 128 + signal.SIGTERM, log.read_text()
    finally:
        if runner.poll() is None:
            runner.kill()
    url = marker.read_text()
    assert _refused(int(url.rsplit(":", 1)[1].split("/")[0]))
