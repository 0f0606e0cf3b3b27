// Reading input and asking the API: pasted text, files (RSS/Atom, JSONL, HTML, plain text) -> scored items.
//
// Nothing here touches the page: it turns input into items, or throws an Error whose message
// says what to do. Every request goes to this server's own /v1/ API (the page's CSP allows
// nothing else); the server never fetches anything on the page's behalf.

// The service's default LURID_MAX_DOCUMENTS: a larger batch is refused with 422 too_many_documents.
export const BATCH_DOCUMENTS = 64;
// Bytes of JSON per request, below the default 1 MiB body limit (LURID_MAX_BODY_BYTES) with room to spare.
export const BATCH_BYTES = 900_000;
// Requests in flight at once: the server has one worker per core, and other clients share it.
export const PARALLEL_REQUESTS = 2;
// An item without a title of its own is shown by its first line when that has at most this many words
// (a headline), else by its first TITLE_WORDS words.
export const HEADLINE_WORDS = 20;
export const TITLE_WORDS = 12;
// Offsets in UTF-16 code units, so that JavaScript's String.slice picks exactly the scored span.
const SCORE_OPTIONS = { highlights: true, offsets: "utf16" };

// An error from the API: its status, code and message, as the server's JSON error body gives them.
export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

// The API key, when the server asks for one: kept in this tab only.
const KEY_STORAGE = "lurid-api-key";
export function apiKey() {
  return sessionStorage.getItem(KEY_STORAGE) || "";
}
export function setApiKey(key) {
  if (key) sessionStorage.setItem(KEY_STORAGE, key);
  else sessionStorage.removeItem(KEY_STORAGE);
}

// GET or POST JSON to the API; throws ApiError with the server's message on any error status.
export async function callApi(path, body) {
  const headers = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const key = apiKey();
  if (key) headers.Authorization = `Bearer ${key}`;
  let response;
  try {
    response = await fetch(path, {
      method: body === undefined ? "GET" : "POST",
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "omit",
    });
  } catch (error) {
    throw new ApiError(0, "network_error", `the server could not be reached (${error.message}): is it running?`);
  }
  let answer = null;
  try {
    answer = await response.json();
  } catch {
    // a proxy or gunicorn itself may answer with HTML: reported below by status
  }
  if (!response.ok) {
    const error = answer && answer.error;
    if (error && typeof error.message === "string") throw new ApiError(response.status, error.code, error.message);
    throw new ApiError(response.status, "http_error", `${path} answered ${response.status} ${response.statusText}`);
  }
  if (answer === null) throw new ApiError(response.status, "invalid_answer", `${path} did not answer JSON`);
  return answer;
}

// Where a feed's root element may start: after an XML declaration, comments, processing instructions
// and a doctype.
const FEED_ROOT = /^(?:<\?[\s\S]*?\?>\s*|<!--[\s\S]*?-->\s*|<!doctype[^>]*>\s*)*<(rss|feed|rdf:RDF)[\s>]/i;

// "feed", "html" or "text" for a pasted string. Plain text that mentions a tag ("use the <p> element")
// stays text: HTML only when it starts with "<" or has a doctype or <html>; a feed only when its root
// element is rss, feed or rdf:RDF.
export function detectPasteKind(value) {
  const head = value.trimStart().slice(0, 2000);
  if (FEED_ROOT.test(head)) return "feed";
  if (head.startsWith("<") || /<!doctype\s+html|<html[\s>]/i.test(head)) return "html";
  return "text";
}

// "feed", "jsonl", "html" or "text" for a file, from its name, else from its first characters.
export function detectFileKind(name, content) {
  const extension = (name.match(/\.([a-z0-9]+)$/i) || ["", ""])[1].toLowerCase();
  if (["rss", "atom", "xml"].includes(extension)) return "feed";
  if (["jsonl", "ndjson", "json"].includes(extension)) return "jsonl";
  if (["html", "htm"].includes(extension)) return "html";
  if (extension === "txt") return "text";
  if (content.trimStart().startsWith("{")) return "jsonl";
  return detectPasteKind(content);
}

// A feed's encoding as its byte order mark or XML declaration gives it, else null.
function declaredEncoding(bytes) {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return "utf-8";
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    return bytes[0] === 0xff ? "utf-16le" : "utf-16be";
  }
  const head = new TextDecoder("latin1").decode(bytes.slice(0, 200));
  const declared = head.match(/^\s*<\?xml\s[^>]*?encoding\s*=\s*["']([A-Za-z][\w.:-]{0,39})["']/);
  return declared ? declared[1] : null;
}

// A file's bytes -> {text, kind, warning}. UTF-8 unless it is not valid UTF-8: then windows-1252, with a
// warning saying so. A feed file (by its name) is decoded as its XML declaration says, as a feed reader
// would (the page sends the server text, which it then reads as UTF-8).
export function decodeFile(buffer, name) {
  const bytes = new Uint8Array(buffer);
  const byName = detectFileKind(name, "");
  if (byName === "feed") {
    const declared = declaredEncoding(bytes);
    if (declared && !/^utf-?8$/i.test(declared)) {
      let decoder = null;
      try {
        decoder = new TextDecoder(declared, { fatal: true });
      } catch {
        // an encoding the browser does not know: read as below
      }
      if (decoder) {
        try {
          return { text: decoder.decode(bytes), kind: "feed", warning: null };
        } catch {
          const text = new TextDecoder(declared).decode(bytes);
          return { text, kind: "feed", warning: `${name}: some bytes are not valid ${declared}, as its XML declaration says it is: they were replaced by \uFFFD` };
        }
      }
    }
  }
  let text;
  let warning = null;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    text = new TextDecoder("windows-1252").decode(bytes);
    warning = `${name} is not valid UTF-8: it was read as windows-1252 (Western European); `
      + "if it is in another encoding, some characters are wrong: save it as UTF-8 and load it again";
  }
  return { text, kind: detectFileKind(name, text), warning };
}

// A title for an item that has none: its first line if that is headline-sized, else its first words.
export function firstWords(text) {
  const firstLine = text.trim().split("\n", 1)[0].trim();
  const lineWords = firstLine.split(/\s+/).filter(Boolean);
  if (lineWords.length && lineWords.length <= HEADLINE_WORDS) return lineWords.join(" ");
  const words = text.trim().split(/\s+/).filter(Boolean);
  const head = words.slice(0, TITLE_WORDS).join(" ");
  return words.length > TITLE_WORDS ? `${head}…` : head || "(empty)";
}

// JSONL text -> {documents: [{id, text|html, title, url}], problems: ["line 3: ..."]}.
export function parseJsonl(content, source) {
  const documents = [];
  const problems = [];
  content.split(/\r?\n/).forEach((line, index) => {
    const where = `${source} line ${index + 1}`;
    if (!line.trim()) return;
    let record;
    try {
      record = JSON.parse(line);
    } catch (error) {
      problems.push(`${where}: not valid JSON (${error.message})`);
      return;
    }
    if (record === null || typeof record !== "object" || Array.isArray(record)) {
      problems.push(`${where}: each line must be a JSON object with "text" or "html"`);
      return;
    }
    const hasText = typeof record.text === "string";
    const hasHtml = typeof record.html === "string";
    if (hasText === hasHtml) {
      problems.push(`${where}: give exactly one of "text" or "html", as a string`);
      return;
    }
    const id = typeof record.id === "string" || Number.isInteger(record.id) ? record.id : `${source}:${index + 1}`;
    documents.push({
      id,
      where,
      [hasText ? "text" : "html"]: hasText ? record.text : record.html,
      title: typeof record.title === "string" ? record.title : null,
      url: typeof record.url === "string" ? record.url : null,
    });
  });
  return { documents, problems };
}

// Documents cut into requests of at most BATCH_DOCUMENTS documents and about BATCH_BYTES bytes.
export function batches(documents) {
  const encoder = new TextEncoder();
  const groups = [];
  let current = [];
  let bytes = 0;
  for (const document of documents) {
    const size = encoder.encode(JSON.stringify(document.text ?? document.html)).length + 100;
    if (current.length && (current.length >= BATCH_DOCUMENTS || bytes + size > BATCH_BYTES)) {
      groups.push(current);
      current = [];
      bytes = 0;
    }
    current.push(document);
    bytes += size;
  }
  if (current.length) groups.push(current);
  return groups;
}

// One scored item, as the table and the item view use it.
function makeItem(result, { title, url, source, text }) {
  const scoredText = typeof result.text === "string" ? result.text : text;
  const articleParagraphs = result.paragraphs.filter((paragraph) => paragraph.kind !== "junk").length;
  return {
    id: result.id,
    title: title || null,
    shownTitle: title && title.trim() ? title : firstWords(scoredText),
    url: url || null,
    source,
    text: scoredText,
    score: result.sensationalism,
    flagged: result.flagged,
    threshold: result.threshold,
    junk: result.junk_block !== null,
    paragraphCount: articleParagraphs,
    result,
  };
}

// Errors that a smaller batch avoids, on a server with limits below the defaults.
const SPLIT_ON = new Set(["too_many_documents", "body_too_large"]);
// Errors about one document of the batch (the server refuses the whole batch for it): the batch is split
// down to single documents, so that only the document at fault is left out.
const PER_DOCUMENT = new Set(["document_too_large", "invalid_field", "missing_field"]);

// The server names a document by its place in the batch ("documents[40].text has ..."): name it by its
// file and line instead ("big.jsonl line 1001: text has ...").
function documentProblem(document, error) {
  const message = error.message.replace(/^documents\[\d+\]\.?/, "").replace(/^\s+/, "");
  return `${document.where}: ${message || error.message}`;
}

// One request's results, in the group's order (null for a document the server refused).
// A batch refused as too large, or for one of its documents, is split in two and sent again, down to
// one document; a single document refused for itself is reported in `refused` and left out.
async function scoreBatch(group, options, refused) {
  const sent = group.map((d) => (d.text !== undefined ? { id: d.id, text: d.text } : { id: d.id, html: d.html }));
  try {
    return (await callApi("/v1/score", { documents: sent, options })).results;
  } catch (error) {
    if (!(error instanceof ApiError && (SPLIT_ON.has(error.code) || PER_DOCUMENT.has(error.code)))) throw error;
    if (group.length === 1) {
      if (!PER_DOCUMENT.has(error.code)) throw error;
      refused.push(documentProblem(group[0], error));
      return [null];
    }
    const half = Math.ceil(group.length / 2);
    return [...await scoreBatch(group.slice(0, half), options, refused),
      ...await scoreBatch(group.slice(half), options, refused)];
  }
}

// Score documents through POST /v1/score, in batches, PARALLEL_REQUESTS at a time, keeping their order.
// Each document may carry `where` ("file line 3"), which names it in `refused`. Never throws:
// -> {items, refused, error}: `items` every document scored (all batches that succeeded, even when a
// later request failed), `refused` one message per document the server refused for itself, `error`
// the failure that stopped the rest (null when none did).
export async function scoreDocuments(documents, source, onProgress = () => {}, options = SCORE_OPTIONS) {
  const groups = batches(documents.map((d) => ({ where: source, ...d })));
  const answers = new Array(groups.length);
  const refused = [];
  let failure = null;
  let next = 0;
  let done = 0;
  async function worker() {
    while (next < groups.length && failure === null) {
      const index = next++;
      try {
        answers[index] = await scoreBatch(groups[index], options, refused);
      } catch (error) {
        if (failure === null) failure = error;
        return;
      }
      done += groups[index].length;
      if (failure === null) onProgress(done, documents.length);
    }
  }
  await Promise.all(Array.from({ length: Math.min(PARALLEL_REQUESTS, groups.length) }, worker));
  const items = [];
  groups.forEach((group, index) => {
    if (!answers[index]) return;
    group.forEach((document, position) => {
      const result = answers[index][position];
      if (result) items.push(makeItem(result, { ...document, source }));
    });
  });
  return { items, refused, error: failure };
}

// Score a feed's XML through POST /v1/feed: {items, problems, warning}.
export async function scoreFeed(xml, source, options = SCORE_OPTIONS) {
  const answer = await callApi("/v1/feed", { feed: xml, options });
  const items = [];
  const problems = [];
  for (const result of answer.results) {
    if (result.error) {
      const title = result.title ? ` ("${result.title}")` : "";
      problems.push(`${source}: item ${result.id ?? "(no id)"}${title} was not scored: ${result.error.message}`);
    } else {
      items.push(makeItem(result, { title: result.title, url: result.url, source, text: result.text }));
    }
  }
  const warning = answer.feed.error ? `${source}: ${answer.feed.error.message}` : null;
  return { items, problems, warning };
}

// The options sent with every request: highlights, UTF-16 offsets and, once the model is known, the
// threshold the page triages at, so that "flagged" means the same as the page's threshold.
export function scoreOptions(threshold) {
  return typeof threshold === "number" ? { ...SCORE_OPTIONS, threshold } : { ...SCORE_OPTIONS };
}

// Any input, by kind -> {items, problems, refused, warning, error}: `problems` are lines that could not
// be read (warnings), `refused` documents the server refused (errors), `error` is what stopped the load
// part-way (null when nothing did); the items scored before it are kept. A feed's API error is thrown.
export async function scoreInput(kind, content, source, onProgress, threshold) {
  const options = scoreOptions(threshold);
  if (kind === "feed") return { ...await scoreFeed(content, source, options), refused: [], error: null };
  if (kind === "jsonl") {
    const { documents, problems } = parseJsonl(content, source);
    if (!documents.length) {
      return {
        items: [], problems: problems.length ? problems : [`${source}: no documents in it`], refused: [], warning: null, error: null,
      };
    }
    const scored = await scoreDocuments(documents, source, onProgress, options);
    return { ...scored, problems, warning: null };
  }
  const document = kind === "html" ? { id: source, html: content } : { id: source, text: content };
  const scored = await scoreDocuments([document], source, onProgress, options);
  return { ...scored, problems: [], warning: null };
}
