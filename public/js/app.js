/* BackOps — progressive enhancement only.
 *
 * Every page works without this file. It adds:
 *   - timezone prefill on <select data-autotz> (sign-up);
 *   - confirm() before submitting forms or pressing buttons with
 *     data-confirm="message";
 *   - copy buttons: <button data-copy-target="#id" hidden> (shown by us);
 *   - the mobile navigation toggle (.nav-toggle / #site-nav);
 *   - closing <details class="js-menu"> menus on outside click and Escape;
 *   - collapsing the docs sidebar (<details data-collapse-mobile>) on phones.
 *
 * No inline handlers exist anywhere (CSP script-src 'self'); everything is
 * attached here.
 */
(function () {
	"use strict";

	document.documentElement.classList.add("js");

	function $all(sel, root) {
		return Array.prototype.slice.call((root || document).querySelectorAll(sel));
	}

	/* (a) Timezone prefill ------------------------------------------------ */

	function initAutoTimezone() {
		var tz;
		try {
			tz = Intl.DateTimeFormat().resolvedOptions().timeZone;
		} catch (e) {
			return;
		}
		if (!tz) return;
		$all("select[data-autotz]").forEach(function (sel) {
			/* A form shown again after a failed submit keeps the
			 * user's own choice. */
			var form = sel.form;
			if (sel.getAttribute("aria-invalid") === "true") return;
			if (form && form.querySelector("[aria-invalid=\"true\"]")) return;
			if (document.querySelector(".error-summary:not([hidden])")) return;
			for (var i = 0; i < sel.options.length; i++) {
				if (sel.options[i].value === tz) {
					sel.selectedIndex = i;
					return;
				}
			}
		});
	}

	/* (b) Confirmations ---------------------------------------------------- */

	function initConfirm() {
		document.addEventListener("submit", function (ev) {
			var form = ev.target;
			if (!form || form.nodeName !== "FORM") return;
			if (form.getAttribute("data-confirmed")) {
				/* Already confirmed by the click fallback below. */
				form.removeAttribute("data-confirmed");
				return;
			}
			var submitter = ev.submitter;
			var msg = (submitter && submitter.getAttribute("data-confirm")) ||
			    form.getAttribute("data-confirm");
			if (msg && !window.confirm(msg)) {
				ev.preventDefault();
				ev.stopImmediatePropagation();
			}
		}, true);

		/* Links and browsers without SubmitEvent.submitter. */
		document.addEventListener("click", function (ev) {
			var el = ev.target.closest ? ev.target.closest("[data-confirm]") : null;
			if (!el || el.nodeName === "FORM") return;
			if (el.nodeName === "A") {
				if (!window.confirm(el.getAttribute("data-confirm"))) ev.preventDefault();
				return;
			}
			if (typeof SubmitEvent !== "undefined" &&
			    "submitter" in SubmitEvent.prototype) return;
			if ((el.nodeName === "BUTTON" && el.type === "submit") ||
			    (el.nodeName === "INPUT" && el.type === "submit")) {
				if (!window.confirm(el.getAttribute("data-confirm"))) {
					ev.preventDefault();
				} else if (el.form) {
					/* Don't ask twice through a data-confirm on the form. */
					el.form.setAttribute("data-confirmed", "1");
				}
			}
		});
	}

	/* (c) Copy buttons ------------------------------------------------------ */

	function copyText(text) {
		if (navigator.clipboard && window.isSecureContext) {
			return navigator.clipboard.writeText(text).catch(function () {
				return legacyCopy(text);
			});
		}
		return legacyCopy(text);
	}

	function legacyCopy(text) {
		return new Promise(function (resolve, reject) {
			var ta = document.createElement("textarea");
			ta.value = text;
			ta.setAttribute("readonly", "");
			ta.className = "visually-hidden";
			document.body.appendChild(ta);
			ta.select();
			var ok = false;
			try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
			document.body.removeChild(ta);
			if (ok) resolve(); else reject(new Error("copy failed"));
		});
	}

	function initCopy() {
		$all("[data-copy-target]").forEach(function (btn) {
			var target = document.querySelector(btn.getAttribute("data-copy-target"));
			if (!target) return;
			btn.hidden = false;
			var label = btn.querySelector(".copy-label") || btn;
			var original = label.textContent;
			var timer = null;
			btn.addEventListener("click", function (ev) {
				ev.preventDefault();
				var text = (target.nodeName === "INPUT" || target.nodeName === "TEXTAREA") ?
				    target.value : target.textContent;
				text = (text || "").trim();
				copyText(text).then(function () {
					label.textContent = "Copied";
					btn.classList.add("is-copied");
				}, function () {
					/* Select it so the user can copy by hand. */
					var range = document.createRange();
					range.selectNodeContents(target);
					var s = window.getSelection();
					s.removeAllRanges();
					s.addRange(range);
					label.textContent = "Selected — copy it now";
				});
				clearTimeout(timer);
				timer = setTimeout(function () {
					label.textContent = original;
					btn.classList.remove("is-copied");
				}, 2000);
			});
		});
	}

	/* (d) Mobile navigation ---------------------------------------------------- */

	function initNavToggle() {
		$all(".nav-toggle[aria-controls]").forEach(function (btn) {
			var nav = document.getElementById(btn.getAttribute("aria-controls"));
			if (!nav) return;
			btn.hidden = false;
			btn.addEventListener("click", function () {
				var open = btn.getAttribute("aria-expanded") !== "true";
				btn.setAttribute("aria-expanded", open ? "true" : "false");
				nav.classList.toggle("is-open", open);
			});
			document.addEventListener("keydown", function (ev) {
				if (ev.key === "Escape" && nav.classList.contains("is-open")) {
					btn.setAttribute("aria-expanded", "false");
					nav.classList.remove("is-open");
					btn.focus();
				}
			});
		});
	}

	/* Menus built on <details>: one open at a time, close outside. ------------ */

	function initMenus() {
		var menus = $all("details.js-menu");
		if (!menus.length) return;
		menus.forEach(function (d) {
			d.addEventListener("toggle", function () {
				if (!d.open) return;
				menus.forEach(function (o) { if (o !== d) o.open = false; });
			});
		});
		document.addEventListener("click", function (ev) {
			menus.forEach(function (d) {
				if (d.open && !d.contains(ev.target)) d.open = false;
			});
		});
		document.addEventListener("keydown", function (ev) {
			if (ev.key !== "Escape") return;
			menus.forEach(function (d) {
				if (d.open) {
					d.open = false;
					var s = d.querySelector("summary");
					if (s) s.focus();
				}
			});
		});
	}

	/* Docs sidebar: open on wide screens, collapsed on phones. ------------------- */

	function initDocsNav() {
		if (!window.matchMedia) return;
		var mq = window.matchMedia("(max-width: 900px)");
		$all("details[data-collapse-mobile]").forEach(function (d) {
			if (mq.matches) d.open = false;
		});
		var onChange = function (e) {
			if (!e.matches) {
				$all("details[data-collapse-mobile]").forEach(function (d) { d.open = true; });
			}
		};
		if (mq.addEventListener) mq.addEventListener("change", onChange);
		else if (mq.addListener) mq.addListener(onChange);
	}

	function init() {
		initAutoTimezone();
		initConfirm();
		initCopy();
		initNavToggle();
		initMenus();
		initDocsNav();
	}

	if (document.readyState === "loading") {
		document.addEventListener("DOMContentLoaded", init);
	} else {
		init();
	}
})();
