// Starts Blazor (App.razor loads blazor.web.js with autostart="false") with the portal's
// reconnection policy, and keeps the connection-status pill (its data-state) in step with
// .NET 10's components-reconnect-state-changed events.
//
// A merchant leaves the dashboard open all day and overnight. After any outage, of seconds or of
// hours, the page comes back by itself and shows the database's state:
// - it retries for as long as it takes, with a capped exponential backoff and random jitter;
// - when the server answers but no longer knows the circuit (a restart or deploy, or the circuit
//   outlived its retention period), it reloads into a new circuit, and only once the server
//   answers, never faster than the backoff (a page that cannot get a circuit does not reload in
//   a loop);
// - a page whose first circuit start failed does the same; one whose start is only slow waits for it;
// - a hidden tab catches up as soon as it is visible again (blazor.web.js cuts its own retry
//   timer short on visibilitychange; the waits here do the same).
// The server re-reads the badge from the database when a connection comes back
// (LiveOrdersCircuitHandler) and a reload renders it from the database, so either way the page
// ends on the database's state.
(() => {
    'use strict';

    // Attempt n waits a random time between 20% and 100% of min(30 s, 1 s x 2^n):
    //   0.2-1 s, 0.4-2 s, 0.8-4 s, 1.6-8 s, 3.2-16 s, then 6-30 s for as long as it takes.
    // - First attempts are quick: most drops (a proxy timeout, a Wi-Fi hand-over) last a second.
    // - 30 s cap: after a long outage a tab is at most 30 s (plus one reload) behind the server's
    //   return, and while the server is down a tab costs at most one refused attempt per 6 s.
    // - Jitter: every tab loses its connection in the same instant when the server stops. Without
    //   jitter all of them would retry, be rejected and reload in the same instant when it returns.
    //   Spread uniformly over 6-30 s, 10,000 tabs arrive at about 420 a second, not all at once.
    // - The 20% floor keeps any one tab from retrying back to back.
    const FirstCapMs = 1000;
    const MaxCapMs = 30000;
    const Floor = 0.2;
    // How long a first circuit start may take that blazor.web.js has neither finished nor given up
    // on. A start that fails says so (see watchFirstCircuit), and SignalR bounds a start on a server
    // that went silent (100 s for the negotiation, 30 s without a message once connected); this is
    // for anything else that could hold a start for good.
    // A start that is merely slow must not be cut short: the server that has just come back is busy
    // with every other tab's start, and a reload puts the same work at the back of its queue again
    // (a 30 s deadline reloaded half of 10,000 tabs twice after a deploy: BENCHMARKS.md, issue 16).
    const CircuitStartBackstopMs = 300000;
    // Reloads in this tab that did not lead to a live circuit; each one waits longer.
    const ReloadsKey = 'merchantPortal.reconnect.reloads';
    const PillId = 'components-reconnect-modal';

    const delayFor = attempt => {
        const cap = Math.min(MaxCapMs, FirstCapMs * 2 ** Math.min(attempt, 15));
        return Math.round(cap * (Floor + (1 - Floor) * Math.random()));
    };

    // A timer that ends early when a hidden tab becomes visible: the merchant is looking now.
    const wait = ms => new Promise(resolve => {
        const done = () => {
            clearTimeout(timer);
            document.removeEventListener('visibilitychange', onVisible);
            resolve();
        };
        const onVisible = () => document.visibilityState === 'visible' && done();
        const timer = setTimeout(done, ms);
        document.addEventListener('visibilitychange', onVisible);
    });

    const show = state => document.getElementById(PillId)?.setAttribute('data-state', state);

    const storedReloads = () => {
        try {
            return Number(sessionStorage.getItem(ReloadsKey)) || 0;
        } catch {
            return 0; // storage disabled: no memory across reloads, the first wait still applies
        }
    };

    const storeReloads = count => {
        try {
            if (count > 0) {
                sessionStorage.setItem(ReloadsKey, String(count));
            } else {
                sessionStorage.removeItem(ReloadsKey);
            }
        } catch {
            // storage disabled: see storedReloads
        }
    };

    // Any HTTP answer below 500 means the app itself is serving again; 5xx is a proxy in front
    // of a stopped app. HEAD keeps the probe cheap: the app's pages answer GET only, so this is a
    // 404 from the app's own routing (no page render, no database query), which is answer
    // enough. (Not a static file: a deploy changes their fingerprinted names.)
    const serverAnswers = async () => {
        try {
            const response = await fetch(location.href, { method: 'HEAD', cache: 'no-store', credentials: 'same-origin' });
            return response.status < 500;
        } catch {
            return false; // not reachable yet
        }
    };

    let circuitOpened = false;
    let reloading = false;
    let recovering = false;

    // The server no longer knows this circuit: a new one needs a fresh page. Waits for the server
    // to answer first, and after earlier reloads that did not get a circuit, waits the backoff.
    const reloadWhenServerAnswers = async () => {
        if (reloading) {
            return;
        }

        reloading = true;
        show('reconnecting');
        const reloads = storedReloads();
        for (let attempt = reloads; ; attempt++) {
            if (attempt > 0) {
                await wait(delayFor(attempt - 1));
            }

            if (await serverAnswers()) {
                storeReloads(reloads + 1);
                show('reloading');
                location.reload();
                return;
            }
        }
    };

    // blazor.web.js gave up (retries ran out) or the circuit was paused: keep going on the same
    // backoff. Should the connection come back, blazor.web.js reports 'hide'.
    const keepReconnecting = async () => {
        if (recovering || reloading) {
            return;
        }

        recovering = true;
        try {
            for (let attempt = 0; ; attempt++) {
                await wait(delayFor(attempt));
                try {
                    if (await Blazor.reconnect() || await Blazor.resumeCircuit()) {
                        return;
                    }

                    await reloadWhenServerAnswers(); // the server answered and rejected the circuit
                    return;
                } catch {
                    // The server is still unreachable: the next attempt, after the backoff.
                }
            }
        } finally {
            recovering = false;
        }
    };

    // The states blazor.web.js reports (UserSpecifiedDisplay): show, retrying, hide, failed,
    // rejected, paused, resume-failed. Listening in the capture phase on the document works even
    // for a pill that enhanced navigation adds later (the event does not bubble).
    document.addEventListener('components-reconnect-state-changed', event => {
        if (!circuitOpened) {
            // The connection that was starting the first circuit dropped: there is no circuit to
            // reconnect to.
            firstStartFailed();
            return;
        }

        const state = event.detail?.state;
        switch (state) {
            case 'hide':
                show('live');
                break;
            case 'rejected':
                reloadWhenServerAnswers();
                break;
            case 'failed':
            case 'paused':
            case 'resume-failed':
                show('reconnecting');
                keepReconnecting();
                break;
            default: // show, retrying
                show('reconnecting');
                break;
        }
    }, true);

    // A page with interactive parts whose first circuit start failed for good (the server went away
    // between the page and the circuit, or came back without the connection the start was using)
    // would otherwise stay prerendered: blazor.web.js does not start a circuit again, and its
    // retries ask for a circuit that never existed. It reloads once the server answers.
    const interactive = () => document.getElementById(PillId) !== null; // not on static (account) pages
    const firstStartFailed = () => {
        if (!circuitOpened && interactive()) {
            reloadWhenServerAnswers();
        }
    };

    // blazor.web.js says that the first start failed for good in two ways: an unhandled rejection
    // (see the unhandledrejection listener) and its error banner #blazor-error-ui, which it shows
    // when the start ends without connecting (no transport connected, or the hub refused the
    // handshake: a server too busy to read it within its handshake timeout, 1,448 of 10,000 tabs in
    // one deploy storm) and when the server refuses the circuit. Today the first kind follows the
    // second as well; the banner is the documented one. The page has no banner of its own (the
    // pill and the reload say enough), so an empty one takes the signal.
    const watchFirstCircuit = () => {
        if (!interactive()) {
            return;
        }

        const errorUi = document.getElementById('blazor-error-ui')
            ?? document.body.appendChild(Object.assign(document.createElement('div'), { id: 'blazor-error-ui' }));
        new MutationObserver(() => errorUi.style.display === 'block' && firstStartFailed())
            .observe(errorUi, { attributes: true, attributeFilter: ['style'] });
        setTimeout(firstStartFailed, CircuitStartBackstopMs);
    };

    // blazor.web.js sends the page's calls to the circuit (the armed check's ping, answers to
    // the circuit's calls into the page, MudBlazor's callbacks, browser events) without handling
    // the transport's refusal: a send that races a dropping connection leaves a rejected promise
    // nobody can catch. The call's own result fails or times out as well, and the caller handles
    // that (js/alerts.js counts an unanswered ping), while the pill reports the outage; so the
    // transport's refusals, and only those, become one warning instead of an uncaught error:
    // - SignalR's refusals while not connected (an Error from the connection, strings from the
    //   WebSocket transport and the send queue);
    // - a failed long-polling send (fetch failed, or an HTTP status once the server forgot the
    //   connection), recognised by coming from blazor.web.js itself.
    const refusals = [
        "Cannot send data if the connection is not in the 'Connected' State.",
        'WebSocket is not in the OPEN state',
        'Connection stopped.',
    ];
    const fromBlazor = reason => reason instanceof Error && /\/_framework\/blazor\.web\./.test(reason.stack ?? '');
    const isTransportRefusal = reason => {
        const message = typeof reason === 'string' ? reason : reason instanceof Error ? reason.message : null;
        if (message === null) {
            return false;
        }
        if (refusals.includes(message)) {
            return true;
        }
        return fromBlazor(reason) && (message === 'Failed to fetch' || /Status code '\d+'/.test(message));
    };
    window.addEventListener('unhandledrejection', event => {
        if (!circuitOpened && interactive() && fromBlazor(event.reason)) {
            // blazor.web.js leaves the first circuit start's failure unhandled (the negotiation failed,
            // or the connection closed before the server answered StartCircuit): that is the news
            // firstStartFailed waits for, not a defect of the page.
            event.preventDefault();
            console.warn('The circuit did not start: the page reloads once the server answers.', String(event.reason));
            firstStartFailed();
            return;
        }

        if (isTransportRefusal(event.reason)) {
            event.preventDefault();
            console.warn('A call to the server was not sent: the connection is down.', String(event.reason));
        }
    });

    const start = () => {
        watchFirstCircuit();
        Blazor.start({
            circuit: {
                reconnectionOptions: {
                    // Never give up: at one attempt per 6 s or more this bound is never reached.
                    maxRetries: Number.MAX_SAFE_INTEGER,
                    retryIntervalMilliseconds: previousAttempts => delayFor(previousAttempts),
                },
                circuitHandlers: [{
                    onCircuitOpened: () => {
                        circuitOpened = true;
                        storeReloads(0);
                        show('live');
                    },
                }],
            },
        }).catch(error => console.error('Blazor did not start', error));
    };

    // The scripts after this one (MudBlazor, portal.js) define functions the circuit calls:
    // start once the whole document, and so every script, has been read.
    if (document.readyState === 'loading') {
        document.addEventListener('DOMContentLoaded', start, { once: true });
    } else {
        start();
    }
})();
