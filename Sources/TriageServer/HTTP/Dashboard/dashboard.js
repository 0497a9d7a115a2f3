// The Triage dashboard: signs in against the public API, keeps the token in
// sessionStorage (gone with the tab; never a cookie, so no CSRF), and draws
// the daily statistics as SVG. No framework and no inline code: the page's
// Content-Security-Policy is default-src 'self'. Every text from the API goes
// in through textContent or setAttribute, never as markup.
"use strict";

const TOKEN_KEY = "triage.token";
const SVG = "http://www.w3.org/2000/svg";
const $ = (id) => document.getElementById(id);
let lastDays = null;

function token() { return sessionStorage.getItem(TOKEN_KEY); }

class SignedOut extends Error {}

async function api(path) {
  const response = await fetch(path, { headers: { Authorization: `Bearer ${token()}` } });
  if (response.status === 401) throw new SignedOut("Your session has ended; sign in again.");
  if (!response.ok) throw new Error(await problemText(response));
  return response;
}

async function problemText(response) {
  try {
    const problem = await response.json();
    return problem.detail || problem.title || `HTTP ${response.status}`;
  } catch {
    return `HTTP ${response.status}`;
  }
}

function show(signedIn) {
  $("sign-in").hidden = signedIn;
  $("dashboard").hidden = !signedIn;
  $("sign-out").hidden = !signedIn;
}

async function signIn(event) {
  event.preventDefault();
  $("sign-in-error").textContent = "";
  const body = JSON.stringify({ username: $("username").value, password: $("password").value });
  let response;
  try {
    response = await fetch("/api/auth/login", { method: "POST", headers: { "Content-Type": "application/json" }, body });
  } catch {
    $("sign-in-error").textContent = "Triage cannot be reached.";
    return;
  }
  if (!response.ok) {
    $("sign-in-error").textContent = response.status === 401 ? "Wrong username or password." : await problemText(response);
    return;
  }
  sessionStorage.setItem(TOKEN_KEY, (await response.json()).accessToken);
  $("password").value = "";
  show(true);
  refresh();
}

function signOut(message) {
  sessionStorage.removeItem(TOKEN_KEY);
  show(false);
  $("sign-in-error").textContent = message || "";
}

function isoDate(date) { return date.toISOString().slice(0, 10); }
function addDays(text, days) {
  const date = new Date(`${text}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return isoDate(date);
}

// Today in the server's stats.timezone: the date of the live (partial) row.
async function serverToday() {
  const here = isoDate(new Date());
  const rows = await (await api(`/api/stats/daily?from=${addDays(here, -1)}&to=${addDays(here, 1)}`)).json();
  const live = rows.find((row) => row.partial);
  return live ? live.date : here;
}

function failed(error) {
  if (error instanceof SignedOut) signOut(error.message);
  else $("load-error").textContent = `Could not load: ${error.message}`;
}

async function refresh() {
  $("load-error").textContent = "";
  await Promise.all([loadDaily(), loadPopular(), loadExternal()]).catch(failed);
}

async function loadDaily() {
  const count = Number($("range").value);
  const today = await serverToday();
  const from = addDays(today, 1 - count);
  const rows = await (await api(`/api/stats/daily?from=${from}&to=${today}`)).json();
  const byDate = new Map(rows.map((row) => [row.date, row]));
  let backlog = 0;
  lastDays = [];
  for (let i = 0; i < count; i++) {
    const date = addDays(from, i);
    const row = byDate.get(date) || null;
    if (row) backlog += row.createdCount - row.resolvedCount;
    lastDays.push({ date, row, backlog });
  }
  drawDaily(lastDays);
  drawBacklog(lastDays);
  fillTable(lastDays);
}

function describe(day) {
  if (!day.row) return `${day.date}: not aggregated yet`;
  const r = day.row;
  return `${day.date}${r.partial ? " (today, so far)" : ""}: created ${r.createdCount}, resolved ${r.resolvedCount}, comments ${r.commentCount}`;
}

function element(name, attributes, parent) {
  const node = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, String(value));
  if (parent) parent.appendChild(node);
  return node;
}

// A transparent, focusable area over one day that says its exact numbers on hover and focus.
function hitArea(parent, x, y, width, height, text, detail) {
  const hit = element("rect", { class: "hit", x, y, width, height, tabindex: 0, "aria-label": text }, parent);
  const say = () => { $(detail).textContent = text; };
  hit.addEventListener("focus", say);
  hit.addEventListener("mouseenter", say);
  return hit;
}

function clear(svg) {
  for (const child of [...svg.childNodes]) if (child.nodeName !== "title") svg.removeChild(child);
}

function frame(svg, height) {
  const width = Math.max(280, Math.round(svg.getBoundingClientRect().width) || 720);
  svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
  clear(svg);
  return { width, height, left: 36, right: 8, top: 16, bottom: 20 };
}

function drawDaily(days) {
  const svg = $("daily-chart");
  const f = frame(svg, 224);
  const largest = Math.max(1, ...days.map((d) => (d.row ? Math.max(d.row.createdCount, d.row.resolvedCount, d.row.commentCount) : 0)));
  const plotHeight = f.height - f.top - f.bottom;
  const slot = (f.width - f.left - f.right) / days.length;
  const barWidth = Math.max(1, slot / 2 - 1);
  const y = (value) => f.top + plotHeight - (value / largest) * plotHeight;
  element("line", { class: "axis", x1: f.left, y1: f.top + plotHeight, x2: f.width - f.right, y2: f.top + plotHeight }, svg);
  element("text", { x: 2, y: f.top + 4 }, svg).textContent = String(largest);
  element("text", { x: 2, y: f.top + plotHeight }, svg).textContent = "0";
  const points = [];
  days.forEach((day, index) => {
    const x = f.left + index * slot;
    const group = element("g", { class: "day", "data-date": day.date }, svg);
    element("title", {}, group).textContent = describe(day);
    if (day.row) {
      const r = day.row;
      group.setAttribute("data-created", r.createdCount);
      group.setAttribute("data-resolved", r.resolvedCount);
      group.setAttribute("data-comments", r.commentCount);
      group.setAttribute("data-partial", r.partial);
      const kind = r.partial ? " partial" : "";
      element("rect", { class: `created${kind}`, x, y: y(r.createdCount), width: barWidth, height: f.top + plotHeight - y(r.createdCount) }, group);
      element("rect", { class: `resolved${kind}`, x: x + barWidth, y: y(r.resolvedCount), width: barWidth, height: f.top + plotHeight - y(r.resolvedCount) }, group);
      points.push(`${x + slot / 2},${y(r.commentCount)}`);
      if (r.partial) {
        const label = element("text", { class: "partial-label", x: Math.max(f.left, x + slot - 4), y: f.top - 4, "text-anchor": "end" }, group);
        label.textContent = "today (so far)";
      }
    } else {
      group.setAttribute("data-missing", "true");
      element("rect", { class: "missing", x, y: f.top + plotHeight - 2, width: slot - 1, height: 2 }, group);
    }
    hitArea(group, x, f.top, slot, plotHeight, describe(day), "daily-detail");
  });
  if (points.length > 1) element("polyline", { class: "comments", points: points.join(" ") }, svg);
  element("text", { x: f.left, y: f.height - 4 }, svg).textContent = days[0].date;
  element("text", { x: f.width - f.right, y: f.height - 4, "text-anchor": "end" }, svg).textContent = days[days.length - 1].date;
}

function drawBacklog(days) {
  const svg = $("backlog-chart");
  const f = frame(svg, 144);
  const values = days.map((d) => d.backlog);
  const low = Math.min(0, ...values);
  const high = Math.max(1, ...values);
  const plotHeight = f.height - f.top - f.bottom;
  const slot = (f.width - f.left - f.right) / days.length;
  const y = (value) => f.top + plotHeight - ((value - low) / (high - low)) * plotHeight;
  element("line", { class: "axis", x1: f.left, y1: y(0), x2: f.width - f.right, y2: y(0) }, svg);
  element("text", { x: 2, y: f.top + 4 }, svg).textContent = String(high);
  element("text", { x: 2, y: f.top + plotHeight }, svg).textContent = String(low);
  element("polyline", { class: "backlog", points: days.map((d, i) => `${f.left + i * slot + slot / 2},${y(d.backlog)}`).join(" ") }, svg);
  days.forEach((day, index) => {
    const text = `${day.date}: backlog ${day.backlog > 0 ? "+" : ""}${day.backlog} since ${days[0].date}`;
    const hit = hitArea(svg, f.left + index * slot, f.top, slot, plotHeight, text, "backlog-detail");
    element("title", {}, hit).textContent = text;
  });
}

function fillTable(days) {
  const body = $("daily-table").tBodies[0];
  body.replaceChildren();
  for (const day of days) {
    const row = body.insertRow();
    const r = day.row;
    const cells = r ? [day.date, r.createdCount, r.resolvedCount, r.commentCount, day.backlog, r.partial ? "today, so far" : ""]
      : [day.date, "–", "–", "–", day.backlog, "not aggregated"];
    for (const value of cells) row.insertCell().textContent = String(value);
  }
}

function plural(count, noun) { return `${count} ${noun}${count === 1 ? "" : "s"}`; }

async function loadPopular() {
  const issues = await (await api("/api/issues/popular")).json();
  const list = $("popular");
  list.replaceChildren();
  if (issues.length === 0) {
    list.appendChild(document.createElement("li")).textContent = "No issues in the last 7 days.";
    return;
  }
  for (const issue of issues) {
    const item = document.createElement("li");
    const link = document.createElement("a");
    link.href = `/api/issues/${encodeURIComponent(issue.id)}`;
    link.textContent = `#${issue.id} ${issue.title}`;
    link.addEventListener("click", (event) => { event.preventDefault(); showIssue(link.href); });
    item.appendChild(link);
    item.appendChild(document.createTextNode(` — ${plural(issue.viewCount, "view")}, ${plural(issue.commentCount, "comment")}`));
    list.appendChild(item);
  }
}

// The link is the issue's JSON; the API wants the bearer token, so it is fetched and shown here.
async function showIssue(href) {
  const pre = $("issue-json");
  try {
    pre.textContent = JSON.stringify(await (await api(href)).json(), null, 2);
  } catch (error) {
    if (error instanceof SignedOut) return signOut(error.message);
    pre.textContent = error.message;
  }
  pre.hidden = false;
}

async function loadExternal() {
  const response = await api("/api/external/example");
  const body = await response.json();
  const state = $("external-state");
  state.replaceChildren();
  const degraded = response.headers.get("X-Triage-Degraded") === "true";
  const badge = document.createElement("span");
  badge.className = degraded ? "degraded" : "live";
  badge.textContent = degraded ? "degraded" : "live";
  state.appendChild(badge);
  if (degraded) {
    const stale = typeof body.staleSeconds === "number" ? `, last good answer ${body.staleSeconds} s old` : ", no good answer kept";
    const message = String(body.message || "the upstream failed").replace(/[.\s]+$/, "");
    state.appendChild(document.createTextNode(`: ${message}${stale}`));
  } else {
    state.appendChild(document.createTextNode(": the upstream answered"));
  }
}

let resizeTimer = null;
window.addEventListener("resize", () => {
  clearTimeout(resizeTimer);
  resizeTimer = setTimeout(() => { if (lastDays) { drawDaily(lastDays); drawBacklog(lastDays); } }, 150);
});

document.addEventListener("DOMContentLoaded", () => {
  $("sign-in-form").addEventListener("submit", signIn);
  $("sign-out").addEventListener("click", () => signOut());
  $("range").addEventListener("change", () => loadDaily().catch(failed));
  if (token()) {
    show(true);
    refresh();
  } else {
    show(false);
  }
});
