// Rounds: ends LTI Dynamic Registration (DR 1.0 §3.7) by telling the LMS window that opened or framed this page to
// close it. On a button, so the administrator can read the page first. External: the CSP allows 'self' scripts only.
(function () {
  'use strict';
  var button = document.querySelector('[data-lti-close]');
  if (!button) return;
  button.addEventListener('click', function () {
    var target = window.opener || (window.parent !== window ? window.parent : null);
    if (target) {
      target.postMessage({ subject: 'org.imsglobal.lti.close' }, '*');
    } else {
      window.close();
    }
  });
})();
