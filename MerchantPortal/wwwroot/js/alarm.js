// The alarm's browser side: repeats the chime while the merchant has unacknowledged orders, in
// one tab per browser only. The server tells this module the alarm's state and the user's
// settings when they change (update); the repeat timer runs here, so an idle circuit holds no
// timer of its own. Every tab runs the timer; only the sound leader plays, so when the leader
// closes, the tab that takes over is already on the same schedule.
import { chime } from "./sound.js";

// One lock name for the whole origin: Web Locks are per browser profile (a Playwright context
// or a real browser), so exactly one tab of that browser holds it.
const leaderLock = "merchantportal-sound-leader";

const state = { on: false, repeatMs: 0, sound: false, leader: false, chimes: 0, timer: 0, started: false };

function statusElement() {
    return document.querySelector('[data-testid="alarm-status"]');
}

// Attributes Blazor never renders, so its diffs leave them alone; written again on every
// update in case the element was re-created.
function publish() {
    const status = statusElement();
    if (status) {
        status.dataset.soundLeader = state.leader ? "true" : "false";
        status.dataset.chimes = String(state.chimes);
    }
}

// Counts only chimes really played: sound.js's chime() returns false while audio is locked.
function play() {
    if (state.leader && state.sound && chime()) {
        state.chimes++;
        publish();
    }
}

function schedule() {
    clearInterval(state.timer);
    state.timer = 0;
    if (state.on && state.repeatMs > 0) {
        state.timer = setInterval(play, state.repeatMs);
    }
}

function claimLeadership() {
    if (!navigator.locks) {
        // No Web Locks (an insecure origin other than localhost): every tab plays, as before.
        state.leader = true;
        publish();
        return;
    }
    // Granted at once to the first tab; the others wait in the browser's queue and the next one
    // is granted as soon as the holder's page goes away. The promise never settles: the lock is
    // held for the page's life.
    navigator.locks.request(leaderLock, () => {
        state.leader = true;
        publish();
        return new Promise(() => { });
    });
}

// The server renders data-ring, a count it raises once per notification with new orders. Only a
// rise rings: the attribute's own old value is the reference, so a status element re-rendered by
// a new circuit (counting from 0 again) is watched as well and never rings by itself.
function watchRings() {
    new MutationObserver(changes => {
        if (changes.some(change => Number(change.target.dataset.ring) > Number(change.oldValue))) {
            ring();
        }
    }).observe(document.body, { subtree: true, attributes: true, attributeFilter: ["data-ring"], attributeOldValue: true });
}

/** Alarm state from the server: on/off, repeat interval in seconds (0: no repeat), sound on. */
export function update(on, repeatSeconds, sound) {
    if (!state.started) {
        state.started = true;
        claimLeadership();
        watchRings();
    }
    const repeatMs = Number.isFinite(repeatSeconds) && repeatSeconds > 0 ? repeatSeconds * 1000 : 0;
    const changed = state.on !== !!on || state.repeatMs !== repeatMs;
    state.on = !!on;
    state.repeatMs = repeatMs;
    state.sound = !!sound;
    if (changed) {
        schedule();
    }
    publish();
}

// New orders arrived: chime once now and count the repeat interval from here.
function ring() {
    play();
    schedule();
}
