/* Digital Twin chat embed: <script src="https://<api-base>/embed.js" async></script>
 * Adds a floating button (bottom-right) that opens the chat page from the same directory, with ?embed=1, in a panel.
 * Optional: data-label="…" on the script tag sets the button's text.
 * Everything lives in a shadow root, so the host page's CSS and ours cannot touch each other. */
(function () {
  "use strict";
  if (window.__digitalTwinEmbed) return;
  // With async, currentScript is still this script while it runs; the selector covers loaders that lose it.
  var script = document.currentScript || document.querySelector('script[src$="/embed.js"]');
  if (!script || !script.src) return;
  window.__digitalTwinEmbed = true;

  var pageUrl = new URL("./", script.src);
  pageUrl.search = "embed=1";
  var label = script.getAttribute("data-label") || "Ask my digital twin";

  var host = document.createElement("div");
  host.setAttribute("data-digital-twin-embed", "");
  var root = host.attachShadow({ mode: "open" });
  root.innerHTML =
    "<style>" +
    ":host{all:initial}" +
    ".wrap{position:fixed;right:16px;bottom:16px;z-index:2147483000;display:flex;flex-direction:column;align-items:flex-end;gap:12px;" +
    "font:600 15px/1.2 system-ui,-apple-system,'Segoe UI',Roboto,'Helvetica Neue',Arial,sans-serif}" +
    ".panel{width:min(400px,calc(100vw - 32px));height:min(620px,calc(100vh - 96px));border:1px solid #d5dae0;border-radius:16px;" +
    "overflow:hidden;background:#f5f6f8;box-shadow:0 12px 40px rgba(16,24,40,.22)}" +
    ".panel[hidden]{display:none}" +
    "iframe{display:block;width:100%;height:100%;border:0}" +
    "button{display:inline-flex;align-items:center;gap:8px;min-height:48px;padding:0 18px 0 14px;border:0;border-radius:999px;" +
    "background:#0b57d0;color:#fff;font:inherit;cursor:pointer;box-shadow:0 4px 14px rgba(16,24,40,.25)}" +
    "button:hover{background:#0842a0}" +
    "button:focus-visible{outline:3px solid #0b57d0;outline-offset:3px}" +
    "svg{width:20px;height:20px;flex:none}" +
    "</style>" +
    '<div class="wrap">' +
    '<div class="panel" id="panel" hidden></div>' +
    '<button type="button" aria-expanded="false" aria-controls="panel">' +
    '<svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" ' +
    'stroke-linejoin="round" aria-hidden="true"><path d="M21 12a8 8 0 0 1-11.6 7.1L4 20l1-4.6A8 8 0 1 1 21 12z"/></svg>' +
    "<span></span></button></div>";

  var panel = root.getElementById("panel");
  var button = root.querySelector("button");
  var text = root.querySelector("span");
  var icon = root.querySelector("path");
  var iframe = null;
  text.textContent = label;

  function focusChat() {
    iframe.focus();
    iframe.contentWindow.postMessage({ type: "dtwin:focus" }, pageUrl.origin);
  }

  function open() {
    if (!iframe) {
      // Created on first open: a host page that never opens the chat never loads it.
      iframe = document.createElement("iframe");
      iframe.title = label;
      iframe.src = pageUrl.href;
      iframe.addEventListener("load", function () {
        if (!panel.hidden) focusChat();
      });
      panel.appendChild(iframe);
    } else {
      focusChat();
    }
    panel.hidden = false;
    button.setAttribute("aria-expanded", "true");
    icon.setAttribute("d", "M18 6 6 18M6 6l12 12");
  }

  function close() {
    if (panel.hidden) return;
    panel.hidden = true;
    button.setAttribute("aria-expanded", "false");
    icon.setAttribute("d", "M21 12a8 8 0 0 1-11.6 7.1L4 20l1-4.6A8 8 0 1 1 21 12z");
    button.focus();
  }

  button.addEventListener("click", function () {
    if (panel.hidden) open();
    else close();
  });
  // Escape on the host page (e.g. on the button)...
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") close();
  });
  // ...and inside the chat, which asks us to close it.
  window.addEventListener("message", function (event) {
    if (iframe && event.source === iframe.contentWindow && event.origin === pageUrl.origin &&
        event.data && event.data.type === "dtwin:close") close();
  });

  function mount() {
    document.body.appendChild(host);
  }
  if (document.body) mount();
  else document.addEventListener("DOMContentLoaded", mount);
})();
