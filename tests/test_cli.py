import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_qa(*args, index_dir: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "QA_INDEX_DIR": str(index_dir)}
    return subprocess.run([sys.executable, "-m", "qa", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=300)


def test_build_then_ask_json(tmp_path):
    built = run_qa("build", index_dir=tmp_path / "index")
    assert built.returncode == 0, built.stderr
    assert "索引完成" in built.stdout
    asked = run_qa("ask", "宇通客车2024年卖了多少辆车?", "--json", index_dir=tmp_path / "index")
    assert asked.returncode == 0, asked.stderr
    result = json.loads(asked.stdout)
    assert result["answer"]["text"] == "6.5万辆"
    assert "6.5万辆" in result["passages"][0]["text"]

    readable = run_qa("ask", "宇通客车2024年卖了多少辆车?", "--top-k", "2", index_dir=tmp_path / "index")
    assert "答：【6.5万辆】" in readable.stdout
    assert readable.stdout.count("第") >= 2


def test_user_errors_are_one_line_not_a_traceback(tmp_path):
    result = run_qa("ask", "   ", index_dir=tmp_path / "index")
    assert result.returncode == 2
    assert "问题为空" in result.stderr and "Traceback" not in result.stderr
