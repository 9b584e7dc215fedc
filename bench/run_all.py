"""Run every ``bench/bench_*.py`` script in turn (``make bench``).

Each script runs in its own process (each sets up its own throwaway database),
prints its own figures, and a failing script does not stop the others; the exit
status is non-zero if any failed. Extra arguments are passed to every script.
"""

import subprocess
import sys
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent


def main():
    scripts = sorted(BENCH_DIR.glob("bench_*.py"))
    if not scripts:
        print("bench/ 下没有 bench_*.py 脚本")
        return 0
    failed = []
    for script in scripts:
        print(f"\n===== {script.name} =====", flush=True)
        started = time.perf_counter()
        result = subprocess.run([sys.executable, str(script)], cwd=BENCH_DIR.parent)
        elapsed = time.perf_counter() - started
        status = "ok" if result.returncode == 0 else f"FAILED (exit {result.returncode})"
        print(f"----- {script.name}: {status}, {elapsed:.1f}s", flush=True)
        if result.returncode != 0:
            failed.append(script.name)
    if failed:
        print(f"\nFailed: {', '.join(failed)}")
        return 1
    print(f"\nAll {len(scripts)} benchmark scripts finished.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
