"""``segur-plan serve --workers N``: N stateless processes behind one port, same answers as one."""

from __future__ import annotations

import re
import signal
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

pytest.importorskip("fastapi", reason="extra « server » absent : pip install 'segur-plan[server]'")
pytest.importorskip("uvicorn", reason="extra « server » absent : pip install 'segur-plan[server]'")

from segur_plan.engine.api import Engine  # noqa: E402
from support import EXAMPLES  # noqa: E402

from tests.server.test_http import call, expected_plan, start_python, toml_text  # noqa: E402

pytestmark = pytest.mark.slow


def _wait_for(pattern: str, log: Path, proc: subprocess.Popen, count: int = 1) -> list[str]:
    deadline = time.monotonic() + 90
    while True:
        found = re.findall(pattern, log.read_text())
        if len(found) >= count:
            return found
        assert proc.poll() is None, log.read_text()
        assert time.monotonic() < deadline, log.read_text()
        time.sleep(0.05)


def test_two_workers_answer_every_request_like_one_engine(tmp_path: Path, registry) -> None:  # noqa: ANN001
    reference = Engine(registry)
    log = tmp_path / "serve.log"
    with log.open("w") as err:
        code = "from segur_plan.cli.serve import serve_cmd\nserve_cmd(['--port', '0', '--workers', '2'])\n"
        proc = start_python(code,
                       stdout=subprocess.DEVNULL, stderr=err)
    try:
        port = int(_wait_for(r"running on http://127\.0\.0\.1:(\d+)", log, proc)[0])
        workers = _wait_for(r"Started server process \[(\d+)\]", log, proc, count=2)
        _wait_for(r"Application startup complete", log, proc, count=2)
        assert len(set(workers)) == 2

        def plan(path: Path) -> tuple[int, bytes]:
            reply = call(port, "POST", "/v1/plan?today=2025-03-01", toml_text(path).encode(), "application/toml")
            return reply.status, reply.body

        with ThreadPoolExecutor(8) as pool:
            answers = list(pool.map(plan, EXAMPLES * 3))
        for path, (status, body) in zip(EXAMPLES * 3, answers, strict=True):
            assert status == 200, body
            assert body == expected_plan(reference, path)

        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=30)
    text = log.read_text()
    assert text.count("Finished server process") == 2, text
    assert "Traceback" not in text
    assert proc.returncode == 0


def test_workers_must_be_a_positive_count() -> None:
    from click.testing import CliRunner
    from segur_plan.cli.serve import serve_cmd

    result = CliRunner().invoke(serve_cmd, ["--workers", "0"])
    assert result.exit_code == 2
