// Print button of the certificate page (kept out of the HTML: CSP forbids inline scripts).
document.querySelectorAll("[data-print-button]").forEach(function (button) {
  button.addEventListener("click", function () {
    window.print();
  });
});
