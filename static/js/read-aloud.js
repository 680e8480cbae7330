// "Read this page aloud": the page's main content, spoken by the browser's own
// speech synthesis (nothing is downloaded). Where the browser has none, the
// button stays hidden.
(function () {
  var buttons = document.querySelectorAll("[data-read-aloud]");
  var main = document.getElementById("main");
  if (!buttons.length || !main || !window.speechSynthesis || !window.SpeechSynthesisUtterance) {
    return;
  }
  var lang = document.documentElement.lang === "en" ? "en-GB" : "zh-CN";
  buttons.forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      // innerText is what is shown: a closed <details> or a hidden element is not read.
      var text = main.innerText.replace(/\s+/g, " ").trim();
      var utterance = new window.SpeechSynthesisUtterance(text);
      utterance.lang = lang;
      utterance.rate = 0.9;
      window.speechSynthesis.cancel();
      window.speechSynthesis.speak(utterance);
    });
  });
})();
