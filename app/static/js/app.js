// Cùng Học Số: small progressive enhancements. Every page works without this file.
(function () {
  "use strict";

  // Read aloud: <button class="read-aloud" data-read-target="#id" hidden>…</button>
  // Uses the browser's own speech synthesis in Vietnamese where the phone has a voice.
  function setupReadAloud() {
    var synth = window.speechSynthesis;
    var buttons = document.querySelectorAll("[data-read-target]");
    if (!synth || !window.SpeechSynthesisUtterance || !buttons.length) return;
    var lang = document.documentElement.lang === "en" ? "en-US" : "vi-VN";
    function pickVoice() {
      var voices = synth.getVoices();
      for (var i = 0; i < voices.length; i++) {
        if (voices[i].lang && voices[i].lang.replace("_", "-").toLowerCase().indexOf(lang.slice(0, 2)) === 0) return voices[i];
      }
      return null;
    }
    buttons.forEach(function (button) {
      button.hidden = false;
      var startLabel = button.textContent;
      button.addEventListener("click", function () {
        if (synth.speaking) {
          synth.cancel();
          button.textContent = startLabel;
          return;
        }
        var target = document.querySelector(button.getAttribute("data-read-target"));
        if (!target) return;
        var utterance = new SpeechSynthesisUtterance(target.innerText);
        utterance.lang = lang;
        utterance.rate = 0.9;
        var voice = pickVoice();
        if (voice) utterance.voice = voice;
        utterance.onend = utterance.onerror = function () { button.textContent = startLabel; };
        button.textContent = button.getAttribute("data-stop-label") || startLabel;
        synth.speak(utterance);
      });
    });
  }

  // Forms with data-once: disable the submit button after the first click (double-tap guard;
  // the server refuses duplicates anyway).
  function setupSubmitOnce() {
    document.querySelectorAll("form[data-once]").forEach(function (form) {
      form.addEventListener("submit", function () {
        form.querySelectorAll("button[type=submit]").forEach(function (b) {
          setTimeout(function () { b.disabled = true; }, 0);
        });
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    setupReadAloud();
    setupSubmitOnce();
  });
})();
