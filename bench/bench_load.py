"""Load benchmark: the demo site under gunicorn, driven over loopback.

    .venv/bin/python bench/bench_load.py [--duration 10] [--connections 8]

1. builds a fresh SQLite database in a temporary directory and loads the demo data;
2. serves it with gunicorn (2 sync workers) on 127.0.0.1 with bench/load_settings.py
   (rate limits off, plus a benchmark-only bare view);
3. drives, one after the other at a fixed concurrency, the home page, the notice
   list, a disclosure page, the case search JSON and Open311 requests.json — each
   anonymous (served by the page cache), then uncached (a ``bench_nocache``
   cookie makes the page cache step aside), then a bare Django view returning a
   body of the same size;
4. prints throughput, p50/p95/p99 latency and the error count per endpoint, and
   the ratios cached/bare and uncached/bare measured in the same run.

Load comes from ``wrk`` when it is installed (apt-get install wrk), otherwise
from a small thread-pool generator in this file. Everything is bounded in time
(``--duration`` per endpoint) and stays on 127.0.0.1. Exit status is non-zero
if any request failed.
"""

import argparse
import http.client
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
PYTHON = sys.executable
HOST = "127.0.0.1"

WRK_SCRIPT = r"""
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests":%d,"duration_us":%d,"bytes":%d,"errors":%d,"non_2xx":%d,' ..
    '"p50":%d,"p95":%d,"p99":%d}\n',
    summary.requests, summary.duration, summary.bytes,
    e.connect + e.read + e.write + e.timeout, e.status,
    latency:percentile(50.0), latency:percentile(95.0), latency:percentile(99.0)))
end
"""


def free_port():
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def environment(workdir):
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "load_settings",
            "PYTHONPATH": os.pathsep.join([str(BENCH), str(ROOT)]),
            "DATABASE_URL": f"sqlite:///{workdir / 'bench.sqlite3'}",
            "PORTAL_VAR_DIR": str(workdir),
            "MEDIA_ROOT": str(workdir / "media"),
            "SEARCH_BACKEND": "embedded",
        }
    )
    env.pop("REDIS_URL", None)
    (workdir / "static").mkdir(exist_ok=True)  # WhiteNoise warns when STATIC_ROOT is missing
    return env


def prepare_database(env):
    for command in (["migrate", "--noinput"], ["load_demo_data"]):
        subprocess.run(
            [PYTHON, "manage.py", *command],
            cwd=ROOT,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )


def start_server(env, port, workers):
    gunicorn = Path(PYTHON).with_name("gunicorn")
    process = subprocess.Popen(
        [
            str(gunicorn),
            "portal.wsgi:application",
            "--config",
            str(ROOT / "gunicorn.conf.py"),
            "--workers",
            str(workers),
            "--bind",
            f"{HOST}:{port}",
            "--log-level",
            "warning",
            "--timeout",
            "60",
        ],
        cwd=ROOT,
        env=env,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit("gunicorn 未能启动")
        try:
            with urllib.request.urlopen(f"http://{HOST}:{port}/__bench__/bare/10/", timeout=2):
                return process
        except OSError:
            time.sleep(0.3)
    process.terminate()
    raise SystemExit("gunicorn 60 秒内未就绪")


def fetch(base, path):
    with urllib.request.urlopen(base + path, timeout=30) as response:
        return response.status, response.read()


def endpoints(base):
    """The five pages to measure; the disclosure page is looked up through the API."""
    query = urllib.parse.urlencode({"type": "pages.DisclosurePage", "limit": 1})
    _status, body = fetch(base, f"/api/v2/pages/?{query}")
    items = json.loads(body)["items"]
    if not items:
        raise SystemExit("演示数据中没有村务公开页面")
    disclosure = urllib.parse.urlsplit(items[0]["meta"]["html_url"]).path
    search = "/api/cases/search/?" + urllib.parse.urlencode({"q": "漏水"})
    return [
        ("首页 /", "/"),
        ("通知列表", "/notices/"),
        ("村务公开页", disclosure),
        ("案件检索 JSON", search),
        ("Open311 requests.json", "/open311/v2/requests.json"),
    ]


NOCACHE_COOKIE = "bench_nocache=1"


def run_wrk(url, duration, connections, threads, cookie=None):
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT)
    try:
        result = subprocess.run(
            [
                "wrk",
                f"-t{threads}",
                f"-c{connections}",
                f"-d{duration}s",
                "--timeout",
                "30s",
                "-s",
                script.name,
                *(["-H", f"Cookie: {cookie}"] if cookie else []),
                url,
            ],
            capture_output=True,
            text=True,
            timeout=duration + 60,
            check=True,
        )
    finally:
        os.unlink(script.name)
    line = [ln for ln in result.stdout.splitlines() if ln.startswith("{")][-1]
    data = json.loads(line)
    seconds = data["duration_us"] / 1e6
    return {
        "requests": data["requests"],
        "rps": data["requests"] / seconds if seconds else 0.0,
        "p50": data["p50"] / 1000,
        "p95": data["p95"] / 1000,
        "p99": data["p99"] / 1000,
        "errors": data["errors"] + data["non_2xx"],
    }


def run_python(url, duration, connections, max_requests=200_000, cookie=None):
    """Fallback generator: ``connections`` threads, each one request at a time."""
    parts = urllib.parse.urlsplit(url)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    latencies, errors, lock = [], [0], threading.Lock()
    stop_at = time.monotonic() + duration

    def worker():
        local = []
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        while time.monotonic() < stop_at and len(latencies) + len(local) < max_requests:
            started = time.perf_counter()
            try:
                connection.request("GET", target, headers={"Cookie": cookie} if cookie else {})
                response = connection.getresponse()
                response.read()
                ok = 200 <= response.status < 400
                if response.getheader("Connection", "").lower() == "close":
                    connection.close()
            except OSError:
                ok = False
                connection.close()
            local.append(time.perf_counter() - started)
            if not ok:
                with lock:
                    errors[0] += 1
        with lock:
            latencies.extend(local)

    started = time.monotonic()
    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    cuts = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [0.0] * 99
    return {
        "requests": len(latencies),
        "rps": len(latencies) / elapsed,
        "p50": cuts[49] * 1000,
        "p95": cuts[94] * 1000,
        "p99": cuts[98] * 1000,
        "errors": errors[0],
    }


def measure(base, path, args, cookie=None):
    url = base + path
    if args.generator == "wrk":
        return run_wrk(url, args.duration, args.connections, args.threads, cookie)
    return run_python(url, args.duration, args.connections, cookie=cookie)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=10, help="每个地址压测秒数（默认10）")
    parser.add_argument("--connections", type=int, default=8, help="并发连接数（默认8）")
    parser.add_argument("--threads", type=int, default=2, help="wrk 线程数（默认2）")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn 进程数（默认2）")
    parser.add_argument(
        "--generator",
        choices=["wrk", "python"],
        default="wrk" if shutil.which("wrk") else "python",
        help="压测工具（默认：有 wrk 用 wrk）",
    )
    parser.add_argument(
        "--from-db",
        type=Path,
        help="复制一个已载入演示数据的 SQLite 文件，而不是重新载入（机器繁忙时省时间）",
    )
    args = parser.parse_args()
    if not 1 <= args.duration <= 120 or not 1 <= args.connections <= 64:
        parser.error("--duration 应在1–120秒之间，--connections 应在1–64之间")

    workdir = Path(tempfile.mkdtemp(prefix="portal-bench-load-"))
    env = environment(workdir)
    server = None
    try:
        print(f"准备数据库（{workdir}）并载入演示数据…", flush=True)
        if args.from_db:
            shutil.copyfile(args.from_db, workdir / "bench.sqlite3")
            for suffix in ("-wal", "-shm"):
                if Path(f"{args.from_db}{suffix}").exists():
                    shutil.copyfile(f"{args.from_db}{suffix}", workdir / f"bench.sqlite3{suffix}")
        else:
            prepare_database(env)
        port = free_port()
        server = start_server(env, port, args.workers)
        base = f"http://{HOST}:{port}"
        print(
            f"gunicorn {args.workers} 个进程于 {base}；压测工具 {args.generator}，"
            f"并发 {args.connections}，每个地址 {args.duration} 秒\n",
            flush=True,
        )
        rows = []
        for label, path in endpoints(base):
            status, body = fetch(base, path)
            if status != 200:
                raise SystemExit(f"{label} {path} 返回 {status}")
            size = len(body)
            bare_path = f"/__bench__/bare/{size}/"
            for _ in range(4 * args.workers):  # every worker loads its code and caches
                fetch(base, path)
                fetch(base, bare_path)
            page = measure(base, path, args)
            uncached = measure(base, path, args, cookie=NOCACHE_COOKIE)
            bare = measure(base, bare_path, args)
            rows.append((label, size, page, uncached, bare))
            print(
                f"  {label}: 缓存 {page['rps']:.0f} 次/秒，未缓存 {uncached['rps']:.0f}，"
                f"空视图 {bare['rps']:.0f}，错误 {page['errors'] + uncached['errors'] + bare['errors']}",
                flush=True,
            )
        report(rows, args)
        total_errors = sum(p["errors"] + u["errors"] + b["errors"] for _l, _s, p, u, b in rows)
        print(f"\n错误总数：{total_errors}（应为 0）")
        return 1 if total_errors else 0
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
        shutil.rmtree(workdir, ignore_errors=True)


def report(rows, args):
    header = (
        f"\n{'地址':<22}{'字节':>8}{'缓存次/秒':>10}{'p50ms':>8}{'p99ms':>8}"
        f"{'未缓存次/秒':>12}{'p50ms':>8}{'p99ms':>8}{'空视图次/秒':>12}{'空p50':>7}"
        f"{'缓存比':>8}{'未缓存比':>9}"
    )
    print(header)
    for label, size, page, uncached, bare in rows:
        ratio = page["rps"] / bare["rps"] if bare["rps"] else 0.0
        uratio = uncached["rps"] / bare["rps"] if bare["rps"] else 0.0
        print(
            f"{label:<22}{size:>8}{page['rps']:>10.0f}{page['p50']:>8.1f}{page['p99']:>8.1f}"
            f"{uncached['rps']:>12.0f}{uncached['p50']:>8.1f}{uncached['p99']:>8.1f}"
            f"{bare['rps']:>12.0f}{bare['p50']:>7.1f}{ratio:>8.2f}{uratio:>9.2f}"
        )
    print(
        "\n缓存比/未缓存比 = 页面吞吐 ÷ 同样大小空视图的吞吐（同一次运行、同一中间件栈）；"
        "越接近 1 说明页面越接近框架本身的下限。案件检索 JSON 的缓存按查询串分键。"
    )


if __name__ == "__main__":
    sys.exit(main())
