// The armed check, the test alert and background notifications (issue 14), in the browser:
// most of what "armed" means (the connection, audio unlocked, notification permission) is
// only known here, and the indicator must say "not armed" exactly when the circuit cannot
// tell the browser anything. The server only sends the user's settings (data-want-* on the
// element, re-rendered when they change) and new orders, and answers a ping.
import { unlock, unlocked, chime } from './sound.js';

// How often a live page asks the server for a sign of life, and how long an answer may take:
// the connection can look open while nothing comes back (a half-open socket after a network
// change or sleep, which SignalR only notices after its 30 s server timeout). Only a ping that
// went unanswered counts as silence, never mere time passing: a background tab's timers are
// throttled (down to once a minute), and a laptop's stop while it sleeps.
const PingEveryMs = 15000;
const PingTimeoutMs = 5000;
// Re-checks what has no event of its own (audio state, silence) this often.
const CheckEveryMs = 2000;
// More new orders than this at once make one summary notification (as the toasts do).
const SummaryAbove = 3;
const PillId = 'components-reconnect-modal';

let element;
let dotnet;
let lastHeard = 0;
let lastAsked = 0;
let unanswered = false;
let pinging = false;
let timers = [];
let observers = [];

const supported = () => 'Notification' in window;
const permission = () => (supported() ? Notification.permission : 'unsupported');
const connection = () => document.getElementById(PillId)?.getAttribute('data-state') ?? 'live';

// What stops an alert from reaching the merchant now, in the order to fix it.
function missing() {
    const list = [];
    if (connection() !== 'live') {
        list.push('connection');
    } else if (unanswered) {
        list.push('server');
    }
    if (element.dataset.wantSound === 'true' && !unlocked()) {
        list.push('sound');
    }
    if (element.dataset.wantNotifications === 'true' && permission() !== 'granted') {
        list.push('notifications');
    }
    return list;
}

// Each reason: what is wrong, how to fix it, and the one-click fix where the browser allows one.
function reason(kind) {
    switch (kind) {
        case 'connection':
            return { text: 'Not connected to the portal: reconnecting by itself. New orders arrive once it is back.', fix: 'reload', label: 'Reload now' };
        case 'server':
            return { text: `The connection looks open, but the portal has not answered for ${Math.round((Date.now() - lastHeard) / 1000)} s.`, fix: 'reload', label: 'Reload' };
        case 'sound':
            return { text: 'Sound is on, but the browser keeps it silent until you click in the page.', fix: 'sound', label: 'Enable sound' };
        case 'notifications':
            return permission() === 'default'
                ? { text: 'Notifications are on, but this browser has not allowed them yet.', fix: 'notifications', label: 'Allow notifications' }
                : permission() === 'denied'
                    ? { text: "Notifications are blocked for this site: allow them in the browser's site settings (the icon left of the address), or turn them off in alert settings." }
                    : { text: 'This browser cannot show notifications: turn them off in alert settings.' };
        default:
            return { text: kind };
    }
}

function render() {
    if (!element?.isConnected) {
        return;
    }
    const list = missing();
    const armed = list.length === 0;
    const key = list.join(' ');
    // Only touch the DOM when something changed: observers watch it.
    if (element.dataset.armed === String(armed) && element.dataset.missing === key && element.dataset.rendered === 'true') {
        return;
    }
    element.dataset.armed = String(armed);
    element.dataset.missing = key;
    element.dataset.rendered = 'true';
    const label = armed ? 'Alerts armed' : 'Alerts not armed';
    element.querySelector('[data-alerts-label]').textContent = armed ? 'Armed' : 'Not armed';
    element.querySelector('summary')?.setAttribute('aria-label', label);
    element.querySelector('summary')?.setAttribute('title', armed ? label : `${label}: ${list.map(k => reason(k).text).join(' ')}`);
    element.querySelector('[data-alerts-headline]').textContent = armed
        ? 'Alerts are armed: new orders will reach you.'
        : 'Alerts are not armed:';
    const reasons = element.querySelector('[data-alerts-reasons]');
    reasons.replaceChildren(...list.map(kind => {
        const { text, fix, label } = reason(kind);
        const item = document.createElement('li');
        item.dataset.reason = kind;
        item.append(text);
        if (fix) {
            const button = document.createElement('button');
            button.type = 'button';
            button.dataset.alertsFix = fix;
            button.className = 'mud-button-root mud-button mud-button-outlined mud-button-outlined-primary mud-button-outlined-size-small portal-armed-fix';
            button.textContent = label;
            item.append(' ', button);
        }
        return item;
    }));
}

async function ping() {
    if (pinging || !dotnet || connection() !== 'live') {
        return;
    }
    pinging = true;
    lastAsked = Date.now();
    let answered = false;
    try {
        answered = await Promise.race([
            dotnet.invokeMethodAsync('Ping'),
            new Promise(resolve => setTimeout(() => resolve(false), PingTimeoutMs)),
        ]);
    } catch {
        // No circuit to answer.
    } finally {
        pinging = false;
    }
    if (answered === true) {
        lastHeard = Date.now();
        unanswered = false;
    } else if (connection() === 'live') {
        unanswered = true; // the pill says live, yet nothing came back
    }
    render();
}

// Runs every few seconds: asks again when the last question is old (also right after a wake
// from sleep or when a throttled background tab gets its turn), and re-renders.
function check() {
    if (Date.now() - lastAsked >= PingEveryMs) {
        ping();
    }
    render();
}

async function askPermission() {
    if (supported() && Notification.permission === 'default') {
        await Notification.requestPermission();
    }
    render();
}

function show(title, options, url) {
    const notification = new Notification(title, options);
    notification.onclick = () => {
        window.focus();
        notification.close();
        if (url) {
            Blazor.navigateTo(url);
        }
    };
    return notification;
}

// Relative in-app links only (orders, orders/123): nothing else is opened from a notification.
const safeUrl = url => (typeof url === 'string' && /^orders(\/\d+)?$/.test(url) ? url : 'orders');

async function testAlert() {
    unlock();
    await askPermission();
    // The AudioContext resumes asynchronously after the click.
    for (let waited = 0; !unlocked() && waited < 1000; waited += 50) {
        await new Promise(resolve => setTimeout(resolve, 50));
    }
    const played = chime();
    let shown = false;
    if (permission() === 'granted') {
        show('Test alert', { body: 'New orders will look like this.', tag: 'merchantportal-test' }, null);
        shown = true;
    }
    // What the test did, for support calls and the tests.
    element.dataset.testChime = String(played);
    element.dataset.testNotification = String(shown);
    element.dataset.tests = String(Number(element.dataset.tests ?? 0) + 1);
    render();
}

function onClick(event) {
    const fix = event.target.closest('[data-alerts-fix]')?.dataset.alertsFix;
    if (fix === 'sound') {
        unlock();
        // The AudioContext resumes asynchronously.
        setTimeout(render, 100);
    } else if (fix === 'notifications') {
        askPermission();
    } else if (fix === 'reload') {
        location.reload();
    } else if (event.target.closest('[data-alerts-test]')) {
        testAlert();
    }
}

// The settings page's notifications switch asks for permission from its own click (turning
// it on); the server only stores the choice.
function onDocumentClick(event) {
    const box = event.target.closest?.('[data-alerts-ask-permission]');
    if (box?.checked) {
        askPermission();
    }
}

// Closes the panel on a click outside it or on Escape, as the user menu does.
function onOutside(event) {
    if (element?.open && (event.type === 'keydown' ? event.key === 'Escape' : !element.contains(event.target))) {
        element.open = false;
    }
}

// Back in front: ask the server at once rather than at the next turn of the timer.
function onVisibility() {
    if (document.visibilityState === 'visible') {
        ping();
    }
    render();
}

export function init(target, reference) {
    dispose();
    element = target;
    dotnet = reference;
    lastHeard = lastAsked = Date.now(); // this call came from the server
    unanswered = false;
    element.addEventListener('click', onClick);
    document.addEventListener('click', onDocumentClick, true);
    document.addEventListener('click', onOutside);
    document.addEventListener('keydown', onOutside);
    const pill = document.getElementById(PillId);
    let wasLive = connection() === 'live';
    const onPill = () => {
        const live = connection() === 'live';
        if (live && !wasLive) {
            unanswered = false;
            ping(); // back: prove it with an answer
        }
        wasLive = live;
        render();
    };
    if (pill) {
        const watch = new MutationObserver(onPill);
        watch.observe(pill, { attributes: true, attributeFilter: ['data-state'] });
        observers.push(watch);
    }
    const settings = new MutationObserver(render);
    settings.observe(element, { attributes: true, attributeFilter: ['data-want-sound', 'data-want-notifications'] });
    observers.push(settings);
    // The server renders each notification's new orders here (JSON); the value it had when the
    // circuit started is old news, so only a change counts.
    const news = new MutationObserver(onNews);
    news.observe(element, { attributes: true, attributeFilter: ['data-alerts-orders'] });
    observers.push(news);
    navigator.permissions?.query({ name: 'notifications' }).then(status => { status.onchange = render; }, () => { });
    timers.push(setInterval(check, CheckEveryMs));
    document.addEventListener('visibilitychange', onVisibility);
    render();
}

function onNews() {
    let orders;
    try {
        orders = JSON.parse(element?.dataset.alertsOrders ?? '[]');
    } catch {
        return;
    }
    notify(orders);
}

// New orders for this tab; shown only while the page is hidden (a visible page has its
// toasts), with permission, one per order or one summary. The tag makes the browser show
// an order once, however many background tabs of the portal are open.
function notify(orders) {
    if (document.visibilityState !== 'hidden' || permission() !== 'granted' || !Array.isArray(orders) || orders.length === 0) {
        return;
    }
    if (orders.length > SummaryAbove) {
        show(`${orders.length} new orders`, { body: 'Open the orders list.', tag: `merchantportal-summary-${orders[0].id}` }, 'orders');
        return;
    }
    for (const order of orders) {
        show(order.title, { body: order.body, tag: `merchantportal-order-${order.id}` }, safeUrl(order.url));
    }
}

export function dispose() {
    timers.forEach(clearInterval);
    observers.forEach(o => o.disconnect());
    timers = [];
    observers = [];
    element?.removeEventListener('click', onClick);
    document.removeEventListener('click', onDocumentClick, true);
    document.removeEventListener('click', onOutside);
    document.removeEventListener('keydown', onOutside);
    document.removeEventListener('visibilitychange', onVisibility);
    element = undefined;
    dotnet = undefined;
}
