// Laurel console: a single page over the public API. The key lives in this tab's sessionStorage only; every
// request carries it in the Authorization header (never in a cookie or an address sent to a server).
const KEY = "laurel.console.key";
const main = document.getElementById("main");
let timers = [];
let streams = []; // the open event streams of the screen shown (closed when it changes)
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
  for (const c of children.flat(Infinity)) if (c !== null && c !== undefined) e.append(c instanceof Node ? c : String(c));
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

/**
 * Shows the problem above the form and each pointer's message under the field it names (top-level pointer). Where a
 * message names a character ("at character 7", from the expression parser) the field's text is shown with a caret
 * under that character, and the cursor is put there.
 */
function showProblem(form, p) {
  clearMessages(form);
  let first = null;
  for (const err of (p.body && p.body.errors) || []) {
    const name = (err.pointer || "").split("/")[1] || "";
    const slot = form.querySelector('.field-error[data-for="' + name + '"]');
    if (!slot) continue;
    slot.append(h("span", {}, (err.pointer || "") + ": " + err.message));
    const control = form.elements.namedItem(name);
    const at = /at character (\d+)/.exec(err.message || "");
    if (at && control && typeof control.value === "string") {
      const i = Number(at[1]) - 1;
      slot.append(h("pre", { class: "caret", "aria-hidden": "true" }, control.value + "\n" + " ".repeat(Math.max(0, i)) + "^"));
      if (!first) first = () => { control.focus(); control.setSelectionRange(i, i + 1); };
    }
    if (control && control.setAttribute) control.setAttribute("aria-invalid", "true");
  }
  form.prepend(problemBox(p));
  if (first) first();
}

/**
 * Puts a form of the "New …" / "Edit …" kind in one mode or the other: its label, heading and save button, Cancel
 * shown only when editing, and (editing) the form scrolled into view with the focus on {@code focus}.
 */
function formMode(form, edit, { label, title, save, focus }) {
  clearMessages(form);
  form.setAttribute("aria-label", label);
  form.querySelector("h2").textContent = title;
  form.elements.namedItem("save").textContent = save;
  form.elements.namedItem("cancel").hidden = !edit;
  if (edit) { form.scrollIntoView({ block: "start" }); focus.focus(); }
}

function clearMessages(form) {
  form.querySelectorAll(".field-error").forEach(e => e.replaceChildren());
  form.querySelectorAll(".problem,.ok").forEach(e => e.remove());
  form.querySelectorAll("[aria-invalid]").forEach(e => e.removeAttribute("aria-invalid"));
}

/** A JSON text that does not parse, as a problem at the field's pointer (the browser's message names the position). */
function notJson(name, message) {
  return new Problem(400, { title: "Not JSON", code: "MALFORMED_JSON", detail: "The " + name.replace(/_/g, " ") + " is not JSON.",
    errors: [{ pointer: "/" + name, message: "not JSON: " + message }] });
}

function ok(form, text) {
  clearMessages(form);
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
/** Runs fn every ms while the element of the screen that asked is shown (a screen left mid-load asks for nothing). */
function every(ms, fn, el) {
  const t = setInterval(() => { if (el.isConnected) fn(); else clearInterval(t); }, ms);
  timers.push(t);
}

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
  let editing = null; // the name of the type being edited, or null for a new one
  const form = h("form", { class: "card", "aria-label": "New event type" }, h("h2", {}, "New event type"),
    ...field("Name", input("name", "", { required: true })),
    ...field("Description", input("description")),
    ...field("Event data schema (JSON Schema or the short form)", textarea("event_data_schema",
      '{ "required": ["amount"], "properties": { "amount": "number" } }', { rows: 10 })),
    h("button", { type: "submit", name: "save" }, "Create"),
    h("button", { type: "button", class: "secondary", name: "cancel", hidden: true, onclick: () => edit(null) }, "Cancel"));
  function edit(type) {
    editing = type ? type.name : null;
    const name = form.elements.namedItem("name");
    name.value = type ? type.name : "";
    name.disabled = !!type;
    form.description.value = type ? type.description || "" : "";
    form.event_data_schema.value = type ? JSON.stringify(type.event_data_schema || {}, null, 2) : "";
    form.event_data_schema.placeholder = type ? "" : "empty: any object";
    formMode(form, !!type, { label: type ? "Edit event type" : "New event type",
      title: type ? "Edit " + type.name + " (version " + type.version + ")" : "New event type",
      save: type ? "Save as version " + (type.version + 1) : "Create", focus: form.event_data_schema });
  }
  form.addEventListener("submit", async ev => {
    ev.preventDefault();
    const text = form.event_data_schema.value.trim();
    const [schema, err] = text ? json(text) : [undefined, null]; // empty: any object (a new type), unchanged (an edit)
    if (err) return showProblem(form, notJson("event_data_schema", err));
    try {
      // an edit sends the description as it stands, so that clearing it removes it
      const body = { description: editing ? form.description.value : form.description.value || undefined, event_data_schema: schema };
      if (editing) await api("PUT", "/v1/admin/event-types/" + encodeURIComponent(editing), body);
      else await api("POST", "/v1/admin/event-types", Object.assign({ name: form.elements.namedItem("name").value }, body));
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
    { label: "", value: t => t.is_system ? "" : h("span", { class: "actions" },
      editButton(t.name, () => edit(t)),
      deleteButton("Delete", "Delete " + t.name, "Delete the event type " + t.name + "? Events of it are refused from now on.",
        "/v1/admin/event-types/" + encodeURIComponent(t.name))) },
  ], list.event_types), form, tryForm);
}

/** A row's Edit button, named after the row for screen readers. */
function editButton(name, onEdit) {
  return h("button", { type: "button", class: "secondary", "aria-label": "Edit " + name, onclick: onEdit }, "Edit");
}

/** A row's Delete, Retire or Revoke button: asks first, then DELETE path and the screen again, or the API's problem. */
function deleteButton(label, ariaLabel, question, path) {
  return h("button", { type: "button", class: "danger", "aria-label": ariaLabel, onclick: async () => {
    if (!confirm(question)) return;
    try { await api("DELETE", path); route(); } catch (p) { main.prepend(problemBox(p)); }
  } }, label);
}

async function tryEvent(form, send) {
  const [event, err] = json(form.event.value);
  if (err) return showProblem(form, notJson("event", err));
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
  let editing = null; // the rule being edited
  const form = h("form", { class: "card", "aria-label": "New rule" }, h("h2", {}, "New rule"),
    ...field("Name", input("name", "", { required: true })),
    ...field("Event type", h("select", { name: "event_type" }, types.event_types.filter(t => !t.is_system).map(t => h("option", { value: t.name }, t.name)))),
    ...field("Points (a number or an expression such as floor(amount / 10))", input("points", "10", { autocomplete: "off", spellcheck: "false" })),
    ...field("Condition (optional, such as amount >= 5)", input("condition", "", { autocomplete: "off", spellcheck: "false" })),
    ...field("Currency (optional, points by default)", input("currency")),
    ...field("Cap period (optional)", h("select", { name: "cap_period" }, ["", "day", "week", "month", "quarter", "year", "all_time"].map(v => h("option", { value: v }, v || "no cap")))),
    ...field("Cap: at most this many points a period", input("cap_max_points", "", { type: "number", min: 1 })),
    h("button", { type: "submit", name: "save" }, "Create"),
    h("button", { type: "button", class: "secondary", name: "cancel", hidden: true, onclick: () => edit(null) }, "Cancel"));
  function edit(rule) {
    editing = rule;
    form.elements.namedItem("name").value = rule ? rule.name : "";
    form.event_type.value = rule ? rule.event_type : form.event_type.value;
    form.event_type.disabled = !!rule; // a rule keeps its event type
    form.points.value = rule ? String(rule.points_expression ?? rule.points ?? "") : "10";
    form.condition.value = rule ? rule.condition || "" : "";
    form.currency.value = rule ? rule.currency || "" : "";
    form.cap_period.value = rule && rule.cap ? rule.cap.period || "" : "";
    form.cap_max_points.value = rule && rule.cap && rule.cap.max_points != null ? rule.cap.max_points : "";
    formMode(form, !!rule, { label: rule ? "Edit rule" : "New rule",
      title: rule ? "Edit " + rule.name + " (version " + rule.version + ")" : "New rule",
      save: rule ? "Save as version " + (rule.version + 1) : "Create", focus: form.points });
  }
  form.addEventListener("submit", async ev => {
    ev.preventDefault();
    const points = form.points.value.trim(), number = /^-?\d+$/.test(points);
    const cap = form.cap_period.value ? Object.assign({ period: form.cap_period.value },
      editing && editing.cap && editing.cap.max_count != null ? { max_count: editing.cap.max_count } : {},
      form.cap_max_points.value ? { max_points: Number(form.cap_max_points.value) } : {}) : undefined;
    const body = { name: form.elements.namedItem("name").value, event_type: form.event_type.value,
      points: number ? Number(points) : undefined, points_expression: number ? undefined : points,
      condition: form.condition.value || undefined, currency: form.currency.value || undefined, cap,
      once_per_user: editing ? editing.once_per_user : undefined };
    try {
      const saved = editing ? await api("PUT", "/v1/admin/rules/" + encodeURIComponent(editing.id), body)
        : await api("POST", "/v1/admin/rules", body);
      await route();
      const p = main.querySelector("form[aria-label='Preview a rule']");
      if (p) { p.rule.value = saved.id; ok(p, "Saved " + saved.name + " as version " + saved.version + ". Preview what it gives:"); }
    } catch (p) { showProblem(form, p); }
  });
  const active = list.rules.filter(r => r.active !== false);
  const preview = h("form", { class: "card", "aria-label": "Preview a rule" }, h("h2", {}, "What would it have given?"),
    h("p", { class: "muted" }, "A recalculation dry run of the rule's event type over its last events, under the rules as they are now: nothing changes until you apply it."),
    ...field("Rule", h("select", { name: "rule" }, active.map(r => h("option", { value: r.id }, r.name + " (" + r.event_type + ")")))),
    ...field("Over the last N events of its type", input("last", "100", { type: "number", min: 1, required: true })),
    h("button", { type: "submit" }, "Preview (dry run)"));
  preview.addEventListener("submit", async ev => {
    ev.preventDefault();
    const rule = active.find(r => r.id === preview.rule.value);
    if (rule) await previewRule(preview, rule, Number(preview.last.value));
  });
  screen("Rules", table([
    { label: "Name", value: r => r.name },
    { label: "Event type", value: r => r.event_type },
    { label: "Points", value: r => String(r.points_expression ?? r.points ?? "") },
    { label: "Condition", value: r => r.condition },
    { label: "Cap", value: r => r.cap ? (r.cap.max_points != null ? r.cap.max_points + " points" : r.cap.max_count + " times") + " a " + r.cap.period : "" },
    { label: "Version", value: r => r.version, num: true },
    { label: "Active", value: r => r.active === false ? "retired" : "yes" },
    { label: "", value: r => r.active === false ? "" : h("span", { class: "actions" },
      h("button", { type: "button", class: "secondary", "aria-label": "Preview " + r.name, onclick: () => {
        preview.rule.value = r.id; previewRule(preview, r, Number(preview.last.value) || 100); } }, "Preview"),
      editButton(r.name, () => edit(r)),
      deleteButton("Retire", "Retire " + r.name, "Retire the rule " + r.name + "? It gives nothing for events received from now on.",
        "/v1/admin/rules/" + encodeURIComponent(r.id))) },
  ], list.rules), form, preview);
}

/**
 * What a rule would have given over the last {@code n} events of its type: a recalculation dry run from the time of
 * the n-th newest such event (the event log is ordered by occurred_at), of that event type only.
 */
async function previewRule(form, rule, n) {
  if (!(n >= 1)) return showProblem(form, new Problem(400, { title: "Not a count", errors: [{ pointer: "/last", message: "give a number of events, 1 or more" }] }));
  try {
    const nth = await api("GET", "/v1/event-log?event_type=" + encodeURIComponent(rule.event_type) + "&offset=" + (n - 1) + "&limit=1");
    let from = nth.events.length ? nth.events[0].occurred_at : null;
    if (!from) {
      const oldest = await api("GET", "/v1/event-log?event_type=" + encodeURIComponent(rule.event_type) + "&limit=1");
      if (!oldest.events.length) return ok(form, "No " + rule.event_type + " events yet: nothing to preview.");
    }
    const r = await api("POST", "/v1/ops/recalculations", { from, event_types: [rule.event_type] });
    location.hash = "#/ops/recalculations/" + r.id;
  } catch (p) { showProblem(form, p); }
}

// Each kind of definition: its title, its list's field, and its form (name, label, options). Fields a definition has
// that its form does not show are kept in "Other fields (JSON)", so saving an edit never drops them.
const BADGE_KINDS = ["count", "first", "points", "streak", "attendance", "manual"];
const KINDS = {
  badges: { title: "Badges", list: "badges", fields: [
    ["id", "Id", { key: true }], ["name", "Name"], ["description", "Description"],
    ["kind", "Kind", { options: BADGE_KINDS, required: true }], ["event_type", "Event type", { eventTypes: true }],
    ["threshold", "Threshold (count, points or days in a row)", { type: "number" }], ["currency", "Currency (points badges)"],
    ["condition", "Condition (optional, such as amount >= 5)", { code: true }], ["streak_unit", "Streak unit", { options: ["", "day", "week"] }],
    ["repeatable", "Repeatable", { type: "bool" }], ["certificate_template", "Certificate template id"], ["image_url", "Image URL", { type: "url" }],
    ["sessions", "Sessions (attendance badges, JSON list of {id, start, end, track?})", { type: "json" }]] },
  levels: { title: "Levels", list: "levels", fields: [
    ["id", "Id", { key: true }], ["name", "Name"], ["currency", "Currency"],
    ["levels", "Levels (JSON list of {number, name, threshold}, both rising)", { type: "json", required: true,
      example: [{ number: 1, name: "Bronze", threshold: 0 }, { number: 2, name: "Silver", threshold: 100 }, { number: 3, name: "Gold", threshold: 500 }] }]] },
  challenges: { title: "Challenges", list: "challenges", fields: [
    ["id", "Id", { key: true }], ["name", "Name"], ["description", "Description"], ["ordered", "Steps in order", { type: "bool" }],
    ["steps", "Steps (JSON list of {kind, event_type, threshold, …})", { type: "json", required: true, example: [{ kind: "count", event_type: "", threshold: 3 }] }],
    ["reward", "Reward (JSON: {points, currency, badge_id})", { type: "json", example: { points: 50 } }],
    ["starts_at", "Starts at (ISO time)"], ["ends_at", "Ends at (ISO time)"]] },
  features: { title: "Features", list: "features", fields: [
    ["id", "Id", { key: true }], ["name", "Name", { required: true }], ["description", "Description"],
    ["unlock", "Unlock (JSON: kind points|badge|level|challenge|manual and its fields)", { type: "json", required: true, example: { kind: "points", threshold: 100 } }]] },
  leaderboards: { title: "Leaderboards", list: "leaderboards", fields: [
    ["id", "Id", { key: true }], ["name", "Name"], ["currency", "Currency"],
    ["period", "Period", { options: ["", "all_time", "yearly", "quarterly", "monthly", "weekly", "daily"] }], ["time_zone", "Time zone (such as Europe/Berlin)"],
    ["group_by", "Group by", { options: ["", "user", "group"] }], ["tie_strategy", "Ties", { options: ["", "competition", "dense", "first_to_reach"] }],
    ["start_date", "Start date"], ["end_date", "End date"], ["redemptions_lower", "Redemptions lower the score", { type: "bool" }]] },
  "certificate-templates": { title: "Certificate templates", list: "certificate_templates", fields: [
    ["id", "Id", { key: true }], ["name", "Name"], ["format", "Format", { options: ["svg", "pdf"], required: true }],
    ["template", "Template (SVG with {{variables}})", { type: "text-long", required: true }]] },
};
for (const spec of Object.values(KINDS)) spec.fields = spec.fields.map(([name, label, opts]) => [name, label, opts || {}]);
const READ_ONLY = ["id", "version", "created_at", "updated_at", "tenant", "active", "retired", "is_system", "previous_versions", "kind"];

function control(name, opts, types) {
  if (opts.type === "bool") return h("input", { type: "checkbox", name });
  if (opts.type === "json" || opts.type === "text-long") return textarea(name, opts.example ? JSON.stringify(opts.example, null, 2) : "", { rows: 6, spellcheck: "false" });
  if (opts.options) return h("select", { name }, opts.options.map(v => h("option", { value: v }, v || "(default)")));
  if (opts.eventTypes) return h("select", { name }, h("option", { value: "" }, "(none)"), types.map(t => h("option", { value: t }, t)));
  return input(name, "", { type: opts.type || "text", required: opts.required || opts.key, spellcheck: opts.code ? "false" : null });
}

function fill(form, spec, def) {
  for (const [name, , opts] of spec.fields) {
    const c = form.elements.namedItem(name), v = def ? def[name] : undefined;
    if (opts.type === "bool") c.checked = v === true;
    else if (opts.type === "json") c.value = v !== undefined ? JSON.stringify(v, null, 2) : def ? "" : opts.example ? JSON.stringify(opts.example, null, 2) : "";
    else if (c.tagName === "SELECT") c.value = v ?? (c.options[0] ? c.options[0].value : "");
    else c.value = v ?? "";
  }
  const known = new Set(spec.fields.map(f => f[0]).concat(READ_ONLY));
  const other = def ? Object.fromEntries(Object.entries(def).filter(([k]) => !known.has(k))) : {};
  form.other.value = Object.keys(other).length ? JSON.stringify(other, null, 2) : "";
  form.querySelector("details.other").open = !!form.other.value; // shown when it holds something
}

/** The form's definition as the API takes it: empty fields left out, numbers and JSON parsed (a problem if not). */
function read(form, spec) {
  const body = {}, errors = [];
  for (const [name, , opts] of spec.fields) {
    const c = form.elements.namedItem(name);
    if (opts.type === "bool") { body[name] = c.checked; continue; }
    const v = c.value.trim();
    if (!v) continue;
    if (opts.type === "json") { const [j, err] = json(v); if (err) errors.push({ pointer: "/" + name, message: "not JSON: " + err }); else body[name] = j; }
    else if (opts.type === "number") body[name] = Number(v);
    else body[name] = opts.type === "text-long" ? c.value : v;
  }
  if (form.other.value.trim()) {
    const [o, err] = json(form.other.value);
    if (err || typeof o !== "object" || Array.isArray(o)) errors.push({ pointer: "/other", message: "not a JSON object: " + (err || "a list or a value") });
    else Object.assign(body, o);
  }
  return [body, errors.length ? new Problem(400, { title: "Not sent", detail: "Some fields are not what the API takes.", errors }) : null];
}

async function definitions(kind) {
  const spec = KINDS[kind];
  if (!spec) return screen("Not found", h("p", {}, "No definitions called " + kind + "."));
  const [data, typeList] = await Promise.all([api("GET", "/v1/admin/" + kind), api("GET", "/v1/admin/event-types")]);
  const items = data[spec.list] || [];
  const types = typeList.event_types.filter(t => !t.is_system).map(t => t.name);
  let editing = null;
  const singular = spec.title.replace(/s$/, "").toLowerCase();
  const form = h("form", { class: "card", "aria-label": "New definition" }, h("h2", {}, "New " + singular),
    spec.fields.map(([name, label, opts]) => opts.type === "bool"
      ? h("div", { class: "check" }, h("label", {}, control(name, opts, types), " " + label), h("div", { class: "field-error", "data-for": name, role: "alert" }))
      : field(label + (opts.required || opts.key ? "" : " (optional)"), control(name, opts, types))),
    h("details", { class: "other" }, h("summary", {}, "Other fields (JSON)"),
      ...field("Fields the form does not show, as one JSON object (see docs/api.md)", textarea("other", "", { rows: 4, spellcheck: "false" }))),
    h("button", { type: "submit", name: "save" }, "Create"),
    h("button", { type: "button", class: "secondary", name: "cancel", hidden: true, onclick: () => edit(null) }, "Cancel"));
  function edit(def) {
    editing = def;
    fill(form, spec, def);
    form.elements.namedItem("id").disabled = !!def;
    formMode(form, !!def, { label: def ? "Edit definition" : "New definition",
      title: def ? "Edit " + def.id + (def.version ? " (version " + def.version + ")" : "") : "New " + singular,
      save: def ? "Save" : "Create", focus: form.elements.namedItem("name") });
  }
  fill(form, spec, null);
  form.addEventListener("submit", async ev => {
    ev.preventDefault();
    const [body, bad] = read(form, spec);
    if (bad) return showProblem(form, bad);
    try {
      if (editing) { delete body.id; await api("PUT", "/v1/admin/" + kind + "/" + encodeURIComponent(editing.id), body); }
      else await api("POST", "/v1/admin/" + kind, body);
      route();
    } catch (p) { showProblem(form, p); }
  });
  screen(spec.title, table([
    { label: "Id", value: d => d.id },
    { label: "Name", value: d => d.name },
    { label: kind === "badges" ? "Kind" : kind === "leaderboards" ? "Period" : "", value: d => kind === "badges" ? d.kind : kind === "leaderboards" ? d.period : "" },
    { label: "Version", value: d => d.version, num: true },
    { label: "Definition", value: d => h("details", {}, h("summary", {}, "show"), h("pre", {}, JSON.stringify(d, null, 2))) },
    { label: "", value: d => d.is_system || d.id === "all-time" ? "" : h("span", { class: "actions" },
      editButton(d.id, () => edit(d)),
      deleteButton("Retire", "Retire " + d.id, "Retire " + d.id + "?", "/v1/admin/" + kind + "/" + encodeURIComponent(d.id))) },
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
      const d = await api("GET", "/v1/admin/webhooks/" + w.id + "/deliveries").catch(p => { log.replaceChildren(problemBox(p)); return null; });
      if (!d) return;
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
      await route(); // the list with the new key in it; the key itself only in this message
      const fresh = main.querySelector("form[aria-label='New API key']");
      ok(fresh, "Created " + k.name + ". Copy the key now, it is shown only once:");
      fresh.querySelector(".ok").append(h("p", { class: "key-once" }, k.key));
    } catch (p) { showProblem(form, p); }
  });
  screen("API keys", table([
    { label: "Name", value: k => k.name },
    { label: "Scopes", value: k => (k.scopes || []).join(", ") },
    { label: "Created", value: k => k.created_at },
    { label: "", value: k => deleteButton("Revoke", null, "Revoke the key " + k.name + "?",
      "/v1/admin/tenants/" + encodeURIComponent(tenant) + "/api-keys/" + k.id) },
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
  const base = "#/leaderboards/" + encodeURIComponent(id);
  const body = h("div");
  const live = h("p", { class: "muted", id: "board-live", role: "status" });
  const controls = h("form", { class: "card", "aria-label": "Page" },
    ...field("Period containing (date, empty for the current one)", input("at", at, { placeholder: "2026-05-01" })),
    ...field("Around user", input("around", around)),
    ...field("Members a page", h("select", { name: "limit" }, [10, 25, 50, 100].map(n => h("option", { value: n, selected: n === limit }, String(n))))),
    h("button", { type: "submit" }, "Show"));
  controls.addEventListener("submit", ev => { ev.preventDefault();
    const q = new URLSearchParams();
    if (controls.at.value) q.set("at", controls.at.value);
    if (controls.around.value) q.set("around", controls.around.value);
    if (controls.limit.value !== "25") q.set("limit", controls.limit.value);
    location.hash = base + (q.toString() ? "?" + q : ""); });
  let updates = 0;
  async function load() {
    const q = at ? "&at=" + encodeURIComponent(at) : "";
    const page = around ? await api("GET", "/v1/leaderboards/" + encodeURIComponent(id) + "/around/" + encodeURIComponent(around) + "?radius=5" + q)
      : await api("GET", "/v1/leaderboards/" + encodeURIComponent(id) + "?offset=" + offset + "&limit=" + limit + q);
    const link = o => base + "?offset=" + o + "&limit=" + limit + (at ? "&at=" + encodeURIComponent(at) : "");
    const period = page.period === "all_time" || !page.period_start ? "all time" : "the period from " + page.period_start;
    body.replaceChildren(h("p", { class: "muted" }, page.total + (page.total === 1 ? " member, " : " members, ") + period + "."),
      table([{ label: "Rank", value: e => e.rank, num: true }, { label: "User", value: e => h("a", { href: "#/users/" + encodeURIComponent(e.user_id) }, e.display_name || e.user_id) },
        { label: "Score", value: e => e.score, num: true }], page.entries),
      h("nav", { "aria-label": "Pages" }, offset > 0 && !around ? h("a", { href: link(Math.max(0, offset - limit)) }, "← previous") : "", " ",
        offset + limit < page.total && !around ? h("a", { href: link(offset + limit) }, "next →") : ""));
    body.dataset.updates = String(++updates);
  }
  screen("Leaderboard " + id, controls, live, body);
  await load().catch(p => body.replaceChildren(problemBox(p)));
  if (at) { live.textContent = "A past or chosen period: shown as it is now, not updated."; return; }
  // the current period: the board's stream says when its scores change; the page is read again then (at most
  // twice a second, as the stream sends); without the stream, every 5 s
  let pending = false;
  const reload = () => { if (pending) return; pending = true; setTimeout(() => { pending = false; load().catch(() => {}); }, 200); };
  stream("/v1/leaderboards/" + encodeURIComponent(id) + "/stream?limit=1", name => { if (name === "update") reload(); },
    state => { live.textContent = state === "live" ? "Live: updates as scores change." : "Reconnecting… (reading the board every 5 s meanwhile)"; },
    () => load().catch(() => {}), body);
}

/**
 * Server-Sent Events read with fetch (EventSource cannot send the Authorization header): blocks separated by a blank
 * line, "event:" and "data:" lines. Reconnects with back-off and polls meanwhile; stops when the screen changes.
 */
function stream(path, onEvent, onState, poll, el) {
  const control = new AbortController();
  streams.push(control);
  let delay = 1000, polling = null;
  const fallback = on => { if (on && !polling) { polling = setInterval(() => el.isConnected && poll(), 5000); timers.push(polling); } else if (!on && polling) { clearInterval(polling); polling = null; } };
  (async function connect() {
    while (!control.signal.aborted) {
      if (!el.isConnected) { control.abort(); fallback(false); return; }
      try {
        const res = await fetch(path, { headers: { Authorization: "Bearer " + sessionStorage.getItem(KEY), Accept: "text/event-stream" }, cache: "no-store", signal: control.signal });
        if (!res.ok) throw new Error("HTTP " + res.status);
        onState("live"); fallback(false); delay = 1000;
        const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = "";
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value.replace(/\r\n?/g, "\n");
          let end;
          while ((end = buffer.indexOf("\n\n")) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            let name = "message", data = false;
            for (const line of block.split("\n")) { if (line.startsWith("event:")) name = line.slice(6).trim(); else if (line.startsWith("data:")) data = true; }
            if (!el.isConnected) { control.abort(); return; }
            if (data) onEvent(name);
          }
        }
      } catch (e) { if (control.signal.aborted) return; }
      onState("reconnecting"); fallback(true);
      await new Promise(r => setTimeout(r, delay));
      delay = Math.min(30000, delay * 2);
    }
  })();
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
  every(1000, () => load().catch(() => {}), view);
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
        const blob = await api("GET", "/v1/ops/recalculations/" + id + "/changes", undefined, "text/csv").catch(p => { changes.prepend(problemBox(p)); return null; });
        if (!blob) return;
        const a = h("a", { href: URL.createObjectURL(blob), download: "recalculation-" + id + ".csv" }); document.body.append(a); a.click(); a.remove();
      } }, "Download CSV"));
  }
  let shown = "", last = "";
  async function load() {
    const r = await api("GET", "/v1/ops/recalculations/" + id);
    // drawn again only when something changed: a ready recalculation keeps its Apply button (and the focus on it)
    const seen = JSON.stringify(r);
    if (seen === last) return;
    last = seen;
    const pct = Math.round((r.progress || 0) * 100);
    view.replaceChildren(h("p", {}, "Status: ", h("strong", { id: "recalc-status" }, r.status), r.eta_seconds != null && r.status === "running" ? " · about " + eta(r.eta_seconds) + " left" : ""),
      h("progress", { max: 100, value: pct, "aria-label": "Progress" }, pct + "%"),
      h("p", {}, (r.events_scanned ?? 0) + " events scanned; " + (r.users_changed ?? 0) + " users and " + (r.entries_changed ?? 0) + " entries change."),
      table([{ label: "Currency", value: t => t.currency }, { label: "Gained", value: t => t.points_gained, num: true },
        { label: "Lost", value: t => t.points_lost, num: true }, { label: "Net", value: t => t.net, num: true }], r.totals || []),
      r.status === "ready" ? h("button", { type: "button", id: "apply", onclick: async () => {
        if (!confirm("Apply these changes to the journal?")) return;
        try { await api("POST", "/v1/ops/recalculations/" + id + "/apply"); load(); } catch (p) { view.prepend(problemBox(p)); } } }, "Apply") : "",
      r.status === "ready" ? h("button", { type: "button", class: "danger", onclick: async () => {
        try { await api("DELETE", "/v1/ops/recalculations/" + id); location.hash = "#/ops"; } catch (p) { view.prepend(problemBox(p)); } } }, "Discard") : "");
    if (r.status !== shown && ["ready", "applying", "applied"].includes(r.status)) { shown = r.status; await loadChanges(); }
  }
  await load();
  every(1000, () => load().catch(() => {}), view);
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
  streams.forEach(c => c.abort());
  streams = [];
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
