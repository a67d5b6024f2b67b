// The kiosk page: push-to-talk over a WebSocket to the gateway. Every string from the server
// is put in with textContent, never as markup.
"use strict";

(() => {
  const $ = (id) => document.getElementById(id);
  const STATES = {
    idle: "Sẵn sàng",
    listening: "Đang nghe…",
    processing: "Đang xử lý…",
    speaking: "Đang trả lời…",
    offline: "Đang kết nối lại…",
  };
  const RECORDER_TYPES = ["audio/webm;codecs=opus", "audio/ogg;codecs=opus", "audio/mp4"];
  const talk = $("talk");
  const audio = $("voice");
  let ws = null;
  let recorder = null;
  let stream = null;
  let stopTimer = null;
  let maxMs = 20000;
  let audioMime = null;
  let audioUrl = null;
  let lastActivity = 0;

  function setState(name) {
    const state = $("state");
    state.dataset.state = name;
    state.textContent = STATES[name] || STATES.idle;
    talk.disabled = name === "processing" || name === "offline";
  }

  function send(message) {
    if (ws && ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(message));
  }

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function showNotice(text) {
    const notice = $("notice");
    notice.textContent = text;
    notice.hidden = !text;
  }

  function setChoices(buttons) {
    const choices = $("choices");
    choices.replaceChildren();
    for (const { title, onTap } of buttons) {
      const button = element("button", "choice", title);
      button.type = "button";
      button.addEventListener("click", () => {
        choices.replaceChildren();
        onTap();
      });
      choices.append(button);
    }
  }

  function renderAnswer(replies) {
    const answer = $("answer");
    answer.replaceChildren();
    const buttons = [];
    for (const reply of replies) {
      for (const block of reply.blocks) {
        if (block.kind === "p") {
          answer.append(element("p", "", block.text));
        } else {
          const list = element(block.kind === "steps" ? "ol" : "ul", block.kind);
          for (const item of block.items) list.append(element("li", "", item));
          answer.append(list);
        }
      }
      for (const b of reply.buttons) {
        buttons.push({ title: b.title, onTap: () => send({ type: "button", payload: b.payload }) });
      }
    }
    setChoices(buttons);
  }

  function clearScreen() {
    $("heard").hidden = true;
    $("heard").textContent = "";
    $("answer").replaceChildren();
    setChoices([]);
    showNotice("");
    $("question").value = "";
    audio.pause();
    audio.removeAttribute("src");
    if (audioUrl) URL.revokeObjectURL(audioUrl);
    audioUrl = null;
    $("repeat").disabled = true;
  }

  function onMessage(message) {
    switch (message.type) {
      case "ready":
        if (typeof message.max_audio_s === "number") maxMs = message.max_audio_s * 1000;
        setState("idle");
        break;
      case "state":
        // Whether the gateway is still on a turn (it refuses a second one meanwhile).
        document.body.dataset.turn = message.state === "idle" ? "idle" : "busy";
        // A new turn (the visitor tapped or asked again): the old answer stops talking.
        if (message.state === "processing") audio.pause();
        // The turn is over on the server while its answer may still be playing here.
        if (!(message.state === "idle" && !audio.paused)) setState(message.state);
        break;
      case "heard":
        $("heard").textContent = "Bác nói: " + message.text;
        $("heard").hidden = false;
        break;
      case "confirm":
        if (message.heard) {
          $("heard").textContent = "Bác nói: " + message.heard;
          $("heard").hidden = false;
        }
        $("answer").replaceChildren(element("p", "", message.text));
        setChoices([
          { title: "Đúng rồi", onTap: () => send({ type: "confirm", yes: true }) },
          { title: "Không phải", onTap: () => send({ type: "confirm", yes: false }) },
        ]);
        break;
      case "notice":
        showNotice(message.text);
        break;
      case "answer":
        showNotice("");
        renderAnswer(message.replies);
        break;
      case "audio":
        audioMime = message.mime;
        break;
      case "reset":
        stopRecording(false);
        clearScreen();
        setState("idle");
        break;
    }
  }

  function onAudio(data) {
    if (audioUrl) URL.revokeObjectURL(audioUrl);
    audioUrl = URL.createObjectURL(new Blob([data], { type: audioMime || "audio/mpeg" }));
    audio.src = audioUrl;
    $("repeat").disabled = false;
    audio.play().catch(() => setState("idle"));
  }

  function connect() {
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    ws = new WebSocket(`${scheme}//${location.host}/kiosk/ws`);
    ws.binaryType = "blob";
    ws.addEventListener("message", (event) => {
      if (typeof event.data === "string") onMessage(JSON.parse(event.data));
      else onAudio(event.data);
    });
    ws.addEventListener("close", () => {
      // A new connection is a new visitor's conversation: the screen starts clean.
      stopRecording(false);
      clearScreen();
      setState("offline");
      setTimeout(connect, 2000);
    });
  }

  async function startRecording() {
    audio.pause();
    showNotice("");
    try {
      stream = stream || (await navigator.mediaDevices.getUserMedia({ audio: true }));
    } catch (err) {
      showNotice("Máy chưa mở được micrô. Bác gõ câu hỏi vào ô bên dưới giúp cháu ạ.");
      return;
    }
    const mimeType = RECORDER_TYPES.find((t) => MediaRecorder.isTypeSupported(t)) || "";
    const rec = new MediaRecorder(stream, mimeType ? { mimeType } : {});
    recorder = rec;
    const sent = rec.mimeType || mimeType || "audio/webm";
    send({ type: "audio_start", mime: sent.replace(/\s+/g, "") });
    rec.addEventListener("dataavailable", (event) => {
      if (event.data.size > 0 && ws.readyState === WebSocket.OPEN) ws.send(event.data);
    });
    // "stop" comes after the last chunk, so the gateway has the whole utterance at "audio_end".
    rec.addEventListener("stop", () => send({ type: rec.cancelled ? "audio_cancel" : "audio_end" }));
    rec.start(250);
    talk.setAttribute("aria-pressed", "true");
    talk.textContent = "Bấm khi nói xong";
    setState("listening");
    stopTimer = setTimeout(() => stopRecording(true), maxMs);
  }

  function stopRecording(keep) {
    clearTimeout(stopTimer);
    talk.setAttribute("aria-pressed", "false");
    talk.textContent = "Bấm để nói";
    if (recorder && recorder.state !== "inactive") {
      recorder.cancelled = !keep;
      recorder.stop();
      if (keep) setState("processing");
    }
    recorder = null;
  }

  talk.addEventListener("click", () => {
    if (recorder) stopRecording(true);
    else startRecording();
  });
  $("repeat").addEventListener("click", () => {
    if (!audio.src) return;
    audio.currentTime = 0;
    audio.play().catch(() => undefined);
  });
  $("handover").addEventListener("click", () => send({ type: "handover" }));
  $("typing").addEventListener("submit", (event) => {
    event.preventDefault();
    const text = $("question").value.trim();
    if (!text) return;
    $("heard").textContent = "Bác hỏi: " + text;
    $("heard").hidden = false;
    $("question").value = "";
    send({ type: "text", text });
  });
  // Touches and a playing answer keep the visitor's session (a long answer read slowly can
  // outlast the idle timeout); the idle clock restarts when the answer has been heard.
  function activity(force) {
    if (force || Date.now() - lastActivity > 5000) {
      lastActivity = Date.now();
      send({ type: "activity" });
    }
  }
  audio.addEventListener("playing", () => setState("speaking"));
  audio.addEventListener("timeupdate", () => activity(false));
  audio.addEventListener("ended", () => {
    setState("idle");
    activity(true);
  });
  document.addEventListener("pointerdown", () => activity(false));
  $("question").addEventListener("input", () => activity(false));
  setState("offline");
  connect();
})();
