"""The console's HTML and script. Everything that comes from citizens or the core API is put
on the page with textContent, never as HTML."""

from __future__ import annotations

import html

_STYLE = """
body{font-family:system-ui,sans-serif;margin:0;background:#f4f6f8;color:#1d2733}
header{background:#0b4f8a;color:#fff;padding:.6rem 1rem;display:flex;gap:1rem;align-items:center}
header h1{font-size:1.1rem;margin:0;flex:1}
main{display:grid;grid-template-columns:1.2fr 1fr 0.9fr;gap:1rem;padding:1rem}
section{background:#fff;border-radius:6px;padding:.8rem;box-shadow:0 1px 2px #0002}
table{width:100%;border-collapse:collapse;font-size:.9rem}
td,th{border-bottom:1px solid #e3e7eb;padding:.35rem;text-align:left;vertical-align:top}
tr.selected{background:#e6f0fa} tr{cursor:pointer}
.state-waiting{color:#b45309;font-weight:600} .state-staff{color:#047857;font-weight:600}
#transcript{list-style:none;padding:0;max-height:50vh;overflow:auto}
#transcript li{margin:.3rem 0;white-space:pre-wrap}
.from-user{color:#1d2733} .from-bot{color:#475569} .from-agent{color:#047857}
textarea{width:100%;min-height:4rem} pre{white-space:pre-wrap;font-size:.85rem}
.login{max-width:22rem;margin:4rem auto} .login input{width:100%;margin:.3rem 0 .8rem}
.error{color:#b91c1c}
.intent{color:#6b21a8;font-size:.8rem;margin-left:.4rem} .low{color:#b91c1c}
.left-badge{background:#fde68a;border-radius:3px;padding:0 .3rem;margin-left:.3rem}
.flag{font-size:.75rem;margin-left:.4rem} #closed{background:#b45309;padding:0 .4rem}
tr.handled{color:#94a3b8} #ask-result{font-family:inherit;font-size:.9rem}
"""


def login(csrf: str, message: str = "") -> str:
    error = f'<p class="error" id="login-error">{html.escape(message)}</p>' if message else ""
    return f"""<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><title>Đăng nhập – Bảng điều khiển tổng đài</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><style>{_STYLE}</style></head>
<body><section class="login"><h1>Bảng điều khiển tổng đài</h1>
<p>Bộ phận Một cửa – Bộ Khoa học và Công nghệ</p>{error}
<form method="post" action="/console/login">
<input type="hidden" name="csrf" value="{html.escape(csrf)}">
<label>Tên đăng nhập<input name="username" id="username" autocomplete="username" required></label>
<label>Mật khẩu<input name="password" id="password" type="password"
 autocomplete="current-password" required></label>
<button type="submit" id="login-submit">Đăng nhập</button></form></section></body></html>"""


CONSOLE_HTML = f"""<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><title>Bảng điều khiển tổng đài</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><style>{_STYLE}</style>
<script src="/console/console.js" defer></script></head>
<body><header><h1>Bảng điều khiển tổng đài – Bộ phận Một cửa</h1>
<span id="me"></span><span id="closed" hidden>Ngoài giờ làm việc</span>
<span id="live">Đang kết nối…</span>
<button id="logout">Đăng xuất</button></header>
<main>
<section><h2>Cuộc trò chuyện</h2>
<table id="conversations"><thead><tr><th>Kênh</th><th>Tin nhắn cuối</th><th>Trạng thái</th>
<th>Chờ</th></tr></thead><tbody></tbody></table>
<h2>Hồ sơ chuyển cán bộ</h2>
<table id="submissions"><thead><tr><th>Thời gian</th><th>Thủ tục</th><th>Mã tham chiếu</th>
<th>Người nộp</th><th></th></tr></thead><tbody></tbody></table></section>
<section><h2>Nội dung <span id="selected-id"></span></h2>
<div><button id="take" disabled>Nhận hỗ trợ</button>
<button id="release" disabled>Trả lại trợ lý ảo</button></div>
<ul id="transcript"></ul>
<div id="flag-box" hidden>Ý định đúng của tin nhắn: <select id="flag-intent"></select>
<button id="flag-send">Gửi vào hàng xem lại</button> <span id="flag-result"></span></div>
<textarea id="reply-text" placeholder="Nhập câu trả lời cho người dân…"></textarea>
<button id="reply-send" disabled>Gửi</button> <span id="action-error" class="error"></span>
</section>
<section><h2>Hỏi đáp thủ tục</h2>
<input id="ask-question" placeholder="Câu hỏi hoặc tên thủ tục, ví dụ: lệ phí đăng ký nhãn hiệu"
 size="34"> <button id="ask-go">Hỏi</button><pre id="ask-result"></pre>
<h2>Tra cứu hồ sơ</h2>
<input id="status-code" placeholder="Mã hồ sơ, ví dụ 000.00.01.G06-251219-0001" size="34">
<button id="status-go">Tra cứu</button><pre id="status-result"></pre>
<div id="audit-box" hidden><h2>Nhật ký tra cứu</h2><button id="audit-go">Xem nhật ký</button>
<pre id="audit-result"></pre>
<h2>Hàng xem lại câu trả lời sai</h2><button id="review-go">Xem</button>
<a id="review-export" href="/console/api/review/export">Tải dữ liệu huấn luyện (YAML)</a>
<pre id="review-result"></pre></div></section>
</main></body></html>"""

CONSOLE_JS = r"""
"use strict";
const S = {csrf: "", me: null, selected: null, skew: 0, convs: [], flagging: null,
  intents: null};
const STATE = {bot: "Trợ lý ảo", waiting: "Chờ cán bộ", staff: "Cán bộ đang hỗ trợ"};
const WHO = {user: "Người dân", bot: "Trợ lý ảo", agent: "Cán bộ"};
const $ = (id) => document.getElementById(id);
const convUrl = (verb) =>
  "/console/api/conversations/" + encodeURIComponent(S.selected) + "/" + verb;

async function api(path, method = "GET", body) {
  const opts = {method, headers: {}, credentials: "same-origin"};
  if (method !== "GET") {
    opts.headers["X-CSRF-Token"] = S.csrf;
    opts.headers["Content-Type"] = "application/json";
    opts.body = JSON.stringify(body || {});
  }
  const r = await fetch(path, opts);
  if (r.status === 401) { location.href = "/console/login"; throw new Error("401"); }
  const data = await r.json();
  if (!r.ok) throw new Error(data.error || String(r.status));
  return data;
}

function cell(text, cls) {
  const td = document.createElement("td");
  td.textContent = text;
  if (cls) td.className = cls;
  return td;
}

function waited(c) {
  if (!c.waiting_since || c.state !== "waiting") return "";
  const s = Math.max(0, Math.floor(Date.now() / 1000 - S.skew - c.waiting_since));
  return Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0");
}

function renderList() {
  const body = $("conversations").tBodies[0];
  body.replaceChildren();
  for (const c of S.convs) {
    const tr = document.createElement("tr");
    tr.dataset.id = c.id;
    tr.dataset.state = c.state;
    if (c.id === S.selected) tr.className = "selected";
    const state = STATE[c.state] + (c.agent ? " (" + c.agent + ")" : "");
    const stateCell = cell(state, "state-" + c.state);
    if (c.left_at) {
      tr.dataset.left = "1";
      const badge = document.createElement("span");
      badge.className = "left-badge";
      badge.textContent = "Lời nhắn ngoài giờ";
      stateCell.append(badge);
    }
    tr.append(cell(c.channel), cell(c.last_text, "last"), stateCell, cell(waited(c), "wait"));
    tr.addEventListener("click", () => select(c.id));
    body.append(tr);
  }
}

function current() { return S.convs.find((c) => c.id === S.selected); }

function renderButtons() {
  const c = current();
  const mine = c && c.state === "staff" && c.agent === S.me.username;
  $("take").disabled = !c || (c.state === "staff" && !(S.me.role === "supervisor" && !mine));
  $("release").disabled = !c || c.state !== "staff" || !(mine || S.me.role === "supervisor");
  $("reply-send").disabled = !mine;
}

async function loadTranscript() {
  if (!S.selected) return;
  const data = await api(convUrl("messages"));
  const list = $("transcript");
  list.replaceChildren();
  for (const m of data.messages) {
    const li = document.createElement("li");
    li.className = "from-" + m.from;
    li.dataset.id = m.id || "";
    li.textContent = (WHO[m.from] || m.from) + (m.agent ? " " + m.agent : "") + ": " + m.text;
    if (m.left) {
      const badge = document.createElement("span");
      badge.className = "left-badge";
      badge.textContent = "lời nhắn ngoài giờ";
      li.append(badge);
    }
    if (m.from === "user" && m.intent) {
      const tag = document.createElement("span");
      const low = typeof m.confidence === "number" && m.confidence < 0.5;
      tag.className = "intent" + (low ? " low" : "");
      tag.textContent = m.intent + (typeof m.confidence === "number"
        ? " " + Math.round(m.confidence * 100) + "%" : "");
      li.append(tag);
    }
    if (m.from === "user" && m.id && !m.left) {  // a left message never reached the assistant
      const b = document.createElement("button");
      b.className = "flag";
      b.textContent = "Trả lời sai";
      b.addEventListener("click", () => startFlag(m.id));
      li.append(b);
    }
    list.append(li);
  }
  list.scrollTop = list.scrollHeight;
}

async function startFlag(messageId) {
  S.flagging = messageId;
  $("flag-result").textContent = "";
  if (!S.intents) {
    try { S.intents = (await api("/console/api/intents")).intents; }
    catch (e) { $("flag-result").textContent = e.message; return; }
    const sel = $("flag-intent");
    for (const name of S.intents) {
      const o = document.createElement("option");
      o.value = name; o.textContent = name; sel.append(o);
    }
  }
  $("flag-box").hidden = false;
}

function renderSubmissions(items) {
  const body = $("submissions").tBodies[0];
  body.replaceChildren();
  for (const s of items) {
    const tr = document.createElement("tr");
    tr.dataset.id = s.id;
    if (s.handled_by) tr.className = "handled";
    const when = s.created_at ? new Date(s.created_at * 1000).toLocaleString("vi-VN") : "";
    const who = [s.applicant, s.phone].filter(Boolean).join(" – ");
    tr.append(cell(when), cell(s.procedure_name), cell(s.id), cell(who));
    const td = document.createElement("td");
    if (s.handled_by) {
      td.textContent = "Đã xử lý (" + s.handled_by + ")";
    } else {
      const b = document.createElement("button");
      b.className = "handled-go";
      b.textContent = "Đã xử lý";
      b.addEventListener("click", () =>
        api("/console/api/submissions/" + encodeURIComponent(s.id) + "/handled", "POST")
          .catch((e) => { $("action-error").textContent = e.message; }));
      td.append(b);
    }
    tr.append(td);
    body.append(tr);
  }
}

async function select(id) {
  S.selected = id;
  $("selected-id").textContent = id;
  renderList(); renderButtons();
  await loadTranscript();
}

async function act(verb, body) {
  $("action-error").textContent = "";
  try {
    await api(convUrl(verb), "POST", body);
  } catch (e) { $("action-error").textContent = e.message; }
}

function connect() {
  const es = new EventSource("/console/api/stream");
  es.onopen = () => { $("live").textContent = "Trực tuyến"; };
  es.onerror = () => { $("live").textContent = "Mất kết nối, đang thử lại…"; };
  es.onmessage = (ev) => {
    const data = JSON.parse(ev.data);
    S.skew = Date.now() / 1000 - data.server_time;
    S.convs = data.conversations;
    $("closed").hidden = data.open !== false;
    renderList(); renderButtons(); renderSubmissions(data.submissions || []);
    if (S.selected) loadTranscript().catch(() => {});
  };
}

function showStatus(d) {
  const lines = [
    "Mã hồ sơ: " + (d.tracking_code || ""),
    "Thủ tục: " + (d.procedure_name || ""),
    "Trạng thái: " + (d.stage_label || d.stage || ""),
  ];
  for (const [k, v] of Object.entries(d)) {
    if (!["tracking_code", "procedure_name", "stage_label"].includes(k) && typeof v !== "object") {
      lines.push(k + ": " + v);
    }
  }
  $("status-result").textContent = lines.join("\n");
}

async function main() {
  S.me = await api("/console/api/me");
  S.csrf = S.me.csrf;
  const role = S.me.role === "supervisor" ? "giám sát" : "cán bộ";
  $("me").textContent = S.me.username + " (" + role + ")";
  if (S.me.role === "supervisor") $("audit-box").hidden = false;
  $("take").addEventListener("click", () => act("take"));
  $("release").addEventListener("click", () => act("release"));
  $("reply-send").addEventListener("click", async () => {
    const text = $("reply-text").value.trim();
    if (!text) return;
    await act("reply", {text});
    $("reply-text").value = "";
  });
  $("status-go").addEventListener("click", async () => {
    $("status-result").textContent = "…";
    const code = $("status-code").value.trim();
    try { showStatus(await api("/console/api/status", "POST", {code})); }
    catch (e) { $("status-result").textContent = e.message; }
  });
  $("flag-send").addEventListener("click", async () => {
    if (!S.flagging || !S.selected) return;
    try {
      await api(convUrl("flag"), "POST", {message_id: S.flagging, intent: $("flag-intent").value});
      $("flag-result").textContent = "Đã gửi vào hàng xem lại.";
    } catch (e) { $("flag-result").textContent = e.message; }
  });
  $("ask-go").addEventListener("click", async () => {
    $("ask-result").textContent = "…";
    try {
      const d = await api("/console/api/ask", "POST", {question: $("ask-question").value});
      const more = d.others.length
        ? ["Có thể là thủ tục khác: " + d.others.map((o) => o.code + " " + o.name).join("; ")]
        : [];
      // A blank line between answers: staff read them out one by one.
      $("ask-result").textContent = [d.code + " – " + d.name, ...d.texts, ...more].join("\n\n");
    } catch (e) { $("ask-result").textContent = e.message; }
  });
  $("review-go").addEventListener("click", async () => {
    try {
      const d = await api("/console/api/review");
      $("review-result").textContent = d.items.map((i) =>
        [i.correct, "←", i.predicted || "?", i.text].join("  ")).join("\n") || "Trống.";
    } catch (e) { $("review-result").textContent = e.message; }
  });
  $("audit-go").addEventListener("click", async () => {
    try {
      const d = await api("/console/api/audit");
      $("audit-result").textContent = d.items.map((i) =>
        [i.at, i.staff_id, i.action, i.tracking_code].join("  ")).join("\n");
    } catch (e) { $("audit-result").textContent = e.message; }
  });
  $("logout").addEventListener("click", async () => {
    await api("/console/api/logout", "POST"); location.href = "/console/login";
  });
  setInterval(() => { for (const tr of $("conversations").tBodies[0].rows) {
    const c = S.convs.find((x) => x.id === tr.dataset.id);
    if (c) tr.cells[3].textContent = waited(c);
  } }, 1000);
  connect();
}
main();
"""
