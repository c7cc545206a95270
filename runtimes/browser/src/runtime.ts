// The event's `runtime` for a page: the engine family and version the user agent names.
/** `browser-chrome-156.0.8078.114` (Edge and Opera too), `browser-firefox-140.0`, `browser-safari-18.2`, else `browser-unknown`. */
export function runtimeName(agent = navigator.userAgent): string {
  // The lookahead ranks Firefox and Chrome first wherever they stand: Android's WebView also says Version/… Safari.
  const [, name = 'safari', version, safari] = /^(?=.*(firefox|chrome)\/([\d.]+))|version\/([\d.]+).*safari|$/.exec(agent.toLowerCase())!;
  return 'browser-' + (version || safari ? name + '-' + (version || safari) : 'unknown');
}
