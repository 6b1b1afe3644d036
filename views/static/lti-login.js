// Rounds' LTI login when the browser keeps no cookie in the LMS's iframe. An external file because the CSP
// allows scripts from 'self' only. Everything here also works without JavaScript: the forms submit as they are.
(function () {
  'use strict';

  // "Continue in a new window": the form opens the same login top-level; say so in this frame.
  var newWindowForm = document.querySelector('form[data-new-window]');
  var newWindowStatus = document.querySelector('[data-new-window-status]');
  if (newWindowForm && newWindowStatus) {
    newWindowForm.addEventListener('submit', function () {
      newWindowStatus.textContent = 'Rounds opened in a new window. You can continue there.';
    });
  }

  // 1EdTech LTI Client Side postMessages + Platform Storage: lti.put_data / lti.get_data to the frame the
  // platform named in lti_storage_target, only to (and only answered from) the platform's origin.
  var panel = document.querySelector('[data-platform-storage]');
  if (!panel) return;
  var fallback = panel.querySelector('[data-storage-fallback]');
  var status = panel.querySelector('[data-storage-status]');
  var target = panel.getAttribute('data-storage-target');
  var origin = panel.getAttribute('data-storage-origin');
  var key = panel.getAttribute('data-storage-key');
  var frame = null;
  try {
    frame = target === '_parent' ? window.parent : window.parent.frames[target];
  } catch {
    frame = null;
  }
  if (!frame || frame === window) return;
  if (fallback) fallback.hidden = true;

  function showFallback() {
    if (status) status.textContent = 'Your course page could not keep this sign-in.';
    if (fallback) fallback.hidden = false;
  }

  function send(message, onAnswer) {
    var messageId = 'rounds-' + Math.random().toString(36).slice(2);
    var done = false;
    var timer = setTimeout(function () {
      if (!done) {
        done = true;
        showFallback();
      }
    }, 3000);
    window.addEventListener('message', function listener(event) {
      var data = event.data;
      if (done || event.origin !== origin || !data || data.message_id !== messageId) return;
      if (data.subject !== message.subject + '.response') return;
      done = true;
      clearTimeout(timer);
      window.removeEventListener('message', listener);
      if (data.error) showFallback();
      else onAnswer(data);
    });
    message.message_id = messageId;
    frame.postMessage(message, origin);
  }

  if (panel.getAttribute('data-platform-storage') === 'put') {
    var value = panel.getAttribute('data-storage-value');
    var next = panel.getAttribute('data-storage-next');
    send({ subject: 'lti.put_data', key: key, value: value }, function () {
      window.location.replace(next);
    });
  } else {
    var form = panel.querySelector('form[data-storage-form]');
    var secret = panel.querySelector('[data-storage-secret]');
    send({ subject: 'lti.get_data', key: key }, function (data) {
      if (typeof data.value !== 'string' || !form || !secret) return showFallback();
      secret.value = data.value;
      HTMLFormElement.prototype.submit.call(form);
    });
  }
})();
