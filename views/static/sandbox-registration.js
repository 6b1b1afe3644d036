// Sandbox LMS: closes the "Add tool by URL" step when the framed tool posts LTI Dynamic Registration's close message
// (DR 1.0 §3.7), as Moodle does. External because the CSP allows scripts from 'self' only.
(function () {
  'use strict';
  var frame = document.querySelector('iframe[data-tool-origin]');
  if (!frame) return;
  window.addEventListener('message', function (event) {
    if (event.origin !== frame.getAttribute('data-tool-origin')) return;
    if (!event.data || event.data.subject !== 'org.imsglobal.lti.close') return;
    window.location.assign(frame.getAttribute('data-return-url'));
  });
})();
