// The layout's browser side: no circuit involved, so it costs an open tab nothing on the
// server. State lives on <html>, which the circuit never re-renders.
(() => {
    const root = document.documentElement;
    const prefersDark = matchMedia("(prefers-color-scheme: dark)");
    // MudBlazor's md breakpoint: a persistent drawer from here up, an overlay below.
    const wide = matchMedia("(min-width: 960px)");

    window.merchantPortalLayout = {
        // Flips the theme the user sees (an explicit choice, or the system's while there is
        // none) and returns the new one; the server stores it (ThemeToggle).
        toggleTheme() {
            const current = root.dataset.theme ?? (prefersDark.matches ? "dark" : "light");
            const next = current === "dark" ? "light" : "dark";
            root.dataset.theme = next;
            return next;
        },
    };

    // html[data-nav=toggled] flips the drawer's default: open on a wide screen, closed on a phone.
    const drawerOpen = () => wide.matches !== (root.dataset.nav === "toggled");
    const sync = () => document.getElementById("portal-nav-button")?.setAttribute("aria-expanded", String(drawerOpen()));
    const setToggled = toggled => {
        if (toggled) {
            root.dataset.nav = "toggled";
        } else {
            delete root.dataset.nav;
        }
        sync();
    };
    // Crossing the breakpoint starts from that size's default again.
    wide.addEventListener("change", () => setToggled(false));

    document.addEventListener("click", event => {
        const target = event.target instanceof Element ? event.target : null;
        if (target?.closest("#portal-nav-button")) {
            setToggled(root.dataset.nav !== "toggled");
        } else if (!wide.matches && root.dataset.nav === "toggled"
            && (target?.closest("[data-nav-close]") || target?.closest(".portal-drawer a"))) {
            // The phone's overlay closes on a click beside it or on one of its links.
            setToggled(false);
        }

        // The user menu (a <details>) closes on a click outside it.
        for (const menu of document.querySelectorAll("details.portal-user-menu[open]")) {
            if (!target || !menu.contains(target)) {
                menu.open = false;
            }
        }
    });

    document.addEventListener("keydown", event => {
        if (event.key !== "Escape") {
            return;
        }

        const menu = document.querySelector("details.portal-user-menu[open]");
        if (menu) {
            menu.open = false;
            menu.querySelector("summary")?.focus();
        } else if (!wide.matches && root.dataset.nav === "toggled") {
            setToggled(false);
            document.getElementById("portal-nav-button")?.focus();
        }
    });

    // The circuit's first render replaces the prerendered button; tell it the state again.
    new MutationObserver(sync).observe(document.body ?? root, { childList: true, subtree: true });
})();
