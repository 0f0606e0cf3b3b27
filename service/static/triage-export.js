// Export of the current view, made in the browser: CSV (safe to open in a spreadsheet) and JSONL.

export const EXPORT_COLUMNS = ["id", "title", "url", "sensationalism", "flagged", "threshold", "junk_block", "paragraphs", "source"];

function exportRecord(item) {
  return {
    id: item.id,
    title: item.shownTitle,
    url: item.url,
    sensationalism: item.score,
    flagged: item.flagged,
    threshold: item.threshold,
    junk_block: item.result.junk_block,
    paragraphs: item.paragraphCount,
    source: item.source,
  };
}

// A spreadsheet runs a cell that starts with = + - @ (or a tab / carriage return) as a formula, also
// after leading spaces or line breaks, which it drops.
function csvCell(value) {
  let text = value === null || value === undefined ? "" : String(value);
  if (/^[=+\-@\t\r]/.test(text) || /^[=+\-@]/.test(text.trimStart())) text = `'${text}`;
  return `"${text.replaceAll('"', '""')}"`;
}

export function toCsv(items) {
  const lines = [EXPORT_COLUMNS.map(csvCell).join(",")];
  for (const item of items) {
    const record = exportRecord(item);
    record.flagged = record.flagged ? "yes" : "no";
    record.junk_block = record.junk_block ? "yes" : "no";
    lines.push(EXPORT_COLUMNS.map((column) => csvCell(record[column])).join(","));
  }
  // the byte order mark tells Excel the file is UTF-8 (without it, non-ASCII text is garbled)
  return `\uFEFF${lines.join("\r\n")}\r\n`;
}

export function toJsonl(items) {
  return items.map((item) => `${JSON.stringify(exportRecord(item))}\n`).join("");
}

export function download(content, type, name) {
  const url = URL.createObjectURL(new Blob([content], { type }));
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
