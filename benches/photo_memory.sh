#!/usr/bin/env bash
# Peak memory of a build with 16 photos of 7000×7000 on one page (finding 11 of robustness
# round 2). Needs ImageMagick (`convert`, or $CONVERT) and GNU time (`apt-get install time`).
#   benches/photo_memory.sh [LOA_BINARY] [THREADS...]
# e.g. benches/photo_memory.sh target/debug/loa 2 16
set -euo pipefail
loa=$(realpath "${1:-target/debug/loa}")
shift || true
threads=("${@:-2 16}")
site=$(mktemp -d)
trap 'rm -rf "$site"' EXIT
mkdir -p "$site/content/anh"
cat > "$site/site.yaml" <<'YAML'
title: Bench
base_url: https://example.org
languages:
  - code: vi
hotlines:
  - id: "111"
    number: "111"
    display: "111"
    free: true
YAML
printf -- '---\ntitle: Trang chu\n---\n' > "$site/content/_index.md"
"${CONVERT:-/usr/bin/convert}" -size 7000x7000 gradient:navy-orange -quality 85 "$site/base.jpg"
body=$'---\ntitle: Anh\n---\n\n'
for n in $(seq 0 15); do
  # Bytes after the end marker make each file (and so its cache key) different.
  { cat "$site/base.jpg"; printf 'photo %s' "$n"; } > "$site/content/anh/anh-$n.jpg"
  body+="![Anh $n](anh-$n.jpg)"$'\n\n'
done
rm "$site/base.jpg"
printf '%s' "$body" > "$site/content/anh/index.md"
for t in ${threads[@]}; do
  rm -rf "$site/public" "$site/.loa-cache"
  (cd "$site" && RAYON_NUM_THREADS=$t /usr/bin/time -v "$loa" build > /dev/null 2> time.txt) \
    || { cat "$site/time.txt"; exit 1; }
  rss=$(grep 'Maximum resident' "$site/time.txt" | awk '{print $NF}')
  wall=$(grep 'Elapsed (wall' "$site/time.txt" | awk '{print $NF}')
  echo "threads=$t peak_rss=$((rss / 1024)) MiB wall=$wall"
done
