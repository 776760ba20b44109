// kring dev server: reloads the page when a rebuild finishes, swaps stylesheets when only CSS
// changed, and shows build errors over the page until they are fixed. Injected by
// `kring serve` only; never part of a built site.
(() => {
  "use strict";
  const OVERLAY_ID = "kring-error-overlay";
  // The build this page was served from (`?since=N`, added by the server): the socket
  // hears of any rebuild since, even one that finished while the page was loading.
  const since = new URL(document.currentScript.src).searchParams.get("since");
  let connectedBefore = false;
  let retryMs = 200;

  function showError(message) {
    let overlay = document.getElementById(OVERLAY_ID);
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.id = OVERLAY_ID;
      overlay.setAttribute("role", "alert");
      overlay.style.cssText =
        "position:fixed;inset:0;z-index:2147483647;overflow:auto;background:rgba(20,20,24,.94);" +
        "color:#fff;font:15px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;padding:2rem;";
      const title = document.createElement("p");
      title.style.cssText = "margin:0 0 1rem;font:600 18px/1.4 system-ui,sans-serif;color:#ffb4a8;";
      title.textContent = "kring: the last change did not build. The page shows the last good build.";
      const pre = document.createElement("pre");
      pre.style.cssText = "white-space:pre-wrap;margin:0;";
      overlay.append(title, pre);
      document.body.append(overlay);
    }
    // textContent, never innerHTML: the message quotes the user's files verbatim.
    overlay.querySelector("pre").textContent = message;
  }

  function hideError() {
    const overlay = document.getElementById(OVERLAY_ID);
    if (overlay) overlay.remove();
  }

  function swapStylesheets() {
    for (const link of document.querySelectorAll('link[rel="stylesheet"]')) {
      const url = new URL(link.href, location.href);
      if (url.origin !== location.origin) continue;
      url.searchParams.set("kring-reload", Date.now().toString());
      const fresh = link.cloneNode();
      fresh.href = url.toString();
      fresh.addEventListener("load", () => link.remove(), { once: true });
      link.after(fresh);
    }
  }

  function connect() {
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    const query = since === null ? "" : "?since=" + encodeURIComponent(since);
    const socket = new WebSocket(scheme + "//" + location.host + "/__kring/ws" + query);
    socket.addEventListener("open", () => {
      // After a server restart, what is on screen may be stale.
      if (connectedBefore) location.reload();
      connectedBefore = true;
      retryMs = 200;
    });
    socket.addEventListener("message", (event) => {
      const message = JSON.parse(event.data);
      if (message.type === "reload") location.reload();
      else if (message.type === "css") { hideError(); swapStylesheets(); }
      else if (message.type === "error") showError(message.message);
      else if (message.type === "ok") hideError();
    });
    socket.addEventListener("close", () => {
      setTimeout(connect, retryMs);
      retryMs = Math.min(retryMs * 2, 2000);
    });
  }

  connect();
})();
