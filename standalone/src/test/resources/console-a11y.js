// Accessibility checks of the screen shown, run in the browser by ConsoleIT: every form control has a label, every
// button and link a name, every text its contrast (WCAG 2.1 AA: 4.5:1, large text 3:1), and nothing wider than the
// window (usable on a phone). Answers a list of problems, empty when the screen passes.
const problems = [];
const shown = e => { const r = e.getBoundingClientRect(); const s = getComputedStyle(e);
  return r.width > 0 && r.height > 0 && s.visibility !== "hidden" && s.display !== "none"; };
const describe = e => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") + (e.name ? "[name=" + e.name + "]" : "")
  + " \"" + (e.textContent || "").trim().slice(0, 30) + "\"";

for (const c of document.querySelectorAll("input, select, textarea")) {
  if (c.type === "hidden" || !shown(c)) continue;
  const named = (c.labels && c.labels.length && [...c.labels].some(l => l.textContent.trim()))
    || (c.getAttribute("aria-label") || "").trim() || c.getAttribute("aria-labelledby");
  if (!named) problems.push("no label: " + describe(c));
}
for (const b of document.querySelectorAll("button, a[href], [role=button], th[tabindex]")) {
  if (!shown(b)) continue;
  if (!((b.textContent || "").trim() || (b.getAttribute("aria-label") || "").trim())) problems.push("no name: " + describe(b));
}

function rgba(text) {
  const m = text.match(/rgba?\(([^)]+)\)/);
  if (!m) return [0, 0, 0, 0];
  const p = m[1].split(",").map(Number);
  return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
}
function luminance([r, g, b]) {
  const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
  return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
}
function background(e) {
  for (let n = e; n; n = n.parentElement) {
    const c = rgba(getComputedStyle(n).backgroundColor);
    if (c[3] > 0.5) return c;
  }
  return [255, 255, 255, 1];
}
for (const e of document.querySelectorAll("body *")) {
  if (!shown(e) || !["BUTTON", "A", "LABEL", "TD", "TH", "P", "SPAN", "STRONG", "H1", "H2", "LI", "SUMMARY", "LEGEND", "CODE", "PRE", "DIV", "PROGRESS"]
    .includes(e.tagName)) continue;
  if (![...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim())) continue;
  const s = getComputedStyle(e);
  const fg = rgba(s.color), bg = background(e);
  const l1 = luminance(fg), l2 = luminance(bg);
  const ratio = (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);
  const size = parseFloat(s.fontSize), bold = Number(s.fontWeight) >= 700;
  const need = size >= 24 || (bold && size >= 18.66) ? 3 : 4.5;
  if (ratio < need) problems.push("contrast " + ratio.toFixed(2) + " < " + need + ": " + describe(e));
}
if (document.documentElement.scrollWidth > window.innerWidth + 1) {
  problems.push("wider than the window: " + document.documentElement.scrollWidth + " > " + window.innerWidth);
}
return problems;
