// The practice step's pacer (issue 10). Without JavaScript the page shows the phases as a plain list; with it, a
// start/pause button, the current phase (announced politely to screen readers as it changes), a countdown and,
// unless the learner prefers reduced motion, a bar filling over each phase. It fills in "Minutes practised".
(function () {
  'use strict';

  var reducedMotion = window.matchMedia && window.matchMedia('(prefers-reduced-motion: reduce)').matches;

  function setUp(root) {
    var phases = Array.prototype.map.call(root.querySelectorAll('.pacer__phases li'), function (item) {
      return { label: item.getAttribute('data-label'), seconds: Number(item.getAttribute('data-seconds')), item: item };
    });
    if (phases.length === 0) return;
    var rounds = Number(root.getAttribute('data-rounds')) || 1;
    var live = root.querySelector('[data-pacer-live]');
    var roundText = root.querySelector('[data-pacer-round]');
    var phaseText = root.querySelector('[data-pacer-phase]');
    var countText = root.querySelector('[data-pacer-count]');
    var bar = root.querySelector('[data-pacer-bar]');
    var toggle = root.querySelector('[data-pacer-toggle]');
    var reset = root.querySelector('[data-pacer-reset]');
    var minutes = document.querySelector('[data-pacer-minutes]');
    var editedByHand = false;
    var state = { round: 0, phase: 0, remaining: phases[0].seconds, elapsed: 0, running: false, finished: false, timer: 0 };

    live.hidden = false;
    reset.hidden = true;
    if (minutes) {
      minutes.addEventListener('input', function () {
        editedByHand = true;
      });
    }

    function announce(text) {
      // Cleared first, so a phase with the same label as the last one is announced again.
      phaseText.textContent = '';
      window.setTimeout(function () {
        phaseText.textContent = text;
      }, 50);
    }

    function showCount() {
      countText.textContent = state.remaining + (state.remaining === 1 ? ' second' : ' seconds');
    }

    function markCurrent() {
      phases.forEach(function (phase, index) {
        if (index === state.phase && !state.finished) phase.item.setAttribute('aria-current', 'step');
        else phase.item.removeAttribute('aria-current');
      });
    }

    function fillBar() {
      if (reducedMotion || !bar) return;
      var phase = phases[state.phase];
      var done = (phase.seconds - state.remaining) / phase.seconds;
      bar.style.transitionDuration = '0s';
      bar.style.width = done * 100 + '%';
      // Read layout so the browser applies the start width before the transition to the end.
      void bar.offsetWidth;
      if (!state.running) return;
      bar.style.transitionDuration = state.remaining + 's';
      bar.style.width = '100%';
    }

    function freezeBar() {
      if (reducedMotion || !bar) return;
      bar.style.transitionDuration = '0s';
      bar.style.width = window.getComputedStyle(bar).width;
    }

    function showPhase() {
      roundText.textContent = rounds > 1 ? 'Round ' + (state.round + 1) + ' of ' + rounds : '';
      announce(phases[state.phase].label);
      showCount();
      markCurrent();
      fillBar();
    }

    function recordMinutes() {
      if (!minutes || editedByHand || state.elapsed === 0) return;
      minutes.value = String(Math.min(60, Math.max(1, Math.round(state.elapsed / 60))));
    }

    function finish() {
      window.clearInterval(state.timer);
      state.running = false;
      state.finished = true;
      root.classList.remove('pacer--running');
      roundText.textContent = '';
      countText.textContent = '';
      announce('Finished. Well done. You can save your minutes below.');
      toggle.textContent = 'Start the pacer again';
      markCurrent();
      if (bar) bar.style.width = '0';
    }

    function tick() {
      state.remaining -= 1;
      state.elapsed += 1;
      recordMinutes();
      if (state.remaining > 0) return showCount();
      state.phase += 1;
      if (state.phase >= phases.length) {
        state.phase = 0;
        state.round += 1;
      }
      if (state.round >= rounds) return finish();
      state.remaining = phases[state.phase].seconds;
      showPhase();
    }

    function start() {
      if (state.finished) restart();
      state.running = true;
      root.classList.add('pacer--running');
      toggle.textContent = 'Pause';
      reset.hidden = false;
      showPhase();
      state.timer = window.setInterval(tick, 1000);
    }

    function pause() {
      window.clearInterval(state.timer);
      state.running = false;
      root.classList.remove('pacer--running');
      toggle.textContent = 'Resume';
      freezeBar();
      announce('Paused');
    }

    function restart() {
      window.clearInterval(state.timer);
      state.round = 0;
      state.phase = 0;
      state.remaining = phases[0].seconds;
      state.running = false;
      state.finished = false;
    }

    toggle.addEventListener('click', function () {
      if (state.running) pause();
      else start();
    });
    reset.addEventListener('click', function () {
      restart();
      start();
    });

    roundText.textContent = rounds > 1 ? rounds + ' rounds' : '';
    countText.textContent = '';
    phaseText.textContent = 'Press Start when you are ready.';
  }

  Array.prototype.forEach.call(document.querySelectorAll('[data-pacer]'), setUp);
})();
