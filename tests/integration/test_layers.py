"""The layers hold: the API process never loads the engine or trafilatura; the engine imports no service code."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_api_process_loads_neither_the_engine_nor_trafilatura():
    probe = (
        "import sys\n"
        "from service import create_app\n"
        "create_app({'REDIS_URL': 'redis://127.0.0.1:1/0'})\n"
        "print(' '.join(m for m in sys.modules if m.split('.')[0] in ('trafilatura', 'lxml', 'onnxruntime')"
        " or m.startswith(('workers.engine', 'workers.pages', 'workers.queue.jobs', 'workers.queue.worker'))))\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == []


def test_the_engine_imports_no_redis_rq_flask_click_or_rich():
    forbidden = ("redis", "rq", "flask", "click", "rich", "service", "workers.queue", "workers.cli")
    for path in (ROOT / "workers" / "engine").glob("*.py"):
        for line in path.read_text(encoding="utf-8").splitlines():
            words = line.split()
            if words[:1] in (["import"], ["from"]) and len(words) > 1:
                module = words[1]
                assert not any(module == f or module.startswith(f + ".") for f in forbidden), (path.name, line)
