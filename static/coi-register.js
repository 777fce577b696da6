/*
 * Loaded first by every page. Where the host sent the isolation headers it does nothing. Where it did not (GitHub
 * Pages), it installs coi-worker.js, a service worker that adds them, and reloads the page once so that the page
 * comes back through the worker, isolated. See coi-worker.js for why the labs need this.
 */
(function isolateThroughServiceWorker() {
  if (window.crossOriginIsolated || !window.isSecureContext || !('serviceWorker' in navigator)) {
    return;
  }
  var RELOADED_AT = 'coi-worker-reloaded-at';
  var folder = document.currentScript.src.replace(/[^/]*$/, '');

  function reloadOnce() {
    // A page that is still not isolated after one reload through the worker would otherwise reload forever
    // (a browser that does not let the worker's headers count, a host that sends conflicting ones).
    var last = Number(sessionStorage.getItem(RELOADED_AT) || 0);
    if (Date.now() - last < 10000) {
      console.warn('Scale Up: this page could not be made cross-origin isolated; the in-browser labs will not run.');
      return;
    }
    sessionStorage.setItem(RELOADED_AT, String(Date.now()));
    window.location.reload();
  }

  if (navigator.serviceWorker.controller) {
    // This page came through the worker and is still not isolated: reloading again would not help.
    console.warn('Scale Up: this page could not be made cross-origin isolated; the in-browser labs will not run.');
    return;
  }
  navigator.serviceWorker.register(folder + 'coi-worker.js').then(
    function (registration) {
      var alreadyRunning = registration.active && !registration.installing && !registration.waiting;
      if (navigator.serviceWorker.controller || alreadyRunning) {
        // The worker took over this page just now, or it was running and a forced reload (Shift+Reload) bypassed it.
        reloadOnce();
        return;
      }
      navigator.serviceWorker.addEventListener('controllerchange', reloadOnce);
    },
    function (error) {
      console.warn('Scale Up: the cross-origin isolation worker could not be installed: ' + error);
    },
  );
})();
