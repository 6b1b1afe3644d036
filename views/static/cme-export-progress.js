// Export job progress (issue 14, item 1). Without JavaScript the job page has a "Check again" link. With it, the
// page asks the job's status (JSON) every 2 seconds, moves the bar and its text, and says each quarter reached
// politely ("50% of the claims read"). When the job is done it fetches the page once more and swaps in the result
// (the download link, a re-creation's verdict, or why it failed), announces it, and stops asking.
(function () {
  'use strict';

  var job = document.querySelector('[data-export-job][data-polling]');
  var live = document.querySelector('[data-export-live]');
  if (!job || !live || !window.fetch || !window.DOMParser) return;
  var statusUrl = job.getAttribute('data-status-url');
  var pageUrl = job.getAttribute('data-page-url');
  var bar = job.querySelector('progress');
  var text = job.querySelector('[data-export-progress-text]');
  var status = job.querySelector('[data-export-status]');
  var every = 2000;
  var failures = 0;
  var quarter = Math.floor((Number(bar.value) * 4) / Math.max(1, Number(bar.max)));

  function say(message) {
    live.textContent = message;
  }

  function show(progress) {
    bar.max = Math.max(1, progress.entriesTotal);
    bar.value = progress.entriesRead;
    bar.textContent = progress.percent + '%';
    text.textContent = progress.text + ' (' + progress.percent + '%)';
    status.textContent = progress.statusLabel;
    var reached = Math.floor(progress.percent / 25);
    if (!progress.done && reached > quarter && reached < 4) {
      quarter = reached;
      say(reached * 25 + '% of the claims read.');
    }
  }

  // The finished page's result replaces the live one; focus follows only if it was inside what was replaced.
  function finish(progress) {
    fetch(pageUrl, { headers: { Accept: 'text/html' }, credentials: 'same-origin' })
      .then(function (response) {
        if (!response.ok) throw new Error('status ' + response.status);
        return response.text();
      })
      .then(function (html) {
        var next = new DOMParser().parseFromString(html, 'text/html').querySelector('[data-export-job]');
        if (!next) throw new Error('no job on the page');
        var hadFocus = job.contains(document.activeElement);
        job.replaceWith(next);
        job = next;
        var verdict = next.querySelector('.cme-export-verdict');
        var download = next.querySelector('a[download]');
        var failure = next.querySelector('.cme-export-failure');
        say(
          progress.statusLabel +
            '. ' +
            (verdict ? verdict.textContent.trim().replace(/\s+/g, ' ') + ' ' : '') +
            (download ? 'The file is ready to download.' : '') +
            (failure ? failure.textContent.trim().replace(/\s+/g, ' ') : ''),
        );
        if (hadFocus) next.querySelector('#export-status-heading').focus();
      })
      .catch(function () {
        window.location.reload();
      });
  }

  function ask() {
    fetch(statusUrl, { headers: { Accept: 'application/json' }, credentials: 'same-origin' })
      .then(function (response) {
        if (!response.ok) throw new Error('status ' + response.status);
        return response.json();
      })
      .then(function (progress) {
        failures = 0;
        show(progress);
        if (progress.done) finish(progress);
        else window.setTimeout(ask, every);
      })
      .catch(function () {
        failures += 1;
        if (failures < 5) window.setTimeout(ask, every * failures);
        else say('Rounds could not check the progress. Use “Check again” to reload the page.');
      });
  }

  window.setTimeout(ask, every);
})();
