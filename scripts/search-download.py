#!/usr/bin/env python3
"""What a visitor downloads for one query on a built site's search page: meta.json, the
files of the query's words, the record files of the first ten results, and the whole text
(t/N.json) of those whose words are in neither their record's text nor their title, found
as themes/kring/static/search.js finds them (uncompressed sizes; hosts usually gzip JSON).

    python3 scripts/search-download.py PUBLIC/search [QUERY ...]
"""
import json
import math
import re
import sys
import unicodedata
from pathlib import Path


def fold(s):
    s = unicodedata.normalize("NFD", s.lower())
    return "".join(c for c in s if not unicodedata.category(c).startswith("M"))


def main():
    folder = Path(sys.argv[1])
    queries = sys.argv[2:] or ["community", "onb", "trust meetup", "zzzz"]
    meta_bytes = (folder / "meta.json").read_bytes()
    meta = json.loads(meta_bytes)
    worst = 0
    for q in queries:
        loaded = {"meta.json": len(meta_bytes)}
        total = None
        found = set()
        for t in {w for w in fold(q).split() if len(w) > 1}:
            long = len(t) >= 3
            keys = {k for k in meta["keys"] if long and k.startswith(t)}
            own = max((k for k in meta["keys"] if t.startswith(k)), key=len, default=None)
            if own:
                keys.add(own)
            scores = {}
            for k in keys:
                path = folder / "w" / (k.encode().hex() + ".json")
                loaded[path.name] = path.stat().st_size
                words = json.loads(path.read_text())["w"]
                stems = {words[t][0]} if t in words else set()
                for word, postings in words.items():
                    weight = 1 if word == t else 0.8 if postings[0] in stems else 0.5 if long and word.startswith(t) else 0
                    if not weight:
                        continue
                    found.add(word)
                    idf = math.log(1 + meta["pages"] / ((len(postings) - 1) / 2))
                    page = 0
                    for i in range(1, len(postings), 2):
                        page += postings[i]
                        scores[page] = scores.get(page, 0) + postings[i + 1] * idf * weight
            total = scores if total is None else {p: s + scores[p] for p, s in total.items() if p in scores}
        top = sorted((total or {}).items(), key=lambda x: (-x[1], x[0]))[:10]
        for page, _ in top:
            name = f"{page // meta['per_file']}.json"
            loaded["p/" + name] = (folder / "p" / name).stat().st_size
            record = json.loads((folder / "p" / name).read_text())[page % meta["per_file"]]
            shown = re.findall(r"\w+", fold(record["x"] + " " + record["t"]))
            if record.get("f") and not any(w.startswith(f) for w in shown for f in found):
                name = f"{page // meta['texts_per_file']}.json"
                loaded["t/" + name] = (folder / "t" / name).stat().st_size
        size = sum(loaded.values())
        worst = max(worst, size)
        print(f"query {q!r}: {len(total or {})} results, {len(loaded)} files, {size / 1024:.0f} KB")
    print(f"largest download for one query: {worst / 1024:.0f} KB (at most 300 KB)")


if __name__ == "__main__":
    main()
