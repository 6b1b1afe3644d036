// Grading shortcuts (issue 12, item 5): "j" opens the next reflection of the queue, "k" the previous one, unless
// the focus is in a text field (typing feedback never jumps away), a modifier key is held, or a grade has been
// started on this page and not saved. The links themselves
// work without JavaScript; the rubric's radio groups already move with the arrow keys.
(function () {
  'use strict';

  function typing(element) {
    if (!element) return false;
    var tag = element.tagName;
    return tag === 'TEXTAREA' || tag === 'SELECT' || (tag === 'INPUT' && element.type !== 'radio' && element.type !== 'checkbox') || element.isContentEditable;
  }

  // A level chosen or feedback typed and not yet saved: "j" on a focused radio must not throw it away.
  var unsaved = false;
  document.addEventListener('change', function () {
    unsaved = true;
  });
  document.addEventListener('submit', function () {
    unsaved = false;
  });

  document.addEventListener('keydown', function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey || typing(event.target)) return;
    if (unsaved) return;
    var which = event.key === 'j' ? 'next' : event.key === 'k' ? 'previous' : null;
    if (!which) return;
    var link = document.querySelector('[data-grading-key="' + which + '"]');
    if (!link) return;
    event.preventDefault();
    window.location.assign(link.href);
  });
})();
