#!/usr/bin/env python3
"""Edit-to-served latency and memory of `loa serve` on a generated site.

Generates (or reuses) a site with benches/gen_site.py, starts the release
`loa serve --port 0`, then edits one page at a time (appending a unique word) and polls the
page's URL until the new HTML is served. Reports the median of --edits edits, the time of a
full `loa build` for comparison, and the resident memory (VmRSS) after the first edit and
after --memory-edits edits. With --templates, it then times edits of three templates, each
written as a site override of the bundled one: 404.html (the not-found pages alone),
partials/list.html (the lists of sections and tags) and page.html (every page), with the
number of files each rendered.

    python3 benches/serve_edit.py --pages 10000 --site /tmp/serve-bench/site
"""

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GENERATOR = os.path.join(REPO, "benches", "gen_site.py")


def ensure_site(path, pages):
    if not os.path.isfile(os.path.join(path, "site.yaml")):
        subprocess.run([sys.executable, GENERATOR, "--engine", "loa", "--pages", str(pages),
                        "--out", path], check=True)


def default_language_pages(site):
    """Pages of the default language (no language suffix), as (file, URL path)."""
    content = os.path.join(site, "content")
    found = []
    for section in sorted(os.listdir(content)):
        folder = os.path.join(content, section)
        if not os.path.isdir(folder):
            continue
        for name in sorted(os.listdir(folder)):
            if re.fullmatch(r"[a-z0-9-]+\.md", name) and not name.startswith("_"):
                found.append((os.path.join(folder, name), f"/{section}/{name[:-3]}/"))
    return found


def fetch(url):
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.read().decode("utf-8", "replace")
    except (urllib.error.URLError, ConnectionError):
        return ""


def edit_and_wait(base, page, word, timeout=600.0):
    """Appends `word` to the page's source; seconds until its URL serves it."""
    path, url = page
    started = time.perf_counter()
    with open(path, "a", encoding="utf-8") as source:
        source.write(f"\n{word}\n")
    while word not in fetch(base + url):
        if time.perf_counter() - started > timeout:
            raise SystemExit(f"{url} never showed {word}")
        time.sleep(0.001)
    return time.perf_counter() - started


# Template, URL path showing it (None: a section's), and the text after which a marker goes.
TEMPLATE_EDITS = [
    ("404.html", "/404.html", "</h1>"),
    ("partials/list.html", None, "<ul class=\"list\">"),
    ("page.html", "PAGE", "</h1>"),
]


def template_edit_and_wait(base, site, name, url, anchor, word, timeout=120.0):
    """Writes a site override of a bundled template with `word` after `anchor`; seconds
    until `url` serves it."""
    with open(os.path.join(REPO, "themes", "default", "templates", name), encoding="utf-8") as f:
        text = f.read()
    target = os.path.join(site, "templates", name)
    os.makedirs(os.path.dirname(target), exist_ok=True)
    started = time.perf_counter()
    with open(target, "w", encoding="utf-8") as override:
        override.write(text.replace(anchor, f"{anchor}<span>{word}</span>", 1))
    while word not in fetch(base + url):
        if time.perf_counter() - started > timeout:
            raise SystemExit(f"{url} never showed {word}")
        time.sleep(0.001)
    return time.perf_counter() - started


def rss_kib(pid):
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def keep_lines(stream, lines):
    """Appends each line the server prints to `lines`, as it comes."""
    for line in stream:
        lines.append(line)


def start_server(loa, site, out, log):
    errors = open(log, "w", encoding="utf-8") if log else subprocess.DEVNULL
    process = subprocess.Popen([loa, "--root", site, "serve", "--port", "0", "--out", out],
                               stdout=subprocess.PIPE, stderr=errors, text=True,
                               env={**os.environ, "LANG": "C"})
    started = time.perf_counter()
    for line in process.stdout:
        match = re.search(r"http://([0-9.:]+)/", line)
        if match:
            lines = []
            threading.Thread(target=keep_lines, args=(process.stdout, lines), daemon=True).start()
            return process, "http://" + match.group(1), time.perf_counter() - started, lines
    raise SystemExit("loa serve stopped before serving")


def time_template_edits(base, site, pages, lines, stamp):
    """Prints the time of each template edit and the files its rebuild rendered."""
    section = pages[0][1].split("/")[1]
    urls = {None: f"/{section}/", "PAGE": pages[0][1]}
    for index, (name, url, anchor) in enumerate(TEMPLATE_EDITS):
        seen = len(lines)
        word = f"loabench{stamp}t{index}x"
        seconds = template_edit_and_wait(base, site, name, urls.get(url, url), anchor, word)
        rebuilt = wait_for_rebuild(lines, seen)
        print(f"template {name}: served in {seconds * 1000:.0f} ms; {rebuilt}")


def wait_for_rebuild(lines, seen, timeout=120.0):
    """The server's rebuild lines after line `seen`, once one has come and 0.5 s passed."""
    started = time.perf_counter()
    while not any(" ms: " in line for line in lines[seen:]):
        if time.perf_counter() - started > timeout:
            return "no rebuild line"
        time.sleep(0.01)
    time.sleep(0.5)
    return "; ".join(line.strip() for line in lines[seen:] if " ms: " in line)


def full_build_seconds(loa, site):
    out = tempfile.mkdtemp(prefix="loa-build-")
    shutil.rmtree(out)
    started = time.perf_counter()
    subprocess.run([loa, "--root", site, "--quiet", "build", "--out", out], check=True,
                   stderr=subprocess.DEVNULL)
    elapsed = time.perf_counter() - started
    shutil.rmtree(out, ignore_errors=True)
    return elapsed


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=10000)
    parser.add_argument("--site", default=os.path.join(tempfile.gettempdir(), "loa-serve-bench"))
    parser.add_argument("--loa", default=os.path.join(REPO, "target", "release", "loa"))
    parser.add_argument("--edits", type=int, default=20)
    parser.add_argument("--memory-edits", type=int, default=500)
    parser.add_argument("--skip-build", action="store_true", help="do not time a full build")
    parser.add_argument("--log", help="file for the server's standard error")
    parser.add_argument("--templates", action="store_true", help="also time template edits")
    args = parser.parse_args()

    ensure_site(args.site, args.pages)
    pages = default_language_pages(args.site)
    step = max(1, len(pages) // (args.edits + args.memory_edits))
    chosen = pages[::step]
    out = tempfile.mkdtemp(prefix="loa-serve-out-")
    shutil.rmtree(out)
    stamp = int(time.time())
    overrides = os.path.join(args.site, "templates")
    made_overrides = args.templates and not os.path.exists(overrides)
    if made_overrides:
        # Folders made before the server starts: a new folder reloads the whole site.
        os.makedirs(os.path.join(overrides, "partials"))
    process, base, startup, lines = start_server(args.loa, args.site, out, args.log)
    try:
        print(f"serve started (first full build) in {startup:.1f} s")
        times = [edit_and_wait(base, chosen[i % len(chosen)], f"loabench{stamp}e{i}x")
                 for i in range(args.edits)]
        ms = sorted(t * 1000 for t in times)
        print(f"edit -> served over {args.edits} edits: median {statistics.median(ms):.1f} ms, "
              f"min {ms[0]:.1f} ms, max {ms[-1]:.1f} ms")
        first = None
        for i in range(args.memory_edits):
            edit_and_wait(base, chosen[i % len(chosen)], f"loabench{stamp}m{i}x")
            if i == 0:
                first = rss_kib(process.pid)
        last = rss_kib(process.pid)
        print(f"VmRSS after 1 edit: {first / 1024:.1f} MiB; after {args.memory_edits} edits: "
              f"{last / 1024:.1f} MiB ({(last - first) * 100 / first:+.1f} %)")
        if args.templates:
            time_template_edits(base, args.site, pages, lines, stamp)
    finally:
        process.terminate()
        process.wait()
        shutil.rmtree(out, ignore_errors=True)
        if made_overrides:
            shutil.rmtree(overrides, ignore_errors=True)
    if not args.skip_build:
        print(f"full loa build: {full_build_seconds(args.loa, args.site):.1f} s")


if __name__ == "__main__":
    main()
