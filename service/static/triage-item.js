// The item view's content: paragraphs shaded by score, highlights as <mark>, the junk block collapsed.
//
// Built from DOM nodes and text nodes only: a document's text is never parsed as markup.

export function formatScore(value) {
  return value.toFixed(2);
}

// A threshold: 0.5 as "0.50", the model's 0.347 as "0.347", never rounded to a value it is not.
export function formatThreshold(value) {
  return Number(value.toFixed(2)) === value ? value.toFixed(2) : String(value);
}

// One paragraph's text with its highlights as <mark> elements, all built from text nodes.
function paragraphNode(item, paragraph) {
  const node = document.createElement("p");
  node.className = `para ${paragraph.kind}`;
  node.style.setProperty("--score", String(paragraph.sensationalism));
  node.dataset.score = formatScore(paragraph.sensationalism);
  const label = document.createElement("span");
  label.className = "para-score";
  label.textContent = formatScore(paragraph.sensationalism);
  node.append(label);
  let cursor = paragraph.start;
  let last = null; // the previous <mark> and its weight
  const spans = [...paragraph.highlights].sort((a, b) => a.start - b.start);
  for (const span of spans) {
    const start = Math.max(span.start, cursor);
    const end = Math.min(span.end, paragraph.end);
    if (end <= start) continue; // overlapping spans: the earlier one is kept whole
    if (last && start === cursor && last.weight === span.weight) {
      // adjacent spans of one weight are one mark: an emoji flag (two code points) is not cut in two
      last.mark.textContent += item.text.slice(start, end);
      cursor = end;
      continue;
    }
    node.append(document.createTextNode(item.text.slice(cursor, start)));
    const mark = document.createElement("mark");
    mark.textContent = item.text.slice(start, end);
    mark.title = `weight ${span.weight.toFixed(2)}`;
    mark.style.setProperty("--weight", String(span.weight)); // stronger words, stronger colour
    node.append(mark);
    last = { mark, weight: span.weight };
    cursor = end;
  }
  node.append(document.createTextNode(item.text.slice(cursor, paragraph.end)));
  return node;
}

// A feed's or a JSONL line's url: a link only when it is http(s), else shown as text.
export function urlNode(url) {
  return safeLink(url) || document.createTextNode(`${url} (not a web address: not linked)`);
}

function safeLink(url) {
  let parsed;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") return null;
  const link = document.createElement("a");
  link.href = parsed.href;
  link.rel = "noopener noreferrer";
  link.target = "_blank";
  link.textContent = url;
  return link;
}

// One line about the item: score, flag and threshold, model version, paragraphs, junk block, id.
export function itemMeta(item, version) {
  const block = item.result.junk_block;
  const junk = block
    ? `junk block from paragraph ${block.first_paragraph + 1} (confidence ${formatScore(block.confidence)})`
    : "no junk block";
  const paragraphs = `${item.paragraphCount} article paragraph${item.paragraphCount === 1 ? "" : "s"}`;
  return `score ${formatScore(item.score)} · ${item.flagged ? "flagged" : "not flagged"} at threshold `
    + `${formatThreshold(item.threshold)} · model ${version} · ${paragraphs} · ${junk} · id ${item.id}`;
}

// The paragraphs in order; those of the junk block inside one <details>, closed.
export function itemBody(item) {
  const { result } = item;
  const body = [];
  let junkBox = null;
  for (const paragraph of result.paragraphs) {
    const node = paragraphNode(item, paragraph);
    if (paragraph.kind === "junk" && result.junk_block) {
      if (!junkBox) {
        junkBox = document.createElement("details");
        junkBox.className = "junk-block";
        const summary = document.createElement("summary");
        summary.textContent = `junk block (${result.junk_block.paragraph_count} lines)`;
        junkBox.append(summary);
        body.push(junkBox);
      }
      junkBox.append(node);
    } else {
      body.push(node);
    }
  }
  return body;
}
