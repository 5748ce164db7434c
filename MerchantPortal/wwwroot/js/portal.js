// Small helpers the server calls over the circuit (JS interop). A plain script, not a module,
// so each call is one round trip with no import first.
window.merchantPortal = {
    // The browser's IANA time zone ("Europe/Berlin"); the server formats times with it.
    timeZone: () => Intl.DateTimeFormat().resolvedOptions().timeZone,
};
