#!/usr/bin/env python3
"""Largest download of one search query on a built loa site, following search.js's rules.

    python3 benches/search_budget.py PUBLIC_DIR [LANG...]

For every word of a language's index (as a whole query), every 1- to 3-letter prefix (as the
word being typed), and the heaviest query the script allows (MAX_WORDS words whose shards are
the biggest, the last one a short prefix pulling in the most shards), it adds up the gzipped
sizes (level 6) of meta.json files, the shard files fetched and the PAGE biggest document files
of the language (an upper bound for the first page of results). Prints the largest per language.
"""

import gzip
import json
import sys
from pathlib import Path

PAGE, MAX_WORDS, PREFIX_BUDGET = 10, 6, 64_000


def gz(path, cache={}):
    if path not in cache:
        cache[path] = len(gzip.compress(path.read_bytes(), compresslevel=6))
    return cache[path]


def shard_file(key):
    if not key:
        return "_"
    return "".join(c if c.isascii() and c.isalnum() else f"_{ord(c):x}" for c in key)


class Index:
    def __init__(self, public, code, show=None):
        self.folder = public / "search-index" / code
        self.meta = json.loads((self.folder / "meta.json").read_text())
        self.show = show
        docs = sorted((gz(p) for p in (self.folder / "d").glob("*.json")), reverse=True)
        self.heaviest_docs = sum(docs[:PAGE])

    def keys_for(self, word, last):
        keys = self.meta["shards"]
        homes = [k for k in keys if word.startswith(k)]
        home = max(homes, key=len) if homes else None
        longer = [k for k in keys if k != home and k.startswith(word)]
        size = sum(keys[k] for k in longer)
        chosen = ([home] if home is not None else []) + (longer if last and size <= PREFIX_BUDGET else [])
        return {self.folder / "t" / f"{shard_file(k)}.json" for k in chosen}

    def words(self):
        for key in self.meta["shards"]:
            yield from json.loads((self.folder / "t" / f"{shard_file(key)}.json").read_text())


def indexes(public, code):
    own = Index(public, code)
    used = [Index(public, f["lang"], f["show"]) for f in own.meta["fallbacks"] if f["show"]]
    return [own] + used


def cost(chain, words):
    files = set()
    for i, word in enumerate(words):
        for index in chain:
            files |= index.keys_for(word, i == len(words) - 1)
    metas = sum(gz(index.folder / "meta.json") for index in chain)
    docs = max(index.heaviest_docs for index in chain)
    return metas + sum(gz(f) for f in files) + docs, files


def worst(public, code):
    chain = indexes(public, code)
    vocabulary = sorted({w for index in chain for w in index.words()})
    prefixes = sorted({w[:n] for w in vocabulary for n in (1, 2, 3)})
    best = (0, [])
    for word in vocabulary + prefixes:
        total, _ = cost(chain, [word])
        best = max(best, (total, [word]))
    by_shard = {}
    for word in vocabulary:
        total, files = cost(chain, [word])
        key = frozenset(files)
        by_shard[key] = max(by_shard.get(key, (0, word)), (total, word))
    heavy = [w for _, w in sorted(by_shard.values(), reverse=True)[:MAX_WORDS]]
    last = max(prefixes, key=lambda p: cost(chain, [p])[0])
    query = list(dict.fromkeys(w for w in heavy if w != last))[: MAX_WORDS - 1] + [last]
    total, _ = cost(chain, query)
    best = max(best, (total, query))
    return best, len(vocabulary)


def main():
    public = Path(sys.argv[1])
    codes = sys.argv[2:] or sorted(p.name for p in (public / "search-index").iterdir())
    for code in codes:
        (total, words), count = worst(public, code)
        print(f"{code}: {count} words; largest query download {total / 1024:.1f} KB gzipped: {' '.join(words)!r}")


if __name__ == "__main__":
    main()
