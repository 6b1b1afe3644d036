// Sandbox LMS: platform storage for the framed tool (1EdTech LTI Client Side postMessages + Platform Storage),
// as Moodle 4.x offers through lti_storage_target. Values are kept per tool origin, answered only to that origin.
(function () {
  'use strict';
  var frame = document.querySelector('iframe[data-platform-storage]');
  if (!frame) return;
  var toolOrigin = frame.getAttribute('data-tool-origin');
  var store = {};
  window.addEventListener('message', function (event) {
    var data = event.data;
    if (event.origin !== toolOrigin || !data || typeof data.subject !== 'string') return;
    if (event.source !== frame.contentWindow) return;
    var answer = { subject: data.subject + '.response', message_id: data.message_id, key: data.key };
    if (data.subject === 'lti.put_data' && typeof data.key === 'string') {
      store[data.key] = String(data.value);
      answer.value = store[data.key];
    } else if (data.subject === 'lti.get_data' && typeof data.key === 'string') {
      if (Object.prototype.hasOwnProperty.call(store, data.key)) answer.value = store[data.key];
      else answer.error = { code: 'not_found', message: 'No value for that key.' };
    } else {
      answer.error = { code: 'unsupported_subject', message: 'Not supported.' };
    }
    event.source.postMessage(answer, toolOrigin);
  });
})();
