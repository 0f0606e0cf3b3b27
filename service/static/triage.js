// The triage page: a ranked table of scored items, an item view, filters, export and keys.
//
// Document text only ever reaches the page as text nodes (textContent, createTextNode): no
// markup from a document is parsed, whatever it contains.

import { download, toCsv, toJsonl } from "./triage-export.js";
import { formatScore, formatThreshold, itemBody, itemMeta, urlNode } from "./triage-item.js";
import {
  ApiError, apiKey, callApi, decodeFile, detectFileKind, detectPasteKind, scoreInput, setApiKey,
} from "./triage-load.js";

const $ = (id) => document.getElementById(id);
// Sort directions a column starts with when its header is first clicked.
const FIRST_DIRECTION = { title: "ascending", score: "descending", flagged: "descending", junk: "descending", paragraphs: "descending" };
const TITLE_ORDER = new Intl.Collator(undefined, { numeric: true, sensitivity: "base" });
const number = (value) => (a, b) => value(a) - value(b);
const SORT_ORDERS = {
  title: (a, b) => TITLE_ORDER.compare(a.shownTitle, b.shownTitle),
  score: number((item) => item.score),
  flagged: number((item) => (item.flagged ? 1 : 0)),
  junk: number((item) => (item.junk ? 1 : 0)),
  paragraphs: number((item) => item.paragraphCount),
};

const state = {
  items: [], // every scored item, in load order; each gets a `key` unique on the page
  nextKey: 0,
  sort: { key: "score", direction: "descending" },
  selectedKey: null,
  model: null, // GET /v1/model, once it answered
  triage: null, // the model's triage threshold, exactly as /v1/model gives it (sent as options.threshold)
  minimum: 0.5, // items scoring below it are hidden: the triage threshold until the slider is moved
  generation: 0, // bumped by "Clear items": answers to loads started before are dropped
  loads: 0, // loads started; the latest one shows its progress
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
// `source` (a file's name), when given, starts the message, so that each message says which load it is about.
function reportError(error, retry, source = null) {
  const prefix = source ? `${source}: ` : "";
  if (error instanceof ApiError && error.status === 401) {
    state.retry = retry;
    $("key-form").hidden = false;
    $("api-key").focus();
    addMessage(`${prefix}${error.message}${apiKey() ? " (the key given was refused)" : ""}`);
    return;
  }
  addMessage(prefix + (error instanceof ApiError ? `${error.message} (${error.code})` : `Unexpected error: ${error.message}`));
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
  state.triage = triage;
  resetThreshold();
  $("model-info").textContent = `model ${state.model.name} ${state.model.version} · triage threshold ${formatThreshold(triage)}`;
  render();
  return true;
}

// ---- input ----------------------------------------------------------------------------------------

// One load: its messages are added to those of earlier loads (each names its source), its items are kept
// even when a later request of it fails, and its final status is not overwritten by its own progress.
// A "Clear items" while it runs (a new generation) drops whatever it still brings.
async function scoreAndAdd(kind, content, source, notes = []) {
  const generation = state.generation;
  const load = ++state.loads;
  const current = () => generation === state.generation;
  let finished = false;
  const progress = (done, total) => {
    if (!finished && current() && load === state.loads) setStatus(`Scoring ${source}: ${done} of ${total}…`);
  };
  for (const note of notes) addMessage(note, "warning");
  setStatus(`Scoring ${source}…`);
  let outcome;
  try {
    outcome = await scoreInput(kind, content, source, progress, state.triage ?? undefined);
  } catch (error) {
    finished = true;
    if (!current()) return;
    setStatus(`${source}: not scored.`);
    reportError(error, () => scoreAndAdd(kind, content, source), source);
    return;
  }
  finished = true;
  if (!current()) return;
  for (const item of outcome.items) {
    item.key = state.nextKey++;
    state.items.push(item);
  }
  if (outcome.warning) addMessage(outcome.warning, "warning");
  for (const problem of outcome.problems) addMessage(problem, "warning");
  for (const refusal of outcome.refused) addMessage(refusal);
  const count = outcome.items.length;
  let status = `${source}: ${count} item${count === 1 ? "" : "s"} scored.`;
  if (outcome.refused.length) {
    status += ` ${outcome.refused.length} document${outcome.refused.length === 1 ? "" : "s"} refused (see below).`;
  }
  if (outcome.error) {
    status += " Stopped early: the rest was not scored (see below).";
    // nothing to retry when part of the load is already in the table: load the file again instead
    reportError(outcome.error, count ? null : () => scoreAndAdd(kind, content, source), source);
  }
  setStatus(status);
  render();
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
    let decoded;
    try {
      decoded = decodeFile(await file.arrayBuffer(), file.name);
    } catch (error) {
      addMessage(`${file.name} could not be read: ${error.message}`);
      continue;
    }
    const notes = decoded.warning ? [decoded.warning] : [];
    await scoreAndAdd(decoded.kind, decoded.text, file.name, notes);
  }
  input.value = ""; // the same file can be loaded again
}

// ---- the table ------------------------------------------------------------------------------------

// The items that pass "flagged only" and "junk only", whatever their score.
function filteredItems() {
  const flaggedOnly = $("flagged-only").checked;
  const junkOnly = $("junk-only").checked;
  return state.items.filter((item) => (!flaggedOnly || item.flagged) && (!junkOnly || item.junk));
}

function visibleItems() {
  const shown = filteredItems().filter((item) => item.score >= state.minimum);
  const { key, direction } = state.sort;
  const sign = direction === "ascending" ? 1 : -1;
  const order = SORT_ORDERS[key];
  // ties: most sensational first, then load order
  return shown.sort((a, b) => sign * order(a, b) || b.score - a.score || a.key - b.key);
}

function setMinimum(value) {
  state.minimum = value;
  $("threshold").value = String(value);
  render();
}

function resetThreshold() {
  setMinimum(state.triage ?? state.minimum);
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
  $("threshold-value").textContent = formatThreshold(state.minimum);
  $("count").textContent = state.items.length ? `${shown.length} of ${state.items.length} shown` : "";
  // what the slider hides, said where it is seen, with the ways back
  const hidden = filteredItems().length - shown.length;
  $("hidden-text").textContent = hidden
    ? `${hidden} item${hidden === 1 ? "" : "s"} below the ${formatThreshold(state.minimum)} threshold hidden`
    : "";
  $("hidden-text").hidden = hidden === 0;
  $("show-all").hidden = hidden === 0;
  const moved = state.triage !== null && state.minimum !== state.triage;
  $("reset-threshold").hidden = !moved;
  $("reset-threshold").textContent = moved ? `reset to the model's threshold (${formatThreshold(state.triage)})` : "";
  $("hidden-note").hidden = hidden === 0 && !moved;
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

// After a re-sort the selected item keeps its selection, wherever it moved to.
function keepSelectionInView() {
  if (state.selectedKey !== null) select(state.selectedKey);
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
  keepSelectionInView();
}

// ---- the item view --------------------------------------------------------------------------------

function openItem(key) {
  const item = state.items.find((candidate) => candidate.key === key);
  if (!item) return;
  $("item-title").textContent = item.shownTitle;
  try {
    $("item-meta").textContent = itemMeta(item, (state.model && state.model.version) || item.result.model);
    $("item-url").replaceChildren(...(item.url ? [urlNode(item.url)] : []));
    $("item-url").hidden = !item.url;
    $("item-body").replaceChildren(...itemBody(item));
  } catch (error) {
    // shown, not swallowed: the view says what went wrong instead of staying blank or stale
    const message = document.createElement("p");
    message.className = "render-error";
    message.textContent = `This item could not be shown: ${error.message}`;
    $("item-body").replaceChildren(message);
    addMessage(`${item.source}: item ${item.id} could not be shown (${error.message})`);
  }
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
  // Enter on a control (a checkbox, the slider, a button) is that control's: only elsewhere does it open the item
  else if (event.key === "Enter" && !target.closest("button, a, summary, input, select, textarea") && state.selectedKey !== null) {
    openItem(state.selectedKey);
  }
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
    state.generation += 1; // loads still running are dropped when they answer
    state.items = [];
    clearMessages();
    setStatus("");
    render();
  });
  $("threshold").addEventListener("input", () => {
    state.minimum = Number($("threshold").value);
    render();
  });
  for (const id of ["flagged-only", "junk-only"]) $(id).addEventListener("input", render);
  $("show-all").addEventListener("click", () => setMinimum(0));
  $("reset-threshold").addEventListener("click", resetThreshold);
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
