import Foundation

/// The single page of `w2v serve`: HTML, CSS and JavaScript in one document compiled into the
/// binary (no CDN, no file read at run time), using only the JSON API.
///
/// A search box with completion (`/api/complete`), the neighbours with similarity bars
/// (`/api/similar`), their 2-D projection in SVG with hover labels (`/api/projection`), an
/// analogy form (`/api/analogy`), a model picker (`/api/models`) and the model's info
/// (`/api/info`). `/?word=king&name=MODEL` opens on a word; the address follows the searches,
/// so Back and Forward work. Every control is a form element or a link (keyboard-friendly);
/// one column on a narrow screen.
enum WebPage {
    /// What the page may load: only itself and the API.
    static let contentSecurityPolicy =
        "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'"

    static let html = Data(text.utf8)

    static let text = #"""
<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>w2v</title>
<style>
  :root { --ink: #1f2933; --muted: #61707d; --line: #d9dee3; --accent: #4e79a7; --bar: #a8c3de; --bg: #f7f8fa; }
  * { box-sizing: border-box; }
  body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; color: var(--ink); background: var(--bg); }
  header { display: flex; flex-wrap: wrap; gap: .5rem 1.25rem; align-items: center; padding: .75rem 1.25rem; background: #fff; border-bottom: 1px solid var(--line); }
  header h1 { margin: 0; font-size: 1.3rem; letter-spacing: .02em; }
  #model-info { color: var(--muted); font-size: .9rem; }
  main { display: grid; grid-template-columns: minmax(18rem, 26rem) 1fr; gap: 1.25rem; padding: 1.25rem; max-width: 80rem; margin: 0 auto; }
  section { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 1rem 1.1rem; min-width: 0; }
  h2 { font-size: 1.02rem; margin: 0 0 .6rem; }
  form { display: flex; flex-wrap: wrap; gap: .45rem; align-items: center; }
  input, select, button { font: inherit; padding: .35rem .5rem; border: 1px solid #b8c1ca; border-radius: 5px; background: #fff; color: inherit; }
  input[type=text], input:not([type]) { flex: 1 1 8rem; min-width: 6rem; }
  input[type=number] { width: 4.5rem; }
  button { background: var(--accent); border-color: var(--accent); color: #fff; cursor: pointer; }
  :focus-visible { outline: 3px solid #f28e2b; outline-offset: 1px; }
  .visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
  #error { background: #fdecea; border: 1px solid #f5c2bd; color: #8a1c12; border-radius: 6px; padding: .5rem .7rem; margin: .7rem 0 0; }
  #error small { display: block; color: #6b2a22; }
  ol.scores { list-style: none; padding: 0; margin: .7rem 0 0; }
  ol.scores li { display: grid; grid-template-columns: 1.6rem minmax(5rem, 9rem) 1fr 3.6rem; gap: .5rem; align-items: center; padding: .12rem 0; }
  ol.scores .rank { color: var(--muted); text-align: right; font-size: .85rem; }
  ol.scores a { color: var(--ink); text-decoration: none; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
  ol.scores a:hover, ol.scores a:focus { text-decoration: underline; color: var(--accent); }
  .track { height: .7rem; background: #eef1f4; border-radius: 4px; overflow: hidden; }
  .bar { height: 100%; background: var(--bar); border-radius: 4px; }
  .score { font-variant-numeric: tabular-nums; text-align: right; font-size: .9rem; }
  #projection { width: 100%; height: auto; display: block; background: #fbfbfc; border: 1px solid #eceff2; border-radius: 6px; }
  #projection text { font-size: 12px; fill: #333; pointer-events: none; }
  #projection text.query { font-weight: bold; fill: #000; }
  #projection circle { stroke: #fff; stroke-width: 1; cursor: pointer; }
  #projection circle:hover { stroke: #000; }
  .caption { color: var(--muted); font-size: .85rem; margin: .4rem 0 0; }
  .empty { color: var(--muted); }
  @media (max-width: 760px) { main { grid-template-columns: 1fr; padding: .75rem; } header { padding: .6rem .75rem; } }
</style>
</head>
<body>
<header>
  <h1>w2v</h1>
  <label>Model <select id="model" aria-label="Model"></select></label>
  <span id="model-info" aria-live="polite"></span>
</header>
<main>
  <section id="search-panel" aria-labelledby="search-title">
    <h2 id="search-title">Nearest words</h2>
    <form id="search-form" role="search" autocomplete="off">
      <label class="visually-hidden" for="word">Word</label>
      <input id="word" name="word" list="completions" placeholder="a word, e.g. king" autofocus spellcheck="false" autocapitalize="off">
      <datalist id="completions"></datalist>
      <label for="count">n</label>
      <input id="count" name="n" type="number" min="1" max="100" value="10">
      <button type="submit">Search</button>
    </form>
    <p id="error" role="alert" hidden></p>
    <ol id="neighbors" class="scores" aria-live="polite"></ol>
    <h2 style="margin-top:1.2rem">Analogy</h2>
    <form id="analogy-form" autocomplete="off" aria-label="Analogy">
      <input id="analogy-a" name="a" placeholder="man" aria-label="A" list="completions" spellcheck="false">
      <span>is to</span>
      <input id="analogy-b" name="b" placeholder="king" aria-label="B" list="completions" spellcheck="false">
      <span>as</span>
      <input id="analogy-c" name="c" placeholder="woman" aria-label="C" list="completions" spellcheck="false">
      <span>is to ?</span>
      <select id="analogy-method" aria-label="Method"><option value="add">3CosAdd</option><option value="mul">3CosMul</option></select>
      <button type="submit">Solve</button>
    </form>
    <ol id="analogy-results" class="scores" aria-live="polite"></ol>
  </section>
  <section id="projection-panel" aria-labelledby="projection-title">
    <h2 id="projection-title">Neighbourhood (PCA)</h2>
    <svg id="projection" viewBox="0 0 640 480" role="img" aria-label="2-D projection of the word and its neighbours"></svg>
    <p id="projection-caption" class="caption">Search a word to see it among its neighbours.</p>
  </section>
</main>
<script>
"use strict";
const $ = (id) => document.getElementById(id);
const state = { model: null, defaultModel: null };

async function api(path, params) {
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) if (v !== undefined && v !== null && v !== "") query.set(k, v);
  if (state.model && !query.has("name") && path !== "/api/models") query.set("name", state.model);
  const response = await fetch(path + "?" + query.toString(), { headers: { "Accept": "application/json" } });
  const body = await response.json();
  if (!response.ok) { const e = new Error(body.error || response.statusText); e.hint = body.hint; throw e; }
  return body;
}

function showError(error) {
  const box = $("error");
  if (!error) { box.hidden = true; box.textContent = ""; return; }
  box.textContent = error.message;
  if (error.hint) { const s = document.createElement("small"); s.textContent = error.hint; box.appendChild(s); }
  box.hidden = false;
}

function wordLink(word) {
  const a = document.createElement("a");
  a.textContent = word;
  a.href = "?" + new URLSearchParams({ word, name: state.model || "" }).toString();
  a.className = "word";
  a.addEventListener("click", (event) => { event.preventDefault(); $("word").value = word; search(word, true); });
  return a;
}

function renderScores(list, results) {
  list.replaceChildren();
  results.forEach((r, i) => {
    const li = document.createElement("li");
    li.dataset.word = r.word;
    const rank = document.createElement("span"); rank.className = "rank"; rank.textContent = String(i + 1);
    const track = document.createElement("span"); track.className = "track";
    const bar = document.createElement("span"); bar.className = "bar"; bar.style.display = "block";
    bar.style.width = (Math.max(0, Math.min(1, r.similarity)) * 100).toFixed(1) + "%";
    track.appendChild(bar);
    const score = document.createElement("span"); score.className = "score"; score.textContent = r.similarity.toFixed(4);
    li.append(rank, wordLink(r.word), track, score);
    list.appendChild(li);
  });
}

const palette = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"];
const SVG = "http://www.w3.org/2000/svg";

function drawProjection(doc) {
  const svg = $("projection");
  svg.replaceChildren();
  const pts = doc.points;
  if (!pts.length) return;
  const W = 640, H = 480, pad = 36;
  const xs = pts.map(p => p.x), ys = pts.map(p => p.y);
  let [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  if (x1 - x0 < 1e-9) { x0 -= 1; x1 += 1; }
  if (y1 - y0 < 1e-9) { y0 -= 1; y1 += 1; }
  const scale = Math.min((W - 2 * pad - 60) / (x1 - x0), (H - 2 * pad) / (y1 - y0));
  const ox = (W - 60 - (x1 - x0) * scale) / 2, oy = (H - (y1 - y0) * scale) / 2;
  const groups = [...new Set(pts.map(p => p.group))];
  const placed = [];
  for (const p of pts) {
    const cx = ox + (p.x - x0) * scale, cy = H - (oy + (p.y - y0) * scale);
    const c = document.createElementNS(SVG, "circle");
    c.setAttribute("cx", cx.toFixed(1)); c.setAttribute("cy", cy.toFixed(1)); c.setAttribute("r", p.query ? 6 : 4.5);
    c.setAttribute("fill", palette[groups.indexOf(p.group) % palette.length]);
    const title = document.createElementNS(SVG, "title");
    title.textContent = p.word + (p.query ? "" : " (neighbour of " + p.group + ")");
    c.appendChild(title);
    c.addEventListener("click", () => { $("word").value = p.word; search(p.word, true); });
    svg.appendChild(c);
    // Labels: to the right, moved down while they overlap one already placed.
    const w = p.word.length * 7.2, h = 14;
    let lx = cx + 7, ly = cy - h / 2;
    for (let tries = 0; tries < 12 && placed.some(b => lx < b.x + b.w && b.x < lx + w && ly < b.y + b.h && b.y < ly + h); tries++) ly += h * 0.8 * (tries % 2 ? -(tries + 1) : (tries + 1));
    placed.push({ x: lx, y: ly, w, h });
    const t = document.createElementNS(SVG, "text");
    t.setAttribute("x", lx.toFixed(1)); t.setAttribute("y", (ly + h * 0.8).toFixed(1));
    if (p.query) t.setAttribute("class", "query");
    t.textContent = p.word;
    svg.appendChild(t);
  }
  const ev = doc.explainedVariance;
  $("projection-caption").textContent = ev
    ? `PCA of ${pts.length} unit vectors: the axes explain ${(ev[0] * 100).toFixed(1)}% and ${((ev[1] || 0) * 100).toFixed(1)}% of their variance. Click a point to search it.`
    : `t-SNE of ${pts.length} unit vectors.`;
}

async function search(word, push) {
  word = (word || "").trim();
  if (!word) return;
  document.body.dataset.state = "loading";
  const n = Math.max(1, Math.min(100, parseInt($("count").value, 10) || 10));
  if (push) history.pushState({ word }, "", "?" + new URLSearchParams({ word, name: state.model }).toString());
  try {
    const similar = await api("/api/similar", { word, n });
    showError(null);
    renderScores($("neighbors"), similar.results);
    const projection = await api("/api/projection", { words: word, neighbors: n, method: "pca" });
    drawProjection(projection);
    document.body.dataset.state = "ready";
  } catch (error) {
    showError(error);
    $("neighbors").replaceChildren();
    $("projection").replaceChildren();
    document.body.dataset.state = "error";
  }
}

let completionTimer = null;
$("word").addEventListener("input", () => {
  clearTimeout(completionTimer);
  const prefix = $("word").value.trim();
  completionTimer = setTimeout(async () => {
    if (!prefix) return;
    try {
      const list = await api("/api/complete", { prefix, n: 12 });
      $("completions").replaceChildren(...list.words.map(w => { const o = document.createElement("option"); o.value = w; return o; }));
    } catch (_) { /* completion is a convenience */ }
  }, 120);
});

$("search-form").addEventListener("submit", (event) => { event.preventDefault(); search($("word").value, true); });

$("analogy-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const [a, b, c] = ["a", "b", "c"].map(k => $("analogy-" + k).value.trim() || $("analogy-" + k).placeholder);
  try {
    const result = await api("/api/analogy", { a, b, c, n: 5, method: $("analogy-method").value });
    showError(null);
    renderScores($("analogy-results"), result.results);
  } catch (error) { showError(error); $("analogy-results").replaceChildren(); }
});

async function showModel() {
  try {
    const info = await api("/api/info", {});
    const corpus = info.corpus ? " · " + info.corpus.path.split("/").pop() : "";
    $("model-info").textContent = `${info.method}, ${info.vocabularySize.toLocaleString()} words × ${info.dimension} dimensions${corpus}`;
  } catch (error) { $("model-info").textContent = error.message; }
}

$("model").addEventListener("change", () => {
  state.model = $("model").value;
  showModel();
  const word = $("word").value.trim();
  if (word) search(word, true);
});

window.addEventListener("popstate", () => {
  const word = new URLSearchParams(location.search).get("word");
  if (word) { $("word").value = word; search(word, false); }
});

(async function start() {
  const params = new URLSearchParams(location.search);
  try {
    const info = await api("/api/info", {});
    state.defaultModel = info.name;
    const list = await api("/api/models", {});
    const names = list.models.filter(m => !m.damage).map(m => m.name);
    state.model = names.includes(params.get("name")) ? params.get("name") : info.name;
    $("model").replaceChildren(...names.map(name => { const o = document.createElement("option"); o.value = name; o.textContent = name; o.selected = name === state.model; return o; }));
    await showModel();
  } catch (error) { showError(error); }
  const word = params.get("word");
  if (word) { $("word").value = word; await search(word, false); } else { document.body.dataset.state = "idle"; }
})();
</script>
</body>
</html>
"""#
}
