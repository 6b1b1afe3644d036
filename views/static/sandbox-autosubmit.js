// Sandbox LMS: continues an LTI launch by posting the id_token form at once, as Moodle's auth page does.
// An external file because the CSP allows scripts from 'self' only.
(function () {
  'use strict';
  var form = document.querySelector('form[data-autosubmit]');
  if (form) HTMLFormElement.prototype.submit.call(form);
})();
