// Drives the Stemma evidence browser in Debian's headless Chromium.
//
// Starts the server on a free loopback port, ingests a source, a
// synonym-spun copy and hostile documents through the API, then walks the
// page: story list -> story (family tree) -> side by side. Asserts the
// substitutions are highlighted and that no payload ran.
//
// Environment:
//   STEMMA_SERVER_CMD  command starting the server; `{addr}` is replaced by
//                      HOST:PORT (default: the demo_server example binary
//                      with `--addr {addr}`)
//   CHROMIUM           browser binary (default /usr/bin/chromium)
//   SCREENSHOT_DIR     where screenshots go (default ./screenshots, git-ignored)
import { spawn } from "node:child_process";
import { mkdtempSync, mkdirSync, rmSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, "../..");
const shots = path.resolve(process.env.SCREENSHOT_DIR || path.join(here, "screenshots"));
const browserPath = process.env.CHROMIUM || "/usr/bin/chromium";

const SOURCE = `Harbour fire closes port for three days

Harbour officials said the fire started at 3am in a warehouse near the north pier.
Twelve crews fought the blaze for six hours before it was under control.
The port will stay closed until Friday, officials said, while engineers inspect the quay.
No one was hurt, according to the harbour master.`;

const SPUN = `Harbour fire closes port for three days

Harbour officers said the fire started at 3am in a warehouse near the north pier.
Twelve crews fought the blaze for six hours before it was under control.
The port will stay closed until Friday, officers said, while engineers inspect the quay.
No one was hurt, according to the harbour master.`;

const PAYLOAD_TITLE = `<img src=x onerror="window.__pwned=1;alert(1)"> Harbour gossip`;
const HOSTILE = `${PAYLOAD_TITLE}

<script>window.__pwned=1; alert(1)</script> Readers reported smoke near the harbour.
<svg onload="window.__pwned=1">  <iframe src="javascript:window.__pwned=1"></iframe>
The fire started at 3am, officials said. <a href="javascript:alert(1)">click</a>`;

// A hostile title on a story of its own (the hostile texts above report the
// harbour fire, so they join its story, whose title is the original's).
const HOSTILE_ALONE = `<img src=x onerror="window.__pwned=1;alert(1)"> Chess club results

The Kilbrack chess club held its winter tournament in the parish hall on Sunday.
Forty players took part, and the junior section was won by a nine-year-old from Carrow.
The club meets every Tuesday evening and welcomes beginners.`;

// HTML whose *text* (after entity decoding) is markup: extraction yields a
// literal "<img ... onerror=...>" string that must still be shown as text.
const HOSTILE_HTML = `<!doctype html><html><head><title>&lt;img src=x onerror=window.__pwned=1&gt; Quay report</title></head>
<body><article><h1>&lt;img src=x onerror=window.__pwned=1&gt; Quay report</h1>
<p>Engineers inspected the quay on Thursday &lt;script&gt;window.__pwned=1&lt;/script&gt; and found cracks in the north pier.</p>
<p>The harbour master said repairs would take weeks, and the quay would stay shut.</p></article></body></html>`;

const failures = [];
function check(cond, what) {
  if (cond) console.log(`ok   ${what}`);
  else {
    console.log(`FAIL ${what}`);
    failures.push(what);
  }
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function waitUp(base, server, ms = 60000) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (server.exitCode !== null) throw new Error(`server exited with ${server.exitCode}`);
    try {
      const r = await fetch(`${base}/api/stories`);
      if (r.ok) return;
    } catch (_) {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error("server did not come up");
}

async function ingest(base, docs) {
  const r = await fetch(`${base}/api/documents`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(docs),
  });
  const body = await r.json();
  if (r.status !== 201) throw new Error(`ingest: HTTP ${r.status} ${JSON.stringify(body)}`);
  return body;
}

async function main() {
  mkdirSync(shots, { recursive: true });
  const port = await freePort();
  const addr = `127.0.0.1:${port}`;
  const base = `http://${addr}`;
  const cmdline = (process.env.STEMMA_SERVER_CMD || `${path.join(repo, "target/debug/examples/demo_server")} --addr {addr}`)
    .replaceAll("{addr}", addr)
    .split(/\s+/)
    .filter(Boolean);
  const server = spawn(cmdline[0], cmdline.slice(1), { cwd: repo, stdio: ["ignore", "inherit", "inherit"] });
  const profile = mkdtempSync(path.join(os.tmpdir(), "stemma-chromium-"));
  let context;
  try {
    await waitUp(base, server);
    const sum = await ingest(base, [
      { id: "harbour-original", url: "https://lakeside.example/harbour-fire", published: "2026-11-20T08:00:00Z", text: SOURCE },
      { id: "harbour-spun", url: "https://newsfarm.example/p/123", published: "2026-11-20T11:30:00Z", text: SPUN },
      { id: `hostile-<img src=x onerror="window.__pwned=1">`, url: "javascript:alert(1)", text: HOSTILE },
      { id: "hostile-html", url: "https://evil.example/quay", html: HOSTILE_HTML },
      { id: "hostile-alone", url: "https://evil.example/chess", text: HOSTILE_ALONE },
    ]);
    check(sum.added.length === 5, `ingested 5 documents (${JSON.stringify(sum.added)})`);

    context = await chromium.launchPersistentContext(profile, {
      executablePath: browserPath,
      headless: true,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
      viewport: { width: 1400, height: 1000 },
    });
    const page = context.pages()[0] || (await context.newPage());
    const dialogs = [];
    const pageErrors = [];
    page.on("dialog", (d) => {
      dialogs.push(`${d.type()}: ${d.message()}`);
      d.dismiss().catch(() => {});
    });
    page.on("pageerror", (e) => pageErrors.push(String(e)));
    // Nothing may be fetched from outside the server (e.g. img src=x).
    const foreign = [];
    const requested = [];
    page.on("request", (r) => {
      if (!r.url().startsWith(base)) foreign.push(r.url());
      requested.push(r.url());
    });
    const ready = () => page.waitForSelector("body[data-ready='1']", { timeout: 15000 });

    // 1. Story list
    await page.goto(`${base}/`);
    await ready();
    await page.waitForSelector("#story-list");
    const listText = await page.textContent("#story-list");
    check(listText.includes("Harbour fire closes port"), "story list shows the harbour story");
    check(listText.includes(`<img src=x onerror="window.__pwned=1;alert(1)">`), "hostile title shown as literal text in the list");
    if (process.env.STEMMA_EXAMPLE_CORPUS) {
      // The example corpus was ingested into the store before the server started.
      check(listText.includes("Carrow Bridge"), "story list shows the example corpus's bridge story");
    }
    await page.screenshot({ path: path.join(shots, "1-stories.png"), fullPage: true });

    // 2. Story view with the family tree
    await page.click(`#story-list a.story-link:has-text("Harbour fire closes port")`);
    await ready();
    await page.waitForSelector("#tree");
    const nodes = await page.$$eval("#tree g.node", (gs) => gs.map((g) => g.getAttribute("data-id")));
    check(nodes.includes("harbour-original"), `tree draws the source node (${nodes.join(", ")})`);
    const edges = await page.$$eval("#tree g.edge", (gs) => gs.map((g) => `${g.dataset.source}->${g.dataset.derivative}`));
    console.log(`     tree edges: ${edges.join(", ") || "(none)"}`);
    await page.screenshot({ path: path.join(shots, "2-story.png"), fullPage: true });
    check(!requested.includes(`${base}/api/documents`), "the story page does not fetch every stored document");
    // The picker takes any stored id, not only this story's.
    await page.fill("#compare-b", "hostile-alone");
    await page.click("#compare-form button[type=submit]");
    await ready();
    await page.waitForSelector("#pane-b");
    check(decodeURIComponent(await page.evaluate(() => location.hash)) === "#/compare/harbour-original/hostile-alone", "the picker compares with a document of another story");
    await page.goBack();
    await ready();
    await page.waitForSelector("#tree");

    // 3. Side by side: follow the tree's edge when the analysis found the
    //    copy, else pick the pair in the compare form.
    const edge = await page.$(`#tree g.edge[data-source="harbour-original"][data-derivative="harbour-spun"]`);
    if (edge) {
      await edge.click();
    } else {
      await page.fill("#compare-a", "harbour-original");
      await page.fill("#compare-b", "harbour-spun");
      await page.click("#compare-form button[type=submit]");
    }
    await ready();
    await page.waitForSelector("#pane-a");
    const subsA = await page.$$eval("#pane-a .sub", (xs) => xs.map((x) => x.textContent));
    const subsB = await page.$$eval("#pane-b .sub", (xs) => xs.map((x) => x.textContent));
    check(subsA.some((t) => t.includes("officials")), `left pane highlights "officials" (${JSON.stringify(subsA)})`);
    check(subsB.some((t) => t.includes("officers")), `right pane highlights "officers" (${JSON.stringify(subsB)})`);
    const subStyle = await page.$eval("#pane-b .sub", (x) => getComputedStyle(x).fontWeight);
    check(Number(subStyle) >= 600, `substitutions are styled to stand out (font-weight ${subStyle})`);
    // Hovering a passage highlights its pair on the other side.
    const ev = await page.$eval("#pane-a [data-ev]", (x) => x.dataset.ev);
    await page.hover(`#pane-a [data-ev="${ev}"]`);
    const mateActive = await page.$eval(`#pane-b [data-ev="${ev}"]`, (x) => x.classList.contains("active"));
    check(mateActive, "hovering a passage highlights its aligned pair");
    await page.mouse.move(0, 0);
    await page.screenshot({ path: path.join(shots, "3-side-by-side.png"), fullPage: true });

    if (process.env.STEMMA_EXAMPLE_CORPUS) {
      // 3b. The example corpus: the spinner's swaps in the bridge story.
      await page.goto(`${base}/#/compare/lakeside-herald-original/newsfarm-spun`);
      await ready();
      await page.waitForSelector("#pane-a");
      const exA = await page.$$eval("#pane-a .sub", (xs) => xs.map((x) => x.textContent));
      const exB = await page.$$eval("#pane-b .sub", (xs) => xs.map((x) => x.textContent));
      check(exA.some((t) => t.includes("Officials")) && exB.some((t) => t.includes("Officers")), `example corpus: "Officials" -> "Officers" highlighted (${JSON.stringify(exB.slice(0, 8))})`);
      check(exB.some((t) => t.includes("Eire")), `example corpus: "Ireland" -> "Eire" highlighted`);
      await page.screenshot({ path: path.join(shots, "3b-example-side-by-side.png"), fullPage: true });
    }

    // 4. Hostile documents, as text documents and side by side.
    const hostileId = `hostile-<img src=x onerror="window.__pwned=1">`;
    await page.goto(`${base}/#/doc/${encodeURIComponent(hostileId)}`);
    await ready();
    const docText = await page.textContent("#doc-text");
    check(docText.includes("<script>window.__pwned=1; alert(1)</script>"), "hostile <script> shown as literal text");
    const apiDoc = await (await fetch(`${base}/api/documents/${encodeURIComponent(hostileId)}`)).json();
    check(docText === apiDoc.text, "the page shows exactly the extracted text, character for character");
    const h1 = await page.textContent("h1");
    check(h1.includes(`<img src=x onerror="window.__pwned=1;alert(1)">`), "hostile title shown as literal text");
    const hrefs = await page.$$eval("a[href]", (as) => as.map((a) => a.getAttribute("href")));
    check(!hrefs.some((h) => /^\s*javascript:/i.test(h)), `no javascript: link on the page (${JSON.stringify(hrefs)})`);
    check((await page.textContent("dl.meta")).includes("javascript:alert(1)"), "javascript: URL shown as plain text");
    check((await page.$("#doc-site")) === null, "a javascript: URL names no site");
    await page.screenshot({ path: path.join(shots, "4-hostile.png"), fullPage: true });

    await page.goto(`${base}/#/doc/hostile-html`);
    await ready();
    const htmlDocTitle = await page.textContent("h1");
    check(htmlDocTitle.includes("<img src=x onerror=window.__pwned=1>"), `entity-decoded markup in a title stays text (${JSON.stringify(htmlDocTitle)})`);

    await page.goto(`${base}/#/compare/${encodeURIComponent(hostileId)}/harbour-original`);
    await ready();
    await page.waitForSelector("#pane-a");
    const paneText = await page.textContent("#pane-a");
    check(paneText.includes("<script>window.__pwned=1; alert(1)</script>"), "hostile text literal in the side-by-side view");

    await page.goto(`${base}/#/search/${encodeURIComponent("smoke")}`);
    await ready();
    const hits = await page.textContent("ol.hits");
    check(hits.includes("<img src=x"), "hostile search hit shown as text");

    // 4b. One site's reporting: its copies elsewhere, reached from the
    //     header's site box (a full URL is read as its site) and from a
    //     document's page.
    await page.goto(`${base}/#/doc/harbour-original`);
    await ready();
    check((await page.getAttribute("#doc-site", "href")) === "#/site/lakeside.example", "a document's page links to its site's copies");
    await page.fill("#site-q", "https://www.Lakeside.example/harbour-fire");
    await page.press("#site-q", "Enter");
    await page.waitForFunction(() => location.hash === "#/site/lakeside.example");
    await ready();
    await page.waitForSelector("#site-summary");
    const siteCopies = (await page.$("#site-copies")) ? await page.textContent("#site-copies") : "";
    check(siteCopies.includes("harbour-spun") && siteCopies.includes("newsfarm.example"), `the site's copies list the spun copy on its site (${JSON.stringify(siteCopies.slice(0, 200))})`);
    check((await page.$$("#site-copies a.compare-link")).length >= 1, "each copy links to the side-by-side view");
    await page.screenshot({ path: path.join(shots, "4b-site.png"), fullPage: true });
    await page.goto(`${base}/#/site/nowhere.example`);
    await ready();
    check((await page.$("#site-empty")) !== null, "a site with no stored document says so");

    // A copy citing the site whose original is not stored, and a look-alike
    // host that is another site (stubbed answer; the narrowing itself is
    // the server's, tested in its API tests).
    const isBbcReport = (u) => u.pathname === "/api/report" && u.searchParams.get("site") === "bbc.com";
    await page.route(isBbcReport, (route) =>
      route.fulfill({
        contentType: "application/json",
        body: JSON.stringify({
          documents: [
            { id: "bbc-story", title: "T", chars: 900, boilerplate_chars: 0, url: "https://news.bbc.com/1", story: "sb" },
            { id: "farm-copy", title: "T", chars: 800, boilerplate_chars: 0, url: "https://farm.example/1", story: "sb" },
            { id: "lookalike", title: "T", chars: 800, boilerplate_chars: 0, url: "https://notbbc.com/1", story: "sb" },
            { id: "cites-bbc", title: "T", chars: 700, boilerplate_chars: 0, url: "https://c.example/1", story: "sb" },
          ],
          stories: [{ id: "sb", documents: ["bbc-story", "farm-copy", "lookalike", "cites-bbc"], title: "Stub <i>story</i>" }],
          relations: [
            { source: "bbc-story", derivative: "farm-copy", kind: "verbatim", confidence: 0.95, evidence: [], drift: [] },
            { source: "lookalike", derivative: "bbc-story", kind: "paraphrase", confidence: 0.7, evidence: [], drift: [{}] },
            { source: "unseen:1", derivative: "cites-bbc", kind: "spun", confidence: 0.8, evidence: [], drift: [] },
          ],
          unseen_sources: [{ id: "unseen:1", derivatives: ["cites-bbc"], cited: "www.bbc.com" }],
          independent: [],
        }),
      }),
    );
    await page.goto(`${base}/#/site/bbc.com`);
    await ready();
    await page.waitForSelector("#site-unseen");
    const copiesText = await page.textContent("#site-copies");
    check(copiesText.includes("farm-copy") && !copiesText.includes("lookalike"), `a look-alike host is not the site (${JSON.stringify(copiesText)})`);
    check((await page.textContent("#site-unseen")).includes("cites-bbc"), "copies citing the site with no stored original are listed");
    check((await page.textContent("#site-taken")).includes("lookalike"), "the site's own derivations from other sites are listed");
    check((await page.textContent("#site-stories")).includes("Stub <i>story</i>"), "story titles shown as text");
    await page.unroute(isBbcReport);

    // 5. A richer family tree than the small corpus yields: an unseen source
    //    shared by two copies, a chain, an independent report. The story
    //    answer is stubbed in the browser; the drawing is what is tested.
    const fakeDoc = (id, site) => ({ id, title: `Report ${id}`, chars: 1000, boilerplate_chars: 0, url: `https://${site}/a`, story: "sx" });
    const rel = (source, derivative, kind) => ({ source, derivative, kind, confidence: 0.9, evidence: [], drift: [] });
    await page.route(`${base}/api/stories/sx`, (route) =>
      route.fulfill({
        contentType: "application/json",
        body: JSON.stringify({
          story: { id: "sx", documents: ["wire", "copy-a", "copy-b", "digest", "indep"], title: "A family of copies <b>bold?</b>" },
          documents: [fakeDoc("wire", "wire.example"), fakeDoc("copy-a", "a.example"), fakeDoc("copy-b", "b.example"), fakeDoc("digest", "d.example"), fakeDoc("indep", "i.example")],
          relations: [rel("wire", "copy-a", "verbatim"), rel("copy-a", "digest", "summary"), rel("unseen:1", "copy-b", "paraphrase"), rel("unseen:1", "wire", "spun")],
          unseen_sources: [{ id: "unseen:1", derivatives: ["copy-b", "wire"], cited: "bbc.com" }],
          independent: [{ a: "indep", b: "wire", similarity: 0.4 }],
        }),
      }),
    );
    await page.goto(`${base}/#/story/sx`);
    await ready();
    await page.waitForSelector("#tree");
    const unseen = await page.$$eval("#tree g.node.unseen", (gs) => gs.map((g) => g.textContent));
    check(unseen.some((t) => t.includes("unseen: bbc.com")), `unseen source drawn as such (${JSON.stringify(unseen)})`);
    const dash = await page.$eval("#tree g.node.unseen rect", (r) => getComputedStyle(r).strokeDasharray);
    check(dash && dash !== "none", `unseen source box is dashed (${dash})`);
    const ys = await page.$$eval("#tree g.node", (gs) => Object.fromEntries(gs.map((g) => [g.dataset.id, Number(g.querySelector("rect").getAttribute("y"))])));
    check(ys["unseen:1"] < ys.wire && ys.wire < ys["copy-a"] && ys["copy-a"] < ys.digest, `sources above derivatives (${JSON.stringify(ys)})`);
    const labels = await page.$$eval("#tree .edge-label", (ts) => ts.map((t) => t.textContent));
    check(["verbatim", "summary", "paraphrase", "spun"].every((k) => labels.some((l) => l.startsWith(k))), `edges labelled by kind (${JSON.stringify(labels)})`);
    check((await page.textContent("h1")).includes("<b>bold?</b>"), "story title shown as text");
    await page.screenshot({ path: path.join(shots, "5-family-tree.png"), fullPage: true });
    await page.unroute(`${base}/api/stories/sx`);

    // 6. Fact drift marking: the real comparison with one drifted number
    //    added (whether the aligner finds drift is not this test's concern).
    const cmpUrl = `${base}/api/compare?a=harbour-original&b=harbour-spun`;
    await page.route(cmpUrl, async (route) => {
      const res = await route.fetch();
      const data = await res.json();
      const bytes = (s, w) => {
        const i = Buffer.from(s).indexOf(Buffer.from(w));
        return [i, i + Buffer.byteLength(w)];
      };
      data.comparison.drift = [
        { kind: "number", source_span: bytes(data.a.text, "Twelve"), derivative_span: bytes(data.b.text, "Twelve"), source_value: "12", derivative_value: "15 <script>" },
      ];
      await route.fulfill({ response: res, json: data });
    });
    await page.goto(`${base}/#/compare/harbour-original/harbour-spun`);
    await ready();
    await page.waitForSelector("#pane-b .drift");
    const drift = await page.$eval("#pane-b .drift", (x) => ({ text: x.textContent, title: x.title }));
    check(drift.text === "Twelve" && drift.title.includes("12") && drift.title.includes("15 <script>"), `drift marked with source vs copy values (${JSON.stringify(drift)})`);
    check((await page.$$("#pane-a .drift")).length === 1, "drift marked on the source side too");
    await page.screenshot({ path: path.join(shots, "6-drift.png"), fullPage: true });
    await page.unroute(cmpUrl);

    // 7. Nothing ran.
    await page.waitForTimeout(300);
    const pwned = await page.evaluate(() => window.__pwned);
    check(pwned === undefined, `window.__pwned is undefined (got ${pwned})`);
    check(dialogs.length === 0, `no dialog fired (${JSON.stringify(dialogs)})`);
    const counts = await page.evaluate(() => ({
      img: document.querySelectorAll("img").length,
      iframe: document.querySelectorAll("iframe").length,
      script: document.querySelectorAll("script").length,
    }));
    check(counts.img === 0 && counts.iframe === 0 && counts.script === 1, `no injected elements (${JSON.stringify(counts)})`);
    check(foreign.length === 0, `no request left the server (${JSON.stringify(foreign)})`);
    check(pageErrors.length === 0, `no page errors (${JSON.stringify(pageErrors)})`);
  } finally {
    if (context) await context.close().catch(() => {});
    server.kill("SIGTERM");
    rmSync(profile, { recursive: true, force: true });
  }
  console.log(`screenshots in ${shots}`);
  if (failures.length) {
    console.log(`${failures.length} check(s) failed`);
    process.exit(1);
  }
  console.log("browser test passed");
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
