// The event's `runtime` for a page: the engine family and version the user agent names.
/** `browser-chrome-156.0.8078.114` (Edge and Opera too), `browser-firefox-140.0`, `browser-safari-18.2`, else `browser-unknown`. */
export function runtimeName(agent = navigator.userAgent): string {
  const m = /(Firefox|Chrome)\/([\d.]+)/.exec(agent);
  const safari = /Version\/([\d.]+).*Safari/.exec(agent);
  return 'browser-' + (m ? m[1]!.toLowerCase() + '-' + m[2] : safari ? 'safari-' + safari[1] : 'unknown');
}
