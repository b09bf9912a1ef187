// Stemma evidence browser. Plain ES module, no build step.
//
// SECURITY: crawled text is hostile. Every string from the API reaches the
// page through textContent, createTextNode or setAttribute on inert
// attributes (title, data-*); this file never uses innerHTML,
// insertAdjacentHTML, document.write or eval.

const SVG = "http://www.w3.org/2000/svg";
const view = document.getElementById("view");

// ---------- small DOM helpers ----------

/** An element; string/number children become text nodes. */
function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  setAttrs(e, attrs);
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    e.append(typeof c === "string" || typeof c === "number" ? document.createTextNode(String(c)) : c);
  }
  return e;
}

function svg(tag, attrs = {}, ...children) {
  const e = document.createElementNS(SVG, tag);
  setAttrs(e, attrs);
  for (const c of children.flat()) {
    if (c === null || c === undefined) continue;
    e.append(typeof c === "string" ? document.createTextNode(c) : c);
  }
  return e;
}

function setAttrs(e, attrs) {
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") e.setAttribute("class", v);
    else if (k === "text") e.textContent = v;
    else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else if (k === "href") e.setAttribute("href", safeHref(v));
    else e.setAttribute(k, String(v));
  }
}

/** Only in-page routes and http(s) links; anything else becomes inert. */
function safeHref(v) {
  const s = String(v);
  if (s.startsWith("#")) return s;
  try {
    const u = new URL(s, location.href);
    if (u.protocol === "http:" || u.protocol === "https:") return u.href;
  } catch (_) {
    /* fall through */
  }
  return "#";
}

function route(...parts) {
  return "#/" + parts.map((p) => encodeURIComponent(p)).join("/");
}

function show(...nodes) {
  view.replaceChildren(...nodes.filter((n) => n !== null && n !== undefined));
}

async function api(path) {
  const res = await fetch(path, { headers: { Accept: "application/json" } });
  let body = null;
  try {
    body = await res.json();
  } catch (_) {
    /* not JSON */
  }
  if (!res.ok) throw new Error((body && body.error) || `HTTP ${res.status}`);
  return body;
}

function pct(x) {
  return `${Math.round((x || 0) * 100)}%`;
}

function count(n, one, many) {
  return `${n} ${n === 1 ? one : many}`;
}

function hostOf(url) {
  try {
    return new URL(url).hostname;
  } catch (_) {
    return "";
  }
}

/** The site of a URL or a bare domain: its host, lower-cased, without
 *  `www.` or a port (as the server's `site=` reads it); "" when that is
 *  not a dotted host name. */
function siteOf(s) {
  let t = String(s || "").trim().toLowerCase();
  const i = t.indexOf("://");
  if (i >= 0) t = t.slice(i + 3);
  t = t.split(/[/?# ]/)[0].split(":")[0];
  if (t.startsWith("www.")) t = t.slice(4);
  // A site has a dotted name ("javascript:alert(1)" has none).
  return /^[^.\s]+(\.[^.\s]+)+$/.test(t) ? t : "";
}

/** True when `host` is `site` or a host below it (not "notbbc.com" for "bbc.com"). */
function onSite(host, site) {
  return site !== "" && (host === site || host.endsWith("." + site));
}

// ---------- router ----------

async function render() {
  const parts = location.hash.replace(/^#\/?/, "").split("/").filter((p) => p !== "").map(decodeURIComponent);
  document.body.dataset.view = parts[0] || "stories";
  try {
    if (parts.length === 0) await storyList();
    else if (parts[0] === "story" && parts.length === 2) await storyView(parts[1]);
    else if (parts[0] === "compare" && parts.length === 3) await compareView(parts[1], parts[2]);
    else if (parts[0] === "doc" && parts.length === 2) await docView(parts[1]);
    else if (parts[0] === "search" && parts.length === 2) await searchView(parts[1]);
    else if (parts[0] === "site" && parts.length === 2) await siteView(parts[1]);
    else show(el("p", { class: "error" }, "No such page."));
  } catch (e) {
    show(el("p", { class: "error" }, `Error: ${e.message}`), el("p", {}, el("a", { href: "#/" }, "Back to stories")));
  }
  document.body.dataset.ready = "1";
}

window.addEventListener("hashchange", () => {
  document.body.dataset.ready = "";
  render();
});
document.getElementById("search-form").addEventListener("submit", (ev) => {
  ev.preventDefault();
  const q = document.getElementById("search-q").value.trim();
  if (q) location.hash = route("search", q);
});
document.getElementById("site-form").addEventListener("submit", (ev) => {
  ev.preventDefault();
  const site = siteOf(document.getElementById("site-q").value);
  if (site) location.hash = route("site", site);
});

// ---------- story list ----------

// A note when the stored verdicts come from an older verifier (the server
// verifies them again while no ingest comes).
async function staleNote() {
  const st = await api("/api/status");
  if (st.stored_verifier_version >= st.verifier_version) return [];
  return [
    el(
      "p",
      { class: "notice", id: "stale-note" },
      `These verdicts were made by verifier version ${st.stored_verifier_version}; ` +
        (st.read_only
          ? `this server (version ${st.verifier_version}) is read-only and shows them as they are.`
          : `they are being verified again with version ${st.verifier_version}, and may change.`),
    ),
  ];
}

async function storyList() {
  const { stories } = await api("/api/stories");
  const note = await staleNote();
  if (stories.length === 0) {
    show(el("h1", {}, "Stories"), ...note, el("p", { class: "muted" }, "No documents yet. POST some to /api/documents."));
    return;
  }
  stories.sort((x, y) => y.documents.length - x.documents.length || x.id.localeCompare(y.id));
  const rows = stories.map((s) =>
    el(
      "tr",
      { class: "story-row" },
      el("td", {}, el("a", { href: route("story", s.id), class: "story-link" }, s.title || s.documents[0] || s.id)),
      el("td", { class: "num" }, s.documents.length),
      el("td", { class: "num" }, s.relations),
      el("td", { class: "num" }, s.unseen_sources),
    ),
  );
  show(
    el("h1", {}, "Stories"),
    ...note,
    el(
      "table",
      { class: "list", id: "story-list" },
      el("thead", {}, el("tr", {}, el("th", {}, "Story"), el("th", {}, "Documents"), el("th", {}, "Copies"), el("th", {}, "Unseen sources"))),
      el("tbody", {}, rows),
    ),
  );
}

// ---------- story view: the family tree of copies ----------

function layoutTree(nodes, edges) {
  const parents = new Map(nodes.map((n) => [n.id, []]));
  for (const e of edges) if (parents.has(e.target) && parents.has(e.source)) parents.get(e.target).push(e.source);
  const depth = new Map(nodes.map((n) => [n.id, 0]));
  // Longest path from a root; bounded so that a cycle cannot loop forever.
  for (let round = 0; round < nodes.length; round++) {
    let changed = false;
    for (const n of nodes) {
      for (const p of parents.get(n.id)) {
        const d = depth.get(p) + 1;
        if (d > depth.get(n.id) && d <= nodes.length) {
          depth.set(n.id, d);
          changed = true;
        }
      }
    }
    if (!changed) break;
  }
  const layers = [];
  for (const n of nodes) {
    const d = depth.get(n.id);
    (layers[d] ||= []).push(n);
  }
  const W = 190, H = 46, GX = 36, GY = 96, PAD = 20;
  const pos = new Map();
  const widest = Math.max(...layers.map((l) => (l ? l.length : 0)));
  const width = PAD * 2 + widest * W + (widest - 1) * GX;
  layers.forEach((layer, d) => {
    if (!layer) return;
    // order by the mean x of the parents, to keep edges short
    layer.sort((a, b) => meanX(a) - meanX(b) || a.id.localeCompare(b.id));
    const total = layer.length * W + (layer.length - 1) * GX;
    let x = (width - total) / 2;
    for (const n of layer) {
      pos.set(n.id, { x, y: PAD + d * (H + GY), w: W, h: H });
      x += W + GX;
    }
  });
  function meanX(n) {
    const ps = parents.get(n.id).filter((p) => pos.has(p));
    if (ps.length === 0) return Infinity;
    return ps.reduce((s, p) => s + pos.get(p).x, 0) / ps.length;
  }
  const height = PAD * 2 + layers.length * H + (layers.length - 1) * GY;
  return { pos, width, height };
}

function clip(s, n) {
  return s.length > n ? s.slice(0, n - 1) + "…" : s;
}

function drawTree(detail) {
  const docs = new Map(detail.documents.map((d) => [d.id, d]));
  const nodes = detail.documents.map((d) => ({ id: d.id, label: d.id, sub: hostOf(d.url) || d.title || "", unseen: false }));
  for (const u of detail.unseen_sources) {
    nodes.push({ id: u.id, label: `unseen: ${u.cited || u.id}`, sub: "source not in the corpus", unseen: true });
  }
  const known = new Set(nodes.map((n) => n.id));
  for (const r of detail.relations) {
    if (!known.has(r.source)) {
      known.add(r.source);
      const unseen = r.source.startsWith("unseen:");
      nodes.push({ id: r.source, label: unseen ? `unseen: ${r.source}` : r.source, sub: "", unseen });
    }
  }
  const edges = detail.relations.map((r) => ({ source: r.source, target: r.derivative, rel: r }));
  const { pos, width, height } = layoutTree(nodes, edges);
  const root = svg("svg", {
    id: "tree",
    width,
    height,
    viewBox: `0 0 ${width} ${height}`,
    role: "img",
    "aria-label": "Family tree of copies",
  });
  root.append(
    svg(
      "defs",
      {},
      svg(
        "marker",
        { id: "arrow", viewBox: "0 0 10 10", refX: "10", refY: "5", markerWidth: "7", markerHeight: "7", orient: "auto-start-reverse" },
        svg("path", { d: "M0,0 L10,5 L0,10 z", class: "arrowhead" }),
      ),
    ),
  );
  for (const l of detail.independent) {
    const a = pos.get(l.a), b = pos.get(l.b);
    if (!a || !b) continue;
    root.append(
      svg(
        "line",
        { class: "independent", x1: a.x + a.w / 2, y1: a.y + a.h / 2, x2: b.x + b.w / 2, y2: b.y + b.h / 2 },
        svg("title", {}, `independent reports (shared sentences ${pct(l.similarity)} alike)`),
      ),
    );
  }
  for (const e of edges) {
    const s = pos.get(e.source), t = pos.get(e.target);
    if (!s || !t) continue;
    const x1 = s.x + s.w / 2, y1 = s.y + s.h, x2 = t.x + t.w / 2, y2 = t.y;
    const my = (y1 + y2) / 2;
    const g = svg("g", { class: `edge kind-${e.rel.kind}`, "data-source": e.source, "data-derivative": e.target, tabindex: "0" });
    g.append(
      svg("path", { d: `M${x1},${y1} C${x1},${my} ${x2},${my} ${x2},${y2}`, "marker-end": "url(#arrow)" }),
      svg("text", { x: (x1 + x2) / 2, y: my - 4, "text-anchor": "middle", class: "edge-label" }, `${e.rel.kind} ${pct(e.rel.confidence)}`),
      svg("title", {}, `${e.source} → ${e.target}: ${e.rel.kind}, confidence ${pct(e.rel.confidence)}, ${e.rel.evidence.length} passages, ${(e.rel.drift || []).length} drifted facts`),
    );
    if (docs.has(e.source)) {
      const go = () => (location.hash = route("compare", e.source, e.target));
      g.addEventListener("click", go);
      g.addEventListener("keydown", (ev) => ev.key === "Enter" && go());
    }
    root.append(g);
  }
  for (const n of nodes) {
    const p = pos.get(n.id);
    const g = svg("g", { class: n.unseen ? "node unseen" : "node", "data-id": n.id, tabindex: "0" });
    g.append(
      svg("rect", { x: p.x, y: p.y, width: p.w, height: p.h, rx: 6 }),
      svg("text", { x: p.x + 10, y: p.y + 19, class: "node-label" }, clip(n.label, 26)),
      svg("text", { x: p.x + 10, y: p.y + 36, class: "node-sub" }, clip(n.sub, 30)),
      svg("title", {}, n.unseen ? n.label : `${n.id}${docs.get(n.id)?.title ? " — " + docs.get(n.id).title : ""}`),
    );
    if (!n.unseen) {
      const go = () => (location.hash = route("doc", n.id));
      g.addEventListener("click", go);
      g.addEventListener("keydown", (ev) => ev.key === "Enter" && go());
    }
    root.append(g);
  }
  return root;
}

async function storyView(id) {
  const detail = await api(`/api/stories/${encodeURIComponent(id)}`);
  const title = detail.story.title || id;
  const docRows = detail.documents.map((d) =>
    el(
      "tr",
      {},
      el("td", {}, el("a", { href: route("doc", d.id) }, d.id)),
      el("td", {}, d.title || ""),
      el("td", {}, hostOf(d.url)),
      el("td", {}, d.published || ""),
      el("td", { class: "num" }, d.chars),
    ),
  );
  const relRows = detail.relations.map((r) =>
    el(
      "tr",
      { class: "relation-row" },
      el("td", {}, r.source),
      el("td", {}, r.derivative),
      el("td", {}, el("span", { class: `kind kind-${r.kind}` }, r.kind)),
      el("td", { class: "num" }, pct(r.confidence)),
      el("td", { class: "num" }, r.evidence.length),
      el("td", { class: "num" }, (r.drift || []).length),
      el("td", {}, r.source.startsWith("unseen:") ? "" : el("a", { href: route("compare", r.source, r.derivative), class: "compare-link" }, "side by side")),
    ),
  );
  // Compare picker: this story's documents are offered, and any stored id
  // may be typed (the store may hold millions: none is listed beyond the story).
  const ids = detail.documents.map((d) => d.id);
  const offered = el("datalist", { id: "story-docs" }, ids.map((x) => el("option", { value: x })));
  const pick = (name, value) => el("input", { id: name, "aria-label": name, list: "story-docs", value, size: 24, required: "required" });
  const selA = pick("compare-a", ids[0] || "");
  const selB = pick("compare-b", ids[1] || ids[0] || "");
  const form = el(
    "form",
    { id: "compare-form", class: "picker" },
    "Compare ",
    selA,
    " with ",
    selB,
    " ",
    el("button", { type: "submit" }, "Side by side"),
    el("span", { class: "muted" }, " (this story's documents, or any stored id)"),
    offered,
  );
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    const a = selA.value.trim(), b = selB.value.trim();
    if (a && b) location.hash = route("compare", a, b);
  });
  show(
    el("p", {}, el("a", { href: "#/" }, "← Stories")),
    el("h1", {}, title),
    el("h2", {}, "Family tree of copies"),
    el("p", { class: "muted" }, "Sources at the top, copies below; arrows point from source to copy. Dashed boxes are sources not in the corpus. Click an arrow for the evidence."),
    el("div", { class: "tree-wrap" }, drawTree(detail)),
    form,
    el("h2", {}, "Documents"),
    el("table", { class: "list" }, el("thead", {}, el("tr", {}, ["Id", "Title", "Site", "Published", "Chars"].map((h) => el("th", {}, h)))), el("tbody", {}, docRows)),
    el("h2", {}, "Derivations"),
    relRows.length
      ? el("table", { class: "list" }, el("thead", {}, el("tr", {}, ["Source", "Copy", "Kind", "Confidence", "Passages", "Drift", ""].map((h) => el("th", {}, h)))), el("tbody", {}, relRows))
      : el("p", { class: "muted" }, "No derivation found inside this story."),
  );
}

// ---------- side-by-side view ----------

/** byte offset (UTF-8) -> UTF-16 index, for every byte of `s` and its end. */
function byteMap(s) {
  const bytes = new TextEncoder().encode(s).length;
  const map = new Uint32Array(bytes + 1);
  let b = 0, u = 0;
  for (const ch of s) {
    const cp = ch.codePointAt(0);
    const nb = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    for (let k = 0; k < nb; k++) map[b + k] = u;
    b += nb;
    u += ch.length;
  }
  map[b] = u;
  return map;
}

/** Renders `text` into `pane`, wrapping marked byte ranges in spans. */
function renderMarked(pane, text, marks) {
  const map = byteMap(text);
  const nbytes = map.length - 1;
  const clamp = (x) => Math.max(0, Math.min(nbytes, x | 0));
  marks = marks.map((m) => ({ ...m, start: clamp(m.start), end: clamp(m.end) })).filter((m) => m.end > m.start);
  const cuts = new Set([0, nbytes]);
  for (const m of marks) {
    cuts.add(m.start);
    cuts.add(m.end);
  }
  const points = [...cuts].sort((x, y) => x - y);
  const frag = document.createDocumentFragment();
  for (let i = 0; i + 1 < points.length; i++) {
    const s = points[i], e = points[i + 1];
    const piece = text.slice(map[s], map[e]);
    if (piece === "") continue;
    const on = marks.filter((m) => m.start <= s && m.end >= e);
    if (on.length === 0) {
      frag.append(document.createTextNode(piece));
      continue;
    }
    const span = document.createElement("span");
    span.textContent = piece;
    const classes = new Set();
    const titles = [];
    for (const m of on) {
      for (const c of m.cls.split(" ")) classes.add(c);
      if (m.title) titles.push(m.title);
      if (m.ev !== undefined && !span.dataset.ev) {
        span.dataset.ev = String(m.ev);
        span.style.backgroundColor = `rgba(255, 176, 32, ${(0.1 + 0.35 * (m.sim || 0)).toFixed(3)})`;
      }
      if (m.op !== undefined) span.dataset.op = m.op;
    }
    span.setAttribute("class", [...classes].join(" "));
    if (titles.length) span.title = titles.join("\n");
    frag.append(span);
  }
  pane.replaceChildren(frag);
}

function slice(text, span) {
  const bytes = new TextEncoder().encode(text);
  return new TextDecoder().decode(bytes.slice(span[0], span[1]));
}

async function compareView(a, b) {
  const data = await api(`/api/compare?a=${encodeURIComponent(a)}&b=${encodeURIComponent(b)}`);
  const c = data.comparison;
  const A = data.a.text, B = data.b.text;
  const left = [], right = [];
  c.evidence.forEach((ev, i) => {
    left.push({ start: ev.a_span[0], end: ev.a_span[1], cls: "passage", ev: i, sim: ev.similarity, title: `passage ${i + 1}: similarity ${pct(ev.similarity)}` });
    right.push({ start: ev.b_span[0], end: ev.b_span[1], cls: "passage", ev: i, sim: ev.similarity, title: `passage ${i + 1}: similarity ${pct(ev.similarity)}` });
    (ev.diff || []).forEach((op, j) => {
      const id = `${i}-${j}`;
      if (op.op === "substitute") {
        const cls = op.synonym ? "sub syn" : "sub";
        const t = `${op.synonym ? "synonym swap" : "substitution"}: “${slice(A, op.a)}” → “${slice(B, op.b)}”`;
        left.push({ start: op.a[0], end: op.a[1], cls, op: id, title: t });
        right.push({ start: op.b[0], end: op.b[1], cls, op: id, title: t });
      } else if (op.op === "insert") {
        right.push({ start: op.b[0], end: op.b[1], cls: "ins", title: "only in this text" });
      } else if (op.op === "delete") {
        left.push({ start: op.a[0], end: op.a[1], cls: "del", title: "only in this text" });
      }
    });
  });
  // Drift spans: source side is whichever the direction says.
  const srcIsB = c.direction === "b->a";
  for (const d of c.drift || []) {
    const t = `${d.kind} drift: source “${d.source_value ?? "—"}” → copy “${d.derivative_value}”`;
    (srcIsB ? left : right).push({ start: d.derivative_span[0], end: d.derivative_span[1], cls: "drift", title: t });
    if (d.source_span) (srcIsB ? right : left).push({ start: d.source_span[0], end: d.source_span[1], cls: "drift", title: t });
  }
  const paneA = el("div", { class: "text", id: "pane-a" });
  const paneB = el("div", { class: "text", id: "pane-b" });
  renderMarked(paneA, A, left);
  renderMarked(paneB, B, right);

  const link = (attr) => (ev) => {
    const t = ev.target.closest(`[data-${attr}]`);
    if (!t) return;
    const v = t.dataset[attr];
    for (const x of document.querySelectorAll(`[data-${attr}="${CSS.escape(v)}"]`)) x.classList.toggle("active", ev.type === "mouseover");
  };
  for (const p of [paneA, paneB]) {
    for (const kind of ["mouseover", "mouseout"]) {
      p.addEventListener(kind, link("ev"));
      p.addEventListener(kind, link("op"));
    }
    p.addEventListener("click", (ev) => {
      const t = ev.target.closest("[data-ev]");
      if (!t) return;
      const other = p === paneA ? paneB : paneA;
      const mate = other.querySelector(`[data-ev="${CSS.escape(t.dataset.ev)}"]`);
      document.querySelectorAll(".picked").forEach((x) => x.classList.remove("picked"));
      for (const x of document.querySelectorAll(`[data-ev="${CSS.escape(t.dataset.ev)}"]`)) x.classList.add("picked");
      if (mate) mate.scrollIntoView({ block: "center", behavior: "smooth" });
    });
  }

  const dirText = c.direction === "a->b" ? `${a} is the source of ${b}` : c.direction === "b->a" ? `${b} is the source of ${a}` : "direction unknown";
  const subs = c.evidence.flatMap((e) => (e.diff || []).filter((o) => o.op === "substitute")).length;
  const driftList = (c.drift || []).map((d) =>
    el("li", {}, el("span", { class: "kind" }, d.kind), " source ", el("q", {}, d.source_value ?? "—"), " → copy ", el("q", {}, d.derivative_value)),
  );
  const head = (art) => el("div", { class: "pane-head" }, el("a", { href: route("doc", art.id) }, art.id), " ", el("span", { class: "muted" }, art.title || ""));
  show(
    el("p", {}, el("a", { href: "#/" }, "← Stories")),
    el("h1", {}, "Side by side"),
    el(
      "p",
      { class: "verdict" },
      el("span", { class: `kind kind-${c.kind}` }, c.kind),
      ` · ${dirText} · confidence ${pct(c.confidence)} · ${c.evidence.length} aligned passages · ${subs} substitutions · ${(c.drift || []).length} drifted facts`,
    ),
    data.word_diff_fallback ? el("p", { class: "muted", id: "fallback-note" }, "Word edits shown by a plain word diff (the comparison carried none).") : null,
    el(
      "p",
      { class: "legend" },
      el("span", { class: "passage" }, "aligned passage (tint = similarity)"),
      " ",
      el("span", { class: "sub" }, "substituted word"),
      " ",
      el("span", { class: "sub syn" }, "synonym swap"),
      " ",
      el("span", { class: "ins" }, "only on the right"),
      " ",
      el("span", { class: "del" }, "only on the left"),
      " ",
      el("span", { class: "drift" }, "fact drift"),
    ),
    el("div", { class: "side-by-side" }, el("section", {}, head(data.a), paneA), el("section", {}, head(data.b), paneB)),
    driftList.length ? el("div", {}, el("h2", {}, "Fact drift"), el("ul", { id: "drift-list" }, driftList)) : null,
  );
}

// ---------- one site: where its reporting went ----------

// What a rights team asks of its own site: which of its articles were
// copied or rewritten elsewhere, which copies of its reporting cite it while
// the original is not stored, and which of its articles derive from others.
async function siteView(site) {
  site = siteOf(site);
  document.getElementById("site-q").value = site;
  const r = await api(`/api/report?site=${encodeURIComponent(site)}`);
  const docs = new Map(r.documents.map((d) => [d.id, d]));
  const on = (id) => docs.has(id) && onSite(siteOf(docs.get(id).url), site);
  const citing = new Map(r.unseen_sources.filter((u) => onSite(siteOf(u.cited), site)).map((u) => [u.id, u]));
  const own = r.documents.filter((d) => on(d.id));
  const copies = r.relations.filter((x) => on(x.source) && !on(x.derivative));
  const uncited = r.relations.filter((x) => citing.has(x.source));
  const taken = r.relations.filter((x) => on(x.derivative) && !on(x.source));
  const docCell = (id) =>
    docs.has(id)
      ? el("td", {}, el("a", { href: route("doc", id) }, id), el("div", { class: "muted" }, siteOf(docs.get(id).url) || "no URL"))
      : el("td", {}, id.startsWith("unseen:") ? `${id} (cites ${citing.get(id)?.cited || "no site"})` : id);
  const table = (id, rows) =>
    el(
      "table",
      { class: "list", id },
      el("thead", {}, el("tr", {}, el("th", {}, "Source"), el("th", {}, "Derivative"), el("th", {}, "Kind"), el("th", {}, "Confidence"), el("th", {}, "Drifted facts"), el("th", {}, ""))),
      el(
        "tbody",
        {},
        rows.map((x) =>
          el(
            "tr",
            { class: "relation-row" },
            docCell(x.source),
            docCell(x.derivative),
            el("td", {}, el("span", { class: `kind kind-${x.kind}` }, x.kind)),
            el("td", { class: "num" }, pct(x.confidence)),
            el("td", { class: "num" }, (x.drift || []).length),
            el("td", {}, docs.has(x.source) ? el("a", { href: route("compare", x.source, x.derivative), class: "compare-link" }, "side by side") : ""),
          ),
        ),
      ),
    );
  const section = (title, id, rows, none) => [el("h2", {}, `${title} (${rows.length})`), rows.length ? table(id, rows) : el("p", { class: "muted" }, none)];
  if (own.length === 0 && citing.size === 0) {
    show(el("h1", {}, "Site: ", site), el("p", { class: "muted", id: "site-empty" }, "No stored document is on this site, and none cites it."));
    return;
  }
  const stories = r.stories.map((s) => el("li", {}, el("a", { href: route("story", s.id) }, s.title || s.id), ` · ${s.documents.length} documents`));
  show(
    el("p", {}, el("a", { href: "#/" }, "← Stories")),
    el("h1", {}, "Site: ", site),
    el(
      "p",
      { id: "site-summary" },
      `${count(own.length, "stored article", "stored articles")} on this site; ${count(copies.length, "copy", "copies")} of them elsewhere; ` +
        `${count(uncited.length, "copy", "copies")} citing it whose original is not stored; ${count(taken.length, "article", "articles")} of its own derived from other sites.`,
    ),
    ...section("Its articles, copied elsewhere", "site-copies", copies, "No copy of its articles on other sites."),
    ...section("Copies that cite it, original not stored", "site-unseen", uncited, "No copy names it as the source of an article that is not stored."),
    ...section("Its articles that derive from other sites", "site-taken", taken, "None of its articles derives from another site's."),
    el("h2", {}, "Stories"),
    el("ul", { id: "site-stories" }, stories),
  );
}

// ---------- single document and search ----------

async function docView(id) {
  const d = await api(`/api/documents/${encodeURIComponent(id)}`);
  show(
    el("p", {}, el("a", { href: "#/" }, "← Stories")),
    el("h1", {}, d.title || d.id),
    el(
      "dl",
      { class: "meta" },
      el("dt", {}, "Id"), el("dd", {}, d.id),
      el("dt", {}, "URL"), el("dd", {}, d.url ? (/^https?:\/\//i.test(d.url) ? el("a", { href: d.url, rel: "noopener noreferrer nofollow" }, d.url) : d.url) : "—"),
      el("dt", {}, "Site"), el("dd", {}, siteOf(d.url) ? el("a", { href: route("site", siteOf(d.url)), id: "doc-site" }, `${siteOf(d.url)}: its articles' copies`) : "—"),
      el("dt", {}, "Published"), el("dd", {}, d.published || "—"),
      el("dt", {}, "Author"), el("dd", {}, d.author || "—"),
      el("dt", {}, "Cites"), el("dd", {}, (d.cited || []).join(", ") || "—"),
    ),
    el("div", { class: "text", id: "doc-text" }, d.text),
  );
}

async function searchView(q) {
  document.getElementById("search-q").value = q;
  const { hits } = await api(`/api/search?q=${encodeURIComponent(q)}`);
  show(
    el("h1", {}, "Search: ", el("q", {}, q)),
    hits.length
      ? el(
          "ol",
          { class: "hits" },
          hits.map((h) =>
            el(
              "li",
              {},
              el("a", { href: route("doc", h.id) }, h.title || h.id),
              h.story ? [" · ", el("a", { href: route("story", h.story) }, `story ${h.story}`)] : null,
              el("div", { class: "snippet" }, h.snippet),
            ),
          ),
        )
      : el("p", { class: "muted" }, "Nothing found."),
  );
}

render();
