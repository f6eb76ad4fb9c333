/* BackOps — autosave on the advance page (PRODUCT §13.5, §13.8).
 *
 * Loaded only by the advance, module and answer pages; everything works
 * without it (the module's Save button posts every field with its
 * version). With it, each question saves on its own: on change, or
 * about a second after typing stops, as JSON with If-Match naming the
 * version the field started from, and shows saving / saved / failed
 * (value kept, Retry) / conflict (both values: keep mine or take theirs).
 * Different questions never conflict; one question's saves go one at a
 * time, the latest value last.
 */
(function () {
	"use strict";

	var DEBOUNCE_MS = 1000;

	function csrfToken() {
		var el = document.querySelector("input[name=\"csrf_token\"]");
		return el ? el.value : "";
	}

	function textTyped(el) {
		return el.nodeName === "TEXTAREA" || (el.nodeName === "INPUT" &&
		    /^(text|email|tel|url|search)$/.test(el.type));
	}

	function Question(box) {
		this.box = box;
		this.url = box.getAttribute("data-url");
		this.etag = box.getAttribute("data-etag");
		this.type = box.getAttribute("data-type");
		this.status = box.querySelector("[data-adv-status]");
		this.inputs = Array.prototype.slice.call(box.querySelectorAll(
		    "input, select, textarea")).filter(function (el) {
			return el.type !== "hidden" && el.type !== "file" &&
			    el.type !== "radio" && el.name && !el.disabled &&
			    !el.closest("form.adv-upload") &&
			    !el.closest("form.inline-form");
		});
		this.busy = false;
		this.queued = false;
		this.timer = null;
		this.bind();
	}

	Question.prototype.value = function () {
		var t = this.type, els = this.inputs, i, out;

		if (t === "checkbox")
			return els.length ? els[0].checked : null;
		if (t === "multiselect") {
			out = [];
			for (i = 0; i < els.length; i++)
				if (els[i].checked) out.push(els[i].value);
			return out.length ? out : null;
		}
		if (!els.length) return null;
		return els[0].value === "" ? null : els[0].value;
	};

	Question.prototype.setValue = function (v) {
		var t = this.type, els = this.inputs, i;

		if (t === "checkbox") {
			if (els[0]) els[0].checked = v === true || v === "true";
			return;
		}
		if (t === "multiselect") {
			var keys = Array.isArray(v) ? v : [];
			for (i = 0; i < els.length; i++)
				els[i].checked = keys.indexOf(els[i].value) >= 0;
			return;
		}
		if (els[0]) els[0].value = v == null ? "" : String(v);
	};

	Question.prototype.bind = function () {
		var self = this;

		this.inputs.forEach(function (el) {
			el.addEventListener("change", function () {
				self.schedule(0);
			});
			if (textTyped(el))
				el.addEventListener("input", function () {
					self.schedule(DEBOUNCE_MS);
				});
		});
	};

	Question.prototype.schedule = function (ms) {
		var self = this;

		clearTimeout(this.timer);
		this.timer = setTimeout(function () { self.save(); }, ms);
	};

	Question.prototype.show = function (kind, text, actions) {
		var s = this.status;

		if (!s) return;
		s.className = "adv-status adv-status-" + kind;
		s.textContent = text;
		(actions || []).forEach(function (a) {
			var b = document.createElement("button");
			b.type = "button";
			b.className = "btn btn-sm" + (a.primary ? " btn-primary" : "");
			b.textContent = a.label;
			b.addEventListener("click", a.run);
			s.appendChild(document.createTextNode(" "));
			s.appendChild(b);
		});
	};

	Question.prototype.clearConflict = function () {
		var c = this.box.querySelector(".adv-conflict-live");
		if (c) c.parentNode.removeChild(c);
	};

	/* The hidden version the module's Save sends for this question. */
	Question.prototype.syncVersion = function (answer) {
		var v = this.box.querySelector("input[data-adv-version]");
		if (v) v.value = String(answer.version);
		this.etag = answer.etag;
		this.box.setAttribute("data-etag", answer.etag);
	};

	Question.prototype.save = function () {
		var self = this, body;

		if (this.busy) {
			this.queued = true;
			return;
		}
		this.busy = true;
		this.queued = false;
		body = JSON.stringify({ value: this.value() });
		this.show("saving", "Saving…");
		fetch(this.url, {
			method: "PATCH",
			credentials: "same-origin",
			headers: {
				"Content-Type": "application/json",
				"Accept": "application/json",
				"X-CSRF-Token": csrfToken(),
				"If-Match": this.etag
			},
			body: body
		}).then(function (res) {
			return res.json().catch(function () { return {}; })
			    .then(function (data) { return { res: res, data: data }; });
		}).then(function (r) {
			self.busy = false;
			self.answered(r.res.status, r.data);
			if (self.queued) self.save();
		}, function () {
			self.busy = false;
			self.show("failed", "Not saved: the connection failed. " +
			    "Your answer is kept here.", [{ label: "Retry",
			    run: function () { self.save(); } }]);
		});
	};

	Question.prototype.answered = function (status, data) {
		var self = this;

		if (status === 200 && data.answer) {
			this.syncVersion(data.answer);
			this.box.classList.remove("has-error");
			this.clearConflict();
			this.show("saved", data.changed === false ? "Saved." :
			    "Saved just now.");
			return;
		}
		if (status === 412 && data.current) {
			this.conflict(data.current);
			return;
		}
		if (status === 422) {
			this.box.classList.add("has-error");
			this.show("failed", (data.errors && data.errors[0] ?
			    data.errors[0].message : data.detail) ||
			    "This value was not accepted.");
			return;
		}
		if (status === 409 || status === 403 || status === 404) {
			this.show("failed", "Not saved: " + (data.detail ||
			    "this can no longer be changed.") + "");
			return;
		}
		this.show("failed", "Not saved (" + status + "). Your answer is " +
		    "kept here.", [{ label: "Retry", run: function () {
			self.save();
		} }]);
	};

	/* Someone saved this question meanwhile: both values side by side. */
	Question.prototype.conflict = function (cur) {
		var self = this, box, p, dl, mine = this.value();

		this.clearConflict();
		box = document.createElement("div");
		box.className = "adv-conflict adv-conflict-live";
		box.setAttribute("role", "alert");
		p = document.createElement("p");
		p.className = "adv-conflict-title";
		p.textContent = "Changed by " + (cur.updated_by_name ||
		    "someone else") + (cur.updated_at_local ? ", " +
		    cur.updated_at_local : "") + ", while you were editing.";
		box.appendChild(p);
		dl = document.createElement("dl");
		dl.className = "adv-both";
		[["Theirs", cur.answered ? cur.value_text : "(cleared)"],
		    ["Yours", mine == null ? "(empty)" : Array.isArray(mine) ?
		    mine.join(", ") : String(mine)]].forEach(function (pair) {
			var dt = document.createElement("dt"), dd =
			    document.createElement("dd");
			dt.textContent = pair[0];
			dd.textContent = pair[1];
			dl.appendChild(dt);
			dl.appendChild(dd);
		});
		box.appendChild(dl);
		this.status.parentNode.insertBefore(box, this.status);
		this.show("failed", "Not saved: choose which value stays.", [
			{ label: "Keep mine", primary: true, run: function () {
				self.syncVersion(cur);
				self.clearConflict();
				self.save();
			} },
			{ label: "Take theirs", run: function () {
				self.syncVersion(cur);
				self.setValue(self.type === "multiselect" ||
				    self.type === "checkbox" ? cur.value :
				    cur.form_value);
				self.clearConflict();
				self.show("saved", "Showing their answer.");
			} }
		]);
	};

	function init() {
		if (typeof fetch !== "function" || !window.JSON) return;
		Array.prototype.slice.call(document.querySelectorAll(
		    "[data-adv-question][data-url]")).forEach(function (box) {
			new Question(box);
		});
	}

	if (document.readyState === "loading")
		document.addEventListener("DOMContentLoaded", init);
	else
		init();
})();
