// Laurel console: a single page over the public API. The key lives in this tab's sessionStorage only; every
// request carries it in the Authorization header (never in a cookie or an address sent to a server).
const KEY = "laurel.console.key";
const main = document.getElementById("main");
let timers = [];
let me = null;

// ---- the API --------------------------------------------------------------------------------------------------------

class Problem extends Error {
  constructor(status, body) {
    super((body && (body.detail || body.title)) || ("HTTP " + status));
    this.status = status;
    this.body = body || {};
  }
}

async function api(method, path, body, accept) {
  const headers = { Authorization: "Bearer " + sessionStorage.getItem(KEY) };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (accept) headers.Accept = accept;
  const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const type = res.headers.get("Content-Type") || "";
  if (accept === "text/csv" && res.ok) return res.blob();
  const data = res.status === 204 ? null : type.includes("json") ? await res.json() : await res.text();
  if (!res.ok) throw new Problem(res.status, typeof data === "object" ? data : { detail: String(data) });
  return data;
}

// ---- small DOM helpers ----------------------------------------------------------------------------------------------

function h(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else if (k === "text") e.textContent = v;
    else e.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat()) if (c !== null && c !== undefined) e.append(c instanceof Node ? c : String(c));
  return e;
}

let ids = 0;
function field(label, input, hint) {
  const id = "f" + (++ids);
  input.id = id;
  const out = [h("label", { for: id }, label), input];
  if (hint) out.push(h("p", { class: "muted" }, hint));
  out.push(h("div", { class: "field-error", "data-for": input.name || "", role: "alert" }));
  return out;
}

function input(name, value, extra) { return h("input", Object.assign({ name, value: value ?? "" }, extra || {})); }
function textarea(name, value, extra) { const t = h("textarea", Object.assign({ name }, extra || {})); t.value = value ?? ""; return t; }

/** A problem detail as people read it: the title, what went wrong, and each field at its pointer. */
function problemBox(p) {
  const b = p.body || {};
  const box = h("div", { class: "problem", role: "alert" },
    h("strong", {}, (b.title || "Error") + (b.code ? " (" + b.code + ")" : "")), h("p", {}, b.detail || p.message));
  if (Array.isArray(b.errors) && b.errors.length) {
    box.append(h("ul", {}, b.errors.map(e => h("li", {}, h("code", {}, e.pointer || "(the body)"), " ", e.message))));
  }
  return box;
}

/** Shows the problem above the form and each pointer's message under the field it names (top-level pointer). */
function showProblem(form, p) {
  form.querySelectorAll(".field-error").forEach(e => e.textContent = "");
  form.querySelectorAll(".problem,.ok").forEach(e => e.remove());
  for (const err of (p.body && p.body.errors) || []) {
    const name = (err.pointer || "").split("/")[1] || "";
    const slot = form.querySelector('.field-error[data-for="' + name + '"]');
    if (slot) slot.textContent = (err.pointer || "") + ": " + err.message;
  }
  form.prepend(problemBox(p));
}

function ok(form, text) {
  form.querySelectorAll(".problem,.ok").forEach(e => e.remove());
  form.querySelectorAll(".field-error").forEach(e => e.textContent = "");
  form.prepend(h("div", { class: "ok", role: "status" }, text));
}

function table(columns, rows) {
  return h("div", { class: "wide" }, h("table", {},
    h("thead", {}, h("tr", {}, columns.map(c => h("th", { scope: "col", class: c.num ? "num" : null }, c.label)))),
    h("tbody", {}, rows.length ? rows.map(r => h("tr", {}, columns.map(c => {
      const v = c.value(r);
      return h("td", { class: c.num ? "num" : null }, v instanceof Node ? v : v ?? "");
    }))) : h("tr", {}, h("td", { colspan: columns.length, class: "muted" }, "Nothing yet.")))));
}

function json(text) { try { return [JSON.parse(text), null]; } catch (e) { return [null, e.message]; } }
function screen(title, ...children) { main.replaceChildren(h("h1", {}, title), ...children); document.title = title + " · Laurel"; firstScreen(); }
/** When the first screen was shown, in ms since the page was requested (read by the tests; nothing is sent). */
function firstScreen() { if (!document.body.dataset.firstScreenMs) document.body.dataset.firstScreenMs = String(Math.round(performance.now())); }
function every(ms, fn) { timers.push(setInterval(fn, ms)); }

// ---- sign in ---------------------------------------------------------------------------------------------------------

function signIn(message) {
  document.getElementById("top").hidden = true;
  const form = h("form", { class: "card signin", "aria-labelledby": "signin-title" },
    h("h1", { id: "signin-title" }, "Sign in to Laurel"),
    ...field("API key", input("api_key", "", { type: "password", autocomplete: "off", required: true }),
      "A tenant's key, or the platform key. It stays in this tab only."),
    h("button", { type: "submit" }, "Sign in"));
  if (message) form.append(problemBox(message));
  form.addEventListener("submit", async ev => {
    ev.preventDefault();
    sessionStorage.setItem(KEY, form.api_key.value.trim());
    try {
      me = await api("GET", "/v1/me");
      route();
    } catch (p) {
      sessionStorage.removeItem(KEY);
      showProblem(form, p.status === 401 ? new Problem(401, { title: "Unknown key", code: p.body.code,
        detail: "This key is not valid: check it, or ask for a new one." }) : p);
    }
  });
  main.replaceChildren(form);
  document.title = "Sign in · Laurel";
  form.api_key.focus();
  firstScreen();
}

// ---- catalog -----------------------------------------------------------------------------------------------------------

async function eventTypes() {
  const list = await api("GET", "/v1/admin/event-types");
  const form = h("form", { class: "card", "aria-label": "New event type" }, h("h2", {}, "New event type"),
    ...field("Name", input("name", "", { required: true })),
    ...field("Description", input("description")),
    ...field("Event data schema (JSON Schema or the short form)", textarea("event_data_schema",
      '{ "required": ["amount"], "properties": { "amount": "number" } }')),
    h("button", { type: "submit" }, "Create"));
  form.addEventListener("submit", async ev => {
    ev.preventDefault();
    const [schema, err] = json(form.event_data_schema.value);
    if (err) return showProblem(form, new Problem(400, { title: "Not JSON", detail: err, errors: [{ pointer: "/event_data_schema", message: err }] }));
    try {
      await api("POST", "/v1/admin/event-types", { name: form.elements.namedItem("name").value, description: form.description.value || undefined, event_data_schema: schema });
      route();
    } catch (p) { showProblem(form, p); }
  });
  const first = list.event_types.find(t => !t.is_system);
  const sample = { event_type: first ? first.name : "", user_id: "user-1", event_data: {} };
  const tryForm = h("form", { class: "card", "aria-label": "Try an event" }, h("h2", {}, "Try an event"),
    ...field("Event (as sent to POST /v1/events)", textarea("event", JSON.stringify(sample, null, 2))),
    h("button", { type: "submit", name: "validate" }, "Validate"),
    h("button", { type: "button", class: "secondary", name: "send", onclick: () => tryEvent(tryForm, true) }, "Send it"));
  tryForm.addEventListener("submit", ev => { ev.preventDefault(); tryEvent(tryForm, false); });
  screen("Event types", table([
    { label: "Name", value: t => t.name },
    { label: "Description", value: t => t.description },
    { label: "System", value: t => t.is_system ? "yes" : "no" },
    { label: "Version", value: t => t.version, num: true },
    { label: "Schema", value: t => h("details", {}, h("summary", {}, "show"), h("pre", {}, JSON.stringify(t.event_data_schema, null, 2))) },
  ], list.event_types), form, tryForm);
}

async function tryEvent(form, send) {
  const [event, err] = json(form.event.value);
  if (err) return showProblem(form, new Problem(400, { title: "Not JSON", detail: err }));
  try {
    if (send) {
      const r = await api("POST", "/v1/events", event);
      ok(form, "Sent: event " + r.event_id + " (" + r.status + ").");
    } else {
      const r = await api("POST", "/v1/events:validate", event);
      ok(form, "Valid: a " + r.event_type + " event (version " + r.event_type_version + ") for " + r.user_id + ". Nothing was sent.");
    }
  } catch (p) { showProblem(form, p); }
}

async function rules() {
  const [list, types] = await Promise.all([api("GET", "/v1/admin/rules"), api("GET", "/v1/admin/event-types")]);
  const form = h("form", { class: "card", "aria-label": "New rule" }, h("h2", {}, "New rule"),
    ...field("Name", input("name", "", { required: true })),
    ...field("Event type", h("select", { name: "event_type" }, types.event_types.filter(t => !t.is_system).map(t => h("option", { value: t.name }, t.name)))),
    ...field("Points (a number or an expression such as floor(amount / 10))", input("points", "10")),
    ...field("Condition (optional, such as amount >= 5)", input("condition")),
    ...field("Currency (optional)", input("currency")),
    h("button", { type: "submit" }, "Create"));
  form.addEventListener("submit", async ev => {
    ev.preventDefault();
    const number = /^-?\d+$/.test(form.points.value.trim());
    try {
      await api("POST", "/v1/admin/rules", { name: form.elements.namedItem("name").value, event_type: form.event_type.value,
        points: number ? Number(form.points.value) : undefined, points_expression: number ? undefined : form.points.value,
        condition: form.condition.value || undefined, currency: form.currency.value || undefined });
      route();
    } catch (p) { showProblem(form, p); }
  });
  screen("Rules", table([
    { label: "Name", value: r => r.name },
    { label: "Event type", value: r => r.event_type },
    { label: "Points", value: r => String(r.points ?? r.points_expression ?? "") },
    { label: "Condition", value: r => r.condition },
    { label: "Version", value: r => r.version, num: true },
    { label: "Active", value: r => r.active === false ? "retired" : "yes" },
    { label: "Preview", value: r => h("button", { type: "button", class: "secondary", onclick: () => preview(r) }, "What it gives (dry run)") },
  ], list.rules), form);
}

/** A rule's effect on history: a recalculation dry run of its event type over the last 30 days. */
async function preview(rule) {
  const from = new Date(Date.now() - 30 * 24 * 3600 * 1000).toISOString();
  try {
    const r = await api("POST", "/v1/ops/recalculations", { from, event_types: [rule.event_type] });
    location.hash = "#/ops/recalculations/" + r.id;
  } catch (p) { main.prepend(problemBox(p)); }
}

const KINDS = { badges: "Badges", levels: "Levels", challenges: "Challenges", features: "Features", leaderboards: "Leaderboards", "certificate-templates": "Certificate templates" };

async function definitions(kind) {
  const data = await api("GET", "/v1/admin/" + kind);
  const items = Object.values(data).find(Array.isArray) || [];
  const form = h("form", { class: "card", "aria-label": "New definition" }, h("h2", {}, "New (JSON as docs/api.md gives it)"),
    ...field("Definition", textarea("definition", '{ "id": "" }')), h("button", { type: "submit" }, "Create"));
  form.addEventListener("submit", async ev => {
    ev.preventDefault();
    const [body, err] = json(form.definition.value);
    if (err) return showProblem(form, new Problem(400, { title: "Not JSON", detail: err }));
    try { await api("POST", "/v1/admin/" + kind, body); route(); } catch (p) { showProblem(form, p); }
  });
  screen(KINDS[kind] || kind, table([
    { label: "Id", value: d => d.id },
    { label: "Name", value: d => d.name },
    { label: "Version", value: d => d.version, num: true },
    { label: "Definition", value: d => h("details", {}, h("summary", {}, "show"), h("pre", {}, JSON.stringify(d, null, 2))) },
  ], items), form);
}

async function webhooks() {
  const list = await api("GET", "/v1/admin/webhooks");
  const log = h("div");
  const form = h("form", { class: "card", "aria-label": "New webhook" }, h("h2", {}, "New webhook"),
    ...field("URL", input("url", "", { type: "url", required: true })),
    ...field("Kinds (comma-separated, empty for all)", input("kinds")), h("button", { type: "submit" }, "Subscribe"));
  form.addEventListener("submit", async ev => {
    ev.preventDefault();
    const kinds = form.kinds.value.split(",").map(s => s.trim()).filter(Boolean);
    try {
      const w = await api("POST", "/v1/admin/webhooks", { url: form.url.value, kinds: kinds.length ? kinds : undefined });
      ok(form, "Subscribed. Signing secret, shown once: " + w.secret);
    } catch (p) { showProblem(form, p); }
  });
  screen("Webhooks", table([
    { label: "URL", value: w => w.url },
    { label: "Kinds", value: w => (w.kinds || []).join(", ") },
    { label: "Deliveries", value: w => h("button", { type: "button", class: "secondary", onclick: async () => {
      const d = await api("GET", "/v1/admin/webhooks/" + w.id + "/deliveries");
      log.replaceChildren(h("h2", {}, "Deliveries to " + w.url), table([
        { label: "Delivery", value: x => x.id }, { label: "Status", value: x => x.status },
        { label: "Attempts", value: x => x.attempts, num: true },
        { label: "Last answer", value: x => x.last_status ?? x.last_error ?? "" },
      ], d.deliveries || []));
    } }, "Delivery log") },
  ], list.webhooks || []), form, log);
}

async function apiKeys() {
  const tenant = me.tenant;
  const list = await api("GET", "/v1/admin/tenants/" + encodeURIComponent(tenant) + "/api-keys");
  const scopes = me.scopes;
  const form = h("form", { class: "card", "aria-label": "New API key" }, h("h2", {}, "New key for " + tenant),
    ...field("Name", input("name", "", { required: true })),
    h("fieldset", {}, h("legend", {}, "Scopes"), scopes.map(s => h("label", {}, h("input", { type: "checkbox", name: "scope", value: s }), " " + s))),
    h("button", { type: "submit" }, "Create"));
  form.addEventListener("submit", async ev => {
    ev.preventDefault();
    const chosen = [...form.querySelectorAll("input[name=scope]:checked")].map(c => c.value);
    try {
      const k = await api("POST", "/v1/admin/tenants/" + encodeURIComponent(tenant) + "/api-keys", { name: form.elements.namedItem("name").value, scopes: chosen });
      ok(form, "Created. Copy the key now, it is shown only once:");
      form.querySelector(".ok").append(h("p", { class: "key-once" }, k.key));
    } catch (p) { showProblem(form, p); }
  });
  screen("API keys", table([
    { label: "Name", value: k => k.name },
    { label: "Scopes", value: k => (k.scopes || []).join(", ") },
    { label: "Created", value: k => k.created_at },
    { label: "", value: k => h("button", { type: "button", class: "danger", onclick: async () => {
      if (!confirm("Revoke the key " + k.name + "?")) return;
      try { await api("DELETE", "/v1/admin/tenants/" + encodeURIComponent(tenant) + "/api-keys/" + k.id); route(); } catch (p) { main.prepend(problemBox(p)); }
    } }, "Revoke") },
  ], list.api_keys || list.keys || []), form);
}

// ---- people ----------------------------------------------------------------------------------------------------------

function userLookup() {
  const form = h("form", { class: "card", role: "search" }, ...field("User id", input("user", "", { required: true })), h("button", { type: "submit" }, "Look up"));
  form.addEventListener("submit", ev => { ev.preventDefault(); location.hash = "#/users/" + encodeURIComponent(form.user.value.trim()); });
  screen("People", form);
  form.user.focus();
}

async function user(id) {
  const enc = encodeURIComponent(id);
  const [points, ledger, summary, notes] = await Promise.all([
    api("GET", "/v1/users/" + enc + "/points"), api("GET", "/v1/users/" + enc + "/ledger?limit=50"),
    api("GET", "/v1/users/" + enc).catch(() => null), api("GET", "/v1/notifications?user_id=" + enc + "&limit=20").catch(() => null)]);
  const grant = h("form", { class: "card", "aria-label": "Grant a badge" }, h("h2", {}, "Grant a manual badge"),
    ...field("Badge id", input("badge", "", { required: true })), h("button", { type: "submit" }, "Grant"));
  grant.addEventListener("submit", async ev => {
    ev.preventDefault();
    try { const g = await api("POST", "/v1/badges/" + encodeURIComponent(grant.badge.value) + "/grants", { user_id: id });
      ok(grant, g.badge_earned ? "Granted." : "The user holds it already."); } catch (p) { showProblem(grant, p); }
  });
  const score = h("form", { class: "card", "aria-label": "Post a score event" }, h("h2", {}, "Give or take points (score event)"),
    ...field("Points (negative takes)", input("points", "10", { type: "number", required: true })),
    ...field("Description", input("description")), h("button", { type: "submit" }, "Post"));
  score.addEventListener("submit", async ev => {
    ev.preventDefault();
    try { await api("POST", "/v1/score-events", { user_id: id, points: Number(score.points.value), description: score.description.value || undefined });
      ok(score, "Posted."); setTimeout(route, 800); } catch (p) { showProblem(score, p); }
  });
  screen("User " + id + (summary && summary.display_name ? " (" + summary.display_name + ")" : ""),
    h("h2", {}, "Points"), table([
      { label: "Currency", value: b => b.currency }, { label: "Available", value: b => b.available, num: true },
      { label: "Earned", value: b => b.earned, num: true }, { label: "Redeemed", value: b => b.redeemed, num: true },
    ], points.balances || []),
    h("h2", {}, "Ledger"), table([
      { label: "When", value: e => e.occurred_at }, { label: "Points", value: e => e.points, num: true },
      { label: "Currency", value: e => e.currency }, { label: "Kind", value: e => e.kind },
      { label: "Event", value: e => e.event_id }, { label: "Rule", value: e => e.rule_id ? e.rule_id + " v" + e.rule_version : "" },
      { label: "Description", value: e => e.description },
    ], ledger.entries || []),
    h("h2", {}, "Badges"), table([{ label: "Badge", value: b => b.name || b.badge_id }, { label: "Count", value: b => b.count, num: true },
      { label: "Certificate", value: b => b.award_id ? h("a", { href: "/v1/certificates/" + b.award_id, target: "_blank", rel: "noopener" }, "open") : "" }],
      (summary && summary.badges) || []),
    h("h2", {}, "Levels"), table([{ label: "Set", value: l => l.level_set }, { label: "Level", value: l => l.level ? l.level.name : "—" },
      { label: "Points", value: l => l.points, num: true }], (summary && summary.levels) || []),
    h("h2", {}, "Challenges"), table([{ label: "Challenge", value: c => c.name || c.challenge_id }, { label: "Status", value: c => c.status },
      { label: "Progress", value: c => c.percent !== undefined ? h("progress", { max: 100, value: c.percent }, c.percent + "%") : "" }],
      (summary && summary.challenges) || []),
    h("h2", {}, "Features"), table([{ label: "Feature", value: f => f.name }, { label: "Unlocked", value: f => f.unlocked_at }], (summary && summary.features) || []),
    h("h2", {}, "Notifications"), table([{ label: "When", value: n => n.created_at }, { label: "", value: n => n.title }], (notes && notes.notifications) || []),
    grant, score);
}

// ---- leaderboards ----------------------------------------------------------------------------------------------------

async function boards() {
  const list = await api("GET", "/v1/admin/leaderboards");
  screen("Leaderboards", table([{ label: "Board", value: b => h("a", { href: "#/leaderboards/" + encodeURIComponent(b.id) }, b.name || b.id) },
    { label: "Period", value: b => b.period }, { label: "Currency", value: b => b.currency }], list.leaderboards || []));
}

async function board(id, params) {
  const offset = Number(params.get("offset") || 0), limit = Number(params.get("limit") || 25), at = params.get("at") || "", around = params.get("around") || "";
  const body = h("div");
  const controls = h("form", { class: "card", "aria-label": "Page" },
    ...field("Period containing (date, empty for now)", input("at", at, { placeholder: "2026-05-01" })),
    ...field("Around user", input("around", around)), h("button", { type: "submit" }, "Show"));
  controls.addEventListener("submit", ev => { ev.preventDefault();
    location.hash = "#/leaderboards/" + encodeURIComponent(id) + "?at=" + encodeURIComponent(controls.at.value) + "&around=" + encodeURIComponent(controls.around.value); });
  async function load() {
    const q = at ? "&at=" + encodeURIComponent(at) : "";
    const page = around ? await api("GET", "/v1/leaderboards/" + encodeURIComponent(id) + "/around/" + encodeURIComponent(around) + "?radius=5" + q)
      : await api("GET", "/v1/leaderboards/" + encodeURIComponent(id) + "?offset=" + offset + "&limit=" + limit + q);
    body.replaceChildren(h("p", { class: "muted" }, page.total + " members, period from " + (page.period_start || "the start") + ". Updates every 2 s."),
      table([{ label: "Rank", value: e => e.rank, num: true }, { label: "User", value: e => h("a", { href: "#/users/" + encodeURIComponent(e.user_id) }, e.display_name || e.user_id) },
        { label: "Score", value: e => e.score, num: true }], page.entries),
      h("p", {}, offset > 0 ? h("a", { href: "#/leaderboards/" + encodeURIComponent(id) + "?offset=" + Math.max(0, offset - limit) + "&limit=" + limit }, "← previous") : "", " ",
        offset + limit < page.total && !around ? h("a", { href: "#/leaderboards/" + encodeURIComponent(id) + "?offset=" + (offset + limit) + "&limit=" + limit }, "next →") : ""));
  }
  screen("Leaderboard " + id, controls, body);
  await load().catch(p => body.replaceChildren(problemBox(p)));
  every(2000, () => load().catch(() => {}));
}

// ---- operations -------------------------------------------------------------------------------------------------------

function eta(seconds) { return seconds == null ? "" : seconds < 90 ? Math.round(seconds) + " s" : Math.round(seconds / 60) + " min"; }

async function ops() {
  const out = h("div");
  const projections = await api("GET", "/v1/ops/projections").catch(p => p);
  if (projections instanceof Problem) {
    out.append(h("p", { class: "muted" }, "Projections and rebuilds need the platform key."), problemBox(projections));
  } else {
    out.append(h("h2", {}, "Projections"), table([
      { label: "Projection", value: p => p.name }, { label: "Service", value: p => p.service },
      { label: "Status", value: p => p.status }, { label: "Lag", value: p => p.lag, num: true },
      { label: "Generation", value: p => p.generation, num: true },
      { label: "", value: p => h("button", { type: "button", class: "secondary", onclick: async () => {
        try { const r = await api("POST", "/v1/ops/projections/" + p.name + "/rebuild", { switch: "auto" }); location.hash = "#/ops/rebuilds/" + r.id; }
        catch (e) { out.prepend(problemBox(e)); } } }, "Rebuild") },
    ], projections.projections));
  }
  const recalc = h("form", { class: "card", "aria-label": "New recalculation" }, h("h2", {}, "Recalculate (dry run first)"),
    ...field("From (ISO time, empty for all history)", input("from", "", { placeholder: "2026-01-01T00:00:00Z" })),
    ...field("To (ISO time, optional)", input("to")),
    ...field("Event types (comma-separated, optional)", input("event_types")), h("button", { type: "submit" }, "Start the dry run"));
  recalc.addEventListener("submit", async ev => {
    ev.preventDefault();
    const types = recalc.event_types.value.split(",").map(s => s.trim()).filter(Boolean);
    try { const r = await api("POST", "/v1/ops/recalculations", { from: recalc.from.value || null, to: recalc.to.value || null, event_types: types.length ? types : null });
      location.hash = "#/ops/recalculations/" + r.id; } catch (p) { showProblem(recalc, p); }
  });
  const recent = await api("GET", "/v1/ops/recalculations?limit=10").catch(() => null);
  screen("Operations", out, recalc, recent ? h("div", {}, h("h2", {}, "Recent recalculations"), table([
    { label: "Recalculation", value: r => h("a", { href: "#/ops/recalculations/" + r.id }, r.id) }, { label: "Status", value: r => r.status },
    { label: "Users changed", value: r => r.users_changed, num: true }], recent.recalculations || [])) : "");
}

async function rebuild(id) {
  const view = h("div", { "aria-live": "polite" });
  screen("Rebuild", view);
  async function load() {
    const r = await api("GET", "/v1/ops/rebuilds/" + id);
    const pct = Math.round((r.progress || 0) * 100);
    view.replaceChildren(h("p", {}, "Projection ", h("strong", {}, r.projection), ", generation " + r.generation + ": ", h("strong", { id: "rebuild-status" }, r.status)),
      h("label", { for: "rebuild-progress" }, "Progress " + pct + "%"), h("progress", { id: "rebuild-progress", max: 100, value: pct }, pct + "%"),
      h("p", { class: "muted" }, (r.records_processed ?? 0) + " of " + (r.records_total ?? "?") + " records" + (r.records_per_second ? ", " + Math.round(r.records_per_second) + "/s" : "") + (r.eta_seconds != null ? ", about " + eta(r.eta_seconds) + " left" : "")));
    return r.status;
  }
  await load();
  every(1000, () => load().catch(() => {}));
}

async function recalculation(id) {
  const view = h("div", { "aria-live": "polite" });
  const changes = h("div");
  let sort = "abs_delta", order = "";
  screen("Recalculation", view, changes);
  async function loadChanges() {
    const c = await api("GET", "/v1/ops/recalculations/" + id + "/changes?limit=100&sort=" + sort + (order ? "&order=" + order : ""));
    const cols = [["user_id", "User"], ["currency", "Currency"], ["before", "Before"], ["after", "After"], ["delta", "Delta"]];
    const head = h("tr", {}, cols.map(([key, label]) => h("th", { scope: "col", tabindex: 0, "aria-sort": sort === key ? (order === "asc" ? "ascending" : "descending") : "none",
      onclick: () => { order = sort === key && order !== "asc" ? "asc" : "desc"; sort = key; loadChanges(); },
      onkeydown: e => { if (e.key === "Enter") e.target.click(); } }, label)));
    changes.replaceChildren(h("h2", {}, "Changes"), h("div", { class: "wide" }, h("table", {}, h("thead", {}, head),
      h("tbody", {}, (c.changes || []).map(x => h("tr", {}, h("td", {}, h("a", { href: "#/users/" + encodeURIComponent(x.user_id) }, x.user_id)), h("td", {}, x.currency),
        h("td", { class: "num" }, x.before), h("td", { class: "num" }, x.after), h("td", { class: "num" }, x.delta)))))),
      h("button", { type: "button", class: "secondary", onclick: async () => {
        const blob = await api("GET", "/v1/ops/recalculations/" + id + "/changes", undefined, "text/csv");
        const a = h("a", { href: URL.createObjectURL(blob), download: "recalculation-" + id + ".csv" }); document.body.append(a); a.click(); a.remove();
      } }, "Download CSV"));
  }
  let shown = "";
  async function load() {
    const r = await api("GET", "/v1/ops/recalculations/" + id);
    const pct = Math.round((r.progress || 0) * 100);
    view.replaceChildren(h("p", {}, "Status: ", h("strong", { id: "recalc-status" }, r.status), r.eta_seconds != null && r.status === "running" ? " · about " + eta(r.eta_seconds) + " left" : ""),
      h("progress", { max: 100, value: pct, "aria-label": "Progress" }, pct + "%"),
      h("p", {}, (r.events_scanned ?? 0) + " events scanned; " + (r.users_changed ?? 0) + " users and " + (r.entries_changed ?? 0) + " entries change."),
      table([{ label: "Currency", value: t => t.currency }, { label: "Gained", value: t => t.points_gained, num: true },
        { label: "Lost", value: t => t.points_lost, num: true }, { label: "Net", value: t => t.net, num: true }], r.totals || []),
      r.status === "ready" ? h("button", { type: "button", id: "apply", onclick: async () => {
        if (!confirm("Apply these changes to the journal?")) return;
        try { await api("POST", "/v1/ops/recalculations/" + id + "/apply"); load(); } catch (p) { view.prepend(problemBox(p)); } } }, "Apply") : "",
      r.status === "ready" ? h("button", { type: "button", class: "danger", onclick: async () => { await api("DELETE", "/v1/ops/recalculations/" + id); location.hash = "#/ops"; } }, "Discard") : "");
    if (r.status !== shown && ["ready", "applying", "applied"].includes(r.status)) { shown = r.status; await loadChanges(); }
  }
  await load();
  every(1000, () => load().catch(() => {}));
}

// ---- routing -----------------------------------------------------------------------------------------------------------

const ROUTES = [
  [/^#\/event-types$/, () => eventTypes()],
  [/^#\/rules$/, () => rules()],
  [/^#\/definitions\/([a-z-]+)$/, m => definitions(m[1])],
  [/^#\/webhooks$/, () => webhooks()],
  [/^#\/api-keys$/, () => apiKeys()],
  [/^#\/users$/, () => userLookup()],
  [/^#\/users\/(.+)$/, m => user(decodeURIComponent(m[1]))],
  [/^#\/leaderboards$/, () => boards()],
  [/^#\/leaderboards\/([^?]+)(?:\?(.*))?$/, m => board(decodeURIComponent(m[1]), new URLSearchParams(m[2] || ""))],
  [/^#\/ops$/, () => ops()],
  [/^#\/ops\/rebuilds\/(.+)$/, m => rebuild(m[1])],
  [/^#\/ops\/recalculations\/(.+)$/, m => recalculation(m[1])],
];

async function route() {
  timers.forEach(clearInterval);
  timers = [];
  if (!sessionStorage.getItem(KEY)) return signIn();
  if (!me) {
    try { me = await api("GET", "/v1/me"); } catch (p) { sessionStorage.removeItem(KEY); return signIn(p); }
  }
  document.getElementById("top").hidden = false;
  document.getElementById("who").textContent = me.tenant + (me.manages_tenants ? " (platform)" : "");
  const hash = location.hash && location.hash !== "#/" ? location.hash : "#/event-types";
  for (const a of document.querySelectorAll("#nav a")) {
    if (hash.startsWith(a.getAttribute("href"))) a.setAttribute("aria-current", "page"); else a.removeAttribute("aria-current");
  }
  for (const [pattern, show] of ROUTES) {
    const m = hash.match(pattern);
    if (m) {
      try { await show(m); } catch (p) { screen("Something went wrong", problemBox(p instanceof Problem ? p : new Problem(0, { detail: String(p) }))); }
      main.focus();
      return;
    }
  }
  screen("Not found", h("p", {}, "No screen at " + hash + "."));
}

document.getElementById("signout").addEventListener("click", () => { sessionStorage.removeItem(KEY); me = null; route(); });
window.addEventListener("hashchange", route);
route();
