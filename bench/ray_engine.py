"""`make bench-ray`: the ray engine against the local engine, `nlbrief translate` on the same articles.

    python bench/ray_engine.py [--data ../shared/data] [--docs 34] [--out bench/results/ray.json]

Rows, each the installed command in a process of its own, greedy, no translation memory, on the bench's
random-weight opus-mt-shaped model (bench/random_model.py, built once) and the bench's Dutch NTREX-128
documents (one file each):
- local, at the default waves (a day's 34 articles are one wave);
- ray, 1 translation actor of 2 CPUs, same waves: what Ray costs where it cannot help;
- local and ray with 1 actor of 2 CPUs and with 2 actors of 1 CPU, at waves of 8,000 characters (about 4
  articles), so that two actors have waves to share;
- the small job: one article, local and ray (Ray started and stopped by the command itself).
The ray rows start their own Ray (no --ray-address), as a user's first run does, and count that in.
Outputs of every ray row are compared with the local row of the same waves: they must be the same.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))

import random_model  # noqa: E402
import workload  # noqa: E402

NLBRIEF = str(Path(sys.executable).parent / "nlbrief")
SMALL_WAVES = "8000"
SMALL = "small waves"


def run(args: list[str]) -> dict:
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "RAY_USAGE_STATS_ENABLED": "0"}
    began = time.perf_counter()
    done = subprocess.run([NLBRIEF, *args, "--json", "--quiet"], capture_output=True, text=True, env=env)
    seconds = time.perf_counter() - began
    if done.returncode != 0:
        raise SystemExit(f"nlbrief {' '.join(args)} failed:\n{done.stderr[-2000:]}")
    summary = json.loads(done.stdout)
    return {"seconds": round(seconds, 2), "ok": summary["ok"]}


def texts(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): p.read_text() for p in sorted(folder.rglob("*.txt"))}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data")
    ap.add_argument("--docs", type=int, default=34, help="NTREX-128 documents (default 34)")
    ap.add_argument("--out", type=Path, default=BENCH / "results" / "ray.json")
    args = ap.parse_args(argv)
    model = str(random_model.build(random_model.DEFAULT_DIR))
    ids = [doc["doc_id"] for doc in workload.read_docs(args.data)[: args.docs]]
    work = Path(tempfile.mkdtemp(prefix="nlbrief-ray-bench-"))
    news = work / "news"
    workload.write_articles(args.data, ids, news)
    one = work / "one"
    workload.write_articles(args.data, ids[:1], one)
    chars = sum(len(p.read_text()) for p in news.glob("*.txt"))
    base = ["--translator-model", model, "--beams", "1", "--no-cache"]
    one_actor = ["--engine", "ray", "--ray-actors", "1", "--ray-actor-cpus", "2"]
    two_actors = ["--engine", "ray", "--ray-actors", "2", "--ray-actor-cpus", "1"]
    plan = [
        ("local", news, [], None),
        ("ray, 1 actor x 2 CPUs", news, one_actor, None),
        ("local, small waves", news, [], SMALL_WAVES),
        ("ray, 1 actor x 2 CPUs, small waves", news, one_actor, SMALL_WAVES),
        ("ray, 2 actors x 1 CPU, small waves", news, two_actors, SMALL_WAVES),
        ("small job: local", one, [], None),
        ("small job: ray", one, ["--engine", "ray"], None),
    ]  # fmt: skip
    rows = []
    made: dict[str | None, dict[str, str]] = {}
    for label, folder, extra, waves in plan:
        out = work / f"out-{len(rows)}"
        wave_args = ["--wave-chars", waves] if waves else []
        row = {"row": label, **run(["translate", str(folder), "-o", str(out), *base, *extra, *wave_args])}
        row["articles_per_min"] = round(row["ok"] * 60 / row["seconds"], 1)
        key = f"{folder.name}-{waves}"
        if extra:
            row["same_outputs_as_local"] = texts(out) == made[key]
        else:
            made[key] = texts(out)
        rows.append(row)
        print(
            f"{label:40s} {row['seconds']:7.1f} s  {row['articles_per_min']:6.1f} articles/min  "
            f"{'same outputs' if row.get('same_outputs_as_local', True) else 'OUTPUTS DIFFER'}",
            flush=True,
        )
    seconds = {row["row"]: row["seconds"] for row in rows}

    def faster(of: str, than: str) -> float:
        return seconds[than] / seconds[of]

    ratios = {
        "ray 1 actor / local, default waves": faster("ray, 1 actor x 2 CPUs", "local"),
        "ray 1 actor / local, small waves": faster(f"ray, 1 actor x 2 CPUs, {SMALL}", f"local, {SMALL}"),
        "ray 2 actors / local, small waves": faster(f"ray, 2 actors x 1 CPU, {SMALL}", f"local, {SMALL}"),
        "ray 2 actors / ray 1 actor, small waves": faster(
            "ray, 2 actors x 1 CPU, small waves", "ray, 1 actor x 2 CPUs, small waves"
        ),
    }
    overhead = seconds["small job: ray"] - seconds["small job: local"]
    for name, value in ratios.items():
        print(f"{name:45s} {value:.2f}x")
    print(f"Ray's overhead on a one-article job: {overhead:.1f} s")
    result = {
        "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "articles": len(ids), "characters": chars,
        "cpus": os.cpu_count(), "rows": rows, "ratios": {k: round(v, 2) for k, v in ratios.items()},
        "small_job_overhead_s": round(overhead, 1),
    }  # fmt: skip
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0 if all(row.get("same_outputs_as_local", True) for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
