// The offline questionnaire: builds the roster from the data in the page, saves the answers as
// a JSON file (Blob + <a download>) and loads a saved file back. It makes no request.
(function () {
  "use strict";

  const data = JSON.parse(document.getElementById("survey-data").textContent);
  const kindLabels = new Map(data.kinds.map((k) => [k.id, k.label]));
  const details = data.fields.filter((f) => f.id !== "presence");
  let dirty = false;

  // --- helpers ------------------------------------------------------------------------------

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (name === "text") node.textContent = value;
      else if (name === "class") node.className = value;
      else node.setAttribute(name, value === true ? "" : String(value));
    }
    for (const child of children) {
      if (child !== null && child !== undefined) {
        node.append(child);
      }
    }
    return node;
  }

  function select(name, pairs, label) {
    const node = el("select", { name: name, "aria-label": label });
    node.append(el("option", { value: "", text: "–" }));
    for (const [value, shown] of pairs) {
      node.append(el("option", { value: value, text: shown }));
    }
    return node;
  }

  function status(text, bad) {
    const node = document.getElementById("status");
    node.textContent = text;
    node.className = bad ? "bad" : "good";
  }

  // --- units: the searchable list and what a typed partner means --------------------------

  const byLabel = new Map();
  const byId = new Map();
  const byName = new Map();
  const list = document.getElementById("all-units");
  for (const [id, name, kind, kreis] of data.units) {
    const label = name + " (" + id + ")";
    byLabel.set(label, id);
    byId.set(id, name);
    const folded = name.toLocaleLowerCase("de");
    byName.set(folded, (byName.get(folded) || []).concat([id]));
    list.append(el("option", { value: label, label: [kind, kreis].filter(Boolean).join(", ") }));
  }

  function resolve(text) {
    const typed = text.trim();
    if (!typed) return "";
    if (byLabel.has(typed)) return byLabel.get(typed);
    if (byId.has(typed)) return typed;
    const named = byName.get(typed.toLocaleLowerCase("de"));
    if (named && named.length === 1) return named[0];
    return typed;
  }

  // --- a partner's block: one row per tie kind, then the comment ----------------------------

  function block(partner, free) {
    const box = el("fieldset", { class: free ? "partner free" : "partner" });
    const legend = el("legend");
    if (free) {
      const input = el("input", {
        type: "text",
        list: "all-units",
        name: "partner",
        autocomplete: "off",
        placeholder: "Name oder Schlüssel",
        "aria-label": "Weiterer Partner: Name oder Schlüssel",
      });
      const found = el("span", { class: "found quiet" });
      const remove = el("button", { type: "button", class: "remove", text: "Entfernen" });
      input.addEventListener("input", () => {
        const key = resolve(input.value);
        found.textContent = !key
          ? ""
          : byId.has(key)
            ? "erkannt: " + byId.get(key) + " (" + key + ")"
            : "nicht in der Liste – wird so gespeichert, wie eingegeben";
      });
      remove.addEventListener("click", () => {
        box.remove();
        dirty = true;
      });
      legend.append(input, found, remove);
    } else {
      box.dataset.partner = partner.id;
      legend.append(
        el("span", { class: "name", text: partner.name }),
        el("span", {
          class: "quiet",
          text: " · " + [partner.kind, partner.kreis].filter(Boolean).join(", ") +
            " · Schlüssel " + partner.id,
        }),
      );
    }
    box.append(legend);
    const table = el("table", { class: "answers" });
    const head = el("tr", {}, el("th", { text: "Art der Zusammenarbeit" }));
    for (const field of data.fields) head.append(el("th", { text: field.label }));
    table.append(el("thead", {}, head));
    const body = el("tbody");
    const kinds = free ? data.freeKinds : partner.kinds;
    for (const kind of kinds) {
      const row = el("tr", { "data-kind": kind });
      row.append(el("th", { scope: "row", text: kindLabels.get(kind) }));
      const presence = select(kind + ".presence", data.choices.presence, kindLabels.get(kind));
      row.append(el("td", {}, presence));
      for (const field of details) {
        const pairs = field.id === "since"
          ? data.years.map((y) => [String(y), String(y)])
          : data.choices[field.id];
        const chosen = select(kind + "." + field.id, pairs, kindLabels.get(kind) + ": " + field.label);
        chosen.disabled = true;
        row.append(el("td", {}, chosen));
      }
      presence.addEventListener("change", () => enable(row));
      body.append(row);
    }
    table.append(body);
    box.append(table);
    const comment = el("textarea", {
      name: "comment",
      rows: 2,
      maxlength: 2000,
      placeholder: "Bemerkung (freier Text, bitte keine Namen von Personen)",
      "aria-label": "Bemerkung",
    });
    box.append(comment);
    box.addEventListener("change", () => {
      dirty = true;
    });
    return box;
  }

  function enable(row) {
    const yes = row.querySelector("select[name$='.presence']").value === "yes";
    row.classList.toggle("yes", yes);
    for (const node of row.querySelectorAll("select:not([name$='.presence'])")) {
      node.disabled = !yes;
    }
  }

  function addFree() {
    const box = block(null, true);
    document.getElementById("free").append(box);
    return box;
  }

  // --- the questions about the respondent ---------------------------------------------------

  function about() {
    const body = document.querySelector("#about tbody");
    for (const question of data.about) {
      const chosen = select(question.id, question.choices, question.question);
      chosen.addEventListener("change", () => {
        dirty = true;
      });
      body.append(el("tr", {}, el("th", { scope: "row", text: question.question }), el("td", {}, chosen)));
    }
  }

  // --- saving -------------------------------------------------------------------------------

  function answersOf(box, partner) {
    const found = [];
    const text = box.querySelector("textarea[name='comment']").value.trim();
    for (const row of box.querySelectorAll("tr[data-kind]")) {
      const kind = row.dataset.kind;
      if (row.querySelector("select[name$='.presence']").value !== "yes") continue;
      const value = (field) => row.querySelector("select[name='" + kind + "." + field + "']").value;
      found.push({
        partner: partner,
        kind: kind,
        intensity: value("intensity") || null,
        level: value("level") || null,
        funding: value("funding") || null,
        since: value("since") ? Number(value("since")) : null,
        comment: text || null,
      });
    }
    return found;
  }

  function collect() {
    const answers = [];
    for (const box of document.querySelectorAll("#roster fieldset.partner")) {
      answers.push(...answersOf(box, box.dataset.partner));
    }
    for (const box of document.querySelectorAll("#free fieldset.partner")) {
      const input = box.querySelector("input[name='partner']");
      const partner = resolve(input.value);
      const found = answersOf(box, partner);
      if (found.length && !partner) {
        input.focus();
        throw new Error("Bitte geben Sie bei jedem weiteren Partner den Namen oder den Schlüssel an.");
      }
      answers.push(...found);
    }
    const own = {};
    for (const question of data.about) {
      const value = document.querySelector("#about select[name='" + question.id + "']").value;
      own[question.id] = value === "" ? null : value === "true" ? true : value === "false" ? false : value;
    }
    return {
      format: data.format,
      survey: data.survey.id,
      survey_name: data.survey.name,
      scenario: data.survey.scenario,
      respondent: data.respondent.id,
      saved: new Date().toISOString(),
      answers: answers,
      about: own,
    };
  }

  function save() {
    let doc;
    try {
      doc = collect();
    } catch (error) {
      status(error.message, true);
      return;
    }
    const blob = new Blob([JSON.stringify(doc, null, 1) + "\n"], { type: "application/json" });
    const url = URL.createObjectURL(blob);
    const link = el("a", { href: url, download: data.download, hidden: true });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60000);
    dirty = false;
    const partners = new Set(doc.answers.map((a) => a.partner)).size;
    status(
      "Gespeichert: " + doc.answers.length + " Angabe(n) zu " + partners +
        " Partner(n) in der Datei „" + data.download + "“ (im Download-Ordner). " +
        "Bitte senden Sie diese Datei zurück.",
      false,
    );
  }

  // --- loading a saved file -----------------------------------------------------------------

  function fill(doc) {
    if (!doc || doc.format !== data.format || !Array.isArray(doc.answers)) {
      throw new Error("Diese Datei ist keine gespeicherte Antwort dieses Formulars.");
    }
    if (doc.survey !== data.survey.id || doc.respondent !== data.respondent.id) {
      throw new Error("Diese Datei gehört zu einer anderen Befragung oder einer anderen Kommune.");
    }
    for (const node of document.querySelectorAll("#roster select, #about select")) node.value = "";
    for (const node of document.querySelectorAll("#roster textarea")) node.value = "";
    document.getElementById("free").replaceChildren();
    const boxes = new Map();
    for (const box of document.querySelectorAll("#roster fieldset.partner")) {
      boxes.set(box.dataset.partner, box);
    }
    for (const answer of doc.answers) {
      let box = boxes.get(answer.partner);
      if (!box) {
        box = addFree();
        const input = box.querySelector("input[name='partner']");
        input.value = byId.has(answer.partner)
          ? byId.get(answer.partner) + " (" + answer.partner + ")"
          : String(answer.partner);
        input.dispatchEvent(new Event("input"));
        boxes.set(answer.partner, box);
      }
      const row = box.querySelector("tr[data-kind='" + answer.kind + "']");
      if (!row) continue;
      row.querySelector("select[name$='.presence']").value = "yes";
      enable(row);
      for (const field of ["intensity", "level", "funding", "since"]) {
        const value = answer[field];
        const node = row.querySelector("select[name='" + answer.kind + "." + field + "']");
        node.value = value === null || value === undefined ? "" : String(value);
      }
      const comment = box.querySelector("textarea[name='comment']");
      if (answer.comment && !comment.value) comment.value = answer.comment;
    }
    for (const row of document.querySelectorAll("#roster tr[data-kind]")) enable(row);
    for (const question of data.about) {
      const value = doc.about ? doc.about[question.id] : null;
      document.querySelector("#about select[name='" + question.id + "']").value =
        value === null || value === undefined ? "" : String(value);
    }
    if (!document.querySelector("#free fieldset")) addFree();
  }

  function load(event) {
    const file = event.target.files[0];
    if (!file) return;
    const reader = new FileReader();
    reader.onload = () => {
      try {
        fill(JSON.parse(String(reader.result)));
        dirty = false;
        status("Geladen: " + file.name + ". Sie können weiter ausfüllen und erneut speichern.", false);
      } catch (error) {
        status(error instanceof SyntaxError ? "Diese Datei ist kein JSON." : error.message, true);
      }
      event.target.value = "";
    };
    reader.readAsText(file);
  }

  // --- the page -----------------------------------------------------------------------------

  document.getElementById("survey-name").textContent = data.survey.name;
  document.getElementById("respondent").textContent =
    "Fragebogen für: " + data.respondent.name + " (Schlüssel " + data.respondent.id + ")";
  document.getElementById("survey-meta").textContent =
    "Befragung vom " + data.survey.created.split("-").reverse().join(".") +
    " · Kennung " + data.survey.id;
  const help = document.getElementById("kinds-list");
  for (const kind of data.kinds) {
    help.append(el("dt", { text: kind.label }), el("dd", { text: kind.help }));
  }
  const roster = document.getElementById("roster");
  for (const partner of data.partners) roster.append(block(partner, false));
  if (!data.partners.length) {
    roster.append(el("p", { class: "quiet", text: "Keine Partner vorgegeben: Bitte nutzen Sie „Weitere Partner“." }));
  }
  addFree();
  about();
  document.getElementById("add-free").addEventListener("click", () => addFree().querySelector("input").focus());
  document.getElementById("save").addEventListener("click", save);
  document.getElementById("load").addEventListener("change", load);
  window.addEventListener("beforeunload", (event) => {
    if (dirty) event.preventDefault();
  });
  document.documentElement.dataset.ready = "1";
})();
