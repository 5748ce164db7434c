// New-order chime with the Web Audio API (no audio file to fetch). Browsers only let a page
// make sound after the user interacted with it, so the context is created or resumed inside
// a click or key press; until then chime() stays silent instead of failing.
let context;

function audio() {
    context ??= new AudioContext();
    return context;
}

export function unlock() {
    audio().resume();
}

export function unlockOnNextGesture() {
    const handler = () => unlock();
    addEventListener("pointerdown", handler, { once: true, capture: true });
    addEventListener("keydown", handler, { once: true, capture: true });
}

export function chime() {
    if (!context || context.state !== "running") {
        return false;
    }
    const now = context.currentTime;
    for (const [offset, frequency] of [[0, 880], [0.16, 1320]]) {
        const oscillator = context.createOscillator();
        const gain = context.createGain();
        oscillator.frequency.value = frequency;
        gain.gain.setValueAtTime(0.0001, now + offset);
        gain.gain.exponentialRampToValueAtTime(0.2, now + offset + 0.02);
        gain.gain.exponentialRampToValueAtTime(0.0001, now + offset + 0.3);
        oscillator.connect(gain).connect(context.destination);
        oscillator.start(now + offset);
        oscillator.stop(now + offset + 0.32);
    }
    return true;
}

// Whether chime() can make sound now (the armed check in js/alerts.js asks).
export function unlocked() {
    return context?.state === "running";
}
