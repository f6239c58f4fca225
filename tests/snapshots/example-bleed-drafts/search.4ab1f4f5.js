// loa search (docs/search.md). Words are folded (tones, marks, case removed, đ → d), so
// "mua ban nguoi" finds "mua bán người"; only the shards a query needs are fetched.
(function () {
  'use strict';
  var root = document.getElementById('search');
  if (!root || !window.fetch || !''.normalize) return;
  var form = root.querySelector('form');
  var input = form.querySelector('input');
  var status = root.querySelector('.search-status');
  var list = root.querySelector('.search-results');
  var more = root.querySelector('.search-more');
  var text = root.dataset;
  // Results shown at a time; words used; bytes of shards the last word may add as a prefix.
  var PAGE = 10, MAX_WORDS = 6, PREFIX_BUDGET = 64000;
  var cache = {}, run = 0, timer = 0, results = [], shown = 0, query = [];

  function fold(s) {
    return s.normalize('NFD').replace(/\p{M}/gu, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').toLowerCase();
  }

  function words(s) {
    return fold(s).match(/[\p{L}\p{N}]+/gu) || [];
  }

  function get(url) {
    if (!cache[url]) {
      cache[url] = fetch(url).then(function (r) {
        if (!r.ok) throw new Error(r.status);
        return r.json();
      });
      cache[url].catch(function () { delete cache[url]; });
    }
    return cache[url];
  }

  // The language's own index first, then its fallback languages' (only the documents it shows).
  function indexes() {
    return get(text.index + 'meta.json').then(function (own) {
      var used = own.fallbacks.filter(function (f) { return f.show.length; });
      return Promise.all(used.map(function (f) {
        return get(f.url + 'meta.json').then(function (meta) {
          return { base: f.url, meta: meta, show: f.show, own: own.lang };
        });
      })).then(function (others) {
        return [{ base: text.index, meta: own }].concat(others);
      });
    });
  }

  function file(key) {
    return key ? key.replace(/[^a-z0-9]/gu, function (c) { return '_' + c.codePointAt(0).toString(16); }) : '_';
  }

  // The word's shard, and for the last word those of longer words within the budget.
  function keysFor(meta, word, last) {
    var keys = Object.keys(meta.shards), home = null, longer = [], size = 0;
    keys.forEach(function (k) {
      if (word.indexOf(k) === 0 && (home === null || k.length > home.length)) home = k;
    });
    keys.forEach(function (k) {
      if (k !== home && k.indexOf(word) === 0) { longer.push(k); size += meta.shards[k]; }
    });
    return (home === null ? [] : [home]).concat(last && size <= PREFIX_BUDGET ? longer : []);
  }

  // Document → best score: exact above prefix; title (bit 32), heading (16), count (low 4).
  function scoreWord(ix, word, last) {
    return Promise.all(keysFor(ix.meta, word, last).map(function (k) {
      return get(ix.base + 't/' + file(k) + '.json?v=' + ix.meta.v);
    })).then(function (shards) {
      var best = {};
      shards.forEach(function (shard) {
        Object.keys(shard).forEach(function (term) {
          // Whole words; only the last (being typed) as a prefix.
          if (term !== word && !(last && term.indexOf(word) === 0)) return;
          var factor = term === word ? 1 : 0.8, p = shard[term], n = 0;
          for (var i = 0; i < p.length; i += 2) {
            n += p[i];
            var w = p[i + 1], s = factor * ((w & 32 ? 10 : 0) + (w & 16 ? 4 : 0) + Math.log2(1 + (w & 15)));
            if (!(best[n] >= s)) best[n] = s;
          }
        });
      });
      return best;
    });
  }

  function shows(ranges, n) {
    return ranges.some(function (r) { return n >= r[0] && n < r[1]; });
  }

  // Documents with any of the words: more words first, then by score.
  function searchIndex(ix, ws, order) {
    return Promise.all(ws.map(function (w, i) {
      return scoreWord(ix, w, i === ws.length - 1);
    })).then(function (perWord) {
      var found = [], seen = {};
      perWord.forEach(function (scores) {
        Object.keys(scores).forEach(function (key) {
          var n = +key, total = 0, words = 0;
          if (seen[n] || (ix.show && !shows(ix.show, n))) return;
          seen[n] = true;
          perWord.forEach(function (other) {
            if (n in other) { words++; total += other[n]; }
          });
          found.push({ ix: ix, n: n, score: words * 1000 + total, order: order });
        });
      });
      return found;
    });
  }

  function search(q) {
    var token = ++run;
    query = words(q).filter(function (w, i, all) { return all.indexOf(w) === i; }).slice(0, MAX_WORDS);
    list.textContent = '';
    more.hidden = true;
    if (!query.length) { status.textContent = ''; return; }
    status.textContent = text.loading;
    indexes().then(function (all) {
      return Promise.all(all.map(function (ix, i) { return searchIndex(ix, query, i); }));
    }).then(function (found) {
      if (token !== run) return;
      results = [].concat.apply([], found).sort(function (a, b) {
        return b.score - a.score || a.order - b.order || a.n - b.n;
      });
      shown = 0;
      status.textContent = !results.length ? text.none.replace('{query}', q.trim())
        : results.length === 1 ? text.one : text.many.replace('{count}', results.length);
      return showMore(token);
    }).catch(function () {
      if (token === run) status.textContent = text.error;
    });
  }

  function showMore(token) {
    var batch = results.slice(shown, shown + PAGE);
    shown += batch.length;
    return Promise.all(batch.map(function (r) {
      return get(r.ix.base + 'd/' + r.n + '.json?v=' + r.ix.meta.v);
    })).then(function (docs) {
      if (token !== run) return;
      docs.forEach(function (doc, i) { list.appendChild(item(doc, batch[i].ix)); });
      more.hidden = shown >= results.length;
    });
  }

  function el(name, className) {
    var e = document.createElement(name);
    if (className) e.className = className;
    return e;
  }

  // One result: title linking to the page in this language, section, fallback note, snippet.
  function item(doc, ix) {
    var li = el('li'), place = ix.show ? (doc.f && doc.f[ix.own]) || doc : doc;
    var a = el('a'), meta = el('p', 'search-meta'), notes = [];
    a.href = place.u;
    a.lang = ix.meta.lang;
    a.appendChild(marked(doc.t, ranges(doc.t)));
    li.appendChild(a);
    if (place.s) notes.push(place.s);
    if (ix.show) {
      var name = root.getAttribute('data-name-' + ix.meta.lang) || ix.meta.lang;
      notes.push(text.fallback.replace('{language}', name));
    }
    if (notes.length) { meta.textContent = notes.join(' · '); li.appendChild(meta); }
    var p = snippet(doc);
    p.lang = ix.meta.lang;
    li.appendChild(p);
    return li;
  }

  // Where the query's words start words of `s`, as [start, end) of the whole words.
  function ranges(s) {
    var folded = '', map = [], at = 0, out = [], m;
    for (var ch of s) {
      var f = fold(ch);
      for (var k = 0; k < f.length; k++) { folded += f[k]; map.push(at); }
      at += ch.length;
    }
    map.push(s.length);
    var re = /[\p{L}\p{N}]+/gu;
    while ((m = re.exec(folded))) {
      var w = m[0];
      if (query.some(function (q, i) { return w === q || (i === query.length - 1 && w.indexOf(q) === 0); })) {
        out.push([map[m.index], map[m.index + w.length]]);
      }
    }
    return out;
  }

  function marked(s, rs, offset) {
    var frag = document.createDocumentFragment(), at = 0;
    offset = offset || 0;
    rs.forEach(function (r) {
      var start = r[0] - offset, end = r[1] - offset;
      if (start < at || end > s.length) return;
      frag.appendChild(document.createTextNode(s.slice(at, start)));
      var m = el('mark');
      m.textContent = s.slice(start, end);
      frag.appendChild(m);
      at = end;
    });
    frag.appendChild(document.createTextNode(s.slice(at)));
    return frag;
  }

  // About 200 characters of the body around the first match, cut at spaces.
  function snippet(doc) {
    var p = el('p', 'search-snippet'), body = doc.x, rs = ranges(body);
    if (!rs.length) {
      var lead = doc.d || body.slice(0, 200) + (body.length > 200 ? '…' : '');
      p.appendChild(marked(lead, ranges(lead)));
      return p;
    }
    var start = Math.max(0, rs[0][0] - 70), end = Math.min(body.length, start + 200);
    if (start > 0) start = body.indexOf(' ', start) + 1 || start;
    if (end < body.length) end = body.lastIndexOf(' ', end) > start ? body.lastIndexOf(' ', end) : end;
    if (start > 0) p.appendChild(document.createTextNode('…'));
    p.appendChild(marked(body.slice(start, end), rs, start));
    if (end < body.length) p.appendChild(document.createTextNode('…'));
    return p;
  }

  function fromLocation() {
    return new URLSearchParams(location.search).get('q') || '';
  }

  function remember(q) {
    history.replaceState(null, '', q ? '?q=' + encodeURIComponent(q) : location.pathname);
  }

  root.querySelector('.search-nojs').remove();
  form.hidden = false;
  input.addEventListener('input', function () {
    clearTimeout(timer);
    timer = setTimeout(function () { remember(input.value); search(input.value); }, 200);
  });
  form.addEventListener('submit', function (e) {
    e.preventDefault();
    clearTimeout(timer);
    remember(input.value);
    search(input.value);
  });
  more.addEventListener('click', function () { showMore(run); });
  input.value = fromLocation();
  if (input.value) search(input.value);
})();
