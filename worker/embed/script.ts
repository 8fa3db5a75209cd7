// The source of /v1/embed.js, served as is (kept as a plain string so no
// bundler rewrites it; ES5-level syntax for old browsers). A site includes
//   <script src="https://<worker>/v1/embed.js" data-fields="region=West&age=34" async></script>
// and the script asks the worker that served it for the visitor's segment,
// sets data-segment / data-segment-label / data-segment-state on <html> and
// dispatches "edgeseg:segment" (or "edgeseg:error") on document.
// window.edgeseg.segment({ …fields }) asks again (e.g. after a sign-in).
export const EMBED_SCRIPT = `/*! edgeseg embed: data-segment on <html>, "edgeseg:segment" event */
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

  function segment(fields) {
    var query = new URLSearchParams();
    Object.keys(fields || {}).sort().forEach(function (k) {
      var v = fields[k];
      if (v !== undefined && v !== null && v !== '') query.append(k, String(v));
    });
    // Counted as the embed script's in live monitoring (not a field unless the model has one so named).
    if (!query.has('_via')) query.append('_via', 'embed');
    root.setAttribute('data-segment-state', 'loading');
    return fetch(base + '/v1/segment?' + query.toString(), { mode: 'cors', credentials: 'omit' })
      .then(function (res) {
        return res.json().then(function (body) {
          if (!res.ok) {
            var err = new Error((body && body.detail) || 'HTTP ' + res.status);
            err.problem = body;
            throw err;
          }
          return body;
        });
      })
      .then(function (body) {
        root.setAttribute('data-segment', String(body.segment.id));
        root.setAttribute('data-segment-label', body.segment.label);
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

  window.edgeseg = { segment: segment, last: null };
  segment(parseFields(script.getAttribute('data-fields')))['catch'](function () {});
})();
`;
