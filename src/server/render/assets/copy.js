// The quote page's copy button (progressive enhancement: the page is complete without it).
// Shows the button, and copies the quote's paragraphs and its attribution as plain text.
(function () {
  var b = document.getElementById('copy');
  if (!b) return;
  b.hidden = false;
  var s = document.getElementById('copy-status');
  function text() {
    var q = document.getElementById('quote'), c = document.getElementById('credit');
    var t = Array.prototype.map.call(q.querySelectorAll('p'), function (p) {
      return p.innerText.trim();
    }).join('\n\n');
    return c ? t + '\n' + c.innerText.trim() : t;
  }
  function done(m) {
    s.textContent = m;
    setTimeout(function () { s.textContent = ''; }, 2500);
  }
  function fallback(t) {
    var a = document.createElement('textarea');
    a.value = t;
    a.setAttribute('readonly', '');
    a.style.position = 'fixed';
    a.style.opacity = '0';
    document.body.appendChild(a);
    a.select();
    var ok = false;
    try { ok = document.execCommand('copy'); } catch (e) {}
    document.body.removeChild(a);
    done(ok ? 'Copied' : 'Press Ctrl+C to copy');
  }
  b.addEventListener('click', function () {
    var t = text();
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(t).then(function () { done('Copied'); }, function () { fallback(t); });
    } else {
      fallback(t);
    }
  });
})();
