// Reflection autosave (issue 12, item 5). Without JavaScript the form's "Save draft" button saves. With it, the text
// is kept on this device (localStorage) on every keystroke until Rounds confirms a save, saved a few seconds after
// typing stops, and the result announced politely: "Saved at 14:02" or "Not saved: … your text is kept on this
// device". Text kept on the device from a dropped connection is put back when the page opens again.
//
// Never lose text, never overwrite newer text: each kept copy remembers the draft revision it was written on. When
// the page opens with the same revision, the kept copy is newer and is put back and saved. When Rounds has moved on
// (another window or device saved since), both are kept: the page shows Rounds' text and offers the copy from this
// device until the person uses or discards it. A 409 (another window saved) stops the autosave, which would only
// be refused again, and says how to go on ("Save draft" keeps this text; reloading offers it back).
(function () {
  'use strict';

  var form = document.querySelector('form[data-autosave-url]');
  if (!form || !window.fetch) return;
  var textarea = form.querySelector('textarea[name="text"]');
  var status = form.querySelector('[data-autosave-status]');
  var csrf = form.querySelector('input[name="_csrf"]');
  var url = form.getAttribute('data-autosave-url');
  var revision = Number(form.getAttribute('data-revision')) || 0;
  var key = 'rounds:reflection:' + url;
  // A copy written before another window or device saved: offered until used or discarded.
  var earlierKey = key + ':earlier';
  var lastSaved = textarea.value;
  var timer = 0;
  var saving = false;
  var again = false;
  var stale = false;

  function say(text) {
    status.textContent = text;
  }

  function store(name, value) {
    try {
      if (value === null) window.localStorage.removeItem(name);
      else window.localStorage.setItem(name, JSON.stringify(value));
    } catch {
      // Storage full or switched off: the server save still runs.
    }
  }

  function read(name) {
    try {
      var value = JSON.parse(window.localStorage.getItem(name) || 'null');
      return value && typeof value.text === 'string' ? value : null;
    } catch {
      return null;
    }
  }

  function keep() {
    store(key, { text: textarea.value, base: revision, at: Date.now() });
  }

  function forget() {
    store(key, null);
  }

  function schedule(delay) {
    window.clearTimeout(timer);
    if (!stale) timer = window.setTimeout(save, delay);
  }

  function save() {
    if (stale) return;
    if (saving) {
      again = true;
      return;
    }
    var text = textarea.value;
    if (text === lastSaved) {
      forget();
      return;
    }
    saving = true;
    window
      .fetch(url, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify({ _csrf: csrf.value, text: text, baseRevision: revision }),
      })
      .then(function (response) {
        return response.json().then(function (body) {
          return { ok: response.ok, status: response.status, body: body };
        });
      })
      .then(function (result) {
        if (result.ok) {
          revision = result.body.revision;
          lastSaved = text;
          // Typed on while saving: the kept copy now builds on the new revision.
          if (textarea.value === text) forget();
          else keep();
          say('Saved at ' + result.body.savedAtText + '.');
        } else if (result.status === 409) {
          stale = true;
          keep();
          say(
            'Not saved: this reflection was saved from another window or device. Your text here is kept on this ' +
              'device. Press “Save draft” to keep this text, or reload the page to see the other and choose.',
          );
        } else {
          var reason = result.body && result.body.error ? result.body.error.message : 'Rounds could not save it.';
          say('Not saved: ' + reason + ' Your text is kept on this device.');
        }
      })
      .catch(function () {
        say('Not saved: you seem offline. Your text is kept on this device and saved when you are back.');
        schedule(15000);
      })
      .then(function () {
        saving = false;
        if (again) {
          again = false;
          schedule(0);
        }
      });
  }

  /** Offers a copy from this device that Rounds' newer text would otherwise replace. */
  function offer(copy) {
    store(earlierKey, copy);
    var box = document.createElement('div');
    box.className = 'autosave-offer';
    var note = document.createElement('p');
    note.textContent =
      'This device kept a different text from before this reflection was saved elsewhere. The text below is ' +
      'the one Rounds has.';
    var use = document.createElement('button');
    use.type = 'button';
    use.className = 'button button--secondary button--small';
    use.textContent = 'Use the text kept on this device';
    var discard = document.createElement('button');
    discard.type = 'button';
    discard.className = 'button button--secondary button--small';
    discard.textContent = 'Discard the kept text';
    use.addEventListener('click', function () {
      textarea.value = copy.text;
      store(earlierKey, null);
      box.remove();
      keep();
      say('The text kept on this device is back. Saving it now…');
      schedule(0);
      textarea.focus();
    });
    discard.addEventListener('click', function () {
      store(earlierKey, null);
      box.remove();
      say('The kept text is discarded.');
      textarea.focus();
    });
    box.appendChild(note);
    box.appendChild(use);
    box.appendChild(document.createTextNode(' '));
    box.appendChild(discard);
    status.parentNode.insertBefore(box, status.nextSibling);
  }

  var restored = read(key);
  if (restored !== null && restored.text !== textarea.value) {
    if (restored.base === undefined || restored.base === revision) {
      textarea.value = restored.text;
      say('Your text from this device that had not reached Rounds is back. Saving it now…');
      schedule(500);
    } else {
      forget();
      offer(restored);
    }
  } else if (restored !== null) {
    forget();
  }
  var earlier = read(earlierKey);
  if (earlier !== null && earlier.text !== textarea.value && !document.querySelector('.autosave-offer')) {
    offer(earlier);
  } else if (earlier !== null && earlier.text === textarea.value) {
    store(earlierKey, null);
  }

  textarea.addEventListener('input', function () {
    keep();
    schedule(3000);
  });
  window.addEventListener('online', function () {
    schedule(0);
  });
  // A submit leaves the page: the text stays kept until the next page shows it saved.
  form.addEventListener('submit', keep);
})();
