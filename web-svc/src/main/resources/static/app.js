// The emojivoto UI: a vote grid, the page after a vote, and the leaderboard.
// Everything shown is set with textContent or attributes, never parsed as HTML, so a shortcode,
// an error message or the message of the day cannot inject markup.
"use strict";

const main = document.getElementById("main");
let config = { traceUrlTemplate: null, messageOfTheDay: "" };

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (key === "class") node.className = value;
    else if (key === "onclick") node.addEventListener("click", value);
    else node.setAttribute(key, value);
  }
  for (const child of children) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function show(...nodes) {
  main.replaceChildren(...nodes);
}

function navigate(path, replace = false) {
  if (replace) history.replaceState({}, "", path);
  else history.pushState({}, "", path);
  route();
}

function routeLink(label, path, cls = "button secondary") {
  const link = el("a", { class: cls, href: path }, label);
  link.addEventListener("click", (event) => {
    event.preventDefault();
    navigate(path);
  });
  return link;
}

/**
 * The trace id and sampling decision a response carries: B3's X-B3-TraceId and X-B3-Sampled, or W3C's
 * traceresponse (00-<trace id>-<span id>-<flags>), whichever the pipeline speaks.
 */
function traceOf(response) {
  const w3c = response && /^00-([0-9a-f]{32})-[0-9a-f]{16}-([0-9a-f]{2})$/.exec(response.headers.get("traceresponse") || "");
  if (w3c) return { traceId: w3c[1], sampled: (parseInt(w3c[2], 16) & 1) === 1 };
  return { traceId: response && response.headers.get("X-B3-TraceId"), sampled: response && response.headers.get("X-B3-Sampled") === "1" };
}

/**
 * The footer's sentence on sampling, from the rate the ingress says is in force (X-Emojivoto-Sample-Rate, on
 * every response through it): it changes with the switch, says so when the rate was set blind (a learner is to
 * find it from the traces), and is left out when the page is not behind the ingress.
 */
function showSampleRate(response) {
  const header = response && response.headers.get("X-Emojivoto-Sample-Rate");
  const note = document.getElementById("sampling-note");
  if (header === "hidden") {
    note.textContent = "The sample rate is hidden for an exercise: find it from the traces.";
    return;
  }
  const rate = parseFloat(header);
  if (!(rate >= 0 && rate <= 1)) return;
  note.textContent = rate === 1 ? "The ingress traces every request."
    : rate === 0 ? "The ingress traces no request right now."
    : "Every request through the ingress has a " + Math.round(rate * 1000) / 10 + "% chance of being traced.";
}

/** A link to the trace of a response, when the request was sampled and a trace UI is configured. */
function traceLink(response, what = "this vote's") {
  showSampleRate(response);
  const { traceId, sampled } = traceOf(response);
  if (!traceId || !/^[0-9a-f]{16,32}$/.test(traceId)) return null;
  if (!sampled || !config.traceUrlTemplate) {
    return el("p", { class: "trace-note" }, "This request was not sampled, so it has no trace. (Trace id ",
      el("code", {}, traceId), ".)");
  }
  const href = config.traceUrlTemplate.replace("{traceId}", encodeURIComponent(traceId));
  return el("p", { class: "trace-note" },
    el("a", { class: "button trace", href, target: "_blank", rel: "noopener", id: "trace-link" }, "View " + what + " trace"),
    " ", el("code", {}, traceId));
}

async function loadConfig() {
  try {
    const response = await fetch("/api/config");
    showSampleRate(response);
    if (response.ok) config = await response.json();
  } catch (e) {
    // The UI works without it; it only loses the trace links and the message of the day.
  }
  const motd = document.getElementById("motd");
  if (config.messageOfTheDay) {
    motd.textContent = config.messageOfTheDay;
    motd.hidden = false;
  }
}

async function showVotePage() {
  show(el("p", { class: "loading" }, "Loading emoji…"));
  let emoji;
  try {
    const response = await fetch("/api/list");
    if (!response.ok) throw new Error("HTTP " + response.status);
    emoji = await response.json();
  } catch (e) {
    show(el("div", { class: "card error-card" }, el("h1", {}, "🚧 Could not load the emoji"),
      el("p", {}, "The emoji service did not answer. Try again in a moment."),
      el("div", { class: "actions" }, el("button", { class: "button", onclick: () => route() }, "Try again"))));
    return;
  }
  const grid = el("div", { class: "grid", id: "emoji-grid" });
  for (const item of emoji) {
    grid.append(el("button", {
      class: "emoji emoji-votable", type: "button", title: item.shortcode, "aria-label": "Vote for " + item.shortcode,
      "data-shortcode": item.shortcode, onclick: () => vote(item)
    }, item.unicode));
  }
  show(el("div", { class: "card" },
    el("h1", {}, "Vote for your favorite emoji"),
    el("p", { class: "lead" }, "Tap an emoji below. Each vote travels ingress → web-svc → emoji-svc and voting-svc, and a sampled one leaves a trace you can open."),
    el("div", { class: "actions" }, routeLink("View the leaderboard", "/leaderboard")),
    grid));
}

async function vote(item) {
  let response;
  let message = "";
  try {
    response = await fetch("/api/vote?choice=" + encodeURIComponent(item.shortcode), { method: "GET" });
    if (!response.ok) {
      const body = await response.json().catch(() => ({}));
      message = body.error || ("HTTP " + response.status);
    }
  } catch (e) {
    message = "The vote could not be sent: " + e.message;
  }
  if (response && response.ok) {
    show(el("div", { class: "card", id: "vote-result" },
      el("p", { class: "lead" }, "You picked:"),
      el("div", { class: "picked" }, item.unicode),
      el("p", { class: "shortcode" }, item.shortcode),
      el("p", {}, "See how you stack up against others."),
      el("div", { class: "actions" },
        routeLink("View the leaderboard", "/leaderboard", "button"),
        el("button", { class: "button secondary", onclick: () => navigate("/") }, "Pick another one")),
      traceLink(response)));
  } else {
    showVoteError(item, message, response);
  }
}

function showVoteError(item, message, response) {
  const doughnut = item.shortcode === ":doughnut:";
  show(el("div", { class: "card error-card", id: "vote-error" },
    el("h1", {}, "🚧 We couldn't process your request"),
    doughnut
      ? el("p", { id: "doughnut-message" }, "For the sake of this demo, voting for 🍩 fails on purpose: voting-svc returns an error. Its trace shows where the failure starts and how it travels up.")
      : el("p", {}, "Your vote for " + item.unicode + " was not counted."),
    el("p", { class: "shortcode" }, message),
    el("div", { class: "actions" },
      el("button", { class: "button", onclick: () => navigate("/") }, doughnut ? "Pick another" : "Select again"),
      routeLink("View the leaderboard", "/leaderboard")),
    traceLink(response)));
}

async function showLeaderboard() {
  show(el("p", { class: "loading" }, "Loading the leaderboard…"));
  let board;
  let response;
  try {
    response = await fetch("/api/leaderboard");
    if (!response.ok) throw new Error("HTTP " + response.status);
    board = await response.json();
  } catch (e) {
    show(el("div", { class: "card error-card" }, el("h1", {}, "Error loading leaderboard."),
      el("div", { class: "actions" }, el("button", { class: "button", onclick: () => route() }, "Try again"))));
    return;
  }
  const grid = el("div", { class: "grid", id: "leaderboard" });
  board.forEach((entry, index) => {
    const votes = entry.votes + (entry.votes === 1 ? " vote" : " votes");
    grid.append(el("div", { class: "emoji", title: entry.shortcode + ": " + votes, "data-shortcode": entry.shortcode },
      el("span", { class: "rank" }, "#" + (index + 1)), entry.unicode, el("span", { class: "votes" }, entry.votes)));
  });
  show(el("div", { class: "card" },
    el("h1", {}, "Emoji Vote Leaderboard"),
    el("p", { class: "lead" }, "Most votes first, from voting-svc's results and emoji-svc's glyphs. Open this page's trace to see how it was built."),
    leaderboardMode(response),
    el("div", { class: "actions" }, routeLink("Vote on your favorite", "/", "button")),
    traceLink(response, "this page's"),
    board.length ? grid : el("p", { class: "empty" }, "No votes yet. Be the first!")));
}

/**
 * The mode web-svc built the leaderboard in (X-Emojivoto-Leaderboard, web-svc's switch `leaderboard`): its name
 * only. What each mode costs is for the learner to read in the trace.
 */
function leaderboardMode(response) {
  const mode = response.headers.get("X-Emojivoto-Leaderboard");
  if (!mode) return null;
  return el("p", { class: "mode", id: "leaderboard-mode" }, "Leaderboard mode: ", el("code", {}, mode),
    " (web-svc's switch ", el("code", {}, "leaderboard"), ").");
}

// The learner's name, asked once and kept in the cookie `learner`. The ingress turns it into baggage, so that
// every span of this browser's requests carries the tag learner=<name>: in a shared room, each learner finds
// their own votes in the trace UI by that tag. The ingress takes a short plain word only, as this form does.
const LEARNER_NAME = /^[A-Za-z0-9._-]{1,32}$/;

function learnerName() {
  const found = /(?:^|;\s*)learner=([^;]*)/.exec(document.cookie);
  return found && LEARNER_NAME.test(found[1]) ? found[1] : "";
}

function showLearner() {
  const box = document.getElementById("learner");
  const name = learnerName();
  if (name) {
    const change = el("button", { class: "link", type: "button", onclick: () => {
      document.cookie = "learner=; path=/; max-age=0; SameSite=Lax";
      showLearner();
    } }, "change");
    box.replaceChildren("Your votes' spans carry learner=", el("strong", { id: "learner-shown" }, name), " ", change);
    return;
  }
  const input = el("input", { id: "learner-name", name: "learner", maxlength: "32", placeholder: "your name",
    "aria-label": "Your name, to find your votes' traces by it" });
  const form = el("form", { id: "learner-form" }, input, el("button", { class: "button secondary", type: "submit" }, "Tag my traces"));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const value = input.value.trim().replace(/\s+/g, "-");
    if (!LEARNER_NAME.test(value)) {
      input.setCustomValidity("Letters, digits, '.', '_' or '-', at most 32");
      input.reportValidity();
      return;
    }
    document.cookie = "learner=" + value + "; path=/; max-age=86400; SameSite=Lax";
    showLearner();
  });
  input.addEventListener("input", () => input.setCustomValidity(""));
  box.replaceChildren(form);
}

function route() {
  const path = location.pathname;
  document.querySelectorAll("nav a").forEach((a) => a.classList.toggle("active", a.getAttribute("href") === path));
  if (path === "/leaderboard") showLeaderboard();
  else showVotePage();
}

document.querySelectorAll("a[data-route]").forEach((link) => link.addEventListener("click", (event) => {
  event.preventDefault();
  navigate(link.getAttribute("data-route"));
}));
window.addEventListener("popstate", route);
showLearner();
loadConfig().then(route);
