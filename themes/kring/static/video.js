// kring: videos load nothing from their host until someone asks for them. Each
// <figure class="video"> (a link, without JavaScript) gets a play button; a click puts the
// player's iframe in its place. Only pages with a video load this script.
(function () {
  "use strict";
  var script = document.currentScript;
  var note = (script && script.dataset.play) || "Plays from {host}";
  document.querySelectorAll("figure.video[data-embed]").forEach(function (figure) {
    var embed = figure.dataset.embed || "";
    if (!/^https:\/\//.test(embed)) return;
    var host = figure.dataset.provider || "";
    var title = figure.dataset.title || host;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "video__play";
    button.textContent = "\u25B6 " + title;
    var hint = document.createElement("span");
    hint.className = "video__note";
    hint.textContent = note.replace("{host}", host);
    button.appendChild(document.createElement("br"));
    button.appendChild(hint);
    button.addEventListener("click", function () {
      var frame = document.createElement("iframe");
      frame.className = "video__frame";
      frame.src = embed;
      frame.title = title;
      frame.allow = "autoplay; encrypted-media; picture-in-picture; fullscreen";
      frame.setAttribute("allowfullscreen", "");
      frame.referrerPolicy = "strict-origin-when-cross-origin";
      figure.replaceChildren(frame);
      frame.focus();
    });
    figure.insertBefore(button, figure.firstChild);
    figure.classList.add("video--ready");
  });
})();
