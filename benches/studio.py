#!/usr/bin/env python3
"""Speed of the studio of `loa serve` on a generated site.

Generates (or reuses) a site with benches/gen_site.py, starts `loa serve --port 0`, and times,
over --runs runs each (median and worst): the page list (GET /_studio/api/pages), opening an
editor (GET /_studio/api/file), a preview of unsaved text (POST /_studio/api/preview), and a
save served on the site (POST /_studio/api/save until the public page shows the new text).
The first page list and the first preview, which may wait for the studio to read the whole
site once, are reported apart, and so are a page list and a preview right after the saves
(the studio follows the saved page instead of reading the site again).

Targets (issue 20): list < 300 ms, editor < 200 ms, preview < 150 ms, save served < 100 ms.

    python3 benches/studio.py --pages 10000 --site /tmp/studio-bench/site --loa target/release/loa
"""

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import threading
import time
import urllib.request

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GENERATOR = os.path.join(REPO, "benches", "gen_site.py")


def ensure_site(path, pages):
    if not os.path.isfile(os.path.join(path, "site.yaml")):
        subprocess.run([sys.executable, GENERATOR, "--engine", "loa", "--pages", str(pages),
                        "--out", path], check=True)


def first_page(site):
    """A page of the default language in a section, as (path relative to the site, URL path)."""
    content = os.path.join(site, "content")
    for section in sorted(os.listdir(content)):
        folder = os.path.join(content, section)
        if os.path.isdir(folder):
            for name in sorted(os.listdir(folder)):
                if re.fullmatch(r"[a-z0-9-]+\.md", name) and not name.startswith("_"):
                    return f"content/{section}/{name}", f"/{section}/{name[:-3]}/"
    raise SystemExit("no page found")


class Studio:
    def __init__(self, base):
        self.base = base
        page = self.get("/_studio/").decode()
        self.token = re.search(r'name="loa-token" content="([0-9a-f]+)"', page).group(1)

    def get(self, path):
        with urllib.request.urlopen(self.base + path, timeout=120) as response:
            return response.read()

    def post(self, path, body):
        request = urllib.request.Request(
            self.base + path, data=json.dumps(body).encode(), method="POST",
            headers={"x-loa-token": self.token, "Origin": self.base,
                     "Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=120) as response:
            return json.loads(response.read())


def timed(action):
    started = time.perf_counter()
    action()
    return (time.perf_counter() - started) * 1000


def report(name, times, target):
    median, worst = statistics.median(times), max(times)
    verdict = "ok" if median < target else "OVER"
    print(f"{name:<28} median {median:8.1f} ms  worst {worst:8.1f} ms  target {target} ms  {verdict}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=10000, help="pages per language")
    ap.add_argument("--site", required=True)
    ap.add_argument("--loa", default=os.path.join(REPO, "target", "release", "loa"))
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--pause", type=float, default=1.0,
                    help="seconds between saves, for the rest of the site to follow each")
    args = ap.parse_args()
    args.loa = os.path.abspath(args.loa)
    ensure_site(args.site, args.pages)
    server = subprocess.Popen([args.loa, "serve", "--port", "0"], cwd=args.site,
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                              env={**os.environ, "LANG": "C"})
    try:
        base = None
        started = time.perf_counter()
        for line in server.stdout:
            found = re.search(r"http://[0-9.:]+", line)
            if found and base is None:
                base = found.group(0)
            if "/_studio/" in line:
                break
        print(f"loa serve ready in {time.perf_counter() - started:.1f} s")
        rebuilds = []
        threading.Thread(target=lambda: rebuilds.extend(server.stdout), daemon=True).start()
        studio = Studio(base)
        path, url = first_page(args.site)
        first_list = timed(lambda: studio.get("/_studio/api/pages"))
        print(f"{'first page list':<28} {first_list:8.1f} ms")
        report("page list", [timed(lambda: studio.get("/_studio/api/pages")) for _ in range(args.runs)], 300)
        opened = {}
        def open_editor():
            opened.update(json.loads(studio.get(f"/_studio/api/file?path={path}")))
        report("editor opens", [timed(open_editor) for _ in range(args.runs)], 200)
        def preview(word):
            return timed(lambda: studio.post("/_studio/api/preview", {"path": path, "fields": {}, "body": opened["body"] + f"\n{word}\n"}))
        print(f"{'first preview':<28} {preview('x'):8.1f} ms")
        report("preview of unsaved text", [preview(f"bản nháp {i}") for i in range(args.runs)], 150)
        saves = []
        for i in range(args.runs):
            current = json.loads(studio.get(f"/_studio/api/file?path={path}"))
            word = f"studiobench{i}x{int(time.time() * 1000)}"
            started = time.perf_counter()
            studio.post("/_studio/api/save", {"path": path, "version": current["version"], "fields": {}, "body": current["body"] + f"\n{word}\n"})
            while word not in studio.get(url).decode("utf-8", "replace"):
                time.sleep(0.005)
            saves.append((time.perf_counter() - started) * 1000)
            time.sleep(args.pause)
        report("save served on the site", saves, 100)
        print(f"{'page list after the saves':<28} {timed(lambda: studio.get('/_studio/api/pages')):8.1f} ms")
        opened.update(json.loads(studio.get(f"/_studio/api/file?path={path}")))
        print(f"{'preview after the saves':<28} {preview('sau khi lưu'):8.1f} ms")
        print("loa serve's rebuilds (its own page first, then the rest of the site):")
        for line in rebuilds:
            print("   ", line.rstrip())
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
