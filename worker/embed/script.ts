// The source of /v1/embed.js, served as is (kept as a plain string so no
// bundler rewrites it; ES5-level syntax for old browsers). A site includes
//   <script src="https://<worker>/v1/embed.js" data-fields="region=West&age=34" async></script>
// and the script asks the worker that served it for the visitor's segment,
// sets data-segment / data-segment-label / data-segment-state on <html> and
// dispatches "edgeseg:segment" (or "edgeseg:error") on document.
// window.edgeseg.segment({ …fields }) asks again (e.g. after a sign-in).
// Experiments: the visitor id is `data-visitor`, or a random id the script
// keeps in localStorage (first party, no cookie). A visitor in an experiment
// gets data-variant on <html>; in `control` the script sets no data-segment
// (so CSS personalisation falls back to the default page) while the event
// still carries the segment. edgeseg.track("conversion", { value }) reports a
// conversion with the answer's receipt.
export const EMBED_SCRIPT = `/*! edgeseg embed: data-segment and data-variant on <html>, "edgeseg:segment" event, edgeseg.track */
(function () {
  'use strict';
  var script = document.currentScript;
  if (!script || window.edgeseg) return;
  var base = (script.getAttribute('data-endpoint') || new URL(script.src, location.href).origin).replace(/\\/+$/, '');
  var root = document.documentElement;

  function parseFields(spec) {
    var out = {};
    spec = (spec || '').trim();
    if (spec.charAt(0) === '{') {
      try { out = JSON.parse(spec); } catch (e) { out = {}; }
      return out;
    }
    new URLSearchParams(spec).forEach(function (v, k) { out[k] = v; });
    return out;
  }

  function emit(name, detail) {
    var event;
    try { event = new CustomEvent(name, { detail: detail }); } catch (e) {
      event = document.createEvent('CustomEvent');
      event.initCustomEvent(name, false, false, detail);
    }
    document.dispatchEvent(event);
  }

  function answer(res) {
    return res.json().then(function (body) {
      if (res.ok) return body;
      var err = new Error((body && body.detail) || 'HTTP ' + res.status);
      err.problem = body;
      throw err;
    });
  }

  function visitorId() {
    var id = script.getAttribute('data-visitor');
    try {
      id = id || localStorage.getItem('edgeseg:visitor');
      if (!id) {
        id = Array.prototype.map.call(crypto.getRandomValues(new Uint8Array(16)), function (b) { return (b + 256).toString(16).slice(1); }).join('');
        localStorage.setItem('edgeseg:visitor', id);
      }
    } catch (e) {}
    return id;
  }
  var visitor = visitorId();

  function segment(fields) {
    var query = new URLSearchParams();
    Object.keys(fields || {}).sort().forEach(function (k) {
      var v = fields[k];
      if (v !== undefined && v !== null && v !== '') query.append(k, String(v));
    });
    if (visitor) query.append('visitor', visitor);
    // Counted as the embed script's in live monitoring (not a field unless the model has one so named).
    if (!query.has('_via')) query.append('_via', 'embed');
    root.setAttribute('data-segment-state', 'loading');
    return fetch(base + '/v1/segment?' + query.toString(), { mode: 'cors', credentials: 'omit' })
      .then(answer)
      .then(function (body) {
        var variant = body.experiment ? body.experiment.variant : null;
        if (variant) root.setAttribute('data-variant', variant); else root.removeAttribute('data-variant');
        if (variant === 'control') {
          root.removeAttribute('data-segment');
          root.removeAttribute('data-segment-label');
        } else {
          root.setAttribute('data-segment', String(body.segment.id));
          root.setAttribute('data-segment-label', body.segment.label);
        }
        root.setAttribute('data-segment-state', 'ready');
        window.edgeseg.last = body;
        emit('edgeseg:segment', body);
        return body;
      }, function (err) {
        root.setAttribute('data-segment-state', 'error');
        emit('edgeseg:error', { message: String(err && err.message), problem: (err && err.problem) || null });
        throw err;
      });
  }

  function track(event, data) {
    var last = window.edgeseg.last;
    if (!last || !last.receipt) return Promise.resolve(null);
    var body = { receipt: last.receipt, event: event };
    if (data && typeof data.value === 'number') body.value = data.value;
    return fetch(base + '/v1/events', {
      method: 'POST', mode: 'cors', credentials: 'omit', keepalive: true,
      headers: { 'content-type': 'application/json' }, body: JSON.stringify(body)
    }).then(answer);
  }

  window.edgeseg = { segment: segment, track: track, last: null };
  segment(parseFields(script.getAttribute('data-fields')))['catch'](function () {});
})();
`;
