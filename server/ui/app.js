// citykg web UI: SPARQL editor (YASGUI), the graphs the caller may read,
// and a Turtle editor for one graph (stewards), validated by the server
// before it is saved. Talks only to this server: /sparql, /data, /api/*.
"use strict";

const EXAMPLES = [
  {
    title: "Parking facilities by capacity",
    query: `PREFIX cityo: <https://w3id.org/citykg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?name ?type ?capacity WHERE {
  ?p a cityo:ParkingFacility ; rdfs:label ?name ;
     cityo:parkingType ?type ; cityo:capacity ?capacity .
}
ORDER BY DESC(?capacity)`,
  },
  {
    title: "Tallest buildings",
    query: `PREFIX cityo: <https://w3id.org/citykg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?building ?address ?height WHERE {
  ?building a cityo:Building ; cityo:measuredHeight ?height .
  OPTIONAL { ?building cityo:address ?address }
}
ORDER BY DESC(?height) LIMIT 20`,
  },
  {
    title: "Roof area fit for PV per building (tilt under 45°)",
    query: `PREFIX cityo: <https://w3id.org/citykg/ontology#>
SELECT ?building (ROUND(SUM(?area)) AS ?roofArea) (COUNT(?roof) AS ?surfaces) WHERE {
  ?building cityo:hasRoofSurface ?roof .
  ?roof cityo:area ?area ; cityo:tilt ?tilt .
  FILTER(?tilt < 45)
}
GROUP BY ?building ORDER BY DESC(?roofArea) LIMIT 20`,
  },
  {
    title: "Distance from each car park to the nearest LoD2 building (GeoSPARQL, CRS84 and EPSG:25832)",
    query: `PREFIX geo: <http://www.opengis.net/ont/geosparql#>
PREFIX geof: <http://www.opengis.net/def/function/geosparql/>
PREFIX uom: <http://www.opengis.net/def/uom/OGC/1.0/>
PREFIX cityo: <https://w3id.org/citykg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?parking (ROUND(MIN(?distance)) AS ?metres) WHERE {
  ?p a cityo:ParkingFacility ; rdfs:label ?parking ; geo:hasDefaultGeometry/geo:asWKT ?pw .
  ?b a cityo:Building ; geo:hasDefaultGeometry/geo:asWKT ?bw .
  BIND(geof:distance(?pw, ?bw, uom:metre) AS ?distance)
}
GROUP BY ?parking ORDER BY ?metres`,
  },
  {
    title: "Datasets in the catalog, who publishes them, how fresh",
    query: `PREFIX dcat: <http://www.w3.org/ns/dcat#>
PREFIX dct: <http://purl.org/dc/terms/>
SELECT ?dataset ?title ?publisher ?modified WHERE {
  ?dataset a dcat:Dataset ; dct:title ?title .
  OPTIONAL { ?dataset dct:publisher ?publisher }
  OPTIONAL { ?dataset dct:modified ?modified }
}
ORDER BY DESC(?modified)`,
  },
  {
    title: "Graphs and their size",
    query: `SELECT ?graph (COUNT(*) AS ?quads) WHERE { GRAPH ?graph { ?s ?p ?o } }
GROUP BY ?graph ORDER BY ?graph`,
  },
];

const TOKEN_KEY = "citykg.token";
const $ = (sel) => document.querySelector(sel);

function token() {
  return sessionStorage.getItem(TOKEN_KEY) || "";
}

function authHeaders() {
  const t = token();
  return t ? { Authorization: "Bearer " + t } : {};
}

// The fragment carries test and bookmark options: #token=…&view=…&run=N.
// It never reaches the server; the token is moved to sessionStorage.
function readFragment() {
  const params = new URLSearchParams(location.hash.slice(1));
  if (params.has("token")) {
    sessionStorage.setItem(TOKEN_KEY, params.get("token"));
    params.delete("token");
    history.replaceState(null, "", location.pathname + (params.toString() ? "#" + params : ""));
  }
  return params;
}

function setStatus(el, text, kind) {
  el.textContent = text;
  el.className = "status " + (kind || "");
}

async function readError(response) {
  const text = await response.text();
  try {
    const json = JSON.parse(text);
    if (json.error) return json.error.message || JSON.stringify(json.error);
  } catch (e) { /* not JSON: the body is the message */ }
  return text.trim() || response.status + " " + response.statusText;
}

// ---- views ------------------------------------------------------------------

function showView(name) {
  for (const b of document.querySelectorAll("nav button"))
    b.classList.toggle("active", b.dataset.view === name);
  for (const v of document.querySelectorAll(".view"))
    v.hidden = v.id !== "view-" + name;
  if (name === "graphs") loadGraphs();
  if (name === "query" && window.yasgui) window.yasgui.getTab().getYasqe().refresh();
}

// ---- query ------------------------------------------------------------------

function makeYasgui() {
  const yasgui = new Yasgui($("#yasgui"), {
    requestConfig: { endpoint: "/sparql", method: "POST", headers: authHeaders },
    copyEndpointOnNewTab: false,
    persistenceId: null, // no stale queries or tokens in localStorage
  });
  yasgui.on("queryResponse", () => { document.body.dataset.query = "done"; });
  return yasgui;
}

function fillExamples() {
  const select = $("#examples");
  EXAMPLES.forEach((ex, i) => {
    const o = document.createElement("option");
    o.value = String(i);
    o.textContent = ex.title;
    select.append(o);
  });
  select.addEventListener("change", () => {
    if (select.value !== "") window.yasgui.getTab().setQuery(EXAMPLES[select.value].query);
  });
}

function runExample(i) {
  const tab = window.yasgui.getTab();
  tab.setQuery(EXAMPLES[i].query);
  tab.query();
}

// ---- graphs -----------------------------------------------------------------

async function loadGraphs() {
  const status = $("#graphs-status");
  const body = $("#graphs tbody");
  setStatus(status, "loading…");
  const r = await fetch("/api/graphs", { headers: authHeaders() });
  if (!r.ok) {
    setStatus(status, await readError(r), "error");
    return null;
  }
  const info = await r.json();
  body.replaceChildren();
  for (const g of info.graphs) {
    const tr = document.createElement("tr");
    const name = document.createElement("td");
    name.textContent = g.iri === null ? "(default graph)" : g.iri;
    const access = document.createElement("td");
    access.textContent = g.access;
    access.className = "access-" + g.access;
    const quads = document.createElement("td");
    quads.textContent = g.quads.toLocaleString("en");
    quads.className = "quads";
    const act = document.createElement("td");
    if (info.may_edit && g.iri !== null && g.writable) {
      const b = document.createElement("button");
      b.type = "button";
      b.textContent = "edit";
      b.addEventListener("click", () => { $("#edit-graph").value = g.iri; showView("edit"); loadGraphText(); });
      act.append(b);
    }
    tr.append(name, access, quads, act);
    body.append(tr);
  }
  setStatus(status, info.graphs.length + " graphs readable as " + info.role, "ok");
  document.body.dataset.graphs = String(info.graphs.length);
  return info;
}

async function whoAmI() {
  const r = await fetch("/api/graphs", { headers: authHeaders() });
  if (!r.ok) {
    $("#whoami").textContent = await readError(r);
    $("#edit-tab").hidden = true;
    return;
  }
  const info = await r.json();
  $("#whoami").textContent = "as " + info.role;
  $("#edit-tab").hidden = !info.may_edit;
}

// ---- Turtle editor ----------------------------------------------------------

function graphUrl() {
  return "/data?graph=" + encodeURIComponent($("#edit-graph").value);
}

async function loadGraphText() {
  const status = $("#edit-status");
  setStatus(status, "loading…");
  const r = await fetch(graphUrl(), { headers: { ...authHeaders(), Accept: "text/turtle" } });
  if (r.status === 404) {
    $("#edit-text").value = "";
    setStatus(status, "new graph: empty", "ok");
    return;
  }
  if (!r.ok) {
    setStatus(status, await readError(r), "error");
    return;
  }
  $("#edit-text").value = await r.text();
  setStatus(status, "loaded", "ok");
}

// Asks the server to parse the text without storing it; true when valid.
async function validate() {
  const status = $("#edit-status");
  const r = await fetch("/api/validate?format=turtle", {
    method: "POST",
    headers: { ...authHeaders(), "Content-Type": "text/turtle" },
    body: $("#edit-text").value,
  });
  const result = await r.json().catch(() => null);
  if (r.ok && result && result.valid) {
    setStatus(status, "valid Turtle: " + result.triples + " triples", "ok");
    document.body.dataset.validation = "valid";
    return true;
  }
  const msg = result && result.error ? result.error.message : await readError(r);
  setStatus(status, msg, "error");
  document.body.dataset.validation = "invalid";
  return false;
}

async function save() {
  if (!(await validate())) return;
  const status = $("#edit-status");
  const r = await fetch(graphUrl(), {
    method: "PUT",
    headers: { ...authHeaders(), "Content-Type": "text/turtle" },
    body: $("#edit-text").value,
  });
  if (r.ok) {
    setStatus(status, "saved", "ok");
    document.body.dataset.saved = "yes";
  } else {
    setStatus(status, await readError(r), "error");
  }
}

// ---- start ------------------------------------------------------------------

async function start() {
  const params = readFragment();
  $("#token").value = token();
  $("#token-form").addEventListener("submit", (e) => {
    e.preventDefault();
    sessionStorage.setItem(TOKEN_KEY, $("#token").value.trim());
    whoAmI();
  });
  for (const b of document.querySelectorAll("nav button"))
    b.addEventListener("click", () => showView(b.dataset.view));
  $("#edit-load").addEventListener("click", loadGraphText);
  $("#edit-validate").addEventListener("click", validate);
  $("#edit-save").addEventListener("click", save);

  window.yasgui = makeYasgui();
  fillExamples();
  await whoAmI();

  if (params.has("graph")) $("#edit-graph").value = params.get("graph");
  if (params.has("view")) showView(params.get("view"));
  if (params.has("run")) runExample(Number(params.get("run")));
  document.body.dataset.ready = "yes";
}

start();
