"""Speed of the Chinese text analysis (search/analysis.py) and of its OpenCC converter.

    .venv/bin/python bench/bench_analysis.py [--cases 20000]
        [--before-python OTHER/.venv/bin/python --before-root OTHER_CHECKOUT]

Each measurement runs in a fresh child process (start-up costs are only paid
once per process). With ``--before-*`` the same measurements also run with
another interpreter and checkout (e.g. a checkout of an older commit with its
own venv and OpenCC package), and both are printed side by side.

Corpus: ``--cases`` case texts (title, description, summary) from the labelled
corpus of bench_search.py, once as written (simplified) and once in
traditional script. The traditional copy is made by OpenCC's s2t the first
time and kept in ``--corpus-dir``, so that every run converts the same text.

Figures: the first ``normalize`` of a traditional text in a fresh process
(start-up), and each cached table it loads on its own; raw ``OpenCC.convert`` throughput; the same
through ``analysis.normalize``; ``analysis.index_tokens`` (normalise + segment,
with jieba's clause cache emptied first) over the cases, in characters per
second. A digest of the index tokens shows whether two runs analysed alike.
"""

import argparse
import hashlib
import json
import random
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def case_texts(count):
    sys.path.insert(0, str(ROOT / "bench"))
    from bench_search import TOPICS, generate_case_texts

    rng = random.Random(20261201)
    topics = sorted(TOPICS)
    texts = []
    for _ in range(count):
        _, title, description, summary, _ = generate_case_texts(rng, rng.choice(topics))
        texts.append("\n".join((title, description, summary)))
    return texts


def corpus(count, folder):
    """``(simplified, traditional)`` case texts, the traditional copy read from disk if made."""
    simplified = case_texts(count)
    path = Path(folder) / f"traditional-{count}.json"
    if path.exists():
        traditional = json.loads(path.read_text(encoding="utf-8"))
    else:
        import opencc

        s2t = opencc.OpenCC("s2t")
        traditional = [s2t.convert(text) for text in simplified]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(traditional, ensure_ascii=False), encoding="utf-8")
    return simplified, traditional


def timed(function, *args):
    started = time.perf_counter()
    result = function(*args)
    return result, time.perf_counter() - started


def child(count, folder):
    """One set of measurements in this process; prints them as JSON."""
    simplified, traditional = corpus(count, folder)
    sys.path.insert(0, str(Path.cwd()))
    started = time.perf_counter()
    import opencc

    from search import analysis

    figures = {"import_s": time.perf_counter() - started}
    figures["opencc"] = getattr(opencc, "__version__", None) or "reimplemented"
    # Cold: everything the first traditional text needs, then each table again on its own.
    _, figures["first_normalize_s"] = timed(analysis.normalize, "網格員上報樓道電動車充電")
    for key, name in TABLES:
        if hasattr(analysis, name):
            getattr(analysis, name).cache_clear()
            _, figures[key] = timed(getattr(analysis, name))
    converter = analysis._t2s()
    analysis.get_tokenizer()
    for name, texts in (("simplified", simplified), ("traditional", traditional)):
        chars = sum(map(len, texts))
        _, elapsed = timed(lambda texts=texts: [converter.convert(t) for t in texts])
        figures[f"convert_{name}_chars_s"] = chars / elapsed
        _, elapsed = timed(lambda texts=texts: [analysis.normalize(t) for t in texts])
        figures[f"normalize_{name}_chars_s"] = chars / elapsed
        analysis._block_tokens.cache_clear()
        tokens, elapsed = timed(lambda texts=texts: [analysis.index_tokens(t) for t in texts])
        figures[f"index_{name}_chars_s"] = chars / elapsed
        figures[f"index_{name}_digest"] = hashlib.sha256(
            "\n".join(" ".join(t) for t in tokens).encode()
        ).hexdigest()[:12]
        figures[f"{name}_chars"] = chars
    json.dump(figures, sys.stdout)


def run(python, root, args):
    command = [python, str(Path(__file__).resolve()), "--child", "--cases", str(args.cases)]
    command += ["--corpus-dir", args.corpus_dir]
    result = subprocess.run(command, cwd=root, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        sys.exit(f"{python} 运行失败:\n{result.stderr}")
    return json.loads(result.stdout)


# The cached tables of either version of search/analysis.py.
TABLES = [
    ("t2s_load_s", "_t2s"),
    ("traditional_chars_s", "_traditional_chars"),
    ("s2t_load_s", "_s2t"),
]

ROWS = [
    ("opencc", "OpenCC 包版本", "{}"),
    ("import_s", "导入 analysis（秒）", "{:.3f}"),
    ("first_normalize_s", "首次 normalize 繁体（秒）", "{:.4f}"),
    ("t2s_load_s", "t2s 转换器加载（秒）", "{:.4f}"),
    ("traditional_chars_s", "_traditional_chars()（秒）", "{:.4f}"),
    ("s2t_load_s", "s2t 转换器加载（秒）", "{:.4f}"),
    ("convert_simplified_chars_s", "convert 简体（字/秒）", "{:,.0f}"),
    ("convert_traditional_chars_s", "convert 繁体（字/秒）", "{:,.0f}"),
    ("normalize_simplified_chars_s", "normalize 简体（字/秒）", "{:,.0f}"),
    ("normalize_traditional_chars_s", "normalize 繁体（字/秒）", "{:,.0f}"),
    ("index_simplified_chars_s", "index_tokens 简体（字/秒）", "{:,.0f}"),
    ("index_traditional_chars_s", "index_tokens 繁体（字/秒）", "{:,.0f}"),
    ("index_simplified_digest", "简体分词摘要", "{}"),
    ("index_traditional_digest", "繁体分词摘要", "{}"),
]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=20_000)
    parser.add_argument("--corpus-dir", default="/tmp/bench-analysis")
    parser.add_argument("--before-python")
    parser.add_argument("--before-root")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.cases, args.corpus_dir)
        return
    current = run(sys.executable, ROOT, args)  # first: it writes the traditional corpus
    runs = {}
    if args.before_python:
        runs["之前"] = run(args.before_python, args.before_root or ROOT, args)
    runs["当前"] = current
    first = next(iter(runs.values()))
    print(
        f"{args.cases} 件案件，简体 {first['simplified_chars']:,} 字，繁体 {first['traditional_chars']:,} 字"
    )
    print(f"{'':34}" + "".join(f"{name:>18}" for name in runs))
    for key, label, form in ROWS:
        cells = [form.format(r[key]) if key in r else "—" for r in runs.values()]
        print(f"{label:34}" + "".join(f"{cell:>18}" for cell in cells))
    if len(runs) == 2:
        before, after = runs.values()
        for key, label, _ in ROWS:
            if key.endswith("chars_s") and key in before and key in after:
                print(f"{label}: ×{after[key] / before[key]:.1f}")


if __name__ == "__main__":
    main()
