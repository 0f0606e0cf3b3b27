// The triage page: a ranked table of scored items, an item view, filters, export and keys.
//
// Document text only ever reaches the page as text nodes (textContent, createTextNode): no
// markup from a document is parsed, whatever it contains.

import { download, toCsv, toJsonl } from "./triage-export.js";
import { formatScore, itemBody, itemMeta, urlNode } from "./triage-item.js";
import {
  ApiError, apiKey, callApi, detectFileKind, detectPasteKind, scoreInput, setApiKey,
} from "./triage-load.js";

const $ = (id) => document.getElementById(id);
// Sort directions a column starts with when its header is first clicked.
const FIRST_DIRECTION = { title: "ascending", score: "descending", flagged: "descending", junk: "descending", paragraphs: "descending" };
const SORT_VALUES = {
  title: (item) => item.shownTitle.toLocaleLowerCase(),
  score: (item) => item.score,
  flagged: (item) => (item.flagged ? 1 : 0),
  junk: (item) => (item.junk ? 1 : 0),
  paragraphs: (item) => item.paragraphCount,
};

const state = {
  items: [], // every scored item, in load order; each gets a `key` unique on the page
  nextKey: 0,
  sort: { key: "score", direction: "descending" },
  selectedKey: null,
  model: null, // GET /v1/model, once it answered
  pasted: 0,
  retry: null, // what to do again once an API key is given
};

// ---- messages -------------------------------------------------------------------------------------

function setStatus(text) {
  $("status").textContent = text;
}

function addMessage(text, kind = "error") {
  const item = document.createElement("li");
  item.className = kind;
  item.textContent = text;
  $("messages").append(item);
}

function clearMessages() {
  $("messages").replaceChildren();
}

// Show an API error; a 401 opens the key field and remembers what to retry.
function reportError(error, retry) {
  if (error instanceof ApiError && error.status === 401) {
    state.retry = retry;
    $("key-form").hidden = false;
    $("api-key").focus();
    addMessage(`${error.message}${apiKey() ? " (the key given was refused)" : ""}`);
    return;
  }
  addMessage(error instanceof ApiError ? `${error.message} (${error.code})` : `Unexpected error: ${error.message}`);
}

// ---- the model ------------------------------------------------------------------------------------

async function loadModel() {
  try {
    state.model = await callApi("/v1/model");
  } catch (error) {
    $("model-info").textContent = "model: unknown";
    reportError(error, loadModel);
    return false;
  }
  const thresholds = state.model.thresholds || {};
  const triage = thresholds.triage ? thresholds.triage.threshold : state.model.default_threshold;
  $("threshold").value = String(triage);
  $("model-info").textContent = `model ${state.model.name} ${state.model.version} · triage threshold ${formatScore(triage)}`;
  render();
  return true;
}

// ---- input ----------------------------------------------------------------------------------------

async function scoreAndAdd(kind, content, source) {
  clearMessages();
  setStatus(`Scoring ${source}…`);
  try {
    const outcome = await scoreInput(kind, content, source, (done, total) => setStatus(`Scoring ${source}: ${done} of ${total}…`));
    for (const item of outcome.items) {
      item.key = state.nextKey++;
      state.items.push(item);
    }
    if (outcome.warning) addMessage(outcome.warning, "warning");
    for (const problem of outcome.problems) addMessage(problem, "warning");
    setStatus(`${source}: ${outcome.items.length} item${outcome.items.length === 1 ? "" : "s"} scored.`);
    render();
  } catch (error) {
    setStatus(`${source}: not scored.`);
    reportError(error, () => scoreAndAdd(kind, content, source));
  }
}

function onPaste(event) {
  event.preventDefault();
  const content = $("paste-text").value;
  if (!content.trim()) {
    addMessage("Paste a text, an HTML page or a feed's XML first.", "warning");
    return;
  }
  const chosen = $("paste-kind").value;
  const kind = chosen === "auto" ? detectPasteKind(content) : chosen;
  state.pasted += 1;
  scoreAndAdd(kind, content, `pasted ${kind} ${state.pasted}`);
}

async function onFile() {
  const input = $("file-input");
  for (const file of input.files) {
    let content;
    try {
      content = await file.text();
    } catch (error) {
      addMessage(`${file.name} could not be read: ${error.message}`);
      continue;
    }
    await scoreAndAdd(detectFileKind(file.name, content), content, file.name);
  }
  input.value = ""; // the same file can be loaded again
}

// ---- the table ------------------------------------------------------------------------------------

function visibleItems() {
  const minimum = Number($("threshold").value);
  const flaggedOnly = $("flagged-only").checked;
  const junkOnly = $("junk-only").checked;
  const shown = state.items.filter((item) => item.score >= minimum && (!flaggedOnly || item.flagged) && (!junkOnly || item.junk));
  const { key, direction } = state.sort;
  const sign = direction === "ascending" ? 1 : -1;
  const value = SORT_VALUES[key];
  return shown.sort((a, b) => {
    const x = value(a);
    const y = value(b);
    if (x < y) return -sign;
    if (x > y) return sign;
    return b.score - a.score || a.key - b.key; // ties: most sensational first, then load order
  });
}

function cell(row, content) {
  const td = document.createElement("td");
  td.append(content);
  row.append(td);
  return td;
}

function yesNo(value, yes) {
  const span = document.createElement("span");
  span.className = value ? `tag ${yes}` : "tag no";
  span.textContent = value ? "yes" : "no";
  return span;
}

function scoreBar(score) {
  const wrap = document.createElement("span");
  wrap.className = "bar";
  const fill = document.createElement("span");
  fill.className = "fill";
  fill.style.setProperty("--score", String(score)); // CSSOM, not a style attribute: allowed by the CSP
  const label = document.createElement("span");
  label.className = "value";
  label.textContent = formatScore(score);
  wrap.append(fill);
  return [wrap, label];
}

function buildRow(item) {
  const row = document.createElement("tr");
  row.dataset.key = String(item.key);
  row.dataset.id = String(item.id);
  row.setAttribute("aria-selected", String(item.key === state.selectedKey));
  const open = document.createElement("button");
  open.type = "button";
  open.className = "open";
  open.textContent = item.shownTitle;
  open.addEventListener("click", () => {
    select(item.key);
    openItem(item.key);
  });
  const title = cell(row, open);
  title.className = "title";
  const source = document.createElement("span");
  source.className = "source";
  source.textContent = item.source;
  title.append(source);
  const score = cell(row, "");
  score.className = "score";
  score.append(...scoreBar(item.score));
  cell(row, yesNo(item.flagged, "flagged")).className = "flag";
  cell(row, yesNo(item.junk, "junk")).className = "junk";
  cell(row, String(item.paragraphCount)).className = "count";
  row.addEventListener("click", (event) => {
    if (event.target.closest("button")) return;
    select(item.key);
  });
  return row;
}

function render() {
  const shown = visibleItems();
  if (!shown.some((item) => item.key === state.selectedKey)) state.selectedKey = shown.length ? shown[0].key : null;
  $("items").tBodies[0].replaceChildren(...shown.map(buildRow));
  $("threshold-value").textContent = formatScore(Number($("threshold").value));
  $("count").textContent = state.items.length ? `${shown.length} of ${state.items.length} shown` : "";
  $("empty").hidden = shown.length > 0;
  $("empty").textContent = state.items.length
    ? "No item passes the filters: lower the threshold or untick a filter."
    : "No items yet: paste a text or load a file above.";
  for (const header of $("items").tHead.rows[0].cells) {
    header.setAttribute("aria-sort", header.dataset.key === state.sort.key ? state.sort.direction : "none");
  }
  for (const button of [$("export-csv"), $("export-jsonl")]) button.disabled = shown.length === 0;
}

function select(key) {
  state.selectedKey = key;
  for (const row of $("items").tBodies[0].rows) {
    const selected = row.dataset.key === String(key);
    row.setAttribute("aria-selected", String(selected));
    if (selected) row.scrollIntoView({ block: "nearest" });
  }
}

function moveSelection(step) {
  const shown = visibleItems();
  if (!shown.length) return;
  const at = shown.findIndex((item) => item.key === state.selectedKey);
  const next = at < 0 ? 0 : Math.min(Math.max(at + step, 0), shown.length - 1);
  select(shown[next].key);
  // the focus follows the selection, so that Enter on a focused title opens the selected item
  const focused = document.activeElement;
  if (focused && focused.closest("#items tbody")) focusSelectedRow();
}

function focusSelectedRow() {
  const row = [...$("items").tBodies[0].rows].find((r) => r.dataset.key === String(state.selectedKey));
  if (row) row.querySelector("button.open").focus();
}

function onSort(event) {
  const header = event.target.closest("th");
  if (!header) return;
  const key = header.dataset.key;
  if (state.sort.key === key) {
    state.sort.direction = state.sort.direction === "ascending" ? "descending" : "ascending";
  } else {
    state.sort = { key, direction: FIRST_DIRECTION[key] };
  }
  render();
}

// ---- the item view --------------------------------------------------------------------------------

function openItem(key) {
  const item = state.items.find((candidate) => candidate.key === key);
  if (!item) return;
  $("item-title").textContent = item.shownTitle;
  $("item-meta").textContent = itemMeta(item, (state.model && state.model.version) || item.result.model);
  $("item-url").replaceChildren(...(item.url ? [urlNode(item.url)] : []));
  $("item-url").hidden = !item.url;
  $("item-body").replaceChildren(...itemBody(item));
  const dialog = $("item-view");
  if (!dialog.open) dialog.showModal();
  $("item-body").scrollTop = 0;
  $("close-item").focus();
}

function closeItem() {
  const dialog = $("item-view");
  if (dialog.open) dialog.close();
}

function onDialogClose() {
  focusSelectedRow();
}

// ---- keys -----------------------------------------------------------------------------------------

// Inputs that take typed text or arrow keys keep their keys; elsewhere the keys move through the table.
function keepsKey(target, key) {
  if (target.closest("textarea, select, [contenteditable]")) return true;
  if (target.tagName !== "INPUT") return false;
  if (["checkbox", "radio", "button", "submit"].includes(target.type)) return false;
  return target.type !== "range" || key.startsWith("Arrow");
}

function onKey(event) {
  if (event.altKey || event.ctrlKey || event.metaKey || $("item-view").open) return;
  const target = event.target;
  if (keepsKey(target, event.key)) return;
  if (event.key === "j" || event.key === "ArrowDown") moveSelection(1);
  else if (event.key === "k" || event.key === "ArrowUp") moveSelection(-1);
  else if (event.key === "Enter" && !target.closest("button, a, summary") && state.selectedKey !== null) openItem(state.selectedKey);
  else return;
  event.preventDefault();
}

// ---- wiring ---------------------------------------------------------------------------------------

function onKeySubmit(event) {
  event.preventDefault();
  setApiKey($("api-key").value.trim());
  $("api-key").value = "";
  $("key-form").hidden = true;
  clearMessages();
  const retry = state.retry;
  state.retry = null;
  (state.model ? Promise.resolve(true) : loadModel()).then((ok) => {
    if (ok && retry && retry !== loadModel) retry();
  });
}

function start() {
  $("paste-form").addEventListener("submit", onPaste);
  $("file-input").addEventListener("change", onFile);
  $("key-form").addEventListener("submit", onKeySubmit);
  $("clear-items").addEventListener("click", () => {
    state.items = [];
    clearMessages();
    setStatus("");
    render();
  });
  for (const id of ["threshold", "flagged-only", "junk-only"]) $(id).addEventListener("input", render);
  $("items").tHead.addEventListener("click", onSort);
  $("export-csv").addEventListener("click", () => download(toCsv(visibleItems()), "text/csv;charset=utf-8", "lurid-triage.csv"));
  $("export-jsonl").addEventListener("click", () => download(toJsonl(visibleItems()), "application/x-ndjson", "lurid-triage.jsonl"));
  $("close-item").addEventListener("click", closeItem);
  $("item-view").addEventListener("close", onDialogClose);
  document.addEventListener("keydown", onKey);
  render();
  loadModel();
}

start();
