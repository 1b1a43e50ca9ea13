/* Keeps what is typed in a form in this browser until the server has it.
 *
 * A form with data-keep-typed="KEY" is copied to localStorage when it is sent. If the
 * server never got it (the session had run out and the visitor was sent to log in), the
 * form comes back showing other text than was sent: then the text that was sent is put
 * back and the notice [data-keep-typed-notice] is shown. The server stores nothing for
 * visitors who are not logged in.
 *
 * Each sending carries a new token; once the server has saved the text it lists the
 * token in <body data-saved-typed>, and any page that lists it forgets the kept copy, with
 * the form or without (the ready button lands on the contribution's page). Otherwise the form's
 * hidden "version" field says which saved version the text was written on:
 *  - the same version is shown again: nothing was saved, so the text is put back;
 *  - a later version: somebody else saved meanwhile. The visitor chooses; putting the
 *    text back keeps the old version number, so that saving shows both texts side by
 *    side instead of overwriting the other person's.
 * A copy belongs to the user who typed it: it carries <body data-typed-owner>, an opaque
 * value the server gives each user (it names nobody). A page of a logged-in user forgets
 * every copy that is not theirs before any form is filled, so that whoever logs in next
 * on this browser never gets it; a page for a visitor not logged in (the login page)
 * cannot tell whose a copy is and only says that one is kept. Logging out forgets
 * everything kept, so the next person at the computer reads none.
 */
(function () {
  "use strict";
  var PREFIX = "livskvalitet:typed:";
  var SKIP = { csrfmiddlewaretoken: true, typed_token: true };

  function storage() {
    try {
      return window.localStorage;
    } catch (error) {
      return null; // private mode or storage turned off: the form works as before
    }
  }

  function values(form) {
    var result = {};
    Array.prototype.forEach.call(form.elements, function (element) {
      if (!element.name || SKIP[element.name] || element.disabled) return;
      // Never a password: nothing typed into one is kept in the browser.
      if (["submit", "button", "file", "password"].indexOf(element.type) !== -1) return;
      if ((element.type === "checkbox" || element.type === "radio") && !element.checked) return;
      (result[element.name] = result[element.name] || []).push(element.value);
    });
    return result;
  }

  function owner() {
    return document.body.getAttribute("data-typed-owner") || "";
  }

  function kept(store) {
    var names = [];
    for (var index = 0; index < store.length; index += 1) {
      var name = store.key(index);
      if (name && name.indexOf(PREFIX) === 0) names.push(name);
    }
    return names;
  }

  // Forgets the copies the server has saved and, for a logged-in user, those of others.
  function tidy(store) {
    var savedTokens = (document.body.getAttribute("data-saved-typed") || "").split(" ");
    var me = owner();
    kept(store).forEach(function (name) {
      var copy = null;
      try {
        copy = JSON.parse(store.getItem(name) || "null");
      } catch (error) {
        copy = null;
      }
      var saved = copy && copy.token && savedTokens.indexOf(copy.token) !== -1;
      if (!copy || !copy.values || saved || (me && copy.owner !== me)) store.removeItem(name);
    });
  }

  function newToken() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  function sameText(a, b) {
    var names = {};
    Object.keys(a).concat(Object.keys(b)).forEach(function (name) { names[name] = true; });
    delete names.version;
    return Object.keys(names).every(function (name) {
      return JSON.stringify(a[name] || []) === JSON.stringify(b[name] || []);
    });
  }

  function restore(form, kept) {
    var leftOver = [];
    Object.keys(kept).forEach(function (name) {
      if (!form.elements[name]) {
        kept[name].forEach(function (value) { if (value.trim()) leftOver.push(value); });
      }
    });
    Array.prototype.forEach.call(form.elements, function (element) {
      if (!element.name || SKIP[element.name]) return;
      var wanted = kept[element.name] || [];
      if (element.type === "checkbox" || element.type === "radio") {
        element.checked = wanted.indexOf(element.value) !== -1;
      } else if (element.type !== "submit" && element.type !== "button" && element.type !== "file") {
        if (element.name in kept) element.value = wanted.shift() || "";
        kept[element.name] = wanted;
        element.dispatchEvent(new Event("input", { bubbles: true }));
      }
    });
    return leftOver;
  }

  function show(element) {
    if (!element) return;
    element.hidden = false;
    element.focus();
  }

  function start(form) {
    var store = storage();
    if (!store) return;
    var key = PREFIX + form.getAttribute("data-keep-typed");
    var notice = document.querySelector("[data-keep-typed-notice]");
    var choice = document.querySelector("[data-keep-typed-choice]");
    var leftOverBox = document.querySelector("[data-keep-typed-left-over]");
    var saved = null;
    try {
      saved = JSON.parse(store.getItem(key) || "null");
    } catch (error) {
      store.removeItem(key);
    }
    var tokenField = form.querySelector("[data-keep-typed-token]");
    form.addEventListener("submit", function () {
      var token = newToken();
      if (tokenField) tokenField.value = token;
      store.setItem(key, JSON.stringify({ values: values(form), token: token, owner: owner() }));
    });
    if (!saved || !saved.values) return;
    var shown = values(form);
    if (sameText(saved.values, shown)) {
      store.removeItem(key);
      return;
    }
    var putBack = function () {
      var leftOver = restore(form, JSON.parse(JSON.stringify(saved.values)));
      if (leftOver.length && leftOverBox) {
        leftOverBox.querySelector("textarea").value = leftOver.join("\n\n");
        leftOverBox.hidden = false;
      }
      show(notice);
    };
    if ((saved.values.version || [""])[0] === (shown.version || [""])[0]) {
      putBack();
      return;
    }
    if (!choice) return;
    show(choice);
    choice.querySelector("[data-keep-typed-restore]").addEventListener("click", function () {
      choice.hidden = true;
      putBack();
    });
    choice.querySelector("[data-keep-typed-discard]").addEventListener("click", function () {
      store.removeItem(key);
      choice.hidden = true;
    });
  }

  function forgetAll() {
    var store = storage();
    if (!store) return;
    kept(store).forEach(function (name) { store.removeItem(name); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var store = storage();
    if (store) tidy(store); // first: no form is filled with a copy that is not this user's
    Array.prototype.forEach.call(document.querySelectorAll("form[data-keep-typed]"), start);
    Array.prototype.forEach.call(document.querySelectorAll("form[data-forget-typed]"), function (form) {
      form.addEventListener("submit", forgetAll);
    });
    var waiting = document.querySelector("[data-keep-typed-waiting]");
    if (waiting && store && kept(store).length) waiting.hidden = false;
  });
})();
