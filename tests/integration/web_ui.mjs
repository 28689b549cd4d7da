// web_ui.mjs — drives the web UI of a running `citykg serve` in headless
// Chromium over the DevTools protocol, as a user would: runs an example
// query, reads the results table, lists the graphs, and as a steward edits
// a graph in the Turtle editor (validation refuses a syntax error, a valid
// text is saved). Prints "ok: ..." / "FAIL: ..." lines; exit status 1 on
// any failure or uncaught page error.
//
//   node web_ui.mjs CHROMIUM URL STEWARD_TOKEN NEW_GRAPH
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const [chromium, url, stewardToken, newGraph] = process.argv.slice(2);
let failures = 0;
const ok = (what) => console.log("ok: " + what);
const fail = (what) => { failures++; console.log("FAIL: " + what); };
const check = (what, cond, detail) => (cond ? ok(what) : fail(what + (detail ? ": " + detail : "")));

const profile = mkdtempSync(join(tmpdir(), "citykg-chromium-"));
// The DevTools protocol over a pipe (fd 3: to the browser, fd 4: from it,
// messages ended by NUL): no WebSocket client needed, so Node.js 18 does.
const browser = spawn(chromium, [
  "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
  "--remote-debugging-pipe", "--user-data-dir=" + profile, "about:blank",
], { stdio: ["ignore", "ignore", "pipe", "pipe", "pipe"], detached: true }); // own process group
let browserLog = "";
browser.stderr.on("data", (d) => { browserLog = (browserLog + d).slice(-2000); });

// Ends the browser with all its helper processes, then removes the profile
// (retrying while a dying helper may still write to it).
function finish(code) {
  browser.on("exit", () => {
    rmSync(profile, { recursive: true, force: true, maxRetries: 20, retryDelay: 100 });
    process.exit(code);
  });
  process.kill(-browser.pid, "SIGKILL");
}
setTimeout(() => { fail("the whole test took longer than 120 s: " + browserLog); finish(1); }, 120000).unref();

let nextId = 1;
let sessionId;
const pending = new Map();
const pageErrors = [];
let buffered = "";
browser.stdio[4].on("data", (d) => {
  buffered += d;
  let end;
  while ((end = buffered.indexOf("\0")) >= 0) {
    const msg = JSON.parse(buffered.slice(0, end));
    buffered = buffered.slice(end + 1);
    if (msg.id && pending.has(msg.id)) {
      pending.get(msg.id)(msg);
      pending.delete(msg.id);
    } else if (msg.method === "Runtime.exceptionThrown") {
      pageErrors.push(msg.params.exceptionDetails.exception?.description ||
                      msg.params.exceptionDetails.text);
    }
  }
});
// A command to the browser, or (once attached) to the page's session.
function send(method, params = {}, toBrowser = false) {
  const id = nextId++;
  const msg = { id, method, params };
  if (sessionId && !toBrowser) msg.sessionId = sessionId;
  browser.stdio[3].write(JSON.stringify(msg) + "\0");
  return new Promise((resolve) => pending.set(id, resolve));
}
const targets = await send("Target.getTargets", {}, true);
const page = targets.result.targetInfos.find((t) => t.type === "page");
const attached = await send("Target.attachToTarget", { targetId: page.targetId, flatten: true }, true);
sessionId = attached.result.sessionId;
async function evaluate(expression) {
  const r = await send("Runtime.evaluate", { expression, awaitPromise: true, returnByValue: true });
  if (r.result?.exceptionDetails) throw new Error(expression + ": " + r.result.exceptionDetails.text);
  return r.result?.result?.value;
}
async function waitFor(what, expression, ms = 20000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await evaluate(expression)) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  fail(what + ": not within " + ms / 1000 + " s");
  return false;
}
// A fresh page load (a new fragment alone would not reload the page).
async function open(fragment) {
  await send("Page.navigate", { url: "about:blank" });
  await send("Page.navigate", { url: url + "/" + fragment });
  return waitFor("page ready (" + fragment + ")", "document.body && document.body.dataset.ready === 'yes'");
}
const text = (sel) => evaluate(`document.querySelector(${JSON.stringify(sel)})?.innerText ?? ""`);
const setValue = (sel, value) =>
  evaluate(`document.querySelector(${JSON.stringify(sel)}).value = ${JSON.stringify(value)}`);
const click = (sel) => evaluate(`document.querySelector(${JSON.stringify(sel)}).click()`);

await send("Runtime.enable");
await send("Page.enable");

// ---- anonymous: an example query and its results table -------------------------
if (await open("#run=0")) {
  if (await waitFor("example query answered", "document.body.dataset.query === 'done'")) {
    await waitFor("results table rendered", "document.querySelector('.yasr table td') !== null");
    const results = await text(".yasr");
    check("results table shows the largest car park", results.includes("Parkhaus Regensburg Arcaden"),
          results.slice(0, 300));
    check("results table shows its capacity", results.includes("1548"));
  }
  check("editor tab hidden for anonymous", await evaluate("document.querySelector('#edit-tab').hidden"));
  check("role shown", (await text("#whoami")).includes("anonymous"));
}

// ---- anonymous: only the public graph is listed --------------------------------
if (await open("#view=graphs") && await waitFor("graph list", "document.body.dataset.graphs !== undefined")) {
  const graphs = await text("#graphs");
  check("anonymous sees one graph", (await evaluate("document.body.dataset.graphs")) === "1", graphs);
  check("anonymous sees the public parking graph", graphs.includes("graph/parking"));
  check("anonymous does not see the internal buildings graph", !graphs.includes("graph/buildings"));
}

// ---- steward: all graphs, then the Turtle editor --------------------------------
const steward = "#token=" + encodeURIComponent(stewardToken);
if (await open(steward + "&view=graphs") && await waitFor("steward's graph list", "document.body.dataset.graphs !== undefined")) {
  const graphs = await text("#graphs");
  check("steward sees three graphs", (await evaluate("document.body.dataset.graphs")) === "3", graphs);
  check("levels listed", graphs.includes("internal") && graphs.includes("public"));
  check("token not left in the address bar", !(await evaluate("location.href")).includes("token="));
  check("editor tab shown for a steward", !(await evaluate("document.querySelector('#edit-tab').hidden")));
}

if (await open("#view=edit")) {
  await setValue("#edit-graph", "https://regensburg.example/graph/parking");
  await click("#edit-load");
  await waitFor("graph loaded into the editor", "document.querySelector('#edit-text').value.length > 0");
  check("the editor holds the parking graph as Turtle",
        (await evaluate("document.querySelector('#edit-text').value")).includes("Parkhaus Dachauplatz"));

  await setValue("#edit-graph", newGraph);
  await setValue("#edit-text", '@prefix ex: <https://regensburg.example/note/> .\nex:n1 ex:text "open quote .\n');
  await click("#edit-save");
  await waitFor("invalid Turtle refused", "document.body.dataset.validation === 'invalid'");
  const status = await text("#edit-status");
  check("the error names the line", /:2:/.test(status), status);
  check("nothing saved after the error", (await evaluate("document.body.dataset.saved")) === undefined);

  await setValue("#edit-text", '@prefix ex: <https://regensburg.example/note/> .\nex:n1 ex:text "Parkhaus Dachauplatz wird saniert" ; ex:by ex:steward .\n');
  await click("#edit-save");
  if (await waitFor("valid Turtle saved", "document.body.dataset.saved === 'yes'"))
    check("status says saved", (await text("#edit-status")).includes("saved"));
}

check("no uncaught errors in the page", pageErrors.length === 0, pageErrors.join(" | "));
finish(failures ? 1 : 0);
